"""Time per epoch of the coursekit Learner vs a hand-written PyTorch loop doing the same work.

The same small CNN (4 stride-2 conv+BN+ReLU layers 8-16-32-64, linear head), mnist5k, batch 64, Adam,
one-cycle over 5 epochs, validation each epoch. Median of 3 runs each; prints the ratio (goal <= 1.10).
Usage: python bench/learner_overhead.py
"""
import json, statistics, time
from pathlib import Path
import torch
from torch import nn
import torch.nn.functional as F
from coursekit.core import set_seed, default_device
from coursekit.data import load_mnist
from coursekit.learner import Learner
from coursekit.loaders import DataLoaders
from coursekit.metrics import MetricsCB, accuracy

EPOCHS, BS, LR = 5, 64, 1e-2

def cnn():
    def block(ni, nf): return nn.Sequential(nn.Conv2d(ni, nf, 3, 2, 1), nn.BatchNorm2d(nf), nn.ReLU())
    return nn.Sequential(block(1, 8), block(8, 16), block(16, 32), block(32, 64), nn.Flatten(), nn.Linear(64 * 2 * 2, 10))

def hand_loop(d, dev):
    "A plain PyTorch loop: shuffled index batches, Adam, the same one-cycle schedule (torch's OneCycleLR), validation accuracy each epoch."
    set_seed(0)
    model = cnn().to(dev)
    x, y, v = d.x[:, None].to(dev), d.y.to(dev), d.is_valid.to(dev)
    xt, yt, xv, yv = x[~v], y[~v], x[v], y[v]
    n_batches = -(-len(xt) // BS)
    opt = torch.optim.AdamW(model.parameters(), lr=LR)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=EPOCHS * n_batches, pct_start=0.25, div_factor=25., final_div_factor=1e5)
    step, t = 0, time.perf_counter()
    for _ in range(EPOCHS):
        model.train()
        perm = torch.randperm(len(xt), device=dev)
        for i in range(n_batches):
            idx = perm[i * BS:(i + 1) * BS]
            loss = F.cross_entropy(model(xt[idx]), yt[idx]); loss.backward(); opt.step(); opt.zero_grad(); step += 1
            if step < EPOCHS * n_batches: sched.step()
            loss.item()   # the Learner records every batch's loss, so the loop does the same
        model.eval(); correct, total = 0., 0.
        with torch.no_grad():
            for i in range(0, len(xv), 2 * BS):
                p = model(xv[i:i + 2 * BS]); l = F.cross_entropy(p, yv[i:i + 2 * BS])
                l.item(); correct += (p.argmax(1) == yv[i:i + 2 * BS]).sum().item(); total += len(p)
    return (time.perf_counter() - t) / EPOCHS, correct / total

def learner_run(d, dev):
    set_seed(0)
    dls = DataLoaders.from_tensors(d.x[:, None].to(dev), d.y.to(dev), d.is_valid, bs=BS)
    learn = Learner(cnn(), dls, F.cross_entropy, cbs=[MetricsCB(accuracy)])
    learn.progress.plain = True
    import contextlib, io
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()): learn.fit_one_cycle(EPOCHS, LR)
    return (time.perf_counter() - t) / EPOCHS, learn.recorder.epoch_rows[-1]['accuracy']

def main():
    dev = default_device(); d = load_mnist()
    hand_loop(d, dev); learner_run(d, dev)   # warm-up: first-call costs are not overhead
    res = {'hand': [], 'learner': []}
    for _ in range(3):
        for name, f in [('hand', hand_loop), ('learner', learner_run)]:
            res[name].append(f(d, dev))
    med = {k: statistics.median(t for t, _ in v) for k, v in res.items()}
    ratio = med['learner'] / med['hand']
    print(f"device {dev}, torch {torch.__version__}, {torch.get_num_threads()} threads")
    for k in res: print(f"{k:<8} median s/epoch {med[k]:.3f}  (runs: {', '.join(f'{t:.3f}' for t, _ in res[k])}; final accuracy {res[k][-1][1]:.3f})")
    print(f"ratio learner / hand-written loop: {ratio:.3f} (goal <= 1.10; fastai 2.8.12 measured 1.37 here)")
    out = Path(__file__).parent/'results'/'learner_overhead.json'; out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({'device': str(dev), 'torch': torch.__version__, 's_per_epoch': med, 'ratio': round(ratio, 3)}, indent=1) + '\n')

if __name__ == '__main__': main()

"""Transfer learning in lesson 03b, over seeds: `fine_tune` against the frozen-feature probe, logistic regression on pixels and a
CNN from scratch, at k = 10, 50 and 400 labelled digits per class; then variants of `fine_tune` at k = 50, and the digit-position
regressor (V7) with a pretrained body against the small CNN from scratch.

Usage: python bench/transfer.py [--part main variants long scratch points] [--seeds 5] [--seeds-large 3] [--seeds-variants 3]
   (about 55 minutes on a 2-core CPU: main 20, variants 10, long 8, scratch 10, points 5)
The scratch CNN is the baseline at fine_tune's own number of optimizer steps at each k (`--part scratch`, which replaces the
scratch runs of `--part main`), and also trained for 8,000 steps (converged) on 3 seeds.
Writes bench/results/transfer.json (each part replaces its own runs, so parts can run separately); nbs/03b_transfer_learning.ipynb
loads it and checks its own seed-0 runs against it. The recipes are the notebook's, through the functions it exports
(coursekit.transfer, coursekit.transfer_digits): the same subsets (`low_label_subset`), images, augmentation (`PresizeCB`) and `fine_tune` settings.
Validation is skipped during each fit here (the notebook shows it every epoch); it does not change training.
"""
import argparse, json, math, platform, time
from datetime import datetime
from pathlib import Path
import numpy as np, torch
from torch import nn
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from coursekit.core import set_seed, sigmoid_range
from coursekit.data import load_mnist
from coursekit.learner import Learner
from coursekit.metrics import paired_interval
from coursekit.loaders import DataLoaders
from coursekit.callback import Callback, CancelEpochException, DeviceCB
from coursekit.transfer import create_model, effnet_splitter, fine_tune, body_features
from coursekit.transfer_digits import digits_to_rgb, low_label_subset, PresizeCB, scratch_cnn, make_canvas, PointNet, pretrained_point_model

OUT = Path(__file__).parent/'results'/'transfer.json'
KS = (10, 50, 400)
FT = dict(px=96, item_px=128, epochs=8, base_lr=1e-2, bs=32)      # the lesson's fine_tune recipe
SCRATCH_STEPS, SCRATCH_LR = 2000, 3e-3

class TrainOnlyCB(Callback):
    "Skip validation epochs during fit (accuracy is read once at the end with get_preds)."
    order, fit_only = -100, True
    def before_epoch(self):
        if not self.learn.training: raise CancelEpochException()

def _dls(x, y, n_train, bs):
    mask = torch.zeros(len(x), dtype=torch.bool); mask[n_train:] = True
    return DataLoaders.from_tensors(x, y, mask, bs=bs)

def _accuracy(learn):
    p, t = learn.get_preds()
    return (p.argmax(1) == t)

def ft_schedule(n_items, epochs=8, bs=32, k50_items=500):
    "How often to repeat the training rows, and how many unfrozen epochs, so that every k gets k = 50's optimizer steps (or one epoch more)."
    reps = max(1, math.ceil(k50_items / n_items))                  # k = 10: each digit 5 times per epoch, as many steps as k = 50
    per_epoch, budget = math.ceil(n_items * reps / bs), math.ceil(k50_items / bs) * epochs
    return reps, max(1, round(budget / per_epoch))                 # k = 400: 125 steps per epoch, so one unfrozen epoch

def run_fine_tune(d, val, idx, seed, px=96, item_px=128, epochs=8, base_lr=1e-2, bs=32, aug=True, train_bn=True):
    "Validation correctness (bool per digit), seconds and optimizer steps of `fine_tune` on rows `idx`."
    reps, epochs = ft_schedule(len(idx), epochs, bs)
    trn = idx.repeat(reps)
    rows = torch.cat([trn, val])
    x = digits_to_rgb(d.x[rows], size=item_px, margin=round(4 * item_px / 96))
    set_seed(seed)
    cb = PresizeCB(px) if aug else PresizeCB(px, min_scale=1, max_rotate=0, max_ratio=1)
    learn = Learner(create_model('effnet_lite0', n_out=10), _dls(x, d.y[rows], len(trn), bs), F.cross_entropy, lr=base_lr,
                    splitter=effnet_splitter, cbs=[DeviceCB(), cb, TrainOnlyCB()], default_cbs=False)
    t0 = time.perf_counter(); fine_tune(learn, epochs, base_lr, train_bn=train_bn); secs = time.perf_counter() - t0
    return _accuracy(learn), secs, (epochs + 1) * math.ceil(len(trn) / bs)

def run_scratch(d, val, idx, seed, steps=SCRATCH_STEPS, bs=32, lr=None):
    "The small CNN from scratch on the 28 px digits, with the same kind of augmentation, for a fixed number of optimizer steps."
    lr = lr or SCRATCH_LR
    n = steps * bs if steps * bs <= 8000 else 4000                 # a short budget is one epoch of exactly `steps` batches
    trn = idx.repeat(math.ceil(n / len(idx)))[:max(n, len(idx))]
    epochs = max(1, round(steps / math.ceil(len(trn) / bs)))
    rows = torch.cat([trn, val])
    set_seed(seed)
    learn = Learner(scratch_cnn(), _dls(d.x[rows, None], d.y[rows], len(trn), bs), F.cross_entropy, lr=lr,
                    cbs=[DeviceCB(), PresizeCB(28, norm=None), TrainOnlyCB()], default_cbs=False)
    t0 = time.perf_counter(); learn.fit_one_cycle(epochs, lr); secs = time.perf_counter() - t0
    return _accuracy(learn), secs, epochs * math.ceil(len(trn) / bs)

def probe(X, y, idx, val):
    "Logistic regression on features `X` of rows `idx`: correctness on `val`."
    lr = LogisticRegression(C=0.5, max_iter=300).fit(X[idx].numpy(), y[idx].numpy())
    return torch.from_numpy(lr.predict(X[val].numpy()) == y[val].numpy())

def _row(k, seed, method, correct, **kw):
    r = dict(k=k, seed=seed, method=method, accuracy=round(float(correct.float().mean()), 4),
             correct=np.packbits(correct.numpy()).tobytes().hex(), **kw)
    print({a: b for a, b in r.items() if a != 'correct'}, flush=True)
    return r

def part_main(d, val, seeds, seeds_large):
    model = create_model('effnet_lite0').eval()
    t0 = time.perf_counter()
    feats = body_features(model, digits_to_rgb(d.x, size=96, margin=4))
    print(f'features of {len(d.x)} digits in {time.perf_counter() - t0:.0f} s', flush=True)
    runs = []
    for k in (50, 10, 400):                                          # the lesson's k first
        for seed in range(seeds_large if k == 400 else seeds):
            idx = low_label_subset(d.y, d.is_valid, k, seed)
            runs.append(_row(k, seed, 'probe', probe(feats, d.y, idx, val)))
            runs.append(_row(k, seed, 'pixels', probe(d.x.flatten(1), d.y, idx, val)))
            c, s, steps = run_scratch(d, val, idx, seed)
            runs.append(_row(k, seed, 'scratch', c, seconds=round(s, 1), steps=steps))
            c, s, steps = run_fine_tune(d, val, idx, seed, **FT)
            runs.append(_row(k, seed, 'fine_tune', c, seconds=round(s, 1), steps=steps))
    return runs

VARIANTS = {  # name -> run_fine_tune settings at k = 50 (the lesson's recipe with one thing changed)
    'fine_tune, augmented at 96 px': dict(FT, item_px=96),
    'fine_tune, frozen BatchNorm': dict(FT, train_bn=False),
    'fine_tune, 48 px, 4 epochs, no augmentation': dict(FT, px=48, item_px=48, epochs=4, aug=False),
}

LONG = {'fine_tune, 16 epochs': dict(FT, epochs=16)}   # twice the budget: does fine_tune gain from more steps too?

def part_variants(d, val, seeds, variants=VARIANTS):
    runs = []
    for seed in range(seeds):
        idx = low_label_subset(d.y, d.is_valid, 50, seed)
        for name, kw in variants.items():
            c, s, steps = run_fine_tune(d, val, idx, seed, **kw)
            runs.append(_row(50, seed, name, c, seconds=round(s, 1), steps=steps))
    return runs

SCRATCH_SAME_LR = 3e-2      # best of 3e-3, 1e-2, 3e-2, 1e-1 for 144 steps at k = 50, seed 0 (accuracy 0.399, 0.596, 0.786, 0.635)
CONVERGED_STEPS = 8000

def part_scratch(d, val, seeds, seeds_large, seeds_converged):
    "The scratch CNN at fine_tune's own number of optimizer steps at each k (the main baseline), and trained 8,000 steps (converged)."
    runs = []
    for k in KS:
        for seed in range(seeds_large if k == 400 else seeds):
            idx = low_label_subset(d.y, d.is_valid, k, seed)
            reps, epochs = ft_schedule(k * 10)
            c, s, steps = run_scratch(d, val, idx, seed, steps=(epochs + 1) * math.ceil(k * 10 * reps / 32), lr=SCRATCH_SAME_LR)
            runs.append(_row(k, seed, 'scratch', c, seconds=round(s, 1), steps=steps))
            if seed < seeds_converged:
                c, s, steps = run_scratch(d, val, idx, seed, steps=CONVERGED_STEPS)
                runs.append(_row(k, seed, 'scratch, 8,000 steps', c, seconds=round(s, 1), steps=steps))
    return runs

def part_points(d, seeds):
    "V7: the digit-position regressor, pretrained body against the small CNN from scratch (validation RMSE in pixels)."
    trn_all, val = torch.where(~d.is_valid)[0], torch.where(d.is_valid)[0]
    runs = []
    for seed in range(seeds):
        trn = trn_all[torch.randperm(len(trn_all), generator=torch.Generator().manual_seed(seed))[:2000]]
        (xt, yt), (xv, yv) = make_canvas(d.x[trn], seed), make_canvas(d.x[val], 1000 + seed)
        for name in ('scratch', 'pretrained'):
            set_seed(seed)
            x = torch.cat([xt, xv])
            dls = _dls(x if name == 'scratch' else x.expand(-1, 3, -1, -1), torch.cat([yt, yv]), len(xt), 64)
            t0 = time.perf_counter()
            if name == 'scratch':
                learn = Learner(PointNet(), dls, F.mse_loss, lr=3e-3, cbs=[DeviceCB(), TrainOnlyCB()], default_cbs=False)
                learn.fit_one_cycle(6, 3e-3)
            else:
                learn = Learner(pretrained_point_model(), dls, F.mse_loss, lr=1e-2, splitter=effnet_splitter,
                                cbs=[DeviceCB(), PresizeCB(48, min_scale=1, max_rotate=0, max_ratio=1), TrainOnlyCB()], default_cbs=False)
                fine_tune(learn, 3, 1e-2)
            secs = time.perf_counter() - t0
            p, t = learn.get_preds()
            rmse = float(F.mse_loss(p, t)) ** 0.5 * xt.shape[-1]
            runs.append(dict(seed=seed, method=name, rmse_px=round(rmse, 3), seconds=round(secs, 1)))
            print(runs[-1], flush=True)
    return runs

def interval(a, b):
    "Mean and 95% t-interval of the paired per-seed differences a - b (`coursekit.metrics.paired_interval`)."
    m, lo, hi = paired_interval(a, b)
    return dict(mean=round(m, 4), lo=round(lo, 4), hi=round(hi, 4), n=len(a))

def bootstrap(ca, cb, n_boot=2000, seed=0, level=0.95):
    "Paired bootstrap over validation digits of the seed-averaged accuracy difference (a - b)."
    g = np.random.default_rng(seed)
    diff = ca.mean(0) - cb.mean(0)
    means = np.array([diff[g.integers(0, len(diff), len(diff))].mean() for _ in range(n_boot)])
    return dict(mean=round(diff.mean(), 4), lo=round(float(np.quantile(means, (1 - level) / 2)), 4),
                hi=round(float(np.quantile(means, (1 + level) / 2)), 4))

def summarise(runs):
    "Per k: mean/min/max of each method, and fine_tune minus each other method: t-interval over seeds and validation bootstrap."
    bits = lambda r: np.unpackbits(np.frombuffer(bytes.fromhex(r['correct']), np.uint8))[:1000].astype(float)
    out = {}
    for k in sorted({r['k'] for r in runs}):
        rk = [r for r in runs if r['k'] == k]
        methods = sorted({r['method'] for r in rk})
        acc = {m: {r['seed']: r['accuracy'] for r in rk if r['method'] == m} for m in methods}
        s = dict(methods={m: dict(mean=round(float(np.mean(list(v.values()))), 4), min=min(v.values()), max=max(v.values()), n=len(v))
                          for m, v in acc.items()}, fine_tune_minus={})
        for m in methods:
            if m == 'fine_tune' or 'fine_tune' not in acc: continue
            common = sorted(set(acc['fine_tune']) & set(acc[m]))
            ca = np.stack([bits(r) for sd in common for r in rk if r['method'] == 'fine_tune' and r['seed'] == sd])
            cb = np.stack([bits(r) for sd in common for r in rk if r['method'] == m and r['seed'] == sd])
            s['fine_tune_minus'][m] = dict(seeds=interval([acc['fine_tune'][sd] for sd in common], [acc[m][sd] for sd in common]),
                                           bootstrap=bootstrap(ca, cb))
        out[str(k)] = s
    return out

def main(parts, seeds, seeds_large, seeds_variants):
    t_start = time.perf_counter()
    torch.set_num_threads(min(2, torch.get_num_threads()))   # OMP_NUM_THREADS=1 when the CPU is shared
    d = load_mnist(); val = torch.where(d.is_valid)[0]
    old = json.loads(OUT.read_text()) if OUT.exists() else {}
    runs, points = old.get('runs', []), old.get('points', [])
    if 'main' in parts:
        runs = [r for r in runs if r['method'] not in ('fine_tune', 'probe', 'pixels', 'scratch')] + part_main(d, val, seeds, seeds_large)
    if 'variants' in parts:
        runs = [r for r in runs if not r['method'].startswith('fine_tune, ') or r['method'] in LONG] + part_variants(d, val, seeds_variants)
    if 'long' in parts:
        runs = [r for r in runs if r['method'] not in LONG] + part_variants(d, val, seeds_variants, LONG)
    if 'scratch' in parts:
        runs = [r for r in runs if not r['method'].startswith('scratch')] + part_scratch(d, val, seeds, seeds_large, seeds_variants)
    if 'points' in parts: points = part_points(d, seeds_variants)
    out = dict(notebook='03b_transfer_learning', when=datetime.now().strftime('%Y-%m-%d %H:%M'), device='cpu',
               cpu_threads=torch.get_num_threads(), torch=torch.__version__, machine=platform.machine(),
               recipe=dict(fine_tune=FT, scratch=dict(steps="fine_tune's at each k", lr=SCRATCH_SAME_LR, bs=32, converged_steps=CONVERGED_STEPS, converged_lr=SCRATCH_LR), probe='LogisticRegression(C=0.5) on body_features at 96 px'),
               command=f"python bench/transfer.py --part {' '.join(parts)} --seeds {seeds} --seeds-large {seeds_large} --seeds-variants {seeds_variants}",
               seconds={**old.get('seconds', {}), ' '.join(parts): round(time.perf_counter() - t_start)},
               runs=runs, summary=summarise(runs), points=points)
    tmp = OUT.with_suffix('.tmp'); tmp.write_text(json.dumps(out, indent=1) + '\n'); tmp.replace(OUT)
    print(f'wrote {OUT} in {round(time.perf_counter() - t_start)} s')
    print(json.dumps(out['summary'], indent=1))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--part', nargs='+', default=['main', 'variants', 'long', 'scratch', 'points'], choices=['main', 'variants', 'long', 'scratch', 'points'])
    ap.add_argument('--seeds', type=int, default=5); ap.add_argument('--seeds-large', type=int, default=3)
    ap.add_argument('--seeds-variants', type=int, default=3)
    a = ap.parse_args(); main(a.part, a.seeds, a.seeds_large, a.seeds_variants)

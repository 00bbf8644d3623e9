"""Lesson 04b's search for a setting where Mixup pays off: Mixup against the baseline, paired over seeds, in settings that favour it.

fastbook says Mixup needs many epochs (and a model big enough to overfit) to pay off. Lesson 04b's long budget (40 epochs at 14 px,
`small_resnet` of width 8, 2,000 digits, the training augmentation; bench/tricks.py) did not show it. This script moves each lever
that should favour Mixup: more epochs, a wider model, fewer digits, no augmentation (Mixup as the only regulariser), fastai's
per-item blend weights, and a larger alpha; and, as in the Mixup paper's corrupted-label experiment (Zhang et al. 2018, section 3.4),
training labels that are partly wrong: each label of the training digits is replaced, with probability `noise`, by another class
drawn uniformly (seeded per run; the validation labels stay correct). Every run is `coursekit.tricks_harness.fit_trick`, as in
the notebook.

Usage: python bench/mixup.py [--seeds 3] [--only SETTING ...]   (every setting: about 30 minutes on a 2-core CPU)
Writes bench/results/mixup.json (runs and, per setting, the paired 95% t-interval of Mixup minus baseline); the notebook loads it.
--only reruns the named settings and keeps the file's other settings as they are.
"""
import argparse, json, platform, sys, time
from datetime import datetime
from functools import partial
from pathlib import Path
import torch
import torch.nn.functional as F
import coursekit.tricks_harness as harness
from coursekit.core import default_device
from coursekit.metrics import paired_interval
from coursekit.tricks import MixupCB
from coursekit.vision import random_affine, BatchAugmentCB

class ItemMixupCB(MixupCB):
    "fastai's MixUp: one blend weight per image, lam ~ Beta(alpha, alpha) then max(lam, 1 - lam); the loss blended per image."
    def before_batch(self):
        if not self.learn.training: return
        x = self.learn.xb[0]
        lam = torch.distributions.Beta(self.alpha, self.alpha).sample((len(x),)).to(x.device)
        self.lam = torch.maximum(lam, 1 - lam)
        self.perm = torch.randperm(len(x), device=x.device)
        self.learn.xb = (torch.lerp(x[self.perm], x, self.lam[:, None, None, None]), *self.learn.xb[1:])
    def mixed_loss(self, preds, y):
        if not self.learn.training: return self.loss_func(preds, y)
        ce = partial(F.cross_entropy, reduction='none')
        return (self.lam * ce(preds, y) + (1 - self.lam) * ce(preds, y[self.perm])).mean()

# name -> (width, image side, epochs, training digits, augmentation, blend per 'batch' or per 'item', alpha[, share of wrong training labels])
SETTINGS = {
    "lesson's long budget": (8, 14, 40, 2000, True, 'batch', 0.4),
    '2x the epochs': (8, 14, 80, 2000, True, 'batch', 0.4),
    'full size (28 px)': (8, 28, 40, 2000, True, 'batch', 0.4),
    'full size, 2x the epochs': (8, 28, 80, 2000, True, 'batch', 0.4),
    '4x the width': (32, 14, 40, 2000, True, 'batch', 0.4),
    'no augmentation': (8, 14, 40, 2000, False, 'batch', 0.4),
    '500 digits': (8, 14, 40, 500, True, 'batch', 0.4),
    '500 digits, 4x width, 100 epochs, no augmentation': (32, 14, 100, 500, False, 'batch', 0.4),
    '... and per-image blends (fastai)': (32, 14, 100, 500, False, 'item', 0.4),
    '... and alpha 1': (32, 14, 100, 500, False, 'batch', 1.0),
    "lesson's long budget, 30% of training labels wrong": (8, 14, 40, 2000, True, 'batch', 0.4, 0.3),
    '30% of training labels wrong, alpha 1': (8, 14, 40, 2000, True, 'batch', 1.0, 0.3),
}

def corrupt_labels(y:torch.Tensor, noise:float, seed:int, n_classes:int=10)->torch.Tensor:
    "`y` with each label replaced, with probability `noise`, by a different class drawn uniformly (seeded)."
    g = torch.Generator().manual_seed(1000 + seed)
    flip = torch.rand(len(y), generator=g) < noise
    return torch.where(flip, (y + torch.randint(1, n_classes, (len(y),), generator=g)) % n_classes, y)

def main(seeds:int, only:list|None=None):
    t_start = time.perf_counter()
    f = Path(__file__).parent/'results'/'mixup.json'
    old = json.loads(f.read_text()) if only and f.exists() else dict(summary={}, runs=[], commands=[])
    runs = [r for r in old['runs'] if only and r['setting'] not in only]
    summary = {k: {**v, 'noise': v.get('noise', 0.)} for k, v in old['summary'].items() if only and k not in only}
    for name, (width, size, epochs, n_train, aug, blend, alpha, *noise) in SETTINGS.items():
        noise = noise[0] if noise else 0.
        if only and name not in only: continue
        harness.MixupCB = partial(ItemMixupCB if blend == 'item' else MixupCB, alpha)   # what fit_trick builds for 'Mixup'
        augment = (lambda: BatchAugmentCB(partial(random_affine, **harness.AUGMENT))) if aug else None
        data = harness.digits_subset(n_train, size=size)
        acc, (x_train, y_train, x_valid, y_valid) = {}, data
        for seed in range(seeds):
            seed_data = (x_train, corrupt_labels(y_train, noise, seed) if noise else y_train, x_valid, y_valid)
            for trick in ('baseline', 'Mixup'):
                r = harness.fit_trick(trick, seed, seed_data, epochs, width, 1e-2, augment)
                acc.setdefault(trick, []).append(round(r['acc'], 4))
                runs.append(dict(setting=name, trick=trick, seed=seed, accuracy=round(r['acc'], 4), seconds=round(r['secs'], 1)))
                print(runs[-1], flush=True)
        m, lo, hi = paired_interval(acc['Mixup'], acc['baseline'])
        summary[name] = dict(width=width, px=size, epochs=epochs, n_train=n_train, augment=aug, blend=blend, alpha=alpha, noise=noise,
                             baseline=round(sum(acc['baseline']) / seeds, 4), mixup=round(sum(acc['Mixup']) / seeds, 4),
                             gain=round(m, 4), lo=round(lo, 4), hi=round(hi, 4), seeds=seeds)
    harness.MixupCB = MixupCB
    summary = {k: summary[k] for k in SETTINGS if k in summary}   # in the order of SETTINGS
    command = f'python bench/mixup.py --seeds {seeds}' + (' --only ' + ' '.join(repr(o) for o in only) if only else '')
    out = dict(notebook='04b_sota_training', when=datetime.now().strftime('%Y-%m-%d %H:%M'), device=str(default_device()),
               cpu_threads=torch.get_num_threads(), torch=torch.__version__, machine=platform.machine(),
               seconds=round(time.perf_counter() - t_start), lr=1e-2, summary=summary, runs=runs,
               commands=old.get('commands', [old['command']] if 'command' in old else []) + [command])
    tmp = f.with_suffix('.tmp'); tmp.write_text(json.dumps(out, indent=1) + '\n'); tmp.replace(f)
    print(f'wrote {f} in {out["seconds"]} s')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--only', nargs='+', choices=list(SETTINGS), help='rerun these settings only; keep the others from the file')
    a = ap.parse_args()
    if a.seeds < 3: sys.exit('use at least 3 seeds: the notebook reads paired intervals over them')
    main(a.seeds, a.only)

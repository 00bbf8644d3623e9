"""Lesson 04b's tricks over seeds: every trick of `coursekit.tricks_harness.TRICKS` at the short budget, the baseline, Mixup and label
smoothing at the long budget, and test-time augmentation of every baseline model.

Usage: python bench/tricks.py [--seeds 10] [--long-seeds 10]   (about 15 minutes on a 2-core CPU)
Writes bench/results/tricks.json; nbs/04b_sota_training.ipynb loads it, checks its own runs against it and reads the verdicts of
its P6 table from it. The data, model, augmentation, budgets and seeds are the notebook's, through the functions it exports
(coursekit.tricks); seeds are 0, 1, ..., so the notebook's seeds are among them.
"""
import argparse, json, platform, sys, time
from datetime import datetime
from functools import partial
from pathlib import Path
import torch
from coursekit.core import default_device
from coursekit.vision import random_affine, BatchAugmentCB
from coursekit.tricks import tta_predict
from coursekit.tricks_harness import AUGMENT, BUDGETS, TRICKS, digits_subset, fit_trick

N_TRAIN, WIDTH, LR, N_AUG = 2000, 8, 1e-2, 4  # the notebook's settings
LONG = ('baseline', 'Mixup', 'label smoothing')  # the tricks said to pay off with more epochs

def main(seeds:int, long_seeds:int):
    t_start = time.perf_counter()
    tfm = partial(random_affine, **AUGMENT)
    augment = lambda: BatchAugmentCB(tfm)
    runs = []
    for budget, n_seeds, tricks in [('short', seeds, list(TRICKS)), ('long', long_seeds, LONG)]:
        data = digits_subset(N_TRAIN, size=BUDGETS[budget]['size'])
        x_valid, y_valid = data[2], data[3]
        for seed in range(n_seeds):
            for trick in tricks:
                r = fit_trick(trick, seed, data, BUDGETS[budget]['epochs'], WIDTH, LR, augment)
                row = dict(budget=budget, trick=trick, seed=seed, accuracy=round(r['acc'], 4), confidence=round(r['conf'], 4),
                           seconds=round(r['secs'], 2), epoch_seconds=[round(s, 3) for s in r['learn'].train_time.epoch_secs])
                if trick == 'baseline':   # TTA of the baseline's model, with the training augmentation, as the notebook does it
                    torch.manual_seed(seed)
                    _, tta = tta_predict(r['learn'].model, x_valid, tfm, n_aug=N_AUG)
                    row['tta_accuracy'] = round((tta.argmax(1) == y_valid).float().mean().item(), 4)
                runs.append(row)
                print(row, flush=True)
    out = dict(notebook='04b_sota_training', when=datetime.now().strftime('%Y-%m-%d %H:%M'), device=str(default_device()),
               cpu_threads=torch.get_num_threads(), torch=torch.__version__, machine=platform.machine(),
               seconds=round(time.perf_counter() - t_start), settings=dict(n_train=N_TRAIN, width=WIDTH, lr=LR, n_aug=N_AUG,
               augment=AUGMENT, budgets=BUDGETS), runs=runs,
               command=f'python bench/tricks.py --seeds {seeds} --long-seeds {long_seeds}')
    f = Path(__file__).parent/'results'/'tricks.json'
    tmp = f.with_suffix('.tmp'); tmp.write_text(json.dumps(out, indent=1) + '\n'); tmp.replace(f)
    print(f'wrote {f} in {out["seconds"]} s')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', type=int, default=10); ap.add_argument('--long-seeds', type=int, default=10)
    a = ap.parse_args()
    if min(a.seeds, a.long_seeds) < 3: sys.exit('use at least 3 seeds per budget: the notebook reads intervals over them')
    main(a.seeds, a.long_seeds)

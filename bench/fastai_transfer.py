"""fastai's own `Learner.fine_tune` on lesson 03b's weights, digits and budget: the outside reference figure of lesson 03b.

Data (benchmarks.md): mnist5k; training rows `low_label_subset(y, is_valid, k=50, seed)` (500 digits, 50 per class), scored on
all 1,000 validation digits; images `normalize(digits_to_rgb(x, size=96, margin=4))`. Model: `create_model('effnet_lite0',
n_out=10)` (timm EfficientNet-Lite0 with the packaged ImageNet weights, a new 10-class head), parameter groups from
`effnet_splitter` (early body, late body, head). Budget: `fine_tune(8, base_lr=1e-2)` (one frozen epoch, then 8), batch 32.

fastai side: `DataLoaders.from_dsets` over lists of (image, label) tuples (batch 32; fastai's defaults for the training loader:
shuffled, last partial batch dropped), `Learner(dls, model, loss_func=CrossEntropyLossFlat(), metrics=accuracy,
splitter=<effnet_splitter's groups>, cbs=[])` with every other setting fastai's default (Adam mom 0.9, sqr_mom 0.99, eps 1e-5,
wd 0.01 decoupled and not on BatchNorm/bias, train_bn=True), `fastai.torch_core.set_seed(seed, reproducible=False)` before the
loaders and the model; accuracy from `learn.validate()`.
coursekit side, the same seed right after (so each pair met the same load on the shared CPU): `coursekit.core.set_seed(seed)`,
`DataLoaders.from_tensors(..., bs=32)`, `Learner(..., F.cross_entropy, lr=1e-2, splitter=effnet_splitter, default_cbs=False)`
with `DeviceCB(), Recorder()`, `coursekit.transfer.fine_tune(learn, 8, base_lr=1e-2)`; accuracy from `get_preds`.
Only `fine_tune` is timed (time.perf_counter). `os.getloadavg()[0]` is recorded before each timed run: the CPU is shared.
Two torch threads. Writes the "03b_transfer_learning" key of bench/references.json (only that key; atomically) and the raw
rows to /tmp/fastai_ref/fastai_transfer.json.

fastai is never a coursekit dependency, and nothing is installed into the project's venv. fastai 2.8.12 and the pure-Python
packages it needs that the venv lacks go into a separate folder, which shadows nothing the venv has (fastcore 2.2.41,
fastprogress, torch, torchvision, timm are the venv's own, so both libraries run on the same torch and the same model code):
  .venv/bin/python -m pip install --target /tmp/fastai_ref/pkgs --no-deps fastai==2.8.12 plum-dispatch==2.9.0 \\
      fasttransform==0.0.5 fastdownload==0.0.8 beartype==0.23.1
  OMP_NUM_THREADS=2 PYTHONPATH=/tmp/fastai_ref/pkgs:$PWD .venv/bin/python bench/fastai_transfer.py [--seeds 0 1 2]
(Check: `PYTHONPATH=/tmp/fastai_ref/pkgs:$PWD .venv/bin/python -c 'import fastai.vision.all'`.)
"""
import argparse, json, os, platform, statistics, subprocess, tempfile, time
from pathlib import Path
import torch
import torch.nn.functional as F
import fastai
from fastai.torch_core import set_seed as fastai_set_seed
from fastai.data.core import DataLoaders as FastaiDataLoaders
from fastai.learner import Learner as FastaiLearner
from fastai.losses import CrossEntropyLossFlat
from fastai.metrics import accuracy
import fastai.callback.schedule  # noqa: F401  (patches fit_one_cycle and fine_tune onto fastai's Learner)
from coursekit.core import set_seed
from coursekit.data import load_mnist
from coursekit.loaders import DataLoaders
from coursekit.learner import Learner
from coursekit.callback import DeviceCB, Recorder
from coursekit.transfer import create_model, normalize, effnet_splitter, fine_tune
from coursekit.transfer_digits import digits_to_rgb, low_label_subset

torch.set_num_threads(2)
ARCH, K, SIZE, MARGIN, BS, EPOCHS, BASE_LR = 'effnet_lite0', 50, 96, 4, 32, 8, 1e-2
root = Path(__file__).resolve().parent.parent
COMMAND = 'OMP_NUM_THREADS=2 PYTHONPATH=/tmp/fastai_ref/pkgs:$PWD .venv/bin/python bench/fastai_transfer.py'
SPLIT = 'mnist5k (benchmarks.md), low_label_subset k=50 seeds 0-2, 1,000 validation digits'
RAW = Path('/tmp/fastai_ref/fastai_transfer.json')

def images(d, rows):
    "Normalised 3-channel 96 px digits of `rows`, contiguous float (n, 3, 96, 96)."
    return normalize(digits_to_rgb(d.x[rows], size=SIZE, margin=MARGIN), ARCH).contiguous()

def groups(m):
    "effnet_splitter's three parameter groups, checked to cover every parameter once."
    g = [list(o) for o in effnet_splitter(m)]
    assert len(g) == 3 and sum(p.numel() for o in g for p in o) == sum(p.numel() for p in m.parameters())
    return g

def fastai_run(xt, yt, xv, yv, seed):
    "fastai's fine_tune with its defaults; (validation accuracy, seconds of fine_tune, load average before it)."
    fastai_set_seed(seed, reproducible=False)
    dls = FastaiDataLoaders.from_dsets(list(zip(xt, yt)), list(zip(xv, yv)), bs=BS)
    learn = FastaiLearner(dls, create_model(ARCH, n_out=10), loss_func=CrossEntropyLossFlat(), metrics=accuracy, splitter=groups, cbs=[])
    learn.recorder.silent = True
    load = os.getloadavg()[0]
    with learn.no_bar(), learn.no_logging():
        t = time.perf_counter(); learn.fine_tune(EPOCHS, base_lr=BASE_LR); sec = time.perf_counter() - t
        acc = float(learn.validate()[1])
    assert len(dls.train.dataset) == len(yt) and len(dls.valid.dataset) == len(yv) == 1000
    return dict(acc=acc, sec=sec, load=load, train_batches=len(dls.train))

def coursekit_run(x, y, is_valid, seed):
    "coursekit.transfer.fine_tune on the same data; (validation accuracy, seconds of fine_tune, load average before it)."
    set_seed(seed)
    dls = DataLoaders.from_tensors(x, y, is_valid, bs=BS)
    learn = Learner(create_model(ARCH, n_out=10), dls, F.cross_entropy, lr=BASE_LR, splitter=effnet_splitter, default_cbs=False)
    learn.add_cbs([DeviceCB(), Recorder()])
    load = os.getloadavg()[0]
    t = time.perf_counter(); fine_tune(learn, EPOCHS, base_lr=BASE_LR); sec = time.perf_counter() - t
    preds, targs = learn.get_preds()
    assert len(targs) == 1000
    return dict(acc=float((preds.argmax(1) == targs).float().mean()), sec=sec, load=load, train_batches=len(dls.train))

def coursekit_tree():
    "HEAD and the uncommitted changes under coursekit/ when the modules were imported (others edit this tree)."
    git = lambda *a: subprocess.run(['git', *a], cwd=root, capture_output=True, text=True).stdout
    dirty = [l[3:] for l in git('status', '--porcelain', '--', 'coursekit').splitlines() if l.strip()]
    return f"HEAD {git('rev-parse', '--short', 'HEAD').strip()}" + (f" + uncommitted changes to {', '.join(dirty)}" if dirty else '')

def write_key(key, value):
    "Set `key` of bench/references.json, leaving the other keys as they are; written atomically (tmp file + replace)."
    path = root/'bench'/'references.json'
    refs = json.loads(path.read_text())
    refs[key] = value
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix='.references.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'w') as f: f.write(json.dumps(refs, indent=1, ensure_ascii=False) + '\n')
        os.chmod(tmp, 0o644); os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp): os.remove(tmp)
        raise

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--no-write', action='store_true', help='print only; leave bench/references.json alone')
    ap.add_argument('--add', action='store_true', help='merge these seeds into the recorded ones (all timed alone on the CPU)')
    args = ap.parse_args()
    if args.add:
        old = json.loads((root/'bench'/'references.json').read_text())['03b_transfer_learning']
        if set(args.seeds) & set(old['fastai_fine_tune_acc']['seeds']):
            raise SystemExit(f"--add: seeds {sorted(set(args.seeds) & set(old['fastai_fine_tune_acc']['seeds']))} are recorded already; pick new ones.")
    tree = coursekit_tree()
    d = load_mnist()
    vrows = torch.where(d.is_valid)[0]
    xv, yv = images(d, vrows), d.y[vrows]
    rows = {'fastai': [], 'coursekit': []}
    for s in args.seeds:                                           # interleaved: each pair meets the same load
        idx = low_label_subset(d.y, d.is_valid, k=K, seed=s)
        assert len(idx) == 10 * K and len(torch.unique(d.y[idx])) == 10
        xt, yt = images(d, idx), d.y[idx]
        rows['fastai'].append(fastai_run(xt, yt, xv, yv, s)); print('fastai', s, rows['fastai'][-1], flush=True)
        x, y = torch.cat([xt, xv]), torch.cat([yt, yv])
        is_valid = torch.cat([torch.zeros(len(yt), dtype=torch.bool), torch.ones(len(yv), dtype=torch.bool)])
        rows['coursekit'].append(coursekit_run(x, y, is_valid, s)); print('coursekit', s, rows['coursekit'][-1], flush=True)
    r4 = lambda v: [round(o, 4) for o in v]
    r1 = lambda v: [round(o, 1) for o in v]
    fa, ck = rows['fastai'], rows['coursekit']
    fa_acc, fa_sec, fa_load = [o['acc'] for o in fa], [o['sec'] for o in fa], [o['load'] for o in fa]
    ck_acc, ck_sec, ck_load = [o['acc'] for o in ck], [o['sec'] for o in ck], [o['load'] for o in ck]
    lib = f'fastai {fastai.__version__}, torch {torch.__version__}'
    common = dict(split=SPLIT, command=COMMAND, seeds=list(args.seeds),
                  machine=(f'{platform.machine()}, CPU, torch threads {torch.get_num_threads()}, shared 2-core CPU (other jobs ran: '
                           f'1-min load average {min(fa_load + ck_load):.1f}-{max(fa_load + ck_load):.1f} before the timed runs)'),
                  measured=time.strftime('%Y-%m-%d'), source='bench/fastai_transfer.py (this repository)')
    data = (f"create_model('{ARCH}', n_out=10) (packaged ImageNet weights), effnet_splitter's 3 groups, "
            f"normalize(digits_to_rgb(x, size={SIZE}, margin={MARGIN})), batch size {BS}, no augmentation")
    fa_recipe = (f'Learner(dls, model, loss_func=CrossEntropyLossFlat(), metrics=accuracy, splitter=effnet_splitter groups, cbs=[]), '
                 f'fastai defaults otherwise (Adam mom 0.9 sqr_mom 0.99 eps 1e-5, wd 0.01 not on BatchNorm/bias, train_bn=True, '
                 f'training loader drops its last partial batch: {fa[0]["train_batches"]} batches/epoch), '
                 f'fine_tune({EPOCHS}, base_lr={BASE_LR}) (freeze_epochs=1); {data}')
    ck_recipe = (f'coursekit.transfer.fine_tune(learn, {EPOCHS}, base_lr={BASE_LR}), Learner(..., F.cross_entropy, lr={BASE_LR}, '
                 f'splitter=effnet_splitter, default_cbs=False) + DeviceCB, Recorder (torch AdamW defaults: betas (0.9, 0.999), '
                 f'eps 1e-8, weight_decay 0.01 on every parameter; {ck[0]["train_batches"]} batches/epoch); {data}')
    refs = {
        'fastai_fine_tune_acc': dict(value=round(statistics.mean(fa_acc), 4), per_seed=r4(fa_acc),
                                     unit='validation accuracy (1,000 digits), mean of seeds', library=lib, recipe=fa_recipe, **common),
        'fastai_fine_tune_sec': dict(value=round(statistics.median(fa_sec), 1), per_seed=r1(fa_sec), load_per_seed=[round(o, 2) for o in fa_load],
                                     unit='s of fine_tune (9 epochs, each with validation), median of seeds; CPU shared with other jobs',
                                     library=lib, recipe=fa_recipe, **common),
        'coursekit_fine_tune_same_run': dict(value=round(statistics.mean(ck_acc), 4), per_seed=r4(ck_acc), sec_per_seed=r1(ck_sec),
                                             load_per_seed=[round(o, 2) for o in ck_load],
                                             unit='validation accuracy (1,000 digits), mean of seeds; each seed trained and timed right '
                                                  'after the fastai run of the same seed, in the same process',
                                             library=f'coursekit ({tree}), torch {torch.__version__}', recipe=ck_recipe, **common)}
    if args.add:                                                  # prepend the recorded seeds' lists to this run's
        for key, new in refs.items():
            prev = old[key]
            for f in ('per_seed', 'sec_per_seed', 'load_per_seed'):
                if f in new: new[f] = prev[f] + new[f]
            new['seeds'] = prev['seeds'] + new['seeds']
            new['value'] = round(statistics.median(new['per_seed']) if key == 'fastai_fine_tune_sec' else statistics.mean(new['per_seed']), 4 if 'acc' in key or 'same_run' in key else 1)
            new['machine'] = f"seeds {prev['seeds']}: {prev['machine']}; seeds {list(args.seeds)}: {new['machine']}"
            new['measured'] = f"{prev['measured']} (seeds {prev['seeds']}), {new['measured']} (seeds {list(args.seeds)})"
            new['command'] = f"{prev['command']} (seeds {prev['seeds']}); {COMMAND} --add --seeds {' '.join(map(str, args.seeds))}"
            if 'library' in prev and prev['library'] != new['library']: new['library'] = f"{prev['library']} (seeds {prev['seeds']}); {new['library']}"
        sec = refs['fastai_fine_tune_sec']
        sec['timed_alone_seeds'] = old['fastai_fine_tune_sec']['timed_alone_seeds'] + list(args.seeds)
        sec['timing_note'] = (old['fastai_fine_tune_sec']['timing_note'] + f"; seeds {list(args.seeds)} ran alone on the CPU, "
                              "on a slower machine than seeds 0-2, so compare times within a seed, not across seeds")
    RAW.parent.mkdir(parents=True, exist_ok=True)
    RAW.write_text(json.dumps(dict(rows=rows, coursekit_tree=tree, refs=refs), indent=1) + '\n')
    if not args.no_write: write_key('03b_transfer_learning', refs)
    print(json.dumps(refs, indent=1))

"""Lesson 03b's fastai reference gap: does fastai's optimizer explain it? coursekit's `fine_tune` (k = 50, 96 px, 8 epochs, base_lr 1e-2,
no augmentation: the recipe of bench/fastai_transfer.py's coursekit side) with torch's AdamW defaults against fastai's defaults
(eps 1e-5, betas (0.9, 0.99), weight decay 0.01 but none on 1-d parameters, i.e. BatchNorm and biases).

Usage: OMP_NUM_THREADS=2 .venv/bin/python bench/transfer_optimizer.py {torch,fastai,fastai_wdall,eps_betas_only} SEED [SEED ...]
Prints one JSON line per seed (accuracy on the 1,000 validation digits, seconds of fine_tune); writes nothing.
Splitting each parameter group into a decayed and an undecayed half changes how many groups the optimizer holds, so this script
maps `OneCycleCB`'s per-group peak rates through each half's `group` key (coursekit's OneCycleCB spreads a slice over
`len(opt.param_groups)`); with the torch variant the mapping is the identity.
"""
import sys, time, json, torch, torch.nn.functional as F
from functools import partial
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parent.parent))
import coursekit.schedule as S
from coursekit.core import set_seed
from coursekit.data import load_mnist
from coursekit.loaders import DataLoaders
from coursekit.learner import Learner
from coursekit.callback import DeviceCB, Recorder
from coursekit.transfer import create_model, normalize, effnet_splitter, fine_tune
from coursekit.transfer_digits import digits_to_rgb, low_label_subset
torch.set_num_threads(2)
# patch OneCycleCB to map split groups
_orig = S.OneCycleCB.before_fit
def before_fit(self):
    n, opt = len(self.learn.dls.train) * self.learn.n_epochs, self.learn.opt
    idx = [g.get('group', i) for i, g in enumerate(opt.param_groups)]
    lrs = S._lrs_for(self.lr_max, max(idx) + 1)
    self.sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[lrs[i] for i in idx], total_steps=n, pct_start=self.pct_start,
        div_factor=self.div, final_div_factor=1e5, cycle_momentum=True, base_momentum=self.moms[1], max_momentum=self.moms[0])
S.OneCycleCB.before_fit = before_fit
def fastai_adamw(param_groups, lr, wd=0.01, eps=1e-5, betas=(0.9, 0.99), bn_bias_wd=False):
    out = []
    for i, g in enumerate(param_groups):
        g = dict(g); ps = list(g.pop('params'))
        for sel, w in ((lambda p: p.ndim > 1, wd), (lambda p: p.ndim <= 1, wd if bn_bias_wd else 0.)):
            q = [p for p in ps if sel(p)]
            if q: out.append({**g, 'params': q, 'group': i, 'weight_decay': w})
    return torch.optim.AdamW(out, lr=lr, eps=eps, betas=betas)
variant = sys.argv[1]
opt = {'torch': torch.optim.AdamW, 'fastai': fastai_adamw, 'fastai_wdall': partial(fastai_adamw, bn_bias_wd=True),
       'eps_betas_only': partial(torch.optim.AdamW, eps=1e-5, betas=(0.9, 0.99))}[variant]
d = load_mnist(); vrows = torch.where(d.is_valid)[0]
img = lambda rows: normalize(digits_to_rgb(d.x[rows], size=96, margin=4), 'effnet_lite0').contiguous()
xv, yv = img(vrows), d.y[vrows]
for s in [int(a) for a in sys.argv[2:]]:
    idx = low_label_subset(d.y, d.is_valid, k=50, seed=s)
    x, y = torch.cat([img(idx), xv]), torch.cat([d.y[idx], yv])
    isv = torch.cat([torch.zeros(len(idx), dtype=torch.bool), torch.ones(1000, dtype=torch.bool)])
    set_seed(s)
    learn = Learner(create_model('effnet_lite0', n_out=10), DataLoaders.from_tensors(x, y, isv, bs=32), F.cross_entropy, lr=1e-2,
                    splitter=effnet_splitter, opt_func=opt, default_cbs=False)
    learn.add_cbs([DeviceCB(), Recorder()])
    t = time.perf_counter(); fine_tune(learn, 8, base_lr=1e-2); sec = time.perf_counter() - t
    p, tg = learn.get_preds()
    print(json.dumps(dict(variant=variant, seed=s, acc=float((p.argmax(1) == tg).float().mean()), sec=round(sec, 1), groups=len(learn.opt.param_groups))), flush=True)

"""Lesson 03b's V7 (where is the digit?): heads for a pretrained body that keep the digit's position, against the scratch `PointNet`.

Usage: .venv/bin/python bench/point_heads.py N_TRAIN SEEDS SPEC [SPEC ...]   with SPEC = kind:px:epochs, kind one of
  scratch  - `PointNet` from scratch, fit_one_cycle(epochs, 3e-3) (the lesson's baseline)
  pooled   - `pretrained_point_model()`: EfficientNet-Lite0, global-pooled features, new head ending in SigmoidRange (the lesson's)
  spatial  - the whole body, its last feature map kept: conv 1x1 to 32 channels, flatten, linear, SigmoidRange
  cutN     - the body cut after its first N blocks (cut3: stride 8, cut5: stride 16), then the spatial head
Pretrained kinds train with `fine_tune(learn, epochs, 1e-2)`. PHOTO=1 pastes the digits on grey crops of scikit-learn's two sample
photos (china.jpg, flower.jpg) instead of a black canvas. Training rows are repeated so that every N_TRAIN gets 2,000 rows' steps.
Prints one JSON line per run (validation RMSE in pixels of the 48 px canvas, seconds); writes nothing.
"""
import sys, time, json, torch, torch.nn.functional as F
from torch import nn
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parent))
from coursekit.core import set_seed
from coursekit.data import load_mnist
from coursekit.learner import Learner
from coursekit.callback import DeviceCB
from coursekit.transfer import create_model, effnet_splitter, fine_tune
from coursekit.transfer_digits import make_canvas, PointNet, SigmoidRange, PresizeCB, pretrained_point_model
from transfer import _dls, TrainOnlyCB
torch.set_num_threads(2)
def spatial_point_model(px, ch=32):
    m = create_model('effnet_lite0', n_out=0)
    m.reset_classifier(0, global_pool='')
    with torch.no_grad(): h = m(torch.zeros(1, 3, px, px)).shape[-1]
    m.classifier = nn.Sequential(nn.Conv2d(m.num_features, ch, 1), nn.ReLU(), nn.Flatten(), nn.Linear(ch * h * h, 2), SigmoidRange(0, 1))
    return m
class CutPoint(nn.Module):
    def __init__(self, n_blocks, px, ch=32):
        super().__init__()
        m = create_model('effnet_lite0', n_out=0)
        self.body = nn.Sequential(m.conv_stem, m.bn1, *m.blocks[:n_blocks])
        with torch.no_grad(): f = self.body(torch.zeros(1, 3, px, px))
        self.head = nn.Sequential(nn.Conv2d(f.shape[1], ch, 1), nn.ReLU(), nn.Flatten(), nn.Linear(ch * f.shape[-1] * f.shape[-2], 2), SigmoidRange(0, 1))
    def forward(self, x): return self.head(self.body(x))
cut_splitter = lambda m: [list(m.body.parameters()), list(m.head.parameters())]
d = load_mnist()
trn_all, val = torch.where(~d.is_valid)[0], torch.where(d.is_valid)[0]
n_train = int(sys.argv[1]); seeds = int(sys.argv[2])
import os
PHOTO = os.environ.get('PHOTO') == '1'
if PHOTO:
    from sklearn.datasets import load_sample_images
    photos = torch.stack([torch.tensor(i).float().mean(-1) / 255 for i in load_sample_images().images])   # (2, 427, 640) grey
    def on_photos(canvas, seed):
        g = torch.Generator().manual_seed(seed + 5000)
        n, s = len(canvas), canvas.shape[-1]
        k = torch.randint(0, 2, (n,), generator=g); r = torch.randint(0, 427 - s, (n,), generator=g); c = torch.randint(0, 640 - s, (n,), generator=g)
        bg = torch.stack([photos[k[i], r[i]:r[i] + s, c[i]:c[i] + s] for i in range(n)])[:, None]
        return torch.maximum(bg, canvas)
for seed in range(seeds):
    trn = trn_all[torch.randperm(len(trn_all), generator=torch.Generator().manual_seed(seed))[:n_train]]
    (xt, yt), (xv, yv) = make_canvas(d.x[trn], seed), make_canvas(d.x[val], 1000 + seed)
    if PHOTO: xt, xv = on_photos(xt, seed), on_photos(xv, 1000 + seed)
    x, y = torch.cat([xt, xv]), torch.cat([yt, yv])
    for spec in sys.argv[3:]:
        kind, px, ep = spec.split(':'); px, ep = int(px), int(ep)
        set_seed(seed); t0 = time.perf_counter()
        reps = max(1, 2000 // n_train)
        xr = torch.cat([xt.repeat(reps, 1, 1, 1), xv]); yr = torch.cat([yt.repeat(reps, 1), yv])
        if kind == 'scratch':
            learn = Learner(PointNet(), _dls(xr, yr, len(xt) * reps, 64), F.mse_loss, lr=3e-3, cbs=[DeviceCB(), TrainOnlyCB()], default_cbs=False)
            learn.fit_one_cycle(ep, 3e-3)
        else:
            model = pretrained_point_model() if kind == 'pooled' else CutPoint(int(kind[3:]), px) if kind.startswith('cut') else spatial_point_model(px)
            learn = Learner(model, _dls(xr.expand(-1, 3, -1, -1), yr, len(xt) * reps, 64), F.mse_loss, lr=1e-2,
                            splitter=cut_splitter if kind.startswith('cut') else effnet_splitter,
                            cbs=[DeviceCB(), PresizeCB(px, min_scale=1, max_rotate=0, max_ratio=1), TrainOnlyCB()], default_cbs=False)
            fine_tune(learn, ep, 1e-2)
        p, t = learn.get_preds()
        print(json.dumps(dict(n=n_train, seed=seed, spec=spec, rmse_px=round(float(F.mse_loss(p, t)) ** .5 * 48, 3), sec=round(time.perf_counter() - t0, 1))), flush=True)

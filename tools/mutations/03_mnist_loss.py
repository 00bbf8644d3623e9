# Mutations for nbs/03_mnist_loss.ipynb: each breaks what one closing check guards (cell numbers are indices in the notebook file).

# %% pixel-similarity baseline: the class means come from a random half of the images, not from the labels
half = torch.rand(len(d37.x), generator=torch.Generator().manual_seed(0)) < 0.5
mean3, mean7 = d37.x[trn & half].mean(0), d37.x[trn & ~half].mean(0)
baseline_acc = ((dist(d37.x[val], mean3) < dist(d37.x[val], mean7)).float() == y37[val, 0]).float().mean().item()

# %% the linear model is trained on shuffled training labels (hand-made SGD, cell 27; the hand-written train_epoch, cell 29)
y37 = y37.clone(); y37[trn] = y37[trn][torch.randperm(int(trn.sum()), generator=torch.Generator().manual_seed(1))]
_rerun(27, 28); _rerun(29, 30)

# %% TensorLoader claim reversed: the DataLoader does slow per-item work (10 ms per batch), so the saving is no longer small
from torch.utils.data import default_collate
slow = DataLoader(dset, batch_size=64, shuffle=True, collate_fn=lambda b: (time.sleep(0.01), default_collate(b))[1])
t_torch = epoch_time(slow, reps=1)
loader_share = (t_torch - t_ours) * len(dls.train.tensors[0]) / len(dset) / (t_cnn / 5)

# %% M4: the batch size is ignored (every run uses 64), so the trade-off vanishes
bs_runs = pd.DataFrame([(bs, seed, *batch_size_run(64, seed)) for bs in (8, 64, 800) for seed in (0, 1, 2)],
                       columns=['batch size', 'seed', 'ms per epoch', 'steps per epoch', 'valid accuracy'])
b8, b800 = bs_runs[bs_runs['batch size'] == 8], bs_runs[bs_runs['batch size'] == 800]

# %% M4: the time per step is reported as the time per epoch
bs_runs = bs_runs.assign(**{'ms per epoch': bs_runs['ms per epoch'] / bs_runs['steps per epoch']})

# %% M4: a learning rate too small for any batch size to learn in two epochs
bs_runs = pd.DataFrame([(bs, seed, *batch_size_run(bs, seed, lr=1e-4)) for bs in (8, 64, 800) for seed in (0, 1, 2)],
                       columns=['batch size', 'seed', 'ms per epoch', 'steps per epoch', 'valid accuracy'])
b8, b800 = bs_runs[bs_runs['batch size'] == 8], bs_runs[bs_runs['batch size'] == 800]

# %% M4: "batch size 64 gets most of both" reversed: its runs are the full-batch ones
bs_runs = pd.DataFrame([(bs, seed, *batch_size_run(800 if bs == 64 else bs, seed)) for bs in (8, 64, 800) for seed in (0, 1, 2)],
                       columns=['batch size', 'seed', 'ms per epoch', 'steps per epoch', 'valid accuracy'])
b8, b800 = bs_runs[bs_runs['batch size'] == 8], bs_runs[bs_runs['batch size'] == 800]

# %% M7: a ReLU slipped between the "two linear layers", so they no longer collapse into one
set_seed(0)
l1, l2 = nn.Linear(28 * 28, 30), nn.Linear(30, 1)
two_linear = nn.Sequential(l1, nn.ReLU(), l2)
one_linear = nn.Linear(28 * 28, 1)
with torch.no_grad():
    one_linear.weight.copy_(l2.weight @ l1.weight); one_linear.bias.copy_(l2.weight @ l1.bias + l2.bias)
    collapse_gap = (two_linear(x37[val]) - one_linear(x37[val])).abs().max().item()

# %% M7: the ReLU does nothing (identity), so the "bent" model is still linear
_ReLU = nn.ReLU
try:
    nn.ReLU = nn.Identity
    _rerun(39, 40)
finally: nn.ReLU = _ReLU

# %% M7: the two-layer net is trained on shuffled training labels (cell 40)
ys = y37.clone(); ys[trn] = ys[trn][torch.randperm(int(trn.sum()), generator=torch.Generator().manual_seed(1))]
dls37 = DataLoaders.from_tensors(x37, ys, d37.is_valid, bs=64)
_rerun(40, 41); _rerun(42, 43)

# %% M10: an lr finder that stops at 1e-4, short of where the loss falls fastest
set_seed(42)
sugg = Learner(small_cnn(), dls, F.cross_entropy, default_cbs=False).add_cbs([DeviceCB()]).lr_find(end_lr=1e-4, num_it=30, plot=False)

# %% M11: the CNN is trained on shuffled labels (one epoch)
set_seed(42)
dls_shuf = DataLoaders.from_tensors(d.x[:, None], d.y[torch.randperm(5000)], d.is_valid, bs=64)
m = Learner(small_cnn(), dls_shuf, F.cross_entropy, cbs=[MetricsCB(accuracy)], default_cbs=False).add_cbs([DeviceCB(), Recorder()])
acc_cnn = m.fit_one_cycle(1, lr_cnn).recorder.epoch_rows[-1]['accuracy']

# %% M12: the overfitting runs stop after 3 epochs, before the validation loss turns up (cells 63-65)
_overfit_run = overfit_run
overfit_run = lambda seed, epochs=3, one_cycle=False: _overfit_run(seed, 3, one_cycle)
tab = overfit_run(42)
_rerun(65, 66)

# %% M12 claim reversed: accuracy falls after the best epoch
overfit_seeds = overfit_seeds.copy()
overfit_seeds['accuracy at the end'] = overfit_seeds['accuracy at best epoch'] - 0.02

# %% M12: "retrained" for all 25 epochs instead of the best number (same seeds, so the long runs themselves)
retrained = {s: r.iloc[-1] for s, r in long_runs.items()}
v_re = pd.Series({s: r.valid_loss for s, r in retrained.items()})

# %% M13: the wrong 16-bit path: outputs in bfloat16 where float32 is expected, or in float32 where the device has a fast 16-bit type
from coursekit.precision import autocast
wrong = torch.bfloat16 if (amp_dtype(default_device()) or torch.float32) == torch.float32 else torch.float32
class WrongAutocastCB(Callback):
    order = 10
    def before_batch(self): self.ctx = autocast(default_device(), dtype=wrong); self.ctx.__enter__()
    def after_loss(self): self.ctx.__exit__(None, None, None)
sub = DataLoaders.from_tensors(d.x[:256, None], d.y[:256], torch.arange(256) % 4 == 0, bs=64)
m = Learner(small_cnn(width=16), sub, F.cross_entropy, cbs=[WrongAutocastCB(), PredDtypeCB()], default_cbs=False).add_cbs([DeviceCB()]).fit(1)
pred_dtypes = m.pred_dtype.dtypes

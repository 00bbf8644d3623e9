# Mutations for nbs/04b_sota_training.ipynb: each breaks what a closing check guards. Cells are found by text their source
# contains; retraining goes through the notebook's own cached `run`, after dropping the cached runs that the break affects.
# The no-op mutations (a trick replaced by nothing) come first, then broken tricks and broken claims.

# %% no-op normalisation: Normalize passes the pixels through, retrained
class Normalize(nn.Module):
    def __init__(self, mean, std): super().__init__()
    def forward(self, x): return x
results = {k: v for k, v in results.items() if k[0] not in ('baseline', 'no BatchNorm')}
_run_edited("r_base, r_raw = run('baseline', 0", '# NBVAL_IGNORE_OUTPUT', '')
_run_edited('p1 = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% no-op progressive resizing: 28 px throughout, retrained
def prog_sizes(epochs, size=28): return [size] * epochs
results = {k: v for k, v in results.items() if k[0] != 'progressive resizing'}
_run_edited("eps_ = {s: run('progressive resizing'", '# NBVAL_IGNORE_OUTPUT', '')

# %% no-op TTA: the augmented copies are the plain images
digit_tfm = lambda b: b
_run_edited('tta = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% no-op Mixup: the harness never adds MixupCB, retrained
_run_edited('def fit_trick', "if kw.get('mixup'): cbs.append(MixupCB())", "pass")
results = {k: v for k, v in results.items() if k[0] != 'Mixup'}
_run_edited("mix_table = budget_rows('Mixup')", '# NBVAL_IGNORE_OUTPUT', '')
_run_edited('calib = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')
_rerun(_cell('cb_, cl_, cm_ ='), _cell('cb_, cl_, cm_ =') + 1)

# %% MixupCB with lam = 1 (no blending at all)
_run_edited('class MixupCB', 'self.lam = max(lam, 1 - lam)', 'self.lam = 1.0')
_rerun(_cell('mix_change ='), _cell('mix_change =') + 1)

# %% Mixup with a tiny alpha (lam near 1: almost no blending), retrained
_run_edited('def fit_trick', 'cbs.append(MixupCB())', 'cbs.append(MixupCB(alpha=0.01))')
results = {k: v for k, v in results.items() if k[0] != 'Mixup'}
_run_edited("mix_table = budget_rows('Mixup')", '# NBVAL_IGNORE_OUTPUT', '')
_run_edited('calib = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')
_rerun(_cell('cb_, cl_, cm_ ='), _cell('cb_, cl_, cm_ =') + 1)

# %% MixupCB also blends validation batches
_run_edited('class MixupCB', '        if not self.learn.training: return\n        lam', '        lam')
_rerun(_cell('mix_change ='), _cell('mix_change =') + 1)

# %% no-op label smoothing: eps = 0 (plain cross-entropy), retrained
TRICKS = {**TRICKS, 'label smoothing': dict(eps=0.0)}
results = {k: v for k, v in results.items() if k[0] != 'label smoothing'}
_run_edited('calib = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')
_rerun(_cell('cb_, cl_, cm_ ='), _cell('cb_, cl_, cm_ =') + 1)

# %% label smoothing retrained on shuffled training labels (long budget)
xt, yt, xv, yv = DATA['long']
DATA = {**DATA, 'long': (xt, yt[torch.randperm(len(yt), generator=torch.Generator().manual_seed(1))], xv, yv)}
results = {k: v for k, v in results.items() if k[0] != 'label smoothing'}
_run_edited('calib = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')
_rerun(_cell('cb_, cl_, cm_ ='), _cell('cb_, cl_, cm_ =') + 1)

# %% baseline retrained on shuffled training labels
DATA = {**DATA, 'short': (x_train, y_train[torch.randperm(len(y_train), generator=torch.Generator().manual_seed(1))], x_valid, y_valid)}
results = {k: v for k, v in results.items() if k[0] != 'baseline'}
_run_edited('p1 = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% normalisation statistics swapped (mean used as std and std as mean), retrained
_run_edited('def fit_trick', 'mean, std = x_train.mean().item(), x_train.std().item()', 'std, mean = x_train.mean().item(), x_train.std().item()')
results = {k: v for k, v in results.items() if k[0] != 'baseline'}
_run_edited("r_base, r_raw = run('baseline', 0", '# NBVAL_IGNORE_OUTPUT', '')
_run_edited('p1 = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% the raw-pixel model retrained on shuffled training labels
DATA = {**DATA, 'short': (x_train, y_train[torch.randperm(len(y_train), generator=torch.Generator().manual_seed(1))], x_valid, y_valid)}
results = {k: v for k, v in results.items() if k[0] != 'no normalisation'}
_run_edited('p1 = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% claim broken: the "with BatchNorm" pair is trained without BatchNorm (then normalising matters)
TRICKS = {**TRICKS, 'baseline': dict(bn=False), 'no normalisation': dict(bn=False, norm=False)}
results = {k: v for k, v in results.items() if k[0] not in ('baseline', 'no normalisation')}
_run_edited('p1 = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% progressive resizing at 4 px for all but the last epoch, retrained
def prog_sizes(epochs, size=28): return [4] * (epochs - 1) + [size]
results = {k: v for k, v in results.items() if k[0] != 'progressive resizing'}
_run_edited("eps_ = {s: run('progressive resizing'", '# NBVAL_IGNORE_OUTPUT', '')

# %% the "flip" is the identity (flips treated as harmless)
_run_edited('tta_flip_acc', ('lambda b: b.flip(-1)', 'lambda b: b'), ('m0(x_valid.flip(-1))', 'm0(x_valid)'))

# %% TTA with augmentations too strong for digits (90 degree rotations, 30% shifts)
digit_tfm = partial(random_affine, max_rotate=90, max_scale=0.3, max_shift=0.3)
_run_edited('tta = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% the flip figure drawn from the first validation rows (the file is sorted by class: all zeros)
flip_ix = torch.arange(10)

# %% the training subset taken as the first training rows (sorted by class: digits 0-4 only)
_run_edited('N_TRAIN, WIDTH, LR, SEEDS', 'x_train, y_train, x_valid, y_valid = digits_subset(N_TRAIN)',
            'x_train, y_train, x_valid, y_valid = digits_subset(None); x_train, y_train = x_train[:N_TRAIN], y_train[:N_TRAIN]')

# %% run ignores its seed (every "seed" is seed 0), retrained
_run_edited('def fit_trick', 'set_seed(seed)', 'set_seed(0)')
results = {k: v for k, v in results.items() if k[0] != 'baseline'}
_run_edited('p1 = pd.DataFrame', '# NBVAL_IGNORE_OUTPUT', '')

# %% the Mixup search's starting row is another setting (its 80-epoch runs relabelled as the lesson's long budget)
_run_edited('mixup_bench = json.loads', "read_text())", "read_text()); [r.update(setting={\"lesson's long budget\": 'x', '2x the epochs': \"lesson's long budget\"}.get(r['setting'], r['setting'])) for r in mixup_bench['runs']]")

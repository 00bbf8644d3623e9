# Mutations for nbs/00_data.ipynb (cell numbers are indices in the notebook file).
# 22: MNIST loader; 26: MovieLens loader; 30: Ames loader; 33: reviews loader.
# %% MNIST validation = the first 1,000 rows instead of every fifth
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = ''.join(_nb_cells[k]['source'])
    assert old in src, f'cell {k} has no {old!r}'
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f'edited cell {k} failed: {r.error_in_exec!r}')
_run_edited(22, 'torch.arange(len(y)) % 5 == 0', 'torch.arange(len(y)) < 1000')
mnist = load_mnist()
# %% the packaged rows come in another order (the every-fifth rule no longer gives 100 of each digit)
perm = torch.randperm(len(mnist.y), generator=torch.Generator().manual_seed(0))
mnist = Images(mnist.x[perm], mnist.y[perm], mnist.is_valid)
# %% MovieLens validation = every fifth row, so the split depends on row order
def _run_edited(k, old, new):
    src = ''.join(_nb_cells[k]['source'])
    assert old in src, f'cell {k} has no {old!r}'
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f'edited cell {k} failed: {r.error_in_exec!r}')
_run_edited(26, "((df['user'] * 7919 + df['movie']) % 5 == 0).to_numpy()", "np.arange(len(df)) % 5 == 0")
ratings, ml_valid = load_movielens()
# %% Ames validation = a random 669 sales instead of the last ones
def _run_edited(k, old, new):
    src = ''.join(_nb_cells[k]['source'])
    assert old in src, f'cell {k} has no {old!r}'
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f'edited cell {k} failed: {r.error_in_exec!r}')
_run_edited(30, "((df['Yr.Sold'] * 100 + df['Mo.Sold']) >= 200907).to_numpy()", "np.random.default_rng(0).permutation(len(df)) < 669")
ames, ames_valid = load_ames()
# %% reviews validation = every fifth review instead of every fifth movie
def _run_edited(k, old, new):
    src = ''.join(_nb_cells[k]['source'])
    assert old in src, f'cell {k} has no {old!r}'
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f'edited cell {k} failed: {r.error_in_exec!r}')
_run_edited(33, "lab['movie'].isin(valid_movies).to_numpy()", "np.arange(len(lab)) % 5 == 0")
rv = load_reviews()

# Mutations for nbs/00_foundations.ipynb (cell numbers are indices in the notebook file).
# 7: MovieLens folds; 9: best of 20 and the 500 cuts; 11: F2 small vs full run; 13: F3 planted labels and top losses.
# %% the "held-out users" folds are random rows after all
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = "".join(_nb_cells[k]["source"])
    assert old in src, f"cell {k} has no {old!r}"
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f"edited cell {k} failed: {r.error_in_exec!r}")
_run_edited(7, 'user_fold = rng.permutation(ratings.user.max() + 1)[ratings.user.to_numpy()] % 5', 'user_fold = rng.integers(0, 5, len(ratings))')
# %% no choosing: the "best" of 20 is a model picked at random on each cut
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = "".join(_nb_cells[k]["source"])
    assert old in src, f"cell {k} has no {old!r}"
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f"edited cell {k} failed: {r.error_in_exec!r}")
_run_edited(9, 'b = acc_v.argmax()', 'b = rng.integers(20)')
# %% the model is chosen on the test half instead of the validation half
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = "".join(_nb_cells[k]["source"])
    assert old in src, f"cell {k} has no {old!r}"
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f"edited cell {k} failed: {r.error_in_exec!r}")
_run_edited(9, 'b = acc_v.argmax()', 'b = acc_t.argmax()')
# %% the 10% run is trained on shuffled labels
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = "".join(_nb_cells[k]["source"])
    assert old in src, f"cell {k} has no {old!r}"
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f"edited cell {k} failed: {r.error_in_exec!r}")
_run_edited(11, 'train_digit_cnn(d.x[keep], d.y[keep],', 'train_digit_cnn(d.x[keep], d.y[keep][torch.randperm(int(keep.sum()))] if frac < 1 else d.y[keep],')
# %% the "full" run is another 10% run
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = "".join(_nb_cells[k]["source"])
    assert old in src, f"cell {k} has no {old!r}"
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f"edited cell {k} failed: {r.error_in_exec!r}")
_run_edited(11, 'for frac in (0.1, 1.0):', 'for frac in (0.1, 0.1):')
# %% the training items are ranked at random instead of by loss
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = "".join(_nb_cells[k]["source"])
    assert old in src, f"cell {k} has no {old!r}"
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f"edited cell {k} failed: {r.error_in_exec!r}")
_run_edited(13, 'top = losses.argsort(descending=True)[:n_planted]', 'top = torch.randperm(len(losses))[:n_planted]')
# %% the training items are ranked by lowest loss first
def _run_edited(k, old, new):
    "Run notebook cell k with `old` replaced by `new` in its source; fail loudly if `old` is not there or the cell fails."
    src = "".join(_nb_cells[k]["source"])
    assert old in src, f"cell {k} has no {old!r}"
    r = get_ipython().run_cell(src.replace(old, new))
    if not r.success: raise RuntimeError(f"edited cell {k} failed: {r.error_in_exec!r}")
_run_edited(13, 'top = losses.argsort(descending=True)[:n_planted]', 'top = losses.argsort()[:n_planted]')

# Mutations for nbs/06_tabular_rf.ipynb: each breaks what one line of the Checks guards (see tools/mutate.py).
# Cells are named by id (`_ix[id]` is the index in the notebook file); `_s.replace(old, new)` re-runs a cell with one thing broken.

# %% R1: the CSV read whole both times (`low_memory=False`), so no rows are lost
chunked = whole; n_mixed_rows = int((chunked['zip'] == '50010').sum())

# %% R1: quality grades left as text in alphabetical order (no ordered categories), everything from the target on redone
df = df_raw.copy()
_rerun(_ix['7d2bb003'], _ix['76139ed9'])

# %% R2: the target taken as log10 instead of the natural log
y = np.log10(np.exp(y)); y_tr, y_va = y[~is_valid], y[is_valid]
_rerun(_ix['333ba5b0'], _ix['2b448821'])

# %% R6: the trees fitted on shuffled prices
y_tr = np.random.default_rng(0).permutation(y_tr)
_rerun(_ix['759bff30'], _ix['29119ba6'])

# %% R6: the "unconstrained" tree limited to leaves of 25 rows
_s, _o = ''.join(_nb_cells[_ix['759bff30']]['source']), 'deep = DecisionTreeRegressor(random_state=42)'
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'deep = DecisionTreeRegressor(min_samples_leaf=25, random_state=42)')).success

# %% R7: the forest fitted on shuffled prices
y_tr = np.random.default_rng(0).permutation(y_tr)
_rerun(_ix['c53116dc'], _ix['ce4f8b18'])

# %% R5: the validation rows drawn at random instead of the latest sales, preprocessing and forest redone
is_valid = np.random.default_rng(1).permutation(len(df_raw)) < int(is_valid.sum())
_rerun(_ix['a98b0a70'], _ix['69fcaa00']); _rerun(_ix['c53116dc'], _ix['a1f4d971'])

# %% R5: the "random" splits are the time split
_s, _o = ''.join(_nb_cells[_ix['b45ba9d6']]['source']), 'np.random.default_rng(s).permutation(len(df)) < is_valid.sum()'
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'np.asarray(is_valid)')).success

# %% R5/R7: the time split's OOB rows as hard as its validation rows (OOB error set to the validation error)
rf_seed_oobs = rf_seed_errs; time_gap = np.mean(rf_seed_errs) - np.mean(rf_seed_oobs)

# %% R7: every tree the same (no bootstrap, all columns), so averaging gains nothing
rf = forest(X_tr, y_tr, bootstrap=False, max_features=1.0, oob_score=False)
_rerun(_ix['e431af90'], _ix['0ef8f04b'])

# %% R8: each row's spread taken from another house
_s, _o = ''.join(_nb_cells[_ix['3ed349f1']]['source']), 'spread = tree_preds.std(0)'
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'spread = np.random.default_rng(0).permutation(tree_preds.std(0))')).success

# %% the "worst" errors are the smallest ones
_s, _o = ''.join(_nb_cells[_ix['37473a89']]['source']), 'np.argsort(-np.abs('
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'np.argsort(np.abs(')).success

# %% R9: importances shuffled among the columns, so the kept columns are a random third
imp = pd.Series(np.random.default_rng(0).permutation(imp.to_numpy()), imp.index)
_rerun(_ix['38c4a004'], _ix['311dce6a'])

# %% R10: the final forest fitted on shuffled prices, so no column moves its prediction
rf_final = forest(X_tr[final_cols], np.random.default_rng(0).permutation(y_tr))
_rerun(_ix['895b3899'], _ix['abb281e2'])

# %% R10: the partial dependence drawn for the two least important columns
_s, _o = ''.join(_nb_cells[_ix['895b3899']]['source']), 'top2 = imp_final.index[:2].tolist()'
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'top2 = imp_final.index[-2:].tolist()')).success

# %% R11: the appraisal made independent of the price
_s = ''.join(_nb_cells[_ix['7e81eeec']]['source'])
_s2 = _s.replace('np.exp(y_tr + rng.normal(0, 0.05, len(y_tr)))', 'np.exp(rng.permutation(y_tr))').replace('np.exp(y_va + rng.normal(0, 0.05, len(y_va)))', 'np.exp(rng.permutation(y_va))')
assert _s2.count('permutation') == 2 and get_ipython().run_cell(_s2).success

# %% R11: the partial dependence drawn for an honest column instead of the appraisal
_s, _o = ''.join(_nb_cells[_ix['e420853a']]['source']), "['Appraisal'], grid_resolution=20"
assert _o in _s and get_ipython().run_cell(_s.replace(_o, '[top2[1]], grid_resolution=20')).success

# %% R12: contributions charged to the wrong columns (column order reversed)
c_f = c_f[:, ::-1]
_rerun(_ix['5d99559a'], _ix['5f510e9e'])

# %% R13: the forest also trained past x = 30
_s, _o = ''.join(_nb_cells[_ix['e09cb653']]['source']), 'n_jobs=-1).fit(xs[seen], ys[seen])'
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'n_jobs=-1).fit(xs, ys)')).success

# %% R13: the linear model replaced by one that predicts the training mean
_s, _o = ''.join(_nb_cells[_ix['e09cb653']]['source']), 'lin_line = LinearRegression()'
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'from sklearn.dummy import DummyRegressor; lin_line = DummyRegressor()')).success

# %% R14: the "is it a validation row?" labels shuffled
in_valid = np.random.default_rng(0).permutation(in_valid)
acc_all, dom_all = domain_importance(list(X_both.columns))

# %% R14: Order shuffled, so it no longer tracks time
X_both = X_both.assign(Order=np.random.default_rng(0).permutation(X_both['Order'].to_numpy()))
acc_nodate, dom = domain_importance([c for c in X_both.columns if c not in date_cols])

# %% R15: boosting fitted on shuffled prices
y_tr = np.random.default_rng(0).permutation(y_tr)
_rerun(_ix['5095aa6e'], _ix['9131ac70'])

# %% R15: the learning rate ignored (every learning rate gives the 0.1 curve)
hgb_curves = {lr: hgb_curves[0.1] for lr in hgb_curves}
hgb_grid = pd.DataFrame({n: {lr: e[n - 1] for lr, e in hgb_curves.items()} for n in (30, 100, 300)})

# %% R15: boosting stopped at its best round (early stopping), so it never gets worse
hgb_curves = {lr: np.minimum.accumulate(e).tolist() for lr, e in hgb_curves.items()}

# %% R16: nets that predict the training mean
ens_preds = {s: (np.full(len(y_va), y_tr.mean()), p_rf) for s, (p_nn, p_rf) in ens_preds.items()}
_rerun(_ix['1c441adf'], _ix['1da33c89'])

# %% R16: every row gets class 0's embedding vector, so the forest loses the categories
_s, _o = ''.join(_nb_cells[_ix['d2ce8e25']]['source']), 'E[c][X[c].to_numpy()]'
assert _o in _s and get_ipython().run_cell(_s.replace(_o, 'E[c][np.zeros(len(X), dtype=int)]')).success
ens_preds = {s: (ens_preds[s][0], forest(with_embeddings(X_tr, L), y_tr, random_state=s).predict(with_embeddings(X_va, L))) for s, L in ens_learners.items()}
_rerun(_ix['1c441adf'], _ix['1da33c89'])

# %% R16: the "ensemble" is the forest alone
_s, _o = ''.join(_nb_cells[_ix['1c441adf']]['source']), "'average of the two': rmse((p_nn + p_rf) / 2, y_va)"
assert _o in _s and get_ipython().run_cell(_s.replace(_o, "'average of the two': rmse(p_rf, y_va)")).success

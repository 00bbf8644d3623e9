# Mutations for nbs/08_production.ipynb: each breaks what a closing check guards. Cells are found by id; a broken variant
# of a cell is its source with one string replaced, run in the notebook's kernel (then the cells that depend on it rerun).

# %% undertrained model (one epoch at a tiny learning rate)
_src = ''.join(_nb_cells[_ix['f5b903fb']]['source']).replace('learn.fit_one_cycle(5, 1e-2)', 'learn.fit_one_cycle(1, 1e-5)')
assert get_ipython().run_cell(_src).success

# %% image_to_digit forgets to turn dark ink on light paper into light ink on dark
_src = ''.join(_nb_cells[_ix['71132111']]['source']).replace('if a.mean() > 0.5: a = 1 - a', 'pass')
assert get_ipython().run_cell(_src).success
uploads_ok = [classify_upload(predictor, to_png_bytes(xv[i])).get('label') == str(int(yv[i])) for i in range(0, 1000, 20)]

# %% image_to_digit no longer checks for an empty file
_src = ''.join(_nb_cells[_ix['71132111']]['source']).replace('if not data: raise UploadError', 'if False: raise UploadError')
assert get_ipython().run_cell(_src).success

# %% serving one image per call even for the batch of 64 (no batching)
_src = ''.join(_nb_cells[_ix['bd095ae2']]['source']).replace('t0 = time.perf_counter(); predictor.probs(xb);',
                                                               't0 = time.perf_counter(); [predictor.probs(xb[i:i + 1]) for i in range(bs)];')
assert get_ipython().run_cell(_src).success

# %% guard bar at zero (it refuses nothing)
_src = ''.join(_nb_cells[_ix['6c843beb']]['source']).replace('min_conf = float(conf_valid[correct].quantile(0.05))', 'min_conf = 0.0')
assert get_ipython().run_cell(_src).success

# %% guard bar above the noise's confidence (the prose's "noise passes" no longer true)
_src = ''.join(_nb_cells[_ix['6c843beb']]['source']).replace('min_conf = float(conf_valid[correct].quantile(0.05))', 'min_conf = 0.9999')
assert get_ipython().run_cell(_src).success

# %% no drift: the pens never get thicker
_src = ''.join(_nb_cells[_ix['831c9311']]['source']).replace('def thicker(x): return F.max_pool2d(x[:, None], 3, stride=1, padding=1)[:, 0]',
                                                               'def thicker(x): return x')
assert get_ipython().run_cell(_src).success

# %% alert limits at 1 standard deviation instead of 4 (false alerts)
_src = ''.join(_nb_cells[_ix['831c9311']]['source']).replace(' - 4 * ', ' - 1 * ').replace(' + 4 * ', ' + 1 * ')
assert get_ipython().run_cell(_src).success

# %% "pooled" monitor that pools nothing (a one-day window with the three-day limits)
_src = ''.join(_nb_cells[_ix['831c9311']]['source']).replace('.rolling(3, min_periods=1)', '.rolling(1, min_periods=1)')
assert get_ipython().run_cell(_src).success

# %% the "new" model is the old one
new_predictor = predictor
_rerun(_ix['4c80940f'], _ix['4c80940f'] + 1)

# %% the new model trained without thickened digits (the fix left out)
_src = ''.join(_nb_cells[_ix['a476bdb5']]['source']).replace('thick_half = torch.rand(len(x_tr), generator=g_new) < 0.5',
                                                               'thick_half = torch.rand(len(x_tr), generator=g_new) < 0.0')
assert get_ipython().run_cell(_src).success
_rerun(_ix['4c80940f'], _ix['4c80940f'] + 1)

# %% the new model trained only on thickened digits, for one epoch (worse on plain digits)
_src = (''.join(_nb_cells[_ix['a476bdb5']]['source']).replace('< 0.5', '< 1.0').replace('learn_new.fit_one_cycle(5, 1e-2)', 'learn_new.fit_one_cycle(1, 1e-3)'))
assert get_ipython().run_cell(_src).success
_rerun(_ix['4c80940f'], _ix['4c80940f'] + 1)

# %% the hidden accuracy column measured on the unshifted images (the shift looks harmless)
_src = ''.join(_nb_cells[_ix['831c9311']]['source']).replace("float((p.argmax(1) == yv[idx]).float().mean())",
                                                               "float((predictor.probs(xv[idx][:, None]).argmax(1) == yv[idx]).float().mean())")
assert 'predictor.probs(xv[idx]' in _src
assert get_ipython().run_cell(_src).success

# %% pooled monitor's limits three times too wide (it misses most shifted days)
_src = ''.join(_nb_cells[_ix['831c9311']]['source']).replace("- 4 * mon['mean confidence'].iloc[:7].std() / 3 ** 0.5", "- 12 * mon['mean confidence'].iloc[:7].std() / 3 ** 0.5")
_src = _src.replace("+ 4 * mon['rate shift (TV distance)'].iloc[:7].std() / 3 ** 0.5", "+ 12 * mon['rate shift (TV distance)'].iloc[:7].std() / 3 ** 0.5")
assert _src.count('12 * mon') == 2
assert get_ipython().run_cell(_src).success

# %% the new model trained only on thickened digits (the plain-digit users pay for the fix)
_src = ''.join(_nb_cells[_ix['a476bdb5']]['source']).replace('< 0.5', '< 1.0')
assert get_ipython().run_cell(_src).success
_rerun(_ix['4c80940f'], _ix['4c80940f'] + 1)

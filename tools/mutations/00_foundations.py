# Mutations for nbs/00_foundations.ipynb (cell numbers are indices in the notebook file).
# 7: MovieLens folds; 9: best of 20 and the 500 cuts; 11: F2 small vs full run; 13: F3 planted labels and top losses.
# %% the "held-out users" folds are random rows after all
_run_edited(7, 'user_fold = rng.permutation(ratings.user.max() + 1)[ratings.user.to_numpy()] % 5', 'user_fold = rng.integers(0, 5, len(ratings))')
# %% no choosing: the "best" of 20 is a model picked at random on each cut
_run_edited(9, 'b = acc_v.argmax()', 'b = rng.integers(20)')
# %% the model is chosen on the test half instead of the validation half
_run_edited(9, 'b = acc_v.argmax()', 'b = acc_t.argmax()')
# %% the 10% run is trained on shuffled labels
_run_edited(11, 'train_digit_cnn(d.x[keep], d.y[keep],', 'train_digit_cnn(d.x[keep], d.y[keep][torch.randperm(int(keep.sum()))] if frac < 1 else d.y[keep],')
# %% the "full" run is another 10% run
_run_edited(11, 'for frac in (0.1, 1.0):', 'for frac in (0.1, 0.1):')
# %% the training items are ranked at random instead of by loss
_run_edited(13, 'top = losses.argsort(descending=True)[:n_planted]', 'top = torch.randperm(len(losses))[:n_planted]')
# %% the training items are ranked by lowest loss first
_run_edited(13, 'top = losses.argsort(descending=True)[:n_planted]', 'top = losses.argsort()[:n_planted]')

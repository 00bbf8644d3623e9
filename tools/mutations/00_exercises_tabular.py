# Mutations for nbs/00_exercises_tabular.ipynb (format: tools/mutate.py). Each one checks against a broken copy of one exercise:
# `exercise` is rebound to return the copy and `results` to a copy of the dict (name rebindings, restored after the mutation),
# then the demo cell and the catalogue rerun.

# %% 05.sigmoid_range's reference loses lo, so the "forgot lo" answer passes
import copy as _copy
results = dict(results)   # the demo cell writes into this copy; the original comes back after the mutation
_e = _copy.copy(exercise('05.sigmoid_range')); _e.reference = lambda x, lo, hi: torch.sigmoid(x) * (hi - lo)
exercise = (lambda _f: lambda k: _e if k == _e.id else _f(k))(exercise)
_run_edited("exercise('05.sigmoid_range')"); _run_edited('catalogue = pd.DataFrame')

# %% 06.day_of_week's mistake catalogue emptied: a typical mistake gets only the generic message
import copy as _copy
results = dict(results)   # the demo cell writes into this copy; the original comes back after the mutation
_e = _copy.copy(exercise('06.day_of_week')); _e.mistakes = []
exercise = (lambda _f: lambda k: _e if k == _e.id else _f(k))(exercise)
_run_edited("exercise('06.day_of_week')"); _run_edited('catalogue = pd.DataFrame')

# %% 06.day_of_week's inputs without dates before 1970, so fmod and % cannot be told apart
import copy as _copy
results = dict(results)   # the demo cell writes into this copy; the original comes back after the mutation
_e = _copy.copy(exercise('06.day_of_week'))
_e.inputs = lambda g: [(torch.tensor([0]),), (torch.arange(0, 11),), (torch.randint(0, 30000, (15,), generator=g),)]
exercise = (lambda _f: lambda k: _e if k == _e.id else _f(k))(exercise)
_run_edited("exercise('06.day_of_week')"); _run_edited('catalogue = pd.DataFrame')

# %% 06.rmsle's inputs only prices in dollars, where log and log1p agree within the tolerance
import copy as _copy
results = dict(results)   # the demo cell writes into this copy; the original comes back after the mutation
_e = _copy.copy(exercise('06.rmsle'))
_e.inputs = lambda g: [tuple(1e5 + 4e5 * torch.rand(2, n, generator=g, dtype=torch.float64)) for n in (1, 5, 9)]
exercise = (lambda _f: lambda k: _e if k == _e.id else _f(k))(exercise)
_run_edited("exercise('06.rmsle')"); _run_edited('catalogue = pd.DataFrame')

# %% two catalogued mistakes of 05.weight_decay_grad that cannot be told apart (the wrong-sign entry computes the factor-2 error)
import copy as _copy
results = dict(results)   # the demo cell writes into this copy; the original comes back after the mutation
from coursekit.exercises import Mistake as _M
_e = _copy.copy(exercise('05.weight_decay_grad'))
_e.mistakes = [_M(m.name, _e.mistakes[0].wrong if m.name == 'wrong sign' else m.wrong, m.hint) for m in _e.mistakes]
exercise = (lambda _f: lambda k: _e if k == _e.id else _f(k))(exercise)
_run_edited("exercise('05.weight_decay_grad')"); _run_edited('catalogue = pd.DataFrame')

# %% the checks see a stub answered as if it were a wrong attempt (05.one_hot_lookup's stub result replaced)
results = dict(results); results['05.one_hot_lookup'] = (results['05.one_hot_lookup'][1],) + results['05.one_hot_lookup'][1:]

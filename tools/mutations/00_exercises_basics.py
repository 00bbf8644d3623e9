# %% a catalogued mistake that equals the reference on every input (it could never be told apart)
import copy, dataclasses, types
_ex = copy.copy(E.registry['01.mnist_distance'])
_ex.mistakes = [dataclasses.replace(_ex.mistakes[0], wrong=lambda a, b: (a - b).abs().mean((-1, -2)))] + _ex.mistakes[1:]
E = types.SimpleNamespace(registry={**E.registry, '01.mnist_distance': _ex})

# %% two mistakes that give the same outputs (the second can never be named)
import copy, dataclasses, types
_ex = copy.copy(E.registry['02.mse'])
_ex.mistakes = _ex.mistakes[:1] + [dataclasses.replace(_ex.mistakes[1], wrong=_ex.mistakes[0].wrong)] + _ex.mistakes[2:]
E = types.SimpleNamespace(registry={**E.registry, '02.mse': _ex})

# %% a reference that raises on an edge case (the max of the empty input)
import copy, types
_ex = copy.copy(E.registry['00.time_split'])
_ex.reference = lambda year, month, cy, cm: year * 12 + month >= cy * 12 + cm + 0 * (year * 12 + month).max()
E = types.SimpleNamespace(registry={**E.registry, '00.time_split': _ex})

# %% a lesson's exercises missing from the bank
import types
E = types.SimpleNamespace(registry={k: v for k, v in E.registry.items() if not k.startswith('02.')})

"""The catalog (`coursekit.data`): every entry loads through `load(name)` with its own loader, the same data as the standalone
`load_*` call, and bad names or arguments get clear errors. Everything here is offline: each default copy is in a pip package."""
from pathlib import Path
import numpy as np, pandas as pd, pytest, torch
from coursekit.data import (CATALOG, DataError, Entry, get_entry, load, load_ames, load_english, load_mnist, load_movielens,
                            load_reviews, pretrained_image_weights, pretrained_text_model)

# The standalone call each entry must equal, written out by hand: a new entry without a line here fails the first test.
STANDALONE = {'mnist5k': lambda: load_mnist(), 'mnist37': lambda: load_mnist(digits=(3, 7)), 'movielens': lambda: load_movielens(),
              'ames': lambda: load_ames(), 'reviews': lambda: load_reviews(), 'english': lambda: load_english(),
              'minilm': lambda: pretrained_text_model(), 'effnet_lite0': lambda: pretrained_image_weights()}

def assert_same(a, b, where='result'):
    "`a` and `b` hold equal data, part by part (tensors, arrays, DataFrames, lists, paths)."
    assert type(a) is type(b), f'{where}: {type(a).__name__} vs {type(b).__name__}'
    if isinstance(a, torch.Tensor): assert a.dtype == b.dtype and torch.equal(a, b), where
    elif isinstance(a, np.ndarray): assert a.dtype == b.dtype and np.array_equal(a, b), where
    elif isinstance(a, pd.DataFrame): pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)): assert_same(x, y, f'{where}[{i}]')
    else: assert a == b, where

def test_every_entry_has_a_standalone_call_here():
    assert set(STANDALONE) == set(CATALOG), f'add the standalone call of {sorted(set(CATALOG) ^ set(STANDALONE))} to STANDALONE'

@pytest.mark.parametrize('name', list(CATALOG))
def test_entry_loads_through_load_and_equals_the_standalone_loader(name):
    got = load(name)
    assert_same(got, STANDALONE[name](), name)
    if isinstance(got, Path): assert got.exists(), got
    else: assert len(got[0]) > 0, f'{name} loaded nothing'

def test_each_entry_names_its_own_loader():
    assert {n: e.loader.__name__ for n, e in CATALOG.items()} == {
        'mnist5k': 'load_mnist', 'mnist37': 'load_mnist', 'movielens': 'load_movielens', 'ames': 'load_ames', 'reviews': 'load_reviews',
        'english': 'load_english', 'minilm': 'pretrained_text_model', 'effnet_lite0': 'pretrained_image_weights'}
    assert CATALOG['mnist37'].args == {'digits': (3, 7)} and all(not e.args for n, e in CATALOG.items() if n != 'mnist37')

def test_load_passes_arguments_to_the_loader_and_refuses_to_override_a_fixed_one():
    assert_same(load('mnist5k', digits=(1,)), load_mnist(digits=(1,)))
    with pytest.raises(DataError, match=r"'mnist37' fixes digits=\(3, 7\); call load_mnist directly"): load('mnist37', digits=(1, 2))
    with pytest.raises(DataError, match=r"size must be '5k'"): load('mnist37', size='10k')

def test_unknown_name_suggests_the_closest():
    with pytest.raises(DataError, match="Unknown dataset 'mnist'. Did you mean 'mnist5k'"): load('mnist')
    with pytest.raises(DataError, match='The catalog has: mnist5k, mnist37, movielens'): get_entry('zzz')

def test_a_new_entry_is_one_entry(monkeypatch):
    "Adding a dataset is adding its entry: `load` reaches it with no other table to edit."
    e = Entry('squares', 'the first squares', licence='-', package='-', source='-', rows='4', split='-',
              loader=lambda n=4: [i * i for i in range(n)])
    monkeypatch.setitem(CATALOG, 'squares', e)
    assert load('squares') == [0, 1, 4, 9] and load('squares', n=2) == [0, 1]

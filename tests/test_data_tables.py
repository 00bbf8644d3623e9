"""README.md's and data/README.md's dataset tables are rendered from `coursekit.data.CATALOG` (tools/data_tables.py); nobody retypes them."""
import importlib.util
from pathlib import Path
import pytest
from coursekit.data import CATALOG

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location('data_tables', ROOT/'tools'/'data_tables.py')
data_tables = importlib.util.module_from_spec(spec); spec.loader.exec_module(data_tables)

@pytest.mark.parametrize('rel', list(data_tables.TABLES))
def test_readme_tables_match_the_catalog(rel):
    text = (ROOT/rel).read_text()
    want = data_tables.with_tables(text, rel, CATALOG)
    differ = [(a, b) for a, b in zip(text.splitlines(), want.splitlines()) if a != b]
    assert want == text, (f"{rel}'s dataset tables differ from coursekit.data.CATALOG; run `{data_tables.COMMAND}` "
                          f"(edit the catalog, never the table). First difference:\n  README:  {differ[0][0] if differ else '?'}\n"
                          f"  catalog: {differ[0][1] if differ else '?'}")

def test_every_catalog_fact_is_in_the_tables():
    "The rendered tables carry each entry's name, package, licence, and each variant's URL, size and sha256."
    readme = data_tables.readme_table(CATALOG)
    sources, remotes = data_tables.sources_table(CATALOG), data_tables.remotes_table(CATALOG)
    for e in CATALOG.values():
        assert f'`{e.name}`' in readme and e.licence in readme and e.rows in sources and e.split in sources
        for r in e.full.values(): assert r.url in remotes and r.sha256 in remotes and f'{r.nbytes:,}' in remotes

def test_missing_markers_say_how_to_fix():
    with pytest.raises(ValueError, match='must hold exactly one region'): data_tables.with_tables('no markers here', 'README.md', CATALOG)

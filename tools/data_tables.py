"""The READMEs' dataset tables, rendered from `coursekit.data.CATALOG` (the one source of truth for every dataset fact).

Usage: python tools/data_tables.py    (rewrites the marked tables in README.md and data/README.md)
tests/test_data_tables.py fails when a README's table differs from what this renders; never edit those tables by hand.
"""
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
COMMAND = 'python tools/data_tables.py'

def _cell(s)->str: return str(s).replace('|', '\\|').replace('\n', ' ')
def _row(cells)->str: return '| ' + ' | '.join(map(_cell, cells)) + ' |'
def _call(e, size:str)->str: return f'`{e.loader.__name__}(size="{size}")`'

def readme_table(catalog:dict)->str:
    "README.md's table: one row per entry, with its pip package, size, licence and full-size variants."
    rows = [_row(['name', 'pip package', 'rows', 'licence', 'full-size variant']), '|---|---|---|---|---|']
    for e in catalog.values():
        full = '; '.join(f'{_call(e, k)}: {r.title}, {r.nbytes / 1e6:.1f} MB' for k, r in e.full.items()) or '–'
        rows.append(_row([f'`{e.name}`', f'`{e.package}`', e.rows, e.licence, full]))
    return '\n'.join(rows)

def sources_table(catalog:dict)->str:
    "data/README.md's table of default copies: how each is read from its package, its size, split and licence."
    rows = [_row(['name', 'default source (pip package → how it is read)', 'rows', 'validation split', 'licence']), '|---|---|---|---|---|']
    rows += [_row([f'`{e.name}`', f'`{e.package}` → {e.source}', e.rows, e.split, e.licence]) for e in catalog.values()]
    return '\n'.join(rows)

def remotes_table(catalog:dict)->str:
    "data/README.md's table of full-size variants: the call, URL, size, sha256 and layout of each."
    rows = [_row(['dataset', 'call', 'URL', 'bytes', 'sha256', 'layout']), '|---|---|---|---|---|---|']
    rows += [_row([f'`{e.name}`', _call(e, k), r.url, f'{r.nbytes:,}', r.sha256, r.layout])
             for e in catalog.values() for k, r in e.full.items()]
    return '\n'.join(rows)

# file (relative to the repository root) -> {region name: function rendering its table from the catalog}
TABLES = {'README.md': {'data table': readme_table},
          'data/README.md': {'sources table': sources_table, 'full-size table': remotes_table}}

def markers(name:str)->tuple:
    "The comment lines around a generated region."
    return (f'<!-- {name}: generated from coursekit.data.CATALOG by `{COMMAND}`; do not edit by hand -->', f'<!-- end of {name} -->')

def with_tables(text:str, rel:str, catalog:dict)->str:
    "`text` (the file `rel`) with each of its marked tables replaced by the one rendered from `catalog`."
    for name, render in TABLES[rel].items():
        start, end = markers(name)
        if text.count(start) != 1 or text.count(end) != 1:
            raise ValueError(f"{rel} must hold exactly one region from {start!r} to {end!r}; restore the markers, then run `{COMMAND}`.")
        i, j = text.index(start) + len(start), text.index(end)
        text = text[:i] + '\n' + render(catalog) + '\n' + text[j:]
    return text

def main()->int:
    from coursekit.data import CATALOG
    for rel in TABLES:
        f = root/rel
        old = f.read_text(); new = with_tables(old, rel, CATALOG)
        if new != old: f.write_text(new)
        print(f"{rel}: {'rewritten from the catalog' if new != old else 'already matches the catalog'}")
    return 0

if __name__ == '__main__': sys.exit(main())

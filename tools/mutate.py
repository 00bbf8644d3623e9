"""Break what each closing check guards and see it fail: mutation runs for a notebook's `## Checks` cells.

Usage: python tools/mutate.py nbs/05_collab.ipynb [...]    (mutations from tools/mutations/<notebook stem>.py)

The notebook runs once in a fresh kernel up to its `## Checks` heading. The check cells then run unmutated (they must pass),
and once per mutation: the mutation's code runs first (rebinding names, retraining a broken model...), then every check
cell; the mutation is *killed* when a check raises. Globals are restored after each mutation (a shallow restore: rebind
names in a mutation, do not change tensors in place). Inside a mutation, for breaking something upstream and redoing the work:
- `_rerun(i, j)` re-executes notebook cells i..j-1 (their indices in the notebook file);
- `_run_edited(key, (old, new), ..., prefix='')` runs one cell with text swaps (each must apply); `key` is a cell index, a
  cell id, or text its source contains; `_run_edited(key, old, new)` is the one-swap short form;
- `_ix` maps each cell id to its index.

Mutation file format: blocks headed `# %% <what is broken>`; the code under the heading is the mutation.
Exit status 1 when the unmutated checks fail or any mutation survives. Prints a markdown table for the closing note.
"""
import json, queue, re, sys
from pathlib import Path
from jupyter_client.manager import start_new_kernel

root = Path(__file__).resolve().parent.parent

def parse_mutations(path:Path)->list[tuple[str,str]]:
    "Split a mutation file into (description, code) pairs at `# %% ` headings."
    blocks, name, lines = [], None, []
    for line in path.read_text().splitlines():
        if line.startswith('# %% '):
            if name: blocks.append((name, '\n'.join(lines).strip()))
            name, lines = line[5:].strip(), []
        elif name is not None: lines.append(line)
    if name: blocks.append((name, '\n'.join(lines).strip()))
    return blocks

def run(kc, code:str, timeout=900)->tuple[bool,str]:
    "Execute `code`; return (ok, error summary)."
    msg_id = kc.execute(code, store_history=False)
    err = ''
    while True:
        try: m = kc.get_iopub_msg(timeout=timeout)
        except queue.Empty: return False, 'timeout'
        if m['parent_header'].get('msg_id') != msg_id: continue
        if m['msg_type'] == 'error': err = ' '.join(f"{m['content']['ename']}: {m['content']['evalue']}".split())[:200]
        if m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle': break
    return not err, err

def split_cells(nb:Path):
    "Code cells before `## Checks` (index, source) and the check cells' sources."
    cells = json.loads(nb.read_text())['cells']
    at = next(i for i, c in enumerate(cells) if c['cell_type'] == 'markdown' and ''.join(c['source']).startswith('## Checks'))
    code = lambda c: c['cell_type'] == 'code'
    src = lambda c: ''.join(c['source'])
    return cells, [(i, src(c)) for i, c in enumerate(cells[:at]) if code(c)], [src(c) for c in cells[at:] if code(c)]

PRELUDE = '''
import json as _json
_nb_cells = _json.loads(%r)
_ix = {c.get('id'): i for i, c in enumerate(_nb_cells)}
def _rerun(i, j):
    "Re-execute notebook code cells i..j-1; raise if one fails."
    for k in range(i, j):
        c = _nb_cells[k]
        if c['cell_type'] != 'code': continue
        r = get_ipython().run_cell(''.join(c['source']))
        if not r.success: raise RuntimeError(f'_rerun: cell {k} failed: {r.error_in_exec or r.error_before_exec!r}')
def _cell(key):
    "Index of a cell given its index, its id, or text that its source contains (the first code cell that does)."
    if isinstance(key, int): return key
    if key in _ix: return _ix[key]
    return next(i for i, c in enumerate(_nb_cells) if c['cell_type'] == 'code' and key in ''.join(c['source']))
def _run_edited(key, *swaps, prefix=''):
    "Run cell `key` with (old, new) text swaps, each of which must apply, after `prefix`; raise if the cell fails."
    if len(swaps) == 2 and all(isinstance(s, str) for s in swaps): swaps = [swaps]
    k = _cell(key); src = ''.join(_nb_cells[k]['source'])
    for old, new in swaps:
        assert old in src, f'cell {k} has no {old!r}'
        src = src.replace(old, new)
    r = get_ipython().run_cell(prefix + src)
    if not r.success: raise RuntimeError(f'edited cell {k} failed: {r.error_in_exec or r.error_before_exec!r}')
'''
SAVE = '_mut_saved = dict(globals()); _mut_saved["_mut_saved"] = _mut_saved'  # keep itself, or RESTORE deletes it before using it
RESTORE = '''for _k in [k for k in globals() if k not in _mut_saved]: del globals()[_k]
globals().update(_mut_saved)'''

def mutate(nb:Path)->int:
    mfile = root/'tools'/'mutations'/f'{nb.stem}.py'
    if not mfile.exists(): print(f'{nb.name}: no mutation file {mfile.relative_to(root)}'); return 1
    cells, before, checks = split_cells(nb)
    km, kc = start_new_kernel(kernel_name='python3', cwd=str(nb.parent))
    try:
        run(kc, PRELUDE % json.dumps(cells))
        for i, src in before:
            ok, err = run(kc, src)
            if not ok: print(f'{nb.name}: cell {i} failed before the checks: {err}'); return 1
        check = lambda: next((e for ok, e in (run(kc, s) for s in checks) if not ok), '')
        err = check()
        if err: print(f'{nb.name}: the unmutated checks fail: {err}'); return 1
        rows, survived = [], 0
        for name, code in parse_mutations(mfile):
            run(kc, SAVE)
            ok, err = run(kc, code)
            if not ok: verdict = f'mutation itself failed: {err}'; survived += 1
            else:
                err = check()
                verdict = f'killed: `{err}`' if err else 'SURVIVED'
                survived += not err
            run(kc, RESTORE)
            rows.append((name, verdict))
        print(f'\n### {nb.name}: {len(rows) - survived} of {len(rows)} mutations killed\n')
        print('| what is broken | result |\n|---|---|')
        for name, verdict in rows: print(f'| {name} | {verdict.replace("|", "/")} |')
        return 1 if survived else 0
    finally:
        kc.stop_channels(); km.shutdown_kernel(now=True)

if __name__ == '__main__':
    sys.exit(max([mutate(Path(a).resolve()) for a in sys.argv[1:]] or [2]))

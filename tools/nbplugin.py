"""pytest plugin for running nbs/ under nbval (`-p tools.nbplugin`).

1. nbdev-clean removes execution counts but keeps outputs; nbval reads a cell with outputs and no count as an
   "unrun reference cell" and fails it. Committed notebooks are run notebooks, so their cells get a count back.
2. Sum each notebook's cell times and print a per-notebook wall-time table at the end.
"""
from collections import defaultdict

_times, _status = defaultdict(float), {}

def pytest_collection_modifyitems(items):
    for item in items:
        cell = getattr(item, 'cell', None)
        if cell is not None and cell.get('outputs') and cell.get('execution_count') is None: cell['execution_count'] = 1

def pytest_runtest_logreport(report):
    path = report.nodeid.split('::')[0]
    _times[path] += report.duration
    if report.failed: _status[path] = 'FAILED'
    else: _status.setdefault(path, 'ok')

def pytest_terminal_summary(terminalreporter):
    if not _times: return
    w = max(len(p) for p in _times)
    tr = terminalreporter
    tr.write_sep('=', 'per-notebook wall time (all cells, kernel start included)')
    tr.write_line(f"{'notebook':<{w}}  {'seconds':>8}  status")
    for p in sorted(_times): tr.write_line(f"{p:<{w}}  {_times[p]:8.1f}  {_status[p]}")
    tr.write_line(f"{'total':<{w}}  {sum(_times.values()):8.1f}")

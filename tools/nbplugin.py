"""pytest plugin for running nbs/ under nbval (`-p tools.nbplugin`).

1. nbdev-clean removes execution counts but keeps outputs; nbval reads a cell with outputs and no count as an
   "unrun reference cell" and fails it. Committed notebooks are run notebooks, so their cells get a count back.
2. Sum each notebook's cell times and print a per-notebook wall-time table at the end.
3. nbval reads a cell's iopub messages only after the cell ends. ZMQ queues at most 1,000 messages per socket by default and
   drops the rest, so a long cell with many progress-bar updates (lesson 07's classifiers on a slow CPU) could lose its final
   status message, and nbval failed it with "Timeout of 5 seconds exceeded waiting for output". The client's iopub socket is
   made unbounded (RCVHWM 0) before it connects, so its I/O thread keeps draining the kernel's messages while the cell runs.
"""
from collections import defaultdict
import zmq
from jupyter_client.connect import ConnectionFileMixin

_connect = ConnectionFileMixin._create_connected_socket
def _create_connected_socket(self, channel, identity=None):
    "jupyter_client's method, with the iopub socket's receive queue unbounded (set on the context before the socket exists)."
    if channel != 'iopub': return _connect(self, channel, identity)
    had = self.context.sockopts.get(zmq.RCVHWM)
    self.context.setsockopt(zmq.RCVHWM, 0)
    try: return _connect(self, channel, identity)
    finally:
        if had is None: self.context.sockopts.pop(zmq.RCVHWM, None)
        else: self.context.setsockopt(zmq.RCVHWM, had)
ConnectionFileMixin._create_connected_socket = _create_connected_socket

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

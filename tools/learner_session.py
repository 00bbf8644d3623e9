"""Replay a learner's session in JupyterLab: start `jupyter lab` on nbs/, open a lesson as a notebook session (REST API), run
the lesson's cells up to "Your turn" through the kernel's websocket, then type the given cells and print what each shows.

Usage: python tools/learner_session.py nbs/01_tensors_broadcasting.ipynb cells.py
`cells.py` holds the learner's cells, separated by lines `# %%`. Progress goes to a fresh temporary file ($COURSEKIT_PROGRESS).
Not part of make test: it is how the exercise workflow was tried end to end for the closing note.
"""
import asyncio, json, os, socket, subprocess, sys, tempfile, time, urllib.request, uuid
from pathlib import Path
from tornado.websocket import websocket_connect

root = Path(__file__).resolve().parent.parent

def free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def rest(port, token, method, path, body=None):
    req = urllib.request.Request(f'http://127.0.0.1:{port}{path}', method=method, data=json.dumps(body).encode() if body else None,
                                 headers={'Authorization': f'token {token}', 'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=30) as r: return json.loads(r.read() or b'null')

async def execute(ws, code, session):
    "Send one execute_request; return the text the cell shows (streams, results, errors)."
    mid = uuid.uuid4().hex
    await ws.write_message(json.dumps({'header': {'msg_id': mid, 'msg_type': 'execute_request', 'username': 'learner', 'session': session,
                                                  'version': '5.3', 'date': ''}, 'parent_header': {}, 'metadata': {}, 'channel': 'shell',
                                       'content': {'code': code, 'silent': False, 'store_history': True, 'user_expressions': {}, 'allow_stdin': False}}))
    out = []
    while True:
        m = json.loads(await ws.read_message())
        if m.get('parent_header', {}).get('msg_id') != mid: continue
        t, c = m['msg_type'], m['content']
        if t == 'stream': out.append(c['text'])
        elif t in ('execute_result', 'display_data'): out.append(c['data'].get('text/plain', '') + '\n')
        elif t == 'error': out.append(f"{c['ename']}: {c['evalue']}\n")
        elif t == 'status' and c['execution_state'] == 'idle': return ''.join(out)

async def session(nb_path:Path, learner_cells:list):
    port, token = free_port(), uuid.uuid4().hex
    env = dict(os.environ, COURSEKIT_PROGRESS=os.path.join(tempfile.mkdtemp(), 'progress.json'), PYTHONPATH=str(root))
    lab = subprocess.Popen([str(Path(sys.executable).parent/'jupyter'), 'lab', '--no-browser', '--ip', '127.0.0.1', '--port', str(port),
                            '--allow-root', f'--IdentityProvider.token={token}', '--notebook-dir', str(nb_path.parent)],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try: rest(port, token, 'GET', '/api/status'); break
            except Exception: time.sleep(0.5)
        s = rest(port, token, 'POST', '/api/sessions', {'path': nb_path.name, 'type': 'notebook', 'name': nb_path.name, 'kernel': {'name': 'python3'}})
        print(f"JupyterLab at 127.0.0.1:{port}; opened {nb_path.name} (kernel {s['kernel']['id'][:8]})")
        ws = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{s['kernel']['id']}/channels?token={token}")
        cells = json.loads(nb_path.read_text())['cells']
        end = next(i for i, c in enumerate(cells) if c['cell_type'] == 'markdown' and ''.join(c['source']).startswith('## Your turn'))
        n = 0
        for c in cells[:end]:
            if c['cell_type'] == 'code': await execute(ws, ''.join(c['source']), s['id']); n += 1
        print(f"ran the lesson's {n} code cells above 'Your turn'\n")
        for code in learner_cells:
            print('In:  ' + code.replace('\n', '\n     '))
            print('Out: ' + (await execute(ws, code, s['id'])).rstrip().replace('\n', '\n     ') + '\n')
        ws.close()
    finally:
        lab.terminate(); lab.wait(timeout=30)

if __name__ == '__main__':
    nb, cells_file = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    cells = [c.strip('\n') for c in cells_file.read_text().split('# %%\n') if c.strip()]
    asyncio.run(session(nb, cells))

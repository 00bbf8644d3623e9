"""Shared fixtures: a real HTTP server on 127.0.0.1 and a throwaway data folder."""
import http.server, socket, threading
import pytest

class _Handler(http.server.BaseHTTPRequestHandler):
    files = {}      # path -> bytes served whole
    truncated = {}  # path -> bytes; announced in full, half sent, then the connection is closed
    hits = []       # every path requested

    def do_GET(self):
        type(self).hits.append(self.path)
        if self.path in self.truncated:
            body = self.truncated[self.path]
            self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers()
            self.wfile.write(body[:len(body) // 2]); self.wfile.flush()
            self.close_connection = True
            return
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404); self.send_header('Content-Length', '0'); self.end_headers(); return
        self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args): pass

class LocalServer:
    "A threaded http.server on a random port of 127.0.0.1."
    def __init__(self):
        self.handler = type('Handler', (_Handler,), {'files': {}, 'truncated': {}, 'hits': []})
        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), self.handler)
        self.url = f'http://127.0.0.1:{self.httpd.server_port}'
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
    def add(self, path, body, truncated=False):
        (self.handler.truncated if truncated else self.handler.files)[path] = body
        return self.url + path
    @property
    def hits(self): return self.handler.hits

@pytest.fixture
def server():
    s = LocalServer()
    yield s
    s.httpd.shutdown(); s.httpd.server_close()

@pytest.fixture
def closed_port_url():
    "A URL on a port where nothing listens (connection refused)."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    return f'http://127.0.0.1:{port}/mnist.npz'

@pytest.fixture
def data_home(tmp_path, monkeypatch):
    "Point COURSEKIT_DATA at an empty temporary folder."
    monkeypatch.setenv('COURSEKIT_DATA', str(tmp_path/'data'))
    monkeypatch.delenv('COURSEKIT_OFFLINE', raising=False)
    return tmp_path/'data'

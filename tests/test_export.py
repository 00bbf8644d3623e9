"""nbs/00_export's `FreshModules`: `#| export <module>` writes the same files however often nbdev-export runs, and a module with two source notebooks is refused."""
import json, os, subprocess, sys
from pathlib import Path
import pytest

PYPROJECT = """[project]
name = "toy"
version = "0.0.1"

[tool.nbdev]
nbs_path = "nbs"
lib_path = "toy"
lib_name = "toy"
repo = "toy"
user = "toy"
branch = "main"
doc_path = "_docs"
recursive = false
black_formatting = false
export_procs = ["coursekit.nbexport:FreshModules"]
"""

def notebook(*sources):
    cells = [{'cell_type': 'code', 'execution_count': None, 'id': f'c{i}', 'metadata': {}, 'outputs': [], 'source': s}
             for i, s in enumerate(sources)]
    return json.dumps({'cells': cells, 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5})

def project(tmp_path, notebooks:dict):
    (tmp_path/'pyproject.toml').write_text(PYPROJECT)
    (tmp_path/'nbs').mkdir(); (tmp_path/'toy').mkdir()
    for name, srcs in notebooks.items(): (tmp_path/'nbs'/name).write_text(notebook(*srcs))
    return tmp_path

def export(root):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parent.parent), os.environ.get('PYTHONPATH', '')]))
    return subprocess.run([str(Path(sys.executable).parent/'nbdev-export')], cwd=root, env=env, capture_output=True, text=True)

def test_one_notebook_two_modules_is_idempotent(tmp_path):
    root = project(tmp_path, {'01_a.ipynb': ['#| default_exp a', '#| export\ndef f(): return 1', '#| export b\ndef g(): return 2\n_h = 3']})
    runs = []
    for _ in range(3):
        r = export(root); assert r.returncode == 0, r.stderr
        runs.append({p.name: p.read_text() for p in (root/'toy').glob('*.py')})
    assert runs[0] == runs[1] == runs[2]
    b = runs[0]['b.py']
    assert b.count('def g()') == 1 and "__all__ = ['g']" in b and 'File to edit: ../nbs/01_a.ipynb' in b
    assert 'def g' not in runs[0]['a.py']

def test_module_with_two_source_notebooks_is_refused(tmp_path):
    root = project(tmp_path, {'01_a.ipynb': ['#| default_exp a', '#| export shared\ndef f(): return 1'],
                              '02_b.ipynb': ['#| default_exp b', '#| export shared\ndef g(): return 2']})
    r = export(root)
    assert r.returncode != 0 and "Module 'shared' gets cells from 01_a.ipynb, 02_b.ipynb" in r.stderr

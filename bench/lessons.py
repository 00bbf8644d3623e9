"""Time every notebook in nbs/ in a fresh kernel; write bench/results/lessons.json and print a table.

Usage: python bench/lessons.py [NOTEBOOK ...]   (default: every nbs/*.ipynb)
Budgets (checked here, never as timed tests): 120 s per lesson, 180 s for 03b (fine-tuning a pretrained model), 240 s for the NLP lessons (07 and 07b).
"""
import json, platform, re, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

root = Path(__file__).resolve().parent.parent
BUDGET = {'07': 240, '03b': 180} # notebook-name prefix -> seconds; the longest matching prefix wins

def budget(nb:Path)->int: return next((BUDGET[p] for p in sorted(BUDGET, key=len, reverse=True) if nb.name.startswith(p)), 120)

def run(nb:Path)->float:
    "Execute `nb` in a fresh kernel from nbs/, return its wall time in seconds."
    book = nbformat.read(nb, as_version=4)
    t = time.perf_counter()
    NotebookClient(book, timeout=900, kernel_name='python3', resources={'metadata': {'path': str(nb.parent)}}).execute()
    return time.perf_counter() - t

def readme_with_times(text:str, results:dict)->str:
    "README `text` with its lessons table's last column (CPU time) set from `results` (notebook file name -> {'seconds': ...})."
    def row(m):
        r = results.get(m.group('nb') + '.ipynb')
        return m.group(0) if r is None else f"{m.group('head')}{r['seconds']:.0f} s |"
    return re.sub(r"^(?P<head>\| `(?P<nb>\w+)` \|.*\| )[^|]*\|$", row, text, flags=re.M)

def main(names):
    if {'-h', '--help'} & set(names): print(__doc__.strip()); return 0
    import torch
    from coursekit.core import default_device
    nbs = [Path(n).resolve() for n in names] or sorted((root/'nbs').glob('[0-9]*.ipynb'))
    out = root/'bench'/'results'/'lessons.json'
    results = json.loads(out.read_text()) if out.exists() and names else {}
    dev = str(default_device())
    for nb in nbs:
        s = run(nb)
        results[nb.name] = {'seconds': round(s, 1), 'budget_s': budget(nb), 'device': dev, 'torch': torch.__version__,
                            'cpu_threads': torch.get_num_threads(), 'machine': platform.machine(),
                            'when': time.strftime('%Y-%m-%d %H:%M')}
        print(f"{nb.name:<32} {s:7.1f} s  (budget {budget(nb)} s){'  OVER BUDGET' if s > budget(nb) else ''}", flush=True)
    out.parent.mkdir(exist_ok=True)
    tmp = out.with_suffix('.tmp'); tmp.write_text(json.dumps(results, indent=1) + '\n'); tmp.replace(out)
    print(f"\n{'notebook':<32} {'seconds':>7}  budget  device")
    for k, r in sorted(results.items()): print(f"{k:<32} {r['seconds']:7.1f}  {r['budget_s']:6}  {r['device']}")
    print(f"wrote {out.relative_to(root)}")
    readme = root/'README.md'
    readme.write_text(readme_with_times(readme.read_text(), results))
    print("README.md: lessons table's CPU times set from it")
    return 1 if any(r['seconds'] > r['budget_s'] for r in results.values()) else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))

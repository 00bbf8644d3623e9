"""Lesson 07b at full size (not run in CI): the top layers (4-5, from cached states) and then all layers, each trained on
every training snippet. Prints validation accuracy for each step and writes bench/results/nlp_full.json.

Usage: python bench/nlp_full.py
It executes nbs/07b_nlp_transformers.ipynb in a fresh kernel with its size constant `N_ALL` replaced (the top-layers step
already uses every training snippet there), so the code is the lesson's own. Several minutes on a 2-core CPU.
"""
import json, platform, re, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

root = Path(__file__).resolve().parent.parent
FULL = {'N_ALL': 'len(tr)'}   # notebook default: 960 snippets for the all-layers step
KEYS = ['majority_acc', 'tfidf_acc', 'head_acc', 'top_acc', 'all_acc', 'N_ALL']

def full_size(nb):
    "Replace each `NAME = <number>` line of `FULL` in the notebook's code cells; fail if one is not found exactly once."
    for name, value in FULL.items():
        hits = 0
        for c in nb.cells:
            if c.cell_type != 'code': continue
            c.source, n = re.subn(rf'^{name} = \d+', f'{name} = {value}', c.source, flags=re.M); hits += n
        if hits != 1: raise SystemExit(f"bench/nlp_full.py: expected one line '{name} = <number>' in the notebook, found {hits}.")
    before = max(i for i, c in enumerate(nb.cells) if c.cell_type == 'code')      # the closing checks
    report = "import json as _j; print('RESULT ' + _j.dumps({k: float(globals()[k]) for k in %r}))" % KEYS
    nb.cells.insert(before, nbformat.v4.new_code_cell(report))
    return nb

def main():
    import torch
    from coursekit.core import default_device
    nb = full_size(nbformat.read(root/'nbs'/'07b_nlp_transformers.ipynb', as_version=4))
    t = time.perf_counter()
    NotebookClient(nb, timeout=3600, kernel_name='python3', resources={'metadata': {'path': str(root/'nbs')}}).execute()
    secs = time.perf_counter() - t
    line = next(l for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', []) if o.get('output_type') == 'stream'
                for l in o['text'].splitlines() if l.startswith('RESULT '))
    r = json.loads(line[len('RESULT '):])
    r.update(seconds=round(secs, 1), device=str(default_device()), torch=torch.__version__, cpu_threads=torch.get_num_threads(),
             machine=platform.machine(), when=time.strftime('%Y-%m-%d %H:%M'))
    print(f"full size: top layers and all layers on {r['N_ALL']:,.0f} snippets; {secs:.0f} s on {r['device']}")
    for k, name in [('majority_acc', 'majority class'), ('tfidf_acc', 'TF-IDF + logistic regression'), ('head_acc', 'MiniLM: head only'),
                    ('top_acc', '+ layers 4-5 fine-tuned'), ('all_acc', '+ all layers')]:
        print(f'{name:<40} {r[k]:.4f}')
    out = root/'bench'/'results'/'nlp_full.json'; out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(r, indent=1) + '\n'); print(f'wrote {out.relative_to(root)}')

if __name__ == '__main__': sys.exit(main())

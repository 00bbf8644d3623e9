"""Time `import coursekit` and each catalog loader (cold, then warm); write bench/results/loaders.json and print a table.

Usage: python bench/loaders.py
Budgets (checked here, never as timed tests): import coursekit < 1 s; a warm `load(name)` < 5 s.
The behaviour (shapes, split sizes, laziness) is tested in tests/test_package.py; this file only measures time.
"""
import json, platform, subprocess, sys, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
IMPORT_BUDGET_S, WARM_BUDGET_S = 1.0, 5.0

def import_seconds()->float:
    "Seconds `import coursekit` takes in a fresh interpreter."
    code = "import time; t = time.perf_counter(); import coursekit; print(time.perf_counter() - t)"
    return float(subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True, cwd=root).stdout)

def main():
    from coursekit.data import CATALOG, load
    rows = {'import coursekit': {'cold_s': round(import_seconds(), 3), 'warm_s': None, 'budget_s': IMPORT_BUDGET_S}}
    for name in CATALOG:
        t = time.perf_counter(); load(name); cold = time.perf_counter() - t
        t = time.perf_counter(); load(name); warm = time.perf_counter() - t
        rows[f'load({name!r})'] = {'cold_s': round(cold, 3), 'warm_s': round(warm, 3), 'budget_s': WARM_BUDGET_S}
    import torch
    out = root/'bench'/'results'/'loaders.json'
    out.parent.mkdir(exist_ok=True)
    result = {'rows': rows, 'torch': torch.__version__, 'cpu_threads': torch.get_num_threads(), 'machine': platform.machine(),
              'when': time.strftime('%Y-%m-%d %H:%M')}
    tmp = out.with_suffix('.tmp'); tmp.write_text(json.dumps(result, indent=1) + '\n'); tmp.replace(out)
    print(f"{'what':<24} {'cold s':>8} {'warm s':>8} {'budget s':>9}")
    over = 0
    for k, r in rows.items():
        timed = r['warm_s'] if r['warm_s'] is not None else r['cold_s']
        flag = '  OVER BUDGET' if timed > r['budget_s'] else ''
        over += bool(flag)
        print(f"{k:<24} {r['cold_s']:8.3f} {r['warm_s'] if r['warm_s'] is not None else '-':>8} {r['budget_s']:9.1f}{flag}")
    print(f"wrote {out.relative_to(root)}")
    return 1 if over else 0

if __name__ == '__main__': sys.exit(main())

"""Time `check()` for every registered exercise: the reference answer and each catalogued mistake (the slowest path, since a
wrong answer also runs the mistake catalogue); write bench/results/exercises.json and print a table.

Usage: python bench/exercises.py
Budget (checked here, never as a timed test): each check under 1 s on this CPU. Progress is written to a temporary file.
"""
import json, os, platform, sys, tempfile, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
BUDGET_S = 1.0

def timed(f)->float:
    t = time.perf_counter(); f(); return time.perf_counter() - t

def main():
    import contextlib, io, torch
    os.environ['COURSEKIT_PROGRESS'] = os.path.join(tempfile.mkdtemp(), 'progress.json')
    from coursekit.exercises import registry
    rows = {}
    for k in sorted(registry):
        ex = registry[k]
        with contextlib.redirect_stdout(io.StringIO()):
            if ex.kind != 'function':
                args = ex.inputs(torch.Generator().manual_seed(0))[0]
                times = [timed(lambda: ex.check(ex.reference(*args), *args))] + [timed(lambda m=m: ex.check(m.wrong(*args), *args)) for m in ex.mistakes]
            else:
                times = [timed(lambda: ex.check(ex.reference))] + [timed(lambda m=m: ex.check(m.wrong)) for m in ex.mistakes]
        rows[k] = {'reference_s': round(times[0], 4), 'slowest_s': round(max(times), 4), 'checks': len(times)}
        print(f"{k:<28} reference {times[0]:.3f} s, slowest of {len(times)} checks {max(times):.3f} s{'  OVER BUDGET' if max(times) > BUDGET_S else ''}")
    worst = max(rows.values(), key=lambda r: r['slowest_s']) if rows else None
    out = root/'bench'/'results'/'exercises.json'
    tmp = out.with_suffix('.tmp')
    tmp.write_text(json.dumps({'budget_s': BUDGET_S, 'machine': platform.machine(), 'torch': torch.__version__, 'cpu_threads': torch.get_num_threads(),
                               'n_exercises': len(rows), 'slowest_s': worst['slowest_s'] if worst else None, 'exercises': rows}, indent=1) + '\n')
    tmp.replace(out)
    print(f"{len(rows)} exercises; slowest check {worst['slowest_s'] if worst else 0:.3f} s (budget {BUDGET_S} s); wrote {out.relative_to(root)}")
    return 1 if worst and worst['slowest_s'] > BUDGET_S else 0

if __name__ == '__main__': sys.exit(main())

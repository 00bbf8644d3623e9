"""Fail when the notebooks and the generated package disagree, or a notebook is not clean.

1. `nbdev-export` must not change `coursekit/` (it is generated from `nbs/`; never edit it by hand).
2. `nbdev-clean` must not change any notebook (commit notebooks cleaned).
Both commands run for real; what they changed is left in place and listed, so `git diff` shows it.
"""
import filecmp, shutil, subprocess, sys, tempfile
from pathlib import Path

root = Path(__file__).resolve().parent.parent
bin_dir = Path(sys.executable).parent

def snapshot(src, dst, pattern):
    "Copy the files matching `pattern` under `src` into `dst`."
    for f in src.glob(pattern):
        if '.ipynb_checkpoints' in f.parts or '__pycache__' in f.parts: continue
        t = dst / f.relative_to(src); t.parent.mkdir(parents=True, exist_ok=True); shutil.copy2(f, t)

def changed(before, after, pattern):
    "Relative paths that differ, appeared or vanished between two trees."
    a = {p.relative_to(before) for p in before.glob(pattern)}
    b = {p.relative_to(after) for p in after.glob(pattern) if '.ipynb_checkpoints' not in p.parts and '__pycache__' not in p.parts}
    return sorted(str(p) for p in a ^ b) + sorted(str(p) for p in a & b if not filecmp.cmp(before/p, after/p, shallow=False))

def check(cmd, folder, pattern, advice):
    "Run `cmd` and report files it changed in `folder`."
    with tempfile.TemporaryDirectory() as tmp:
        snapshot(root/folder, Path(tmp), pattern)
        subprocess.run([str(bin_dir/cmd)], cwd=root, check=True)
        diff = changed(Path(tmp), root/folder, pattern)
    if diff: print(f"FAIL: `{cmd}` changed {len(diff)} file(s) in {folder}/: {', '.join(diff)}\n      {advice}")
    else: print(f"ok: `{cmd}` leaves {folder}/ unchanged")
    return not diff

ok = check('nbdev-export', 'coursekit', '**/*.py',
           "The package was out of sync with the notebooks. Edit nbs/, run nbdev-export, and commit coursekit/ with them.")
ok &= check('nbdev-clean', 'nbs', '**/*.ipynb',
            "Notebooks were committed uncleaned. They are now cleaned in place: commit them.")
sys.exit(0 if ok else 1)

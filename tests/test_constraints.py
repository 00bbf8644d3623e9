"""constraints.txt: `make install` pins with it, it pins every dependency pyproject.toml names, and each pin lies in its range."""
import re, tomllib
from pathlib import Path
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]

def pins()->dict:
    out = {}
    for line in (ROOT/'constraints.txt').read_text().splitlines():
        if not line.strip() or line.startswith('#'): continue
        m = re.fullmatch(r'([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.!]+)', line.strip())
        assert m, f"constraints.txt: {line!r} is not an exact 'name==version' pin (no URLs, editables or local labels like +cpu)"
        out[canonicalize_name(m[1])] = m[2]
    return out

def test_every_dependency_is_pinned_inside_its_range():
    proj = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']
    reqs = [Requirement(r) for r in proj['dependencies'] + [r for rs in proj['optional-dependencies'].values() for r in rs]]
    p = pins()
    assert 'coursekit' not in p, "constraints.txt pins coursekit itself; make constraints leaves it out"
    missing = [r.name for r in reqs if canonicalize_name(r.name) not in p]
    assert not missing, f"constraints.txt has no pin for {missing}: run `make constraints`"
    outside = [(r.name, str(r.specifier), p[canonicalize_name(r.name)]) for r in reqs if not r.specifier.contains(p[canonicalize_name(r.name)], prereleases=True)]
    assert not outside, f"pins outside pyproject.toml's ranges {outside}: run `make constraints`"

def test_make_install_uses_the_constraints():
    mk = (ROOT/'Makefile').read_text()
    assert re.search(r'^CONSTRAINTS \?= constraints\.txt$', mk, re.M) and '$(PIP_C) -e ".[dev]"' in mk

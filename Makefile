# coursekit: two commands for a fresh machine (Python 3.11 + pip).
#   make lab   - create .venv, install, export the package, start JupyterLab on nbs/
#   make test  - create or reuse .venv, install, then run every check and test
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.coursekit-installed
PORT ?= 8888
# Each pytest-xdist worker runs whole notebooks (--dist loadfile keeps one notebook in one kernel).
# One torch thread per worker: two workers with two threads each would fight over two cores.
WORKERS ?= 2
NB_THREADS ?= 1

.PHONY: lab test install export check-sync test-py test-nbs bench mutants clean-venv

# Reinstall only when pyproject.toml's content changes (nbdev rewrites the file, so its mtime is no guide).
install:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@want=$$(sha256sum pyproject.toml | cut -c1-64); \
	if [ "$$(cat $(STAMP) 2>/dev/null)" != "$$want" ]; then \
	  echo "installing coursekit and its dependencies into $(VENV) (about 2-3 minutes the first time)"; \
	  $(BIN)/python -m pip install --disable-pip-version-check -q -e ".[dev]" 2>&1 | { grep -v "^WARNING: Location .* is ignored" || true; } && \
	  echo "$$want" > $(STAMP); \
	else echo "$(VENV) is up to date"; fi

export: install
	$(BIN)/nbdev-export

lab: export
	@echo "JupyterLab on nbs/ at http://127.0.0.1:$(PORT)/lab (the tokenised URL is printed below; Ctrl-C stops it)"
	$(BIN)/jupyter lab --no-browser --ip 127.0.0.1 --port $(PORT) --allow-root --notebook-dir nbs

check-sync: install
	$(BIN)/python tools/check_sync.py

test-py: install
	$(BIN)/python -m pytest -q tests

test-nbs: install
	OMP_NUM_THREADS=$(NB_THREADS) MKL_NUM_THREADS=$(NB_THREADS) $(BIN)/python -m pytest -q -p tools.nbplugin --nbval-lax -n $(WORKERS) --dist loadfile nbs

test: install
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory check-sync && \
	$(MAKE) --no-print-directory test-py && \
	$(MAKE) --no-print-directory test-nbs; rc=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s after install (exit $$rc)"; exit $$rc

bench: install
	$(BIN)/python bench/loaders.py
	$(BIN)/python bench/lessons.py

# Break what each notebook's closing checks guard (tools/mutations/*.py) and see every check fail; not part of make test.
mutants: install
	$(BIN)/python tools/mutate.py $(sort $(wildcard nbs/[0-9]*.ipynb))

clean-venv:
	rm -rf $(VENV)

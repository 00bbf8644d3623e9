# coursekit: two commands for a fresh machine (Python 3.11 + pip).
#   make lab   - create .venv, install, export the package, start JupyterLab on nbs/
#   make test  - create or reuse .venv, install, then run every check and test
#   make constraints - refresh constraints.txt, the exact versions `install` uses (see that target)
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.coursekit-installed
# The exact versions every install uses, so a new release cannot turn a clean clone red or change a canonical split.
# `make test CONSTRAINTS= VENV=.venv-unpinned` tests the newest releases pyproject.toml's ranges allow instead.
CONSTRAINTS ?= constraints.txt
PIP_C := $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
PORT ?= 8888
# Each pytest-xdist worker runs whole notebooks (--dist loadfile keeps one notebook in one kernel).
# One torch thread per worker: two workers with two threads each would fight over two cores.
WORKERS ?= 2
NB_THREADS ?= 1

.PHONY: lab test install export check-sync test-py test-nbs bench mutants clean-venv constraints

# Reinstall only when pyproject.toml's or the constraints' content changes (nbdev rewrites pyproject.toml, so mtimes are no guide).
install:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@want=$$(cat pyproject.toml $(CONSTRAINTS) | sha256sum | cut -c1-64); \
	if [ "$$(cat $(STAMP) 2>/dev/null)" != "$$want" ]; then \
	  echo "installing coursekit and its dependencies into $(VENV) $(if $(CONSTRAINTS),pinned by $(CONSTRAINTS),unpinned) (about 2-3 minutes the first time)"; \
	  $(BIN)/python -m pip install --disable-pip-version-check -q $(PIP_C) -e ".[dev]" 2>&1 | { grep -v "^WARNING: Location .* is ignored" || true; } && \
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
	$(BIN)/python bench/exercises.py
	$(BIN)/python bench/lessons.py

# Break what each notebook's closing checks guard (tools/mutations/*.py) and see every check fail; not part of make test.
mutants: install
	$(BIN)/python tools/mutate.py $(sort $(wildcard nbs/[0-9]*.ipynb))

clean-venv:
	rm -rf $(VENV)

# Refresh constraints.txt: install the newest versions pyproject.toml's ranges allow into a throwaway venv, then freeze it
# (coursekit and pip left out, setuptools and wheel kept; local labels such as +cpu dropped, so the pins hold for the CPU and the CUDA wheels alike).
# Review the diff, run `make test`, and commit constraints.txt with any notebook outputs that changed.
LOCK_VENV := .venv-constraints
constraints:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --disable-pip-version-check -q -e ".[dev]"
	{ echo "# Exact versions for 'make install' (pip install -c constraints.txt). Refresh with 'make constraints'."; \
	  echo "# Made with $$($(LOCK_VENV)/bin/python --version) on $$(uname -m)."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude coursekit --exclude pip | sed -E 's/\+[A-Za-z0-9.]+$$//'; } > constraints.txt.tmp
	mv constraints.txt.tmp constraints.txt && rm -rf $(LOCK_VENV)

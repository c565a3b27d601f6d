# Two commands on a fresh clone: `make run` and `make test`.
# Both build .venv from uv.lock first; only a Python from 3.11 to 3.13 and the package index are needed.
SUPPORTED := 3.13 3.12 3.11
# The newest supported interpreter on the PATH (python3.13, python3.12, python3.11, then python3);
# PYTHON=... on the command line chooses another.
PYTHON ?= $(shell for p in $(addprefix python,$(SUPPORTED)) python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
	>/dev/null 2>&1 && { echo $$p; break; }; done)
VENV   := .venv
UV     := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: run test bench python lock-check clean-env

python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "newswatch needs Python 3.11, 3.12 or 3.13 on the PATH (as python3.13, python3.12, python3.11 or python3);" >&2; \
		echo "found: $$(python3 --version 2>&1 || echo 'no python3')." >&2; \
		echo "Install one (e.g. apt-get install python3.11) or name it: make PYTHON=/path/to/python3.12 ..." >&2; \
		exit 1; \
	fi
	@echo "using $(PYTHON) ($$($(PYTHON) --version 2>&1))"

$(VENV)/.synced: pyproject.toml uv.lock
	@$(MAKE) --no-print-directory python PYTHON="$(PYTHON)"
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"; }
	$(UV) sync --frozen --quiet --compile-bytecode --python $(VENV)/bin/python
	@touch $@

run: $(VENV)/.synced
	$(VENV)/bin/newswatch run

test: $(VENV)/.synced
	$(VENV)/bin/python -m pytest

bench: $(VENV)/.synced
	$(VENV)/bin/python bench/run.py
	$(VENV)/bin/python bench/e2e.py
	$(VENV)/bin/python bench/growth.py

# The lock is current, and its pinned versions install from wheels on every supported Python
# (no interpreter of those versions needed: uv resolves for a version it is told).
lock-check: $(VENV)/.synced
	$(UV) lock --check
	@$(UV) export --frozen --quiet --no-hashes --no-emit-project --no-dev --output-file $(VENV)/pinned.txt
	@for v in $(SUPPORTED); do \
		$(UV) pip compile $(VENV)/pinned.txt --quiet --python-version $$v --python-platform x86_64-unknown-linux-gnu \
			--only-binary :all: --output-file /dev/null && echo "Python $$v: every pinned dependency has a wheel" || exit 1; \
	done

clean-env:
	rm -rf $(VENV)

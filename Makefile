# Two commands on a fresh clone: `make run` and `make test`.
# Both build .venv from uv.lock first; only Python 3.11 and the package index are needed.
PYTHON ?= python3
VENV   := .venv
UV     := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: run test bench lint clean-env

$(VENV)/.synced: pyproject.toml uv.lock
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"; }
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

run: $(VENV)/.synced
	$(VENV)/bin/newswatch run

test: $(VENV)/.synced
	$(VENV)/bin/python -m pytest

bench: $(VENV)/.synced
	$(VENV)/bin/python bench/run.py
	$(VENV)/bin/python bench/e2e.py
	$(VENV)/bin/python bench/growth.py

clean-env:
	rm -rf $(VENV)

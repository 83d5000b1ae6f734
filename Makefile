# claimscope: the two commands that work on a fresh machine are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test venv bench clean

venv: $(STAMP)

# Pinned: every package comes from requirements.lock (pip freeze of a working install).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# Extract the bundled example article and print its ledger as a table.
demo: venv
	$(BIN)/claimscope extract --example --format table

# The whole suite, PostgreSQL included when a server can be started here.
test: venv
	. .ci/env.sh && $(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/attribution.py
	$(BIN)/python bench/quantities.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

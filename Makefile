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

STORY := claimscope/examples/story
DEMO_DB := out/demo.db

# The bundled example article's ledger as a table; then the bundled story (twelve pages about
# one developing story) ingested into a fresh SQLite store and its cross-source report written.
demo: venv
	$(BIN)/claimscope extract --example --format table
	@mkdir -p out && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/claimscope ingest $(STORY) --db sqlite:///$(DEMO_DB)
	$(BIN)/claimscope report --db sqlite:///$(DEMO_DB) --format md -o out/report.md
	$(BIN)/claimscope report --db sqlite:///$(DEMO_DB) --format html -o out/report.html
	$(BIN)/claimscope claims --db sqlite:///$(DEMO_DB) --topic displaced
	@echo "report: out/report.html (open it in a browser), out/report.md; store: $(DEMO_DB)"
	@echo "browse the store: $(BIN)/claimscope serve --db sqlite:///$(DEMO_DB)  (then http://127.0.0.1:8765/)"

# The whole suite, PostgreSQL included when a server can be started here.
test: venv
	. .ci/env.sh && $(BIN)/python -m pytest -q

SHARED := ../shared/data

# Every benchmark of docs/benchmarks.md, in the order the document gives them.
bench: venv
	$(BIN)/python bench/attribution.py $(SHARED)/attribution/polnear-dev.jsonl
	$(BIN)/python bench/quantities.py $(SHARED)/quantities/newsquant-dev.jsonl
	$(BIN)/python bench/quantities.py $(SHARED)/quantities/quantulum3_tests.jsonl
	$(BIN)/python bench/quantities.py $(SHARED)/quantities/cqe_recognizers_units.jsonl
	$(BIN)/python bench/pages.py $(SHARED)/article-extraction/
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/ingest.py $(SHARED)/article-extraction/
	$(BIN)/python bench/memory.py $(SHARED)/article-extraction/
	$(BIN)/python bench/story.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache out

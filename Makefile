# Two commands on a fresh machine with Python 3.11+ and make:
#   make serve   serve the API on the embedded SQLite default, with the paper's data loaded
#   make test    lint, type-check and run every test (SQLite and a throwaway PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: serve test lint clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

serve: $(INSTALLED)
	$(BIN)/silkgraph serve

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# One worker per core, each with its own PostgreSQL cluster and templates; a test file stays
# on one worker, so a file's session-wide data (the SIPRI template) is built once.
test: lint
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=25

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache

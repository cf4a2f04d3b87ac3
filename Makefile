# Two entry points for a fresh machine (Python >= 3.10 with venv): `make sample` and `make test`.
# Each creates .venv in the checkout and installs what it needs (grading needs no torch).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: sample test build browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

# Grade the bundled sample class (correct, buggy and notebook submissions) and print the results.
sample: $(VENV)/.runtime
	$(BIN)/rnn-grader grade --sample --out out/sample_class

# The whole test suite (installs torch 2.13.0, the CPU build, for the second oracle), on two
# processes (pytest-xdist): the tests that start sandboxes spend most of their time waiting.
test: $(VENV)/.dev browser
	$(BIN)/python -m pytest -q -n 2

# The report's browser tests render it in Chromium (Debian's package), installed here where that
# is possible (root with apt-get, as on CI); elsewhere they are skipped, and this says so.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && \
	    apt-get install -y -qq chromium >/dev/null 2>&1; }; }; } || \
	  echo "chromium is not installed: the report's browser tests will be skipped"

# Instructors: regenerate fixtures, question files and assignment/, and write dist/autograder.zip.
build: $(VENV)/.dev
	$(BIN)/rnn-grader build

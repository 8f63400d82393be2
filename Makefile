# The two commands: `make run` starts the platform, `make test` proves it.
# Both create .venv and install the pinned dependencies (constraints.txt) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run advance test lint types contracts pytest check docs lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/civitas run

# While `make run` runs: move the demo country on a month (births, retirements, lost jobs).
advance: $(STAMP)
	$(BIN)/civitas country advance

test: lint types contracts pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/civitas check

docs: $(STAMP)
	$(BIN)/python -m civitas.docs

# Re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf /tmp/civitas-lock && $(PYTHON) -m venv /tmp/civitas-lock
	/tmp/civitas-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/civitas-lock/bin/pip freeze --exclude-editable | grep -v '^civitas' > constraints.txt

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache

# The two set-up commands from README.md.
#   make run   — create .venv, install, build the data catalog, write the full report
#   make test  — create .venv, install, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out
CATALOG ?= $(OUT)/catalog.duckdb

.PHONY: run test install bench clean

$(BIN)/aiprogress: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(BIN)/aiprogress

install: $(BIN)/aiprogress
	@# Byte-compile the sources (an editable install leaves that to import time, and PYTHONDONTWRITEBYTECODE
	@# would make every process compile them again); up-to-date files are skipped.
	$(BIN)/python -m compileall -q src

run: install
	$(BIN)/aiprogress data build --catalog $(CATALOG)
	$(BIN)/aiprogress report --catalog $(CATALOG) --out $(OUT)/report
	@echo "report: $(OUT)/report/index.html"

test: install
	@# The explorer's browser tests need Debian's chromium + chromium-driver (installed here when missing; root).
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		apt-get update && apt-get install -y chromium chromium-driver; \
	fi
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q -n 2

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(OUT) build .pytest_cache

# Two commands set everything up from a bare machine with Python 3.11 and make:
#   make run    -> creates .venv if missing, installs qualitylib, runs the whole pipeline
#   make test   -> same environment, runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lab bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (qualitylib)" >/dev/null
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/qualitylib run

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

# Two commands set everything up from a bare machine with Python 3.11 and make:
#   make run    -> creates .venv if missing, installs qualitylib, runs the whole pipeline
#   make test   -> same environment, runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Extra arguments for JupyterLab, e.g. `make lab LAB_ARGS="--allow-root --no-browser"`
LAB_ARGS ?=

.PHONY: run test lab notebooks bench

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

# The notebooks' sources are notebooks/NN_*.py (Jupytext percent scripts); their .ipynb pairs are
# rewritten from them here, and Jupytext's JupyterLab extension keeps both in step while you edit.
notebooks: $(STAMP)
	$(BIN)/qualitylib notebooks

lab: notebooks
	$(BIN)/jupyter lab notebooks/ $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

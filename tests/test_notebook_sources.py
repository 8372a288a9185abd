"""The notebooks' percent-script sources and their .ipynb pairs: the pairs match the sources, a drift
is caught and named, the sources follow the notebook conventions (parameters first, prose before every
figure, shared set-up from the package), and `qualitylib notebooks` writes pairs deterministically."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from qualitylib import runner
from qualitylib.notebook_sources import declared_parameters, drifted, notebook_from_source, notebook_sources, write_pairs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = notebook_sources(NOTEBOOKS)


def test_every_runner_notebook_has_a_source_and_nothing_else_does():
    assert [p.stem for p in SOURCES] == list(runner.NOTEBOOKS)
    assert not (NOTEBOOKS / "build_notebooks.py").exists()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_pair_matches_its_source(source):
    assert drifted(source) is None
    pair = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    code = [c for c in pair.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "pairs are committed without outputs"


def test_a_drifted_pair_is_caught_and_named(tmp_path):
    for p in SOURCES[:1]:
        shutil.copy(p, tmp_path / p.name)
    write_pairs(tmp_path)
    source = tmp_path / SOURCES[0].name
    assert drifted(source) is None
    source.write_text(source.read_text(encoding="utf-8").replace("nb.figure(", "nb.figure2(", 1), encoding="utf-8")
    message = drifted(source)
    assert message and source.with_suffix(".ipynb").name in message and "cell" in message
    proc = subprocess.run([sys.executable, "-m", "qualitylib.cli", "notebooks", str(tmp_path), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "differs" in proc.stderr


def test_writing_pairs_is_deterministic(tmp_path):
    for p in SOURCES:
        shutil.copy(p, tmp_path / p.name)
    assert len(write_pairs(tmp_path)) == len(SOURCES)
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.ipynb")}
    assert write_pairs(tmp_path) == [], "an unchanged source must not rewrite its pair"
    for p in SOURCES:
        (tmp_path / p.with_suffix(".ipynb").name).unlink()
    write_pairs(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.ipynb")} == first


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_source_follows_the_conventions(source):
    nb = notebook_from_source(source)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert {"lang", "processed_dir", "figures_dir", "figure_formats", "cities"} <= declared_parameters(nb)
    # the set-up comes from the package, not a local helper pasted into every notebook
    assert "notebook.start(" in code[1].source and not re.search(r"^def ", "\n".join(c.source for c in code), re.M)
    saves = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and re.search(r"nb\.(save\(fig|figure\()", c.source)]
    assert saves, "every notebook draws at least one figure"
    for i in saves:
        assert nb.cells[i - 1].cell_type == "markdown", f"{source.name}: cell {i} has no prose before it"


def test_declared_parameters_reads_assignments_only():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a = 1\nb: int = 2\nprint(a)\nc, d = 3, 4",
                                                                  metadata={"tags": ["parameters"]})])
    assert declared_parameters(nb) == {"a", "b"}
    with pytest.raises(ValueError, match="parameters"):
        declared_parameters(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]))


def test_parameters_are_read_from_the_source_text_as_from_the_notebook():
    """The runner reads declared parameters from the percent script without Jupytext (a run that is
    up to date should not import it); both readings must agree for every notebook."""
    from qualitylib.notebook_sources import declared_parameters, notebook_from_source, parameter_defaults

    for source in sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0*.py")):
        nb = notebook_from_source(source)
        assert parameter_defaults(source) == parameter_defaults(nb), source.name
        assert declared_parameters(source) == declared_parameters(nb) and "lang" in declared_parameters(source)

"""The notebooks' sources are Jupytext percent scripts (``notebooks/NN_name.py``); the ``.ipynb`` beside
each is its pair, for JupyterLab. This module turns a source into its notebook, writes the pairs and
tells when a pair has drifted from its source.

Why percent scripts: linters, IDE renames and duplicate detection see the code; diffs are plain text.
Why keep the ``.ipynb``: JupyterLab and papermill users open notebooks. Jupytext's JupyterLab
extension keeps both files in step when a notebook is edited there (``formats: ipynb,py:percent``
in each source's header); ``qualitylib notebooks`` does it from the command line. The runner always
executes the source, so a stale pair can never change a report.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

SOURCE_GLOB = "[0-9][0-9]_*.py"
#: Cell metadata that is about one editing session, not about the notebook.
_VOLATILE_CELL_KEYS = ("execution", "collapsed", "scrolled", "jupyter")


def notebook_sources(folder: str | os.PathLike[str]) -> list[Path]:
    """Input: the notebooks folder. Output: its notebook sources (``NN_name.py``), sorted."""
    return sorted(Path(folder).glob(SOURCE_GLOB))


def notebook_from_source(source: str | os.PathLike[str]) -> Any:
    """Input: a percent-format source. Output: the notebook (``nbformat.NotebookNode``) without outputs,
    with fixed cell ids (``nb01-00`` ...) so writing it twice gives the same bytes."""
    import jupytext

    path = Path(source)
    nb = jupytext.read(path, fmt="py:percent")
    # a jupytext version stamp would rewrite every pair whenever jupytext is upgraded
    nb.metadata.get("jupytext", {}).pop("text_representation", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"nb{path.stem[:2]}-{i:02d}"
    return nb


def notebook_text(source: str | os.PathLike[str]) -> str:
    """Input: a source. Output: the JSON text of its paired ``.ipynb``."""
    import nbformat

    nb = notebook_from_source(source)
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def _content(nb: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    """What a drift check compares: cell type, source and tags (not ids, outputs or session state)."""
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", []))) for c in nb.cells]


def drifted(source: str | os.PathLike[str]) -> str | None:
    """Input: a source. Output: None when its ``.ipynb`` pair holds the same cells (type, source, tags),
    else a message naming the pair and the first differing cell."""
    import nbformat

    pair = Path(source).with_suffix(".ipynb")
    if not pair.is_file():
        return f"{pair} is missing; run `qualitylib notebooks` to write it"
    want = _content(notebook_from_source(source))
    have = _content(nbformat.read(pair, as_version=4))
    if want == have:
        return None
    for i, (w, h) in enumerate(zip(want, have)):
        if w != h:
            return f"{pair} differs from {Path(source).name} at cell {i}: {h[1][:60]!r} vs {w[1][:60]!r}"
    return f"{pair} has {len(have)} cells, {Path(source).name} has {len(want)}"


def write_pairs(folder: str | os.PathLike[str]) -> list[Path]:
    """Input: the notebooks folder. Output: the ``.ipynb`` pairs rewritten from their sources (only
    those whose bytes change), atomically."""
    from .atomic import write_text_atomic

    written = []
    for source in notebook_sources(folder):
        pair, text = source.with_suffix(".ipynb"), notebook_text(source)
        if not pair.is_file() or pair.read_text(encoding="utf-8") != text:
            write_text_atomic(pair, text)
            written.append(pair)
    return written


def _parameters_source(nb_or_source: Any) -> str:
    """The code of the ``parameters``-tagged cell, of a notebook object or of a percent-script source
    read as text (without Jupytext: a run that finds everything up to date should not pay for importing
    it and nbformat's schema validators, seconds on this machine)."""
    if isinstance(nb_or_source, (str, os.PathLike)):
        lines = Path(nb_or_source).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("# %%") and "parameters" in line.split("tags=", 1)[-1] and "tags=" in line:
                body = []
                for more in lines[i + 1:]:
                    if more.startswith("# %%"):
                        break
                    body.append(more)
                return "\n".join(body)
    else:
        for cell in nb_or_source.cells:
            if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                return cell.source
    raise ValueError("notebook has no cell tagged 'parameters'")


def declared_parameters(nb: Any) -> set[str]:
    """Input: a notebook, or the path of its percent-script source. Output: the names assigned in its
    ``parameters``-tagged cell (papermill passes a notebook only the parameters it declares). Raises
    ValueError when there is no such cell."""
    names = set()
    for node in ast.parse(_parameters_source(nb)).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def parameter_defaults(nb: Any) -> dict[str, Any]:
    """Input: a notebook, or the path of its percent-script source. Output: name -> default value of
    every literal assignment in its ``parameters`` cell (values that are not literals are left out).
    Used to check a parameter file's values against the types the notebooks expect."""
    defaults: dict[str, Any] = {}
    for node in ast.parse(_parameters_source(nb)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                defaults[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return defaults

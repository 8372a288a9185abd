"""Checking a run's parameter file (``notebooks/params/*.yaml``) before anything is written.

Two kinds of keys: the runner's own (folders, languages, which notebooks, quick mode ...) and notebook
parameters. The notebook parameters a file may set are those the notebooks declare in their
``parameters`` cells, with the type of each default value there -- so a new notebook parameter needs no
change here. Unknown keys are rejected with a "did you mean" hint (a typo such as ``figure_fromats``
would otherwise be ignored and the default silently used); a string where a list belongs (``langs: zh``,
``cities: 芜湖``) and a quoted boolean (``quick: "no"``) are rejected, not guessed.
"""
from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .notebook_sources import notebook_sources, parameter_defaults

LANGS = ("zh", "en")
FIGURE_FORMATS = ("png", "svg", "pdf")

#: The runner's own keys and what each must be.
RUNNER_KEYS: dict[str, str] = {
    "raw_dir": "path", "documents_csv": "path or null", "processed_dir": "path", "figures_dir": "path",
    "reports_dir": "path", "notebooks_dir": "path", "citation_path": "path", "lock_path": "path",
    "langs": "list of languages", "notebooks": "list of notebook names", "quick": "true or false",
    "accuracy": "mapping", "gold": "path or null", "export_html": "true or false", "kernel_name": "text",
    "workers": "a whole number of at least 1, or null",
    "page_figures": "list of profile figures (targets, emphasis, peers)",
    "fork_kernels": "true or false",
}
#: figures a city-profile page can show (see qualitylib.profiles)
PAGE_FIGURES = ("targets", "emphasis", "peers")


class ParameterError(ValueError):
    """A parameter file that cannot be used: the message names the file and every problem in it."""


def notebook_parameter_defaults(notebooks_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Input: the notebooks folder. Output: every notebook parameter with its default value (the first
    notebook that declares a name gives its default)."""
    defaults: dict[str, Any] = {}
    for source in notebook_sources(notebooks_dir):
        for name, value in parameter_defaults(source).items():
            defaults.setdefault(name, value)
    return defaults


def _type_name(value: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def _check_runner_value(key: str, value: Any) -> str | None:
    want = RUNNER_KEYS[key]
    if value is None:
        return None if "null" in want or key in ("accuracy",) else f"{key} must be {want}, got nothing"
    if key == "workers" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        return f"workers must be {want}, got {value!r}"
    if want.startswith("path") and not isinstance(value, str):
        return f"{key} must be a path (text), got {value!r}"
    if want == "true or false" and not isinstance(value, bool):
        return f"{key} must be true or false (unquoted), got {value!r}"
    if want == "text" and not isinstance(value, str):
        return f"{key} must be text, got {value!r}"
    if want == "mapping" and not isinstance(value, Mapping):
        return f"{key} must be a mapping, got {value!r}"
    if want.startswith("list"):
        if not isinstance(value, list):
            return f"{key} must be a list, e.g. {key}: [{value}] (got the {type(value).__name__} {value!r})"
        if key == "langs":
            bad = [v for v in value if v not in LANGS]
            if bad or not value:
                return f"langs must be a non-empty list of {list(LANGS)}, got {value!r}"
        if key == "page_figures" and any(v not in PAGE_FIGURES for v in value):
            return f"page_figures must be a list of some of {list(PAGE_FIGURES)}, got {value!r}"
    return None


def _check_notebook_value(key: str, value: Any, default: Any) -> str | None:
    if key == "lang" and value not in LANGS:
        return f"lang must be one of {list(LANGS)}, got {value!r}"
    if key == "figure_formats":
        if not isinstance(value, list) or not value or any(v not in FIGURE_FORMATS for v in value):
            return f"figure_formats must be a non-empty list of {list(FIGURE_FORMATS)}, got {value!r}"
        return None
    if key == "n_boot" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        return f"n_boot must be a whole number of at least 1, got {value!r}"
    if default is None or value is None:
        return None
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value) if all(
            isinstance(d, str) for d in default) else isinstance(value, list)
    else:
        ok = isinstance(value, type(default))
    if ok:
        return None
    hint = f", e.g. {key}: [{value}]" if isinstance(default, list) and isinstance(value, str) else ""
    return f"{key} must be {_type_name(default)}{hint}, got {value!r}"


def check_parameters(data: Mapping[str, Any], where: str | Path, notebooks_dir: str | os.PathLike[str]) -> None:
    """Input: the parsed YAML mapping, its file name (for messages) and the notebooks folder.
    Output: None. Raises :class:`ParameterError` naming the file and listing every problem: unknown
    keys (with the closest known key), values of the wrong type or outside the allowed values."""
    defaults = notebook_parameter_defaults(notebooks_dir)
    known = sorted(set(RUNNER_KEYS) | set(defaults))
    problems = []
    for key, value in data.items():
        if key in RUNNER_KEYS:
            problem = _check_runner_value(key, value)
        elif key in defaults:
            problem = _check_notebook_value(key, value, defaults[key])
        else:
            close = difflib.get_close_matches(str(key), known, n=1)
            problem = f"unknown parameter {key!r}" + (f" (did you mean {close[0]!r}?)" if close else
                                                      f"; known: {', '.join(known)}")
        if problem:
            problems.append(problem)
    if problems:
        raise ParameterError(f"{where}: " + "; ".join(problems))

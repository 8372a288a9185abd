"""What a notebook run read, so the next run can skip it when none of that changed.

A notebook run by ``qualitylib run`` is told (environment variable :data:`READS_ENV`) where to note its
reads. :class:`~qualitylib.notebook.NotebookSession` notes each one as it happens, one JSON line each:

* ``{"kind": "table", "name": "targets", "columns": null}`` -- a processed table (``columns``: the
  only columns read, when the notebook asked for some: ``nb.load(columns=...)``);
* ``{"kind": "statistics"}`` -- the stored cross-city statistics (``nb.statistics``);
* ``{"kind": "theme_check", "gold": "..."}`` -- the stored theme check (``nb.theme_check``);
* ``{"kind": "path", "path": "..."}`` -- a file named by a parameter (``nb.path``).

The runner keeps the list beside the run's record. Next time it digests the current content of exactly
those inputs (:func:`describe_reads`): a run whose notebook, parameters, code and reads are all as they
were is up to date, so a changed number in one document no longer re-runs a notebook that shows only the
theme statistics. A run that noted nothing is keyed on every input, as before this module existed.
Outside a run (JupyterLab) nothing is noted.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .records import digest, exact_digest, file_digest
from .stats_tables import PARAMETERS_FILE, statistics_files, stats_dir, theme_check_files

__all__ = ["READS_ENV", "EVERYTHING", "note_read", "read_log", "describe_reads"]

#: Set by the runner for each notebook kernel: the file the run's reads are noted in.
READS_ENV = "QUALITYLIB_READS_LOG"
#: What a run that noted nothing read, for the key: every input it could have read.
EVERYTHING = [{"kind": "everything"}]


def note_read(kind: str, **fields: Any) -> None:
    """Note one read in the file named by :data:`READS_ENV`; does nothing when it is not set."""
    target = os.environ.get(READS_ENV)
    if not target:
        return
    line = json.dumps({"kind": kind, **fields}, ensure_ascii=False, sort_keys=True, default=str)
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def read_log(path: str | os.PathLike[str]) -> list[dict[str, Any]] | None:
    """Input: a run's log of reads. Output: its reads, each once, in a stable order; None when the log is
    missing, empty or unreadable (the run is then keyed on every input)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        reads = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError):
        return None
    if not reads or not all(isinstance(r, dict) and "kind" in r for r in reads):
        return None
    unique = {json.dumps(r, sort_keys=True, ensure_ascii=False): r for r in reads}
    return [unique[k] for k in sorted(unique)]


def _table(processed_dir: Path, name: str, columns: list[str] | None) -> str:
    path = processed_dir / f"{name}.csv"
    if not path.is_file():
        return "missing"
    if columns is None:
        return file_digest(path)
    try:
        return exact_digest(pd.read_csv(path, usecols=columns))
    except ValueError:  # a column the table no longer has: the notebook must run (and say so)
        return "unreadable"


def _statistics(processed_dir: Path) -> str:
    """The stored tables, the parameters they were made with and whether they still fit the sentences:
    the same answer :func:`qualitylib.stats_tables.load_statistics` would give, by content."""
    folder = stats_dir(processed_dir)
    try:
        stored = json.loads((folder / PARAMETERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "missing"
    sentences = processed_dir / "sentences.csv"
    fresh = sentences.is_file() and stored.get("sentences_sha256") == file_digest(sentences)
    return digest(statistics_files(processed_dir), stored.get("parameters"), fresh)


def _path(path: Path) -> Any:
    if path.is_dir():
        return [[p.relative_to(path).as_posix(), file_digest(p)] for p in sorted(path.rglob("*")) if p.is_file()]
    return file_digest(path) if path.is_file() else "missing"


def describe_reads(processed_dir: str | os.PathLike[str], reads: list[dict[str, Any]],
                   everything: Callable[[], Any]) -> str:
    """Input: the processed-data folder, a run's reads (:func:`read_log`), and what to digest for a run
    that read anything (``everything()``). Output: one digest of the current content of those inputs."""
    folder = Path(processed_dir)
    parts: list[Any] = []
    for read in reads:
        kind = read.get("kind")
        if kind == "table":
            parts.append(["table", read.get("name"), read.get("columns"),
                          _table(folder, str(read.get("name")), read.get("columns"))])
        elif kind == "statistics":
            parts.append(["statistics", _statistics(folder)])
        elif kind == "theme_check":
            gold = Path(str(read.get("gold")))
            parts.append(["theme_check", theme_check_files(folder), str(gold), _path(gold)])
        elif kind == "path":
            parts.append(["path", str(read.get("path")), _path(Path(str(read.get("path"))))])
        else:  # "everything", or a kind this version does not know: every input
            parts.append(["everything", everything()])
    return digest(parts)

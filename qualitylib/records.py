"""What each output of a run was made from, so the next run redoes only what changed.

A run keeps one record, ``.qualitylib-record.json`` in its output root (beside the lock): for every
step (the pipeline, the statistics, one notebook in one language, one plan's profile in one language)
the digest of its inputs and the SHA-256 of each file it wrote. A step is up to date when its input
digest is the one recorded and every file it wrote is still there with the same bytes; an edited or
deleted output makes it run again. The inputs of every step include :func:`code_fingerprint` (the
package's source and data files), so new code never reuses old results.

The record is rewritten (atomically) after every step, so a run that is killed keeps what it finished.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .atomic import write_text_atomic

__all__ = ["RECORD_NAME", "BuildRecord", "digest", "exact_digest", "code_fingerprint", "file_digest"]

RECORD_NAME = ".qualitylib-record.json"
RECORD_VERSION = 1


def file_digest(path: str | os.PathLike[str]) -> str:
    """Input: a file. Output: the hex SHA-256 of its bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _feed(h: Any, part: Any) -> None:
    if isinstance(part, pd.DataFrame):
        h.update(b"frame\0")
        h.update(part.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    elif isinstance(part, pd.Series):
        h.update(b"series\0")
        h.update(part.to_csv(lineterminator="\n").encode("utf-8"))
    elif isinstance(part, Path):
        h.update(b"file\0" + str(part.name).encode("utf-8") + b"\0")
        h.update(file_digest(part).encode("ascii") if part.is_file() else b"<missing>")
    elif isinstance(part, bytes):
        h.update(b"bytes\0" + part)
    elif isinstance(part, (list, tuple)):
        h.update(b"list\0")
        for item in part:
            _feed(h, item)
    else:
        h.update(b"json\0" + json.dumps(part, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    h.update(b"\1")


def digest(*parts: Any) -> str:
    """Input: anything a step depends on -- DataFrames (by their CSV), files (``Path``: by content),
    bytes, lists of these, or JSON-able values. Output: one hex SHA-256 of all of them, in order."""
    h = hashlib.sha256()
    for part in parts:
        _feed(h, part)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Output: a digest of the package version and every source and data file of the installed
    ``qualitylib`` package: a change in code or domain data makes every step out of date."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix not in {".pyc"}
                   and "__pycache__" not in p.parts)
    h = hashlib.sha256(__version__.encode("utf-8"))
    for p in files:
        h.update(p.relative_to(package).as_posix().encode("utf-8") + b"\0" + p.read_bytes() + b"\1")
    return h.hexdigest()


class BuildRecord:
    """The record of one output root. ``force=True``: nothing is up to date (the record is still
    written, for the next run)."""

    def __init__(self, path: str | os.PathLike[str], *, root: str | os.PathLike[str], force: bool = False) -> None:
        self.path = Path(path)
        self.root = Path(root)
        self.force = force
        self.steps: dict[str, dict[str, Any]] = {}
        #: steps done in this run (0 at the end: everything was up to date)
        self.ran = 0
        # steps of one run finish side by side (notebooks, the statistics): one writer at a time
        self._lock = threading.RLock()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == RECORD_VERSION:
                self.steps = dict(data.get("steps", {}))
        except (OSError, ValueError):
            pass  # no record (first run) or an unreadable one: everything is out of date

    def _rel(self, path: Path) -> str:
        p = Path(path).resolve()
        try:
            return p.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(p)

    def _abs(self, rel: str) -> Path:
        p = Path(rel)
        return p if p.is_absolute() else self.root / p

    def up_to_date(self, step: str, inputs: str) -> bool:
        """Whether ``step`` ran with these ``inputs`` (a :func:`digest`) and its outputs are intact."""
        if self.force:
            return False
        entry = self.steps.get(step)
        if not entry or entry.get("inputs") != inputs:
            return False
        for rel, sha in entry.get("outputs", {}).items():
            path = self._abs(rel)
            if not path.is_file() or file_digest(path) != sha:
                return False
        return True

    def outputs(self, step: str) -> list[Path]:
        """The files ``step`` wrote when it last ran."""
        return [self._abs(rel) for rel in self.steps.get(step, {}).get("outputs", {})]

    def record(self, step: str, inputs: str, outputs: Iterable[str | os.PathLike[str]], *,
               extra: dict[str, Any] | None = None, save: bool = True) -> None:
        """Note that ``step`` ran with ``inputs`` and wrote ``outputs`` (``extra``: what a later run that
        skips the step must still report, such as the input problems it found); saves the record
        unless ``save`` is False (many small steps: save once at the end)."""
        entry = {"inputs": inputs,
                 "outputs": {self._rel(Path(p)): file_digest(p) for p in sorted(set(map(str, outputs)))}}
        if extra:
            entry["extra"] = extra
        with self._lock:
            self.steps[step] = entry
            self.ran += 1
            if save:
                self.save()

    def extra(self, step: str) -> dict[str, Any]:
        """What :meth:`record` kept beside ``step``'s outputs (empty when nothing)."""
        return dict(self.steps.get(step, {}).get("extra", {}))

    def steps_like(self, prefix: str) -> list[str]:
        """Recorded steps whose name starts with ``prefix``."""
        return [s for s in self.steps if s.startswith(prefix)]

    def forget(self, step: str) -> None:
        """Drop ``step`` (it failed: the next run must do it again)."""
        with self._lock:
            if self.steps.pop(step, None) is not None:
                self.save()

    def save(self) -> None:
        with self._lock:
            text = json.dumps({"version": RECORD_VERSION, "steps": dict(sorted(self.steps.items()))},
                              indent=0, sort_keys=False, ensure_ascii=False)
            write_text_atomic(self.path, text + "\n")


def _feed_exact(h: Any, part: Any) -> None:
    import numpy as np

    if part is None or isinstance(part, (bool, int, str)):
        h.update(b"json\0" + json.dumps(part, ensure_ascii=False).encode("utf-8"))
    elif isinstance(part, float):
        h.update(b"float\0" + repr(part).encode("ascii"))
    elif isinstance(part, np.generic):
        _feed_exact(h, part.item())
        return
    elif isinstance(part, bytes):
        h.update(b"bytes\0" + part)
    elif isinstance(part, (pd.DataFrame, pd.Series)):
        frame = part.to_frame() if isinstance(part, pd.Series) else part
        h.update(b"frame\0" + repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode("utf-8"))
        h.update(repr(list(frame.index.names)).encode("utf-8"))
        try:
            # 64 bits per row from the values' bytes (floats bit for bit), vectorised: a table of hundreds
            # of thousands of rows takes a fraction of a second, where its CSV text took seconds
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
            for column in frame.columns:
                if isinstance(frame[column].dtype, pd.CategoricalDtype):  # codes are hashed by category value
                    h.update(repr(list(frame[column].cat.categories)).encode("utf-8"))
        except TypeError:  # cells holding lists or dicts
            h.update(frame.to_csv(lineterminator="\n").encode("utf-8"))
    elif isinstance(part, np.ndarray):
        if part.dtype == object:
            h.update(b"objects\0" + repr(part.shape).encode("ascii"))
            for item in part.ravel().tolist():
                _feed_exact(h, item)
        else:
            h.update(b"array\0" + f"{part.dtype.str}{part.shape}".encode("ascii"))
            h.update(np.ascontiguousarray(part).tobytes())
    elif isinstance(part, Path):
        h.update(b"file\0" + str(part).encode("utf-8") + b"\0")
        h.update(file_digest(part).encode("ascii") if part.is_file() else b"<missing>")
    elif isinstance(part, (list, tuple)):
        h.update(b"list\0")
        for item in part:
            _feed_exact(h, item)
    elif isinstance(part, (set, frozenset)):
        h.update(b"set\0")
        for item in sorted(part, key=repr):
            _feed_exact(h, item)
    elif isinstance(part, dict):
        h.update(b"dict\0")
        for k in sorted(part, key=repr):
            _feed_exact(h, k)
            _feed_exact(h, part[k])
    elif _is_graph(part):
        # a networkx graph by its content, in an order its construction does not change
        h.update(b"graph\0" + repr((type(part).__name__, part.is_directed(), part.is_multigraph())).encode("utf-8"))
        _feed_exact(h, dict(part.graph))
        _feed_exact(h, sorted(([node, dict(data)] for node, data in part.nodes(data=True)), key=repr))
        edges = part.edges(data=True, keys=True) if part.is_multigraph() else part.edges(data=True)
        ends = (lambda u, v: [u, v]) if part.is_directed() else (lambda u, v: sorted([u, v], key=repr))
        _feed_exact(h, sorted(([*ends(e[0], e[1]), *e[2:-1], dict(e[-1])] for e in edges), key=repr))
    elif (callable(part) and not hasattr(part, "__self__") and "<" not in getattr(part, "__qualname__", "<")
          and (getattr(part, "__closure__", None) is None or hasattr(part, "__wrapped__"))):
        # a module-level function (or one decorated with functools.wraps): its code is in the code
        # fingerprint (qualitylib's) or fixed by its name; a closure could hold data, so it is refused
        h.update(b"function\0" + f"{part.__module__}.{part.__qualname__}".encode("utf-8"))
    else:
        # text forms (repr, str) of other objects can hide differences (numpy elides long arrays)
        raise TypeError(f"cannot digest a {type(part).__name__} exactly")
    h.update(b"\1")


def _is_graph(part: Any) -> bool:
    import sys

    nx = sys.modules.get("networkx")  # a graph can only exist once networkx was imported
    return nx is not None and isinstance(part, nx.Graph)


def exact_digest(*parts: Any) -> str:
    """As :func:`digest`, for deciding whether a result can be reused: every value is digested by its
    full content (frames with their dtypes and index, arrays by their bytes, floats by ``repr``), and a
    value it cannot digest exactly (an arbitrary object, a lambda) raises ``TypeError`` rather than
    risk two different inputs with one digest. Output: hex SHA-256."""
    h = hashlib.sha256()
    for part in parts:
        _feed_exact(h, part)
    return h.hexdigest()

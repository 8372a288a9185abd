"""Output writing: atomic, deterministic files, so a crash never leaves half a CSV and reruns match.

Everything is written to a temporary file in the destination folder and moved into place with
``os.replace`` (atomic on POSIX). CSVs are UTF-8, ``\\n`` line ends, rows in a caller-given order.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def write_bytes_atomic(path: str | Path, data: bytes, *, sync: bool = True) -> Path:
    """Input: destination path and content; ``sync=False`` skips the flush to disk (a cache entry that
    can be made again: after a power cut it is at worst unreadable, never half-read). Output: the path,
    written atomically (old file intact until the new one is complete)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Input: destination path and text. Output: the path, written atomically as UTF-8."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_csv_atomic(frame: pd.DataFrame, path: str | Path) -> Path:
    """Input: a DataFrame (already in its final row order) and a path. Output: the path, holding the
    frame as UTF-8 CSV without index, written atomically."""
    return write_text_atomic(path, frame.to_csv(index=False, lineterminator="\n"))

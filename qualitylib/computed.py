"""Analysis results stored by their inputs, so a result is computed once per run and reused while its
inputs stay the same: notebook runs in two languages compute the same tables, the statistics step
codes the same sentences as notebook 05, and a run after one changed document recomputes only what
that document changes.

Input: a folder of processed tables, an analysis function and its arguments. Output: the function's
result, read from ``<processed_dir>/.qualitylib-cache/computed/<function>-<digest>.pkl`` when it was
computed from the same arguments (tables by content, :func:`qualitylib.records.exact_digest`), package
code, pandas and NumPy; else computed and stored. It is a cache: deleting the folder loses nothing.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any, Callable

__all__ = ["COMPUTED_DIR", "KEEP_COMPUTED", "computed"]

#: Beside the processed tables: results by function and inputs.
COMPUTED_DIR = ".qualitylib-cache/computed"
#: Results kept per function besides the newest (another run may still be reading an older one).
KEEP_COMPUTED = 3


def computed(processed_dir: str | os.PathLike[str], work: Callable[..., Any], /, *args: Any, reuse: bool = True,
             make: Callable[[], Any] | None = None, **kwargs: Any) -> Any:
    """``work(*args, **kwargs)``, or its stored result for the same inputs. Arguments that cannot be
    compared exactly (a lambda, an arbitrary object) are always computed, and ``reuse=False`` computes
    every time (the result is still stored). ``make``: a cheaper way to the same result, called instead
    of ``work`` (the caller vouches that it gives the same result; stored under ``work``'s key, so
    ``computed(folder, work, *args)`` elsewhere reads it). Output: the result."""
    import numpy as np
    import pandas as pd

    from .atomic import write_bytes_atomic
    from .records import code_fingerprint, exact_digest

    produce = make if make is not None else (lambda: work(*args, **kwargs))
    try:
        key = exact_digest("computed", code_fingerprint(), pd.__version__, np.__version__, work, list(args), kwargs)
    except TypeError:
        return produce()
    folder = Path(processed_dir) / COMPUTED_DIR
    name = getattr(work, "__name__", "result")
    path = folder / f"{name}-{key[:24]}.pkl"
    if reuse:
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - missing, damaged or unreadable: computed again
            pass
    result = produce()
    write_bytes_atomic(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), sync=False)
    _prune(folder, name, path)
    return result


def _prune(folder: Path, name: str, newest: Path) -> None:
    """Keep the newest result of ``name`` and :data:`KEEP_COMPUTED` older ones."""
    older = []
    for entry in folder.glob(f"{name}-*.pkl"):
        try:
            older.append((entry.stat().st_mtime_ns, entry.name, entry))
        except OSError:  # removed by a run side by side
            continue
    for *_, stale in sorted(older)[:-(KEEP_COMPUTED + 1)]:
        if stale != newest:
            stale.unlink(missing_ok=True)

"""Reading the domain data shipped inside the package (``qualitylib/data/``): codebook, cues, units,
themes, gazetteer, script exceptions.

Bottom layer: imports nothing from qualitylib. Files are read through ``importlib.resources`` so the
package works from a wheel as well as from a checkout; each reader returns plain Python or pandas
objects and leaves caching to the caller, which knows how often it needs them.
"""
from __future__ import annotations

import csv
import io
from importlib import resources

import pandas as pd

PACKAGE = "qualitylib"


def data_text(name: str) -> str:
    """Input: a file name in ``qualitylib/data/``. Output: its text (UTF-8).
    Raises ``FileNotFoundError`` naming the file when the package was installed without it."""
    ref = resources.files(PACKAGE).joinpath("data", name)
    if not ref.is_file():
        raise FileNotFoundError(f"package data file qualitylib/data/{name} is missing; reinstall qualitylib")
    return ref.read_text(encoding="utf-8")


def data_rows(name: str) -> list[dict[str, str]]:
    """Input: a CSV file name in ``qualitylib/data/``. Output: its rows as dicts (all values str)."""
    return [dict(r) for r in csv.DictReader(io.StringIO(data_text(name)))]


def data_frame(name: str, columns: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Input: a CSV file name in ``qualitylib/data/`` and the columns it must have.
    Output: the file as a DataFrame of strings (empty cells stay ``''``). Raises ``ValueError``
    naming the file and the missing columns."""
    frame = pd.read_csv(io.StringIO(data_text(name)), dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"qualitylib/data/{name}: missing columns {missing}")
    return frame


def data_lines(name: str) -> list[str]:
    """Input: a text file name in ``qualitylib/data/``. Output: its non-empty lines that are not
    ``#`` comments, stripped."""
    return [ln.strip() for ln in data_text(name).splitlines() if ln.strip() and not ln.startswith("#")]

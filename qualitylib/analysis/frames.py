"""Checks on the DataFrames the analyses take, raising a ValueError that names what is wrong rather
than a KeyError deep in pandas. Shared by theme coding, TF-IDF and clustering."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd


def require_frame(df: object, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """Raise a ValueError that names what is wrong, rather than a KeyError deep in pandas."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    if df.empty:
        raise ValueError(f"{name} is empty: nothing to analyse")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; it has {list(df.columns)}"
        )
    return df


def require_cities(n: int, what: str, minimum: int = 2) -> None:
    if n < minimum:
        raise ValueError(
            f"{what} needs at least {minimum} cities to compare, got {n}"
        )


def check_wide(shares_wide: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """Validate a city x theme matrix: numeric, no NaN, enough cities."""
    if not isinstance(shares_wide, pd.DataFrame):
        raise ValueError(
            f"shares_wide must be a DataFrame (index city, columns theme), got {type(shares_wide).__name__}"
        )
    if shares_wide.empty:
        raise ValueError("shares_wide is empty: nothing to cluster")
    require_cities(shares_wide.shape[0], "shares_wide", minimum)
    try:
        values = shares_wide.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"shares_wide must be all numeric: {exc}") from exc
    if np.isnan(values).any():
        raise ValueError("shares_wide contains NaN; fill or drop themes/cities first")
    if shares_wide.index.has_duplicates:
        raise ValueError("shares_wide has duplicate city rows")
    return shares_wide

"""Which city targets may be compared, with each other and with national targets.

Input: the indicator table (``indicator_table.csv``, one headline row per city x indicator code),
``national_targets.csv`` rows, and city x theme share matrices. Output: DataFrames -- the comparable
rows with a ``group`` key, the national target matched to each row, relative-ambition scores within
a group, nearest peers by theme profile. Pure pandas; figures are drawn in :mod:`qualitylib.viz`.

The rules (the codebook keeps apart what must never be pooled):

* Two targets are compared only when they share indicator ``code``, measurement ``series``,
  ``unit`` and ``kind`` (a level to reach is not an increment). :func:`comparable_groups`.
* A national reference is attached only when ``national_targets.csv`` has a target with the same
  ``code`` *and* ``series`` (and unit, when both give one) whose horizon is within
  ``NATIONAL_WINDOW`` (3) years of the city's target year. :func:`match_national`.
* Annual plans and multi-year plans are never scaled together: ambition is scaled within one plan
  type. :func:`ambition_scores`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = [
    "GROUP_KEY",
    "NATIONAL_WINDOW",
    "PLAN_TYPES",
    "NOT_COUNT_UNITS",
    "plan_kind",
    "comparable_groups",
    "match_national",
    "ambition_scores",
    "is_count_unit",
    "count_targets",
    "nearest_peers",
]

#: A national target is a reference for a city target only if their years differ by at most this.
NATIONAL_WINDOW = 3
#: Targets are comparable only within one value of all of these columns.
GROUP_KEY = ["code", "series", "unit", "kind"]
#: Plan types kept apart; anything else (missing, misspelt) is "unknown".
PLAN_TYPES = ("multi_year", "annual", "unknown")
#: Units of rates and scores: a target in one of these is not a count of things.
NOT_COUNT_UNITS = ("%", "‰", "个百分点", "分")

_NATIONAL_OUT = ["nat_value", "nat_value_hi", "nat_comparator", "nat_unit", "nat_horizon", "nat_source_zh",
                 "nat_source_en", "nat_checked"]


def plan_kind(plan: object) -> str:
    """Input: a ``plan_type`` cell. Output: ``'multi_year'``, ``'annual'`` or ``'unknown'``."""
    return str(plan) if plan in ("multi_year", "annual") else "unknown"


def _key_frame(table: pd.DataFrame) -> pd.DataFrame:
    # missing key cells become "" so that two cities that both leave the unit empty still match
    t = table.copy()
    for c in GROUP_KEY:
        t[c] = t[c].fillna("").astype(str) if c in t.columns else ""
    return t


def comparable_groups(table: pd.DataFrame, min_cities: int = 2, by_plan: bool = False) -> pd.DataFrame:
    """Rows of the indicator table that can be compared across cities.

    Input: indicator table; ``min_cities``; ``by_plan`` (also require the same plan type).
    Output: the rows in groups of the same ``code, series, unit, kind`` (and ``plan_type``) set by
    at least ``min_cities`` different cities, with a ``group`` column (``code|series|unit|kind``)."""
    t = _key_frame(table)
    keys = GROUP_KEY + (["plan_type"] if by_plan else [])
    if by_plan:
        t["plan_type"] = t["plan_type"].map(plan_kind)
    if t.empty:
        t["group"] = pd.Series(dtype=str)
        return t
    t["group"] = t[GROUP_KEY].agg("|".join, axis=1)
    n = t.groupby(keys)["city"].transform("nunique")
    return t[n >= min_cities].reset_index(drop=True)


def match_national(table: pd.DataFrame, national: pd.DataFrame | None, window: int = NATIONAL_WINDOW) -> pd.DataFrame:
    """Attach the comparable national target to each city target, if there is one.

    A national row is comparable to a city row when ``code`` and ``series`` are equal, the units
    agree (or either is missing) and ``|horizon - target_year| <= window``. Among several, the
    nearest horizon wins, then the later one. Input: indicator table, national targets. Output: the
    table plus ``nat_value, nat_value_hi, nat_comparator, nat_unit, nat_horizon, nat_source_zh,
    nat_source_en, nat_checked`` (from ``checked_against_primary``; NA where nothing is comparable)."""
    out = table.copy().reset_index(drop=True)
    for c in _NATIONAL_OUT:
        out[c] = pd.Series([pd.NA] * len(out), dtype=object)
    if national is None or national.empty or out.empty:
        return out
    nat = national.copy().reset_index(drop=True)
    nat["_h"] = pd.to_numeric(nat["horizon"], errors="coerce")
    # the few national rows grouped by (code, series) once, instead of filtering the frame per city row
    by_key: dict[tuple[str, str], list[tuple[int, float, str | None]]] = {}
    nat_unit = nat["unit"] if "unit" in nat.columns else pd.Series(pd.NA, index=nat.index, dtype=object)
    unit_missing = nat_unit.isna() | (nat_unit.astype(str) == "")
    for j, (c, s_, h, u, miss) in enumerate(zip(nat["code"].astype(str), nat["series"].astype(str), nat["_h"],
                                                 nat_unit.astype(str), unit_missing)):
        by_key.setdefault((c, s_), []).append((j, float(h), None if miss else u))
    years = (pd.to_numeric(out["target_year"], errors="coerce") if "target_year" in out.columns
             else pd.Series(float("nan"), index=out.index))
    units_out = out["unit"] if "unit" in out.columns else pd.Series(None, index=out.index, dtype=object)
    picked = []
    for code, series, unit, year in zip(out["code"].astype(str), out["series"].astype(str), units_out, years):
        if pd.isna(year):
            picked.append(None)
            continue
        cands = by_key.get((code, series), [])
        if isinstance(unit, str) and unit:
            cands = [c for c in cands if c[2] is None or c[2] == unit]
        # nearest horizon, then the later one, then table order (the stable sort it replaces)
        cands = [(abs(h - year), -h, j) for j, h, _u in cands if abs(h - year) <= window]
        picked.append(min(cands)[2] if cands else None)
    rows: dict[int, pd.Series] = {}
    values = {c: [pd.NA] * len(out) for c in _NATIONAL_OUT}
    for i, j in enumerate(picked):
        if j is None:
            continue
        best = rows.get(j)
        if best is None:
            best = rows[j] = nat.iloc[j]
        values["nat_value"][i] = float(best["value"])
        values["nat_value_hi"][i] = best.get("value_hi", pd.NA) if "value_hi" in nat.columns else pd.NA
        values["nat_comparator"][i] = best.get("comparator", pd.NA)
        values["nat_unit"][i] = best.get("unit", pd.NA)
        values["nat_horizon"][i] = int(best["_h"])
        values["nat_source_zh"][i] = best.get("source_zh", pd.NA)
        values["nat_source_en"][i] = best.get("source_en", pd.NA)
        values["nat_checked"][i] = best.get("checked_against_primary", pd.NA)
    for c in _NATIONAL_OUT:
        out[c] = pd.Series(values[c], index=out.index, dtype=object)
    return out


def _ambition_value(row: Mapping) -> float:
    """Input: a target row. Output: one number where higher means more ambitious (ranges count at
    their midpoint; for "at most" targets the sign is flipped, lower being more ambitious)."""
    v = float(row["value"])
    hi = row.get("value_hi")
    if str(row.get("comparator")) == "range" and hi is not None and not pd.isna(hi):
        v = (v + float(hi)) / 2.0
    return -v if str(row.get("comparator")) in ("<=", "<") else v


def _average_ranks(v: np.ndarray) -> np.ndarray:
    """Input: floats. Output: their ranks, ties averaged, as ``scipy.stats.rankdata(v, 'average')``
    gives them (all NaN when any value is NaN) -- without importing scipy.stats, which costs ~0.7 s in
    every notebook kernel."""
    if np.isnan(v).any():
        return np.full(len(v), np.nan)
    return pd.Series(v).rank(method="average").to_numpy(dtype=float)


def ambition_scores(table: pd.DataFrame, method: str = "rank", min_cities: int = 2) -> pd.DataFrame:
    """Scale each comparable indicator across cities so that rows are comparable.

    Groups are ``code, series, unit, kind`` *within one plan type* (annual plans and multi-year plans
    are never scaled together). ``method='rank'``: percentile rank, ``(rank - 1) / (n - 1)`` with
    average ranks for ties (0 = lowest target, 1 = highest; all tied -> 0.5). ``method='minmax'``:
    ``(v - min) / (max - min)`` (all equal -> 0.5). For ``<=`` targets lower values count as more
    ambitious; ranges use their midpoint. Output: the comparable rows plus ``group``, ``n_cities``
    and ``score``."""
    if method not in ("rank", "minmax"):
        raise ValueError(f"method must be 'rank' or 'minmax', got {method!r}")
    rows = comparable_groups(table, min_cities, by_plan=True)
    if rows.empty:
        rows["n_cities"] = pd.Series(dtype=int)
        rows["score"] = pd.Series(dtype=float)
        return rows
    rows["_amb"] = [_ambition_value(r) for r in rows.to_dict("records")]
    scores = []
    for _, g in rows.groupby(["plan_type", "group"], sort=False):
        v = g["_amb"].to_numpy(dtype=float)
        n = len(v)
        if method == "rank":
            s = (_average_ranks(v) - 1) / (n - 1) if n > 1 else np.full(n, 0.5)
            if np.ptp(v) == 0:
                s = np.full(n, 0.5)
        else:
            span = np.ptp(v)
            s = (v - v.min()) / span if span > 0 else np.full(n, 0.5)
        scores.append(pd.Series(s, index=g.index))
    rows["score"] = pd.concat(scores).sort_index()
    rows["n_cities"] = rows.groupby(["plan_type", "group"])["city"].transform("nunique")
    return rows.drop(columns="_amb")


def is_count_unit(unit: object) -> bool:
    """Input: a unit cell. Output: True unless it is a rate or score unit (missing counts as a count:
    ``标准 30 项`` is often written without a unit word after the number)."""
    u = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    return u not in NOT_COUNT_UNITS


def count_targets(table: pd.DataFrame, families: tuple[str, ...] = ("standards", "brands")) -> tuple[pd.DataFrame, int]:
    """Input: indicator table. Output: its count targets (positive values in a count unit) of the
    given families, and how many rows of those families were left out as rates (growth in %)."""
    fam = table[table["family"].isin(list(families))]
    counts = fam[fam["unit"].map(is_count_unit) & (pd.to_numeric(fam["value"], errors="coerce") > 0)]
    return counts, len(fam) - len(counts)


def nearest_peers(shares_wide: pd.DataFrame, city: str) -> pd.DataFrame:
    """Cosine similarity of ``city``'s theme-share profile with every other city's.

    Input: city x theme matrix (:func:`qualitylib.analysis.themes.to_wide`), a city in its index.
    Output: DataFrame ``peer, cosine, rank`` sorted by similarity (most similar first; ties by name)."""
    if city not in shares_wide.index:
        raise ValueError(f"{city!r} is not in the share matrix; cities: {list(shares_wide.index)}")
    X = shares_wide.to_numpy(dtype=float)
    norms = np.linalg.norm(X, axis=1)
    me = X[list(shares_wide.index).index(city)]
    rows = []
    for name, x, n in zip(shares_wide.index, X, norms):
        if name == city:
            continue
        cos = float(x @ me / (n * np.linalg.norm(me))) if n > 0 and np.linalg.norm(me) > 0 else float("nan")
        rows.append((str(name), cos))
    out = pd.DataFrame(rows, columns=["peer", "cosine"])
    out = out.sort_values(["cosine", "peer"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out

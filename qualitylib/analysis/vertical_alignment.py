"""Vertical alignment: does a local target copy its parent's number, exceed it or fall short of it, and
how does one place's target change from one plan to the next?

Input: the output of :func:`qualitylib.analysis.reference_gaps.reference_gaps` (every target with its
parent-jurisdiction and national references, graded), and the indicator table with ``documents.csv``.
Output: DataFrames; no plotting. With no parent plan in the corpus the parent rows are simply absent and
:func:`repetition_summary` says so by its counts (0 targets compared with a parent).
"""
from __future__ import annotations

import pandas as pd

from .indicator_table import place_key

#: reference_gaps' ``ambition`` (is the local target more demanding?) read as a relation to the reference
RELATIONS = {"equal": "copies", "more": "exceeds", "less": "falls short"}
ALIGNMENT_COLUMNS = ["doc_id", "city", "city_en", "code", "series", "kind", "unit", "comparator", "value",
                     "target_year", "ref_level", "ref_place", "ref_value", "ref_year", "grade", "relation", "gap"]
CHANGE_KEY = ["code", "series", "scope", "kind", "unit"]


def vertical_alignment(gaps: pd.DataFrame) -> pd.DataFrame:
    """Input: reference gaps. Output: one row per local target x reference above it (``parent`` or
    ``national``) with ``relation`` -- copies, exceeds or falls short (for an "at most" target, lower is
    more demanding) -- and the gap in the target's unit."""
    if gaps is None or gaps.empty:
        return pd.DataFrame(columns=ALIGNMENT_COLUMNS)
    rows = gaps[gaps["ref_level"].isin(["parent", "national"])].copy()
    rows["relation"] = rows["ambition"].map(RELATIONS)
    return rows[ALIGNMENT_COLUMNS].reset_index(drop=True)


def repetition_summary(alignment: pd.DataFrame) -> pd.DataFrame:
    """Input: :func:`vertical_alignment`. Output: per reference level (parent, national) the number of
    local targets compared, how many copy / exceed / fall short of the reference, and the share that
    simply repeats its number. A level with no comparison still has a row (counts 0)."""
    out = []
    for level in ("parent", "national"):
        sub = alignment[alignment["ref_level"] == level]
        counts = sub["relation"].value_counts()
        n = len(sub)
        out.append({"ref_level": level, "targets": n, "copies": int(counts.get("copies", 0)),
                    "exceeds": int(counts.get("exceeds", 0)), "falls short": int(counts.get("falls short", 0)),
                    "share_copies": counts.get("copies", 0) / n if n else float("nan")})
    return pd.DataFrame(out)


def changes_over_time(table: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Input: the indicator table and documents.csv. Output: for every place with several plans (told
    apart by adcode, else Chinese name) and every row key set in at least two of them, one row per plan
    in order of horizon then issue date, with the value and its change from the previous plan."""
    if table.empty or documents.empty:
        return pd.DataFrame(columns=["place", "city", *CHANGE_KEY, "doc_id", "horizon", "issued", "value", "change"])
    docs = documents.assign(place=place_key(documents))
    rows = table.merge(docs[["doc_id", "place"]], on="doc_id", how="inner")
    keys = ["place", *CHANGE_KEY]
    # one sort and one grouped diff instead of a Python loop over every (place, key) group
    multi = rows.groupby(keys, sort=False, dropna=False)["doc_id"].transform("nunique") >= 2
    rows = rows[multi]
    if rows.empty:
        return pd.DataFrame(columns=["place", "city", *CHANGE_KEY, "doc_id", "horizon", "issued", "value", "change"])
    order = pd.DataFrame({"h": pd.to_numeric(rows["horizon"], errors="coerce").fillna(0),
                          "i": rows["issued"].astype("string").fillna(""), "d": rows["doc_id"].astype(str)},
                         index=rows.index)
    # groups in the order groupby(sort=True) visits them, each in chronological order (as chronological())
    rows = rows.join(order).sort_values([*keys, "h", "i", "d"], kind="mergesort", na_position="last")
    rows = rows.assign(change=rows.groupby(keys, sort=False, dropna=False)["value"].diff())
    return rows[["place", "city", *CHANGE_KEY, "doc_id", "horizon", "issued", "value", "change"]].reset_index(drop=True)

"""Indicator table: long targets -> one headline row per city x indicator code.

Headline rule (when a city sets several values for one code): prefer a ``level`` target (a value to
reach or keep) over ``increment``, ``delta`` and ``annual_growth``; among those the latest target
year; then the target stated first in the document (lowest line). The row keeps how many values the
city set for the code and their range, so the choice is visible. Rows coded ``other`` are not in
the table (they have no common meaning across cities) but stay in targets.csv.
"""
from __future__ import annotations

import pandas as pd

from ..extract.codebook import load_codebook

KIND_PRIORITY = {"level": 0, "increment": 1, "delta": 2, "annual_growth": 3}
TABLE_COLUMNS = [
    "city", "city_en", "province", "code", "family", "series", "label_zh", "label_en", "value",
    "value_hi", "unit", "comparator", "kind", "target_year", "plan_type", "n_values", "min_value",
    "max_value", "doc_id", "line", "quote",
]


def build_indicator_table(targets: pd.DataFrame) -> pd.DataFrame:
    """Input: targets (targets.csv columns, with city_en). Output: one row per city x code with the
    headline value by the rule in the module docstring, sorted by city_en then code."""
    coded = targets[targets["code"].notna() & (targets["code"] != "other")].copy()
    if coded.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    coded["_kind_rank"] = coded["kind"].map(KIND_PRIORITY).fillna(9)
    coded["_year"] = pd.to_numeric(coded["target_year"], errors="coerce").fillna(0)
    coded = coded.sort_values(["city_en", "code", "_kind_rank", "_year", "doc_id", "line", "raw_start"],
                              ascending=[True, True, True, False, True, True, True], kind="mergesort")
    groups = coded.groupby(["city_en", "code"], sort=True)
    head = groups.head(1).set_index(["city_en", "code"])
    stats = groups["value"].agg(n_values="count", min_value="min", max_value="max")
    table = head.join(stats).reset_index()
    labels = load_codebook().drop_duplicates("code").set_index("code")[["label_zh", "label_en"]]
    table = table.join(labels, on="code")
    return table[TABLE_COLUMNS].sort_values(["city_en", "code"], kind="mergesort").reset_index(drop=True)

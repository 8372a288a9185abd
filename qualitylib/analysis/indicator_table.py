"""Indicator table: long targets -> one row per plan x code x series x scope x kind x unit.

A *plan* is one document, with its jurisdiction, issue date, horizon and plan type; two plans of one
jurisdiction (an annual plan and a multi-year plan) are two plans and are never merged. Within a row
everything is comparable by construction, so nothing is pooled: a growth rate never shares a row with
a count, a product-brand count never with a service-brand count, a sector's sub-target never with the
citywide target.

Headline rule, within a row (several values for exactly the same key): the latest target year, then
the target stated first in the document (lowest line). ``n_values``, ``min_value`` and ``max_value``
show what the row holds, so the choice is visible. Targets coded ``other`` are not in the table (they
have no common meaning across plans) but stay in targets.csv.

:func:`comparison_view` is what cross-jurisdiction figures use by default: jurisdiction-scope rows of
each jurisdiction's latest plan.
"""
from __future__ import annotations

import pandas as pd

from ..extract.codebook import load_codebook

#: What one row of the table holds: never two plans, series, scopes, kinds or units.
ROW_KEY = ["doc_id", "code", "series", "scope", "kind", "unit"]
PLAN_COLUMNS = ["doc_id", "city", "city_en", "province", "level", "adcode", "issued", "horizon", "plan_type"]
TABLE_COLUMNS = [
    *PLAN_COLUMNS, "code", "family", "series", "scope", "subject", "label_zh", "label_en", "kind", "unit",
    "value", "value_hi", "comparator", "target_year", "baseline", "baseline_year", "n_values", "min_value",
    "max_value", "line", "quote",
]


def _plan_info(targets: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """One row per doc_id with the plan columns: from documents.csv where given, else from the targets."""
    if documents is not None and not documents.empty:
        plans = documents.copy()
    else:
        plans = targets.drop_duplicates("doc_id").copy()
    for col in PLAN_COLUMNS:
        if col not in plans.columns:
            plans[col] = pd.NA
    return plans[PLAN_COLUMNS].drop_duplicates("doc_id")


def build_indicator_table(targets: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Input: targets (targets.csv columns) and optionally documents (documents.csv columns, for the
    plan's jurisdiction, issue date and horizon). Output: one row per :data:`ROW_KEY` with the headline
    value by the rule in the module docstring, sorted by plan (city_en, doc_id) then code, series,
    scope, kind and unit."""
    coded = targets[targets["code"].notna() & (targets["code"] != "other")].copy()
    if coded.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    for col in ("series", "scope", "subject", "baseline", "baseline_year"):
        if col not in coded.columns:
            coded[col] = pd.NA
    coded["series"] = coded["series"].fillna("unspecified")
    coded["scope"] = coded["scope"].fillna("jurisdiction")
    coded["unit"] = coded["unit"].fillna("")
    coded["_year"] = pd.to_numeric(coded["target_year"], errors="coerce").fillna(0)
    coded = coded.sort_values([*ROW_KEY, "_year", "line", "raw_start"],
                              ascending=[True] * len(ROW_KEY) + [False, True, True], kind="mergesort")
    groups = coded.groupby(ROW_KEY, sort=True, dropna=False)
    head = groups.head(1).set_index(ROW_KEY)
    stats = groups["value"].agg(n_values="count", min_value="min", max_value="max")
    table = head.join(stats).reset_index()
    plans = _plan_info(targets, documents)
    table = table.drop(columns=[c for c in PLAN_COLUMNS if c != "doc_id" and c in table.columns])
    table = table.merge(plans, on="doc_id", how="left")
    labels = load_codebook().drop_duplicates("code").set_index("code")[["label_zh", "label_en"]]
    table = table.join(labels, on="code")
    table = table[TABLE_COLUMNS]
    table["_en"] = table["city_en"].fillna("").astype(str)
    table = table.sort_values(["_en", "doc_id", "code", "series", "scope", "kind", "unit"], kind="mergesort")
    return table.drop(columns="_en").reset_index(drop=True)


def adcode_text(value: object) -> str | None:
    """An administrative code as its six digits (a CSV read back may hold 330300 or 330300.0), or None."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = str(value).strip()
    text = text[:-2] if text.endswith(".0") else text
    return text or None


def place_key(frame: pd.DataFrame) -> pd.Series:
    """Input: rows with ``doc_id``, ``city`` and (usually) ``adcode``. Output: who each plan is for: the
    administrative code where known, else the Chinese name, else the doc_id -- never the pinyin (泰州 and
    台州 are both Taizhou). The one definition of a place's identity for every cross-plan view."""
    adcode = frame["adcode"] if "adcode" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    name = frame["city"].astype("string").str.strip().replace("", pd.NA)
    return adcode.map(adcode_text).astype("string").fillna(name).fillna(frame["doc_id"].astype("string"))


def chronological(plans: pd.DataFrame) -> pd.DataFrame:
    """Input: rows with ``doc_id``, ``horizon`` and ``issued``. Output: the same rows, earliest plan first:
    by horizon, then issue date, then doc_id (stable, so equal plans keep their order)."""
    order = pd.DataFrame({"h": pd.to_numeric(plans["horizon"], errors="coerce").fillna(0),
                          "i": plans["issued"].astype("string").fillna(""), "d": plans["doc_id"].astype(str)},
                         index=plans.index)
    return plans.loc[order.sort_values(["h", "i", "d"], kind="mergesort").index]


def latest_plans(documents: pd.DataFrame) -> pd.DataFrame:
    """Input: documents.csv rows. Output: the latest plan of each jurisdiction (by horizon, then issue
    date, then doc_id), places told apart by :func:`place_key`."""
    if documents.empty:
        return documents
    docs = chronological(documents)
    return docs.groupby(place_key(docs), sort=False).tail(1).sort_index()


def comparison_view(table: pd.DataFrame, documents: pd.DataFrame | None = None, *, scope: str | None = "jurisdiction",
                    all_plans: bool = False) -> pd.DataFrame:
    """Input: the indicator table (and documents, to know which plan is a jurisdiction's latest).
    Output: the rows cross-jurisdiction figures compare: ``scope`` rows only (None: every scope) of
    each jurisdiction's latest plan (``all_plans=True``: every plan)."""
    view = table if scope is None else table[table["scope"] == scope]
    if not all_plans:
        docs = documents if documents is not None else view.drop_duplicates("doc_id")
        view = view[view["doc_id"].isin(set(latest_plans(docs)["doc_id"]))]
    return view.reset_index(drop=True)

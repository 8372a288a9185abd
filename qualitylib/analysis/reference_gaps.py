"""How far each city target sits from a reference: the parent jurisdiction's target, the national
target, the national value actually reached, and the city's own baseline.

Input: the comparison view (:func:`qualitylib.analysis.indicator_table.comparison_view`: the
jurisdiction-scope rows of each place's latest plan), ``documents.csv``, ``national_targets.csv``,
``national_plans.csv`` (which national plan is which, and which plan carries out which),
``national_actuals.csv`` with its coding ``national_actuals_codes.csv``, and the sentences (to read
which national plan a document says it implements). Output: one row per target x reference
(:func:`reference_gaps`). Pure pandas; the figure is :mod:`qualitylib.viz.reference_gaps`.

**Which references.** For each target row (code, series, kind, unit):

* ``parent``: the target of the same code, kind and unit (same or related series) in the plan of
  the nearest ancestor jurisdiction whose plan is in the corpus (county -> prefecture -> province;
  ancestors by ``parent`` adcode, from ``documents.csv`` and the gazetteer).
* ``national``: a target of ``national_targets.csv`` of the same code and unit (same or related
  series). When the document names the national plan it implements (by 文号 or title) and that plan
  -- or the plan it carries out (``implements`` in ``national_plans.csv``) -- has targets in the
  file, those targets are preferred (``plan_cited`` True).
* ``national_actual``: the national value measured in a year (``national_actuals.csv``), as context.
* ``baseline``: the city's own starting value where the text states one.

Among several candidates of one kind, the best grade wins, then the same series, then the nearest
year, then the later one.

**Grades** (of a parent, national or actual reference; ``HORIZON_WINDOW`` = 2 years):

* ``same``: same code, series, kind and unit, and the years differ by at most 2;
* ``related``: same code, kind and unit, the series differ but are listed as related in
  ``qualitylib/data/related_series.csv`` (e.g. supervision spot check vs overall pass rate), and the
  years differ by at most 2;
* ``far``: same or related series, but the years differ by more than 2 (or a year is unknown).

Unrelated series or different units are never compared. A baseline is graded ``same`` (same place,
same series by construction).

**Gaps** (``value`` = the city target, ``ref`` = the reference; ranges count at their midpoint):

* ``gap = value - ref`` in the target's unit: percentage points for rates (``%``), points for
  scores (``分``);
* ``failure_ratio = (100 - value) / (100 - ref)`` for pass rates (family ``pass_rate``, unit ``%``,
  an "at least" target): 98% against 96% is 0.5, "half the failures". Undefined (NaN, with a
  ``note``) when the reference is 100%: nothing is left to halve;
* ``count_ratio = value / ref`` for counts (undefined when ``ref`` is 0);
* ``ambition``: ``more`` when the city asks more than the reference, ``less``, or ``equal``. For an
  "at most" target (``<=``, ``<``) a lower value asks more.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ..resources import data_frame
from .indicator_table import adcode_text

__all__ = [
    "HORIZON_WINDOW",
    "GRADES",
    "REF_LEVELS",
    "load_related_series",
    "series_relation",
    "grade",
    "failure_ratio",
    "compare_values",
    "cited_plans",
    "reference_gaps",
    "load_national_plans",
    "load_national_actuals",
]

#: References whose year is within this many years of the target year are ``same`` or ``related``.
HORIZON_WINDOW = 2
#: Grades from best to worst.
GRADES = ("same", "related", "far")
#: Kinds of reference, in display order.
REF_LEVELS = ("parent", "national", "national_actual", "baseline")
_RATE_UNITS = ("%", "个百分点")
_SCORE_UNITS = ("分",)
_NOT_COUNT = ("%", "‰", "个百分点", "分")
_NATIONAL_DOC = re.compile(r"^(国发|国办发|中发|国函|国办函)")
_CITATION = re.compile(r"《([^》]{2,80})》\s*[（(]?\s*([\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号)?")


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v == "")


def _s(v: object) -> str:
    return "" if _missing(v) else str(v)


def load_related_series() -> frozenset[tuple[str, str, str]]:
    """Output: the related series pairs of ``qualitylib/data/related_series.csv`` as
    ``(code, a, b)`` triples in both orders (``code`` ``*`` = any code)."""
    rows = data_frame("related_series.csv", ["code", "series_a", "series_b"])
    pairs = set()
    for r in rows.to_dict("records"):
        pairs.add((r["code"], r["series_a"], r["series_b"]))
        pairs.add((r["code"], r["series_b"], r["series_a"]))
    return frozenset(pairs)


def series_relation(code: str, a: object, b: object, related: Iterable[tuple[str, str, str]] | None = None) -> str | None:
    """``'same'`` when the series are equal, ``'related'`` when ``(code or *, a, b)`` is a listed pair,
    else None (not comparable)."""
    a, b = _s(a), _s(b)
    if a == b:
        return "same"
    pairs = load_related_series() if related is None else set(related)
    return "related" if (code, a, b) in pairs or ("*", a, b) in pairs else None


def grade(relation: str | None, years_apart: float | None, window: int = HORIZON_WINDOW) -> str | None:
    """The grade of a reference (see the module docstring): None when the series are not comparable."""
    if relation is None:
        return None
    if years_apart is None or _missing(years_apart) or abs(float(years_apart)) > window:
        return "far"
    return "same" if relation == "same" else "related"


def _point(value: object, value_hi: object = None, comparator: object = None) -> float:
    v = float(value)
    if _s(comparator) == "range" and not _missing(value_hi):
        v = (v + float(value_hi)) / 2.0
    return v


def failure_ratio(value: float, ref: float) -> float:
    """``(100 - value) / (100 - ref)``: the share of failures a pass-rate target allows, relative to
    the reference. NaN when the reference is 100% or more (undefined, not infinite)."""
    if ref >= 100:
        return float("nan")
    return (100.0 - value) / (100.0 - ref)


def compare_values(value: float, ref: float, *, unit: object = "%", family: object = "pass_rate",
                   comparator: object = ">=") -> dict:
    """Gap of a target ``value`` to a reference ``ref``. Output: ``measure`` (``pp``, ``points``,
    ``count`` or ``other``), ``gap``, ``failure_ratio``, ``count_ratio``, ``ambition`` and ``note``."""
    u = _s(unit)
    at_most = _s(comparator) in ("<=", "<")
    gap = float(value) - float(ref)
    out = {"gap": gap, "failure_ratio": float("nan"), "count_ratio": float("nan"), "note": ""}
    out["measure"] = ("pp" if u in _RATE_UNITS else "points" if u in _SCORE_UNITS
                      else "count" if u not in _NOT_COUNT else "other")
    if u == "%" and _s(family) == "pass_rate" and not at_most:
        out["failure_ratio"] = failure_ratio(float(value), float(ref))
        if float(ref) >= 100:
            out["note"] = "reference is 100%: failure ratio undefined"
    if out["measure"] == "count":
        if float(ref) > 0:
            out["count_ratio"] = float(value) / float(ref)
        else:
            out["note"] = "reference is 0: ratio undefined"
    signed = -gap if at_most else gap
    out["ambition"] = "more" if signed > 1e-9 else "less" if signed < -1e-9 else "equal"
    return out


# ---------------------------------------------------------------------------------------------
# which national plan a document implements
# ---------------------------------------------------------------------------------------------
def cited_plans(sentences: pd.DataFrame, plans: pd.DataFrame, national: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which national plans each document names, and whose targets stand for them.

    Input: sentences (``doc_id, text``), ``national_plans.csv`` and ``national_targets.csv``.
    A plan is cited when its 文号 (``doc_number``) or one of its ``title_patterns`` occurs in the
    document. Output: ``doc_id, plan_id, plan_title_zh, doc_number, targets_plan_id,
    targets_plan_title_zh, has_targets, note`` -- ``targets_plan_id`` is the cited plan when
    ``national_targets.csv`` has numbers from it, else the plan it carries out (``implements``) when
    that one has, else empty; ``note`` says which, in words."""
    cols = ["doc_id", "plan_id", "plan_title_zh", "doc_number", "targets_plan_id", "targets_plan_title_zh",
            "has_targets", "note"]
    if sentences is None or sentences.empty or plans is None or plans.empty:
        return pd.DataFrame(columns=cols)
    with_targets = set() if national is None or national.empty else set(national["source_zh"].astype(str))
    by_number = {_s(p["doc_number"]): p for p in plans.to_dict("records") if _s(p["doc_number"])}
    rows = []
    for doc_id, g in sentences.groupby("doc_id", sort=True):
        body = "\n".join(g["text"].fillna("").astype(str))
        for p in plans.to_dict("records"):
            number, pattern = _s(p.get("doc_number")), _s(p.get("title_patterns"))
            if not ((number and number in body) or (pattern and re.search(pattern, body))):
                continue
            target, note = None, ""
            if p["title_zh"] in with_targets:
                target = p
                note = f"implements {p['title_zh']}; matched to its targets"
            else:
                parent = by_number.get(_s(p.get("implements")))
                if parent is not None and parent["title_zh"] in with_targets:
                    target = parent
                    note = (f"implements {p['title_zh']} ({number}), which has no numeric targets in our reference "
                            f"file; it carries out {parent['title_zh']}, whose targets are used")
                else:
                    note = f"implements {p['title_zh']}, which has no numeric targets in our reference file"
            rows.append({"doc_id": doc_id, "plan_id": p["plan_id"], "plan_title_zh": p["title_zh"], "doc_number": number,
                         "targets_plan_id": "" if target is None else target["plan_id"],
                         "targets_plan_title_zh": "" if target is None else target["title_zh"],
                         "has_targets": target is not None, "note": note})
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------------------------
# references of every target
# ---------------------------------------------------------------------------------------------
_OUT = ["doc_id", "city", "city_en", "adcode", "code", "family", "label_zh", "label_en", "series", "kind", "unit",
        "comparator", "value", "value_hi", "target_year", "plan_type", "ref_level", "ref_place", "ref_series",
        "ref_comparator", "ref_value", "ref_year", "ref_source_zh", "ref_source_en", "ref_checked", "plan_cited",
        "series_match", "years_apart", "grade", "measure", "gap", "failure_ratio", "count_ratio", "ambition", "note"]


def _unit_ok(a: object, b: object) -> bool:
    return _s(a) == _s(b) or not _s(a) or not _s(b)


def _best(cands: list[dict]) -> dict | None:
    if not cands:
        return None
    def key(c: dict) -> tuple:
        ya = c["years_apart"]
        return (GRADES.index(c["grade"]), 0 if c["series_match"] == "same" else 1,
                99 if _missing(ya) else ya, -(c["ref_year"] if not _missing(c["ref_year"]) else 0))
    return sorted(cands, key=key)[0]


def _candidates(row: Mapping, refs: Iterable[dict], related: frozenset, *, year_col: str, kind_col: str | None,
                window: int, num=None) -> list[dict]:
    """Input: a target row, the reference records of its code (``refs``: dicts, in table order).
    Output: the comparable ones, each with its series match, years apart and grade."""
    num = num or _numeric
    out = []
    code = _s(row["code"])
    for r in refs:
        if not _unit_ok(row.get("unit"), r.get("unit")):
            continue
        if kind_col and _s(r.get(kind_col)) and _s(r.get(kind_col)) != _s(row.get("kind")):
            continue
        if not kind_col and _s(row.get("kind")) not in ("level", ""):
            continue  # national targets and actuals are levels
        rel = series_relation(code, row.get("series"), r.get("series"), related)
        if rel is None:
            continue
        ty, ry = num(row.get("target_year")), num(r.get(year_col))
        ya = float("nan") if pd.isna(ty) or pd.isna(ry) else abs(float(ry) - float(ty))
        out.append({"_ref": r, "series_match": rel, "years_apart": ya, "ref_year": ry, "grade": grade(rel, ya, window)})
    return out


def _numeric(v: object) -> object:
    return pd.to_numeric(v, errors="coerce")


def _memo_numeric():
    """``pd.to_numeric(v, errors='coerce')`` of one cell, remembered per (type, value): the same few
    years recur thousands of times and the pandas call costs more than the whole comparison."""
    memo: dict = {}

    def num(v: object) -> object:
        try:
            key = (type(v), v)
            return memo[key]
        except KeyError:
            memo[key] = out = pd.to_numeric(v, errors="coerce")
            return out
        except TypeError:  # unhashable cell
            return pd.to_numeric(v, errors="coerce")
    return num


def _records_by(frame: pd.DataFrame, *cols: str) -> dict[tuple, list[dict]]:
    """Input: a frame and key columns. Output: its rows as dicts grouped by the string form of the
    key columns (``astype(str)``, as the per-row filters compared them), table order kept."""
    out: dict[tuple, list[dict]] = {}
    if frame.empty:
        return out
    keys = zip(*(frame[c].astype(str).tolist() for c in cols))
    for k, rec in zip(keys, frame.to_dict("records")):
        out.setdefault(k, []).append(rec)
    return out


def _ancestors(adcode: str, parents: Mapping[str, str]) -> list[str]:
    chain, seen = [], {adcode}
    cur = parents.get(adcode, "")
    while cur and cur not in seen:
        chain.append(cur)
        seen.add(cur)
        cur = parents.get(cur, "")
    return chain


def _parent_map(documents: pd.DataFrame | None) -> dict[str, str]:
    gaz = data_frame("gazetteer.csv", ["adcode", "parent"])
    parents = dict(zip(gaz["adcode"], gaz["parent"]))
    if documents is not None and {"adcode", "parent"} <= set(documents.columns):
        for a, p in zip(documents["adcode"], documents["parent"]):
            if not _missing(a) and not _missing(p):
                parents[_code(a)] = _code(p)
    return parents


def _code(v: object) -> str:
    return adcode_text(v) or ""


def reference_gaps(view: pd.DataFrame, *, national: pd.DataFrame | None = None, documents: pd.DataFrame | None = None,
                   actuals: pd.DataFrame | None = None, citations: pd.DataFrame | None = None,
                   related: Iterable[tuple[str, str, str]] | None = None, window: int = HORIZON_WINDOW) -> pd.DataFrame:
    """Every reference of every target of ``view`` (see the module docstring), one row per target x
    reference level (``parent``, ``national``, ``national_actual``, ``baseline``); targets without any
    reference do not appear. ``actuals`` must carry ``code, series, unit`` (join
    ``national_actuals_codes.csv`` first); ``citations`` is :func:`cited_plans`."""
    related = load_related_series() if related is None else frozenset(related)
    if view is None or view.empty:
        return pd.DataFrame(columns=_OUT)
    parents = _parent_map(documents)
    places = view.assign(_ad=view["adcode"].map(_code)) if "adcode" in view.columns else view.assign(_ad="")
    cited = {}
    if citations is not None and not citations.empty:
        for d, g in citations[citations["has_targets"].astype(bool)].groupby("doc_id"):
            cited[d] = set(g["targets_plan_title_zh"])
    nat = national if national is not None else pd.DataFrame(columns=["code", "series", "unit", "horizon", "value"])
    act = actuals if actuals is not None else pd.DataFrame(columns=["code", "series", "unit", "year", "value"])
    # references looked up by key instead of filtering the frames once per target
    num = _memo_numeric()
    by_place = _records_by(places, "_ad", "code")
    nat_by_code, act_by_code = _records_by(nat, "code"), _records_by(act, "code")
    rows = []
    for row in places.to_dict("records"):
        base = {c: row.get(c) for c in _OUT if c in row}
        base["adcode"] = row["_ad"]
        value = _point(row["value"], row.get("value_hi"), row.get("comparator"))
        found: list[tuple[str, dict, dict]] = []
        code = _s(row["code"])
        # parent: nearest ancestor whose plan is in the corpus and has a comparable target
        for anc in _ancestors(row["_ad"], parents):
            pv = by_place.get((anc, code), [])
            best = _best(_candidates(row, pv, related, year_col="target_year", kind_col="kind", window=window,
                                     num=num))
            if best is not None:
                r = best["_ref"]
                found.append(("parent", best, {"ref_place": r.get("city"), "ref_source_zh": r.get("city"),
                                               "ref_source_en": r.get("city_en"), "ref_checked": "",
                                               "ref_value": _point(r["value"], r.get("value_hi"), r.get("comparator")),
                                               "ref_comparator": r.get("comparator")}))
                break
        # national: the cited plan's targets first
        cands = _candidates(row, nat_by_code.get((code,), []), related, year_col="horizon", kind_col=None,
                            window=window, num=num)
        mine = [c for c in cands if _s(c["_ref"].get("source_zh")) in cited.get(row["doc_id"], set())]
        mine_best = _best(mine)
        best = mine_best or _best(cands)
        if best is not None:
            r = best["_ref"]
            found.append(("national", best, {"ref_place": "national", "ref_source_zh": r.get("source_zh"),
                                             "ref_source_en": r.get("source_en"),
                                             "ref_checked": _s(r.get("checked_against_primary")),
                                             "ref_value": float(r["value"]), "ref_comparator": r.get("comparator"),
                                             "plan_cited": mine_best is not None}))
        best = _best(_candidates(row, act_by_code.get((code,), []), related, year_col="year", kind_col=None,
                                 window=window, num=num))
        if best is not None:
            r = best["_ref"]
            found.append(("national_actual", best, {"ref_place": "national", "ref_source_zh": r.get("source_zh"),
                                                    "ref_source_en": r.get("source_kind"), "ref_checked": "no",
                                                    "ref_value": float(r["value"]),
                                                    "ref_comparator": r.get("comparator")}))
        if not _missing(row.get("baseline")) and _s(row.get("kind")) == "level":
            by = num(row.get("baseline_year"))
            found.append(("baseline", {"series_match": "same", "grade": "same", "ref_year": by,
                                       "years_apart": float("nan") if pd.isna(by) else abs(float(row["target_year"]) - by)},
                          {"ref_place": row.get("city"), "ref_value": float(row["baseline"]), "ref_comparator": "=",
                           "ref_source_zh": "基数", "ref_source_en": "own baseline", "ref_checked": ""}))
        for level, m, extra in found:
            r = m.get("_ref", {})
            out = dict(base)
            out.update({"ref_level": level, "ref_series": r.get("series", row.get("series")),
                        "ref_year": m["ref_year"], "series_match": m["series_match"], "years_apart": m["years_apart"],
                        "grade": m["grade"], "plan_cited": False})
            out.update(extra)
            out.update(compare_values(value, out["ref_value"], unit=row.get("unit"), family=row.get("family"),
                                      comparator=row.get("comparator")))
            rows.append(out)
    frame = pd.DataFrame(rows, columns=_OUT)
    frame["_l"] = frame["ref_level"].map(REF_LEVELS.index)
    return frame.sort_values(["city_en", "doc_id", "code", "series", "kind", "_l"], kind="mergesort") \
        .drop(columns="_l").reset_index(drop=True)



def load_national_plans(path: str | os.PathLike[str] | None) -> pd.DataFrame:
    """Input: path to ``national_plans.csv`` (may be missing). Output: its rows as strings (empty
    cells ``''``), or an empty frame with its columns."""
    cols = ["plan_id", "title_zh", "title_en", "issuer", "year_issued", "doc_number", "implements", "title_patterns",
            "checked_against_primary", "note"]
    if path is None or not Path(path).is_file():
        return pd.DataFrame(columns=cols)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_national_actuals(path: str | os.PathLike[str] | None, codes: str | os.PathLike[str] | None) -> pd.DataFrame:
    """Input: ``national_actuals.csv`` (kept as shipped, with its source columns) and
    ``national_actuals_codes.csv`` (indicator_zh -> code, series, unit). Output: the actuals with
    ``code, series`` and the codebook ``unit`` (the shipped unit stays in ``unit_as_published``);
    rows without a coding are dropped. Empty when either file is missing."""
    cols = ["year", "indicator_zh", "code", "series", "unit", "value", "comparator", "source_zh", "source_kind"]
    if path is None or codes is None or not Path(path).is_file() or not Path(codes).is_file():
        return pd.DataFrame(columns=cols)
    act = pd.read_csv(path).rename(columns={"unit": "unit_as_published"})
    coding = pd.read_csv(codes, dtype=str, keep_default_na=False)[["indicator_zh", "code", "series", "unit"]]
    return act.merge(coding, on="indicator_zh", how="inner")

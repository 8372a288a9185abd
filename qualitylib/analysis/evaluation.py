"""Score extracted targets against the hand annotation (gold).

Matching rule. A predicted row and a gold row match when they have the same ``doc_id``, the same
``line`` and the same ``value`` (floats compared with a relative tolerance of 1e-9, so 17.05 ==
17.050000000000001). Matching is one-to-one: a pred row matches at most one gold row and vice
versa. It is greedy in the order of the pred rows, in passes of decreasing strictness, so that
when several gold rows share a key (e.g. three ``20`` on one line) each pred is paired with the
gold row that also agrees on unit and indicator before any looser pairing is made:

1. same key, same unit, same indicator (normalised text);
2. same key, same unit, one indicator containing the other;
3. same key, same unit;
4. same key, indicators overlapping by containment;
5. same key.

Within a pass the candidate gold rows are taken with ``target`` rows before ``borderline`` ones,
then in order of appearance.

Borderline gold rows (``status == 'borderline'``) count neither way: a pred matched to one is not a
true positive and not a false alarm (it is counted in ``n_borderline_ignored``), and an unmatched
borderline row is not a miss.

Counts: ``n_gold`` = gold rows with status ``target``; ``n_pred`` = all pred rows given;
``n_matched`` = preds matched to a target row (true positives). Hence
``precision = n_matched / (n_pred - n_borderline_ignored)``, ``recall = n_matched / n_gold``, and
F1 their harmonic mean; a ratio with a zero denominator is reported as 0.0.

Field agreement is computed over the matched (target) pairs for ``unit`` (normalised with
Traditional->Simplified, so 項 == 项, but 个/千人 != 批次/千人), ``comparator``, ``kind``,
``target_year`` (as integers; empty == empty), ``family``, ``code``, ``scope``, ``baseline`` (as
floats) and ``baseline_year``; ``series`` only over the pairs whose gold names a series (not empty,
not ``unspecified``: the guide does not score those). ``field_counts`` gives the number of pairs each
field was scored on. Agreement is NaN when nothing was scored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..extract.codebook import normalize_text, normalize_unit

__all__ = ["EvalReport", "FIELDS", "load_gold", "evaluate", "format_report"]

#: Fields compared over matched rows, in report order.
FIELDS = ("unit", "comparator", "kind", "target_year", "family", "code", "series", "scope", "baseline",
          "baseline_year")
#: Fields scored only on some pairs: a predicate on the gold value says which.
_SCORED_WHEN = {"series": lambda gold_value: gold_value not in ("", "unspecified")}

GOLD_COLUMNS = [
    "doc_id", "line", "number_text", "quote", "indicator", "value", "value_hi", "unit",
    "comparator", "kind", "target_year", "family", "code", "status", "note", "series", "scope", "baseline",
    "baseline_year",
]
_REL_TOL = 1e-9


@dataclass
class EvalReport:
    """Outcome of :func:`evaluate`. See the module docstring for the definitions.

    ``misses``: gold target rows not matched (gold columns). ``false_alarms``: pred rows matched to
    no gold row at all (pred columns). ``disagreements``: one row per matched pair and disagreeing
    field: ``doc_id, line, value, field, gold, pred, gold_indicator, pred_indicator, quote``.
    ``matches``: one row per matched pair (targets and borderline): ``gold_index, pred_index,
    status, doc_id, line, value``, indexes being positions in the frames passed to ``evaluate``.
    """

    precision: float
    recall: float
    f1: float
    n_gold: int
    n_pred: int
    n_matched: int
    n_borderline_ignored: int
    field_agreement: dict[str, float]
    misses: pd.DataFrame
    false_alarms: pd.DataFrame
    disagreements: pd.DataFrame
    matches: pd.DataFrame = field(default_factory=pd.DataFrame)
    field_counts: dict[str, int] = field(default_factory=dict)


def load_gold(path: str | Path) -> pd.DataFrame:
    """Read a gold annotation CSV (the format of ``data/annotations/seeds_gold.csv``).

    Input: path to a UTF-8 CSV with at least ``doc_id, line, value, status``.
    Output: DataFrame with all text columns as str (empty cells ``''``), ``line`` int, ``value``
    and ``value_hi`` float (NaN when empty), ``target_year`` nullable ``Int64``. Raises
    ``ValueError`` if a required column is missing or a status is not target/borderline.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    required = ["doc_id", "line", "value", "status"]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing gold columns {missing}")
    for c in GOLD_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["line"] = df["line"].astype(int)
    # empty -> NaN; anything else must parse (a non-numeric gold value is an annotation error)
    for c in ("value", "value_hi"):
        df[c] = [float(v) if v.strip() else float("nan") for v in df[c]]
    df["target_year"] = pd.array([_int(v) for v in df["target_year"]], dtype="Int64")
    bad = set(df["status"]) - {"target", "borderline"}
    if bad:
        raise ValueError(f"{path}: unknown status values {sorted(bad)}")
    return df


# ---------------------------------------------------------------- normalisers


def _missing(v) -> bool:
    if v is None or v is pd.NA:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _int(v) -> int | None:
    # Years and line numbers come as '2020', 2020, 2020.0, '2020.0', '' or NaN depending on who
    # wrote the frame (CSV round trips turn nullable ints into floats).
    if _missing(v):
        return None
    try:
        return int(float(str(v).strip()))
    except ValueError:
        return None


def _float(v) -> float | None:
    if _missing(v):
        return None
    try:
        f = float(str(v).strip()) if not isinstance(v, (int, float)) else float(v)
    except ValueError:
        return None
    return None if math.isnan(f) else f


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=0.0)


def _text(v) -> str:
    return "" if _missing(v) else str(v).strip()


_COMPARATOR_ALIASES = {"≥": ">=", "≤": "<=", "＝": "=", "==": "="}


def _norm_field(name: str, v):
    if name in ("target_year", "baseline_year"):
        return _int(v)
    if name == "baseline":
        return _float(v)
    if name == "unit":
        return normalize_unit(_text(v))
    s = _text(v)
    if name == "comparator":
        return _COMPARATOR_ALIASES.get(s, s)
    return s.lower()


def _indicator_score(a: str, b: str) -> int:
    # 2 = same phrase, 1 = one contains the other (extractors often cut or extend the phrase),
    # 0 = unrelated or unknown.
    if not a or not b:
        return 0
    if a == b:
        return 2
    return 1 if (a in b or b in a) else 0


# ---------------------------------------------------------------- evaluation


def _col(df: pd.DataFrame, name: str) -> list:
    return list(df[name]) if name in df.columns else [None] * len(df)


def evaluate(gold: pd.DataFrame, pred: pd.DataFrame) -> EvalReport:
    """Compare predicted targets with gold targets.

    Input: ``gold`` as returned by :func:`load_gold` (plain string frames work too) and ``pred``
    with the extractor's columns (at least ``doc_id, line, value``; missing optional columns count
    as empty). Neither frame is modified.
    Output: an :class:`EvalReport` (rules in the module docstring).
    """
    gold = gold.reset_index(drop=True)
    pred = pred.reset_index(drop=True)
    for name, df in (("gold", gold), ("pred", pred)):
        for c in ("doc_id", "line", "value"):
            if c not in df.columns:
                raise ValueError(f"{name} frame lacks column {c!r}")
    g_status = [(_text(s) or "target").lower() for s in _col(gold, "status")]
    g_key = [(_text(d), _int(l)) for d, l in zip(gold["doc_id"], gold["line"])]
    p_key = [(_text(d), _int(l)) for d, l in zip(pred["doc_id"], pred["line"])]
    g_val = [_float(v) for v in gold["value"]]
    p_val = [_float(v) for v in pred["value"]]
    g_unit = [normalize_unit(_text(u)) for u in _col(gold, "unit")]
    p_unit = [normalize_unit(_text(u)) for u in _col(pred, "unit")]
    g_ind = [normalize_text(_text(i)) for i in _col(gold, "indicator")]
    p_ind = [normalize_text(_text(i)) for i in _col(pred, "indicator")]

    # gold rows by key, so each pred only looks at its own line
    by_key: dict[tuple, list[int]] = {}
    for gi, k in enumerate(g_key):
        by_key.setdefault(k, []).append(gi)
    for k in by_key:
        # targets before borderline rows, then order of appearance
        by_key[k].sort(key=lambda gi: (g_status[gi] != "target", gi))

    passes = [
        lambda gi, pi: g_unit[gi] == p_unit[pi] and _indicator_score(g_ind[gi], p_ind[pi]) == 2,
        lambda gi, pi: g_unit[gi] == p_unit[pi] and _indicator_score(g_ind[gi], p_ind[pi]) >= 1,
        lambda gi, pi: g_unit[gi] == p_unit[pi],
        lambda gi, pi: _indicator_score(g_ind[gi], p_ind[pi]) >= 1,
        lambda gi, pi: True,
    ]
    gold_taken: dict[int, int] = {}
    pred_taken: dict[int, int] = {}
    for accept in passes:
        for pi in range(len(pred)):
            if pi in pred_taken:
                continue
            for gi in by_key.get(p_key[pi], ()):
                if gi in gold_taken or not _same_value(g_val[gi], p_val[pi]):
                    continue
                if accept(gi, pi):
                    gold_taken[gi] = pi
                    pred_taken[pi] = gi
                    break

    pairs = sorted(pred_taken.items())  # (pi, gi) in pred order
    tp_pairs = [(pi, gi) for pi, gi in pairs if g_status[gi] != "borderline"]
    n_border = len(pairs) - len(tp_pairs)
    n_gold = sum(s != "borderline" for s in g_status)
    n_pred = len(pred)
    n_matched = len(tp_pairs)
    scored = n_pred - n_border
    precision = n_matched / scored if scored else 0.0
    recall = n_matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    agreement: dict[str, float] = {}
    dis_rows = []
    g_quote = _col(gold, "quote")
    g_ind_raw = _col(gold, "indicator")
    p_ind_raw = _col(pred, "indicator")
    counts: dict[str, int] = {}
    for f in FIELDS:
        gv = _col(gold, f)
        pv = _col(pred, f)
        scored_when = _SCORED_WHEN.get(f, lambda _: True)
        scored_pairs = [(pi, gi) for pi, gi in tp_pairs if scored_when(_norm_field(f, gv[gi]))]
        same = 0
        for pi, gi in scored_pairs:
            a, b = _norm_field(f, gv[gi]), _norm_field(f, pv[pi])
            if a == b or (isinstance(a, float) and isinstance(b, float) and _same_value(a, b)):
                same += 1
            else:
                dis_rows.append({
                    "doc_id": g_key[gi][0], "line": g_key[gi][1], "value": g_val[gi],
                    "field": f, "gold": a, "pred": b,
                    "gold_indicator": _text(g_ind_raw[gi]), "pred_indicator": _text(p_ind_raw[pi]),
                    "quote": _text(g_quote[gi]),
                })
        agreement[f] = same / len(scored_pairs) if scored_pairs else float("nan")
        counts[f] = len(scored_pairs)
    disagreements = pd.DataFrame(
        dis_rows,
        columns=["doc_id", "line", "value", "field", "gold", "pred", "gold_indicator",
                 "pred_indicator", "quote"],
    )
    if not disagreements.empty:
        disagreements = disagreements.sort_values(["doc_id", "line", "field"], kind="stable")
        disagreements = disagreements.reset_index(drop=True)

    miss_idx = [gi for gi in range(len(gold)) if gi not in gold_taken and g_status[gi] != "borderline"]
    fa_idx = [pi for pi in range(len(pred)) if pi not in pred_taken]
    matches = pd.DataFrame(
        [{"gold_index": gi, "pred_index": pi, "status": g_status[gi], "doc_id": g_key[gi][0],
          "line": g_key[gi][1], "value": g_val[gi]} for pi, gi in pairs],
        columns=["gold_index", "pred_index", "status", "doc_id", "line", "value"],
    )
    return EvalReport(
        precision=precision, recall=recall, f1=f1,
        n_gold=n_gold, n_pred=n_pred, n_matched=n_matched, n_borderline_ignored=n_border,
        field_agreement=agreement,
        misses=gold.iloc[miss_idx].copy(),
        false_alarms=pred.iloc[fa_idx].copy(),
        disagreements=disagreements,
        matches=matches,
        field_counts=counts,
    )


# ---------------------------------------------------------------- printing


def _one_line(v, width: int = 60) -> str:
    s = _text(v).replace("\r", " ").replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def _num(v) -> str:
    f = _float(v)
    if f is None:
        return ""
    return f"{f:g}" if abs(f) < 1e15 else repr(f)


def format_report(report: EvalReport, max_rows: int = 20) -> str:
    """Render a report as plain text (one item per line, no column alignment, so CJK text never
    breaks the layout). Lists of misses, false alarms and disagreements are cut at ``max_rows``
    each, with a count of what was left out.

    Input: an :class:`EvalReport`. Output: a str ending with a newline.
    """
    out = []
    out.append("Target extraction evaluation")
    out.append(
        f"  gold targets: {report.n_gold}   predictions: {report.n_pred} "
        f"({report.n_borderline_ignored} matched borderline gold rows, not scored)"
    )
    out.append(
        f"  matched: {report.n_matched}   precision: {report.precision:.3f}   "
        f"recall: {report.recall:.3f}   F1: {report.f1:.3f}"
    )
    out.append(f"Field agreement over {report.n_matched} matched rows:")
    for f in FIELDS:
        v = report.field_agreement.get(f, float("nan"))
        n = report.field_counts.get(f, report.n_matched)
        out.append(f"  {f}: {'n/a' if v != v else f'{v:.3f}'}" + (f"  (over {n} rows)" if n != report.n_matched else ""))

    def section(title: str, df: pd.DataFrame, render) -> None:
        out.append(f"{title} ({len(df)}):")
        for _, r in df.head(max_rows).iterrows():
            out.append("  " + render(r))
        if len(df) > max_rows:
            out.append(f"  ... {len(df) - max_rows} more")

    section(
        "Misses", report.misses,
        lambda r: f"{_text(r.get('doc_id'))}:{_text(r.get('line'))} value={_num(r.get('value'))} "
        f"{_one_line(r.get('number_text'), 20)} | {_one_line(r.get('indicator'))} | "
        f"{_one_line(r.get('quote'))}",
    )
    section(
        "False alarms", report.false_alarms,
        lambda r: f"{_text(r.get('doc_id'))}:{_text(r.get('line'))} value={_num(r.get('value'))} "
        f"{_text(r.get('unit'))} | {_one_line(r.get('indicator'))} | {_one_line(r.get('quote'))}",
    )
    section(
        "Disagreements", report.disagreements,
        lambda r: f"{_text(r.get('doc_id'))}:{_text(r.get('line'))} value={_num(r.get('value'))} "
        f"{r.get('field')}: gold={r.get('gold')!s} pred={r.get('pred')!s} | "
        f"{_one_line(r.get('gold_indicator'), 40)}",
    )
    return "\n".join(out) + "\n"

"""Tests for qualitylib.analysis.evaluation on small hand-made gold/pred frames and on the seed gold file."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from qualitylib.analysis.evaluation import FIELDS, EvalReport, evaluate, format_report, load_gold

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "data" / "annotations" / "seeds_gold.csv"

GOLD_COLS = ["doc_id", "line", "number_text", "quote", "indicator", "value", "value_hi", "unit",
             "comparator", "kind", "target_year", "family", "code", "status", "note"]
PRED_COLS = ["doc_id", "city", "province", "line", "raw_start", "raw_end", "quote", "indicator",
             "code", "family", "series", "value", "value_hi", "unit", "comparator", "kind",
             "target_year", "section"]


def g(doc, line, value, indicator="指标", unit="%", status="target", comparator=">=",
      kind="level", year="2020", family="other", code="other", number_text=None):
    return {
        "doc_id": doc, "line": line, "number_text": number_text or f"{value}{unit}",
        "quote": f"{indicator}达到{value}{unit}", "indicator": indicator, "value": value,
        "value_hi": float("nan"), "unit": unit, "comparator": comparator, "kind": kind,
        "target_year": year, "family": family, "code": code, "status": status, "note": "",
    }


def p(doc, line, value, indicator="指标", unit="%", comparator=">=", kind="level", year=2020,
      family="other", code="other"):
    return {
        "doc_id": doc, "city": "某市", "province": "某省", "line": line, "raw_start": 0,
        "raw_end": 1, "quote": f"{indicator}{value}", "indicator": indicator, "code": code,
        "family": family, "series": "", "value": value, "value_hi": float("nan"), "unit": unit,
        "comparator": comparator, "kind": kind, "target_year": year, "section": "",
    }


def G(*rows):
    return pd.DataFrame(list(rows), columns=GOLD_COLS)


def P(*rows):
    return pd.DataFrame(list(rows), columns=PRED_COLS)


# ---------------------------------------------------------------- counting


def test_tp_fp_fn():
    gold = G(g("d1", 3, 96.5), g("d1", 3, 98.0), g("d2", 7, 50.0, unit="个"))
    pred = P(p("d1", 3, 96.5), p("d1", 3, 97.0), p("d2", 7, 50.0, unit="个"))
    r = evaluate(gold, pred)
    assert isinstance(r, EvalReport)
    assert (r.n_gold, r.n_pred, r.n_matched, r.n_borderline_ignored) == (3, 3, 2, 0)
    assert r.precision == pytest.approx(2 / 3)
    assert r.recall == pytest.approx(2 / 3)
    assert r.f1 == pytest.approx(2 / 3)
    assert list(r.misses["value"]) == [98.0]
    assert list(r.false_alarms["value"]) == [97.0]


def test_key_requires_same_doc_and_line():
    gold = G(g("d1", 3, 90.0))
    assert evaluate(gold, P(p("d1", 4, 90.0))).n_matched == 0
    assert evaluate(gold, P(p("d2", 3, 90.0))).n_matched == 0
    assert evaluate(gold, P(p("d1", "3", "90"))).n_matched == 1  # string columns are fine


def test_value_tolerance_is_relative_1e9():
    gold = G(g("d", 1, 17.05, unit="亩"), g("d", 2, 15000.0, unit="辆"), g("d", 3, 0.42))
    pred = P(p("d", 1, 17.05 * (1 + 1e-12), unit="亩"), p("d", 2, 15000.0 + 1e-3, unit="辆"),
             p("d", 3, 0.42 * (1 + 1e-8)))
    r = evaluate(gold, pred)
    # 1e-12 relative: same; 1e-3 on 15000 is 6.7e-8 relative: different; 1e-8 relative: different
    assert r.n_matched == 1
    assert list(r.misses["line"]) == [2, 3]


def test_pred_with_missing_value_never_matches():
    gold = G(g("d", 1, 0.0))
    r = evaluate(gold, P(p("d", 1, float("nan"))))
    assert r.n_matched == 0 and len(r.false_alarms) == 1
    assert evaluate(gold, P(p("d", 1, 0.0))).n_matched == 1  # zero equals zero


def test_borderline_counts_neither_way():
    gold = G(
        g("d", 1, 95.0),
        g("d", 2, 600000.0, unit="吨", status="borderline"),
        g("d", 3, 2.0, unit="次/年", status="borderline"),
    )
    pred = P(p("d", 1, 95.0), p("d", 2, 600000.0, unit="吨"), p("d", 9, 1.0))
    r = evaluate(gold, pred)
    assert r.n_gold == 1
    assert r.n_pred == 3
    assert r.n_borderline_ignored == 1
    assert r.n_matched == 1
    # the borderline-matched pred is not a false alarm; the unmatched borderline is not a miss
    assert list(r.false_alarms["line"]) == [9]
    assert r.misses.empty
    assert r.precision == pytest.approx(1 / 2)  # 1 TP over 3 preds minus 1 ignored
    assert r.recall == pytest.approx(1.0)
    # borderline pairs do not enter field agreement
    assert r.field_agreement["unit"] == 1.0


def test_pred_prefers_target_over_borderline_with_same_key():
    gold = G(g("d", 1, 5.0, unit="个", status="borderline"), g("d", 1, 5.0, unit="个"))
    r = evaluate(gold, P(p("d", 1, 5.0, unit="个")))
    assert (r.n_matched, r.n_borderline_ignored) == (1, 0)
    assert list(r.matches["gold_index"]) == [1]


def test_duplicate_keys_pair_by_unit_and_indicator():
    gold = G(
        g("d", 54, 50.0, "地理标志商标", "件", code="geographical_indications"),
        g("d", 54, 50.0, "中国驰名商标", "件", code="well_known_trademarks"),
        g("d", 54, 20.0, "山东省知名农产品企业品牌", "个"),
        g("d", 54, 20.0, "山东省老字号", "个"),
        g("d", 54, 20.0, "泰山杯奖", "个", code="engineering_quality_award"),
    )
    # preds in a different order, one with a shortened indicator, one extra 20
    pred = P(
        p("d", 54, 20.0, "泰山杯奖", "个", code="engineering_quality_award"),
        p("d", 54, 50.0, "驰名商标", "件", code="well_known_trademarks"),
        p("d", 54, 50.0, "地理标志商标", "件", code="geographical_indications"),
        p("d", 54, 20.0, "山东省老字号", "个"),
        p("d", 54, 20.0, "山东省知名农产品企业品牌", "个"),
        p("d", 54, 20.0, "别的东西", "个"),
    )
    r = evaluate(gold, pred)
    assert r.n_matched == 5 and len(r.false_alarms) == 1
    pairs = dict(zip(r.matches["pred_index"], r.matches["gold_index"]))
    assert pairs == {0: 4, 1: 1, 2: 0, 3: 3, 4: 2}
    assert r.field_agreement["code"] == 1.0
    assert list(r.false_alarms["indicator"]) == ["别的东西"]


def test_duplicate_keys_stricter_pass_first_no_stealing():
    # pred 0 agrees with nothing in particular, pred 1 agrees exactly with gold 0: a naive greedy
    # pass would give gold 0 to pred 0 and leave pred 1 with the wrong gold row.
    gold = G(g("d", 1, 2.0, "鲁班奖", "个"), g("d", 1, 2.0, "中国驰名商标", "件"))
    pred = P(p("d", 1, 2.0, "某某", "个"), p("d", 1, 2.0, "鲁班奖", "个"))
    r = evaluate(gold, pred)
    pairs = dict(zip(r.matches["pred_index"], r.matches["gold_index"]))
    assert pairs == {1: 0, 0: 1}
    assert r.field_agreement["unit"] == 0.5  # pred 0 (个) was paired with 件


def test_more_preds_than_gold_on_a_key():
    gold = G(g("d", 1, 2.0, unit="个"), g("d", 1, 2.0, unit="个"))
    pred = P(*[p("d", 1, 2.0, unit="个") for _ in range(3)])
    r = evaluate(gold, pred)
    assert (r.n_matched, len(r.false_alarms), len(r.misses)) == (2, 1, 0)
    assert list(r.false_alarms.index) == [2]  # greedy in pred order: the last one is left over


# ---------------------------------------------------------------- field agreement


def test_field_agreement_arithmetic_and_disagreements():
    gold = G(
        g("d", 1, 4.0, "食品检验量", "批次/千人", year="2020"),
        g("d", 2, 8.0, "国际标准", "項", year="2014", family="standards", code="standards_mixed"),
        g("d", 3, 100.0, "验收合格率", "%", comparator="=", year=""),
        g("d", 4, 10.0, "商标注册量", "%", kind="annual_growth", year="2020", family="brands",
          code="registered_trademarks"),
    )
    pred = P(
        p("d", 1, 4.0, "食品检验量", "个/千人", year=2020.0),          # unit differs
        p("d", 2, 8.0, "国际标准", "项", year="2014", family="standards",
          code="standards_international"),                               # 項 == 项; code differs
        p("d", 3, 100.0, "验收合格率", "%", comparator=">=", year=float("nan")),  # comparator
        p("d", 4, 10.0, "商标注册量", "%", comparator="≥", kind="level", year=2018,
          family="brands", code="registered_trademarks"),                 # kind, year differ
    )
    r = evaluate(gold, pred)
    assert r.n_matched == 4
    fa = r.field_agreement
    assert set(fa) == set(FIELDS)
    assert fa["unit"] == pytest.approx(3 / 4)
    assert fa["comparator"] == pytest.approx(3 / 4)  # ≥ is an alias of >=
    assert fa["kind"] == pytest.approx(3 / 4)
    assert fa["target_year"] == pytest.approx(3 / 4)  # '2020'==2020.0, ''==NaN, 2020!=2018
    assert fa["family"] == pytest.approx(1.0)
    assert fa["code"] == pytest.approx(3 / 4)
    d = r.disagreements
    assert len(d) == 5
    got = {(int(row.line), row.field): (row.gold, row.pred) for row in d.itertuples()}
    assert got == {
        (1, "unit"): ("批次/千人", "个/千人"),
        (2, "code"): ("standards_mixed", "standards_international"),
        (3, "comparator"): ("=", ">="),
        (4, "kind"): ("annual_growth", "level"),
        (4, "target_year"): (2020, 2018),
    }


def test_no_match_gives_zeros_and_nan_agreement():
    r = evaluate(G(g("d", 1, 1.0)), P())
    assert (r.precision, r.recall, r.f1) == (0.0, 0.0, 0.0)
    assert all(math.isnan(v) for v in r.field_agreement.values())
    assert r.disagreements.empty and len(r.misses) == 1 and r.false_alarms.empty


def test_missing_required_column_raises():
    with pytest.raises(ValueError):
        evaluate(G(g("d", 1, 1.0)), pd.DataFrame({"doc_id": ["d"], "line": [1]}))


def test_inputs_not_modified():
    gold = G(g("d", 1, 1.0))
    pred = P(p("d", 1, 1.0))
    before = (gold.copy(), pred.copy())
    evaluate(gold, pred)
    pd.testing.assert_frame_equal(gold, before[0])
    pd.testing.assert_frame_equal(pred, before[1])


# ---------------------------------------------------------------- gold file


def test_load_gold_types():
    gold = load_gold(GOLD)
    assert len(gold) == 119
    assert (gold["status"] == "target").sum() == 107
    assert gold["line"].dtype.kind == "i"
    assert gold["value"].dtype == float and gold["value_hi"].dtype == float
    assert str(gold["target_year"].dtype) == "Int64"
    row = gold[(gold["doc_id"] == "001_3ec8c45db7a89b0a") & (gold["number_text"] == "3万件")].iloc[0]
    assert row["value"] == 30000.0 and row["unit"] == "件" and row["target_year"] == 2020
    assert gold["value_hi"].notna().sum() == 4


def test_load_gold_rejects_bad_status(tmp_path):
    path = tmp_path / "bad.csv"
    G(g("d", 1, 1.0, status="maybe")).to_csv(path, index=False)
    with pytest.raises(ValueError):
        load_gold(path)


def test_gold_against_itself_pairs_every_row_with_itself():
    gold = load_gold(GOLD)
    pred = gold[gold["status"] == "target"].drop(columns=["status", "note"]).iloc[::-1]
    r = evaluate(gold, pred)
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)
    assert all(v == 1.0 for v in r.field_agreement.values())
    # duplicate keys (e.g. three 20s on one line) each find their own gold row
    pred_pos_to_gold = dict(zip(r.matches["pred_index"], r.matches["gold_index"]))
    for pos, gi in pred_pos_to_gold.items():
        assert pred.index[pos] == gi


# ---------------------------------------------------------------- format_report


def test_format_report_contains_numbers_and_chinese():
    gold = G(g("d", 1, 96.5, "工业产品质量监督抽查合格率"), g("d", 2, 98.0, "药品抽检合格率"),
             g("d", 3, 5.0, unit="个", status="borderline"))
    pred = P(p("d", 1, 96.5, "工业产品质量监督抽查合格率", year=2018), p("d", 3, 5.0, unit="个"),
             p("d", 4, 12.0, "假目标"))
    r = evaluate(gold, pred)
    text = format_report(r)
    assert isinstance(text, str) and text.endswith("\n")
    assert "gold targets: 2" in text
    assert "predictions: 3 (1 matched borderline" in text
    assert "matched: 1" in text
    assert f"precision: {r.precision:.3f}" in text and "precision: 0.500" in text
    assert "recall: 0.500" in text
    assert f"F1: {r.f1:.3f}" in text
    assert "target_year: 0.000" in text and "unit: 1.000" in text
    assert "药品抽检合格率" in text  # miss
    assert "假目标" in text  # false alarm
    assert "target_year: gold=2020 pred=2018" in text
    text.encode("utf-8")  # printable in a UTF-8 terminal


def test_format_report_truncates_and_handles_nan():
    gold = G(*[g("d", i, float(i)) for i in range(1, 8)])
    text = format_report(evaluate(gold, P()), max_rows=3)
    assert "Misses (7):" in text and "... 4 more" in text
    assert "unit: n/a" in text

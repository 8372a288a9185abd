"""Reference gaps on made-up rows: failure-rate ratio, grades, direction, a 100% reference, the
parent before the national target, and the national plan a document says it implements."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from qualitylib.analysis.reference_gaps import (
    cited_plans,
    compare_values,
    failure_ratio,
    grade,
    reference_gaps,
    series_relation,
)

RELATED = {("*", "supervision_spot_check", "overall"), ("*", "overall", "supervision_spot_check")}


def _row(**kw) -> dict:
    base = {"doc_id": "d1", "city": "甲市", "city_en": "Jia", "adcode": "330300", "code": "manufacturing_product_pass_rate",
            "family": "pass_rate", "label_zh": "", "label_en": "", "series": "supervision_spot_check", "scope": "jurisdiction",
            "kind": "level", "unit": "%", "comparator": ">=", "value": 98.0, "value_hi": float("nan"),
            "target_year": 2020, "plan_type": "multi_year", "baseline": float("nan"), "baseline_year": float("nan")}
    base.update(kw)
    return base


def _nat(**kw) -> dict:
    base = {"source_zh": "国家规划", "source_en": "National plan", "horizon": 2020,
            "code": "manufacturing_product_pass_rate", "series": "supervision_spot_check", "comparator": ">=",
            "value": 96.0, "unit": "%", "checked_against_primary": "no"}
    base.update(kw)
    return base


def test_failure_ratio_reads_as_share_of_failures():
    assert failure_ratio(98, 96) == pytest.approx(0.5)  # "half the failures"
    assert failure_ratio(96, 98) == pytest.approx(2.0)
    assert failure_ratio(100, 96) == 0.0
    assert math.isnan(failure_ratio(100, 100))  # undefined, not a division by zero
    assert math.isnan(failure_ratio(99, 100))


def test_compare_values_units_and_direction():
    c = compare_values(98, 96, unit="%", family="pass_rate")
    assert c["measure"] == "pp" and c["gap"] == pytest.approx(2) and c["failure_ratio"] == pytest.approx(0.5)
    assert c["ambition"] == "more"
    hundred = compare_values(100, 100, unit="%", family="pass_rate")
    assert math.isnan(hundred["failure_ratio"]) and "100%" in hundred["note"] and hundred["ambition"] == "equal"
    # an "at most" target asks more when it is lower; no failure ratio for it
    low = compare_values(2, 3, unit="%", family="pass_rate", comparator="<=")
    assert low["ambition"] == "more" and math.isnan(low["failure_ratio"])
    counts = compare_values(30, 10, unit="项", family="standards")
    assert counts["measure"] == "count" and counts["count_ratio"] == pytest.approx(3)
    assert compare_values(75, 78, unit="分", family="satisfaction")["measure"] == "points"
    assert math.isnan(compare_values(60, 30, unit="%", family="other")["failure_ratio"])  # not a pass rate


def test_grades():
    assert series_relation("x", "supervision_spot_check", "supervision_spot_check", RELATED) == "same"
    assert series_relation("x", "overall", "supervision_spot_check", RELATED) == "related"
    assert series_relation("x", "routine_monitoring", "overall", RELATED) is None
    assert grade("same", 0) == "same" and grade("same", 2) == "same"
    assert grade("same", 3) == "far"
    assert grade("related", 1) == "related" and grade("related", 5) == "far"
    assert grade("same", None) == "far"
    assert grade(None, 0) is None


def test_reference_gaps_grades_and_unrelated_series():
    view = pd.DataFrame([_row(), _row(doc_id="d2", city="乙市", city_en="Yi", adcode="330400", series="overall"),
                         _row(doc_id="d3", city="丙市", city_en="Bing", adcode="330500", target_year=2014),
                         _row(doc_id="d4", city="丁市", city_en="Ding", adcode="330600", series="routine_monitoring")])
    nat = pd.DataFrame([_nat()])
    g = reference_gaps(view, national=nat, related=RELATED).set_index("doc_id")
    assert g.loc["d1", "grade"] == "same" and g.loc["d1", "failure_ratio"] == pytest.approx(0.5)
    assert g.loc["d2", "grade"] == "related" and g.loc["d2", "series_match"] == "related"
    assert g.loc["d3", "grade"] == "far" and g.loc["d3", "years_apart"] == 6
    assert "d4" not in g.index  # unrelated series: never compared


def test_hundred_percent_reference_is_undefined():
    g = reference_gaps(pd.DataFrame([_row(value=100.0)]), national=pd.DataFrame([_nat(value=100.0)]), related=RELATED)
    assert len(g) == 1 and math.isnan(g["failure_ratio"].iloc[0]) and "undefined" in g["note"].iloc[0]
    assert g["gap"].iloc[0] == 0


def test_parent_found_up_the_chain_beside_national():
    # a county (330302) whose prefecture (330300) has no plan here, but whose province (330000) has
    view = pd.DataFrame([_row(doc_id="county", adcode="330302", value=98.0),
                         _row(doc_id="prov", city="浙江省", city_en="Zhejiang", adcode="330000", value=97.0)])
    docs = pd.DataFrame({"doc_id": ["county", "prov"], "adcode": ["330302", "330000"], "parent": ["330300", ""]})
    g = reference_gaps(view, national=pd.DataFrame([_nat()]), documents=docs, related=RELATED)
    county = g[g["doc_id"] == "county"]
    assert list(county["ref_level"]) == ["parent", "national"]  # parent listed before the national target
    par = county.iloc[0]
    assert par["ref_place"] == "浙江省" and par["ref_value"] == 97 and par["failure_ratio"] == pytest.approx(2 / 3)
    assert set(g[g["doc_id"] == "prov"]["ref_level"]) == {"national"}  # the province has no parent plan


def test_own_baseline():
    g = reference_gaps(pd.DataFrame([_row(baseline=93.0, baseline_year=2015)]), related=RELATED)
    b = g[g["ref_level"] == "baseline"].iloc[0]
    assert b["gap"] == 5 and b["failure_ratio"] == pytest.approx(2 / 7) and b["years_apart"] == 5


def test_cited_plan_targets_are_preferred_and_followed_to_the_outline():
    plans = pd.DataFrame([
        {"plan_id": "outline", "title_zh": "纲要", "doc_number": "国发〔2012〕9号", "implements": "", "title_patterns": ""},
        {"plan_id": "action", "title_zh": "2014年行动计划", "doc_number": "国办发〔2014〕18号",
         "implements": "国发〔2012〕9号", "title_patterns": ""},
        {"plan_id": "lonely", "title_zh": "无数字的规划", "doc_number": "国办发〔2015〕1号", "implements": "",
         "title_patterns": ""}])
    nat = pd.DataFrame([_nat(source_zh="纲要", horizon=2015, value=90.0, series="supervision_spot_check"),
                        _nat(source_zh="另一规划", horizon=2014, value=95.0, series="overall")])
    sentences = pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["为贯彻落实《行动计划》(国办发〔2014〕18号)", "根据国办发〔2015〕1号"]})
    c = cited_plans(sentences, plans, nat).set_index("doc_id")
    assert c.loc["d1", "targets_plan_id"] == "outline" and "no numeric targets" in c.loc["d1", "note"]
    assert not c.loc["d2", "has_targets"] and "no numeric targets in our reference file" in c.loc["d2", "note"]
    view = pd.DataFrame([_row(series="overall", target_year=2014)])
    g = reference_gaps(view, national=nat, citations=c.reset_index(), related=RELATED)
    # the cited outline (related series) wins over another plan's same-series target
    assert g["ref_source_zh"].iloc[0] == "纲要" and bool(g["plan_cited"].iloc[0]) and g["grade"].iloc[0] == "related"
    g2 = reference_gaps(view, national=nat, related=RELATED)
    assert g2["ref_source_zh"].iloc[0] == "另一规划" and g2["grade"].iloc[0] == "same"

"""Tests for qualitylib.analysis.comparability: which targets are compared, which national target is
a fair reference, relative ambition within one plan type, count targets, nearest peers. On the
committed indicator table of the five seed documents and on small hand-made tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import comparability as C


@pytest.fixture(scope="module")
def table(seed_tables) -> pd.DataFrame:
    return seed_tables["indicator_table"]


def _city_rows(**cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = dict(city=[f"城{i}" for i in range(n)], city_en=[f"C{i}" for i in range(n)], code="x", series="s",
                unit="%", kind="level", comparator=">=", plan_type="multi_year", target_year=2020, family="pass_rate")
    base.update(cols)
    return pd.DataFrame({k: v if isinstance(v, list) else [v] * n for k, v in base.items()})


# --- national references -----------------------------------------------------------------------
def test_national_reference_only_when_code_series_and_horizon_match(table, national):
    m = C.match_national(table, national)
    assert len(m) == len(table)
    spot = m[(m["code"] == "manufacturing_product_pass_rate") & (m["series"] == "supervision_spot_check")]
    assert not spot.empty and (spot["nat_value"] == 92.0).all()
    assert set(spot["nat_source_en"]) == {"Test outline"} and set(spot["nat_horizon"]) == {2020}
    # the same code in another series gets nothing, although a national target exists for "overall" --
    # Wenzhou's "overall" target is for 2014, six years before that national horizon
    overall = m[(m["code"] == "manufacturing_product_pass_rate") & (m["series"] == "overall")]
    assert not overall.empty and overall["nat_value"].isna().all()
    agri = m[m["code"] == "agri_product_pass_rate"]
    assert not agri.empty and agri["nat_value"].isna().all()  # 2025 national vs 2020/2014 city targets
    assert m["nat_value"].notna().sum() == len(spot)


def test_national_window_edges():
    city = _city_rows(target_year=[2017, 2016])
    nat = pd.DataFrame([dict(horizon=2020, code="x", series="s", comparator=">=", value=90.0, unit="%")])
    m = C.match_national(city, nat, window=3)
    assert m.loc[0, "nat_value"] == 90.0 and pd.isna(m.loc[1, "nat_value"])
    assert pd.isna(C.match_national(city, nat, window=2).loc[0, "nat_value"])


def test_national_units_must_agree_unless_one_is_missing():
    city = _city_rows(unit=["%", "%"], city=["甲", "乙"])
    nat = pd.DataFrame([dict(horizon=2020, code="x", series="s", value=90.0, unit="分")])
    assert C.match_national(city, nat)["nat_value"].isna().all()
    nat_no_unit = nat.assign(unit=np.nan)
    assert (C.match_national(city, nat_no_unit)["nat_value"] == 90.0).all()


def test_nearest_national_horizon_wins_then_the_later_one():
    city = _city_rows(target_year=[2020], city=["甲"])
    nat = pd.DataFrame([dict(horizon=h, code="x", series="s", value=v, unit="%")
                        for h, v in ((2017, 1.0), (2022, 2.0), (2018, 3.0))])
    assert C.match_national(city, nat).loc[0, "nat_value"] == 2.0  # 2018 and 2022 both 2 years away
    assert C.match_national(city, nat.iloc[[0, 2]]).loc[0, "nat_value"] == 3.0


def test_no_national_table_gives_empty_columns(table):
    for nat in (None, pd.DataFrame(columns=["horizon", "code", "series", "value"])):
        m = C.match_national(table, nat)
        assert "nat_value" in m.columns and m["nat_value"].isna().all() and len(m) == len(table)


# --- comparable groups and ambition --------------------------------------------------------------
def test_comparable_groups_need_same_key_and_enough_cities(table):
    g = C.comparable_groups(table, min_cities=2)
    assert not g.empty
    assert (g.groupby("group")["city"].nunique() >= 2).all()
    accept = g[g["code"] == "construction_acceptance_pass_rate"]
    assert set(accept["city"]) == {"温州市", "芜湖市", "宜昌市", "银川市"}
    assert set(accept["group"]) == {"construction_acceptance_pass_rate|acceptance|%|level"}
    # a code set by two cities in different series is not a group ...
    assert "agri_standardization_rate" not in set(g["code"])
    # ... and a city in another series stays out of the group of its code
    agri = g[g["code"] == "agri_product_pass_rate"]
    assert set(agri["city"]) == {"泰安市", "温州市"} and set(agri["series"]) == {"routine_monitoring"}
    assert C.comparable_groups(table, min_cities=5).empty
    by_plan = C.comparable_groups(table, min_cities=2, by_plan=True)
    assert not by_plan.empty and len(by_plan) < len(g)
    assert (by_plan.groupby(["plan_type", "group"])["city"].nunique() >= 2).all()


def test_ambition_scores_never_mix_plan_types(table):
    s = C.ambition_scores(table, method="rank")
    assert not s.empty
    assert s["score"].between(0, 1).all()
    for (_plan, _group), g in s.groupby(["plan_type", "group"]):
        assert g["city"].nunique() >= 2 and (g["n_cities"] == g["city"].nunique()).all()
    plans = set(s["plan_type"])
    assert plans == {"multi_year", "annual"}
    # ties share the average rank
    tie = s[s["code"] == "consumer_goods_standard_consistency"]
    assert len(tie) == 2 and (tie["score"] == 0.5).all()
    mm = C.ambition_scores(table, method="minmax")
    assert not mm.empty and mm["score"].between(0, 1).all()
    with pytest.raises(ValueError, match="method"):
        C.ambition_scores(table, method="zscore")


def test_ambition_ranks_reverse_for_at_most_and_use_range_midpoints():
    t = _city_rows(value=[1.0, 2.0, 3.0], comparator="<=")
    assert list(C.ambition_scores(t)["score"]) == [1.0, 0.5, 0.0]
    r = _city_rows(value=[90.0, 80.0], value_hi=[np.nan, 100.0], comparator=[">=", "range"])
    assert C._ambition_value(r.iloc[1]) == 90.0 and C._ambition_value(r.iloc[0]) == 90.0
    assert (C.ambition_scores(r)["score"] == 0.5).all()  # same ambition once the range is its midpoint
    mm = C.ambition_scores(_city_rows(value=[10.0, 20.0, 40.0]), method="minmax")
    assert np.allclose(mm["score"], [0.0, 1 / 3, 1.0])


def test_annual_and_multi_year_targets_are_scaled_apart():
    t = _city_rows(value=[90.0, 95.0, 10.0, 20.0], plan_type=["annual", "annual", "multi_year", "multi_year"])
    s = C.ambition_scores(t)
    assert len(s) == 4
    assert list(s["score"]) == [0.0, 1.0, 0.0, 1.0]
    assert C.plan_kind("annual") == "annual" and C.plan_kind(np.nan) == "unknown" and C.plan_kind("") == "unknown"


def test_empty_table_gives_empty_results(table):
    empty = table.iloc[0:0]
    assert C.comparable_groups(empty).empty and "group" in C.comparable_groups(empty).columns
    s = C.ambition_scores(empty)
    assert s.empty and {"score", "n_cities"} <= set(s.columns)


# --- count targets -----------------------------------------------------------------------------
def test_count_targets_leave_out_rates(table):
    counts, n_pct = C.count_targets(table)
    assert not counts.empty and set(counts["family"]) <= {"standards", "brands"}
    assert counts["unit"].map(C.is_count_unit).all() and (counts["value"] > 0).all()
    # Yinchuan's trademark target is a growth rate in %
    assert n_pct == 1
    assert not ((counts["city"] == "银川市") & (counts["code"] == "registered_trademarks")).any()
    assert C.is_count_unit("件") and C.is_count_unit(None) and C.is_count_unit(np.nan)
    assert not C.is_count_unit("%") and not C.is_count_unit("个百分点")


# --- nearest peers -----------------------------------------------------------------------------
def test_nearest_peers_excludes_self_and_sorts(wide):
    city = wide.index[0]
    p = C.nearest_peers(wide, city)
    assert city not in set(p["peer"]) and len(p) == wide.shape[0] - 1
    assert p["cosine"].is_monotonic_decreasing and p["cosine"].between(0, 1).all()
    assert list(p["rank"]) == list(range(1, len(p) + 1))
    with pytest.raises(ValueError, match="not in the share matrix"):
        C.nearest_peers(wide, "亚特兰蒂斯")


def test_nearest_peers_cosine_values():
    w = pd.DataFrame([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [1.0, 1.0]], index=["甲", "乙", "丙", "丁"],
                     columns=["a", "b"])
    p = C.nearest_peers(w, "甲")
    assert list(p["peer"]) == ["乙", "丁", "丙"]
    assert np.allclose(p["cosine"], [1.0, 1 / np.sqrt(2), 0.0])

"""The indicator table never pools: one row per plan x code x series x scope x kind x unit. Within a
row the headline is the latest target year, then the first stated; ``n_values``/``min_value``/
``max_value`` show what the row holds. Rows coded ``other`` stay out. Cross-jurisdiction views take
jurisdiction-scope rows of each jurisdiction's latest plan, jurisdictions told apart by code or Chinese
name, never by pinyin."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.analysis.indicator_table import (
    ROW_KEY,
    TABLE_COLUMNS,
    build_indicator_table,
    comparison_view,
    latest_plans,
)
from qualitylib.pipeline import run_pipeline

CODE = "famous_brand_products"


def _targets(*rows: dict) -> pd.DataFrame:
    base = dict(doc_id="d1", city="甲市", city_en="Jia", province="乙省", code=CODE, family="brands",
                series="provincial", scope="jurisdiction", subject="", value=1.0, value_hi=None, unit="个",
                comparator=">=", kind="level", target_year=2025, baseline=None, baseline_year=None,
                plan_type="multi_year", line=1, quote="")
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["raw_start"] = frame["line"] * 100
    return frame


def _only_row(*rows: dict) -> pd.Series:
    table = build_indicator_table(_targets(*rows))
    assert len(table) == 1, table
    return table.iloc[0]


@pytest.mark.parametrize("field, other", [("kind", "increment"), ("series", "national"), ("scope", "sector"),
                                          ("unit", "家"), ("doc_id", "d2")])
def test_values_that_differ_in_a_key_field_are_two_rows(field, other):
    table = build_indicator_table(_targets(dict(value=250.0), {field: other, "value": 5.0, "line": 2}))
    assert len(table) == 2 and sorted(table["value"]) == [5.0, 250.0]
    assert set(table["n_values"]) == {1}


def test_among_equal_keys_the_latest_target_year_wins():
    row = _only_row(dict(value=200.0, target_year=2022, line=1), dict(value=250.0, target_year=2025, line=5),
                    dict(value=230.0, target_year=2023, line=3))
    assert (row["value"], row["target_year"]) == (250.0, 2025)


def test_then_the_first_stated_wins():
    row = _only_row(dict(value=30.0, line=7), dict(value=3.0, line=2))
    assert (row["value"], row["line"]) == (3.0, 2)


def test_the_row_shows_what_it_holds():
    row = _only_row(dict(value=5.0, line=1), dict(value=250.0, line=4), dict(value=120.0, line=6))
    assert (row["n_values"], row["min_value"], row["max_value"]) == (3, 5.0, 250.0)


def test_other_codes_stay_out_and_plans_stay_apart():
    table = build_indicator_table(_targets(
        dict(code="other", value=9.0), dict(value=10.0), dict(city="丙市", city_en="Bing", doc_id="d2", value=20.0)))
    assert list(table.columns) == TABLE_COLUMNS
    assert sorted(zip(table["doc_id"], table["value"])) == [("d1", 10.0), ("d2", 20.0)]


def test_only_other_gives_an_empty_table_with_the_columns():
    table = build_indicator_table(_targets(dict(code="other")))
    assert table.empty and list(table.columns) == TABLE_COLUMNS


def test_no_row_of_the_seed_table_mixes_plans_series_scope_kind_or_unit(root):
    from qualitylib import paths

    result = run_pipeline([root / paths.RAW_DIR], documents_csv=root / paths.DOCUMENTS_CSV)
    table, targets = result.indicator_table, result.targets
    assert not table.empty
    assert not table.duplicated(ROW_KEY).any()
    coded = targets[targets["code"] != "other"].fillna({"unit": ""})
    counts = coded.groupby(ROW_KEY).size()
    for row in table.itertuples():
        assert counts[(row.doc_id, row.code, row.series, row.scope, row.kind, row.unit)] == row.n_values


def _docs(*rows: dict) -> pd.DataFrame:
    base = dict(doc_id="a", city="泰州市", city_en="Taizhou", province="江苏省", level="prefecture", adcode="321200",
                issued="2019-01-01", horizon=2020, plan_type="multi_year")
    return pd.DataFrame([{**base, **r} for r in rows])


def test_latest_plan_per_jurisdiction_never_by_pinyin():
    docs = _docs(dict(doc_id="a"), dict(doc_id="b", horizon=2025, issued="2022-05-01"),
                 dict(doc_id="c", city="台州市", province="浙江省", adcode="331000"),
                 dict(doc_id="d", city="台州市", province="浙江省", adcode="", horizon=2014, plan_type="annual"))
    docs.loc[docs["adcode"] == "", "adcode"] = pd.NA
    latest = set(latest_plans(docs)["doc_id"])
    # 泰州 (321200): b is later than a; 台州 (331000) and the 台州 plan without a code are told apart by
    # code vs name, but never merged with 泰州 although all are "Taizhou"
    assert {"b", "c"} <= latest and "a" not in latest


def test_comparison_view_takes_jurisdiction_rows_of_latest_plans():
    table = build_indicator_table(_targets(dict(doc_id="a", value=1.0), dict(doc_id="b", value=2.0),
                                           dict(doc_id="b", scope="sector", value=3.0, line=2)),
                                  _docs(dict(doc_id="a"), dict(doc_id="b", horizon=2025)))
    view = comparison_view(table, _docs(dict(doc_id="a"), dict(doc_id="b", horizon=2025)))
    assert list(view["value"]) == [2.0]
    assert len(comparison_view(table, scope=None, all_plans=True)) == 3

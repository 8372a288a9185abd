"""The headline rule of indicator_table.csv, as the README states it: a level target beats increment,
delta and annual growth; then the latest target year; then the first stated. Rows coded ``other``
stay out; ``n_values``/``min_value``/``max_value`` show what was passed over."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.analysis.indicator_table import TABLE_COLUMNS, build_indicator_table

CODE = "famous_brand_products"


def _targets(*rows: dict) -> pd.DataFrame:
    base = dict(doc_id="d1", city="甲市", city_en="Jia", province="乙省", raw_start=0, code=CODE, family="brands",
                series="", value=1.0, value_hi=None, unit="个", comparator=">=", kind="level", target_year=2025,
                plan_type="multi_year", line=1, quote="")
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["raw_start"] = frame["line"] * 100
    return frame


def _headline(*rows: dict) -> pd.Series:
    table = build_indicator_table(_targets(*rows))
    assert len(table) == 1, table
    return table.iloc[0]


@pytest.mark.parametrize("other_kind", ["increment", "delta", "annual_growth"])
def test_a_level_beats_every_other_kind_even_when_stated_later(other_kind):
    row = _headline(dict(value=5.0, kind=other_kind, line=1), dict(value=250.0, kind="level", line=9))
    assert (row["value"], row["kind"]) == (250.0, "level")


def test_increment_beats_delta_beats_growth():
    row = _headline(dict(value=3.0, kind="annual_growth", line=1), dict(value=2.0, kind="delta", line=2),
                    dict(value=1.0, kind="increment", line=3))
    assert row["kind"] == "increment"
    assert _headline(dict(value=3.0, kind="annual_growth", line=1), dict(value=2.0, kind="delta", line=2))["kind"] == "delta"


def test_among_levels_the_latest_target_year_wins():
    row = _headline(dict(value=200.0, target_year=2022, line=1), dict(value=250.0, target_year=2025, line=5),
                    dict(value=230.0, target_year=2023, line=3))
    assert (row["value"], row["target_year"]) == (250.0, 2025)


def test_then_the_first_stated_wins():
    row = _headline(dict(value=30.0, line=7), dict(value=3.0, line=2))
    assert (row["value"], row["line"]) == (3.0, 2)


def test_the_row_shows_what_was_passed_over():
    row = _headline(dict(value=5.0, kind="increment", line=1), dict(value=250.0, line=4), dict(value=120.0, line=6))
    assert (row["n_values"], row["min_value"], row["max_value"]) == (3, 5.0, 250.0)


def test_other_codes_stay_out_and_cities_stay_apart():
    table = build_indicator_table(_targets(
        dict(code="other", value=9.0), dict(value=10.0),
        dict(city="丙市", city_en="Bing", doc_id="d2", value=20.0)))
    assert list(table.columns) == TABLE_COLUMNS
    assert sorted(zip(table["city_en"], table["value"])) == [("Bing", 20.0), ("Jia", 10.0)]
    assert "other" not in set(table["code"])


def test_only_other_gives_an_empty_table_with_the_columns():
    table = build_indicator_table(_targets(dict(code="other")))
    assert table.empty and list(table.columns) == TABLE_COLUMNS

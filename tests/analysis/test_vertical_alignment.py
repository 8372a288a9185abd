"""Vertical alignment on made-up documents: a provincial plan (浙江省), a city plan under it (温州市, 2021)
that copies, exceeds and falls short of the province's targets, and an earlier annual plan of the same
city, so a target's change over time can be read."""
from __future__ import annotations

from pathlib import Path

import pytest

from qualitylib.analysis.indicator_table import comparison_view
from qualitylib.analysis.reference_gaps import reference_gaps
from qualitylib.analysis.vertical_alignment import changes_over_time, repetition_summary, vertical_alignment
from qualitylib.pipeline import run_pipeline

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "alignment"


@pytest.fixture(scope="module")
def corpus():
    result = run_pipeline([DOCS])
    assert set(result.documents["city"]) == {"浙江省", "温州市"}
    return result


def test_each_city_target_is_read_against_its_province(corpus):
    view = comparison_view(corpus.indicator_table, corpus.documents)
    alignment = vertical_alignment(reference_gaps(view, documents=corpus.documents))
    parent = alignment[(alignment["ref_level"] == "parent") & (alignment["city"] == "温州市")]
    relation = dict(zip(parent["code"], parent["relation"]))
    assert relation == {"manufacturing_product_pass_rate": "exceeds", "food_pass_rate": "copies",
                        "drug_pass_rate": "falls short"}
    gaps = dict(zip(parent["code"], parent["gap"]))
    assert gaps["manufacturing_product_pass_rate"] == pytest.approx(1.0)
    assert gaps["drug_pass_rate"] == pytest.approx(-0.5)
    assert set(parent["ref_place"]) == {"浙江省"}
    summary = repetition_summary(alignment).set_index("ref_level")
    assert summary.loc["parent", ["targets", "copies", "exceeds", "falls short"]].tolist() == [3, 1, 1, 1]
    assert summary.loc["parent", "share_copies"] == pytest.approx(1 / 3)


def test_the_older_plan_of_the_same_city_gives_the_change_over_time(corpus):
    changes = changes_over_time(corpus.indicator_table, corpus.documents)
    wenzhou = changes[(changes["city"] == "温州市") & (changes["code"] == "manufacturing_product_pass_rate")]
    assert list(wenzhou["value"]) == [93.0, 95.0] and wenzhou["change"].iloc[-1] == pytest.approx(2.0)
    assert set(changes["city"]) == {"温州市"}, "a place with one plan has no change"


def test_without_parent_plans_the_summary_says_so():
    summary = repetition_summary(vertical_alignment(None))
    assert summary["targets"].tolist() == [0, 0] and summary["share_copies"].isna().all()

"""The language of other plans than the seeds, on documents written for these tests (a provincial plan
after the 2023 national outline, and a newspaper report about a district plan): shared values, plan
structure, thresholds in the subject, whole noun phrases, the newer indicators, scope and baselines."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qualitylib.extract.qualifiers import scope_of
from qualitylib.extract.targets import governing_text, shared_value_indicators
from qualitylib.pipeline import run_pipeline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def province() -> pd.DataFrame:
    return run_pipeline([FIXTURES / "made_up_province_2024.txt"]).targets


@pytest.fixture(scope="module")
def report() -> pd.DataFrame:
    return run_pipeline([FIXTURES / "made_up_district_report_2023.txt"]).targets


def _rows(t: pd.DataFrame, value: float, unit: str = "%") -> pd.DataFrame:
    rows = t[(t["value"] == value) & (t["unit"] == unit)]
    assert not rows.empty, f"no target {value}{unit}"
    return rows


def test_one_value_shared_by_a_list_gives_one_target_per_indicator(province):
    rows = _rows(province, 96.0)
    rows = rows[rows["line"] == rows["line"].iloc[0]]
    assert list(rows["indicator"]) == ["工业产品质量监督抽查合格率", "消费品质量合格率", "重点产品监督抽查合格率"]
    assert set(rows["code"]) == {"manufacturing_product_pass_rate"}
    assert list(rows["series"]) == ["supervision_spot_check", "overall", "supervision_spot_check"]
    assert rows["raw_start"].nunique() == 1, "all three point at the one number in the raw file"


@pytest.mark.parametrize("phrase, parts", [
    ("A产品合格率、B产品合格率和C产品合格率", ["A产品合格率", "B产品合格率", "C产品合格率"]),
    ("高速公路、大型水运标准化施工覆盖率", None),        # several subjects, one measure
    ("地方、团体标准和国家、国际标准", None),            # a count over several levels
    ("食品抽检合格率", None),
])
def test_shared_value_split_only_lists_of_measures(phrase, parts):
    assert shared_value_indicators(phrase) == (parts or [phrase])


def test_numbers_that_describe_the_plan_are_not_targets(report):
    assert set(report["value"]) == {97.0, 8.0}, report[["number_text", "indicator"]]


def test_a_threshold_in_the_subject_is_not_a_target(province):
    assert 1e11 not in set(province["value"])
    row = _rows(province, 10.0, "家").iloc[0]
    assert row["indicator"] == "年主营业务收入超过1000亿元的企业"


def test_indicators_are_whole_noun_phrases(province, report):
    for t in (province, report):
        short = [i for i in t["indicator"] if len(i) < 4]
        assert not short, f"fragmentary indicators: {short}"
        assert not [i for i in t["indicator"] if i.startswith(("的", "或", "和", "从"))]


@pytest.mark.parametrize("indicator, code, series", [
    ("制造业质量竞争力指数", "manufacturing_quality_competitiveness_index", None),
    ("食用农产品监测合格率", "agri_product_pass_rate", "routine_monitoring"),
    ("食品安全评价性抽检合格率", "food_pass_rate", "evaluative_sampling"),
    ("药品抽检合格率", "drug_pass_rate", "sampling_inspection"),
    ("生活性服务满意度", "service_satisfaction", "index_score"),
    ("公共服务质量满意度", "public_service_satisfaction", "index_score"),
])
def test_indicators_of_plans_after_the_2023_outline(province, indicator, code, series):
    row = province[province["indicator"] == indicator]
    assert len(row) == 1, province["indicator"].tolist()
    assert row["code"].iloc[0] == code
    if series:
        assert row["series"].iloc[0] == series


def test_scope_and_baseline_of_a_sector_change(province):
    row = province[province["indicator"] == "规模以上工业企业产品质量合格率"].iloc[0]
    assert (row["scope"], row["subject"], row["value"], row["baseline"]) == ("sector", "规模以上", 96.0, 93.0)
    assert 93.0 not in set(province["value"]), "the starting value of 由93%提高到96% is not a target"


def test_what_is_counted_decides_the_code(province):
    row = _rows(province, 20.0, "家").iloc[0]
    assert row["code"] == "other" and row["family"] == "brands"


@pytest.mark.parametrize("text, family, section, expected", [
    ("县级社会公用计量标准", "other", "", ("per_unit", "县级")),
    ("县级以上集中式饮用水源地水质达标率", "other", "", ("jurisdiction", "")),
    ("大中型工程质量一次验收合格率", "pass_rate", "", ("sector", "大中型")),
    ("团体标准", "standards", "三、任务 > (一)提高农产品供给水平", ("sector", "农产品")),
    ("团体标准", "standards", "三、任务 > (四)实施标准化战略", ("jurisdiction", "")),
    ("农产品抽检合格率", "pass_rate", "三、任务 > (一)提高农产品供给水平", ("jurisdiction", "")),
])
def test_scope_rules(text, family, section, expected):
    assert scope_of(text, family, section) == expected


def test_per_unit_from_the_sentence_subject():
    assert scope_of("新增|服务质量提升项目", "other", "", "各成员单位要以改善民生为目的")[0] == "per_unit"


@pytest.mark.parametrize("sentence, clause_start, clause, carries", [
    ("力争新增地理标志商标2件以上,湖北名牌产品20个以上", 15, "湖北名牌产品", True),
    ("力争新增地理标志商标2件以上;湖北名牌产品20个以上", 15, "湖北名牌产品", False),
    ("注册商标总量达到3万件,地理标志商标50件", 12, "地理标志商标", False),
])
def test_a_governing_verb_carries_across_commas_not_semicolons(sentence, clause_start, clause, carries):
    text = governing_text(sentence, clause_start, clause)
    assert ("新增" in text) is carries

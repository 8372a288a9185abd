"""Agency notes on written examples: splitting, normalisation to the canonical list with the 2018
successors, the reform period, and lead vs co-responsible vs blanket roles."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.analysis import agencies as ag


def _roles(note: str) -> list[tuple[str, str, str]]:
    return [(r["written"], r["code"], r["role"]) for r in ag.parse_note(note)]


def test_the_data_file_is_consistent():
    df = ag.load_agencies()
    assert set(df["successor_2018"]) <= set(df["code"])
    assert df["code"].is_unique and set(df["kind"]) == {"agency", "blanket"}


@pytest.mark.parametrize("name, code, successor", [
    ("市质监局", "quality_supervision", "market_regulation"),
    ("市质量技术监督局", "quality_supervision", "market_regulation"),
    ("市市场监督管理局", "market_regulation", "market_regulation"),
    ("市市场监管局", "market_regulation", "market_regulation"),
    ("市工商局", "industry_commerce", "market_regulation"),
    ("市食药监局", "food_drug", "market_regulation"),
    ("市食品药品监管局", "food_drug", "market_regulation"),
    ("市经信委", "industry_it", "industry_it"),
    ("市经济和信息化委", "industry_it", "industry_it"),
    ("市工信局", "industry_it", "industry_it"),
    ("市住建委", "housing_construction", "housing_construction"),
    ("市住建局", "housing_construction", "housing_construction"),
    ("市住房城乡建设局", "housing_construction", "housing_construction"),
    ("市农业局", "agriculture", "agriculture"),
    ("市农业农村局", "agriculture", "agriculture"),
    ("市农办〈农业局〉", "agriculture", "agriculture"),
    ("市水利渔业局", "water", "water"),
    ("市环保局", "environment", "environment"),
    ("市生态环境局", "environment", "environment"),
    ("市国土资源局", "land_resources", "natural_resources"),
    ("温州检验检疫局", "inspection_quarantine", "customs"),
    ("市旅游发展委", "tourism", "culture_tourism"),
    ("市文化旅游广电局", "culture_tourism", "culture_tourism"),
    ("市卫计委", "health", "health"),
    ("市工商联", "federation_commerce", "federation_commerce"),
    ("宜昌高新区管委会", "named_local_government", "named_local_government"),
    ("各县(市、区)", "counties", "counties"),
    ("相关市级部门", "members", "members"),
    ("某某神秘办公室", "other", "other"),
])
def test_names_normalise_to_the_canonical_list_and_its_2018_successor(name, code, successor):
    got_code, got_successor, _ = ag.normalise(name)
    assert (got_code, got_successor) == (code, successor)


def test_reform_period_uses_the_issue_date():
    assert ag.reform_period("2018-11-01") == "pre_reform"
    assert ag.reform_period("2019-01-02") == "post_reform"
    assert ag.reform_period(None) == "unknown"


def test_split_names_handles_glued_names_and_blanket_prefixes():
    assert ag.split_names("各县(市)区人民政府市工信局、市发改委等") == ["各县(市)区人民政府", "市工信局", "市发改委"]
    assert ag.split_names("市文化旅游广电局市卫健委") == ["市文化旅游广电局", "市卫健委"]
    assert ag.split_names("人行市中心支行、相关市级部门") == ["人行市中心支行", "相关市级部门"]


def test_lead_and_co_responsible():
    assert _roles("市质监局牵头,市发改委、市经信委等按职责分工负责") == [
        ("市质监局", "quality_supervision", "lead"), ("市发改委", "development_reform", "co"),
        ("市经信委", "industry_it", "co")]
    assert _roles("市食药监局、市卫计委牵头负责,芜湖海关等按职责分工负责") == [
        ("市食药监局", "food_drug", "lead"), ("市卫计委", "health", "lead"), ("芜湖海关", "customs", "co")]
    assert _roles("市环保局牵头负责,市公安局配合") == [
        ("市环保局", "environment", "lead"), ("市公安局", "public_security", "co")]


def test_no_lead_is_invented():
    # several agencies 负责 jointly: no lead, and the first-listed is not promoted
    assert [r for _, _, r in _roles("市质监局、市发改委、市科技局等部门负责")] == ["co", "co", "co"]
    assert [r for _, _, r in _roles("市质监局等部门负责")] == ["co"]
    # exactly one named agency responsible: it leads
    assert _roles("市住建委负责") == [("市住建委", "housing_construction", "lead")]


def test_blanket_assignments_are_never_leads():
    assert _roles("市委考核办、市质监局等部门,各县(市、区)负责") == [
        ("市委考核办", "organisation_assessment", "co"), ("市质监局", "quality_supervision", "co"),
        ("各县(市、区)", "counties", "blanket")]
    assert _roles("市质强办牵头,市质强委各成员单位负责")[1][2] == "blanket"
    roles = _roles("各县(市)区人民政府市市场监管局、市卫健委")
    assert roles[0] == ("各县(市)区人民政府", "counties", "blanket") and roles[1][2] == "co"
    assert ag.parse_note("") == [] and ag.parse_note(float("nan")) == []


def test_a_nested_trailing_note_is_recovered():
    text = "持续开展质量强市示范活动。(市质监局等部门,各县(市、区)负责)"
    assert ag.recover_note(text) == "市质监局等部门,各县(市、区)负责"
    assert ag.recover_note("(市质监局等部门,各县(市、区)负责)") == "市质监局等部门,各县(市、区)负责"
    assert ag.recover_note("加强质量基础设施建设(以下简称质量基础)。") == ""
    s = pd.DataFrame({"doc_id": "a", "city": "甲市", "sentence_id": [0, 1, 2], "section_path": "一",
                      "text": ["开展示范活动。", "推进质量强县。", "(市质监局等部门,各县(市、区)负责)"], "agencies": ""})
    tasks = ag.task_table(s)
    assert tasks["task_id"].nunique() == 1 and set(tasks["note"]) == {"市质监局等部门,各县(市、区)负责"}


def _sentences() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a"] * 4 + ["b"] * 2, "city": ["甲市"] * 4 + ["乙市"] * 2, "city_en": ["Jia"] * 4 + ["Yi"] * 2,
        "sentence_id": [0, 1, 2, 3, 0, 1], "section_path": ["一", "一", "一", "二", "一", "一"],
        "text": ["推进标准化建设。", "培育国际标准3项。", "加强工程质量管理。", "开展宣传。", "提升服务业质量。", "打造品牌。"],
        "agencies": ["市质监局牵头,市发改委负责", "市质监局牵头,市发改委负责", "市住建委牵头", "",
                     "市市场监管局、市商务局按职责分工负责", "各县(市、区)负责"]})


def test_tasks_rows_shares_and_the_mapping_modes():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "issued": ["2017-05-01", "2020-03-01"]})
    tasks = ag.task_table(_sentences())
    assert tasks["task_id"].tolist() == ["a#0", "a#0", "a#1", "a#2", "b#0", "b#1"]
    by_date = ag.agency_rows(tasks, docs)
    assert by_date.loc[by_date["written"] == "市质监局", "agency"].iloc[0] == "quality_supervision"
    succ = ag.agency_rows(tasks, docs, names="successor")
    assert succ.loc[succ["written"] == "市质监局", "agency"].iloc[0] == "market_regulation"
    with pytest.raises(ValueError):
        ag.agency_rows(tasks, docs, names="guess")
    shares = ag.lead_shares(tasks, by_date).set_index("city")
    assert shares.loc["甲市", ["n_tasks", "n_with_note", "n_lead"]].tolist() == [3, 2, 2]
    assert shares.loc["乙市", ["n_lead", "n_blanket", "n_named"]].tolist() == [0, 1, 1]
    # 乙市 never names the quality bureau: it leads in 甲市 and is absent there (grouped by successor
    # it is present as market regulation, which does not lead anywhere)
    pres = ag.presence_table(by_date)
    assert ("quality_supervision", "乙市") in set(zip(pres["agency"], pres["absent_in"]))


def test_agency_theme_counts_and_graph():
    from qualitylib.analysis import themes
    s = _sentences()
    tasks = ag.task_table(s)
    rows = ag.agency_rows(tasks)
    coded = themes.code_sentences(s)
    counts = ag.agency_theme_counts(rows, tasks, coded)
    assert set(counts["agency"]) <= {"quality_supervision", "housing_construction"}
    std = counts[(counts["agency"] == "quality_supervision") & (counts["theme"] == "standards")]
    assert std["n_tasks"].tolist() == [1]  # two sentences, one task
    g = ag.agency_theme_graph(ag.agency_theme_counts(rows, tasks, coded, roles=("lead", "co")), leads=counts)
    assert g.has_edge(("agency", "quality_supervision"), ("theme", "standards"))
    assert g.edges[("agency", "quality_supervision"), ("theme", "standards")]["lead"] == 1
    assert all(d["bipartite"] in (0, 1) for _, d in g.nodes(data=True))

"""Tests for the rules that make a theme keyword count (qualitylib.analysis.theme_dictionary) and for the
front matter that is no policy text (qualitylib.analysis.front_matter)."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.analysis import themes
from qualitylib.analysis.front_matter import front_matter_mask, is_front_matter
from qualitylib.analysis.theme_dictionary import (
    dictionary_matches,
    heading_themes,
    innermost_heading,
    mask_names,
    match_sentence,
    validate_themes,
)


def _hits(text: str, section_path: str | None = None) -> set[str]:
    row = dictionary_matches([text], None if section_path is None else [section_path]).iloc[0]
    return {t for t, v in row.items() if v}


# --- rule 1: names are not topics --------------------------------------------------------------
def test_cited_titles_examples_and_agency_names_are_masked():
    assert "工作方案" not in mask_names("按照《宜昌市创建全国质量强市示范城市工作方案》,扎实推进创建工作。")
    # a title that is the object of the task (not cited as authority) stays
    assert "质量奖管理办法" in mask_names("完善《芜湖市政府质量奖管理办法》等制度。")
    assert "宠物食品" not in mask_names("完善省级公共检测平台(如鞋类、宠物食品)建设。")
    assert "生态环境局" not in mask_names("市生态环境局组织实施。")
    assert mask_names("形成质量共治格局。") == "形成质量共治格局。"  # 格局 is no agency
    body = "发挥银川市人民政府质量与商标战略工作领导小组职能。"
    assert "商标" not in mask_names(body) and "商标" in mask_names(body, bodies=False)


def test_names_do_not_make_a_theme():
    assert "leadership_organisation_assessment" not in _hits("按照《宜昌市创建全国质量强市示范城市工作方案》,扎实推进创建工作。")
    assert "consumer_goods" not in _hits("完善省级公共检测平台(如鞋类、宠物食品)建设。")
    hits = _hits("发挥银川市人民政府质量与商标战略工作领导小组职能,强化组织领导。")
    assert "brands_awards" not in hits and "leadership_organisation_assessment" in hits


# --- rule 2: exclusions -----------------------------------------------------------------------
@pytest.mark.parametrize("text, theme", [
    ("申报湖北名牌产品、生态原产地产品保护。", "environment"),      # a brand label
    ("深入开展基层文化服务效能提升活动,提升公共文化服务质量。", "services"),  # public, not the service sector
    ("强化质量社会监督和舆论监督。", "talent_education_culture"),     # supervision, not publicity
    ("推动企业严格落实质量首负责任制。", "leadership_organisation_assessment"),
    ("走出一条具有泰安特色的质量发展道路。", "construction"),
])
def test_exclusions_mask_a_phrase_for_one_theme(text, theme):
    assert theme not in _hits(text)


def test_exclusions_leave_other_uses_and_other_themes_alone():
    assert "environment" in _hits("加强生态环境保护。")
    assert "brands_awards" in _hits("申报湖北名牌产品、生态原产地产品保护。")
    assert "supervision_enforcement_credit" in _hits("强化质量社会监督和舆论监督。")
    assert "services" in _hits("提升旅游、物流等服务业服务质量。")


def test_validate_themes_accepts_a_dictionary_without_exclusions_and_rejects_empty_entries():
    th = themes.load_themes()[["theme", "label_zh", "label_en", "keywords"]]
    assert validate_themes(th)["exclusion_list"].map(len).eq(0).all()
    bad = themes.load_themes()
    bad.loc[0, "exclusions"] = "生态原产地||"
    with pytest.raises(ValueError, match="agri_food_drug.*exclusions"):
        validate_themes(bad)


# --- rule 3: headings are context --------------------------------------------------------------
def test_innermost_heading_drops_the_number_marker():
    assert innermost_heading("二、开展质量提升行动 > (四)扎实开展消费品质量提升专项行动") == "扎实开展消费品质量提升专项行动"
    assert innermost_heading("") == innermost_heading(float("nan")) == ""


def test_a_heading_about_one_theme_passes_it_down():
    path = "二、开展质量提升行动 > (四)扎实开展消费品质量提升专项行动"
    assert heading_themes(path) == ("consumer_goods", "消费品")
    hits = _hits("加强质量安全风险管控,不断提升风险监测能力。", path)
    assert hits == {"consumer_goods", "supervision_enforcement_credit"}
    assert dictionary_matches(["加强质量安全风险管控。"], [path]).loc[0, "consumer_goods"] == "§消费品"
    # without headings only the sentence's own words count
    assert _hits("加强质量安全风险管控,不断提升风险监测能力。") == {"supervision_enforcement_credit"}


def test_a_heading_about_several_themes_passes_none():
    path = "(二)促进质量升级 > 2.加快农业、制造业和服务业质量升级"
    assert heading_themes(path) == ("", "")
    assert _hits("坚持问题导向,强化工作落实。", path) == set()


def test_a_sentence_without_words_inherits_nothing():
    path = "(四)扎实开展消费品质量提升专项行动"
    assert dictionary_matches(["(  )"], [path]).iloc[0].eq("").all()
    coded = themes.code_sentences(pd.DataFrame({
        "doc_id": "d", "city": "c", "sentence_id": [0, 1], "section_path": [path, path],
        "text": ["(市质监局牵头,市商务局负责)", "加强网购商品质量监管。"]}))
    by_sentence = coded.groupby("sentence_id")["hit"].sum()
    assert by_sentence[0] == 0 and by_sentence[1] >= 2


def test_match_sentence_lists_the_keywords_that_count():
    found = match_sentence("鼓励企业主导制定国际标准，推动制造业质量攻关。")
    assert found["standards"] == ["国际标准", "主导制定"] and "制造业" in found["manufacturing"]


# --- front matter -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind", [
    ("宜府办发〔2018〕54号", "doc_number"),
    ("2018年5月12日", "date"),
    ("2019222", "date"),
    ("201912日)", "date"),
    ("各县(市、区)人民政府,市各有关单位:", "addressees"),
    ("各县市区人民政府,市政府各部门、各直属机构:", "addressees"),
    ("现将《泰安市质量提升行动实施方案》印发给你们,请认真组织实施。", "issuing_notice"),
    ("《2014年温州市质量强市建设行动计划》已经市人民政府同意,现印发给你们,请认真组织实施。", "issuing_notice"),
    ("中共银川市委员会  银川市人民政府", "signature"),
    ("宜昌市人民政府办公室", "signature"),
    ("宜昌市人民政府办公室2018年5月14日印发", "closing"),
    ("温州市人民政府办公室关于印发2014年温州市质量强市建设行动计划的通知(温政办〔2014〕98号)", "title"),
    ("泰安市质量提升行动实施方案", "title"),
])
def test_front_matter_kinds(text, kind):
    assert is_front_matter(text, "") == kind
    assert is_front_matter(text) == kind  # position unknown: the form alone decides


@pytest.mark.parametrize("text, path", [
    ("为深入实施质量强市战略,促进全市经济高质量发展,制定本计划。", ""),  # the preamble is policy text
    ("加快标准提档升级,开展标准比对,培育发展团体标准。", "一、深入开展质量提升行动"),
    ("力争2018年通过国家全国质量强市示范城市创建现场验收。", "二、积极创建全国质量强市示范城市"),
    ("制定年度工作方案", "(一)加强组织领导"),  # unpunctuated, ends in 方案, but inside a section: a task
    ("建立健全信用评价和惩戒机制,强化信用约束。", "(五)扎实开展工程质量提升专项行动"),
])
def test_policy_sentences_are_not_front_matter(text, path):
    assert is_front_matter(text, path) == ""


def test_front_matter_leaves_the_denominator(tables_root_sentences):
    s = tables_root_sentences
    mask = front_matter_mask(s["text"].fillna("").tolist(), s["section_path"].tolist())
    assert mask.sum() >= 5 * 5  # title, addressees, notice, signature, date in each seed at least
    # nothing inside the body except closing lines
    inside = s.loc[mask.to_numpy() & s["section_path"].notna().to_numpy(), "text"]
    assert inside.str.endswith("印发").all()
    coded = themes.code_sentences(s)
    out = coded.drop_duplicates(["doc_id", "sentence_id"])
    assert (out["scope"].str.startswith("front_matter")).sum() == int(mask.sum())
    assert coded.loc[coded["in_scope"] == 0, "hit"].sum() == 0


@pytest.fixture(scope="module")
def tables_root_sentences(root) -> pd.DataFrame:
    """The seeds' policy sentences of the project's processed tables: what is asserted of them holds for
    these texts, and an analyst's own document in data/raw (a notice signed after its last section)
    must not make the test suite fail."""
    from runs import SEED_IDS

    from qualitylib.tables import load_processed, policy_sentences

    sentences = policy_sentences(load_processed(root / "data" / "processed")["sentences"])
    return sentences[sentences["doc_id"].isin(SEED_IDS)].reset_index(drop=True)


def test_an_umbrella_heading_passes_nothing():
    # the quality infrastructure (质量基础设施) is metrology and standards together: a standards sentence
    # under it is about standards only
    path = "四、夯实质量基础 > (一)加强质量基础设施建设"
    assert heading_themes(path) == ("", "")
    assert _hits("鼓励企业标准自我声明公开、团体标准制定。", path) == {"standards"}
    assert heading_themes("(二)加快标准体系建设") == ("standards", "标准体系")

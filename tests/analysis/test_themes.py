"""Tests for qualitylib.analysis.themes: the theme dictionary, coding and shares with bootstrap intervals."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import themes

THEME_IDS = [
    "agri_food_drug", "manufacturing", "consumer_goods", "construction", "services",
    "public_services_governance", "environment", "foreign_trade", "standards",
    "metrology_testing_certification", "brands_awards", "supervision_enforcement_credit",
    "talent_education_culture", "finance_fiscal", "leadership_organisation_assessment",
]


# --- theme dictionary -----------------------------------------------------------------------
def test_themes_file_is_complete_and_plain():
    th = themes.load_themes()
    assert list(th.columns[:4]) == ["theme", "label_zh", "label_en", "keywords"]
    assert th["theme"].tolist() == THEME_IDS
    for row in th.itertuples():
        kws = row.keyword_list
        assert 15 <= len(kws) <= 40, (row.theme, len(kws))
        assert len(set(kws)) == len(kws), row.theme
        assert "标准" not in kws and "质量" not in kws and "服务" not in kws  # too generic
        for kw in kws:
            assert kw and not any(ch in kw for ch in "^$*+?()[]{}\\.|"), (row.theme, kw)
        assert row.label_zh and row.label_en


def test_themes_keywords_are_simplified_chinese():
    opencc = pytest.importorskip("opencc")
    conv = opencc.OpenCC("t2s")
    th = themes.load_themes()
    for row in th.itertuples():
        for kw in (row.label_zh, *row.keyword_list):
            assert conv.convert(kw) == kw, (row.theme, kw)


def test_load_themes_returns_independent_copies():
    a = themes.load_themes()
    a.loc[0, "theme"] = "tampered"
    assert themes.load_themes().loc[0, "theme"] == THEME_IDS[0]


# --- coding ----------------------------------------------------------------------------------
def _one(text: str, **kw) -> pd.DataFrame:
    df = pd.DataFrame({"doc_id": ["d"], "city": ["测市"], "city_en": ["Ceshi"], "sentence_id": [0],
                       "section_path": ["1"], "text": [text]})
    return themes.code_sentences(df, **kw).set_index("theme")


def test_code_sentences_shape_and_transparency(sentences, coded):
    assert len(coded) == len(sentences) * len(THEME_IDS)
    assert set(coded["hit"].unique()) <= {0, 1}
    # every hit names its keyword(s), every non-hit names none
    assert (coded.loc[coded["hit"] == 1, "matched"] != "").all()
    assert (coded.loc[coded["hit"] == 0, "matched"] == "").all()


def test_sentence_can_hit_several_themes_or_none():
    multi = _one("鼓励企业主导制定国际标准，推动制造业质量攻关。")
    assert multi.loc["standards", "hit"] == 1 and multi.loc["manufacturing", "hit"] == 1
    assert multi.loc["standards", "matched"] == "国际标准|主导制定"
    none = _one("坚持问题导向，强化工作落实。")  # "化工" inside "强化工作" must not count
    assert none["hit"].sum() == 0


def test_agency_notes_are_not_coded():
    text = "推进品牌建设。（市市场监管局牵头，市财政局、市农业局负责）"
    assert themes.strip_agency_notes(text) == "推进品牌建设。"
    kept = _one(text)
    assert kept.loc["finance_fiscal", "hit"] == 0 and kept.loc["agri_food_drug", "hit"] == 0
    raw = _one(text, drop_agency_notes=False)
    assert raw.loc["finance_fiscal", "hit"] == 1
    # a non-agency parenthesis is kept
    assert themes.strip_agency_notes("成立领导小组（以下简称质强办）") == "成立领导小组（以下简称质强办）"


def test_bare_agency_lines_leave_the_denominator():
    df = pd.DataFrame({
        "doc_id": ["d"] * 3, "city": ["测市"] * 3, "city_en": ["Ceshi"] * 3, "sentence_id": [0, 1, 2],
        "section_path": ["1"] * 3,
        "text": ["推进品牌建设。", "责任单位：市财政局、各县（市）区人民政府", "加快发展制造业。"],
    })
    coded = themes.code_sentences(df)
    assert coded.groupby("sentence_id")["in_scope"].first().tolist() == [1, 0, 1]
    assert coded.loc[coded["sentence_id"] == 1, "hit"].sum() == 0
    sh = themes.theme_shares(coded).set_index("theme")
    assert sh.loc["brands_awards", "n_sentences"] == 2
    assert sh.loc["brands_awards", "share"] == 0.5


@pytest.mark.parametrize("bad, msg", [
    (pd.DataFrame(), "empty"),
    (pd.DataFrame({"city": ["a"], "text": ["x"]}), "missing column"),
])
def test_code_sentences_errors(bad, msg):
    with pytest.raises(ValueError, match=msg):
        themes.code_sentences(bad)


def test_code_sentences_rejects_duplicate_ids(sentences):
    dup = pd.concat([sentences.head(2), sentences.head(1)])
    with pytest.raises(ValueError, match="not unique"):
        themes.code_sentences(dup)


# --- shares ----------------------------------------------------------------------------------
def test_theme_shares_values(coded, sentences):
    sh = themes.theme_shares(coded)
    assert len(sh) == 5 * len(THEME_IDS)
    assert sh["share"].between(0, 1).all()
    per_city = sh.groupby("city")["n_sentences"].first()
    assert per_city.to_dict() == sentences.groupby("city").size().to_dict()
    w = themes.to_wide(sh)
    # deliberate emphases show up
    assert w.loc["甲市", "manufacturing"] > w.loc["丙市", "manufacturing"]
    assert w.loc["丙市", "environment"] > w.loc["甲市", "environment"]
    assert w.loc["戊市", "services"] > w.loc[["甲市", "丙市"], "services"].max()
    # shares of sentences, not a composition
    assert not np.allclose(w.sum(axis=1), 1.0)


def test_bootstrap_deterministic_and_ci_contains_share(coded):
    a = themes.bootstrap_shares(coded, n_boot=300, seed=42)
    b = themes.bootstrap_shares(coded, n_boot=300, seed=42)
    pd.testing.assert_frame_equal(a, b)
    c = themes.bootstrap_shares(coded, n_boot=300, seed=43)
    assert not np.allclose(a["lo"], c["lo"]) or not np.allclose(a["hi"], c["hi"])
    for col in ("city", "theme", "share", "lo", "hi"):
        assert col in a.columns
    assert (a["lo"] <= a["share"] + 1e-12).all() and (a["share"] <= a["hi"] + 1e-12).all()
    assert (a["lo"] >= 0).all() and (a["hi"] <= 1).all()
    wider = themes.bootstrap_shares(coded, n_boot=300, seed=42, ci=0.99)
    assert ((wider["hi"] - wider["lo"]) >= (a["hi"] - a["lo"]) - 1e-12).all()


def test_bootstrap_independent_of_row_order(sentences):
    shuffled = sentences.sample(frac=1.0, random_state=3)
    a = themes.bootstrap_shares(themes.code_sentences(sentences), n_boot=100, seed=0)
    b = themes.bootstrap_shares(themes.code_sentences(shuffled), n_boot=100, seed=0)
    pd.testing.assert_frame_equal(a, b)


def test_bootstrap_bad_ci(coded):
    with pytest.raises(ValueError, match="ci"):
        themes.bootstrap_shares(coded, ci=1.5)



"""Tests for qualitylib.analysis.themes: the theme dictionary, coding, and shares with block-bootstrap
intervals (the rules of the dictionary are tested in test_theme_dictionary.py)."""
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
    assert list(th.columns[:5]) == ["theme", "label_zh", "label_en", "keywords", "exclusions"]
    assert th["theme"].tolist() == THEME_IDS
    for row in th.itertuples():
        kws = row.keyword_list
        assert 15 <= len(kws) <= 50, (row.theme, len(kws))
        for phrase in row.exclusion_list:  # plain phrases, masked for this theme only
            assert phrase and not any(ch in phrase for ch in "^$*+?()[]{}\\.|"), (row.theme, phrase)
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
        for kw in (row.label_zh, *row.keyword_list, *row.exclusion_list):
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
    # with the note kept, the agency *names* (市财政局) are still no topic (rule 1 of theme_dictionary)
    raw = _one(text, drop_agency_notes=False)
    assert raw.loc["finance_fiscal", "hit"] == 0 and raw.loc["brands_awards", "hit"] == 1
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




# --- block bootstrap ---------------------------------------------------------------------------
def _sections(clustered: bool, n_sections: int = 20, size: int = 10, seed: int = 0) -> pd.DataFrame:
    """One city, ``n_sections`` sections of ``size`` sentences; half the sentences hit manufacturing.
    Clustered: a section is all hits or all misses (themes come in sections). Not clustered: hits
    are spread at random over the sections."""
    rng = np.random.default_rng(seed)
    hit, miss = "推动制造业质量攻关。", "坚持问题导向，强化工作落实。"
    if clustered:
        flags = np.repeat(np.arange(n_sections) % 2 == 0, size)
    else:
        flags = rng.permutation(np.repeat(np.arange(n_sections) % 2 == 0, size))
    return pd.DataFrame({
        "doc_id": "d", "city": "测市", "city_en": "Ceshi", "sentence_id": np.arange(n_sections * size),
        "section_path": [f"一、总则 > ({i // size + 1})第{i // size + 1}节" for i in range(n_sections * size)],
        "text": [hit if f else miss for f in flags],
    })


def _width(boot: pd.DataFrame) -> float:
    row = boot.set_index("theme").loc["manufacturing"]
    return float(row["hi"] - row["lo"])


def test_block_bootstrap_widens_intervals_when_sections_carry_the_theme():
    # known answer: share 0.5 from 200 sentences in 20 sections of 10. Sentences independent:
    # se = sqrt(.25/200) = 0.035; whole sections hit or miss: se = sqrt(.25/20) = 0.11, about
    # sqrt(10) = 3.2 times wider
    coded = themes.code_sentences(_sections(clustered=True))
    blocks = themes.bootstrap_shares(coded, n_boot=2000, seed=1)
    single = themes.bootstrap_shares(coded, n_boot=2000, seed=1, block_depth=None)
    assert blocks["n_blocks"].iloc[0] == 20 and single["n_blocks"].iloc[0] == 200
    assert blocks["block_depth"].iloc[0] == 2 and single["block_depth"].iloc[0] == 0
    ratio = _width(blocks) / _width(single)
    assert 2.4 < ratio < 4.0, ratio
    assert blocks.set_index("theme").loc["manufacturing", "se"] == pytest.approx(0.11, abs=0.02)


def test_block_bootstrap_changes_little_when_sentences_are_independent():
    coded = themes.code_sentences(_sections(clustered=False))
    ratio = _width(themes.bootstrap_shares(coded, n_boot=2000, seed=1)) / _width(
        themes.bootstrap_shares(coded, n_boot=2000, seed=1, block_depth=None))
    assert 0.75 < ratio < 1.35, ratio


def test_blocks_follow_the_section_path_and_never_span_documents():
    assert themes.block_of("一、甲 > (二)乙 > 1.丙", 2) == "一、甲 > (二)乙"
    assert themes.block_of("一、甲", 2) == "一、甲"
    assert themes.block_of(float("nan"), 2) == ""
    two_docs = pd.concat([_sections(True, 3, 4).assign(doc_id="a"), _sections(True, 3, 4).assign(doc_id="b")])
    cities, _, sums = themes.block_sums(themes.code_sentences(two_docs))
    H, N = sums["测市"]
    assert len(N) == 6 and N.sum() == 24  # 3 sections x 2 documents
    with pytest.raises(ValueError, match="block_depth"):
        themes.block_sums(themes.code_sentences(two_docs), 0)


def test_label_sentences_codes_any_table():
    frame = pd.DataFrame({"id": [7, 8, 9], "text": ["加强食品安全监管。", "各县市区人民政府，市政府各部门：", None],
                          "section_path": ["", "", ""]})
    out = themes.label_sentences(frame)
    assert list(out.index) == [0, 1, 2]
    assert out["themes"].tolist() == ["agri_food_drug|supervision_enforcement_credit", "", ""]
    assert out["scope"].tolist() == ["", "front_matter:addressees", "no_words"]
    assert "agri_food_drug:食品" in out.loc[0, "theme_evidence"]
    with pytest.raises(ValueError, match="'text' column"):
        themes.label_sentences(frame.drop(columns="text"))

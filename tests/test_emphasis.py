"""Tests for qualitylib.emphasis on synthetic sentences with a known structure.

Synthetic cities (qualitylib.emphasis.synthetic_sentences): 甲/乙 emphasise industry and
standards, 丙/丁 agriculture and environment, 戊 services and public services. A method that
works must rediscover exactly that.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualitylib import emphasis as E

THEME_IDS = [
    "agri_food_drug", "manufacturing", "consumer_goods", "construction", "services",
    "public_services_governance", "environment", "foreign_trade", "standards",
    "metrology_testing_certification", "brands_awards", "supervision_enforcement_credit",
    "talent_education_culture", "finance_fiscal", "leadership_organisation_assessment",
]


@pytest.fixture(scope="module")
def sentences() -> pd.DataFrame:
    return E.synthetic_sentences(n_per_city=150, seed=1)


@pytest.fixture(scope="module")
def coded(sentences) -> pd.DataFrame:
    return E.code_sentences(sentences)


@pytest.fixture(scope="module")
def wide(coded) -> pd.DataFrame:
    return E.to_wide(E.theme_shares(coded))


# --- theme dictionary -----------------------------------------------------------------------
def test_themes_file_is_complete_and_plain():
    th = E.load_themes()
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
    th = E.load_themes()
    for row in th.itertuples():
        for kw in (row.label_zh, *row.keyword_list):
            assert conv.convert(kw) == kw, (row.theme, kw)


def test_load_themes_returns_independent_copies():
    a = E.load_themes()
    a.loc[0, "theme"] = "tampered"
    assert E.load_themes().loc[0, "theme"] == THEME_IDS[0]


# --- coding ----------------------------------------------------------------------------------
def _one(text: str, **kw) -> pd.DataFrame:
    df = pd.DataFrame({"doc_id": ["d"], "city": ["测市"], "city_en": ["Ceshi"], "sentence_id": [0],
                       "section_path": ["1"], "text": [text]})
    return E.code_sentences(df, **kw).set_index("theme")


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
    assert E.strip_agency_notes(text) == "推进品牌建设。"
    kept = _one(text)
    assert kept.loc["finance_fiscal", "hit"] == 0 and kept.loc["agri_food_drug", "hit"] == 0
    raw = _one(text, drop_agency_notes=False)
    assert raw.loc["finance_fiscal", "hit"] == 1
    # a non-agency parenthesis is kept
    assert E.strip_agency_notes("成立领导小组（以下简称质强办）") == "成立领导小组（以下简称质强办）"


def test_bare_agency_lines_leave_the_denominator():
    df = pd.DataFrame({
        "doc_id": ["d"] * 3, "city": ["测市"] * 3, "city_en": ["Ceshi"] * 3, "sentence_id": [0, 1, 2],
        "section_path": ["1"] * 3,
        "text": ["推进品牌建设。", "责任单位：市财政局、各县（市）区人民政府", "加快发展制造业。"],
    })
    coded = E.code_sentences(df)
    assert coded.groupby("sentence_id")["in_scope"].first().tolist() == [1, 0, 1]
    assert coded.loc[coded["sentence_id"] == 1, "hit"].sum() == 0
    sh = E.theme_shares(coded).set_index("theme")
    assert sh.loc["brands_awards", "n_sentences"] == 2
    assert sh.loc["brands_awards", "share"] == 0.5


@pytest.mark.parametrize("bad, msg", [
    (pd.DataFrame(), "empty"),
    (pd.DataFrame({"city": ["a"], "text": ["x"]}), "missing column"),
])
def test_code_sentences_errors(bad, msg):
    with pytest.raises(ValueError, match=msg):
        E.code_sentences(bad)


def test_code_sentences_rejects_duplicate_ids(sentences):
    dup = pd.concat([sentences.head(2), sentences.head(1)])
    with pytest.raises(ValueError, match="not unique"):
        E.code_sentences(dup)


# --- shares ----------------------------------------------------------------------------------
def test_theme_shares_values(coded, sentences):
    sh = E.theme_shares(coded)
    assert len(sh) == 5 * len(THEME_IDS)
    assert sh["share"].between(0, 1).all()
    per_city = sh.groupby("city")["n_sentences"].first()
    assert per_city.to_dict() == sentences.groupby("city").size().to_dict()
    w = E.to_wide(sh)
    # deliberate emphases show up
    assert w.loc["甲市", "manufacturing"] > w.loc["丙市", "manufacturing"]
    assert w.loc["丙市", "environment"] > w.loc["甲市", "environment"]
    assert w.loc["戊市", "services"] > w.loc[["甲市", "丙市"], "services"].max()
    # shares of sentences, not a composition
    assert not np.allclose(w.sum(axis=1), 1.0)


def test_bootstrap_deterministic_and_ci_contains_share(coded):
    a = E.bootstrap_shares(coded, n_boot=300, seed=42)
    b = E.bootstrap_shares(coded, n_boot=300, seed=42)
    pd.testing.assert_frame_equal(a, b)
    c = E.bootstrap_shares(coded, n_boot=300, seed=43)
    assert not np.allclose(a["lo"], c["lo"]) or not np.allclose(a["hi"], c["hi"])
    for col in ("city", "theme", "share", "lo", "hi"):
        assert col in a.columns
    assert (a["lo"] <= a["share"] + 1e-12).all() and (a["share"] <= a["hi"] + 1e-12).all()
    assert (a["lo"] >= 0).all() and (a["hi"] <= 1).all()
    wider = E.bootstrap_shares(coded, n_boot=300, seed=42, ci=0.99)
    assert ((wider["hi"] - wider["lo"]) >= (a["hi"] - a["lo"]) - 1e-12).all()


def test_bootstrap_independent_of_row_order(sentences):
    shuffled = sentences.sample(frac=1.0, random_state=3)
    a = E.bootstrap_shares(E.code_sentences(sentences), n_boot=100, seed=0)
    b = E.bootstrap_shares(E.code_sentences(shuffled), n_boot=100, seed=0)
    pd.testing.assert_frame_equal(a, b)


def test_bootstrap_bad_ci(coded):
    with pytest.raises(ValueError, match="ci"):
        E.bootstrap_shares(coded, ci=1.5)


# --- tf-idf ----------------------------------------------------------------------------------
def test_tfidf_profile(sentences):
    tf = E.tfidf_profile(sentences, top_n=10)
    assert set(tf.columns) >= {"city", "city_en", "rank", "term", "tfidf"}
    assert tf.groupby("city").size().max() <= 10
    assert tf["term"].map(E._is_content_ngram).all()  # no punctuation / digits
    assert tf["term"].str.len().between(2, 4).all()
    top = tf[tf["city"] == "戊市"]["term"].str.cat()
    assert any(w in top for w in ("服务", "旅游", "政务", "营商"))
    assert (tf.groupby("city")["tfidf"].apply(lambda s: s.is_monotonic_decreasing)).all()


def test_tfidf_drops_shared_terms_and_city_names():
    df = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b"], "city": ["芜湖市", "芜湖市", "宜昌市", "宜昌市"],
        "city_en": ["Wuhu", "Wuhu", "Yichang", "Yichang"], "sentence_id": [0, 1, 0, 1],
        "section_path": ["1"] * 4,
        "text": ["芜湖市推进质量提升和智能制造。", "芜湖市发展智能制造。",
                 "宜昌市推进质量提升和生态旅游。", "宜昌市发展生态旅游。"],
    })
    tf = E.tfidf_profile(df, top_n=20)
    terms = set(tf["term"])
    assert "智能制造" in terms and "生态旅游" in terms
    assert not any(("芜湖" in t) or ("宜昌" in t) or ("湖市" in t) for t in terms)
    assert not any(t in terms for t in ("质量", "提升", "推进"))  # in every city
    kept = E.tfidf_profile(df, top_n=50, drop_shared=False, drop_city_names=False)
    assert any("芜湖" in t for t in kept["term"]) and any("质量" in t for t in kept["term"])


def test_tfidf_needs_two_cities(sentences):
    with pytest.raises(ValueError, match="at least 2 cities"):
        E.tfidf_profile(sentences[sentences["city"] == "甲市"])


# --- clustering ------------------------------------------------------------------------------
def test_cluster_groups_similar_cities(wide):
    Z, labels = E.cluster_cities(wide)
    assert Z.shape == (4, 4) and labels == list(wide.index)
    cut = dict(zip(labels, E.cut_clusters(Z, 3)))
    assert cut["甲市"] == cut["乙市"]
    assert cut["丙市"] == cut["丁市"]
    assert len({cut["甲市"], cut["丙市"], cut["戊市"]}) == 3


def test_cluster_errors(wide):
    with pytest.raises(ValueError, match="at least 2 cities"):
        E.cluster_cities(wide.iloc[:1])
    with pytest.raises(ValueError, match="euclidean"):
        E.cluster_cities(wide, method="ward", metric="cosine")
    zero = wide.copy()
    zero.iloc[0] = 0.0
    with pytest.raises(ValueError, match="all zero"):
        E.cluster_cities(zero)


def test_silhouette_by_k(wide):
    sil = E.silhouette_by_k(wide, ks=range(1, 8))
    assert list(sil.columns) == ["k", "n_clusters", "silhouette"]
    assert sil["k"].tolist() == [2, 3, 4]
    assert sil["silhouette"].between(-1, 1).all()
    assert sil.set_index("k")["silhouette"].idxmax() == 3  # the structure we built
    assert "dropped" in sil.attrs["reason"]


def test_silhouette_too_few_cities(wide):
    sil = E.silhouette_by_k(wide.iloc[:2])
    assert sil.empty and "at least 3" in sil.attrs["reason"]


def test_bootstrap_jaccard(coded):
    a = E.bootstrap_jaccard(coded, k=3, n_boot=60, seed=5)
    b = E.bootstrap_jaccard(coded, k=3, n_boot=60, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == ["cluster", "members", "size", "mean_jaccard", "n_dissolved",
                               "n_recovered", "n_boot", "reading"]
    assert len(a) == 3 and a["size"].sum() == 5
    assert a["mean_jaccard"].between(0, 1).all()
    assert set(a["members"]) == {"乙市、甲市", "丁市、丙市", "戊市"}
    assert (a["reading"] == "stable").all()
    assert set(a["reading"]) <= {"stable", "doubtful", "not to be trusted"}


def test_bootstrap_jaccard_flags_unstable_split():
    # six cities drawn from the *same* sentence pool: any 3-cluster split is noise, and the
    # bootstrap must not call it stable (contrast with the structured cities above)
    parts = []
    for i in range(6):
        p = E.synthetic_sentences(n_per_city=25, seed=10 + i, cities=["甲市"])
        parts.append(p.assign(city=f"城{i}", city_en=f"C{i}", doc_id=f"d{i}"))
    res = E.bootstrap_jaccard(E.code_sentences(pd.concat(parts, ignore_index=True)), k=3, n_boot=80, seed=0)
    assert res["size"].sum() == 6
    assert (res["reading"] != "stable").all()
    assert res["mean_jaccard"].mean() < 0.75


@pytest.mark.parametrize("value, reading", [
    (0.9, "stable"), (0.75, "stable"), (0.7, "doubtful"), (0.6, "doubtful"), (0.59, "not to be trusted"),
])
def test_stability_reading(value, reading):
    assert E.stability_reading(value) == reading


def test_bootstrap_jaccard_errors(coded):
    with pytest.raises(ValueError, match="k must be in 2..4"):
        E.bootstrap_jaccard(coded, k=5)
    two = coded[coded["city"].isin(["甲市", "乙市"])]
    with pytest.raises(ValueError, match="at least 3 cities"):
        E.bootstrap_jaccard(two, k=2)
    with pytest.raises(ValueError, match="missing column"):
        E.bootstrap_jaccard(coded.drop(columns="hit"), k=2)


# --- PCA -------------------------------------------------------------------------------------
def test_pca_biplot_data(wide):
    scores, loadings, evr = E.pca_biplot_data(wide)
    m = scores.shape[1]
    assert m <= 4 and loadings.shape == (len(THEME_IDS), m)
    assert list(scores.index) == list(wide.index)
    assert np.isclose(evr.sum(), 1.0) and (np.diff(evr.to_numpy()) <= 1e-12).all()
    np.testing.assert_allclose(np.linalg.norm(loadings.to_numpy(), axis=0), 1.0)
    # scores reproduce the centred data
    X = wide.to_numpy() - wide.to_numpy().mean(axis=0)
    np.testing.assert_allclose(scores.to_numpy() @ loadings.to_numpy().T, X, atol=1e-10)
    # 甲/乙 on one side of PC1 or PC2, 丙/丁 apart from them
    d = lambda a, b: np.linalg.norm(scores.loc[a, ["PC1", "PC2"]] - scores.loc[b, ["PC1", "PC2"]])
    assert d("甲市", "乙市") < d("甲市", "丙市")
    assert d("丙市", "丁市") < d("丙市", "戊市")

"""Tests for qualitylib.analysis.tfidf: distinctive character n-grams per city."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.analysis import tfidf

# --- tf-idf ----------------------------------------------------------------------------------
def test_tfidf_profile(sentences):
    tf = tfidf.tfidf_profile(sentences, top_n=10)
    assert set(tf.columns) >= {"city", "city_en", "rank", "term", "tfidf"}
    assert tf.groupby("city").size().max() <= 10
    assert tf["term"].map(tfidf._is_content_ngram).all()  # no punctuation / digits
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
    tf = tfidf.tfidf_profile(df, top_n=20)
    terms = set(tf["term"])
    assert "智能制造" in terms and "生态旅游" in terms
    assert not any(("芜湖" in t) or ("宜昌" in t) or ("湖市" in t) for t in terms)
    assert not any(t in terms for t in ("质量", "提升", "推进"))  # in every city
    kept = tfidf.tfidf_profile(df, top_n=50, drop_shared=False, drop_city_names=False)
    assert any("芜湖" in t for t in kept["term"]) and any("质量" in t for t in kept["term"])


def test_tfidf_needs_two_cities(sentences):
    with pytest.raises(ValueError, match="at least 2 cities"):
        tfidf.tfidf_profile(sentences[sentences["city"] == "甲市"])




def test_tfidf_scores_ignore_numbers_and_punctuation(sentences):
    # a plan whose only change is a target value (or a comma) has the same terms and the same scores,
    # so the stored table and its figure are kept
    before = tfidf.tfidf_profile(sentences, top_n=10)
    edited = sentences.copy()
    edited["text"] = edited["text"].str.replace(r"\d", "7", regex=True).str.replace("，", "、", regex=False)
    assert edited["text"].ne(sentences["text"]).any()
    pd.testing.assert_frame_equal(tfidf.tfidf_profile(edited, top_n=10), before, check_exact=True)
    # a changed word does move them
    worded = sentences.copy()
    worded.loc[worded.index[0], "text"] = worded.loc[worded.index[0], "text"] + "推进智慧农业示范园建设"
    assert not tfidf.tfidf_profile(worded, top_n=10).equals(before)


def test_tfidf_norm_is_over_letters_only_ngrams():
    df = pd.DataFrame({"city": ["甲市", "甲市", "乙市"], "city_en": ["Jia", "Jia", "Yi"],
                       "text": ["发展智能制造，产值达到100亿元。", "推进标准化。", "发展生态旅游。"]})
    tf = tfidf.tfidf_profile(df, top_n=100, drop_shared=False, collapse_overlaps=False)
    # every letters-only n-gram of a city is listed here, so their squared scores add up to 1
    assert tf.groupby("city")["tfidf"].apply(lambda s: float((s ** 2).sum())).round(12).eq(1.0).all()

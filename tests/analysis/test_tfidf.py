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



"""Tests for qualitylib.analysis.clustering: trees, silhouette, bootstrap Jaccard, PCA."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import clustering, themes

# --- clustering ------------------------------------------------------------------------------
def test_cluster_groups_similar_cities(wide):
    Z, labels = clustering.cluster_cities(wide)
    assert Z.shape == (4, 4) and labels == list(wide.index)
    cut = dict(zip(labels, clustering.cut_clusters(Z, 3)))
    assert cut["甲市"] == cut["乙市"]
    assert cut["丙市"] == cut["丁市"]
    assert len({cut["甲市"], cut["丙市"], cut["戊市"]}) == 3


def test_cluster_errors(wide):
    with pytest.raises(ValueError, match="at least 2 cities"):
        clustering.cluster_cities(wide.iloc[:1])
    with pytest.raises(ValueError, match="euclidean"):
        clustering.cluster_cities(wide, method="ward", metric="cosine")
    zero = wide.copy()
    zero.iloc[0] = 0.0
    with pytest.raises(ValueError, match="all zero"):
        clustering.cluster_cities(zero)


def test_silhouette_by_k(wide):
    sil = clustering.silhouette_by_k(wide, ks=range(1, 8))
    assert list(sil.columns) == ["k", "n_clusters", "silhouette"]
    assert sil["k"].tolist() == [2, 3, 4]
    assert sil["silhouette"].between(-1, 1).all()
    assert sil.set_index("k")["silhouette"].idxmax() == 3  # the structure we built
    assert "dropped" in sil.attrs["reason"]


def test_silhouette_too_few_cities(wide):
    sil = clustering.silhouette_by_k(wide.iloc[:2])
    assert sil.empty and "at least 3" in sil.attrs["reason"]


def test_bootstrap_jaccard(coded):
    a = clustering.bootstrap_jaccard(coded, k=3, n_boot=60, seed=5)
    b = clustering.bootstrap_jaccard(coded, k=3, n_boot=60, seed=5)
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
        p = themes.synthetic_sentences(n_per_city=25, seed=10 + i, cities=["甲市"])
        parts.append(p.assign(city=f"城{i}", city_en=f"C{i}", doc_id=f"d{i}"))
    res = clustering.bootstrap_jaccard(themes.code_sentences(pd.concat(parts, ignore_index=True)), k=3, n_boot=80, seed=0)
    assert res["size"].sum() == 6
    assert (res["reading"] != "stable").all()
    assert res["mean_jaccard"].mean() < 0.75


@pytest.mark.parametrize("value, reading", [
    (0.9, "stable"), (0.75, "stable"), (0.7, "doubtful"), (0.6, "doubtful"), (0.59, "not to be trusted"),
])
def test_stability_reading(value, reading):
    assert clustering.stability_reading(value) == reading


def test_bootstrap_jaccard_errors(coded):
    with pytest.raises(ValueError, match="k must be in 2..4"):
        clustering.bootstrap_jaccard(coded, k=5)
    two = coded[coded["city"].isin(["甲市", "乙市"])]
    with pytest.raises(ValueError, match="at least 3 cities"):
        clustering.bootstrap_jaccard(two, k=2)
    with pytest.raises(ValueError, match="missing column"):
        clustering.bootstrap_jaccard(coded.drop(columns="hit"), k=2)


# --- PCA -------------------------------------------------------------------------------------
def test_pca_biplot_data(wide):
    scores, loadings, evr = clustering.pca_biplot_data(wide)
    m = scores.shape[1]
    assert m <= 4 and loadings.shape == (len(themes.load_themes()), m)
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

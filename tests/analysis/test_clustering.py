"""Tests for qualitylib.analysis.clustering: trees, silhouette, clusterboot stability against random
partitions, agreement with document attributes, PCA."""
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


def test_places_without_any_theme_are_left_out_of_the_clustering(wide):
    zero = wide.copy()
    zero.iloc[1] = 0.0
    kept, left_out = clustering.clusterable(zero)
    assert left_out == [str(zero.index[1])] and list(kept.index) == [c for c in zero.index if c != zero.index[1]]
    clustering.cluster_cities(kept)  # what the notebook then clusters raises nothing
    # euclidean distance is defined for an all-zero profile: nothing is left out
    assert clustering.clusterable(zero, "euclidean")[1] == []
    constant = wide.copy()
    constant.iloc[0] = 0.25
    assert clustering.clusterable(constant, "correlation")[1] == [str(wide.index[0])]


def test_a_plan_without_policy_content_does_not_sink_the_statistics():
    from qualitylib.analysis import cross_city

    sentences = themes.synthetic_sentences(n_per_city=30, seed=5)
    notice = pd.DataFrame({"doc_id": "notice", "city": "通知市", "city_en": "Tongzhi", "sentence_id": [0, 1],
                           "section_path": "", "text": ["定于下周三召开座谈会。", "请各单位派员参加。"]})
    coded = themes.code_sentences(pd.concat([sentences, notice], ignore_index=True))
    assert coded.loc[coded["city"] == "通知市", "hit"].sum() == 0
    tables = cross_city.theme_tables(coded, {"n_boot": 20, "n_boot_diff": 50, "seed": 1})
    assert "通知市" in set(tables["theme_shares"]["city"]) and not tables["silhouette"].empty
    assert not tables["cluster_stability"].empty


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


# --- stability: Hennig's clusterboot against random partitions ------------------------------------
def test_clusterwise_jaccard_by_hand():
    labels = np.array([0, 0, 1])
    samples = np.array([[0, 1, 2], [0, 0, 2], [0, 0, 1]])
    boot = np.array([[0, 1, 1], [0, 0, 1], [0, 0, 0]])
    jac = clustering.clusterwise_jaccard(labels, samples, boot)
    # replicate 1: {0,1} vs best {0} (1/2); {2} vs {1,2} (1/2). Replicate 2: the duplicate of 0
    # counts twice and both clusters are found again. Replicate 3: object 2 not drawn -> NaN
    assert jac[0] == pytest.approx([0.5, 0.5])
    assert jac[1] == pytest.approx([1.0, 1.0])
    assert jac[2, 0] == pytest.approx(1.0) and np.isnan(jac[2, 1])


def test_random_partition_baseline_by_hand():
    # three objects, clusters {0,1} and {2}, one replicate that finds them exactly: the three
    # distinct partitions of sizes (2, 1) score 1, 1/2 and 1/2 -> chance level 2/3, not 0
    null, exact = clustering.random_partition_baseline(np.array([0, 0, 1]), np.array([[0, 1, 2]]),
                                                       np.array([[0, 0, 1]]))
    assert exact and null.shape == (3, 2)
    assert null.mean(axis=0) == pytest.approx([2 / 3, 2 / 3])


def test_random_split_of_five_scores_well_above_zero(wide):
    # the point of the baseline: with five objects chance alone gives high Jaccard values
    st = clustering.clusterboot(wide, 3, n_boot=300, seed=0)
    assert (st["baseline_mean"] > 0.45).all()
    assert st["exact_baseline"].all() and (st["n_random"] == 30).all()  # 5!/(2!2!1!) labelled partitions


def test_clusterboot_at_five_documents_gives_no_reading(wide):
    a = clustering.clusterboot(wide, 3, n_boot=200, seed=5)
    b = clustering.clusterboot(wide, 3, n_boot=200, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == ["cluster", "members", "size", "mean_jaccard", "n_present", "baseline_mean",
                               "baseline_q95", "p_random", "n_random", "exact_baseline", "n_documents", "n_boot",
                               "reading"]
    assert set(a["members"]) == {"乙市、甲市", "丁市、丙市", "戊市"} and a["size"].sum() == 5
    assert a["mean_jaccard"].between(0, 1).all() and (a["n_present"] <= 200).all()
    assert (a["reading"] == "not assessed").all()  # five documents: never "stable"
    assert clustering.clustering_verdict(a) == "not supported (too few documents)"


def _groups(n_per_group: int, spread: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    A, B = np.array([0.4, 0.1, 0.05, 0.05, 0.3]), np.array([0.05, 0.3, 0.4, 0.2, 0.05])
    rows = [A + rng.normal(0, spread, 5) for _ in range(n_per_group)] + \
           [B + rng.normal(0, spread, 5) for _ in range(n_per_group)]
    return pd.DataFrame(np.clip(rows, 0.01, None), index=[f"c{i:02d}" for i in range(2 * n_per_group)],
                        columns=list("abcde"))


def test_clusterboot_finds_real_groups_among_enough_documents():
    st = clustering.clusterboot(_groups(5, 0.02, 0), 2, n_boot=200, seed=0)
    assert not st["exact_baseline"].any() and (st["n_random"] == 5040).all()
    assert (st["mean_jaccard"] > 0.95).all() and (st["baseline_mean"] < 0.7).all()
    assert (st["p_random"] <= 0.05).all() and (st["reading"] == "stable").all()
    assert clustering.clustering_verdict(st) == "stable"


def test_clusterboot_errors(wide):
    with pytest.raises(ValueError, match="k must be in 2..4"):
        clustering.clusterboot(wide, k=5)
    with pytest.raises(ValueError, match="at least 3"):
        clustering.clusterboot(wide.iloc[:2], k=2)
    with pytest.raises(ValueError, match="n_boot"):
        clustering.clusterboot(wide, k=2, n_boot=0)


# --- do the clusters just reproduce a document attribute? ------------------------------------------
def test_partition_agreement():
    plan = {"温州": "annual", "宜昌": "annual", "芜湖": "multi", "泰安": "multi", "银川": "multi"}
    same = clustering.partition_agreement({"温州": 1, "宜昌": 1, "芜湖": 2, "泰安": 2, "银川": 2}, plan)
    assert same["same_partition"] and same["pure"] and same["adjusted_rand"] == pytest.approx(1.0)
    assert same["p_random"] == pytest.approx(0.1)  # 1 of the 10 ways to pick two of five
    # the two annual plans alone, the rest together: follows plan type without being it
    finer = clustering.partition_agreement({"温州": 1, "宜昌": 2, "芜湖": 3, "泰安": 3, "银川": 3}, plan)
    assert finer["pure"] and not finer["same_partition"] and 0 < finer["adjusted_rand"] < 1
    across = clustering.partition_agreement({"温州": 1, "芜湖": 1, "宜昌": 2, "泰安": 2, "银川": 2}, plan)
    assert not across["pure"] and across["adjusted_rand"] < 0.5
    assert clustering.partition_agreement({"温州": 1}, plan)["n"] == 1


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

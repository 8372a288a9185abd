"""Shared inputs of the figure tests: the processed tables of the five seed documents (the pipeline's
real output, made in this session) and the analysis results the notebooks plot, computed once per session
with few bootstrap replicates."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from qualitylib.analysis import clustering, differences, theme_evaluation, themes  # noqa: E402
from qualitylib.analysis.tfidf import tfidf_profile  # noqa: E402
from qualitylib.tables import policy_sentences  # noqa: E402


@pytest.fixture(scope="session")
def tables(seed_tables) -> dict[str, pd.DataFrame]:
    return seed_tables


@pytest.fixture(scope="session")
def results(tables) -> dict:
    """What notebooks 03 and 04 compute, on the seeds (n_boot kept small: these test drawing)."""
    s = policy_sentences(tables["sentences"])
    coded = themes.code_sentences(s)
    boot = themes.bootstrap_shares(coded, n_boot=30, seed=1)
    wide = themes.to_wide(boot)
    Z, labels = clustering.cluster_cities(wide)
    return {
        "sentences": s, "coded": coded, "boot": boot, "wide": wide, "Z": Z, "labels": labels,
        "sil": clustering.silhouette_by_k(wide), "pca": clustering.pca_biplot_data(wide),
        "tfidf": tfidf_profile(s, top_n=8), "city_en": themes.city_en_map(s),
        "stability": clustering.clusterboot(wide, 2, n_boot=20, seed=1),
        "diffs": differences.pairwise_differences(coded, n_boot=500, seed=1),
        "accuracy": _dev_scores(),
    }


def _dev_scores():
    from qualitylib.paths import find_root

    gold = theme_evaluation.load_theme_gold(find_root() / "data" / "annotations" / "themes_dev.csv")
    ids = themes.load_themes()["theme"].tolist()
    return theme_evaluation.score_labels(theme_evaluation.label_matrix(gold["themes"], ids),
                                         theme_evaluation.code_frame(gold), ids)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def figure_makers(tables, results, national) -> dict:
    """chart name -> ``make(lang) -> Figure``: every figure-level function, called as the notebooks do."""
    from qualitylib import viz
    from qualitylib.analysis.comparability import nearest_peers

    t, d, r = tables["indicator_table"], tables["documents"], results
    peers = nearest_peers(r["wide"], "温州市")
    return {
        "coverage_matrix": lambda lang: viz.coverage_matrix_figure(t, lang=lang, codebook=tables["codebook"],
                                                                   documents=d),
        "family_counts": lambda lang: viz.family_counts_figure(t, lang=lang, documents=d),
        "indicator_comparison": lambda lang: viz.indicator_comparison_figure(t, national, lang=lang),
        "ambition_heatmap": lambda lang: viz.ambition_heatmap_figure(t, lang=lang, method="rank", documents=d),
        "counts_log": lambda lang: viz.counts_log_figure(t, lang=lang),
        "reference_gaps": lambda lang: viz.reference_gaps_figure(seed_reference_gaps(tables), lang=lang),
        "theme_shares": lambda lang: viz.theme_shares_figure(r["boot"], lang=lang),
        "tfidf_terms": lambda lang: viz.tfidf_terms_figure(r["tfidf"], lang=lang),
        "dendrogram": lambda lang: viz.dendrogram_figure(r["Z"], r["labels"], method="average", metric="cosine",
                                                         lang=lang, city_en=r["city_en"]),
        "silhouette": lambda lang: viz.silhouette_figure(r["sil"], lang=lang),
        "cluster_stability": lambda lang: viz.cluster_stability_figure(r["stability"], lang=lang, k=2,
                                                                       city_en=r["city_en"]),
        "differences": lambda lang: viz.differences_figure(r["diffs"], lang=lang, city_en=r["city_en"]),
        "theme_accuracy": lambda lang: viz.theme_accuracy_figure(r["accuracy"], lang=lang, n_sentences=138),
        "pca_biplot": lambda lang: viz.pca_biplot_figure(*r["pca"], lang=lang, city_en=r["city_en"]),
        "city_targets": lambda lang: viz.city_targets_figure(t, "Tai'an", lang=lang, documents=d),
        "city_emphasis": lambda lang: viz.city_emphasis_figure(r["boot"], "温州市", lang=lang),
        "nearest_peers": lambda lang: viz.nearest_peers_figure(peers, "温州市", lang=lang, city_en=r["city_en"]),
    }


@pytest.fixture(scope="session")
def axes_makers(tables, results) -> dict:
    """``plot_<chart>`` name -> ``draw(ax, lang) -> Axes``: every axes-level function."""
    from qualitylib import viz
    from qualitylib.analysis.comparability import nearest_peers

    t, d, r = tables["indicator_table"], tables["documents"], results
    peers = nearest_peers(r["wide"], "温州市")
    return {
        "plot_coverage_matrix": lambda ax, lang: viz.plot_coverage_matrix(t, ax=ax, lang=lang,
                                                                          codebook=tables["codebook"], documents=d),
        "plot_family_counts": lambda ax, lang: viz.plot_family_counts(t, ax=ax, lang=lang, documents=d),
        "plot_theme_shares": lambda ax, lang: viz.plot_theme_shares(r["boot"], ax=ax, lang=lang),
        "plot_reference_gaps": lambda ax, lang: viz.plot_reference_gaps(seed_reference_gaps(tables), ax=ax, lang=lang),
        "plot_dendrogram": lambda ax, lang: viz.plot_dendrogram(r["Z"], r["labels"], ax=ax, lang=lang,
                                                                city_en=r["city_en"]),
        "plot_silhouette": lambda ax, lang: viz.plot_silhouette(r["sil"], ax=ax, lang=lang),
        "plot_cluster_stability": lambda ax, lang: viz.plot_cluster_stability(r["stability"], ax=ax, lang=lang,
                                                                              city_en=r["city_en"]),
        "plot_theme_accuracy": lambda ax, lang: viz.plot_theme_accuracy(r["accuracy"], ax=ax, lang=lang),
        "plot_pca_biplot": lambda ax, lang: viz.plot_pca_biplot(*r["pca"], ax=ax, lang=lang, city_en=r["city_en"]),
        "plot_city_targets": lambda ax, lang: viz.plot_city_targets(t, "Tai'an", ax=ax, lang=lang, documents=d),
        "plot_city_emphasis": lambda ax, lang: viz.plot_city_emphasis(r["boot"], "温州市", ax=ax, lang=lang),
        "plot_nearest_peers": lambda ax, lang: viz.plot_nearest_peers(peers, "温州市", ax=ax, lang=lang,
                                                                      city_en=r["city_en"]),
    }


def seed_reference_gaps(tables) -> pd.DataFrame:
    """Notebook 02's gaps to the references on the seeds, with the shipped data/external files."""
    from qualitylib.analysis.indicator_table import comparison_view
    from qualitylib.analysis.reference_gaps import (
        cited_plans,
        load_national_actuals,
        load_national_plans,
        reference_gaps,
    )
    from qualitylib.paths import find_root
    from qualitylib.tables import load_national

    ext = find_root() / "data" / "external"
    nat = load_national(ext / "national_targets.csv")
    view = comparison_view(tables["indicator_table"], tables["documents"])
    cites = cited_plans(tables["sentences"], load_national_plans(ext / "national_plans.csv"), nat)
    act = load_national_actuals(ext / "national_actuals.csv", ext / "national_actuals_codes.csv")
    return reference_gaps(view, national=nat, documents=tables["documents"], actuals=act, citations=cites)


@pytest.fixture(scope="session")
def seed_gaps(tables) -> pd.DataFrame:
    return seed_reference_gaps(tables)

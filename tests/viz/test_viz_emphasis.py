"""Tests for qualitylib.viz.emphasis (notebook 03): theme shares, TF-IDF terms, dendrogram,
silhouette, cluster stability against random partitions and the PCA biplot."""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from qualitylib import viz
from qualitylib.analysis import clustering


def test_theme_share_labels_follow_language(results):
    _, ax = plt.subplots()
    viz.plot_theme_shares(results["boot"], ax=ax, lang="en")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "Manufacturing" in ticks and "制造业" not in ticks
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Tai'an", "Wenzhou", "Wuhu", "Yichang", "Yinchuan"]
    _, ax = plt.subplots()
    viz.plot_theme_shares(results["boot"], ax=ax, lang="zh")
    assert "制造业" in [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_xlabel() == "提及该主题的句子占比"


def test_theme_shares_sort_by_mean(results):
    boot = results["boot"]
    _, ax = plt.subplots()
    viz.plot_theme_shares(boot, ax=ax, lang="en", sort_by_mean=True)
    labels = viz.labels.theme_labels("en")
    means = boot.assign(theme=boot["theme"].astype(str)).groupby("theme")["share"].mean()
    top = max(means.index, key=lambda t: means[t])
    assert ax.get_yticklabels()[0].get_text() == labels[top]


def test_empty_inputs_are_rejected(results):
    with pytest.raises(ValueError, match="bootstrap_shares"):
        viz.theme_shares_figure(results["boot"].iloc[0:0], lang="en")
    with pytest.raises(ValueError, match="tfidf_profile"):
        viz.tfidf_terms_figure(results["tfidf"].iloc[0:0], lang="en")


def test_tfidf_panels_one_per_city(results):
    fig = viz.tfidf_terms_figure(results["tfidf"], lang="en")
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titled == ["Tai'an", "Wenzhou", "Wuhu", "Yichang", "Yinchuan"]
    lens = results["tfidf"]["term"].str.len()
    assert f"{lens.min()}–{lens.max()} characters" in fig.get_suptitle()


def test_dendrogram_names_method_and_metric(results):
    title = viz.dendrogram_figure(results["Z"], results["labels"], method="average", metric="cosine",
                                  lang="en").get_suptitle()
    assert "average" in title and "cosine" in title
    title_zh = viz.dendrogram_figure(results["Z"], results["labels"], method="average", metric="cosine",
                                     lang="zh").get_suptitle()
    assert "平均连接" in title_zh and "余弦" in title_zh


def test_dendrogram_checks_its_input_and_cuts_at_k(results):
    Z, labels = results["Z"], results["labels"]
    with pytest.raises(ValueError, match="does not match"):
        viz.plot_dendrogram(Z, labels[:-1])
    with pytest.raises(ValueError, match="k must be"):
        viz.plot_dendrogram(Z, labels, k=len(labels))
    _, ax = plt.subplots()
    viz.plot_dendrogram(Z, labels, ax=ax, lang="en", city_en=results["city_en"], k=2)
    assert len([ln for ln in ax.lines if ln.get_linestyle() == "--"]) == 1  # the cut
    assert {t.get_text() for t in ax.get_yticklabels()} == set(results["city_en"].values())
    fig = viz.dendrogram_figure(Z, labels, method="average", metric="cosine", lang="en", k=2)
    assert any("cut into 2 clusters" in t.get_text() for t in fig.texts)


def test_silhouette_marks_the_best_k(results):
    sil = results["sil"]
    _, ax = plt.subplots()
    viz.plot_silhouette(sil, ax=ax, lang="en")
    best = int(sil.loc[sil["silhouette"].idxmax(), "k"])
    assert any(t.get_text() == f"highest: k = {best}" for t in ax.texts)


def test_silhouette_plot_handles_empty(results):
    empty = clustering.silhouette_by_k(results["wide"].iloc[:2])
    assert empty.dropna(subset=["silhouette"]).empty
    fig = viz.silhouette_figure(empty, lang="en")
    assert fig.get_suptitle()
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "at least 3" in texts


def test_stability_bars_with_random_partition_baseline(results):
    st = results["stability"]
    _, ax = plt.subplots()
    viz.plot_cluster_stability(st, ax=ax, lang="en", city_en=results["city_en"])
    bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.5)]
    assert len(bars) == len(st) == 2
    assert np.allclose(sorted(b.get_width() for b in bars), sorted(st["mean_jaccard"]))
    # the baseline: a grey line from the random-partition mean to its 95th percentile per cluster
    baselines = [ln for ln in ax.lines if ln.get_linewidth() == pytest.approx(2.2)]
    assert sorted(tuple(ln.get_xdata()) for ln in baselines) == sorted(zip(st["baseline_mean"], st["baseline_q95"]))
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "not assessed" in texts and "random ≥" in texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stability_figure_never_says_stable_with_five_documents(results, lang):
    fig = viz.cluster_stability_figure(results["stability"], lang=lang, k=2, city_en=results["city_en"])
    words = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert "5" in fig.get_suptitle()
    if lang == "en":
        assert "cannot support any clustering" in fig.get_suptitle()
        assert "stable" not in words.replace("Hennig", "")
    else:
        assert "不足以支持任何聚类" in fig.get_suptitle() and "稳定，" not in words and "高于随机且稳定" not in words


def test_pca_biplot_needs_two_components(results):
    scores, loadings, evr = results["pca"]
    with pytest.raises(ValueError, match="two principal components"):
        viz.pca_biplot_figure(scores.iloc[:, :1], loadings.iloc[:, :1], evr.iloc[:1], lang="zh")
    assert np.isclose(evr.sum(), 1.0)


def test_pca_labels_do_not_overlap(results):
    fig = viz.pca_biplot_figure(*results["pca"], lang="en", city_en=results["city_en"])
    ax = fig.axes[0]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in ax.texts if t.get_text()]
    assert len(boxes) >= 5 + 1  # five cities and at least one theme
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cluster_stability_legend_clears_the_axis_title_with_two_clusters(lang):
    """With two clusters the axes are short; the legend, placed at a fraction of the axes below it,
    ran into the axis title."""
    from pathlib import Path

    import pandas as pd
    from figure_checks import text_overlaps

    root = Path(__file__).resolve().parents[2]
    stability = pd.read_csv(root / "data" / "processed" / "stats" / "cluster_stability.csv").head(2).assign(k=2)
    fig = viz.cluster_stability_figure(stability, lang=lang)
    try:
        assert text_overlaps(fig) == []
        assert fig.legends and not ax_legends(fig)
    finally:
        plt.close(fig)


def ax_legends(fig):
    return [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]


def test_silhouette_labels_stay_inside_the_axes_with_the_best_k_at_either_end():
    import numpy as np
    import pandas as pd

    k = np.arange(2, 211)
    for best in (0, len(k) - 1):
        s = 0.3 - 0.001 * k
        s[best] = 0.45
        fig = viz.silhouette_figure(pd.DataFrame({"k": k, "silhouette": s}), lang="en")
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        box = ax.get_window_extent(renderer)
        for t in ax.texts:
            e = t.get_window_extent(renderer)
            assert box.x0 - 0.5 <= e.x0 and e.x1 <= box.x1 + 0.5, (best, t.get_text())

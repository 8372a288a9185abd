"""Charts of policy-theme emphasis and of how cities group by it (notebook 03).

Input: outputs of :mod:`qualitylib.analysis.themes` (``bootstrap_shares``),
:mod:`qualitylib.analysis.tfidf` (``tfidf_profile``) and :mod:`qualitylib.analysis.clustering`
(``cluster_cities``, ``silhouette_by_k``, ``clusterboot``, ``pca_biplot_data``). Output:
matplotlib Axes (``plot_*``) or titled Figures (``*_figure``); nothing is saved or shown here.

Cities are ordered by pinyin and keep the same colour in every chart of a run, so a reader can
follow one city across charts. Theme labels come from ``themes.csv`` in the figure language; TF-IDF
terms stay Chinese in both languages (they are quoted text).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..analysis.themes import city_en_map
from .labels import (
    METHOD_ZH,
    METRIC_ZH,
    city_colors,
    city_name,
    city_order,
    fill,
    shorten,
    text,
    theme_labels,
)
from .layout import axes_message, new_axes, tight_below_header, titled_figure
from .scale import (
    CONTEXT_GREY,
    MANY,
    highlight_colors,
    name_list,
    pick_highlights,
    scale_text,
)
from .style import despine, styled
from .terms import tfidf_terms_figure, tfidf_terms_figures  # noqa: F401 -- their home before viz.terms

__all__ = [
    "plot_theme_shares", "theme_shares_figure",
    "tfidf_terms_figure", "tfidf_terms_figures",
    "plot_dendrogram", "dendrogram_figure",
    "plot_silhouette", "silhouette_figure",
    "plot_cluster_stability", "cluster_stability_figure",
    "plot_pca_biplot", "pca_biplot_figure",
]

_BLUE, _RED = "#1f4e79", "#c00000"
# Kaufman & Rousseeuw's silhouette reading bands: green reasonable, yellow weak
_GOOD, _DOUBT = "#e5f2e5", "#f7f4e1"


# --------------------------------------------------------------------------------------------
# theme shares
# --------------------------------------------------------------------------------------------
def _shares_rows(boot: pd.DataFrame, lang: str, sort_by_mean: bool) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The validated frame (theme as str), themes top to bottom and cities in order."""
    missing = [c for c in ["city", "theme", "share", "lo", "hi"] if c not in boot.columns]
    if boot.empty or missing:
        raise ValueError(f"boot must be a non-empty bootstrap_shares() frame; missing {missing}")
    labels = theme_labels(lang)
    df = boot.copy()
    df["theme"] = df["theme"].astype(str)
    themes = [t for t in labels if t in set(df["theme"])] + sorted(set(df["theme"]) - set(labels))
    if sort_by_mean:
        means = df.groupby("theme")["share"].mean()
        themes = sorted(themes, key=lambda t: -means[t])
    return df, themes, city_order(df["city"].unique(), city_en_map(df))


def _shares_axes(ax: Axes, df: pd.DataFrame, themes: Sequence[str], labels: Mapping[str, str],
                 T: Mapping[str, str]) -> None:
    """Themes down the y axis, shares as percentages along x (up to the highest interval), light grid:
    the frame both layouts of the theme-share chart draw on."""
    ax.set_yticks(np.arange(len(themes)))
    ax.set_yticklabels([labels.get(t, t) for t in themes])
    ax.set_ylim(len(themes) - 0.5, -0.5)
    xmax = float(np.nanmax(df[["hi", "share"]].to_numpy()))
    ax.set_xlim(0, max(0.05, xmax * 1.05))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(T["shares_x"])
    ax.set_ylabel(T["shares_y"])
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    despine(ax)


@styled
def plot_theme_shares(boot: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                      sort_by_mean: bool = False, highlight: Sequence[str] | None = None) -> Axes:
    """Dot-and-whisker chart of theme shares with bootstrap intervals, one colour per city.

    Input: output of :func:`qualitylib.analysis.themes.bootstrap_shares` (``city, theme, share, lo,
    hi``; ``city_en`` used when present). Themes in dictionary order, top to bottom (or by mean
    share with ``sort_by_mean``). Output: the Axes drawn on. With more than
    :data:`~qualitylib.viz.scale.MANY` places: themes by mean share, every place a grey dot, the
    median a black tick, the highest and lowest place of each theme named, and the places in
    ``highlight`` (Chinese names, at most ten) in colour with their intervals."""
    T = text(lang)
    many = boot["city"].nunique() > MANY
    df, themes, cities = _shares_rows(boot, lang, sort_by_mean or many)
    ax = new_axes(ax)
    if many:
        return _theme_shares_many(ax, df, themes, cities, lang, highlight)
    labels = theme_labels(lang)
    en = city_en_map(df)
    colors = city_colors(cities)
    n_t, n_c = len(themes), len(cities)
    band = 0.8
    offsets = (np.arange(n_c) - (n_c - 1) / 2) * (band / max(n_c, 1))
    ypos = np.arange(n_t)
    for k, city in enumerate(cities):
        d = df[df["city"] == city].set_index("theme").reindex(themes)
        y = ypos + offsets[k]
        ax.hlines(y, d["lo"], d["hi"], color=colors[city], lw=1.6, alpha=0.85)
        ax.plot(d["share"], y, "o", color=colors[city], ms=5, label=city_name(city, lang, en), zorder=3, clip_on=False)
    for i in range(0, n_t, 2):  # light bands so the dodged dots of one theme read as a group
        ax.axhspan(i - 0.5, i + 0.5, color="0.95", zorder=0)
    _shares_axes(ax, df, themes, labels, T)
    ax.legend(title=T["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def _theme_shares_many(ax: Axes, df: pd.DataFrame, themes: list[str], cities: list[str], lang: str,
                       highlight: Sequence[str] | None) -> Axes:
    T = text(lang)
    labels = theme_labels(lang)
    en = city_en_map(df)
    hl = [c for c in dict.fromkeys(highlight or []) if c in set(cities)][:10]
    hcol = highlight_colors(hl)
    for i in range(0, len(themes), 2):
        ax.axhspan(i - 0.5, i + 0.5, color="0.95", zorder=0)
    for i, t in enumerate(themes):
        d = df[df["theme"] == t].sort_values(["share", "city"], kind="mergesort").reset_index(drop=True)
        jitter = ((np.arange(len(d)) * 0.618) % 1.0 - 0.5) * 0.36
        ax.plot(d["share"], i + jitter, "o", ms=3, color=CONTEXT_GREY, alpha=0.7, zorder=2, clip_on=False)
        med = float(d["share"].median())
        ax.plot([med, med], [i - 0.3, i + 0.3], color="0.1", lw=1.6, zorder=3)
        # the lowest named below its row, the highest above it: the two never meet
        for r, y, va, ha in ((d.iloc[0], i + 0.3, "top", "left"), (d.iloc[-1], i - 0.3, "bottom", "right")):
            ax.text(float(r["share"]), y, f"{city_name(r['city'], lang, en)} {r['share']:.0%}", ha=ha,
                    va=va, fontsize=6.5, color="0.25", zorder=4)
        for k, c in enumerate(hl):
            r = d[d["city"] == c].iloc[0]
            y = i + (k - (len(hl) - 1) / 2) * (0.5 / max(len(hl), 1))
            ax.hlines(y, r["lo"], r["hi"], color=hcol[c], lw=1.6, zorder=5)
            ax.plot([r["share"]], [y], "o", color=hcol[c], ms=5, zorder=6,
                    label=city_name(c, lang, en) if i == 0 else None)
    ax.plot([], [], "o", ms=3, color=CONTEXT_GREY, label=scale_text(lang)["grey_each"].format(n=len(cities)))
    ax.plot([], [], color="0.1", lw=1.6, label=scale_text(lang)["median"])
    _shares_axes(ax, df, themes, labels, T)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5)
    return ax


_SHARES_SUB = {
    "zh": {
        "blocks": "点：提及该主题的政策句子占比；横线：{ci:.0%} 区块自助法区间——按章节整体重抽样 {n_boot} 次"
                  "（同一章节的句子话题相同，不是相互独立的样本）。一句话可涉及多个主题，故各主题占比之和不为 1。"
                  "标题、文号、主送机关、日期和牵头单位说明不计入。",
        "sentences": "点：提及该主题的政策句子占比；横线：{ci:.0%} 自助法区间（城市内逐句重抽样 {n_boot} 次，"
                     "忽略了同一章节内句子的相关性，区间偏窄）。一句话可涉及多个主题，故各主题占比之和不为 1。",
    },
    "en": {
        "blocks": "Dot: share of policy sentences mentioning the theme; bar: {ci:.0%} block-bootstrap interval, whole "
                  "sections resampled {n_boot} times (sentences of one section share a topic, so they are not "
                  "independent draws). A sentence can mention several themes, so shares do not sum to 1. Title, "
                  "document number, addressees, dates and lead-agency notes are not counted.",
        "sentences": "Dot: share of policy sentences mentioning the theme; bar: {ci:.0%} bootstrap interval from "
                     "resampling single sentences {n_boot} times (ignores that sentences of one section go "
                     "together: too narrow). A sentence can mention several themes, so shares do not sum to 1.",
    },
}


@styled
def theme_shares_figure(boot: pd.DataFrame, *, lang: str = "zh", sort_by_mean: bool = False,
                        highlight: Sequence[str] | None = None) -> Figure:
    """:func:`plot_theme_shares` with title and reading note (interval level and replicates).
    Output: Figure."""
    T = text(lang)
    df, themes, cities = _shares_rows(boot, lang, sort_by_mean)
    ci = float(df["ci"].iloc[0]) if "ci" in df.columns else 0.95
    n_boot = int(df["n_boot"].iloc[0]) if "n_boot" in df.columns else "?"
    blocks = int(df["block_depth"].iloc[0]) if "block_depth" in df.columns else 0
    sub = _SHARES_SUB[lang]["blocks" if blocks else "sentences"].format(ci=ci, n_boot=n_boot)
    many = len(cities) > MANY
    body = 1.5 + (0.6 * len(themes) if many else 0.42 * len(themes) * max(1.0, len(cities) / 4))
    if many:
        sub += " " + scale_text(lang)["shares_many"]
    fig, top = titled_figure(10.0, body, T["shares_title"], sub)
    plot_theme_shares(boot, ax=fig.add_subplot(111), lang=lang, sort_by_mean=sort_by_mean, highlight=highlight)
    tight_below_header(fig, top)
    return fig


# --------------------------------------------------------------------------------------------
# dendrogram
# --------------------------------------------------------------------------------------------
def _dendrogram_words(method: str, metric: str, k: int | None) -> dict:
    return dict(method=method, metric=metric, method_zh=METHOD_ZH.get(method, method),
                metric_zh=METRIC_ZH.get(metric, metric), k=k)


@styled
def plot_dendrogram(Z: np.ndarray, labels: Sequence[str], *, ax: Axes | None = None, method: str = "average",
                    metric: str = "cosine", lang: str = "zh", city_en: Mapping[str, str] | None = None,
                    k: int | None = None, max_leaves: int = 40) -> Axes:
    """Dendrogram of :func:`qualitylib.analysis.clustering.cluster_cities`, leaves = cities, drawn
    sideways so names stay horizontal. With more than ``max_leaves`` cities the tree is cut to its
    last ``max_leaves`` merges, a leaf then naming two of its places and how many it holds.

    Input: linkage matrix, city labels (row order of the clustered matrix), the ``method`` and
    ``metric`` used (named on the axis), Chinese -> pinyin ``city_en``; ``k`` colours the k-cluster
    cut (default: one colour, no cut implied). Output: the Axes drawn on."""
    from scipy.cluster.hierarchy import dendrogram  # here: importing it took 0.4 s of every notebook's start

    T = text(lang)
    Z = np.asarray(Z, dtype=float)
    n = len(labels)
    if Z.ndim != 2 or Z.shape[1] != 4 or Z.shape[0] != n - 1:
        raise ValueError(f"linkage of shape {Z.shape} does not match {n} labels")
    if k is not None and not (2 <= k <= n - 1):
        raise ValueError(f"k must be in 2..{n - 1}, got {k}")
    ax = new_axes(ax)
    # threshold halfway between the merges that leave k and k-1 clusters colours exactly k groups
    threshold = 0.0 if k is None else float((Z[-k, 2] + Z[-(k - 1), 2]) / 2)
    names = [city_name(c, lang, city_en) for c in labels]
    if n <= max_leaves:
        dendrogram(Z, labels=names, orientation="right", ax=ax,
                   color_threshold=threshold, above_threshold_color="0.35", leaf_font_size=11)
    else:
        members: dict[int, list[int]] = {i: [i] for i in range(n)}
        for j, (a, b, *_rest) in enumerate(Z):
            members[n + j] = members[int(a)] + members[int(b)]

        def leaf(i: int) -> str:
            if i < n:
                return names[i]
            m = sorted(names[x] for x in members[i])
            return name_list(m, lang, 2) if len(m) > 2 else scale_text(lang)["sep"].join(m)

        dendrogram(Z, orientation="right", ax=ax, truncate_mode="lastp", p=max_leaves, leaf_label_func=leaf,
                   show_contracted=True, color_threshold=threshold, above_threshold_color="0.35", leaf_font_size=9)
    if k is not None:
        ax.axvline(threshold, color="0.6", ls="--", lw=0.8)
    ax.set_xlabel(T["dend_x"].format(**_dendrogram_words(method, metric, k)))
    ax.set_xlim(left=0)
    despine(ax, ("top", "right", "left"))
    return ax


@styled
def dendrogram_figure(Z: np.ndarray, labels: Sequence[str], *, method: str = "average", metric: str = "cosine",
                      lang: str = "zh", city_en: Mapping[str, str] | None = None, k: int | None = None) -> Figure:
    """:func:`plot_dendrogram` under a title naming the linkage method and distance. Output: Figure."""
    T = text(lang)
    words = _dendrogram_words(method, metric, k)
    sep = "" if lang == "zh" else " "
    sub = T["dend_sub"] + (sep + T["dend_sub_k"].format(**words) if k is not None else "")
    if len(labels) > 40:
        sub += sep + scale_text(lang)["dend_cut"].format(n=len(labels), p=40)
    fig, top = titled_figure(8.0, 1.6 + 0.42 * min(len(labels), 40), T["dend_title"].format(**words), sub)
    plot_dendrogram(Z, labels, ax=fig.add_subplot(111), method=method, metric=metric, lang=lang, city_en=city_en, k=k)
    tight_below_header(fig, top)
    return fig


# --------------------------------------------------------------------------------------------
# silhouette
# --------------------------------------------------------------------------------------------
@styled
def plot_silhouette(sil: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Mean silhouette width against k, from :func:`qualitylib.analysis.clustering.silhouette_by_k`,
    with the reading bands and the best k circled. Input: DataFrame with ``k, silhouette`` (an
    empty one is drawn as a note with ``sil.attrs['reason']``). Output: the Axes drawn on."""
    T = text(lang)
    ax = new_axes(ax)
    d = sil.dropna(subset=["silhouette"]) if ("silhouette" in sil.columns and not sil.empty) else sil.iloc[0:0]
    if d.empty:
        reason = sil.attrs.get("reason", "")
        return axes_message(ax, T["sil_empty"] + (f"\n{fill(reason, 6, 11)}" if reason else ""), color="black")
    pad = max(0.5, 0.02 * float(d["k"].max() - d["k"].min()))  # the best-k circle clear of the axis
    x0, x1 = float(d["k"].min()) - pad, float(d["k"].max()) + pad
    ax.axhspan(0.5, 1.0, color=_GOOD, zorder=0)
    ax.axhspan(0.25, 0.5, color=_DOUBT, zorder=0)
    best = d.loc[d["silhouette"].idxmax()]
    at = (float(best["k"]) - x0) / (x1 - x0)  # where the best k is across the axes, 0..1
    right = at < 0.5  # the band names on the side away from the best k's circle
    for y, lab in zip((0.97, 0.47), T["sil_bands"]):
        ax.text(0.99 if right else 0.01, y, lab, ha="right" if right else "left", va="top", fontsize=9,
                color="0.4", transform=ax.get_yaxis_transform())
    ax.axhline(0, color="0.5", lw=0.8)
    # with hundreds of places k runs to n - 1: markers of a fixed size merged into a thick band
    many_k = len(d) > 40
    ax.plot(d["k"], d["silhouette"], "o-", color=_BLUE, lw=1.2 if many_k else 1.8, ms=0 if many_k else 7, zorder=3)
    ax.plot([best["k"]], [best["silhouette"]], "o", ms=15, mfc="none", mec=_RED, mew=2, zorder=4)
    # a best k at either end of the axis: the label starts (ends) at the point, inside the axes
    ha = "left" if at < 0.1 else "right" if at > 0.9 else "center"
    ax.annotate(T["sil_best"].format(k=int(best["k"])), (best["k"], best["silhouette"]),
                xytext=(0, -24), textcoords="offset points", ha=ha, color=_RED, fontsize=10)
    ax.set_ylim(min(0.0, float(d["silhouette"].min()) - 0.05), 1.0)
    ax.set_xlim(x0, x1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(T["sil_x"])
    ax.set_ylabel(T["sil_y"])
    despine(ax)
    return ax


@styled
def silhouette_figure(sil: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """:func:`plot_silhouette` with title and the rule of thumb for reading it. Output: Figure."""
    T = text(lang)
    fig, top = titled_figure(7.5, 4.1, T["sil_title"], T["sil_sub"])
    plot_silhouette(sil, ax=fig.add_subplot(111), lang=lang)
    tight_below_header(fig, top)
    return fig


# --------------------------------------------------------------------------------------------
# cluster stability (documents resampled) against random partitions
# --------------------------------------------------------------------------------------------
_STAB_TEXT = {
    "zh": {
        "stab_title_few": "{n} 份文件不足以支持任何聚类：按文件重抽样的聚类稳定性与随机划分对照（k = {k}）",
        "stab_title": "聚类稳定性：按文件重抽样（Hennig clusterboot，k = {k}）与随机划分对照",
        "stab_sub": "蓝条：每个聚类在 {n_boot} 次有放回地重抽文件并重新聚类后的平均 Jaccard 相似度；"
                    "灰色短线与横线：同样大小的随机划分得到的平均值及其 95% 分位数（机会水平）。"
                    "蓝条不超过灰线，即与随机分组无异。Hennig 的 0.6/0.75 经验界线（虚线）只在高于机会水平且"
                    "文件不少于 {min_docs} 份时才有意义。“随机 ≥”：得分不低于该聚类的随机划分所占比例。",
        "stab_x": "平均 Jaccard 相似度",
        "stab_baseline": "随机划分（均值与 95% 分位数）",
        "stab_observed": "观测聚类",
        "stab_p": "随机 ≥：{p:.0%}",
        "not assessed": "不作判断", "stable": "高于随机且稳定", "doubtful": "存疑", "chance level": "与随机无异",
    },
    "en": {
        "stab_title_few": "{n} documents cannot support any clustering: stability by resampling documents "
                          "against random partitions (k = {k})",
        "stab_title": "Cluster stability by resampling documents (Hennig's clusterboot, k = {k}) "
                      "against random partitions",
        "stab_sub": "Blue bar: each cluster's mean Jaccard similarity with its best match after drawing the documents "
                    "with replacement and re-clustering {n_boot} times. Grey tick and line: the same statistic for "
                    "random partitions with the same cluster sizes, mean and 95th percentile (chance level). A bar "
                    "that does not pass the grey line is no better than a random grouping. Hennig's 0.6/0.75 rules "
                    "of thumb (dashed) mean something only above chance and with at least {min_docs} documents. "
                    "'random ≥': share of random partitions scoring at least as high.",
        "stab_x": "Mean Jaccard similarity",
        "stab_baseline": "random partitions (mean, 95th percentile)",
        "stab_observed": "observed clusters",
        "stab_p": "random ≥: {p:.0%}",
        "not assessed": "not assessed", "stable": "stable above chance", "doubtful": "doubtful",
        "chance level": "chance level",
    },
}


@styled
def plot_cluster_stability(stability: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                           city_en: Mapping[str, str] | None = None) -> Axes:
    """Bars of each cluster's mean Jaccard under resampling of the documents
    (:func:`qualitylib.analysis.clustering.clusterboot`), each with the random-partition baseline
    (mean and 95th percentile) beside it; labelled with the members and the reading. Hennig's 0.6 and
    0.75 lines are drawn dashed. Output: the Axes drawn on."""
    T = {**text(lang), **_STAB_TEXT[lang]}
    ax = new_axes(ax)
    city_en = dict(city_en or {})
    labels = []
    rows = stability.to_dict("records")
    for y, r in enumerate(rows):
        v, base, q95 = float(r["mean_jaccard"]), float(r["baseline_mean"]), float(r["baseline_q95"])
        ax.barh(y, v, color=_BLUE, height=0.5, zorder=2, label=T["stab_observed"] if y == 0 else None)
        ax.plot([base, q95], [y + 0.36, y + 0.36], color="0.45", lw=2.2, solid_capstyle="butt", zorder=3,
                label=T["stab_baseline"] if y == 0 else None)
        ax.plot([base], [y + 0.36], "|", color="0.2", ms=11, mew=2, zorder=4)
        ax.text(1.015, y + 0.36, T["stab_p"].format(p=float(r["p_random"])), va="center",
                ha="left", fontsize=8, color="0.3", zorder=4)
        reading = T.get(r["reading"], r["reading"])
        ax.text(0.01, y, f"{v:.2f} · {reading}", va="center", ha="left", fontsize=9, color="white", zorder=4)
        members = [m for m in str(r["members"]).split("、") if m]
        names = T["sep"].join(sorted(city_name(m, lang, city_en) for m in members))
        labels.append(shorten(names, 2.4, 9, 3))
    for x in (0.6, 0.75):
        ax.axvline(x, color="0.55", lw=0.8, ls="--", zorder=1)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_xlim(0, 1.17)  # room right of 1 for the share of random partitions
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.set_xlabel(T["stab_x"])
    despine(ax, ("top", "right"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False, fontsize=9)
    return ax


@styled
def cluster_stability_figure(stability: pd.DataFrame, *, lang: str = "zh", k: int | None = None,
                             city_en: Mapping[str, str] | None = None) -> Figure:
    """:func:`plot_cluster_stability` under a title that, below the minimum number of documents,
    says that no clustering is supported (never "stable"). Output: Figure."""
    from ..analysis.clustering import MIN_DOCUMENTS

    T = {**text(lang), **_STAB_TEXT[lang]}
    if stability.empty:
        raise ValueError("stability must be a non-empty clusterboot() frame")
    n = int(stability["n_documents"].iloc[0])
    k = k if k is not None else len(stability)
    key = "stab_title_few" if n < MIN_DOCUMENTS else "stab_title"
    fig, top = titled_figure(9.0, 1.6 + 0.62 * len(stability), T[key].format(n=n, k=k),
                             T["stab_sub"].format(n_boot=int(stability["n_boot"].iloc[0]), min_docs=MIN_DOCUMENTS))
    ax = fig.add_subplot(111)
    plot_cluster_stability(stability, ax=ax, lang=lang, city_en=city_en)
    legend = ax.get_legend()
    if legend is not None:
        # below the axis title by a fixed height: placed at a fraction of the axes, it ran into the
        # axis title when two clusters made the axes short
        handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
        legend.remove()
        fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, fontsize=9)
    tight_below_header(fig, top, bottom=0.4 / fig.get_size_inches()[1])
    return fig


# --------------------------------------------------------------------------------------------
# PCA biplot
# --------------------------------------------------------------------------------------------
def _repel(ax: Axes, texts: list[Text], avoid_xy: np.ndarray | None = None, pad_px: float = 2.5,
           max_iter: int = 200) -> None:
    """Nudge text labels apart (and off the given points) until no two bounding boxes overlap.

    A small, deterministic stand-in for adjustText (not a dependency): each iteration moves every
    overlapping label half the overlap away from its neighbour, along the axis that needs the
    smaller move. Works in pixels, so call it once the layout is final.
    """
    if not texts:
        return
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    to_data = ax.transData.inverted().transform
    pts = to_px(np.asarray(avoid_xy, dtype=float)) if avoid_xy is not None and len(avoid_xy) else np.empty((0, 2))
    for it in range(2 * max_iter):
        # labels that push each other back and forth (crowded plots) are settled in a second phase,
        # where only the later label of an overlapping pair moves
        greedy = it >= max_iter
        boxes = [t.get_window_extent(renderer).padded(pad_px) for t in texts]
        moves = np.zeros((len(texts), 2))
        for i, bi in enumerate(boxes):
            ci = np.array([(bi.x0 + bi.x1) / 2, (bi.y0 + bi.y1) / 2])
            others = [(bj.x0, bj.y0, bj.x1, bj.y1, j) for j, bj in enumerate(boxes) if j != i]
            if not greedy:  # second phase: text off text first, even over a marker
                others += [(p[0] - 5, p[1] - 5, p[0] + 5, p[1] + 5, -1) for p in pts]  # marker ~10 px
            for x0, y0, x1, y1, j in others:
                ox = min(bi.x1, x1) - max(bi.x0, x0)
                oy = min(bi.y1, y1) - max(bi.y0, y0)
                if ox <= 0 or oy <= 0:
                    continue
                cj = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
                d = ci - cj
                share = 1.0 if j < 0 else (float(i > j) if greedy else 0.5)  # a point does not move
                tie = 1.0 if (j < 0 or i > j) else -1.0
                if oy <= ox:
                    moves[i, 1] += (np.sign(d[1]) or tie) * (oy * share + 0.5)
                else:
                    moves[i, 0] += (np.sign(d[0]) or tie) * (ox * share + 0.5)
        if not moves.any():
            break
        for t, m in zip(texts, moves):
            x, y = to_px(t.get_position())
            t.set_position(to_data((x + m[0], y + m[1])))


def _draw_biplot(ax: Axes, scores: pd.DataFrame, loadings: pd.DataFrame, evr: pd.Series | Sequence[float],
                 lang: str, city_en: Mapping[str, str] | None, n_arrows: int,
                 highlight: Sequence[str] | None = None, n_labels: int = 8):
    """Points, arrows and labels; output what :func:`_place_biplot_labels` needs to move them."""
    T = text(lang)
    if scores.shape[1] < 2 or loadings.shape[1] < 2:
        raise ValueError("a biplot needs at least two principal components (at least 3 cities)")
    evr = list(pd.Series(evr).to_numpy(dtype=float))
    labels = theme_labels(lang)
    cities = city_order(list(scores.index), city_en)
    S = scores.loc[cities].iloc[:, :2].to_numpy(dtype=float)
    L = loadings.iloc[:, :2].to_numpy(dtype=float)
    lengths = np.hypot(L[:, 0], L[:, 1])
    smax = np.abs(S).max()
    # only directions and relative lengths of loadings matter: scale them to the score range
    scale = 0.9 * smax / lengths.max() if lengths.max() > 0 and smax > 0 else 1.0
    labelled = set(np.argsort(-lengths, kind="stable")[: max(0, n_arrows)].tolist())
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    lim = 1.35 * max(smax, np.abs(L * scale).max(), 1e-9)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    arrow_texts, tips = [], []
    for i, theme in enumerate(loadings.index):
        x, y = L[i] * scale
        strong = i in labelled
        ax.annotate("", xy=(x, y), xytext=(0, 0), zorder=1 if not strong else 2,
                    arrowprops=dict(arrowstyle="-|>", color="#c0504d" if strong else "0.8",
                                    lw=1.3 if strong else 0.8, shrinkA=0, shrinkB=0))
        if strong:
            ha = "center" if abs(x) < 0.3 * abs(y) else ("left" if x > 0 else "right")
            va = "center" if abs(y) < 0.3 * abs(x) else ("bottom" if y > 0 else "top")
            arrow_texts.append(ax.text(x * 1.05, y * 1.05, labels.get(str(theme), str(theme)),
                                       color="#8b2e2b", fontsize=9.5, ha=ha, va=va, zorder=5,
                                       bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7)))
            tips.append((x, y))
    many = len(cities) > MANY
    if many:  # grey points; named: the highlighted places and those farthest from the centre
        dist = dict(zip(cities, np.hypot(S[:, 0], S[:, 1])))
        named = pick_highlights(dist, n_top=max(0, n_labels - len(highlight or [])), highlight=highlight)
        colors = {c: CONTEXT_GREY for c in cities} | highlight_colors(named)
        ax.scatter(S[:, 0], S[:, 1], s=16, color=CONTEXT_GREY, edgecolor="none", zorder=3)
    else:
        named, colors = cities, city_colors(cities)
    city_texts, labelled_xy = [], []
    for (x, y), city in zip(S, cities):
        if city not in named:
            continue
        name = city_name(city, lang, city_en)
        ax.scatter([x], [y], s=70 if not many else 40, color=colors[city], edgecolor="white", zorder=4, label=name)
        city_texts.append(ax.text(x, y - 0.04 * lim, name, fontsize=11 if not many else 9, color=colors[city],
                                  ha="center", va="top", zorder=6,
                                  bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8)))
        labelled_xy.append((x, y))
    ax.set_xlabel(T["pca_x"].format(v=evr[0]))
    ax.set_ylabel(T["pca_y"].format(v=evr[1]))
    despine(ax)
    if not many:
        ax.legend(title=T["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return city_texts, arrow_texts, tips, np.asarray(labelled_xy).reshape(-1, 2), lim


def _place_biplot_labels(ax: Axes, city_texts, arrow_texts, tips, S, lim) -> None:
    # labels keep off city points and off arrow tips (so no label hides an arrow head)
    _repel(ax, city_texts + arrow_texts, avoid_xy=np.vstack([S, np.asarray(tips).reshape(-1, 2)]))
    # a label pushed away from its arrow tip gets a thin leader line back to it
    for txt, (x, y) in zip(arrow_texts, tips):
        tx, ty = txt.get_position()
        if np.hypot(tx - x * 1.05, ty - y * 1.05) > 0.03 * lim:
            ax.plot([x, tx], [y, ty], color="#c0504d", lw=0.5, alpha=0.6, zorder=1)


@styled
def plot_pca_biplot(scores: pd.DataFrame, loadings: pd.DataFrame,
                    explained_variance_ratio: pd.Series | Sequence[float], *, ax: Axes | None = None,
                    lang: str = "zh", city_en: Mapping[str, str] | None = None, n_arrows: int = 8,
                    highlight: Sequence[str] | None = None, n_labels: int = 8) -> Axes:
    """Biplot of :func:`qualitylib.analysis.clustering.pca_biplot_data`: cities as points (colour and
    label), themes as arrows rescaled to the score range. Only the ``n_arrows`` longest arrows are
    labelled (the rest drawn faintly) and labels are nudged apart for the Axes' current size. Needs
    at least two components (>= 3 cities). Input: scores (index city), loadings (index theme),
    explained variance ratio, Chinese -> pinyin ``city_en``. Output: the Axes drawn on. With more
    than :data:`~qualitylib.viz.scale.MANY` places: grey points, no legend, and only ``n_labels``
    places named in colour -- those in ``highlight`` (Chinese names), then the farthest from the centre."""
    ax = new_axes(ax)
    drawn = _draw_biplot(ax, scores, loadings, explained_variance_ratio, lang, city_en, n_arrows, highlight, n_labels)
    _place_biplot_labels(ax, *drawn)
    return ax


@styled
def pca_biplot_figure(scores: pd.DataFrame, loadings: pd.DataFrame,
                      explained_variance_ratio: pd.Series | Sequence[float], *, lang: str = "zh",
                      city_en: Mapping[str, str] | None = None, n_arrows: int = 8,
                      highlight: Sequence[str] | None = None, n_labels: int = 8) -> Figure:
    """:func:`plot_pca_biplot` with title and reading note. Output: Figure."""
    T = text(lang)
    sub = T["pca_sub"].format(n=min(n_arrows, len(loadings)))
    if len(scores) > MANY:
        sub += ("" if lang == "zh" else " ") + scale_text(lang)["pca_many"].format(n=len(scores), k=n_labels)
    fig, top = titled_figure(9.0, 7.1, T["pca_title"], sub)
    ax = fig.add_subplot(111)
    drawn = _draw_biplot(ax, scores, loadings, explained_variance_ratio, lang, city_en, n_arrows, highlight, n_labels)
    # labels are nudged in pixels, so only once the layout (and with it the axes size) is final
    tight_below_header(fig, top)
    _place_biplot_labels(ax, *drawn)
    return fig

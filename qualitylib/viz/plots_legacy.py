"""Figures for the policy-emphasis notebook.

Each function takes the output of one :mod:`qualitylib.emphasis` function, returns a
:class:`matplotlib.figure.Figure` (it never saves or shows -- use :func:`qualitylib.style.save_figure`)
and is bilingual through ``lang='zh'|'en'``: title, axis labels and theme labels (from
``themes.csv``) follow ``lang``. Every figure has a suptitle saying what it shows, because figures
get copied out of the notebook without the surrounding text.

Cities are ordered by pinyin (``city_en``) when known and keep the same colour in every figure
of a run, so a reader can follow one city across charts.

Call :func:`qualitylib.style.use_cjk_style` first; otherwise Chinese text renders as boxes.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from scipy.cluster.hierarchy import dendrogram

from .emphasis import load_themes
from .style import despine as _despine

__all__ = [
    "theme_labels",
    "city_order",
    "plot_theme_shares",
    "plot_dendrogram",
    "plot_silhouette",
    "plot_pca_biplot",
    "plot_tfidf_terms",
]

_TEXT = {
    "zh": {
        "shares_title": "各城市“质量强市”政策文本的主题侧重",
        "shares_sub": "点：提及该主题的句子占比；横线：{ci:.0%} 自助法置信区间（城市内句子重抽样 {n_boot} 次）。"
                      "一句话可涉及多个主题，故各主题占比之和不为 1。",
        "shares_x": "提及该主题的句子占比",
        "shares_y": "政策主题",
        "city": "城市",
        "dend_title": "城市主题侧重的层次聚类：{method_zh}（{method}），{metric_zh}距离（{metric}）",
        "dend_sub": "合并处的距离越小，两地主题侧重越相似。",
        "dend_sub_k": "颜色：切分为 {k} 类的结果。",
        "dend_x": "{metric_zh}距离",
        "sil_title": "不同聚类数 k 的平均轮廓系数",
        "sil_sub": "越高表示城市分组越清晰。经验读法（Kaufman & Rousseeuw）：> 0.5 结构合理，"
                   "0.25–0.5 结构较弱，< 0.25 无明显结构。城市数少时轮廓系数不稳，请结合自助法 Jaccard 稳定性一起看。",
        "sil_x": "聚类数 k",
        "sil_y": "平均轮廓系数",
        "sil_best": "最高：k = {k}",
        "sil_bands": ("结构合理", "结构较弱"),
        "sil_empty": "无法计算轮廓系数",
        "pca_title": "城市主题侧重的主成分分析双标图",
        "pca_sub": "点：城市得分；箭头：主题载荷（已按得分范围缩放，只看方向与相对长短）。"
                   "标注了最长的 {n} 个主题箭头，其余为浅灰色。",
        "pca_x": "第一主成分 PC1（解释 {v:.0%} 方差）",
        "pca_y": "第二主成分 PC2（解释 {v:.0%} 方差）",
        "tfidf_title": "各城市最具特色的字符 n 元组（TF-IDF，{lo}–{hi} 字）",
        "tfidf_sub": "每个城市的全部句子合为一篇文档；已去掉所有城市都出现的词串。得分越高，该词串越为该城市所特有。"
                     "字符 n 元组不分词，可能截断词语。",
        "tfidf_x": "TF-IDF 得分",
    },
    "en": {
        "shares_title": "Policy-theme emphasis in each city's quality-strong-city texts",
        "shares_sub": "Dot: share of sentences mentioning the theme; bar: {ci:.0%} bootstrap interval "
                      "({n_boot} resamples of sentences within each city). A sentence can mention several "
                      "themes, so a city's shares do not sum to 1.",
        "shares_x": "Share of sentences mentioning the theme",
        "shares_y": "Policy theme",
        "city": "City",
        "dend_title": "Hierarchical clustering of cities by theme emphasis: {method} linkage, {metric} distance",
        "dend_sub": "The lower the distance at which two cities join, the more alike their theme profiles.",
        "dend_sub_k": "Colours: cut into {k} clusters.",
        "dend_x": "{metric} distance",
        "sil_title": "Mean silhouette width by number of clusters k",
        "sil_sub": "Higher = clearer grouping. Rule of thumb (Kaufman & Rousseeuw): > 0.5 reasonable structure, "
                   "0.25–0.5 weak, < 0.25 none. With few cities silhouettes are fragile; read them with the "
                   "bootstrap Jaccard stability.",
        "sil_x": "Number of clusters k",
        "sil_y": "Mean silhouette width",
        "sil_best": "highest: k = {k}",
        "sil_bands": ("reasonable", "weak"),
        "sil_empty": "Silhouette cannot be computed",
        "pca_title": "PCA biplot of cities' theme emphasis",
        "pca_sub": "Points: city scores; arrows: theme loadings (rescaled to the score range: read direction and "
                   "relative length only). The {n} longest theme arrows are labelled, the rest drawn in light grey.",
        "pca_x": "PC1 ({v:.0%} of variance)",
        "pca_y": "PC2 ({v:.0%} of variance)",
        "tfidf_title": "Most city-specific character n-grams (TF-IDF, {lo}–{hi} characters)",
        "tfidf_sub": "All sentences of a city form one document; n-grams found in every city are dropped. Higher "
                     "score = more specific to that city. Character n-grams ignore word boundaries and can cut words.",
        "tfidf_x": "TF-IDF score",
    },
}

_METHOD_ZH = {
    "average": "平均连接", "complete": "完全连接", "single": "单连接", "weighted": "加权平均连接",
    "ward": "Ward 最小方差", "centroid": "质心连接", "median": "中位数连接",
}
_METRIC_ZH = {
    "cosine": "余弦", "euclidean": "欧氏", "correlation": "相关", "cityblock": "曼哈顿",
    "braycurtis": "Bray–Curtis ", "jensenshannon": "Jensen–Shannon ",
}

TITLE_SIZE = 13.0
SUBTITLE_SIZE = 9.0


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _t(lang: str) -> dict:
    if lang not in _TEXT:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return _TEXT[lang]


def theme_labels(lang: str = "zh") -> dict[str, str]:
    """Theme id -> display label in ``lang``, from ``themes.csv`` (file order)."""
    _t(lang)
    th = load_themes()
    return dict(zip(th["theme"], th[f"label_{lang}"]))


def city_order(cities: Sequence[str], city_en: Mapping[str, str] | None = None) -> list[str]:
    """Cities sorted by pinyin when known (the usual order for Chinese city lists), else by name."""
    en = city_en or {}
    return sorted(dict.fromkeys(cities), key=lambda c: (str(en.get(c, c)).lower(), str(c)))


def _city_names(cities: Sequence[str], lang: str, city_en: Mapping[str, str] | None) -> list[str]:
    """Display names; in English fall back to the Chinese name where no pinyin is known
    (the CJK font renders it), so one missing mapping never blocks a figure."""
    if lang == "en" and city_en:
        out = []
        for c in cities:
            e = city_en.get(c)
            out.append(str(e) if isinstance(e, str) and e else str(c))
        return out
    return [str(c) for c in cities]


def _en_map_from(df: pd.DataFrame) -> dict[str, str]:
    if "city_en" not in df.columns:
        return {}
    pairs = df[["city", "city_en"]].dropna().drop_duplicates()
    return dict(zip(pairs["city"], pairs["city_en"]))


def _colors(n: int) -> list:
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(n)]


def _char_width(ch: str) -> float:
    """Approximate advance width in em: CJK / full-width 1.0, Latin about 0.55."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55


_NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)%")


def _wrap(text: str, fontsize: float, width_in: float) -> str:
    """Wrap mixed Chinese/Latin text to ``width_in`` inches at ``fontsize`` pt.

    textwrap counts characters and breaks only at spaces, which is wrong for Chinese (no spaces,
    double-width glyphs). Here Latin words stay whole, CJK can break anywhere, and closing
    punctuation is never put at the start of a line.
    """
    limit = width_in * 72.0 / fontsize  # in em
    tokens: list[str] = []
    buf = ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            if buf:
                tokens.append(buf)
                buf = ""
            tokens.append(ch)
        else:
            buf += ch
            if ch == " ":
                tokens.append(buf)
                buf = ""
    if buf:
        tokens.append(buf)
    lines, line, width = [], "", 0.0
    for tok in tokens:
        w = sum(_char_width(c) for c in tok)
        if line and width + w > limit and tok[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, width = tok.lstrip(), sum(_char_width(c) for c in tok.lstrip())
        else:
            line += tok
            width += w
    if line:
        lines.append(line.rstrip())
    return "\n".join(lines)


def _layout_with_header(fig: Figure, title: str, subtitle: str | None = None) -> None:
    """Tight layout below a left-aligned wrapped suptitle and a smaller grey subtitle.

    The header height is computed in inches first and the axes laid out in the space below it;
    the header is drawn afterwards because tight_layout would otherwise reserve room for the
    suptitle a second time. Works for any figure height.
    """
    w_in, h_in = fig.get_size_inches()
    usable = w_in - 0.3
    title = _wrap(title, TITLE_SIZE, usable)
    top_pad, gap, bottom_pad = 0.12, 0.08, 0.12
    used = top_pad + (title.count("\n") + 1) * TITLE_SIZE * 1.3 / 72
    sub_y = used + gap
    if subtitle:
        subtitle = _wrap(subtitle, SUBTITLE_SIZE, usable)
        used = sub_y + (subtitle.count("\n") + 1) * SUBTITLE_SIZE * 1.35 / 72
    fig.tight_layout(rect=(0, 0, 1, 1 - (used + bottom_pad) / h_in))
    fig.suptitle(title, fontsize=TITLE_SIZE, x=0.15 / w_in, y=1 - top_pad / h_in, ha="left", va="top")
    if subtitle:
        fig.text(0.15 / w_in, 1 - sub_y / h_in, subtitle, fontsize=SUBTITLE_SIZE, color="0.35",
                 ha="left", va="top")


def _repel(ax, texts: list, avoid_xy: np.ndarray | None = None, pad_px: float = 2.5,
           max_iter: int = 200) -> None:
    """Nudge text labels apart (and off the given points) until no two bounding boxes overlap.

    A small, deterministic stand-in for adjustText (not a dependency): each iteration moves every
    overlapping label half the overlap away from its neighbour, along the axis that needs the
    smaller move.
    """
    if not texts:
        return
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    to_data = ax.transData.inverted().transform
    pts = to_px(np.asarray(avoid_xy, dtype=float)) if avoid_xy is not None and len(avoid_xy) else np.empty((0, 2))
    for _ in range(max_iter):
        boxes = [t.get_window_extent(renderer).padded(pad_px) for t in texts]
        moves = np.zeros((len(texts), 2))
        for i, bi in enumerate(boxes):
            ci = np.array([(bi.x0 + bi.x1) / 2, (bi.y0 + bi.y1) / 2])
            others = [(bj.x0, bj.y0, bj.x1, bj.y1, j) for j, bj in enumerate(boxes) if j != i]
            others += [(p[0] - 5, p[1] - 5, p[0] + 5, p[1] + 5, -1) for p in pts]  # marker ~10 px
            for x0, y0, x1, y1, j in others:
                ox = min(bi.x1, x1) - max(bi.x0, x0)
                oy = min(bi.y1, y1) - max(bi.y0, y0)
                if ox <= 0 or oy <= 0:
                    continue
                cj = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
                d = ci - cj
                share = 1.0 if j < 0 else 0.5  # a point does not move, so the label takes it all
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


# --------------------------------------------------------------------------------------------
def plot_theme_shares(boot_df: pd.DataFrame, lang: str = "zh", *, sort_by_mean: bool = False) -> Figure:
    """Dot-and-whisker chart of theme shares with bootstrap intervals, one colour per city.

    Input: output of :func:`qualitylib.emphasis.bootstrap_shares` (``city, theme, share, lo, hi``;
    ``city_en``, ``ci``, ``n_boot`` used when present). Themes in dictionary order, top to bottom
    (or by mean share with ``sort_by_mean``). Output: Figure.
    """
    T = _t(lang)
    need = ["city", "theme", "share", "lo", "hi"]
    missing = [c for c in need if c not in boot_df.columns]
    if boot_df.empty or missing:
        raise ValueError(f"boot_df must be a non-empty bootstrap_shares() frame; missing {missing}")
    labels = theme_labels(lang)
    df = boot_df.copy()
    df["theme"] = df["theme"].astype(str)
    themes = [t for t in labels if t in set(df["theme"])] + sorted(set(df["theme"]) - set(labels))
    if sort_by_mean:
        means = df.groupby("theme")["share"].mean()
        themes = sorted(themes, key=lambda t: -means[t])
    en = _en_map_from(df)
    cities = city_order(df["city"].unique(), en)
    names = _city_names(cities, lang, en)
    colors = _colors(len(cities))

    n_t, n_c = len(themes), len(cities)
    fig, ax = plt.subplots(figsize=(10, 2.4 + 0.42 * n_t * max(1.0, n_c / 4)))
    band = 0.8
    offsets = (np.arange(n_c) - (n_c - 1) / 2) * (band / max(n_c, 1))
    ypos = np.arange(n_t)
    for k, (city, name, color) in enumerate(zip(cities, names, colors)):
        d = df[df["city"] == city].set_index("theme").reindex(themes)
        y = ypos + offsets[k]
        ax.hlines(y, d["lo"], d["hi"], color=color, lw=1.6, alpha=0.85)
        ax.plot(d["share"], y, "o", color=color, ms=5, label=name, zorder=3, clip_on=False)
    for i in range(0, n_t, 2):  # light bands so the dodged dots of one theme read as a group
        ax.axhspan(i - 0.5, i + 0.5, color="0.95", zorder=0)
    ax.set_yticks(ypos)
    ax.set_yticklabels([labels.get(t, t) for t in themes])
    ax.set_ylim(n_t - 0.5, -0.5)
    xmax = float(np.nanmax(df[["hi", "share"]].to_numpy()))
    ax.set_xlim(0, max(0.05, xmax * 1.05))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(T["shares_x"])
    ax.set_ylabel(T["shares_y"])
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    _despine(ax)
    ax.legend(title=T["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ci = float(df["ci"].iloc[0]) if "ci" in df.columns else 0.95
    n_boot = int(df["n_boot"].iloc[0]) if "n_boot" in df.columns else "?"
    _layout_with_header(fig, T["shares_title"], T["shares_sub"].format(ci=ci, n_boot=n_boot))
    return fig


# --------------------------------------------------------------------------------------------
def plot_dendrogram(
    linkage: np.ndarray,
    labels: Sequence[str],
    method: str = "average",
    metric: str = "cosine",
    lang: str = "zh",
    *,
    city_en: Mapping[str, str] | None = None,
    k: int | None = None,
) -> Figure:
    """Dendrogram of :func:`qualitylib.emphasis.cluster_cities`, leaves = cities, drawn sideways so
    names stay horizontal. Linkage method and distance metric are named in the title.

    Input: linkage matrix, city labels (row order of the clustered matrix), the ``method`` and
    ``metric`` used, ``lang``; ``city_en`` maps Chinese -> English names for ``lang='en'``;
    ``k`` colours the k-cluster cut (default: one colour, no cut implied). Output: Figure.
    """
    T = _t(lang)
    Z = np.asarray(linkage, dtype=float)
    if Z.ndim != 2 or Z.shape[1] != 4 or Z.shape[0] != len(labels) - 1:
        raise ValueError(f"linkage of shape {Z.shape} does not match {len(labels)} labels")
    n = len(labels)
    if k is not None and not (2 <= k <= n - 1):
        raise ValueError(f"k must be in 2..{n - 1}, got {k}")
    names = _city_names(list(labels), lang, city_en)
    fig, ax = plt.subplots(figsize=(8, 2.6 + 0.42 * n))
    # threshold halfway between the merges that leave k and k-1 clusters colours exactly k groups
    threshold = 0.0 if k is None else float((Z[-k, 2] + Z[-(k - 1), 2]) / 2)
    dendrogram(Z, labels=names, orientation="right", ax=ax, color_threshold=threshold,
               above_threshold_color="0.35", leaf_font_size=11)
    if k is not None:
        ax.axvline(threshold, color="0.6", ls="--", lw=0.8)
    fmt = dict(method=method, metric=metric, method_zh=_METHOD_ZH.get(method, method),
               metric_zh=_METRIC_ZH.get(metric, metric), k=k)
    ax.set_xlabel(T["dend_x"].format(**fmt))
    ax.set_xlim(left=0)
    _despine(ax, ("top", "right", "left"))
    sep = "" if lang == "zh" else " "
    sub = T["dend_sub"] + (sep + T["dend_sub_k"].format(**fmt) if k is not None else "")
    _layout_with_header(fig, T["dend_title"].format(**fmt), sub)
    return fig


# --------------------------------------------------------------------------------------------
def plot_silhouette(df: pd.DataFrame, lang: str = "zh") -> Figure:
    """Mean silhouette width against k, from :func:`qualitylib.emphasis.silhouette_by_k`.

    Input: DataFrame with ``k, silhouette`` (an empty one is drawn as a note with
    ``df.attrs['reason']``). Output: Figure.
    """
    T = _t(lang)
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    d = df.dropna(subset=["silhouette"]) if ("silhouette" in df.columns and not df.empty) else df.iloc[0:0]
    if d.empty:
        reason = df.attrs.get("reason", "")
        ax.text(0.5, 0.5, T["sil_empty"] + (f"\n{_wrap(reason, 11, 6)}" if reason else ""), ha="center",
                va="center", transform=ax.transAxes, fontsize=11)
        ax.set_axis_off()
    else:
        x0, x1 = float(d["k"].min()) - 0.5, float(d["k"].max()) + 0.5
        ax.axhspan(0.5, 1.0, color="#e5f2e5", zorder=0)
        ax.axhspan(0.25, 0.5, color="#f7f4e1", zorder=0)
        for y, lab in zip((0.97, 0.47), T["sil_bands"]):
            ax.text(x1 - 0.05, y, lab, ha="right", va="top", fontsize=9, color="0.4")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.plot(d["k"], d["silhouette"], "o-", color="#1f4e79", lw=1.8, ms=7, zorder=3)
        best = d.loc[d["silhouette"].idxmax()]
        ax.plot([best["k"]], [best["silhouette"]], "o", ms=15, mfc="none", mec="#c00000", mew=2, zorder=4)
        ax.annotate(T["sil_best"].format(k=int(best["k"])), (best["k"], best["silhouette"]),
                    xytext=(0, -24), textcoords="offset points", ha="center", color="#c00000", fontsize=10)
        ax.set_ylim(min(0.0, float(d["silhouette"].min()) - 0.05), 1.0)
        ax.set_xlim(x0, x1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(T["sil_x"])
        ax.set_ylabel(T["sil_y"])
        _despine(ax)
    _layout_with_header(fig, T["sil_title"], T["sil_sub"])
    return fig


# --------------------------------------------------------------------------------------------
def plot_pca_biplot(
    scores: pd.DataFrame,
    loadings: pd.DataFrame,
    evr: pd.Series | Sequence[float],
    lang: str = "zh",
    *,
    city_en: Mapping[str, str] | None = None,
    n_arrows: int = 8,
) -> Figure:
    """Biplot of :func:`qualitylib.emphasis.pca_biplot_data`: cities as points, themes as arrows.

    Arrows are rescaled to the score range (only directions and relative lengths matter). To
    keep labels readable only the ``n_arrows`` longest arrows (in the PC1-PC2 plane) are labelled
    (the rest drawn faintly) and labels are nudged apart. Cities are identified by colour in the
    legend as well as by a label next to the point. Needs at least two components (>= 3 cities).

    Input: scores (index city, PC1, PC2, ...), loadings (index theme), explained variance ratio;
    ``city_en`` maps Chinese -> English names for ``lang='en'``. Output: Figure.
    """
    T = _t(lang)
    if scores.shape[1] < 2 or loadings.shape[1] < 2:
        raise ValueError("a biplot needs at least two principal components (at least 3 cities)")
    evr = list(pd.Series(evr).to_numpy(dtype=float))
    labels = theme_labels(lang)
    cities = city_order(list(scores.index), city_en)
    scores = scores.loc[cities]
    S = scores.iloc[:, :2].to_numpy(dtype=float)
    L = loadings.iloc[:, :2].to_numpy(dtype=float)
    lengths = np.hypot(L[:, 0], L[:, 1])
    smax = np.abs(S).max()
    scale = 0.9 * smax / lengths.max() if lengths.max() > 0 and smax > 0 else 1.0
    labelled = set(np.argsort(-lengths, kind="stable")[: max(0, n_arrows)].tolist())

    fig, ax = plt.subplots(figsize=(9, 8))
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
    names = _city_names(cities, lang, city_en)
    colors = _colors(len(names))
    city_texts = []
    for (x, y), name, color in zip(S, names, colors):
        ax.scatter([x], [y], s=70, color=color, edgecolor="white", zorder=4, label=name)
        city_texts.append(ax.text(x, y - 0.04 * lim, name, fontsize=11, color=color, ha="center",
                                  va="top", zorder=6,
                                  bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8)))
    ax.set_xlabel(T["pca_x"].format(v=evr[0]))
    ax.set_ylabel(T["pca_y"].format(v=evr[1]))
    _despine(ax)
    ax.legend(title=T["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _layout_with_header(fig, T["pca_title"], T["pca_sub"].format(n=min(n_arrows, len(lengths))))
    # labels keep off city points and off arrow tips (so no label hides an arrow head)
    _repel(ax, city_texts + arrow_texts, avoid_xy=np.vstack([S, np.asarray(tips).reshape(-1, 2)]))
    # a label pushed away from its arrow tip gets a thin leader line back to it
    for txt, (x, y) in zip(arrow_texts, tips):
        tx, ty = txt.get_position()
        if np.hypot(tx - x * 1.05, ty - y * 1.05) > 0.03 * lim:
            ax.plot([x, tx], [y, ty], color="#c0504d", lw=0.5, alpha=0.6, zorder=1)
    return fig


# --------------------------------------------------------------------------------------------
def plot_tfidf_terms(df: pd.DataFrame, lang: str = "zh", *, ncols: int = 3) -> Figure:
    """Small multiples of each city's top TF-IDF character n-grams (rank 1 at the top).

    Input: output of :func:`qualitylib.emphasis.tfidf_profile` (``city, term, tfidf``;
    ``city_en``, ``rank`` used when present). The n-gram lengths in the title are read from the
    terms shown. Panels share the x scale so bar lengths compare across cities. Terms are Chinese
    in both languages (they are quoted text). Output: Figure.
    """
    T = _t(lang)
    need = ["city", "term", "tfidf"]
    missing = [c for c in need if c not in df.columns]
    if df.empty or missing:
        raise ValueError(f"df must be a non-empty tfidf_profile() frame; missing {missing}")
    en = _en_map_from(df)
    cities = city_order(df["city"].unique(), en)
    names = _city_names(cities, lang, en)
    ncols = max(1, min(ncols, len(cities)))
    nrows = int(np.ceil(len(cities) / ncols))
    top_n = int(df.groupby("city").size().max())
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.7 * ncols, 1.6 + (0.8 + 0.27 * top_n) * nrows),
                             squeeze=False)
    colors = _colors(len(cities))
    xmax = float(df["tfidf"].max()) * 1.05
    for ax, city, name, color in zip(axes.flat, cities, names, colors):
        d = df[df["city"] == city]
        d = d.sort_values("rank") if "rank" in d.columns else d.sort_values("tfidf", ascending=False)
        y = np.arange(len(d))
        ax.barh(y, d["tfidf"], color=color, alpha=0.85)
        ax.set_yticks(y)
        ax.set_yticklabels(d["term"], fontsize=10)
        ax.set_ylim(top_n - 0.5, -0.5)
        ax.set_xlim(0, xmax)
        ax.set_title(name, fontsize=12, color=color)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel(T["tfidf_x"], fontsize=9)
        _despine(ax)
    for ax in list(axes.flat)[len(cities):]:
        ax.set_axis_off()
    lens = df["term"].astype(str).str.len()
    _layout_with_header(fig, T["tfidf_title"].format(lo=int(lens.min()), hi=int(lens.max())), T["tfidf_sub"])
    return fig

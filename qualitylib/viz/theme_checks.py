"""Charts that check the policy-emphasis results (notebook 03): how well the theme coding agrees with
the hand coding, and which differences between cities survive a correction for many comparisons.

Input: :func:`qualitylib.analysis.theme_evaluation.score_labels` (per-theme scores) and
:func:`qualitylib.analysis.differences.pairwise_differences`. Output: matplotlib Axes (``plot_*``)
or titled Figures (``*_figure``); nothing is saved or shown here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..analysis.themes import city_en_map
from .labels import city_colors, city_name, city_order, text, theme_labels
from .layout import new_axes, tight_below_header, titled_figure
from .scale import MANY, scale_text
from .style import despine, styled
from .terms import keep_outer_labels_in_layout

__all__ = ["plot_theme_accuracy", "theme_accuracy_figure", "differences_figure"]

_TEXT = {
    "zh": {
        "acc_title": "主题编码与人工编码的一致程度（{method}，{n} 个句子）",
        "acc_sub": "每个主题：精确率（编码为该主题的句子中人工也这样编码的比例）、召回率（人工编码为该主题的句子中被找到的比例）"
                   "和 F1（二者的调和平均）。括号内为人工编码中该主题的句子数。竖线：宏平均 F1 = {macro:.2f}，微平均 F1 = {micro:.2f}。"
                   "规则是在阅读这些句子的分歧时写出的，这里的分数偏乐观；另一份留存样本用于独立检验。",
        "acc_x": "得分",
        "methods": {"dictionary": "词典与规则", "dictionary_no_headings": "词典与规则（不用标题）",
                    "keywords": "仅关键词", "model": "监督学习模型"},
        "precision": "精确率", "recall": "召回率", "f1": "F1",
        "diff_title": "哪些城市间的主题差异可信？经多重比较校正后 {n_credible} / {m} 个",
        "diff_sub": "每个小图比较两个城市：点为两市提及该主题的句子占比之差（前者减后者，百分点），横线为按章节区块自助法得到的"
                    "{level:.2%} 区间（{n_boot} 次重抽样），已按 {m} 个比较校正（{correction}）。彩色：校正后可信的差异"
                    "（调整后 p ≤ {alpha}），颜色为占比较高的城市；空心：未经校正时 p < {alpha}，校正后不可信；灰色：无可信差异。",
        "diff_x": "占比之差（百分点）",
        "bh": "Benjamini–Hochberg 错误发现率，区间为 Benjamini–Yekutieli 错误覆盖率水平",
        "holm": "Holm 族错误率，区间为 Bonferroni 同时区间",
        "credible": "校正后可信", "nominal": "仅未校正时 p < {alpha}", "none": "无可信差异",
    },
    "en": {
        "acc_title": "How well the theme coding agrees with the hand coding ({method}, {n} sentences)",
        "acc_sub": "Per theme: precision (of the sentences coded with the theme, the share the hand coding also gives it), "
                   "recall (of the hand-coded sentences, the share found) and F1 (their harmonic mean); in brackets "
                   "the number of hand-coded sentences. Line: macro F1 = {macro:.2f}; micro F1 = {micro:.2f}. The rules "
                   "were written while reading these sentences' disagreements, so the scores are optimistic; a "
                   "held-back sample measures them independently.",
        "acc_x": "Score",
        "methods": {"dictionary": "dictionary and rules", "dictionary_no_headings": "dictionary and rules without "
                    "headings", "keywords": "plain keywords", "model": "supervised model"},
        "precision": "precision", "recall": "recall", "f1": "F1",
        "diff_title": "Which differences in theme emphasis between cities are credible? {n_credible} of {m} after "
                      "correction",
        "diff_sub": "Each panel compares two cities: dot = difference of the shares of sentences mentioning the theme "
                    "(first city minus second, percentage points); bar = {level:.2%} block-bootstrap interval (sections "
                    "resampled {n_boot} times), corrected for {m} comparisons ({correction}). Coloured: credible after "
                    "correction (adjusted p ≤ {alpha}), in the colour of the city with the higher share; hollow: "
                    "p < {alpha} before correction only; grey: no credible difference.",
        "diff_x": "Difference of shares (percentage points)",
        "bh": "Benjamini–Hochberg false discovery rate; Benjamini–Yekutieli false-coverage intervals",
        "holm": "Holm family-wise error; simultaneous Bonferroni intervals",
        "credible": "credible after correction", "nominal": "p < {alpha} before correction only",
        "none": "no credible difference",
    },
}
_MARK = {"precision": ("s", "#4c72b0"), "recall": ("^", "#dd8452"), "f1": ("o", "#1f4e79")}


def _T(lang: str) -> dict:
    return {**text(lang), **_TEXT[lang]}


# --------------------------------------------------------------------------------------------
# per-theme agreement with the hand coding
# --------------------------------------------------------------------------------------------
def _accuracy_rows(scores: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("theme", "precision", "recall", "f1") if c not in scores.columns]
    if scores.empty or missing:
        raise ValueError(f"scores must be a non-empty score_labels() frame; missing {missing}")
    return scores.reset_index(drop=True)


@styled
def plot_theme_accuracy(scores: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Precision, recall and F1 per theme (rows, dictionary order) on a 0-1 axis, with the macro F1
    as a vertical line. Input: :func:`~qualitylib.analysis.theme_evaluation.score_labels` output
    (``n_gold`` shown in brackets when present). Output: the Axes drawn on."""
    T = _T(lang)
    df = _accuracy_rows(scores)
    ax = new_axes(ax)
    labels = theme_labels(lang)
    y = np.arange(len(df))
    for i in range(0, len(df), 2):
        ax.axhspan(i - 0.5, i + 0.5, color="0.95", zorder=0)
    for k, (measure, (marker, color)) in enumerate(_MARK.items()):
        ax.plot(df[measure], y + (k - 1) * 0.22, marker, color=color, ms=6 if measure != "f1" else 7,
                label=T[measure], zorder=3, clip_on=False)
    ax.axvline(float(df["f1"].mean()), color=_MARK["f1"][1], lw=1, ls="--", zorder=1)
    names = [labels.get(str(t), str(t)) + (f" ({int(n)})" if "n_gold" in df.columns else "")
             for t, n in zip(df["theme"], df.get("n_gold", pd.Series([0] * len(df))))]
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=9)
    ax.set_ylim(len(df) - 0.5, -0.5)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel(T["acc_x"])
    ax.grid(axis="x", color="0.88")
    ax.set_axisbelow(True)
    despine(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


@styled
def theme_accuracy_figure(scores: pd.DataFrame, *, lang: str = "zh", method: str = "dictionary",
                          n_sentences: int | None = None) -> Figure:
    """:func:`plot_theme_accuracy` under a title naming the method and sample size, and a subtitle
    with the macro/micro F1 and the in-sample caveat. Output: Figure."""
    from ..analysis.theme_evaluation import averages

    T = _T(lang)
    df = _accuracy_rows(scores)
    avg = averages(df) if {"tp", "fp", "fn"} <= set(df.columns) else {"macro_f1": float(df["f1"].mean()),
                                                                      "micro_f1": float("nan")}
    n = n_sentences if n_sentences is not None else "?"
    fig, top = titled_figure(9.0, 0.9 + 0.34 * len(df), T["acc_title"].format(method=T["methods"].get(method, method),
                                                                                n=n),
                             T["acc_sub"].format(macro=avg["macro_f1"], micro=avg["micro_f1"]))
    plot_theme_accuracy(df, ax=fig.add_subplot(111), lang=lang)
    tight_below_header(fig, top)
    return fig


# --------------------------------------------------------------------------------------------
# differences between cities
# --------------------------------------------------------------------------------------------
_DIFF_COLUMNS = ("city_a", "city_b", "theme", "diff", "lo", "hi", "p", "p_adj", "credible", "level", "alpha")


def _draw_pair(ax: Axes, d: pd.DataFrame, themes: list[str], colors: Mapping[str, tuple] | None, alpha: float) -> None:
    """``colors``: per place; None: the pair colours (first place blue, second orange)."""
    d = d.assign(theme=d["theme"].astype(str)).set_index("theme").reindex(themes)
    y = np.arange(len(themes))
    for i in range(0, len(themes), 2):
        ax.axhspan(i - 0.5, i + 0.5, color="0.96", zorder=0)
    ax.axvline(0, color="0.35", lw=0.8, zorder=1)
    # one collection of bars and one line of dots per marker style, not two artists per theme: with
    # twenty panels the artists, not the drawing, took the time (rows never overlap, so the image is the same)
    bars: list[tuple[float, float, float, object, float]] = []
    dots: dict[tuple, tuple[list[float], list[float]]] = {}
    for yy, r in zip(y, d.itertuples()):
        if bool(r.credible):
            color = (colors[r.city_a if r.diff > 0 else r.city_b] if colors is not None
                     else _PAIR[0 if r.diff > 0 else 1])
            bars.append((yy, r.lo * 100, r.hi * 100, color, 2.0))
            style = (("color", color), ("ms", 5.5))
        else:
            bars.append((yy, r.lo * 100, r.hi * 100, "0.75", 1.2))
            nominal = r.p < alpha
            style = (("ms", 5 if nominal else 3.5), ("mfc", "white" if nominal else "0.55"),
                     ("mec", "0.2" if nominal else "0.55"), ("mew", 1.2))
        xs, ys = dots.setdefault(style, ([], []))
        xs.append(r.diff * 100)
        ys.append(yy)
    if bars:
        yy, lo, hi, color, lw = zip(*bars)
        ax.hlines(yy, lo, hi, colors=list(color), linewidths=list(lw), zorder=2)
    for style, (xs, ys) in dots.items():
        ax.plot(xs, ys, "o", zorder=3, **dict(style))


def _oriented(diffs: pd.DataFrame, rank: Mapping[str, int]) -> pd.DataFrame:
    """Every pair as (first, second) in figure order: where ``city_a`` comes later, swap the cities
    and mirror the difference and its interval."""
    d = diffs.copy()
    flip = (d["city_a"].map(rank).to_numpy() > d["city_b"].map(rank).to_numpy())
    if flip.any():
        d.loc[flip, ["city_a", "city_b"]] = d.loc[flip, ["city_b", "city_a"]].to_numpy()
        lo, hi = d.loc[flip, "lo"].to_numpy(), d.loc[flip, "hi"].to_numpy()
        d.loc[flip, "diff"] = -d.loc[flip, "diff"]
        d.loc[flip, "lo"], d.loc[flip, "hi"] = -hi, -lo
    return d


_PAIR = ("#1f4e79", "#dd8452")


def _chosen_pairs(diffs: pd.DataFrame, pairs: list, rank: Mapping[str, int], k: int,
                  highlight: Sequence[str] | None) -> list:
    """The ``k`` pairs to draw: with a highlighted place first, then most credible differences,
    then the largest credible difference; in figure order."""
    cred = diffs[diffs["credible"].astype(bool)]
    index = pd.MultiIndex.from_tuples(pairs, names=["city_a", "city_b"])
    # looked up for all pairs at once: one Series.get per pair took seconds with 20,000 pairs
    n = cred.groupby(["city_a", "city_b"]).size().reindex(index, fill_value=0).to_numpy()
    big = (cred.assign(_a=cred["diff"].abs()).groupby(["city_a", "city_b"])["_a"].max()
           .reindex(index, fill_value=0.0).to_numpy())
    hl = set(highlight or [])
    keys = {p: (not (p[0] in hl or p[1] in hl), -int(c), -float(b), rank[p[0]], rank[p[1]])
            for p, c, b in zip(pairs, n, big)}
    order = sorted(pairs, key=keys.__getitem__)
    return sorted(order[:k], key=lambda p: (rank[p[0]], rank[p[1]]))


@styled
def differences_figure(diffs: pd.DataFrame, *, lang: str = "zh", city_en: Mapping[str, str] | None = None,
                       ncols: int = 5, max_pairs: int = 20, highlight: Sequence[str] | None = None) -> Figure:
    """Small multiples, one panel per city pair: the difference of theme shares (percentage points)
    with its corrected block-bootstrap interval, coloured where the difference is credible after the
    correction, hollow where it only looks so before it.

    Input: :func:`qualitylib.analysis.differences.pairwise_differences` output; Chinese -> pinyin
    ``city_en`` (default: from the frame's ``city_a_en``/``city_b_en``). Panels share the x axis, so
    the sizes compare across pairs. Output: Figure.

    At most ``max_pairs`` panels: with more pairs, those involving a place of ``highlight`` (Chinese
    names) come first, then the pairs with the most credible differences (ties: the largest credible
    difference); the subtitle says how many are shown. Beyond :data:`~qualitylib.viz.scale.MANY`
    places a panel colours the first place's side blue and the second's orange (a colour per place
    would repeat)."""
    T = _T(lang)
    missing = [c for c in _DIFF_COLUMNS if c not in diffs.columns]
    if diffs.empty or missing:
        raise ValueError(f"diffs must be a non-empty pairwise_differences() frame; missing {missing}")
    en = dict(city_en or {})
    for a, b in (("city_a", "city_a_en"), ("city_b", "city_b_en")):
        if b in diffs.columns:
            en.update({k: v for k, v in city_en_map(diffs.rename(columns={a: "city", b: "city_en"})).items()
                       if k not in en})
    cities = city_order(pd.unique(diffs[["city_a", "city_b"]].to_numpy().ravel()), en)
    colors = city_colors(cities)
    labels = theme_labels(lang)
    present = set(diffs["theme"].astype(str))
    themes = [t for t in labels if t in present] + sorted(present - set(labels))
    rank = {c: i for i, c in enumerate(cities)}
    n_credible = int(diffs["credible"].sum())
    diffs = _oriented(diffs, rank)
    pairs = sorted({(a, b) for a, b in zip(diffs["city_a"], diffs["city_b"])}, key=lambda p: (rank[p[0]], rank[p[1]]))
    n_pairs = len(pairs)
    if n_pairs > max_pairs:
        pairs = _chosen_pairs(diffs, pairs, rank, max_pairs, highlight)
        diffs = diffs[pd.MultiIndex.from_frame(diffs[["city_a", "city_b"]]).isin(pairs)]
    many = len(cities) > MANY
    ncols = max(1, min(ncols, len(pairs)))
    nrows = int(np.ceil(len(pairs) / ncols))
    alpha = float(diffs["alpha"].iloc[0])
    m = int(diffs["n_comparisons"].iloc[0]) if "n_comparisons" in diffs.columns else len(diffs)
    correction = str(diffs["correction"].iloc[0]) if "correction" in diffs.columns else "bh"
    sub = T["diff_sub"].format(level=float(diffs["level"].iloc[0]), m=m, alpha=alpha, correction=T.get(correction, correction),
                               n_boot=int(diffs["n_boot"].iloc[0]) if "n_boot" in diffs.columns else "?")
    title = T["diff_title"].format(n_credible=n_credible, m=m)
    if len(pairs) < n_pairs:
        sub += ("" if lang == "zh" else " ") + scale_text(lang)["diff_pairs"].format(k=len(pairs), n=n_pairs)
    fig, top = titled_figure(2.3 * ncols + 2.2, (0.55 + 0.2 * len(themes)) * nrows + 0.7, title, sub)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
    span = float(np.nanmax(np.abs(diffs[["lo", "hi"]].to_numpy()))) * 100 * 1.05 or 1.0
    for ax, (a, b) in zip(axes.flat, pairs):
        d = diffs[(diffs["city_a"] == a) & (diffs["city_b"] == b)]
        _draw_pair(ax, d, themes, None if many else colors, alpha)
        ax.set_title(f"{city_name(a, lang, en)} − {city_name(b, lang, en)}", fontsize=10)
        ax.set_xlim(-span, span)
        ax.tick_params(axis="x", labelsize=8)
        despine(ax, ("top", "right"))
    for ax in axes[:, 0]:
        ax.set_yticks(np.arange(len(themes)))
        ax.set_yticklabels([labels.get(t, t) for t in themes], fontsize=8.5)
        ax.set_ylim(len(themes) - 0.5, -0.5)
    for ax in list(axes.flat)[len(pairs):]:
        ax.set_axis_off()
    handles = [Line2D([], [], marker="o", color=_PAIR[0] if many else colors[cities[0]], lw=2, label=T["credible"]),
               Line2D([], [], marker="o", mfc="white", mec="0.2", color="0.75", lw=1.2,
                      label=T["nominal"].format(alpha=alpha)),
               Line2D([], [], marker="o", color="0.75", mfc="0.55", mec="0.55", ms=3.5, lw=1.2, label=T["none"])]
    h_in = fig.get_size_inches()[1]
    fig.text(0.5, 0.42 / h_in, T["diff_x"], ha="center", va="center", fontsize=10)
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=9)
    renderer = fig.canvas.get_renderer()
    drawn = list(axes.flat)[:len(pairs)]
    for ax in axes[:, 0]:  # theme ticks are fixed: the outer labels stay outer through the layout
        keep_outer_labels_in_layout(ax.get_yticklabels(), renderer)
    tight_below_header(fig, top, bottom=0.6 / h_in)
    for ax in drawn:  # x ticks follow the panel width: only once it is final
        keep_outer_labels_in_layout(ax.get_xticklabels(), renderer)
    return fig

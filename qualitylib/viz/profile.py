"""Charts of one city (notebook 04): its targets, its theme emphasis, its nearest peers.

Input: the indicator table (and ``documents.csv``), the block-bootstrap theme shares of
:func:`qualitylib.analysis.themes.bootstrap_shares` (and the corrected differences of
:func:`qualitylib.analysis.differences.pairwise_differences`), or the peers of
:func:`qualitylib.analysis.comparability.nearest_peers`, plus a city in Chinese or pinyin. Output:
matplotlib Axes (``plot_*``) or titled Figures (``*_figure``); nothing is saved or shown here.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .labels import (
    FAMILY_ORDER,
    city_name,
    indicator_label,
    resolve_city,
    series_label,
    shorten,
    target_text,
    text,
    theme_labels,
)
from .layout import (
    axes_message,
    empty_figure,
    new_axes,
    tight_below_header,
    titled_figure,
)
from .scale import MANY, scale_text
from .style import despine, styled

__all__ = [
    "plot_city_targets",
    "city_targets_figure",
    "plot_city_emphasis",
    "city_emphasis_figure",
    "plot_nearest_peers",
    "nearest_peers_figure",
]

_CITY_BLUE = "#1f4e79"  # the city in focus; other cities are grey
_COL_WIDTHS = [2.6, 1.3, 1.2, 1.3, 4.6]  # inches per table column
_TABLE_PT = 8.5
_ROW_GAP = 0.35  # blank space between table rows, in text lines


# --------------------------------------------------------------------------------------------
# targets as a table
# --------------------------------------------------------------------------------------------
def _target_cells(table: pd.DataFrame, city: str, lang: str,
                  documents: pd.DataFrame | None) -> tuple[str, str, list[list[str]]]:
    """The city's display name, the source line (title and date of its document, '' without
    documents) and the table cells, one list of five wrapped strings per indicator."""
    T = text(lang)
    base = documents if documents is not None and not documents.empty else table
    zh, en = resolve_city(base, city)
    rows = table[table["city"] == zh].copy()
    fam_rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    rows = rows.assign(_f=rows["family"].map(fam_rank).fillna(9)).sort_values(["_f", "code"], kind="mergesort")
    src = ""
    if documents is not None and not documents.empty:
        d = documents[documents["city"] == zh]
        if not d.empty:
            src = T["table_sub"].format(title=d.iloc[0].get("title", ""), issued=d.iloc[0].get("issued", ""))
    w, fs = _COL_WIDTHS, _TABLE_PT
    cells = []
    for r in rows.to_dict("records"):
        year = "" if pd.isna(r.get("target_year")) else str(int(r["target_year"]))
        kind = T["kind"].get(str(r["kind"]), str(r["kind"]))
        line = "" if pd.isna(r.get("line")) else f" ({int(r['line'])})"
        extra = "" if int(r.get("n_values", 1) or 1) <= 1 else (f" (+{int(r['n_values']) - 1})")
        cells.append([
            shorten(indicator_label(r, lang), w[0] - 0.15, fs, 2),
            shorten(series_label(r["series"], lang) + _scope_note(r, T), w[1] - 0.1, fs, 2),
            target_text(r, lang) + extra,
            f"{kind} · {year}",
            shorten(str(r.get("quote", "")) + line, w[4] - 0.15, fs, 3),
        ])
    return city_name(zh, lang, en), src, cells


def _scope_note(row: dict, T: dict) -> str:
    """'' for a whole-jurisdiction target; else its scope and the words that name the subset."""
    scope = str(row.get("scope") or "jurisdiction")
    if scope == "jurisdiction":
        return ""
    subject = row.get("subject")
    subject = "" if subject is None or pd.isna(subject) else f": {subject}"
    return f"\n({T['scope'].get(scope, scope)}{subject})"


def _table_lines(cells: list[list[str]]) -> tuple[list[int], float]:
    """Text lines per row, and the table height in text lines (header row included)."""
    n_lines = [max(c.count("\n") + 1 for c in row) for row in cells]
    return n_lines, 1 + sum(n_lines) + _ROW_GAP * len(cells)


@styled
def plot_city_targets(table: pd.DataFrame, city: str, *, ax: Axes | None = None, lang: str = "zh",
                      documents: pd.DataFrame | None = None) -> Axes:
    """One city's headline targets as a table: indicator, series, target, kind and year, and the
    quote (with line number) the value was read from. Input: indicator table, city (Chinese or
    pinyin); optional documents (to accept a city that sets no coded target). Output: the Axes
    drawn on (axis hidden; one data unit = one text line)."""
    T = text(lang)
    _, _, cells = _target_cells(table, city, lang, documents)
    ax = new_axes(ax)
    if not cells:
        return axes_message(ax, T["table_none"])
    ax.set_axis_off()
    n_lines, total = _table_lines(cells)
    fs = _TABLE_PT
    ax.set_xlim(0, sum(_COL_WIDTHS))
    ax.set_ylim(total, 0)
    xs = np.cumsum([0] + _COL_WIDTHS[:-1]) + 0.05
    for x, head in zip(xs, T["table_cols"]):
        ax.text(x, 0.5, head, fontsize=fs + 0.5, va="center")
    ax.axhline(1.0, color="0.2", lw=1)
    y = 1.0
    for k, (row, n) in enumerate(zip(cells, n_lines)):
        h = n + _ROW_GAP
        if k % 2 == 1:
            ax.axhspan(y, y + h, color="0.96", zorder=0)
        for x, txt in zip(xs, row):
            ax.text(x, y + 0.18, txt, fontsize=fs, va="top", linespacing=1.25)
        y += h
    ax.axhline(y, color="0.2", lw=1)
    return ax


@styled
def city_targets_figure(table: pd.DataFrame, city: str, *, lang: str = "zh",
                        documents: pd.DataFrame | None = None) -> Figure:
    """:func:`plot_city_targets` under a title naming the city and a line naming its document,
    sized to the table. Output: Figure."""
    T = text(lang)
    name, src, cells = _target_cells(table, city, lang, documents)
    title = T["table_title"].format(city=name)
    if not cells:
        return empty_figure(title, T["table_none"], width=11)
    _, total = _table_lines(cells)
    unit_in = _TABLE_PT * 1.6 / 72.0  # one data unit (a text line at linespacing 1.25, plus slack) in inches
    fig, top = titled_figure(sum(_COL_WIDTHS) + 0.3, total * unit_in + 0.1, title, src or None)
    # a table needs no tick labels: the axes take the whole body, no tight layout
    plot_city_targets(table, city, ax=fig.add_axes((0.01, 0.01, 0.98, top - 0.02)), lang=lang, documents=documents)
    return fig


# --------------------------------------------------------------------------------------------
# theme emphasis against the other cities
# --------------------------------------------------------------------------------------------
def _present_themes(boot: pd.DataFrame, lang: str) -> tuple[dict[str, str], list[str]]:
    labels = theme_labels(lang)
    return labels, [t for t in labels if t in set(boot["theme"].astype(str))]


_EMPH_TEXT = {
    "zh": {
        "emph_sub_blocks": "彩色点与横线：{city}提及该主题的政策句子占比及 {ci:.0%} 区块自助法区间（按章节整体重抽样 {n_boot} 次）；"
                           "灰点：其他城市的占比。",
        "emph_sub_sentences": "彩色点与横线：{city}提及该主题的政策句子占比及 {ci:.0%} 自助法区间（逐句重抽样 {n_boot} 次，偏窄）；"
                              "灰点：其他城市的占比。",
        "emph_sub_diffs": "带黑圈的灰点：经 {m} 个比较校正后与{city}差异可信的城市（本图中 {n} 个）；无黑圈则数据不足以区分，"
                          "不论区间是否重叠。",
        "emph_sub_nodiffs": "一个城市的区间并不检验两市之差：可信的差异见 03 号笔记本的差异图。",
        "credible_other": "差异可信的城市",
    },
    "en": {
        "emph_sub_blocks": "Coloured dot and bar: share of {city}'s policy sentences mentioning the theme with a {ci:.0%} "
                           "block-bootstrap interval (whole sections resampled {n_boot} times); grey dots: the other "
                           "cities.",
        "emph_sub_sentences": "Coloured dot and bar: share of {city}'s policy sentences mentioning the theme with a "
                              "{ci:.0%} bootstrap interval (single sentences resampled {n_boot} times: too narrow); grey "
                              "dots: the other cities.",
        "emph_sub_diffs": "A grey dot ringed in black differs credibly from {city} after correction for {m} comparisons "
                          "({n} here); without a ring the data cannot tell the two apart, overlapping or not.",
        "emph_sub_nodiffs": "One city's interval is no test of a difference between two cities: see the differences "
                            "figure of notebook 03.",
        "credible_other": "credibly different city",
    },
}


def _credible_others(differences: pd.DataFrame | None, zh: str) -> pd.DataFrame:
    """(theme, other city) pairs whose difference with ``zh`` is credible."""
    if differences is None or differences.empty:
        return pd.DataFrame(columns=["theme", "other"])
    d = differences[differences["credible"].astype(bool) & ((differences["city_a"] == zh) | (differences["city_b"] == zh))]
    other = np.where(d["city_a"] == zh, d["city_b"], d["city_a"])
    return pd.DataFrame({"theme": d["theme"].astype(str).to_numpy(), "other": other})


@styled
def plot_city_emphasis(boot: pd.DataFrame, city: str, *, ax: Axes | None = None, lang: str = "zh",
                       differences: pd.DataFrame | None = None) -> Axes:
    """One city's theme shares with bootstrap intervals, against the other cities' shares (grey).
    Input: :func:`qualitylib.analysis.themes.bootstrap_shares` output, a city (Chinese or pinyin),
    optionally :func:`qualitylib.analysis.differences.pairwise_differences` output: other cities
    that differ credibly from this one on a theme get a black ring. Output: the Axes drawn on."""
    T = {**text(lang), **_EMPH_TEXT[lang]}
    ax = new_axes(ax)
    zh, en = resolve_city(boot, city)
    name = city_name(zh, lang, en)
    labels, themes = _present_themes(boot, lang)
    me = boot[boot["city"] == zh].assign(theme=lambda d: d["theme"].astype(str)).set_index("theme").reindex(themes)
    others = boot[boot["city"] != zh].assign(theme=lambda d: d["theme"].astype(str))
    ypos = {t: i for i, t in enumerate(themes)}
    for i in range(len(themes)):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="0.96", zorder=0)
    credible = _credible_others(differences, zh)
    many = others["city"].nunique() > MANY
    if many:  # the others as a distribution: 10-90% range, middle half, median; credible counts at the right
        S = scale_text(lang)
        for t, g in others.groupby("theme"):
            q = g["share"].quantile([0.1, 0.25, 0.5, 0.75, 0.9]).to_numpy()
            y = ypos.get(t)
            if y is None:
                continue
            ax.hlines(y, q[0], q[4], color="0.8", lw=6, zorder=1)
            ax.hlines(y, q[1], q[3], color="0.6", lw=6, zorder=1)
            ax.plot([q[2]], [y], "|", color="0.15", ms=11, mew=2, zorder=2)
        ax.plot([], [], color="0.8", lw=6, label=S["others_range"].format(n=others["city"].nunique()))
        ax.plot([], [], color="0.6", lw=6, label=S["others_iqr"])
        ax.plot([], [], "|", color="0.15", ms=11, mew=2, label=S["median"])
        if not credible.empty:
            mine = me["share"]
            cr = others.merge(credible, left_on=["theme", "city"], right_on=["theme", "other"])
            for t, g in cr.groupby("theme"):
                if t in ypos:
                    hi = int((g["share"] > mine.get(t, np.nan)).sum())
                    ax.annotate(S["credible_counts"].format(hi=hi, lo=len(g) - hi), (1.0, ypos[t]),
                                xycoords=("axes fraction", "data"), xytext=(6, 0), textcoords="offset points",
                                va="center", fontsize=7.5, color="0.25")
    else:
        ax.plot(others["share"], others["theme"].map(ypos), "o", color="0.7", ms=5, label=T["others"], zorder=2)
    if not credible.empty and not many:
        ringed = others.merge(credible, left_on=["theme", "city"], right_on=["theme", "other"])
        ax.plot(ringed["share"], ringed["theme"].map(ypos), "o", mfc="0.7", mec="black", mew=1.4, ms=7,
                label=T["credible_other"], zorder=3)
    y = np.arange(len(themes))
    ax.hlines(y, me["lo"], me["hi"], color=_CITY_BLUE, lw=2.2, zorder=3)
    ax.plot(me["share"], y, "o", color=_CITY_BLUE, ms=8, label=name, zorder=4)
    ax.set_yticks(y)
    ax.set_yticklabels([labels[t] for t in themes], fontsize=9)
    ax.set_ylim(len(themes) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(T["emph_x"])
    ax.grid(axis="x", color="0.88")
    ax.set_axisbelow(True)
    despine(ax)
    if many:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False, fontsize=8.5)
    else:
        ax.legend(loc="lower right", frameon=True, fontsize=9)
    return ax


@styled
def city_emphasis_figure(boot: pd.DataFrame, city: str, *, lang: str = "zh",
                         differences: pd.DataFrame | None = None) -> Figure:
    """:func:`plot_city_emphasis` with a title naming the city and a subtitle saying how the interval
    was made and how (not) to read overlaps. Output: Figure."""
    T = {**text(lang), **_EMPH_TEXT[lang]}
    zh, en = resolve_city(boot, city)
    name = city_name(zh, lang, en)
    _, themes = _present_themes(boot, lang)
    ci = float(boot["ci"].iloc[0]) if "ci" in boot.columns else 0.95
    n_boot = int(boot["n_boot"].iloc[0]) if "n_boot" in boot.columns else 0
    blocks = int(boot["block_depth"].iloc[0]) if "block_depth" in boot.columns else 0
    sub = T["emph_sub_blocks" if blocks else "emph_sub_sentences"].format(city=name, ci=ci, n_boot=n_boot)
    sep = "" if lang == "zh" else " "
    if boot.loc[boot["city"] != zh, "city"].nunique() > MANY:
        sub = sub.split("；" if lang == "zh" else "; grey dots")[0] + ("；" if lang == "zh" else "; ")
        sub += scale_text(lang)["emph_many"]
        if differences is not None and not differences.empty:
            m = int(differences["n_comparisons"].iloc[0]) if "n_comparisons" in differences.columns else len(differences)
            sub += sep + scale_text(lang)["emph_many_diffs"].format(city=name, m=m)
    elif differences is not None and not differences.empty:
        m = int(differences["n_comparisons"].iloc[0]) if "n_comparisons" in differences.columns else len(differences)
        sub += sep + T["emph_sub_diffs"].format(city=name, m=m, n=len(_credible_others(differences, zh)))
    else:
        sub += sep + T["emph_sub_nodiffs"]
    fig, top = titled_figure(9.0, 0.9 + 0.36 * len(themes), T["emph_title"].format(city=name), sub)
    plot_city_emphasis(boot, city, ax=fig.add_subplot(111), lang=lang, differences=differences)
    tight_below_header(fig, top)
    return fig


# --------------------------------------------------------------------------------------------
# nearest peers
# --------------------------------------------------------------------------------------------
@styled
def plot_nearest_peers(peers: pd.DataFrame, city: str, *, ax: Axes | None = None, lang: str = "zh",
                       city_en: Mapping[str, str] | None = None, top: int | None = 10) -> Axes:
    """Lollipop chart of :func:`~qualitylib.analysis.comparability.nearest_peers` (most similar on
    top), the ``top`` most similar only (None: all). Input: peers frame, the city's Chinese name,
    Chinese -> pinyin map. Output: the Axes."""
    T = text(lang)
    ax = new_axes(ax)
    peers = _top_peers(peers, top)
    if peers.empty:
        ax.set_axis_off()
        return ax
    city_en = dict(city_en or {})
    y = np.arange(len(peers))
    vals = peers["cosine"].to_numpy(dtype=float)
    # similarities are all high: start the axis just below the lowest so the order is visible
    lo = max(0.0, float(np.nanmin(vals)) - 0.05)
    ax.hlines(y, lo, vals, color="0.6", lw=2)
    ax.plot(vals, y, "o", color=_CITY_BLUE, ms=9, zorder=3)
    for yy, v in zip(y, vals):
        ax.annotate(f"{v:.3f}", (v, yy), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels([city_name(p, lang, city_en) for p in peers["peer"]], fontsize=10)
    ax.set_ylim(len(peers) - 0.5, -0.5)
    ax.set_xlim(lo, 1.0 + (1.0 - lo) * 0.12)
    ax.set_xlabel(T["peers_x"].format(city=city_name(city, lang, city_en)))
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    despine(ax, ("top", "right", "left"))
    return ax


def _top_peers(peers: pd.DataFrame, top: int | None) -> pd.DataFrame:
    if top is None or len(peers) <= top:
        return peers
    order = peers.sort_values("rank", kind="mergesort") if "rank" in peers.columns else peers
    return order.head(top).reset_index(drop=True)


@styled
def nearest_peers_figure(peers: pd.DataFrame, city: str, *, lang: str = "zh",
                         city_en: Mapping[str, str] | None = None, top: int | None = 10) -> Figure:
    """:func:`plot_nearest_peers` with a title naming the city and a warning not to read the gaps;
    the ``top`` most similar places (default 10; None: all), the subtitle says of how many.
    Output: Figure."""
    T = text(lang)
    name = city_name(city, lang, dict(city_en or {}))
    shown = _top_peers(peers, top)
    sub = T["peers_sub"].format(n=len(peers) + 1)
    if len(shown) < len(peers):
        sub += ("" if lang == "zh" else " ") + scale_text(lang)["peers_top"].format(k=len(shown), n=len(peers))
    fig, top_ = titled_figure(8.0, 1.0 + 0.45 * max(len(shown), 1), T["peers_title"].format(city=name), sub)
    plot_nearest_peers(peers, city, ax=fig.add_subplot(111), lang=lang, city_en=city_en, top=top)
    tight_below_header(fig, top_)
    return fig

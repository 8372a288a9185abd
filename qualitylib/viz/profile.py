"""Charts of one city (notebook 04): its targets, its theme emphasis, its nearest peers.

Input: the indicator table (and ``documents.csv``), the block-bootstrap theme shares of
:func:`qualitylib.analysis.themes.bootstrap_shares` (and the corrected differences of
:func:`qualitylib.analysis.differences.pairwise_differences`), or the peers of
:func:`qualitylib.analysis.comparability.nearest_peers`, plus a city in Chinese or pinyin. Output:
matplotlib Axes (``plot_*``) or titled Figures (``*_figure``); nothing is saved or shown here.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import (
    FigureCanvasAgg,
)
from matplotlib.figure import Figure
from matplotlib.text import Text
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
    titled_figure,
)
from .scale import MANY, scale_text
from .style import SAVE_DPI, despine, styled

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
# fixed layout: margins from measured text instead of tight_layout and bbox_inches='tight'
# --------------------------------------------------------------------------------------------
# A run draws these two figures for every plan and language (hundreds of pages). tight_layout and a
# tight bounding box each lay out every text once more before the real draw, and were most of a
# page's CPU; the margins are instead computed from the label sizes, measured once per process.
_PAD_IN = 0.1  # blank border round the figure, as bbox_inches='tight' leaves (pad_inches)
_MEASURE: dict[tuple, tuple[float, float]] = {}
_MEASURER: list = []  # [Figure, renderer] made on first use


def _text_box_in(s: str, size: float) -> tuple[float, float]:
    """Input: one line of text and a font size in points. Output: (width, height) in inches as Agg
    lays it out at the saved dpi, in the font of the current style. Cached per process: the theme
    labels, place names and tick labels recur on every page."""
    rc = matplotlib.rcParams
    key = (s, float(size), tuple(rc["font.family"]), tuple(rc["font.sans-serif"]), rc["text.hinting"])
    hit = _MEASURE.get(key)
    if hit is None:
        if not _MEASURER:
            fig = Figure(dpi=SAVE_DPI)
            _MEASURER.extend([fig, FigureCanvasAgg(fig).get_renderer()])
        fig, renderer = _MEASURER
        t = Text(0, 0, s, fontsize=size)  # takes its font from the style now in force
        t.set_figure(fig)
        bb = t.get_window_extent(renderer)
        hit = _MEASURE[key] = (bb.width / SAVE_DPI, bb.height / SAVE_DPI)
    return hit


def _widest_in(texts, size: float) -> float:
    return max((_text_box_in(str(s), size)[0] for s in texts), default=0.0)


def _tick_room_in(axis: str) -> float:
    """Tick length plus the gap to its label, in inches (rcParams of the current style)."""
    rc = matplotlib.rcParams
    return (rc[f"{axis}tick.major.size"] + rc[f"{axis}tick.major.pad"]) / 72.0


def _x_decor_in(xlabel: str) -> float:
    """Height below the axes taken by x tick labels and the x label, in inches."""
    size = matplotlib.rcParams["font.size"]
    return (_tick_room_in("x") + _text_box_in("0123456789%.", size)[1]
            + matplotlib.rcParams["axes.labelpad"] / 72.0 + _text_box_in(xlabel or "Ag国", size)[1])


def _body_axes(fig: Figure, top: float, left_in: float, right_in: float, bottom_in: float) -> Axes:
    """Input: a titled figure, the top of its body (figure fraction) and the margins in inches.
    Output: the Axes filling the body inside those margins."""
    w, h = fig.get_size_inches()
    top_in = h * (1.0 - top) + _PAD_IN
    return fig.add_axes((left_in / w, bottom_in / h, max(0.05, 1 - (left_in + right_in) / w),
                         max(0.05, 1 - (top_in + bottom_in) / h)))


def _fit_xlabel(ax: Axes, size: float) -> None:
    """An x label wider than the axes (a long place name in it) ends at the axes' right edge instead
    of overhanging both sides: the left margin, wide for the row labels, takes what is left over."""
    label = ax.xaxis.label
    w_in = ax.figure.get_size_inches()[0] * ax.get_position().width
    if _text_box_in(label.get_text(), size)[0] > w_in:
        label.set_x(1.0)
        label.set_horizontalalignment("right")


def _count_text(m: int, lang: str) -> str:
    """A count as a reader of ``lang`` writes it: 332,325 in English; in Chinese 33.2万 from ten
    thousand on (digits alone below; the templates space it off like any number)."""
    if lang == "zh" and m >= 10_000:
        return f"{m / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    return f"{m:,}"


def _resolve(frame: pd.DataFrame, city: str) -> tuple[str, str]:
    """:func:`resolve_city` for a Chinese name present in ``frame`` without building and sorting the
    whole city table (it ran several times per page); anything else goes to :func:`resolve_city`."""
    if "city_en" not in frame.columns:
        return resolve_city(frame, city)
    firsts = frame.drop_duplicates("city")
    zh = firsts["city"].to_numpy(dtype=object)
    hit = np.flatnonzero(zh == city)
    if not len(hit):
        return resolve_city(frame, city)
    en_all = firsts["city_en"].to_numpy(dtype=object)
    en_all = np.where(pd.isna(en_all), zh, en_all).astype(str)
    en = en_all[hit[0]]
    # as city_table: a pinyin shared by several places (泰州/台州) carries the Chinese name too
    return str(city), (f"{en} ({city})" if (en_all == en).sum() > 1 else en)


# --------------------------------------------------------------------------------------------
# theme emphasis against the other cities
# --------------------------------------------------------------------------------------------
def _present_themes(boot: pd.DataFrame, lang: str) -> tuple[dict[str, str], list[str]]:
    labels = theme_labels(lang)
    present = set(boot["theme"].astype(str).unique())
    return labels, [t for t in labels if t in present]


_EMPH_TEXT = {
    "zh": {
        "emph_sub_blocks": "彩色点与横线：{city}提及该主题的政策句子占比及 {ci:.0%} 区块自助法区间（按章节整体重抽样 {n_boot} 次）；"
                           "灰点：其他城市的占比。",
        "emph_sub_sentences": "彩色点与横线：{city}提及该主题的政策句子占比及 {ci:.0%} 自助法区间（逐句重抽样 {n_boot} 次，偏窄）；"
                              "灰点：其他城市的占比。",
        "emph_sub_diffs": "带黑圈的灰点：经 {m} 次比较的多重校正后与{city}差异可信的城市（本图中 {n} 个）；无黑圈则数据不足以区分，"
                          "不论区间是否重叠。",
        "emph_sub_nodiffs": "一个城市的区间并不检验两市之差：可信的差异见 03 号笔记本的差异图。",
        "emph_many_diffs": "右侧：经 {m} 次比较的多重校正后，占比比{city}可信地更高 / 更低的地方数。",
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
        "emph_many_diffs": "Right: how many places have a credibly higher / lower share than {city} after correction "
                           "for {m} comparisons.",
        "credible_other": "credibly different city",
    },
}
_EMPH_LABEL_PT, _EMPH_LEGEND_PT, _COUNT_PT = 9.0, 8.5, 7.5
_COUNT_OFFSET_PT = 6.0


def _credible_others(differences: pd.DataFrame | None, zh: str) -> pd.DataFrame:
    """(theme, other city) pairs whose difference with ``zh`` is credible."""
    if differences is None or differences.empty:
        return pd.DataFrame(columns=["theme", "other"])
    a = differences["city_a"].to_numpy(dtype=object)
    b = differences["city_b"].to_numpy(dtype=object)
    keep = differences["credible"].to_numpy(dtype=bool) & ((a == zh) | (b == zh))
    other = np.where(a[keep] == zh, b[keep], a[keep])
    return pd.DataFrame({"theme": differences["theme"].astype(str).to_numpy(dtype=object)[keep], "other": other})


@dataclass
class _Emphasis:
    """What the emphasis chart draws, as arrays over ``themes`` (rows of the chart)."""

    zh: str
    name: str
    themes: list[str]
    labels: list[str]
    share: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    n_others: int
    many: bool
    quantiles: np.ndarray | None  # themes x (10, 25, 50, 75, 90 %) of the other places (many)
    other_x: np.ndarray  # every other place's share and row (few)
    other_y: np.ndarray
    ring_x: np.ndarray  # credibly different other places (few)
    ring_y: np.ndarray
    counts: list[tuple[int, int, int]]  # (row, higher, lower) of credibly different places (many)


def _emphasis_data(boot: pd.DataFrame, city: str, lang: str, differences: pd.DataFrame | None) -> _Emphasis:
    """Input: bootstrap shares, a city, a language and (optionally) pairwise differences. Output: the
    arrays the chart draws, from numpy columns (the frame holds every place x theme: per-theme
    pandas selections were a large part of a page's time)."""
    zh, en = _resolve(boot, city)
    labels, themes = _present_themes(boot, lang)
    row = {t: i for i, t in enumerate(themes)}
    cities = boot["city"].to_numpy(dtype=object)
    theme = boot["theme"].astype(str).to_numpy(dtype=object)
    share = boot["share"].to_numpy(dtype=float)
    mine = cities == zh
    ypos = np.array([row.get(t, -1) for t in theme])

    def by_row(values: np.ndarray) -> np.ndarray:
        out = np.full(len(themes), np.nan)
        sel = mine & (ypos >= 0)
        out[ypos[sel][::-1]] = values[sel][::-1]  # the first row of a theme wins, as reindex does
        return out

    me_share = by_row(share)
    lo = by_row(boot["lo"].to_numpy(dtype=float)) if "lo" in boot.columns else me_share
    hi = by_row(boot["hi"].to_numpy(dtype=float)) if "hi" in boot.columns else me_share
    others = ~mine & (ypos >= 0)
    n_others = len(set(cities[~mine]))
    many = n_others > MANY
    credible = _credible_others(differences, zh)
    quantiles, counts = None, []
    empty = np.empty(0)
    other_x = other_y = ring_x = ring_y = empty
    if many:
        quantiles = np.full((len(themes), 5), np.nan)
        for i in range(len(themes)):
            vals = share[others & (ypos == i)]
            vals = vals[~np.isnan(vals)]
            if len(vals):
                quantiles[i] = np.quantile(vals, [0.1, 0.25, 0.5, 0.75, 0.9])
    else:
        other_x, other_y = share[others], ypos[others].astype(float)
    if not credible.empty:
        pairs = set(zip(credible["theme"], credible["other"]))
        hit = np.array([(t, c) in pairs for t, c in zip(theme, cities)]) & others
        if many:
            for i in range(len(themes)):
                g = share[hit & (ypos == i)]
                if len(g):
                    higher = int((g > me_share[i]).sum())
                    counts.append((i, higher, len(g) - higher))
        else:
            ring_x, ring_y = share[hit], ypos[hit].astype(float)
    return _Emphasis(zh=zh, name=city_name(zh, lang, en), themes=themes, labels=[labels[t] for t in themes],
                     share=me_share, lo=lo, hi=hi, n_others=n_others, many=many, quantiles=quantiles,
                     other_x=other_x, other_y=other_y, ring_x=ring_x, ring_y=ring_y, counts=counts)


def _draw_emphasis(ax: Axes, e: _Emphasis, lang: str, legend_at: tuple[float, float] | None = None) -> Axes:
    """Draw :class:`_Emphasis` on ``ax``; ``legend_at``: where the legend's bottom edge is centred (figure
    fraction; the page reserves room), else below the axes (many places) or lower right (few)."""
    T = {**text(lang), **_EMPH_TEXT[lang]}
    S = scale_text(lang)
    n = len(e.themes)
    y = np.arange(n, dtype=float)
    for i in range(0, n, 2):
        ax.axhspan(i - 0.5, i + 0.5, color="0.96", zorder=0)
    if e.many:
        q = e.quantiles
        ok = ~np.isnan(q[:, 0])
        # one collection per band instead of one per theme: the same lines, fewer artists to draw
        ax.hlines(y[ok], q[ok, 0], q[ok, 4], color="0.8", lw=6, zorder=1)
        ax.hlines(y[ok], q[ok, 1], q[ok, 3], color="0.6", lw=6, zorder=1)
        ax.plot(q[ok, 2], y[ok], "|", color="0.15", ms=11, mew=2, zorder=2, linestyle="none")
        ax.plot([], [], color="0.8", lw=6, label=S["others_range"].format(n=e.n_others))
        ax.plot([], [], color="0.6", lw=6, label=S["others_iqr"])
        ax.plot([], [], "|", color="0.15", ms=11, mew=2, label=S["median"])
        for i, higher, lower in e.counts:
            ax.annotate(S["credible_counts"].format(hi=higher, lo=lower), (1.0, i),
                        xycoords=("axes fraction", "data"), xytext=(_COUNT_OFFSET_PT, 0), textcoords="offset points",
                        va="center", fontsize=_COUNT_PT, color="0.25")
    else:
        ax.plot(e.other_x, e.other_y, "o", color="0.7", ms=5, label=T["others"], zorder=2)
        if len(e.ring_x):
            ax.plot(e.ring_x, e.ring_y, "o", mfc="0.7", mec="black", mew=1.4, ms=7,
                    label=T["credible_other"], zorder=3)
    ax.hlines(y, e.lo, e.hi, color=_CITY_BLUE, lw=2.2, zorder=3)
    ax.plot(e.share, y, "o", color=_CITY_BLUE, ms=8, label=e.name, zorder=4)
    ax.set_yticks(y)
    ax.set_yticklabels(e.labels, fontsize=_EMPH_LABEL_PT)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(T["emph_x"])
    ax.grid(axis="x", color="0.88")
    ax.set_axisbelow(True)
    despine(ax)
    if legend_at is not None:
        ax.legend(loc="lower center", bbox_to_anchor=legend_at, bbox_transform=ax.figure.transFigure, ncol=2,
                  frameon=False, fontsize=_EMPH_LEGEND_PT)
    elif e.many:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False, fontsize=_EMPH_LEGEND_PT)
    else:
        ax.legend(loc="lower right", frameon=True, fontsize=9)
    return ax


@styled
def plot_city_emphasis(boot: pd.DataFrame, city: str, *, ax: Axes | None = None, lang: str = "zh",
                       differences: pd.DataFrame | None = None) -> Axes:
    """One city's theme shares with bootstrap intervals, against the other cities' shares (grey).
    Input: :func:`qualitylib.analysis.themes.bootstrap_shares` output, a city (Chinese or pinyin),
    optionally :func:`qualitylib.analysis.differences.pairwise_differences` output: other cities
    that differ credibly from this one on a theme get a black ring. Output: the Axes drawn on."""
    return _draw_emphasis(new_axes(ax), _emphasis_data(boot, city, lang, differences), lang)


def _emphasis_subtitle(boot: pd.DataFrame, e: _Emphasis, lang: str, differences: pd.DataFrame | None) -> str:
    T = {**text(lang), **_EMPH_TEXT[lang]}
    ci = float(boot["ci"].iloc[0]) if "ci" in boot.columns else 0.95
    n_boot = int(boot["n_boot"].iloc[0]) if "n_boot" in boot.columns else 0
    blocks = int(boot["block_depth"].iloc[0]) if "block_depth" in boot.columns else 0
    sub = T["emph_sub_blocks" if blocks else "emph_sub_sentences"].format(city=e.name, ci=ci, n_boot=n_boot)
    sep = "" if lang == "zh" else " "
    has_diffs = differences is not None and not differences.empty
    m = 0
    if has_diffs:
        m = int(differences["n_comparisons"].iloc[0]) if "n_comparisons" in differences.columns else len(differences)
    if e.many:
        sub = sub.split("；" if lang == "zh" else "; grey dots")[0] + ("；" if lang == "zh" else "; ")
        sub += scale_text(lang)["emph_many"]
        if has_diffs:
            sub += sep + T["emph_many_diffs"].format(city=e.name, m=_count_text(m, lang))
    elif has_diffs:
        sub += sep + T["emph_sub_diffs"].format(city=e.name, m=_count_text(m, lang),
                                                n=len(_credible_others(differences, e.zh)))
    else:
        sub += sep + T["emph_sub_nodiffs"]
    return sub


@styled
def city_emphasis_figure(boot: pd.DataFrame, city: str, *, lang: str = "zh",
                         differences: pd.DataFrame | None = None) -> Figure:
    """:func:`plot_city_emphasis` with a title naming the city and a subtitle saying how the interval
    was made and how (not) to read overlaps. Output: Figure, laid out (margins fitted to its labels:
    save it with or without ``bbox_inches='tight'``, the picture is the same)."""
    T = {**text(lang), **_EMPH_TEXT[lang]}
    e = _emphasis_data(boot, city, lang, differences)
    S = scale_text(lang)
    fig, top = titled_figure(9.0, 0.9 + 0.36 * len(e.themes), T["emph_title"].format(city=e.name),
                             _emphasis_subtitle(boot, e, lang, differences))
    w, h = fig.get_size_inches()
    left = _PAD_IN + _widest_in(e.labels, _EMPH_LABEL_PT) + _tick_room_in("y")
    if e.counts:
        widest = _widest_in([S["credible_counts"].format(hi=a, lo=b) for _, a, b in e.counts], _COUNT_PT)
        right = _PAD_IN + _COUNT_OFFSET_PT / 72.0 + widest
    else:  # half of the last x tick label may stand beyond the axes
        right = _PAD_IN + _text_box_in("100%", matplotlib.rcParams["font.size"])[0] / 2
    bottom = _PAD_IN + _x_decor_in(T["emph_x"]) + 0.04
    # the legend below the axes for any number of places: inside, it sat on the last themes' intervals
    fs = _EMPH_LEGEND_PT / 72.0
    # a two-row legend without frame: rows of text, the gap between them and the inner padding
    legend_in = 2 * _text_box_in("Ag国", _EMPH_LEGEND_PT)[1] + 0.5 * fs + 0.8 * fs + 0.5 * fs
    legend_at = ((left + (w - left - right) / 2) / w, _PAD_IN / h)
    bottom += legend_in + 0.12
    ax = _body_axes(fig, top, left, right, bottom)
    _draw_emphasis(ax, e, lang, legend_at)
    _fit_xlabel(ax, matplotlib.rcParams["font.size"])
    return fig


# --------------------------------------------------------------------------------------------
# nearest peers
# --------------------------------------------------------------------------------------------
_PEERS_TEXT = {
    # labels.text's peers_sub ends in "only {n} cities": said here only when the pool is small
    "zh": {
        "peers_sub": "余弦相似度比较主题占比的“形状”而非高低，1 = 侧重完全相同。所有城市都大量提及共同主题，"
                     "相似度普遍很高，横轴不从 0 开始：看排序，不要看绝对差距。",
        "peers_few": "样本只有 {n} 个城市。",
        "peers_top": "只列出最相近的 {k} 个（共比较了 {n} 个地方）。",
    },
    "en": {
        "peers_sub": "Cosine similarity compares the shape of the theme profile, not its level; 1 = identical "
                     "emphasis. All cities talk a lot about the common themes, so similarities are high and the axis "
                     "does not start at 0: read the order, not the gaps.",
        "peers_few": "Only {n} cities in the sample.",
        "peers_top": "The {k} most similar of the {n} places compared are shown.",
    },
}
_PEER_LABEL_PT, _PEER_VALUE_PT = 10.0, 9.0


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
        ax.annotate(f"{v:.3f}", (v, yy), xytext=(8, 0), textcoords="offset points", va="center",
                    fontsize=_PEER_VALUE_PT)
    ax.set_yticks(y)
    ax.set_yticklabels(_peer_names(peers, lang, city_en), fontsize=_PEER_LABEL_PT)
    ax.set_ylim(len(peers) - 0.5, -0.5)
    ax.set_xlim(lo, 1.0 + (1.0 - lo) * 0.12)
    ax.set_xlabel(T["peers_x"].format(city=city_name(city, lang, city_en)))
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    despine(ax, ("top", "right", "left"))
    return ax


def _peer_names(peers: pd.DataFrame, lang: str, city_en: Mapping[str, str]) -> list[str]:
    return [city_name(p, lang, city_en) for p in peers["peer"]]


def _top_peers(peers: pd.DataFrame, top: int | None) -> pd.DataFrame:
    if top is None or len(peers) <= top:
        return peers
    order = peers.sort_values("rank", kind="mergesort") if "rank" in peers.columns else peers
    return order.head(top).reset_index(drop=True)


def peers_subtitle(n_shown: int, n_places: int, lang: str) -> str:
    """Input: how many peers the chart shows, how many places were compared (the city included) and
    the language. Output: the subtitle of the peers figure -- how to read cosine similarity, then
    "only N cities" for a small sample (up to :data:`~qualitylib.viz.scale.MANY` + 1 places) or,
    when the chart shows fewer than all others, how many of how many."""
    P = _PEERS_TEXT[lang]
    sep = "" if lang == "zh" else " "
    sub = P["peers_sub"]
    if n_places <= MANY + 1:
        sub += sep + P["peers_few"].format(n=n_places)
    if n_shown < n_places - 1:
        sub += sep + P["peers_top"].format(k=n_shown, n=_count_text(n_places, lang))
    return sub


@styled
def nearest_peers_figure(peers: pd.DataFrame, city: str, *, lang: str = "zh",
                         city_en: Mapping[str, str] | None = None, top: int | None = 10,
                         n_places: int | None = None) -> Figure:
    """:func:`plot_nearest_peers` with a title naming the city and a warning not to read the gaps;
    the ``top`` most similar places (default 10; None: all). ``n_places``: how many places were
    compared, the city included (default: ``len(peers) + 1``, right when ``peers`` lists every other
    place as :func:`~qualitylib.analysis.comparability.nearest_peers` does; a stored top-N table
    needs it given). Output: Figure, laid out (margins fitted to its labels)."""
    T = text(lang)
    city_en = dict(city_en or {})
    name = city_name(city, lang, city_en)
    shown = _top_peers(peers, top)
    n_places = len(peers) + 1 if n_places is None else max(int(n_places), len(peers) + 1)
    sub = peers_subtitle(len(shown), n_places, lang)
    fig, top_ = titled_figure(8.0, 1.0 + 0.45 * max(len(shown), 1), T["peers_title"].format(city=name), sub)
    size = matplotlib.rcParams["font.size"]
    left = _PAD_IN + _widest_in(_peer_names(shown, lang, city_en) if not shown.empty else [], _PEER_LABEL_PT)
    left += _tick_room_in("y")
    right = _PAD_IN + _text_box_in("1.00", size)[0] / 2
    bottom = _PAD_IN + _x_decor_in(T["peers_x"].format(city=name)) + 0.04
    ax = _body_axes(fig, top_, left, right, bottom)
    plot_nearest_peers(peers, city, ax=ax, lang=lang, city_en=city_en, top=top)
    _fit_xlabel(ax, size)
    return fig

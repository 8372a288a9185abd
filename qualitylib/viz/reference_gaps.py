"""The gap of each city target to its references (notebook 02's main figure).

Input: the output of :func:`qualitylib.analysis.reference_gaps.reference_gaps` (one row per target x
reference: parent, national target, national actual, own baseline, each with its comparability
grade). Output: a titled Figure. Left: the gap in the target's unit (percentage points for rates,
points for scores), signed so that right of 0 means the city asks more; right: for pass rates, the
failure-rate ratio ``(100 - city) / (100 - reference)`` on a log axis (0.5 = half the failures).
Marker shape and colour = kind of reference; fill = grade (filled: same, half: related, hollow: far).
"""
from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ..analysis.reference_gaps import GRADES, REF_LEVELS
from .labels import (
    city_name,
    indicator_label,
    number_text,
    series_label,
    shorten,
    target_text,
)
from .layout import empty_figure, new_axes, tight_below_header, titled_figure
from .scale import FigurePages, first_page, page_keys, page_note, pages, single_page
from .style import despine, styled

__all__ = ["plot_reference_gaps", "reference_gaps_figure", "reference_gaps_figures"]

_STYLE = {  # marker, colour
    "national": ("D", "#c00000"),
    "parent": ("^", "#1f5fa8"),
    "national_actual": ("o", "0.15"),
    "baseline": ("s", "#2a8a3e"),
}
_FILL = {"same": "full", "related": "left", "far": "none"}
_OFFSET = {lvl: (i - 1.5) * 0.16 for i, lvl in enumerate(REF_LEVELS)}

_TEXT = {
    "zh": {
        "title": "各城市目标与参照值的差距：国家目标、上级目标、自身基数与全国实际值",
        "sub": ("每行一个城市目标（整个辖区、各地最新规划）。左：城市目标减参照值（比率为百分点，分值为分；"
                "“不超过”类目标取反号），0 右侧表示城市要求更高。右（合格率）：不合格率之比 (100−城市)/(100−参照)，"
                "对数轴，0.5 = 只允许参照一半的不合格；参照为 100% 时无定义。填充表示可比程度：实心 = 同一口径、"
                "年份相差 ≤{w} 年；半实心 = 相关口径、年份相差 ≤{w} 年；空心 = 年份相差更远。"
                "标注为参照值与年份；全国实际值来自二手来源。"),
        "x_gap": "城市目标 − 参照值（百分点 / 分；右 = 要求更高）",
        "x_ratio": "不合格率之比（对数轴；<1 = 允许的不合格更少）",
        "levels": {"national": "国家目标", "parent": "上级辖区目标", "national_actual": "全国实际值",
                   "baseline": "自身基数"},
        "grades": {"same": "同口径、年份相近", "related": "相关口径、年份相近", "far": "年份相差较远"},
        "measure": {"pass": "合格率（百分点）", "pp": "其他比率（百分点）", "points": "分值（分）",
                    "count": "数量（倍数）", "other": "其他"},
        "undefined": "参照为100%，无定义",
        "unchecked": "未核对原文",
        "none": "没有任何城市目标找到可比的参照值（国家目标、上级目标、全国实际值或基数）。",
        "cited": "† 文件所称执行的国家规划",
    },
    "en": {
        "title": "How far each city target sits from its references: national target, parent jurisdiction, "
                 "own baseline, national actual",
        "sub": ("One row per city target (whole jurisdiction, each place's latest plan). Left: city target minus "
                "reference (percentage points for rates, points for scores; sign flipped for 'at most' targets), "
                "right of 0 = the city asks more. Right (pass rates): failure-rate ratio (100 − city)/(100 − "
                "reference), log axis, 0.5 = half the failures of the reference; undefined when the reference is "
                "100%. Fill = comparability: filled = same series, years ≤{w} apart; half = related series, "
                "years ≤{w} apart; hollow = years further apart. Labels give the reference and its year; national "
                "actuals come from a secondary source."),
        "x_gap": "city target − reference (pp / points; right = asks more)",
        "x_ratio": "failure-rate ratio (log; <1 = fewer failures allowed)",
        "levels": {"national": "national target", "parent": "parent jurisdiction's target",
                   "national_actual": "national actual", "baseline": "own baseline"},
        "grades": {"same": "same series, close years", "related": "related series, close years",
                   "far": "years far apart"},
        "measure": {"pass": "pass rates (percentage points)", "pp": "other rates (percentage points)",
                    "points": "scores (points)", "count": "counts (ratio)", "other": "other"},
        "undefined": "reference 100%: undefined",
        "unchecked": "not checked against primary text",
        "none": "No city target has a comparable reference (national, parent, national actual or baseline).",
        "cited": "† the national plan the document says it implements",
    },
}

_ROW_KEY = ["doc_id", "code", "series", "kind", "unit"]


def _rows(gaps: pd.DataFrame) -> list[tuple[tuple, pd.DataFrame]]:
    g = gaps.copy()
    for c in _ROW_KEY:
        g[c] = g[c].fillna("").astype(str)
    order = g.drop_duplicates(_ROW_KEY).sort_values(["measure", "code", "series", "city_en"], kind="mergesort")
    # each target's rows by one grouping, not by comparing the whole frame once per target
    where = g.groupby(_ROW_KEY, sort=False).indices
    keys = zip(*(order[c].tolist() for c in _ROW_KEY))
    return [(key, g.iloc[where[key]]) for key in keys]


def _row_label(r: dict, lang: str) -> str:
    year = "" if pd.isna(r.get("target_year")) else f" ({int(r['target_year'])})"
    name = city_name(r["city"], lang, r.get("city_en"))
    ind = shorten(indicator_label(r, lang), 2.6, 8.5, 1)
    return f"{name} · {ind}\n{series_label(r['series'], lang)} {target_text(r, lang)}{year}"


def _signed(r: dict) -> float:
    return -float(r["gap"]) if str(r.get("comparator")) in ("<=", "<") else float(r["gap"])


def _ref_note(r: dict, lang: str) -> str:
    year = "" if pd.isna(r.get("ref_year")) else f" ({int(r['ref_year'])})"
    return f"{number_text(r['ref_value'])}{year}"


def _draw(ax: Axes, rows, lang: str, which: str) -> None:
    T = _TEXT[lang]
    for y, (_key, g) in enumerate(rows):
        if y % 2 == 0:
            ax.axhspan(y - 0.5, y + 0.5, color="0.965", zorder=0)
        for r in g.to_dict("records"):
            lvl = r["ref_level"]
            marker, color = _STYLE[lvl]
            yy = y + _OFFSET[lvl]
            if which == "gap":
                x = _signed(r)
            else:
                x = r["failure_ratio"]
                if pd.isna(x):
                    if r.get("note"):
                        ax.text(1.0, yy, T["undefined"], fontsize=7, color=color, va="center", ha="center")
                    continue
                x = max(float(x), 0.02)  # 100% city target: no failures allowed -> draw at the axis floor
            ax.plot([x], [yy], marker, ms=7, color=color, mec=color, mew=1.3, fillstyle=_FILL[r["grade"]],
                    markerfacecoloralt="white", zorder=3)
            note = _ref_note(r, lang)
            if lvl == "national" and str(r.get("ref_checked")).lower() == "no":
                note += "*"
            if bool(r.get("plan_cited")):
                note += "†"
            ax.annotate(note, (x, yy), xytext=(6, 0), textcoords="offset points", va="center", fontsize=6.5,
                        color=color, zorder=4)


@styled
def plot_reference_gaps(gaps: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                        which: str = "gap") -> Axes:
    """One panel: each target's references as markers on the gap axis (``which='gap'``, city minus
    reference, signed so that right = the city asks more) or the failure-rate ratio axis
    (``which='failure_ratio'``, log). Input: :func:`~qualitylib.analysis.reference_gaps.reference_gaps`
    rows. Output: the Axes."""
    ax = new_axes(ax)
    rows = _rows(gaps) if not gaps.empty else []
    _draw(ax, rows, lang, which)
    _finish(ax, rows, lang, which, labels=True)
    return ax


def _finish(ax: Axes, rows, lang: str, which: str, labels: bool) -> None:
    T = _TEXT[lang]
    n = len(rows)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(n))
    if labels:
        ax.set_yticklabels([_row_label(g.iloc[0].to_dict(), lang) for _, g in rows], fontsize=8)
    else:
        ax.tick_params(axis="y", labelleft=False)
    ax.tick_params(axis="y", length=0)
    if which == "gap":
        ax.axvline(0, color="0.4", lw=1, zorder=1)
        vals = [abs(_signed(r)) for _, g in rows for r in g.to_dict("records")]
        lim = max(vals + [1.0]) * 1.35
        ax.set_xlim(-lim, lim)
        ax.set_xlabel(T["x_gap"], fontsize=8.5)
    else:
        ax.set_xscale("log")
        ax.axvline(1, color="0.4", lw=1, zorder=1)
        vals = [float(v) for _, g in rows for v in g["failure_ratio"].dropna()]
        hi = max(vals + [2.0]) * 1.8
        lo = min([v for v in vals if v > 0] + [0.5]) / 1.8
        ax.set_xlim(max(lo, 0.015), hi)
        ticks = [t for t in (0.25, 0.5, 1, 2, 4, 8) if lo <= t <= hi]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"×{v:g}"))
        ax.set_xlabel(T["x_ratio"], fontsize=8.5)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    despine(ax, ("top", "right", "left"))


@styled
def reference_gaps_figure(gaps: pd.DataFrame, *, lang: str = "zh", window: int = 2) -> Figure:
    """The gap of every city target to its references, grouped by measure (rates in percentage
    points, scores in points, counts), with the failure-rate ratio beside the rate panel.
    Input: :func:`~qualitylib.analysis.reference_gaps.reference_gaps` rows; ``window`` = the years of
    the ``same``/``related`` grades (named in the subtitle). Output: Figure. With more than
    ``per_page`` rows: the first page of :func:`reference_gaps_figures`."""
    return first_page(reference_gaps_figures(gaps, lang=lang, window=window))


def _sorted_by_gap(rows):
    """Rows of one measure grouped by indicator (code, series), largest signed gap first within it."""
    def key(item):
        (_doc, code, series, _kind, _unit), g = item
        vals = [-float(x) if str(c) in ("<=", "<") else float(x) for x, c in zip(g["gap"], g["comparator"])]
        return (code, series, -max(vals))
    return sorted(rows, key=key)


@styled
def reference_gaps_figures(gaps: pd.DataFrame, *, lang: str = "zh", window: int = 2,
                           per_page: int = 40) -> FigurePages:
    """:func:`reference_gaps_figure` as ``{name suffix: Figure}``: one figure (``''``) when all rows
    fit ``per_page``; else pages of at most ``per_page`` rows of one measure each
    (``'_pass_p01'``, ``'_points'``...), rows grouped by indicator and sorted by the gap (largest
    first)."""
    T = _TEXT[lang]
    title, sub = T["title"], T["sub"].format(w=window)
    if gaps is None or gaps.empty:
        return single_page(empty_figure(title, T["none"]), lang)
    panel = gaps["measure"].where(~((gaps["measure"] == "pp") & (gaps["family"] == "pass_rate")), "pass")
    panels = [(m, _rows(gaps[panel == m])) for m in ("pass", "pp", "points", "count", "other") if (panel == m).any()]
    if sum(len(rows) for _, rows in panels) <= per_page:
        return single_page(_gaps_figure(gaps, panels, lang, title, sub), lang)
    specs = []
    for m, rows in panels:
        chunks = pages(_sorted_by_gap(rows), per_page)
        for i, part in enumerate(chunks):
            note = page_note(i + 1, len(chunks), lang)
            specs.append((f"_{m}" + page_keys(len(chunks))[i], m, part, note))

    def draw(k: int) -> Figure:
        _key, m, part, note = specs[k]
        sel = pd.concat([g for _, g in part])
        return _gaps_figure(sel, [(m, part)], lang, title + (f" · {T['measure'][m]}"), sub + (f" {note}" if note else ""))

    return FigurePages([sp[0] for sp in specs], draw, lang)


def _gaps_figure(gaps: pd.DataFrame, panels, lang: str, title: str, sub: str) -> Figure:
    T = _TEXT[lang]
    heights = [0.55 * len(rows) + 0.9 for _, rows in panels]
    fig, top = titled_figure(12.0, sum(heights) + 0.9, title, sub)
    gs = fig.add_gridspec(len(panels), 2, height_ratios=heights, width_ratios=[1.35, 1.0])
    for i, (m, rows) in enumerate(panels):
        ax = fig.add_subplot(gs[i, 0])
        _draw(ax, rows, lang, "gap")
        _finish(ax, rows, lang, "gap", labels=True)
        ax.set_title(T["measure"][m], loc="left", fontsize=10.5)
        has_ratio = any(g["failure_ratio"].notna().any() or g["note"].astype(bool).any() for _, g in rows)
        if m == "pass" and has_ratio:
            ax2 = fig.add_subplot(gs[i, 1], sharey=ax)
            _draw(ax2, rows, lang, "failure_ratio")
            _finish(ax2, rows, lang, "failure_ratio", labels=False)
    handles = [Line2D([], [], marker=_STYLE[lvl][0], color=_STYLE[lvl][1], ls="", ms=7, label=T["levels"][lvl])
               for lvl in REF_LEVELS if (gaps["ref_level"] == lvl).any()]
    handles += [Line2D([], [], marker="o", color="0.35", ls="", ms=7, fillstyle=_FILL[gr], markerfacecoloralt="white",
                       label=T["grades"][gr]) for gr in GRADES]
    handles.append(Line2D([], [], ls="", label="* " + T["unchecked"]))
    if gaps["plan_cited"].astype(bool).any():
        handles.append(Line2D([], [], ls="", label=T["cited"]))
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=8.5, bbox_to_anchor=(0.5, 0.0))
    h_in = fig.get_size_inches()[1]
    tight_below_header(fig, top, 0.75 / h_in, h_pad=1.5, w_pad=1.0)
    return fig

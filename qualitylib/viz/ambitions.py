"""Charts that compare how high cities set the bar (notebook 02).

Input: ``indicator_table.csv`` and ``national_targets.csv`` rows as DataFrames (optionally
``documents.csv``). Output: titled matplotlib Figures; nothing is saved or shown here. Which targets
may be compared is decided in :mod:`qualitylib.analysis.comparability` (same code, series, unit and
kind; national targets within ``NATIONAL_WINDOW`` years; annual and multi-year plans apart). All
three charts have several panels, so there is only a figure-level function for each.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..analysis.comparability import (
    NATIONAL_WINDOW,
    ambition_scores,
    comparable_groups,
    count_targets,
    match_national,
    plan_kind,
)
from .labels import (
    FAMILY_ORDER,
    city_colors,
    city_header,
    city_name,
    city_plan_info,
    city_table,
    family_labels,
    fill,
    indicator_label,
    number_text,
    series_label,
    shorten,
    target_text,
    text,
    unit_text,
    wrap_lines,
)
from .layout import cell_borders, empty_figure, tight_below_header, titled_figure
from .scale import (
    CONTEXT_GREY,
    MANY,
    FigurePages,
    first_page,
    highlight_colors,
    name_list,
    page_keys,
    page_note,
    pages,
    scale_text,
    single_page,
)
from .style import despine, styled

__all__ = ["indicator_comparison_figure", "indicator_comparison_figures", "ambition_heatmap_figure",
           "ambition_heatmap_figures", "counts_log_figure"]

_NATIONAL_RED = "#c00000"
_BLUE = "#1f4e79"


def _national_note(rows: pd.DataFrame, lang: str, window: int, max_names: int = 1000) -> str:
    """The note under a comparison panel: which national target is drawn and for which cities."""
    T = text(lang)
    m = rows.dropna(subset=["nat_value"])
    if m.empty:
        return T["national_none"].format(w=window)
    notes = []
    for (h, v), g in m.groupby(["nat_horizon", "nat_value"], sort=True):
        first = g.iloc[0]
        src = first.get(f"nat_source_{lang}")
        src = "" if src is None or pd.isna(src) else str(src)
        if lang == "zh" and src and not src.startswith("《"):
            src = f"《{src}》"
        if str(first.get("nat_checked", "")).strip().lower() in ("no", "false", "0"):
            src += T["unchecked"]
        tgt = target_text({"comparator": first.get("nat_comparator"), "value": v, "unit": first.get("nat_unit"),
                           "value_hi": first.get("nat_value_hi")}, lang)
        names = [city_name(c, lang, e) for c, e in zip(g["city"], g["city_en"])]
        cities = T["sep"].join(names) if len(names) <= max_names else name_list(names, lang, max_names)
        notes.append(T["national_ref"].format(source=src, year=int(h), target=tgt, cities=cities).replace("  ", " "))
    return "\n".join(notes)


def _comparison_groups(table, national, lang, min_cities, window, codes):
    rows = comparable_groups(table if codes is None else table[table["code"].isin(list(codes))], min_cities)
    if rows.empty:
        return []
    rows = match_national(rows, national, window)
    groups = []
    for key, g in rows.groupby("group", sort=False):
        first = g.iloc[0]
        groups.append((str(first["family"]), indicator_label(first, lang), key, g))
    fam_rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    groups.sort(key=lambda x: (fam_rank.get(x[0], 9), x[2]))
    return groups


def _sorted_rows(g: pd.DataFrame) -> pd.DataFrame:
    """Most ambitious target on top: highest value, lowest for an 'at most' target; ties by name."""
    g = g.assign(_plan=g["plan_type"].map(plan_kind), _v=g["value"].astype(float))
    at_most = g["comparator"].astype(str).isin(["<=", "<"]).all()
    g = g.sort_values(["_v", "city_en", "city"], ascending=[at_most, True, True], kind="mergesort")
    return g.reset_index(drop=True)


def _comparison_panel(ax, g: pd.DataFrame, label: str, note: str, lang: str, panel_w: float,
                      colors: dict | None, fontsize: float = 9, limits_from: pd.DataFrame | None = None) -> None:
    """One indicator: a dot per place (sorted rows of :func:`_sorted_rows`), the national target as a
    red line across the rows it is comparable to, the note as the x label."""
    T = text(lang)
    first = g.iloc[0]
    ys = np.arange(len(g))
    xs = g["value"].astype(float).to_numpy()
    his = pd.to_numeric(g.get("value_hi"), errors="coerce").to_numpy()
    lim = g if limits_from is None else limits_from  # pages of one indicator share the x axis
    vals = list(lim["value"].astype(float)) + [v for v in pd.to_numeric(lim.get("value_hi"), errors="coerce")
                                               if not np.isnan(v)] + [float(v) for v in lim["nat_value"].dropna()]
    for y, r, x, hi in zip(ys, g.to_dict("records"), xs, his):
        name = city_name(r["city"], lang, r["city_en"])
        color = colors.get(name, "0.3") if colors else _BLUE
        marker = "s" if r["_plan"] == "annual" else "o"
        if not np.isnan(hi):
            ax.hlines(y, x, hi, color=color, lw=2)
        ax.plot([x], [y], marker, color=color, ms=8 if colors else 5.5, zorder=3)
        year = "" if pd.isna(r.get("target_year")) else f"{int(r['target_year'])}"
        if colors:  # few places: the label above the dot
            ax.annotate(f"{target_text(r, lang)} ({year})", (x, y), xytext=(0, 7), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color="0.2", zorder=4,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.85))
        else:  # many: beside it, one row each
            ax.annotate(f"{target_text(r, lang)} ({year})", (x, y), xytext=(6, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=6.5, color="0.25", zorder=4)
    m = g.dropna(subset=["nat_value"])
    for y, v in zip(m.index, m["nat_value"]):  # only across the rows it is comparable to
        ax.vlines(float(v), y - 0.3 - 0.2 * (not colors), y + 0.3 + 0.2 * (not colors), color=_NATIONAL_RED, lw=2,
                  zorder=2)
    lo, hi_ = min(vals), max(vals)
    pad = (hi_ - lo) * 0.25 if hi_ > lo else max(abs(hi_) * 0.05, 1.0)
    upper = hi_ + pad * (1 if colors else 1.6)
    if str(first.get("unit")) == "%" and hi_ <= 100 and colors:  # a rate cannot exceed 100%
        upper = min(upper, 100.0 + max(pad * 0.3, 0.2))
    lower = lo - pad
    if lo >= 0 and lower < 0:  # counts and rates are never negative
        lower = -0.02 * (upper - 0)
    ax.set_xlim(lower, upper)
    ax.set_ylim(len(g) - 0.4 - 0.1 * (not colors), -0.75 + 0.25 * (not colors))
    ax.set_yticks(ys)
    ax.set_yticklabels([city_name(c, lang, e) for c, e in zip(g["city"], g["city_en"])], fontsize=fontsize)
    sub_bits = [series_label(first["series"], lang), T["kind"].get(str(first["kind"]), str(first["kind"]))]
    unit = unit_text(first.get("unit"), lang).strip()
    if unit:
        sub_bits.append(unit)
    ax.set_title(fill(label, panel_w - 0.3, 10) + "\n" + " · ".join(b for b in sub_bits if b), fontsize=10, loc="left")
    ax.set_xlabel(fill(note, panel_w - 0.6, 8), fontsize=8, color=_NATIONAL_RED if not m.empty else "0.35", loc="left")
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="0.92")
    ax.set_axisbelow(True)
    despine(ax, ("top", "right", "left"))


def _comparison_legend(fig, lang: str) -> None:
    T = text(lang)
    handles = [Line2D([], [], marker="o", ls="", color="0.4", label=T["plan"]["multi_year"]),
               Line2D([], [], marker="s", ls="", color="0.4", label=T["plan"]["annual"]),
               Line2D([], [], color=_NATIONAL_RED, lw=2, label=T["national_legend"])]
    fig.legend(handles=handles, loc="lower right", ncol=3, frameon=False, fontsize=8.5, bbox_to_anchor=(1.0, 0.0))


@styled
def indicator_comparison_figure(table: pd.DataFrame, national: pd.DataFrame | None = None, *, lang: str = "zh",
                                min_cities: int = 2, window: int = NATIONAL_WINDOW,
                                codes: Sequence[str] | None = None, ncols: int = 2) -> Figure:
    """Small multiples, one panel per comparable indicator: each city's target as a dot (circle =
    multi-year plan, square = annual plan, label = target and year; most ambitious on top), with the
    national target as a red line across the rows of the cities it is comparable to (see
    :func:`~qualitylib.analysis.comparability.match_national`); each panel says which national
    target it shows, or that there is none.

    Input: indicator table, national targets (may be empty/None); ``min_cities`` per panel,
    ``window`` in years, optional ``codes`` subset. Output: Figure. With more than
    :data:`~qualitylib.viz.scale.MANY` places on an indicator: the first figure of
    :func:`indicator_comparison_figures` (one figure per indicator)."""
    T = text(lang)
    title = T["comparison_title"]
    sub = T["comparison_sub"].format(n=min_cities, w=window)
    groups = _comparison_groups(table, national, lang, min_cities, window, codes)
    if not groups:
        return empty_figure(title, T["comparison_none"].format(n=min_cities))
    if max(g["city"].nunique() for *_, g in groups) > MANY:
        return first_page(indicator_comparison_figures(table, national, lang=lang, min_cities=min_cities,
                                                       window=window, codes=codes))
    all_names = city_table(table)
    colors = city_colors([city_name(c, lang, e) for c, e in zip(all_names["city"], all_names["city_en"])])
    ncols = max(1, min(ncols, len(groups)))
    nrows = math.ceil(len(groups) / ncols)
    panel_w = 5.6
    width = panel_w * ncols + 0.4
    notes = [_national_note(g, lang, window) for *_, g in groups]
    heights = []
    for r in range(nrows):
        hs = []
        for c in range(ncols):
            k = r * ncols + c
            if k < len(groups):
                g = groups[k][3]
                n_note = len(wrap_lines(notes[k], panel_w - 0.6, 8))
                hs.append(1.15 + 0.36 * g["city"].nunique() + 0.16 * n_note)
        heights.append(max(hs))
    fig, top = titled_figure(width, sum(heights) + 0.3 * nrows, title, sub)
    gs = fig.add_gridspec(nrows, ncols, height_ratios=heights)
    for k, (_fam, label, _key, g) in enumerate(groups):
        ax = fig.add_subplot(gs[k // ncols, k % ncols])
        _comparison_panel(ax, _sorted_rows(g), label, notes[k], lang, panel_w, colors)
    _comparison_legend(fig, lang)
    tight_below_header(fig, top, 0.03, h_pad=2.2, w_pad=2.5)
    return fig


@styled
def indicator_comparison_figures(table: pd.DataFrame, national: pd.DataFrame | None = None, *, lang: str = "zh",
                                 min_cities: int = 2, window: int = NATIONAL_WINDOW,
                                 codes: Sequence[str] | None = None, per_page: int = 60) -> FigurePages:
    """:func:`indicator_comparison_figure` as ``{name suffix: Figure}``: up to
    :data:`~qualitylib.viz.scale.MANY` places per indicator the small multiples as one figure
    (``''``); more, one figure per comparable indicator, ``'_<group>'`` (``'_<group>_p01'``... when
    an indicator has more than ``per_page`` places). Rows are
    sorted by the target (most ambitious on top), every dot is labelled beside it, one colour for all
    places; the note names at most a few of the places the national target applies to."""
    T = text(lang)
    title = T["comparison_title"]
    sub = T["comparison_sub"].format(n=min_cities, w=window)
    groups = _comparison_groups(table, national, lang, min_cities, window, codes)
    if not groups:
        return single_page(empty_figure(title, T["comparison_none"].format(n=min_cities)), lang)
    if max(g["city"].nunique() for *_, g in groups) <= MANY:  # few places: the small multiples, as before
        return single_page(indicator_comparison_figure(table, national, lang=lang, min_cities=min_cities,
                                                       window=window, codes=codes), lang)
    panel_w = 7.0
    specs = []  # (key, label, note, all rows sorted, rows of this page, page, pages)
    for _fam, label, key, g in groups:
        rows = _sorted_rows(g)
        chunks = pages(list(rows.index), per_page)
        slug = "_" + re.sub(r"[^0-9A-Za-z]+", "-", str(key)).strip("-")
        for i, idx in enumerate(chunks):
            specs.append((slug + page_keys(len(chunks))[i], label, g, rows, idx, i + 1, len(chunks)))

    def draw(k: int) -> Figure:
        _key, label, g, rows, idx, page, n_pages = specs[k]
        note = _national_note(g, lang, window, max_names=6)
        part = rows.loc[idx].reset_index(drop=True)
        n_note = len(wrap_lines(note, panel_w - 0.6, 8))
        t = title + (" · " + page_note(page, n_pages, lang) if n_pages > 1 else "")
        fig, top = titled_figure(panel_w + 0.6, 1.3 + 0.2 * len(part) + 0.16 * n_note, t, sub)
        ax = fig.add_subplot(111)
        _comparison_panel(ax, part, label, note, lang, panel_w, None, fontsize=7.5, limits_from=rows)
        _comparison_legend(fig, lang)
        tight_below_header(fig, top, 0.3 / fig.get_size_inches()[1])
        return fig

    # a page reads its spec and the chart's constants: one changed target redraws its indicator only
    inputs = [(spec, title, sub, window, panel_w) for spec in specs]
    return FigurePages([sp[0] for sp in specs], draw, lang, inputs=inputs)


@styled
def ambition_heatmap_figure(table: pd.DataFrame, *, lang: str = "zh", method: str = "rank", min_cities: int = 2,
                            documents: pd.DataFrame | None = None) -> Figure:
    """Heatmap of relative ambition, city x comparable indicator, faceted by plan type.

    Each row is scaled across the cities that set it
    (:func:`~qualitylib.analysis.comparability.ambition_scores`, ``method`` 'rank' or 'minmax'; the
    method is named in the title); annual plans and multi-year plans are separate facets and are
    never scaled together. Cells show the target as written; grey = not set.
    Input: indicator table; optional documents to list every city of a plan type. Output: Figure.
    With more than :data:`~qualitylib.viz.scale.MANY` places in a plan type: the first page of
    :func:`ambition_heatmap_figures`."""
    return first_page(ambition_heatmap_figures(table, lang=lang, method=method, min_cities=min_cities,
                                               documents=documents))


@styled
def ambition_heatmap_figures(table: pd.DataFrame, *, lang: str = "zh", method: str = "rank", min_cities: int = 2,
                             documents: pd.DataFrame | None = None, per_page: int = 45) -> FigurePages:
    """:func:`ambition_heatmap_figure` as ``{name suffix: Figure}``. Up to
    :data:`~qualitylib.viz.scale.MANY` places per plan type: one figure (``''``) as before. More: one
    series of pages per plan type (``'_multi_year_p01'``...), places as rows sorted by their mean
    ambition score (highest first), indicators as columns sorted by how many places set them; a cell
    gives the target value, an empty grey cell means not set."""
    T = text(lang)
    scores = ambition_scores(table, method, min_cities)
    mname = T["heat_rank" if method == "rank" else "heat_minmax"]
    title = T["heat_title"].format(method=mname)
    method_long = T["heat_rank_long" if method == "rank" else "heat_minmax_long"]
    sub = T["heat_sub"].format(n=min_cities, method_long=method_long)
    info = city_plan_info(table, documents)
    info["_plan"] = info["plan_type"].map(plan_kind)
    facets = [p for p in ("multi_year", "annual", "unknown") if (info["_plan"] == p).any()]
    if not facets:
        return single_page(empty_figure(title, T["heat_empty"].format(n=min_cities)), lang)
    if info["_plan"].value_counts().max() > MANY:
        return _heatmap_pages(scores, info, facets, lang, title, sub, min_cities, per_page)
    return single_page(_heatmap_small(scores, info, facets, lang, title, sub, min_cities), lang)


def _heatmap_small(scores, info, facets, lang, title, sub, min_cities) -> Figure:
    T = text(lang)
    fam_rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    layout = []
    for p in facets:
        cities = info[info["_plan"] == p].reset_index(drop=True)
        s = scores[scores["plan_type"] == p] if not scores.empty else scores
        groups = []
        if not s.empty:
            order = s.drop_duplicates("group").assign(_f=lambda d: d["family"].map(fam_rank))
            order = order.sort_values(["_f", "group"], kind="mergesort")
            groups = list(order["group"])
        layout.append((p, cities, s, groups))
    n_city_max = max(len(c) for _, c, _, _ in layout)
    width = min(14.0, 5.2 + 1.35 * n_city_max)
    rows_per_facet = [max(len(gr), 1) for *_, gr in layout]
    body = sum(0.45 * n + 0.95 for n in rows_per_facet) + 0.75  # cells + facet title/ticks + colourbar
    fig, top = titled_figure(width, body, title, sub)
    gs = fig.add_gridspec(len(layout), 1, height_ratios=rows_per_facet)
    cmap = matplotlib.colormaps["YlGnBu"]
    for i, (p, cities, s, groups) in enumerate(layout):
        ax = fig.add_subplot(gs[i])
        ax.set_title(T["heat_facet"].format(plan=T["plan"][p], n=len(cities)), loc="left", fontsize=11)
        if not groups:
            ax.text(0.5, 0.5, fill(T["heat_empty"].format(n=min_cities), width - 2, 9.5), ha="center", va="center",
                    transform=ax.transAxes, fontsize=9.5, color="0.35")
            ax.set_axis_off()
            continue
        mat = np.full((len(groups), len(cities)), np.nan)
        for gi, grp in enumerate(groups):
            sg = s[s["group"] == grp]
            for ci, c in enumerate(cities["city"]):
                hit = sg[sg["city"] == c]
                if not hit.empty:
                    r = hit.iloc[0]
                    mat[gi, ci] = float(r["score"])
                    color = "white" if r["score"] > 0.6 else "black"  # dark cells need light text
                    cell = target_text(r, lang)
                    if pd.notna(r.get("target_year")):
                        cell += f"\n{int(r['target_year'])}"
                    ax.text(ci, gi, cell, ha="center", va="center", fontsize=7.5, color=color)
                else:
                    ax.text(ci, gi, T["not_set"], ha="center", va="center", fontsize=7, color="0.55")
        ax.imshow(np.ma.masked_invalid(mat), cmap=cmap.with_extremes(bad="0.93"), vmin=0, vmax=1, aspect="auto",
                  interpolation="nearest")
        ax.set_xticks(range(len(cities)))
        ax.set_xticklabels([city_header(r, lang) for r in cities.to_dict("records")], fontsize=8.5)
        ax.xaxis.tick_top()
        labels = []
        for grp in groups:
            r = s[s["group"] == grp].iloc[0]
            bits = [series_label(r["series"], lang), T["kind"].get(str(r["kind"]), str(r["kind"]))]
            labels.append(shorten(indicator_label(r, lang), 3.0, 8.5, 1) + "\n" + " · ".join(bits))
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels(labels, fontsize=8)
        cell_borders(ax, len(cities), len(groups), 2)
    h_in = fig.get_size_inches()[1]
    tight_below_header(fig, top, 0.75 / h_in, h_pad=1.5)
    # colourbar: short and centred under the facets, placed after the layout is fixed
    last = fig.axes[-1].get_position()
    cax = fig.add_axes([last.x0 + last.width * 0.25, 0.38 / h_in, last.width * 0.5, 0.12 / h_in])
    sm = ScalarMappable(cmap=cmap, norm=Normalize(0, 1))
    cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
    cb.set_label(T["heat_cbar"], fontsize=9)
    cb.ax.tick_params(labelsize=8)
    return fig


def _group_label(r, lang: str, width: float = 1.9) -> str:
    T = text(lang)
    bits = [series_label(r["series"], lang), T["kind"].get(str(r["kind"]), str(r["kind"]))]
    return shorten(indicator_label(r, lang), width, 7.5, 1) + " · " + " · ".join(bits)


def _heatmap_pages(scores, info, facets, lang, title, sub, min_cities, per_page) -> FigurePages:
    """Places as rows (mean score, highest first), indicators as columns (most places first)."""
    specs = []  # (key, plan type, its scores, its places sorted, rows of this page, page, pages)
    for p in facets:
        s = scores[scores["plan_type"] == p] if not scores.empty else scores
        cities = info[info["_plan"] == p]
        if s.empty:
            specs.append((f"_{p}", p, s, cities, None, 1, 1))
            continue
        mean = s.groupby("city")["score"].mean()
        cities = cities.assign(_m=cities["city"].map(mean).fillna(-1.0))
        cities = cities.sort_values(["_m", "city_en"], ascending=[False, True], kind="mergesort")
        chunks = pages(list(cities.index), per_page)
        for i, (key, idx) in enumerate(zip(page_keys(len(chunks)), chunks)):
            specs.append((f"_{p}{key}", p, s, cities, idx, i + 1, len(chunks)))

    def draw(k: int) -> Figure:
        _key, p, s, cities, idx, page, n_pages = specs[k]
        T = text(lang)
        if idx is None:
            fig, top = titled_figure(8.0, 1.2, title, sub)
            fig.text(0.5, top / 2, fill(T["heat_empty"].format(n=min_cities), 7, 9.5), ha="center",
                     va="center", fontsize=9.5, color="0.35")
            return fig
        cmap = matplotlib.colormaps["YlGnBu"]
        groups = list(s.groupby("group")["city"].nunique().sort_values(ascending=False, kind="mergesort").index)
        first = s.drop_duplicates("group").set_index("group")
        part = cities.loc[idx].reset_index(drop=True)
        note = T["heat_facet"].format(plan=T["plan"][p], n=len(cities))
        note += (" · " + page_note(page, n_pages, lang)) if n_pages > 1 else ""
        fig, top = titled_figure(3.0 + 0.62 * len(groups), 3.3 + 0.2 * len(part), title,
                                 sub + " " + scale_text(lang)["heat_many"].format(facet=note))
        ax = fig.add_subplot(111)
        mat = np.full((len(part), len(groups)), np.nan)
        cell = s.drop_duplicates(["city", "group"]).set_index(["city", "group"])
        col = {g: j for j, g in enumerate(groups)}
        for ci, c in enumerate(part["city"]):
            if c not in cell.index.get_level_values(0):
                continue
            for grp, r in cell.loc[c].iterrows():
                gi = col[grp]
                mat[ci, gi] = float(r["score"])
                # inside its cell: cannot move the layout, so the layout passes need not measure it
                ax.text(gi, ci, target_text(r, lang).replace(" ", ""), ha="center", va="center", fontsize=6,
                        color="white" if r["score"] > 0.6 else "black").set_in_layout(False)
        ax.imshow(np.ma.masked_invalid(mat), cmap=cmap.with_extremes(bad="0.95"), vmin=0, vmax=1,
                  aspect="auto", interpolation="nearest")
        ax.set_yticks(range(len(part)))
        ax.set_yticklabels([f"{city_name(r['city'], lang, r['city_en'])} ({r['_m']:.2f})" if r["_m"] >= 0
                            else city_name(r["city"], lang, r["city_en"]) for r in part.to_dict("records")],
                           fontsize=7.5)
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels([_group_label(first.loc[g], lang) for g in groups], rotation=90, fontsize=7.5)
        ax.xaxis.tick_top()
        cell_borders(ax, len(groups), len(part), 1.2)
        h_in = fig.get_size_inches()[1]
        tight_below_header(fig, top, 0.75 / h_in)
        pos = ax.get_position()
        cax = fig.add_axes([pos.x0 + pos.width * 0.25, 0.3 / h_in, pos.width * 0.5, 0.1 / h_in])
        cb = fig.colorbar(ScalarMappable(cmap=cmap, norm=Normalize(0, 1)), cax=cax, orientation="horizontal")
        cb.set_label(T["heat_cbar"], fontsize=8)
        cb.ax.tick_params(labelsize=7)
        return fig

    return FigurePages([sp[0] for sp in specs], draw, lang)


@styled
def counts_log_figure(table: pd.DataFrame, *, lang: str = "zh", highlight: Sequence[str] | None = None) -> Figure:
    """Dot plot of count targets for standards and brands on a log axis, one row per indicator
    (code and series), one colour per city; filled = stock level, hollow = increment. Rate targets
    (% growth) are left out and counted in the subtitle. Only whole-jurisdiction rows are drawn
    (``scope`` 'jurisdiction' where the table has that column: a sector's or each county's count is
    not the place's); pass :func:`~qualitylib.analysis.indicator_table.comparison_view` to keep each
    place's latest plan only. Input: indicator table. Output: Figure.

    With more than :data:`~qualitylib.viz.scale.MANY` places: grey dots, rows sorted by their median,
    only the highest and lowest target of each row labelled (place and number), and the places in
    ``highlight`` (Chinese names) in colour."""
    T = text(lang)
    if "scope" in table.columns:
        table = table[table["scope"].fillna("jurisdiction") == "jurisdiction"]
    counts, n_pct = count_targets(table)
    title, sub = T["counts_title"], T["counts_sub"].format(n_pct=n_pct)
    if counts.empty:
        return empty_figure(title, T["counts_none"])
    all_names = city_table(table)
    names = {c: city_name(c, lang, e) for c, e in zip(all_names["city"], all_names["city_en"])}
    cities = list(all_names["city"])
    many = len(cities) > MANY
    if many:
        hl = [c for c in dict.fromkeys(highlight or []) if c in names][:10]
        hcol = highlight_colors([names[c] for c in hl])
        colors = {n: hcol.get(n, CONTEXT_GREY) for n in names.values()}
    else:
        colors = city_colors(list(names.values()))
    fam_labels = family_labels(lang)
    panels = []
    for f in ("standards", "brands"):
        d = counts[counts["family"] == f].copy()
        if d.empty:
            continue
        d["_key"] = d["code"].astype(str) + "|" + d["series"].fillna("").astype(str)
        keys = sorted(d["_key"].unique())
        if many:
            med = d.groupby("_key")["value"].median()
            keys = sorted(keys, key=lambda k: (-med[k], k))
        panels.append((f, d, keys))
    heights = [0.5 + 0.5 * len(k) for *_, k in panels]
    fig, top = titled_figure(10.0, sum(heights) + 0.8, title, sub)
    gs = fig.add_gridspec(len(panels), 1, height_ratios=heights)
    vmin = float(counts["value"].min())
    vmax = float(counts["value"].max())
    first_ax = None
    for i, (f, d, keys) in enumerate(panels):
        ax = fig.add_subplot(gs[i], sharex=first_ax)
        first_ax = first_ax or ax
        n = len(cities)
        # cities dodge vertically within a row so that equal targets do not hide each other
        off = {c: (j - (n - 1) / 2) * (0.6 / max(n, 1)) for j, c in enumerate(cities)}
        for yi, key in enumerate(keys):
            if yi % 2 == 0:
                ax.axhspan(yi - 0.5, yi + 0.5, color="0.96", zorder=0)
            recs = d[d["_key"] == key].sort_values(["value", "city"], kind="mergesort").to_dict("records")
            for j, r in enumerate(recs):
                # many places: a fixed spread within the row instead of one lane per place
                y = yi + (((j * 0.618) % 1.0 - 0.5) * 0.5 if many else off.get(r["city"], 0))
                col = colors[names[r["city"]]]
                filled = str(r["kind"]) == "level"
                ax.plot([float(r["value"])], [y], "o", ms=5 if many else 7, mec=col, mfc=col if filled else "white",
                        mew=1.2 if many else 1.6, zorder=4 if col != CONTEXT_GREY else 3)
                if not many:
                    ax.annotate(number_text(r["value"]), (float(r["value"]), y), xytext=(6, 0),
                                textcoords="offset points", va="center", fontsize=7, color="0.25")
                elif j in (0, len(recs) - 1):
                    right = j == len(recs) - 1
                    ax.annotate(f"{names[r['city']]} {number_text(r['value'])}", (float(r["value"]), y),
                                xytext=(6 if right else -6, 0), textcoords="offset points", va="center",
                                ha="left" if right else "right", fontsize=7, color="0.2")
        ylabels = []
        for key in keys:
            r = d[d["_key"] == key].iloc[0]
            ser = "" if str(r["series"]) in ("count", "unspecified", "nan") else "\n" + series_label(r["series"], lang)
            ylabels.append(shorten(indicator_label(r, lang), 3.0, 8.5, 1) + ser)
        ax.set_yticks(range(len(keys)))
        ax.set_yticklabels(ylabels, fontsize=8.5)
        ax.set_ylim(len(keys) - 0.5, -0.5)
        ax.set_xscale("log")
        ax.set_title(fam_labels.get(f, f), loc="left", fontsize=11)
        ax.grid(axis="x", which="major", color="0.85")
        ax.set_axisbelow(True)
        despine(ax, ("top", "right", "left"))
        ax.tick_params(axis="y", length=0)
    first_ax.set_xlim(max(vmin / (40.0 if many else 2.0), 0.05), vmax * (40.0 if many else 3.0))
    first_ax.xaxis.set_major_locator(LogLocator(base=10))
    first_ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number_text(v)))
    first_ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(T["counts_x"])
    shown = [c for c in cities if c in set(counts["city"]) and (not many or colors[names[c]] != CONTEXT_GREY)]
    handles = [Line2D([], [], marker="o", ls="", color=colors[names[c]], label=names[c]) for c in shown]
    if many:
        handles.append(Line2D([], [], marker="o", ls="", color=CONTEXT_GREY,
                              label=scale_text(lang)["grey_each"].format(n=counts["city"].nunique())))
    handles += [Line2D([], [], marker="o", ls="", mfc="0.4", mec="0.4", label=T["kind_level"]),
                Line2D([], [], marker="o", ls="", mfc="white", mec="0.4", mew=1.6, label=T["kind_increment"])]
    fig.axes[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    tight_below_header(fig, top)
    return fig

"""Charts that compare how high cities set the bar (notebook 02).

Input: ``indicator_table.csv`` and ``national_targets.csv`` rows as DataFrames (optionally
``documents.csv``). Output: titled matplotlib Figures; nothing is saved or shown here. Which targets
may be compared is decided in :mod:`qualitylib.analysis.comparability` (same code, series, unit and
kind; national targets within ``NATIONAL_WINDOW`` years; annual and multi-year plans apart). All
three charts have several panels, so there is only a figure-level function for each.
"""
from __future__ import annotations

import math
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
from .layout import empty_figure, tight_below_header, titled_figure
from .style import despine, styled

__all__ = ["indicator_comparison_figure", "ambition_heatmap_figure", "counts_log_figure"]

_NATIONAL_RED = "#c00000"


def _national_note(rows: pd.DataFrame, lang: str, window: int) -> str:
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
        cities = T["sep"].join(city_name(c, lang, e) for c, e in zip(g["city"], g["city_en"]))
        notes.append(T["national_ref"].format(source=src, year=int(h), target=tgt, cities=cities).replace("  ", " "))
    return "\n".join(notes)


@styled
def indicator_comparison_figure(table: pd.DataFrame, national: pd.DataFrame | None = None, *, lang: str = "zh",
                                min_cities: int = 2, window: int = NATIONAL_WINDOW,
                                codes: Sequence[str] | None = None, ncols: int = 2) -> Figure:
    """Small multiples, one panel per comparable indicator: each city's target as a dot (circle =
    multi-year plan, square = annual plan, label = target and year), with the national target as a
    red line across the rows of the cities it is comparable to (see
    :func:`~qualitylib.analysis.comparability.match_national`); each panel says which national
    target it shows, or that there is none.

    Input: indicator table, national targets (may be empty/None); ``min_cities`` per panel,
    ``window`` in years, optional ``codes`` subset. Output: Figure."""
    T = text(lang)
    title = T["comparison_title"]
    sub = T["comparison_sub"].format(n=min_cities, w=window)
    rows = comparable_groups(table if codes is None else table[table["code"].isin(list(codes))], min_cities)
    if rows.empty:
        return empty_figure(title, T["comparison_none"].format(n=min_cities))
    rows = match_national(rows, national, window)
    all_names = city_table(table)
    colors = city_colors([city_name(c, lang, e) for c, e in zip(all_names["city"], all_names["city_en"])])
    groups = []
    for key, g in rows.groupby("group", sort=False):
        first = g.iloc[0]
        groups.append((str(first["family"]), indicator_label(first, lang), key, g))
    fam_rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    groups.sort(key=lambda x: (fam_rank.get(x[0], 9), x[2]))
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
        g = g.assign(_plan=g["plan_type"].map(plan_kind)).sort_values(["city_en", "city"], kind="mergesort")
        g = g.reset_index(drop=True)
        first = g.iloc[0]
        ys = np.arange(len(g))
        xs = g["value"].astype(float).to_numpy()
        his = pd.to_numeric(g.get("value_hi"), errors="coerce").to_numpy()
        vals = list(xs) + [v for v in his if not np.isnan(v)] + [float(v) for v in g["nat_value"].dropna()]
        for y, r, x, hi in zip(ys, g.to_dict("records"), xs, his):
            name = city_name(r["city"], lang, r["city_en"])
            marker = "s" if r["_plan"] == "annual" else "o"
            if not np.isnan(hi):
                ax.hlines(y, x, hi, color=colors.get(name, "0.3"), lw=2)
            ax.plot([x], [y], marker, color=colors.get(name, "0.3"), ms=8, zorder=3)
            year = "" if pd.isna(r.get("target_year")) else f"{int(r['target_year'])}"
            ax.annotate(f"{target_text(r, lang)} ({year})", (x, y), xytext=(0, 7), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color="0.2", zorder=4,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.85))
        m = g.dropna(subset=["nat_value"])
        for y, v in zip(m.index, m["nat_value"]):  # only across the rows it is comparable to
            ax.vlines(float(v), y - 0.3, y + 0.3, color=_NATIONAL_RED, lw=2, zorder=2)
        lo, hi_ = min(vals), max(vals)
        pad = (hi_ - lo) * 0.25 if hi_ > lo else max(abs(hi_) * 0.05, 1.0)
        upper = hi_ + pad
        if str(first.get("unit")) == "%" and hi_ <= 100:  # a rate cannot exceed 100%
            upper = min(upper, 100.0 + max(pad * 0.3, 0.2))
        lower = lo - pad
        if lo >= 0 and lower < 0:  # counts and rates are never negative
            lower = -0.02 * (upper - 0)
        ax.set_xlim(lower, upper)
        ax.set_ylim(len(g) - 0.4, -0.75)
        ax.set_yticks(ys)
        ax.set_yticklabels([city_name(c, lang, e) for c, e in zip(g["city"], g["city_en"])], fontsize=9)
        sub_bits = [series_label(first["series"], lang), T["kind"].get(str(first["kind"]), str(first["kind"]))]
        unit = unit_text(first.get("unit"), lang).strip()
        if unit:
            sub_bits.append(unit)
        ax.set_title(fill(label, panel_w - 0.3, 10) + "\n" + " · ".join(b for b in sub_bits if b),
                     fontsize=10, loc="left")
        ax.set_xlabel(fill(notes[k], panel_w - 0.6, 8), fontsize=8, color=_NATIONAL_RED if not m.empty else "0.35",
                      loc="left")
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="0.92")
        ax.set_axisbelow(True)
        despine(ax, ("top", "right", "left"))
    handles = [Line2D([], [], marker="o", ls="", color="0.4", label=T["plan"]["multi_year"]),
               Line2D([], [], marker="s", ls="", color="0.4", label=T["plan"]["annual"]),
               Line2D([], [], color=_NATIONAL_RED, lw=2, label=T["national_legend"])]
    fig.legend(handles=handles, loc="lower right", ncol=3, frameon=False, fontsize=8.5, bbox_to_anchor=(1.0, 0.0))
    tight_below_header(fig, top, 0.03, h_pad=2.2, w_pad=2.5)
    return fig


@styled
def ambition_heatmap_figure(table: pd.DataFrame, *, lang: str = "zh", method: str = "rank", min_cities: int = 2,
                            documents: pd.DataFrame | None = None) -> Figure:
    """Heatmap of relative ambition, city x comparable indicator, faceted by plan type.

    Each row is scaled across the cities that set it
    (:func:`~qualitylib.analysis.comparability.ambition_scores`, ``method`` 'rank' or 'minmax'; the
    method is named in the title); annual plans and multi-year plans are separate facets and are
    never scaled together. Cells show the target as written; grey = not set.
    Input: indicator table; optional documents to list every city of a plan type. Output: Figure."""
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
        return empty_figure(title, T["heat_empty"].format(n=min_cities))
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
        ax.set_xticks(np.arange(-0.5, len(cities), 1), minor=True)
        ax.set_yticks(np.arange(-0.5, len(groups), 1), minor=True)
        ax.grid(which="minor", color="white", lw=2)
        ax.tick_params(which="both", length=0)
        for sp in ax.spines.values():
            sp.set_visible(False)
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


@styled
def counts_log_figure(table: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """Dot plot of count targets for standards and brands on a log axis, one row per indicator
    (code and series), one colour per city; filled = stock level, hollow = increment. Rate targets
    (% growth) are left out and counted in the subtitle. Only whole-jurisdiction rows are drawn
    (``scope`` 'jurisdiction' where the table has that column: a sector's or each county's count is
    not the place's); pass :func:`~qualitylib.analysis.indicator_table.comparison_view` to keep each
    place's latest plan only. Input: indicator table. Output: Figure."""
    T = text(lang)
    if "scope" in table.columns:
        table = table[table["scope"].fillna("jurisdiction") == "jurisdiction"]
    counts, n_pct = count_targets(table)
    title, sub = T["counts_title"], T["counts_sub"].format(n_pct=n_pct)
    if counts.empty:
        return empty_figure(title, T["counts_none"])
    all_names = city_table(table)
    names = {c: city_name(c, lang, e) for c, e in zip(all_names["city"], all_names["city_en"])}
    colors = city_colors(list(names.values()))
    cities = list(all_names["city"])
    fam_labels = family_labels(lang)
    panels = []
    for f in ("standards", "brands"):
        d = counts[counts["family"] == f].copy()
        if d.empty:
            continue
        d["_key"] = d["code"].astype(str) + "|" + d["series"].fillna("").astype(str)
        panels.append((f, d, sorted(d["_key"].unique())))
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
            for r in d[d["_key"] == key].to_dict("records"):
                y = yi + off.get(r["city"], 0)
                col = colors[names[r["city"]]]
                filled = str(r["kind"]) == "level"
                ax.plot([float(r["value"])], [y], "o", ms=7, mec=col, mfc=col if filled else "white", mew=1.6, zorder=3)
                ax.annotate(number_text(r["value"]), (float(r["value"]), y), xytext=(6, 0), textcoords="offset points",
                            va="center", fontsize=7, color="0.25")
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
    first_ax.set_xlim(max(vmin / 2.0, 0.5), vmax * 3.0)
    first_ax.xaxis.set_major_locator(LogLocator(base=10))
    first_ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number_text(v)))
    first_ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(T["counts_x"])
    handles = [Line2D([], [], marker="o", ls="", color=colors[names[c]], label=names[c]) for c in cities
               if c in set(counts["city"])]
    handles += [Line2D([], [], marker="o", ls="", mfc="0.4", mec="0.4", label=T["kind_level"]),
                Line2D([], [], marker="o", ls="", mfc="white", mec="0.4", mew=1.6, label=T["kind_increment"])]
    fig.axes[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    tight_below_header(fig, top)
    return fig

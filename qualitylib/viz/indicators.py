"""Charts of the indicator table (notebook 01): which city sets a target for which indicator.

Input: ``indicator_table.csv`` (one headline row per city x indicator code), optionally
``codebook.csv`` and ``documents.csv``, as DataFrames. Output: matplotlib Axes (``plot_*``, drawn on
the Axes you give) or titled Figures (``*_figure``); nothing is saved or shown here (use
:func:`qualitylib.viz.save_figure`).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .labels import (
    FAMILY_COLORS,
    FAMILY_ORDER,
    city_colors,
    city_header,
    city_name,
    city_plan_info,
    family_labels,
    fill,
    indicator_label,
    shorten,
    text,
)
from .layout import (
    axes_message,
    cell_borders,
    empty_figure,
    new_axes,
    tight_below_header,
    titled_figure,
)
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

__all__ = ["plot_coverage_matrix", "coverage_matrix_figure", "coverage_matrix_figures", "plot_family_counts",
           "family_counts_figure"]

_NOT_SET = "0.94"  # cell colour of an indicator a city sets no target for
_CODE_COLUMNS = ["code", "family", "label_zh", "label_en"]


def _coverage_data(table: pd.DataFrame, codebook: pd.DataFrame | None,
                   documents: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Columns (cities with plan info), rows (codes in family order) and target counts per cell."""
    info = city_plan_info(table, documents)
    if codebook is not None and not codebook.empty:
        # every code of the codebook, so that indicators nobody sets show as empty rows
        codes = codebook[codebook["code"] != "other"][_CODE_COLUMNS].drop_duplicates("code")
    else:
        codes = table[_CODE_COLUMNS].drop_duplicates("code")
    codes = codes.assign(_f=codes["family"].map({f: i for i, f in enumerate(FAMILY_ORDER)}).fillna(len(FAMILY_ORDER)))
    codes = codes.sort_values(["_f", "code"], kind="mergesort").reset_index(drop=True)
    counts = table.groupby(["code", "city"])["n_values"].sum() if "n_values" in table.columns else \
        table.groupby(["code", "city"]).size()
    return info, codes, counts


def _matrix_frame(ax: Axes, n_cols: int, n_rows: int, codes: pd.DataFrame, lang: str, not_set: str, *,
                  lw: float, fontsize: float) -> None:
    """White cell borders, no ticks or spines, and the family legend of a coverage matrix (either way
    round)."""
    cell_borders(ax, n_cols, n_rows, lw)
    fam_labels = family_labels(lang)
    handles = [Patch(color=FAMILY_COLORS[f], label=fam_labels.get(f, f)) for f in FAMILY_ORDER
               if f in set(codes["family"])]
    handles.append(Patch(color=_NOT_SET, label=not_set))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=fontsize)

@styled
def plot_coverage_matrix(table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                         codebook: pd.DataFrame | None = None, documents: pd.DataFrame | None = None) -> Axes:
    """City x indicator matrix: which city sets a target for which codebook indicator.

    Input: indicator table; optional codebook (rows for every code, so indicators nobody sets are
    shown as gaps) and documents (columns for every city, with plan type and year). A coloured cell
    (colour = indicator family) holds the number of target values. Output: the Axes drawn on."""
    T = text(lang)
    info, codes, counts = _coverage_data(table, codebook, documents)
    ax = new_axes(ax)
    n_rows, n_cols = len(codes), len(info)
    if n_rows == 0 or n_cols == 0:
        return axes_message(ax, T["table_none"])
    img = np.ones((n_rows, n_cols, 4))
    img[:] = to_rgba(_NOT_SET)
    for i, r in codes.iterrows():
        for j, c in enumerate(info["city"]):
            n = counts.get((r["code"], c), 0)
            if n:
                img[i, j] = to_rgba(FAMILY_COLORS.get(r["family"], "#8c8c8c"))
                # inside its cell: cannot move the layout, so the layout passes need not measure it
                ax.text(j, i, str(int(n)), ha="center", va="center", fontsize=8, color="white").set_in_layout(False)
    ax.imshow(img, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([city_header(r, lang) for r in info.to_dict("records")], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([shorten(indicator_label(r, lang), 3.8, 8.5, 1) for r in codes.to_dict("records")],
                       fontsize=8.5)
    _matrix_frame(ax, n_cols, n_rows, codes, lang, T["not_set"], lw=1.5, fontsize=9)
    return ax


@styled
def coverage_matrix_figure(table: pd.DataFrame, *, lang: str = "zh", codebook: pd.DataFrame | None = None,
                           documents: pd.DataFrame | None = None) -> Figure:
    """:func:`plot_coverage_matrix` with title and reading note, sized to the matrix. Output: Figure.
    With more than :data:`~qualitylib.viz.scale.MANY` places: the first page of
    :func:`coverage_matrix_figures` (places as rows, most indicators first)."""
    return first_page(coverage_matrix_figures(table, lang=lang, codebook=codebook, documents=documents))


@styled
def coverage_matrix_figures(table: pd.DataFrame, *, lang: str = "zh", codebook: pd.DataFrame | None = None,
                            documents: pd.DataFrame | None = None, per_page: int = 50) -> FigurePages:
    """The coverage matrix as ``{name suffix: Figure}`` (a :class:`~qualitylib.viz.scale.FigurePages`:
    pages are drawn when looked up). Up to :data:`~qualitylib.viz.scale.MANY`
    places: one figure (``''``), places as columns. More: the matrix turned (places as rows, sorted by
    the number of indicators they set, then by name; indicators as columns), cut into pages of at most
    ``per_page`` places (``'_p01'``, ``'_p02'``...)."""
    T = text(lang)
    info, codes, counts = _coverage_data(table, codebook, documents)
    if codes.empty or info.empty:
        return single_page(empty_figure(T["coverage_title"], T["table_none"]), lang)
    if len(info) <= MANY:
        width = min(14.0, 4.6 + 1.15 * len(info))
        fig, top = titled_figure(width, 0.9 + 0.27 * len(codes), T["coverage_title"], T["coverage_sub"])
        plot_coverage_matrix(table, ax=fig.add_subplot(111), lang=lang, codebook=codebook, documents=documents)
        tight_below_header(fig, top)
        return single_page(fig, lang)
    n_set = counts.reset_index().groupby("city")["code"].nunique()
    info = info.assign(_n=info["city"].map(n_set).fillna(0).astype(int))
    info = info.sort_values(["_n", "city_en", "city"], ascending=[False, True, True], kind="mergesort")
    chunks = pages(list(info.index), per_page)

    def draw(i: int) -> Figure:
        part = info.loc[chunks[i]].reset_index(drop=True)
        sub = scale_text(lang)["coverage_sub_many"] + (" " + page_note(i + 1, len(chunks), lang) if len(chunks) > 1 else "")
        fig, top = titled_figure(2.6 + 0.3 * len(codes) + 1.8, 2.3 + 0.2 * len(part), T["coverage_title"], sub)
        _draw_turned(fig.add_subplot(111), part, codes, counts, lang)
        tight_below_header(fig, top)
        return fig

    return FigurePages(page_keys(len(chunks)), draw, lang)


def _draw_turned(ax: Axes, info: pd.DataFrame, codes: pd.DataFrame, counts: pd.Series, lang: str) -> None:
    """Places as rows (with the number of indicators set), indicators as columns."""
    T = text(lang)
    img = np.ones((len(info), len(codes), 4))
    img[:] = to_rgba(_NOT_SET)
    for j, r in codes.iterrows():
        for i, c in enumerate(info["city"]):
            n = counts.get((r["code"], c), 0)
            if n:
                img[i, j] = to_rgba(FAMILY_COLORS.get(r["family"], "#8c8c8c"))
                # inside its cell: cannot move the layout, so the layout passes need not measure it
                ax.text(j, i, str(int(n)), ha="center", va="center", fontsize=6.5,
                        color="white").set_in_layout(False)
    ax.imshow(img, aspect="auto", interpolation="nearest")
    ax.set_yticks(range(len(info)))
    ax.set_yticklabels([f"{city_header(r, lang).replace(chr(10), ' · ')} ({r['_n']})" for r in info.to_dict("records")],
                       fontsize=7.5)
    ax.set_xticks(range(len(codes)))
    ax.set_xticklabels([shorten(indicator_label(r, lang), 1.9, 7.5, 1) for r in codes.to_dict("records")],
                       fontsize=7.5, rotation=90)
    ax.xaxis.tick_top()
    _matrix_frame(ax, len(codes), len(info), codes, lang, T["not_set"], lw=1.0, fontsize=8)


@styled
def plot_family_counts(table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                       documents: pd.DataFrame | None = None, highlight: Sequence[str] | None = None) -> Axes:
    """Grouped bars: number of indicator codes with a target, per family (x) and city (colour).

    Input: indicator table (one row per city x code), optional documents (so cities without any
    coded target still appear with zero bars). Output: the Axes drawn on. With more than
    :data:`~qualitylib.viz.scale.MANY` places: per family a box of the places' counts with a grey
    dot per place, the highest named above it, and the places in ``highlight`` (Chinese names) in
    colour."""
    T = text(lang)
    ax = new_axes(ax)
    info = city_plan_info(table, documents)
    fams = [f for f in FAMILY_ORDER if f in set(table["family"].dropna())] or list(FAMILY_ORDER[:4])
    counts = table.groupby(["family", "city"])["code"].nunique()
    if len(info) > MANY:
        return _family_counts_many(ax, info, fams, counts, lang, highlight)
    n = max(len(info), 1)
    bw = 0.8 / n
    names = [city_name(r["city"], lang, r["city_en"]) for r in info.to_dict("records")]
    colors = city_colors(names)
    for j, (r, name) in enumerate(zip(info.to_dict("records"), names)):
        x = np.arange(len(fams)) + (j - (n - 1) / 2) * bw
        y = [int(counts.get((f, r["city"]), 0)) for f in fams]
        bars = ax.bar(x, y, bw * 0.92, color=colors[name], label=name)
        for b, v in zip(bars, y):
            ax.text(b.get_x() + b.get_width() / 2, v + 0.08, str(v), ha="center", va="bottom", fontsize=8)
    _family_ticks(ax, fams, lang)
    ax.set_ylabel(T["family_y"])
    ax.set_xlabel(T["family_x"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(0, max([1] + [int(v) for v in counts.values]) * 1.15 + 0.5)
    ax.grid(axis="y", color="0.9")
    ax.set_axisbelow(True)
    despine(ax)
    ax.legend(title=T["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def _family_ticks(ax: Axes, fams: list[str], lang: str) -> None:
    """Family names under their slots, each wrapped to its slot's width: at a fixed 1.5 inches the
    longer English names ran into each other once the axes were no wider than the figure."""
    fam_labels = family_labels(lang)
    slot_in = ax.get_position().width * ax.figure.get_figwidth() / max(len(fams), 1)
    ax.set_xticks(range(len(fams)))
    ax.set_xticklabels([fill(fam_labels.get(f, f), min(1.5, 0.85 * slot_in), 9) for f in fams], fontsize=9)


def _family_counts_many(ax: Axes, info: pd.DataFrame, fams: list[str], counts: pd.Series, lang: str,
                        highlight: Sequence[str] | None) -> Axes:
    T = text(lang)
    names = {r["city"]: city_name(r["city"], lang, r["city_en"]) for r in info.to_dict("records")}
    hl = [c for c in dict.fromkeys(highlight or []) if c in names][:10]
    hcol = highlight_colors(hl)
    top = 1
    for i, f in enumerate(fams):
        v = np.array([int(counts.get((f, c), 0)) for c in info["city"]])
        top = max(top, int(v.max()))
        ax.boxplot([v], positions=[i], widths=0.5, showfliers=False, patch_artist=True,
                   boxprops=dict(facecolor="0.93", edgecolor="0.4"), medianprops=dict(color="0.1", lw=1.6),
                   whiskerprops=dict(color="0.4"), capprops=dict(color="0.4"))
        jitter = ((np.arange(len(v)) * 0.618) % 1.0 - 0.5) * 0.6
        ax.plot(i + jitter, v, "o", ms=2.5, color=CONTEXT_GREY, alpha=0.5, zorder=1)
        best = [names[c] for c, x in zip(info["city"], v) if x == v.max()]
        ax.annotate(name_list(best, lang, 1) + f" ({int(v.max())})", (i, v.max()), xytext=(0, 9),
                    textcoords="offset points", ha="center", va="bottom", fontsize=7.5, color="0.2")
        for k, c in enumerate(hl):
            x = int(counts.get((f, c), 0))
            ax.plot([i + 0.32 + 0.05 * k], [x], "o", ms=6, color=hcol[c], zorder=4, label=names[c] if i == 0 else None)
    _family_ticks(ax, fams, lang)
    ax.set_xlim(-0.6, len(fams) - 0.4)
    ax.set_ylabel(T["family_y"])
    ax.set_xlabel(T["family_x"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(-0.5, top * 1.2 + 1)
    ax.grid(axis="y", color="0.9")
    ax.set_axisbelow(True)
    despine(ax)
    ax.plot([], [], "o", ms=3, color=CONTEXT_GREY, label=scale_text(lang)["grey_each"].format(n=len(info)))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8.5)
    return ax


@styled
def family_counts_figure(table: pd.DataFrame, *, lang: str = "zh", documents: pd.DataFrame | None = None,
                         highlight: Sequence[str] | None = None) -> Figure:
    """:func:`plot_family_counts` with title and reading note. Output: Figure."""
    T = text(lang)
    fig, top = titled_figure(9.0, 4.2, T["family_title"], T["family_sub"])
    plot_family_counts(table, ax=fig.add_subplot(111), lang=lang, documents=documents, highlight=highlight)
    tight_below_header(fig, top)
    return fig

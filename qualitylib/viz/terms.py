"""The most city-specific terms (notebook 03's TF-IDF check), one small bar chart per place.

Input: output of :func:`qualitylib.analysis.tfidf.tfidf_profile`. Output: a titled Figure
(:func:`tfidf_terms_figure`) or its pages (:func:`tfidf_terms_figures`); nothing is saved here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..analysis.themes import city_en_map
from .labels import city_colors, city_name, city_order, text
from .layout import tight_below_header, titled_figure
from .scale import MANY, FigurePages, first_page, page_keys, page_note, pages
from .style import despine, styled

__all__ = ["tfidf_terms_figure", "tfidf_terms_figures"]

_BLUE = "#1f4e79"


def keep_outer_labels_in_layout(labels: list[Text], renderer) -> None:
    """Leave in the layout only the labels that reach farthest left, right, up and down; take the rest out.

    Their bounding boxes' union is unchanged, so ``tight_layout``, the placement of axis labels and
    ``bbox_inches='tight'`` give exactly the same numbers -- and the same image -- while each of them
    lays out a handful of texts instead of every tick label (text layout with the CJK font was most
    of the time of a many-panel page). Call it only for labels that keep their relative places
    when the axes are resized: fixed tick positions, or a layout that is final."""
    shown = [t for t in labels if t.get_visible() and t.get_in_layout() and t.get_text()]
    if len(shown) <= 4:
        return
    boxes = np.array([t.get_window_extent(renderer).extents for t in shown])  # x0, y0, x1, y1
    keep = {int(boxes[:, 0].argmin()), int(boxes[:, 1].argmin()), int(boxes[:, 2].argmax()),
            int(boxes[:, 3].argmax())}
    for i, t in enumerate(shown):
        if i not in keep:
            t.set_in_layout(False)


@styled
def tfidf_terms_figure(tfidf: pd.DataFrame, *, lang: str = "zh", ncols: int = 3) -> Figure:
    """Small multiples of each city's top TF-IDF character n-grams (rank 1 at the top).

    Input: output of :func:`qualitylib.analysis.tfidf.tfidf_profile` (``city, term, tfidf``;
    ``city_en``, ``rank`` used when present). The n-gram lengths in the title are read from the
    terms shown. Panels share the x scale so bar lengths compare across cities. Output: Figure; with
    more places than fit one page, the first page of :func:`tfidf_terms_figures`."""
    return first_page(tfidf_terms_figures(tfidf, lang=lang, ncols=ncols))


@styled
def tfidf_terms_figures(tfidf: pd.DataFrame, *, lang: str = "zh", ncols: int = 3,
                        per_page: int = 15) -> FigurePages:
    """:func:`tfidf_terms_figure` as ``{name suffix: Figure}``: pages of at most ``per_page`` places
    (pinyin order; ``''`` for one page, else ``'_p01'``...). Up to :data:`~qualitylib.viz.scale.MANY`
    places each has its colour; more are drawn in one colour (a palette would repeat)."""
    T = text(lang)
    missing = [c for c in ["city", "term", "tfidf"] if c not in tfidf.columns]
    if tfidf.empty or missing:
        raise ValueError(f"tfidf must be a non-empty tfidf_profile() frame; missing {missing}")
    en = city_en_map(tfidf)
    cities = city_order(tfidf["city"].unique(), en)
    colors = city_colors(cities) if len(cities) <= MANY else {c: _BLUE for c in cities}
    top_n = int(tfidf.groupby("city").size().max())
    lens = tfidf["term"].astype(str).str.len()
    xmax = float(tfidf["tfidf"].max()) * 1.05
    chunks = pages(cities, per_page)

    def draw(i: int) -> Figure:
        part = chunks[i]
        nc = max(1, min(ncols, len(part)))
        nrows = int(np.ceil(len(part) / nc))
        title = T["tfidf_title"].format(lo=int(lens.min()), hi=int(lens.max()))
        title += (" · " + page_note(i + 1, len(chunks), lang)) if len(chunks) > 1 else ""
        fig, top = titled_figure(3.7 * nc, 0.7 + (0.8 + 0.27 * top_n) * nrows, title, T["tfidf_sub"])
        axes = fig.subplots(nrows, nc, squeeze=False)
        for ax, city in zip(axes.flat, part):
            d = tfidf[tfidf["city"] == city]
            d = d.sort_values("rank") if "rank" in d.columns else d.sort_values("tfidf", ascending=False)
            y = np.arange(len(d))
            ax.barh(y, d["tfidf"], color=colors[city], alpha=0.85)
            ax.set_yticks(y)
            ax.set_yticklabels(d["term"], fontsize=10)
            ax.set_ylim(top_n - 0.5, -0.5)
            ax.set_xlim(0, xmax)
            ax.set_title(city_name(city, lang, en), fontsize=12, color=colors[city])
            ax.tick_params(axis="x", labelsize=8)
            ax.set_xlabel(T["tfidf_x"], fontsize=9)
            despine(ax)
        for ax in list(axes.flat)[len(part):]:
            ax.set_axis_off()
        renderer = fig.canvas.get_renderer()
        used = list(axes.flat)[:len(part)]
        for ax in used:  # y ticks are fixed: the outer labels stay outer whatever size the layout gives
            keep_outer_labels_in_layout(ax.get_yticklabels(), renderer)
        tight_below_header(fig, top)
        for ax in used:  # x ticks follow the panel width: only once it is final
            keep_outer_labels_in_layout(ax.get_xticklabels(), renderer)
        return fig

    # what page i reads: its places' rows, colours and names, and what all pages share
    shared = (ncols, top_n, int(lens.min()), int(lens.max()), xmax, len(chunks))
    inputs = [(i, part, shared, tfidf[tfidf["city"].isin(part)], [colors[c] for c in part], [en.get(c) for c in part])
              for i, part in enumerate(chunks)]
    return FigurePages(page_keys(len(chunks)), draw, lang, inputs=inputs)

"""The titled-figure layout every figure-level chart uses: a header block above the plot body.

Input: the figure width, the height the plot body needs, a title (what the figure shows) and a
subtitle (how to read it). Output: a Figure whose height is body + header, with the title and a grey
subtitle wrapped to the figure width at the top left, and the axes laid out below the header.
Figures get copied out of the notebooks without the surrounding text, so every figure carries its
own title and reading instructions.

Use::

    fig, top = titled_figure(width, body, title, subtitle)
    ax = fig.add_subplot(111)
    ...                                   # draw
    tight_below_header(fig, top)
"""
from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .labels import fill, wrap_lines
from .text_cache import cached_text

__all__ = [
    "TITLE_PT",
    "SUBTITLE_PT",
    "figure_height",
    "add_header",
    "tight_below_header",
    "titled_figure",
    "empty_figure",
    "new_axes",
    "axes_message",
]

TITLE_PT, SUBTITLE_PT = 13.0, 9.0
_LINE = 1.45 / 72.0  # inches per point of font size, per line (Noto Sans SC line height)
_SIDE_IN = 0.7  # text width = figure width - this (left margin plus room on the right)
_TITLE_EM = 1.06  # the title face runs a little wider than the wrap estimate at 13 pt


def _title_lines(title: str, width_in: float) -> list[str]:
    return wrap_lines(title, width_in - _SIDE_IN, TITLE_PT * _TITLE_EM)


def _subtitle_lines(subtitle: str | None, width_in: float) -> list[str]:
    return wrap_lines(subtitle, width_in - _SIDE_IN, SUBTITLE_PT) if subtitle else []


def figure_height(body_in: float, width_in: float, title: str, subtitle: str | None = None) -> float:
    """Input: the plot body height and the figure width in inches, title and subtitle.
    Output: the figure height in inches, body plus room for the wrapped title and subtitle."""
    t = len(_title_lines(title, width_in)) * TITLE_PT * _LINE
    s = len(_subtitle_lines(subtitle, width_in)) * SUBTITLE_PT * _LINE
    return body_in + t + s + 0.35


def add_header(fig: Figure, title: str, subtitle: str | None = None) -> float:
    """Draw a left-aligned title (the figure's suptitle) and a grey subtitle, wrapped to the figure
    width. Output: the top of the area left for axes, in figure fraction (for
    :func:`tight_below_header`)."""
    w_in, h_in = fig.get_size_inches()
    t_lines = _title_lines(title, w_in)
    s_lines = _subtitle_lines(subtitle, w_in)
    y = 1 - 0.08 / h_in
    fig.suptitle("\n".join(t_lines), x=0.01, y=y, ha="left", va="top", fontsize=TITLE_PT)
    y -= (len(t_lines) * TITLE_PT * _LINE + 0.06) / h_in
    if s_lines:
        fig.text(0.01, y, "\n".join(s_lines), ha="left", va="top", fontsize=SUBTITLE_PT, color="0.3")
        y -= (len(s_lines) * SUBTITLE_PT * _LINE + 0.08) / h_in
    return max(0.3, y)


def tight_below_header(fig: Figure, top: float, bottom: float = 0.0, **kwargs: Any) -> None:
    """``tight_layout`` inside the area below the header (``bottom`` .. ``top``, figure fraction).

    tight_layout would reserve room for the suptitle a second time, so the suptitle is taken out of
    the layout while laying out, and put back so that ``bbox_inches='tight'`` keeps it."""
    st = fig._suptitle
    if st is not None:
        st.set_in_layout(False)
    with cached_text(fig):  # the layout measures every label: the same sizes, from the process's cache
        fig.tight_layout(rect=(0, bottom, 1, top), **kwargs)
    if st is not None:
        st.set_in_layout(True)


def titled_figure(width_in: float, body_in: float, title: str, subtitle: str | None = None) -> tuple[Figure, float]:
    """Input: figure width and plot body height in inches, title, subtitle.
    Output: a new (pyplot-managed) Figure with the header drawn, and the top of the body area."""
    fig = plt.figure(figsize=(width_in, figure_height(body_in, width_in, title, subtitle)))
    return fig, add_header(fig, title, subtitle)


def empty_figure(title: str, message: str, width: float = 8.0) -> Figure:
    """A titled figure that says in words why there is nothing to plot."""
    fig, top = titled_figure(width, 1.4, title)
    fig.text(0.5, top / 2, fill(message, width - 1, 11), ha="center", va="center", fontsize=11, color="0.3")
    return fig


def new_axes(ax: Axes | None) -> Axes:
    """``ax`` itself, or the Axes of a new figure when it is None (axes-level functions draw on
    whatever they are given)."""
    if ax is not None:
        return ax
    return plt.figure().add_subplot(111)


def axes_message(ax: Axes, message: str, *, fontsize: float = 11, color: str = "0.3",
                 width_in: float | None = None) -> Axes:
    """Write ``message`` in the middle of an empty ``ax`` (wrapped to ``width_in`` when given) and
    hide the axis: a chart with nothing to show says why instead of staying blank."""
    msg = fill(message, width_in, fontsize) if width_in else message
    ax.text(0.5, 0.5, msg, ha="center", va="center", transform=ax.transAxes, fontsize=fontsize, color=color)
    ax.set_axis_off()
    return ax


def cell_borders(ax: Axes, n_cols: int, n_rows: int, lw: float) -> None:
    """White borders ``lw`` points wide between the cells of a matrix drawn one cell per unit (the
    coverage matrix, the ambition heatmaps), and no ticks or spines around it."""
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", lw=lw)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)

"""Checks that a figure can be read: no text on top of other text, and an image of a sane size.

* :func:`text_overlaps` -- pairs of visible text artists (titles, labels, annotations, legend entries,
  and the tick labels matplotlib actually draws) whose rendered boxes overlap by more than a tolerance;
* :func:`saved_size_px` -- the size of the PNG ``save_figure`` would write (``bbox_inches='tight'``).

Extents are measured at a low dpi (everything in a figure scales with the dpi, so overlaps do too)."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

CHECK_DPI = int(__import__("os").environ.get("CHECK_DPI", 40))
SAVE_DPI = 150
MAX_SIDE_PX = 4000
MAX_PIXELS = 12_000_000
TOLERANCE_PT = 1.5  # overlaps smaller than this (in both directions) are rounding, not a collision


def _drawn_tick_labels(fig: Figure) -> tuple[set[int], set[int]]:
    """ids of every tick label, and of those matplotlib draws (inside the view, axis on)."""
    every, drawn = set(), set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():  # noqa: SLF001 -- the ticks an Axis draws are only known here
            for tick in axis.majorTicks + axis.minorTicks:
                every |= {id(tick.label1), id(tick.label2)}
            if not (ax.get_visible() and ax.axison and axis.get_visible()):
                continue
            for tick in axis._update_ticks():  # noqa: SLF001
                drawn |= {id(t) for t in (tick.label1, tick.label2) if t.get_visible()}
    return every, drawn


def visible_texts(fig: Figure) -> list[Text]:
    """Every text artist that is drawn, with text in it."""
    fig.set_dpi(CHECK_DPI)
    fig.draw_without_rendering()
    every, drawn = _drawn_tick_labels(fig)
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if id(t) in every and id(t) not in drawn:
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        out.append(t)
    return out


def text_overlaps(fig: Figure, limit: int = 8) -> list[str]:
    """Up to ``limit`` descriptions of overlapping pairs of texts (empty: none overlap)."""
    texts = visible_texts(fig)
    if len(texts) < 2:
        return []
    renderer = fig.canvas.get_renderer()
    boxes = np.array([[*t.get_window_extent(renderer).extents] for t in texts])  # x0, y0, x1, y1
    tol = TOLERANCE_PT * CHECK_DPI / 72.0
    found = []
    for start in range(0, len(texts), 500):
        b = boxes[start:start + 500]
        ix = np.minimum(b[:, None, 2], boxes[None, :, 2]) - np.maximum(b[:, None, 0], boxes[None, :, 0])
        iy = np.minimum(b[:, None, 3], boxes[None, :, 3]) - np.maximum(b[:, None, 1], boxes[None, :, 1])
        hit = (ix > tol) & (iy > tol)
        for i, j in zip(*np.nonzero(hit)):
            i += start
            if j <= i:
                continue
            found.append(f"{texts[i].get_text()[:30]!r} / {texts[j].get_text()[:30]!r}")
            if len(found) >= limit:
                return found
    return found


def saved_size_px(fig: Figure, dpi: int = SAVE_DPI) -> tuple[int, int]:
    """Width and height in pixels of the figure saved with ``bbox_inches='tight'`` at ``dpi``."""
    fig.set_dpi(CHECK_DPI)
    renderer = fig.canvas.get_renderer()
    bbox = fig.get_tightbbox(renderer)  # inches
    return int(round((bbox.width + 0.2) * dpi)), int(round((bbox.height + 0.2) * dpi))


def problems(fig: Figure) -> list[str]:
    """What is wrong with ``fig`` at its saved size: too big, or texts overlapping."""
    out = []
    w, h = saved_size_px(fig)
    if max(w, h) > MAX_SIDE_PX or w * h > MAX_PIXELS:
        out.append(f"image {w} x {h} px at {SAVE_DPI} dpi (limit {MAX_SIDE_PX} px a side, "
                   f"{MAX_PIXELS / 1e6:.0f} MP)")
    if max(w, h) < 20 * MAX_SIDE_PX:  # a figure this big is already failing; do not render it
        out += [f"overlap: {o}" for o in text_overlaps(fig)]
    return out

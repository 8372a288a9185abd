"""Text drawn from per-process caches, for saving many similar figures in one process (the city
profile pages): the same pixels as Matplotlib's Agg draws, a fraction of the time.

``with cached_text(fig): save_figure(fig, ...)``. The caches hold, per process, the measured size of
each string, the glyphs of each laid-out string and each glyph's bitmap per sub-pixel position. The
glyph-level part uses private calls of Matplotlib (3.10 and later); with another Matplotlib, or if
those calls fail, text is drawn by Agg's own path and only the measurements are cached.
``tests/viz/test_viz_profile_pages.py`` checks the pixels against Agg's.
"""
from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterator

import numpy as np
from matplotlib.backends.backend_agg import (
    FigureCanvasAgg,
    RendererAgg,
    get_hinting_flag,
)
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import FT2Font

try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # matplotlib < 3.10: no glyph-level calls, see _CachedTextRenderer
    RenderMode = None

__all__ = ["cached_text"]

# --------------------------------------------------------------------------------------------
# text drawn from a per-process cache (saving the figures of many pages)
# --------------------------------------------------------------------------------------------
# Every page repeats most of its words (theme labels, tick labels, legends, subtitles), and laying
# out and rasterising glyphs with the CJK font is most of the time Agg spends on a page. The canvas
# below keeps, per process, the measured size of each string, the glyphs of each laid-out string
# and each glyph's bitmap per sub-pixel position, and draws exactly the pixels Agg would (a glyph
# moved by whole pixels rasterises to the same bitmap moved); with a matplotlib lacking the
# glyph-level calls (before 3.11) it caches the measurements only.
_METRICS: dict[tuple, tuple[float, float, float]] = {}
_LAYOUTS: dict[tuple, list[tuple]] = {}
_GLYPHS: dict[tuple, tuple[np.ndarray, int, int]] = {}
_PNG_LEVEL = 1
_CACHE_MAX = 200_000  # entries per cache; cleared when full (a run needs a few thousand)
_GLYPH_CALLS = RenderMode is not None and all(hasattr(FT2Font, a) for a in ("_layout", "_render_glyph", "_set_transform")) and hasattr(
    RendererAgg, "_draw_text_glyphs_and_boxes")


_GLYPHS_BROKEN: list[bool] = []  # set when the private glyph calls failed once: Agg's own path from then on


def _remember(cache: dict, key: tuple, value):
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value
    return value


class _CachedTextRenderer(RendererAgg):
    """RendererAgg whose text measurements, layouts and glyph bitmaps come from process-wide caches."""

    def _font_key(self, prop) -> tuple:
        return (tuple(_font_files(prop)), prop.get_size_in_points(), self.dpi, get_hinting_flag())

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, *self._font_key(prop))
        hit = _METRICS.get(key)
        return hit if hit is not None else _remember(_METRICS, key,
                                                      super().get_text_width_height_descent(s, prop, ismath))

    def _get_font_height_metrics(self, prop):
        # Text._get_layout asks a renderer for this before reading the font's tables itself (twice
        # per text and draw): the same numbers, read once per font and size
        key = (*self._font_key(prop), "heights")
        hit = _METRICS.get(key)
        if hit is None:
            hit = (None, None, None)
            font = get_font(fontManager._find_fonts_by_props(prop))
            for table, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                ("hhea", "lineGap", "ascent", "descent")):
                values = font.get_sfnt_table(table)
                if values is not None:
                    # the same expression as Text._get_layout, so the same floats
                    scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * self.dpi / 72
                    hit = (values[ascent] * scale, -values[descent] * scale, values[gap] * scale)
                    break
            _remember(_METRICS, key, hit)
        return hit

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not _GLYPH_CALLS or _GLYPHS_BROKEN:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        try:
            return self._draw_text_cached(gc, x, y, s, prop, angle, mtext)
        except Exception:  # noqa: BLE001 - private calls of another Matplotlib: draw as Matplotlib does
            _GLYPHS_BROKEN.append(True)
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)

    def _draw_text_cached(self, gc, x, y, s, prop, angle, mtext):
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, features, language, *self._font_key(prop))
        items = _LAYOUTS.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = _remember(_LAYOUTS, key, [(i.ft_object, i.glyph_index, i.x, i.y) for i in font._layout(
                s, flags=get_hinting_flag(), features=features, language=language)])
        size = prop.get_size_in_points()
        self._draw_text_glyphs_and_boxes(gc, x, y, angle, ((f, size, g, 0, 1, gx, gy) for f, g, gx, gy in items), [])

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        boxes = list(boxes)
        if boxes:  # mathtext rules: Agg's own path
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        flags = get_hinting_flag()
        antialiased = bool(gc.get_antialiased())
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        height = self.height
        for font, size, glyph, slant, extend, dx, dy in glyphs:  # dy is upwards
            matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[extend, extend * slant], [0, 1]]).round().astype(int)
            # the glyph's position in 1/64 pixel, split into whole pixels and the sub-pixel phase
            ix, fx = divmod(round(0x40 * (x + dx * cos - dy * sin)), 0x40)
            iy, fy = divmod(round(0x40 * (height - y + dx * sin + dy * cos)), 0x40)
            key = (font.fname, font.face_index, size, self.dpi, glyph, matrix.tobytes(), fx, fy, flags, antialiased)
            hit = _GLYPHS.get(key)
            if hit is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [fx, fy])
                bitmap = font._render_glyph(glyph, flags, mode)
                buffer = np.array(bitmap.buffer, copy=True)  # the font reuses its glyph slot
                if not antialiased:
                    buffer *= 0xff
                hit = _remember(_GLYPHS, key, (buffer, bitmap.left, bitmap.top))
            buffer, left, top = hit
            # draw_text_image's y is downwards and the bitmap's bottom side
            self._renderer.draw_text_image(buffer, left + ix, int(height) - (top + iy) + buffer.shape[0], 0, gc)


@functools.lru_cache(maxsize=1024)
def _font_files_cached(prop) -> tuple:
    return tuple(str(f) for f in fontManager._find_fonts_by_props(prop))


def _font_files(prop) -> tuple:
    return _font_files_cached(prop.copy())  # FontProperties is mutable; its hash is its state


class _CachedTextCanvas(FigureCanvasAgg):
    """Agg canvas drawing with :class:`_CachedTextRenderer`, writing PNGs with fast compression."""

    def print_png(self, filename_or_obj, *, metadata=None, pil_kwargs=None, **_print_figure_kw):
        # print_figure passes dpi, facecolor... to methods outside matplotlib; it has applied them
        # zlib level 1 instead of 6: a third of the encoding time and, for these flat-coloured charts,
        # files as small; still deterministic
        pil_kwargs = {"compress_level": _PNG_LEVEL, **(pil_kwargs or {})}
        return super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _CachedTextRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


@contextlib.contextmanager
def cached_text(fig: Figure) -> Iterator[Figure]:
    """``with cached_text(fig): save_figure(fig, ...)`` draws the figure's text from the per-process
    caches above: the same pixels, a fraction of the time when many similar figures are saved in one
    process. Input: a Figure. Output: the same Figure (its own canvas is back after the block)."""
    old = fig.canvas
    _CachedTextCanvas(fig)
    try:
        yield fig
    finally:
        fig.set_canvas(old)

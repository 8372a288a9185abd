"""Figure style: a CJK font that is always there, a style context, and byte-stable output files.

Input: a language (``'zh'``/``'en'``) and matplotlib Figures. Output: a context manager that applies
the figure style for the duration of a block (:func:`cjk_style`) and figure files written
deterministically and atomically (:func:`save_figure`). Bottom of :mod:`qualitylib.viz`: imports
nothing from the other viz modules.

Why this exists:
* matplotlib's default DejaVu Sans has no Chinese glyphs, so titles turn into tofu boxes and
  matplotlib warns "Glyph ... missing from font(s)". We register Noto Sans SC from the
  ``pylopdf-fonts-zh-cn`` package, a declared dependency, instead of relying on system fonts
  that differ between a developer's machine and CI.
* The style is applied with :func:`matplotlib.rc_context`, never by mutating the global
  ``rcParams``: a caller's own settings survive every call into :mod:`qualitylib.viz`.
* Re-running a notebook should not produce a diff unless the figure changed. So timestamps and
  software versions are stripped from the metadata, SVG ids are salted with a fixed string, and
  text is stored as paths (no font-dependent rendering).
"""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import matplotlib
from matplotlib import font_manager

from ..atomic import write_bytes_atomic
from .text_cache import cached_text

__all__ = [
    "FONT_PACKAGE",
    "FIGURE_DPI",
    "SAVE_DPI",
    "SVG_HASHSALT",
    "LANGS",
    "check_lang",
    "find_cjk_font",
    "register_cjk_font",
    "style_rc",
    "cjk_style",
    "styled",
    "save_figure",
    "despine",
]

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
#: pip name of the font package, for error messages
FONT_DISTRIBUTION = "pylopdf-fonts-zh-cn"
FIGURE_DPI = 100
SAVE_DPI = 150
SVG_HASHSALT = "qualitylib"
LANGS = ("zh", "en")

# Per-format metadata that would otherwise embed a timestamp or the matplotlib version.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}

F = TypeVar("F", bound=Callable[..., Any])


def check_lang(lang: str) -> str:
    """Input: a figure language. Output: it unchanged; ValueError unless it is 'zh' or 'en', so a typo
    fails before anything is drawn."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return lang


def find_cjk_font(package: str = FONT_PACKAGE) -> Path:
    """Locate the Noto Sans SC font file shipped inside ``package``.

    Input: an importable package name. Output: path to a ``.otf``/``.ttf`` file, preferring a
    Sans SC face over Serif. Raises RuntimeError naming the package if nothing is found.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"CJK font package {package!r} is not installed; install it with "
            f"`pip install {FONT_DISTRIBUTION}` (it is a declared dependency of qualitylib)"
        )
    candidates: list[Path] = []
    for loc in spec.submodule_search_locations:
        for pattern in ("*.otf", "*.ttf", "*.OTF", "*.TTF"):
            candidates.extend(Path(loc).rglob(pattern))
    if not candidates:
        raise RuntimeError(
            f"no .otf/.ttf font file found inside package {package!r} "
            f"({list(spec.submodule_search_locations)}); reinstall {FONT_DISTRIBUTION}"
        )

    def rank(p: Path) -> tuple[int, int, str]:
        name = p.name.lower()
        # Sans for figures (thin serif strokes get lost at figure sizes); Regular weight first
        return (0 if "sans" in name and "sc" in name else 1 if "sans" in name else 2,
                0 if "regular" in name else 1, name)

    return sorted(set(candidates), key=rank)[0]


@functools.lru_cache(maxsize=None)
def register_cjk_font(package: str = FONT_PACKAGE) -> str:
    """Add the CJK font of ``package`` to matplotlib's font manager (once per process: every
    ``addfont`` call would add duplicate entries and clear the font lookup cache).
    Output: the font family name (``'Noto Sans SC'``)."""
    path = find_cjk_font(package)
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def style_rc(lang: str = "zh") -> dict[str, Any]:
    """The rcParams every figure uses.

    Input: ``lang`` ('zh' or 'en'). The CJK font is used either way -- English figures still show
    Chinese city names and TF-IDF terms -- but ``lang`` is validated here so a typo fails early.
    Output: a dict for :func:`matplotlib.rc_context`: font family with Noto Sans SC first,
    ``axes.unicode_minus=False`` (an ASCII hyphen for negative tick labels, which every fallback
    font has and which matches how numbers are written in our CSV tables), fixed ``svg.hashsalt``,
    ``svg.fonttype='path'`` so SVGs render identically without the font installed, and fixed
    figure/savefig dpi.
    """
    check_lang(lang)
    name = register_cjk_font()
    fallback = [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    return {
        # the font by name, not only through the "sans-serif" alias: text keeps the family it was
        # created with, so a figure drawn outside the block (a notebook showing it) still finds the
        # CJK font, while the alias would be looked up again in the caller's rcParams
        "font.family": [name, "sans-serif"],
        "font.sans-serif": [name, *fallback],
        "axes.unicode_minus": False,
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": SAVE_DPI,
        "savefig.facecolor": "white",
    }


@contextlib.contextmanager
def cjk_style(lang: str = "zh") -> Iterator[str]:
    """``with cjk_style(lang): ...`` draws (and saves) with the figure style of :func:`style_rc`.

    Output: the font family name, as the ``as`` target. The global rcParams are exactly as before
    once the block ends (also on an exception). Text takes its font when it is created and tick
    labels take their minus sign when the figure is drawn, so both creating and saving a figure
    must happen inside the block -- figure-level functions and :func:`save_figure` do that.
    """
    rc = style_rc(lang)
    with matplotlib.rc_context(rc):
        yield rc["font.sans-serif"][0]


def styled(func: F) -> F:
    """Decorator: run ``func`` inside ``cjk_style(lang)``, ``lang`` being its keyword argument
    (default 'zh'), so a plotting function needs no global state from its caller."""

    @functools.wraps(func)
    def wrapper(*args: Any, lang: str = "zh", **kwargs: Any) -> Any:
        with cjk_style(lang):
            return func(*args, lang=lang, **kwargs)

    return wrapper  # type: ignore[return-value]


def save_figure(
    fig: Any,
    path_without_suffix: str | os.PathLike[str],
    formats: Iterable[str] = ("png", "svg"),
    *,
    lang: str = "zh",
    dpi: int | None = None,
    bbox_inches: str | None = "tight",
) -> list[Path]:
    """Save ``fig`` once per format, deterministically and atomically.

    Input: a matplotlib Figure, a path *without* suffix (``figures/emphasis_shares``; a dot in
    the stem is kept), formats among png/svg/pdf, the figure's ``lang``.

    Output: list of written paths (``<path>.<fmt>``), in ``formats`` order.

    The figure is rendered inside :func:`cjk_style` (fixed dpi, SVG hash salt, white background)
    into memory and written with :func:`qualitylib.atomic.write_bytes_atomic`: a crash never leaves
    a half-written figure, readers never see one, and files get mode 0644. Metadata that would
    change between runs (dates, software version) is removed, so saving the same figure twice
    gives byte-identical files.
    """
    base = Path(path_without_suffix)
    formats = [f.lower() for f in formats]
    if not formats:
        raise ValueError("formats is empty: nothing to save")
    unknown = [f for f in formats if f not in _METADATA]
    if unknown:
        raise ValueError(f"unsupported format(s) {unknown}; use any of {sorted(_METADATA)}")
    written: list[Path] = []
    # text from the process's caches of sizes, layouts and glyphs: the same pixels, a third less time
    # when a notebook saves dozens of pages (see viz.text_cache)
    with cjk_style(lang), cached_text(fig):
        for fmt in formats:
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, metadata=dict(_METADATA[fmt]),
                        dpi=dpi if dpi is not None else matplotlib.rcParams["savefig.dpi"],
                        bbox_inches=bbox_inches)
            written.append(write_bytes_atomic(base.parent / f"{base.name}.{fmt}", buf.getvalue()))
    return written


def despine(ax: Any, sides: Iterable[str] = ("top", "right")) -> None:
    """Input: an Axes. Output: none; hides the given spines (the clean look every figure shares)."""
    for side in sides:
        ax.spines[side].set_visible(False)

"""Figure style for the notebooks: a CJK font that is always there, and byte-stable output files.

Why this exists:
* matplotlib's default DejaVu Sans has no Chinese glyphs, so titles turn into tofu boxes and
  matplotlib warns "Glyph ... missing from font(s)". We register Noto Sans SC from the
  ``pylopdf-fonts-zh-cn`` package, a declared dependency, instead of relying on system fonts
  that differ between a developer's machine and CI.
* Figures are committed; re-running a notebook should not produce a diff unless the figure
  changed. So timestamps/software versions are stripped from the metadata, SVG ids are
  salted with a fixed string, and text is stored as paths (no font-dependent rendering).
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterable

import matplotlib
from matplotlib import font_manager

__all__ = [
    "FONT_PACKAGE",
    "FIGURE_DPI",
    "SAVE_DPI",
    "find_cjk_font",
    "use_cjk_style",
    "save_figure",
    "city_label",
]

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
#: pip name of the font package, for error messages
FONT_DISTRIBUTION = "pylopdf-fonts-zh-cn"
FIGURE_DPI = 100
SAVE_DPI = 150
SVG_HASHSALT = "qualitylib"

# Per-format metadata that would otherwise embed a timestamp or the matplotlib version.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


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

    def rank(p: Path) -> tuple[int, str]:
        name = p.name.lower()
        # Sans for figures (thin serif strokes get lost at figure sizes); Regular weight first
        return (0 if "sans" in name and "sc" in name else 1 if "sans" in name else 2,
                0 if "regular" in name else 1, name)

    return sorted(set(candidates), key=rank)[0]


def use_cjk_style(lang: str = "zh") -> str:
    """Register Noto Sans SC and set the rcParams every notebook figure uses.

    Input: ``lang`` ('zh' or 'en'). The CJK font is set either way -- English figures still show
    Chinese city names and TF-IDF terms -- but ``lang`` is validated here so a typo fails early.

    Output: the registered font family name (``'Noto Sans SC'``).
    Side effect: updates ``matplotlib.rcParams`` (font family with that font first,
    ``axes.unicode_minus=False`` -- an ASCII hyphen for negative tick labels, which every
    fallback font has (Noto Sans SC does have U+2212, but many CJK fonts do not) and which
    matches how numbers are written in our CSV tables --, fixed ``svg.hashsalt``,
    ``svg.fonttype='path'`` so SVGs render identically without the font installed, and fixed
    figure/savefig dpi).
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    path = find_cjk_font()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    rc = matplotlib.rcParams
    fallback = [f for f in rc["font.sans-serif"] if f != name]
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [name, *fallback]
    rc["axes.unicode_minus"] = False
    rc["svg.hashsalt"] = SVG_HASHSALT
    rc["svg.fonttype"] = "path"
    rc["pdf.fonttype"] = 42
    rc["figure.dpi"] = FIGURE_DPI
    rc["savefig.dpi"] = SAVE_DPI
    rc["savefig.facecolor"] = "white"
    return name


def save_figure(
    fig: Any,
    path_without_suffix: str | os.PathLike[str],
    formats: Iterable[str] = ("png", "svg"),
    *,
    dpi: int | None = None,
    bbox_inches: str | None = "tight",
) -> list[Path]:
    """Save ``fig`` once per format, deterministically and atomically.

    Input: a matplotlib Figure, a path *without* suffix (``figures/emphasis_shares``; a dot in
    the stem is kept), formats among png/svg/pdf.

    Output: list of written paths (``<path>.<fmt>``), in ``formats`` order.

    Each file is written to a temporary file in the target folder and moved into place with
    :func:`os.replace`, so a crash never leaves a half-written figure, and readers never see
    one. Metadata that would change between runs (dates, software version) is removed, so
    saving the same figure twice gives byte-identical files (call :func:`use_cjk_style` first
    for the fixed SVG hash salt).
    """
    base = Path(path_without_suffix)
    formats = list(formats)
    if not formats:
        raise ValueError("formats is empty: nothing to save")
    unknown = [f for f in formats if f.lower() not in _METADATA]
    if unknown:
        raise ValueError(f"unsupported format(s) {unknown}; use any of {sorted(_METADATA)}")
    base.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        fmt = fmt.lower()
        target = base.parent / f"{base.name}.{fmt}"
        fd, tmp = tempfile.mkstemp(dir=base.parent, prefix=f".{base.name}.", suffix=f".{fmt}.tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fig.savefig(
                    fh, format=fmt, metadata=dict(_METADATA[fmt]),
                    dpi=dpi if dpi is not None else matplotlib.rcParams["savefig.dpi"],
                    bbox_inches=bbox_inches,
                )
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        written.append(target)
    return written


def city_label(row_or_name: Any, lang: str = "zh", city_en: str | None = None) -> str:
    """Display name of a city in the figure language.

    Input: either a row-like object (pandas Series / dict / namedtuple with ``city`` and
    ``city_en``) or a Chinese city name string plus, for English, ``city_en``.
    Output: the Chinese name for ``lang='zh'``; the pinyin/English name for ``lang='en'``.
    Raises ValueError when English is asked for and no English name is available, rather
    than silently mixing languages on one axis.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    if isinstance(row_or_name, str):
        zh, en = row_or_name, city_en
    elif isinstance(row_or_name, Mapping) or hasattr(row_or_name, "get"):
        zh, en = row_or_name.get("city"), row_or_name.get("city_en", city_en)
    elif hasattr(row_or_name, "city"):
        zh, en = getattr(row_or_name, "city"), getattr(row_or_name, "city_en", city_en)
    else:
        raise ValueError(f"expected a city name or a row with 'city'/'city_en', got {type(row_or_name).__name__}")
    if lang == "zh":
        if not isinstance(zh, str) or not zh:
            raise ValueError(f"no Chinese city name in {row_or_name!r}")
        return zh
    if en is None or (not isinstance(en, str)) or not en:
        raise ValueError(f"no English (city_en) name for {zh!r}; pass city_en=... or a row with city_en")
    return en


def despine(ax, sides=("top", "right")) -> None:
    """Input: an Axes. Output: none; hides the given spines (the clean look every figure shares)."""
    for side in sides:
        ax.spines[side].set_visible(False)

"""The contract of every chart in qualitylib.viz, on the seed documents' tables:

* ``plot_<chart>(..., ax=ax)`` draws on that Axes and returns it; without ``ax`` it makes one;
* ``<chart>_figure(..., lang=...)`` returns a Figure with a title in that language, renders without
  missing glyphs, names cities in pinyin in English, and leaves the global rcParams as they were;
* a saved figure is byte-identical when saved twice, and when drawn again from the same data.
"""
from __future__ import annotations

import io
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from qualitylib import viz

LANGS = ("zh", "en")
FIGURES = ["coverage_matrix", "family_counts", "indicator_comparison", "ambition_heatmap", "counts_log", "reference_gaps",
           "theme_accuracy", "theme_shares", "differences", "tfidf_terms", "dendrogram", "silhouette",
           "cluster_stability", "pca_biplot",
           "city_targets", "city_emphasis", "nearest_peers"]
AXES = sorted(n for n in viz.__all__ if n.startswith("plot_"))


def _has_cjk(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


def _rc() -> dict:
    return {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}


def _glyph_problems(fig: Figure, path) -> list[str]:
    """Save the figure as the notebooks do; output: the missing-glyph warnings raised meanwhile."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        viz.save_figure(fig, path, ("png",), dpi=50)
    return [str(w.message) for w in rec if "Glyph" in str(w.message) or "missing from" in str(w.message)]


def _all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_every_chart_is_covered(figure_makers, axes_makers):
    figure_level = sorted(n.removesuffix("_figure") for n in viz.__all__
                          if n.endswith("_figure") and n != "save_figure")
    assert figure_level == sorted(FIGURES) == sorted(figure_makers)
    assert AXES == sorted(axes_makers) and len(AXES) == 12
    # every single-panel chart has both levels
    assert all(f"{name.removeprefix('plot_')}_figure" in viz.__all__ for name in AXES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", AXES)
def test_plot_draws_on_the_given_axes_and_returns_it(name, lang, axes_makers):
    fig, (ax, other) = plt.subplots(1, 2)
    out = axes_makers[name](ax, lang)
    assert out is ax
    assert ax.get_children() and (ax.lines or ax.collections or ax.images or ax.patches or ax.texts)
    assert not (other.lines or other.collections or other.images or other.texts)  # nothing drawn elsewhere
    assert fig.get_suptitle() == ""  # axes-level: no title block


@pytest.mark.parametrize("name", AXES)
def test_plot_without_axes_makes_one(name, axes_makers):
    ax = axes_makers[name](None, "zh")
    assert isinstance(ax, Axes) and ax.figure is not None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FIGURES)
def test_figure_has_title_in_its_language_and_all_glyphs(name, lang, figure_makers, tmp_path):
    before = _rc()
    fig = figure_makers[name](lang)
    assert _rc() == before  # no global style left behind
    assert isinstance(fig, Figure)
    title = fig.get_suptitle()
    assert len(title) > 10, f"{name}: no title"
    assert _has_cjk(title) == (lang == "zh"), title
    assert _glyph_problems(fig, tmp_path / name) == []


@pytest.mark.parametrize("name", [n for n in FIGURES
                                  if n not in ("city_targets", "tfidf_terms", "silhouette", "theme_accuracy")])
def test_english_figures_name_cities_in_pinyin(name, figure_makers, tables):
    text = _all_text(figure_makers[name]("en"))
    docs = tables["documents"]
    assert not [c for c in docs["city"] if c in text], f"{name}: Chinese city names in an English figure"
    assert any(e in text for e in docs["city_en"]), f"{name}: no pinyin city name"


def test_figures_reject_an_unknown_language(figure_makers):
    for name in ("coverage_matrix", "silhouette", "nearest_peers"):
        with pytest.raises(ValueError, match="lang"):
            figure_makers[name]("fr")


@pytest.mark.parametrize("name", FIGURES)
def test_saved_figure_is_byte_identical_twice(name, figure_makers, tmp_path):
    fig = figure_makers[name]("zh")
    first = [p.read_bytes() for p in viz.save_figure(fig, tmp_path / "a", ("png", "svg"), dpi=60)]
    second = [p.read_bytes() for p in viz.save_figure(fig, tmp_path / "a", ("png", "svg"), dpi=60)]
    assert first == second
    # drawing the same data again gives the same bytes (the label placement is deterministic too)
    again = [p.read_bytes() for p in viz.save_figure(figure_makers[name]("zh"), tmp_path / "b", ("png", "svg"), dpi=60)]
    assert again == first


def test_figure_in_a_notebook_style_loop_does_not_leak(figure_makers):
    """Drawing many figures in a row changes no global state (the old API mutated rcParams)."""
    before = _rc()
    for name in FIGURES:
        plt.close(figure_makers[name]("en"))
    assert _rc() == before
    buf = io.BytesIO()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [-1, 1])
    fig.savefig(buf, format="png")
    assert buf.getvalue()

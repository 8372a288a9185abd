"""Figures of the notebooks: one plotting toolkit, bilingual (``lang='zh'`` or ``'en'``).

Input: the processed tables and the outputs of :mod:`qualitylib.analysis`, as DataFrames. Output:
matplotlib objects, in seaborn's two levels --

* ``plot_<chart>(data, *, ax=None, lang='zh', ...) -> Axes`` draws one single-panel chart on the
  Axes given (or on a new one), without a title block;
* ``<chart>_figure(data, *, lang='zh', ...) -> Figure`` sizes a figure, adds the title (what it shows)
  and subtitle (how to read it), and draws the chart; multi-panel charts have only this level.

Both draw inside :func:`cjk_style` (Noto Sans SC, fixed dpi; the global rcParams are left alone), and
:func:`save_figure` writes byte-stable files atomically. Modules: ``style`` (font, style context,
saving), ``labels`` (words, wrapping, number formats, city names and colours), ``layout`` (the
title block), then one module of charts per analysis: ``indicators`` (notebook 01), ``reference_gaps`` and
``ambitions`` (02), ``emphasis``, ``terms`` and ``theme_checks`` (03: coding accuracy, differences between
cities), ``profile`` (04), ``responsibility`` (05).

Many places (``scale``): beyond ten places a cross-city chart draws grey context with a few named or
``highlight=``-ed places instead of a colour per place, sorts by value, and the charts that would grow
with the places come as pages too -- ``<chart>_figures(...)`` returns ``{name suffix: Figure}`` (a
:class:`~qualitylib.viz.scale.FigurePages`, drawn page by page as it is iterated: ``''`` for one
figure, else ``'_p01'``... or per indicator), while ``<chart>_figure(...)`` returns the first page.
"""
from .ambitions import (
    ambition_heatmap_figure,
    ambition_heatmap_figures,
    counts_log_figure,
    indicator_comparison_figure,
    indicator_comparison_figures,
)
from .emphasis import (
    cluster_stability_figure,
    dendrogram_figure,
    pca_biplot_figure,
    plot_cluster_stability,
    plot_dendrogram,
    plot_pca_biplot,
    plot_silhouette,
    plot_theme_shares,
    silhouette_figure,
    theme_shares_figure,
)
from .indicators import (
    coverage_matrix_figure,
    coverage_matrix_figures,
    family_counts_figure,
    plot_coverage_matrix,
    plot_family_counts,
)
from .profile import (
    city_emphasis_figure,
    city_targets_figure,
    nearest_peers_figure,
    plot_city_emphasis,
    plot_city_targets,
    plot_nearest_peers,
)
from .reference_gaps import (
    plot_reference_gaps,
    reference_gaps_figure,
    reference_gaps_figures,
)
from .labels import plan_columns
from .style import cjk_style, save_figure
from .terms import tfidf_terms_figure, tfidf_terms_figures
from .theme_checks import differences_figure, plot_theme_accuracy, theme_accuracy_figure

__all__ = [
    "cjk_style",
    "save_figure",
    "plan_columns",
    # notebook 01
    "coverage_matrix_figure", "family_counts_figure",
    "coverage_matrix_figures",
    "plot_coverage_matrix", "plot_family_counts",
    # notebook 02
    "reference_gaps_figure", "plot_reference_gaps", "reference_gaps_figures",
    "indicator_comparison_figure", "ambition_heatmap_figure", "counts_log_figure",
    "indicator_comparison_figures", "ambition_heatmap_figures",
    # notebook 03
    "theme_accuracy_figure", "theme_shares_figure", "differences_figure", "tfidf_terms_figure",
    "tfidf_terms_figures",
    "dendrogram_figure", "silhouette_figure", "cluster_stability_figure", "pca_biplot_figure",
    "plot_theme_accuracy", "plot_theme_shares", "plot_dendrogram", "plot_silhouette", "plot_cluster_stability",
    "plot_pca_biplot",
    # notebook 04
    "city_targets_figure", "city_emphasis_figure", "nearest_peers_figure",
    "plot_city_targets", "plot_city_emphasis", "plot_nearest_peers",
]

"""Tests for qualitylib.viz.ambitions (notebook 02): the comparison figures follow the comparability
rules -- national references only where comparable, plan types apart, counts on a log axis."""
from __future__ import annotations

import matplotlib

from qualitylib import viz


def _all_text(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_comparison_figure_says_which_national_target(tables, national):
    fig = viz.indicator_comparison_figure(tables["indicator_table"], national, lang="en")
    text = _all_text(fig)
    assert "National target: Test outline, 2020" in text
    assert "No comparable national target" in text
    assert "Other series" not in text and "Too far" not in text
    red = [c for ax in fig.axes for c in ax.collections if matplotlib.colors.to_hex(c.get_color()[0]) == "#c00000"]
    assert red, "no national reference line drawn"
    empty = _all_text(viz.indicator_comparison_figure(tables["indicator_table"], None, lang="en"))
    assert "National target:" not in empty and "No comparable national target" in empty


def test_comparison_has_one_panel_per_comparable_indicator(tables, national):
    from qualitylib.analysis.comparability import comparable_groups

    t = tables["indicator_table"]
    n_groups = comparable_groups(t, 2)["group"].nunique()
    assert n_groups >= 2
    fig = viz.indicator_comparison_figure(t, national, lang="zh")
    assert len(fig.axes) == n_groups
    fig = viz.indicator_comparison_figure(t, national, lang="en", min_cities=9)
    assert "at least 9 cities" in _all_text(fig) and not fig.axes


def test_ambition_heatmap_facets_by_plan_type(tables):
    fig = viz.ambition_heatmap_figure(tables["indicator_table"], lang="en", documents=tables["documents"])
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert any("Multi-year" in t for t in titles) and any("Annual" in t for t in titles)
    facets = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert len(facets) == 2
    title = fig.get_suptitle().lower()
    assert "percentile rank" in title and "kept apart" in title
    assert "min–max" in viz.ambition_heatmap_figure(tables["indicator_table"], lang="en",
                                                    method="minmax").get_suptitle()


def test_counts_use_log_axis(tables):
    fig = viz.counts_log_figure(tables["indicator_table"], lang="zh")
    panels = [ax for ax in fig.axes if ax.get_yticks().size]
    assert len(panels) == 2  # standards and brands
    assert all(ax.get_xscale() == "log" for ax in panels)
    en = viz.counts_log_figure(tables["indicator_table"], lang="en")
    assert "log scale" in en.get_suptitle().lower()
    assert "(1)" in _all_text(en)  # the one growth-rate target left out is counted in the subtitle

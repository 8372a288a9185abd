"""Tests for qualitylib.viz.profile (notebook 04): one city's targets, emphasis and peers."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from qualitylib import viz


def test_city_targets_table_lists_each_indicator(tables):
    t, d = tables["indicator_table"], tables["documents"]
    _, ax = plt.subplots()
    viz.plot_city_targets(t, "Tai'an", ax=ax, lang="en", documents=d)
    texts = [x.get_text() for x in ax.texts]
    assert texts[:5] == ["Indicator", "Series", "Target", "Kind · year", "Quote (line)"]
    n_rows = int((t["city"] == "泰安市").sum())
    assert n_rows > 0 and len(texts) == 5 + 5 * n_rows
    assert "≥30,000" in texts  # registered trademarks, in English without a unit word


def test_city_targets_figure_names_city_and_source(tables):
    t, d = tables["indicator_table"], tables["documents"]
    fig = viz.city_targets_figure(t, "泰安市", lang="zh", documents=d)
    assert fig.get_suptitle().startswith("泰安市")
    assert any(x.get_text().startswith("来源：") for x in fig.texts)
    assert viz.city_targets_figure(t, "Tai'an", lang="en", documents=d).get_suptitle().startswith("Tai'an")
    with pytest.raises(ValueError, match="Atlantis"):
        viz.city_targets_figure(t, "Atlantis", lang="en", documents=d)


def test_city_without_coded_targets_gets_a_message(tables):
    t, d = tables["indicator_table"], tables["documents"]
    fig = viz.city_targets_figure(t[t["city"] != "芜湖市"], "Wuhu", lang="en", documents=d)
    assert "Wuhu" in fig.get_suptitle()
    assert any("sets no numeric target" in x.get_text() for x in fig.texts)


def test_city_emphasis_highlights_the_city(results):
    boot = results["boot"]
    _, ax = plt.subplots()
    viz.plot_city_emphasis(boot, "Wenzhou", ax=ax, lang="en")
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend == ["other cities", "Wenzhou"]
    n_themes = boot["theme"].nunique()
    assert len(ax.get_yticklabels()) == n_themes
    fig = viz.city_emphasis_figure(boot, "温州市", lang="zh")
    assert fig.get_suptitle().startswith("温州市")
    # the page's legend sits below the axes and its x label, not on the intervals of the last themes
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (page_ax,) = fig.axes
    legend = page_ax.get_legend().get_window_extent(renderer)
    assert legend.y1 <= page_ax.xaxis.label.get_window_extent(renderer).y0


def test_nearest_peers_in_order_and_empty(results):
    from qualitylib.analysis.comparability import nearest_peers

    peers = nearest_peers(results["wide"], "温州市")
    _, ax = plt.subplots()
    viz.plot_nearest_peers(peers, "温州市", ax=ax, lang="en", city_en=results["city_en"])
    names = [x.get_text() for x in ax.get_yticklabels()]
    assert names == [results["city_en"][p] for p in peers["peer"]]
    assert "Wenzhou" in ax.get_xlabel()
    assert "cosine" in viz.nearest_peers_figure(peers, "温州市", lang="en").get_suptitle().lower()
    empty = pd.DataFrame(columns=["peer", "cosine", "rank"])
    _, ax = plt.subplots()
    assert viz.plot_nearest_peers(empty, "温州市", ax=ax) is ax and not ax.axison


def test_city_emphasis_rings_credibly_different_cities():
    from qualitylib.analysis import differences, themes

    coded = themes.code_sentences(themes.synthetic_sentences(n_per_city=150, seed=1))
    boot = themes.bootstrap_shares(coded, n_boot=200, seed=1)
    diffs = differences.pairwise_differences(coded, n_boot=3000, seed=1)
    _, ax = plt.subplots()
    viz.plot_city_emphasis(boot, "甲市", ax=ax, lang="en", differences=diffs)
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend == ["other cities", "credibly different city", "Jiashi"]
    ringed = next(ln for ln in ax.lines if ln.get_label() == "credibly different city")
    mine = diffs[(diffs["city_a"] == "甲市") | (diffs["city_b"] == "甲市")]
    assert len(ringed.get_xdata()) == int(mine["credible"].sum()) > 0
    fig = viz.city_emphasis_figure(boot, "甲市", lang="en", differences=diffs)
    assert any("ringed in black" in t.get_text() and "block-bootstrap" in t.get_text() for t in fig.texts)
    plain = viz.city_emphasis_figure(boot, "甲市", lang="en")
    assert any("no test of a difference" in t.get_text() for t in plain.texts)

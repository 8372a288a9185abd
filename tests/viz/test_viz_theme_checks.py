"""Tests for qualitylib.viz.theme_checks (notebook 03): agreement of the theme coding with the hand
coding, and the corrected differences between cities."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from qualitylib import viz
from qualitylib.analysis import differences, themes


def test_accuracy_rows_are_themes_with_three_measures(results):
    sc = results["accuracy"]
    _, ax = plt.subplots()
    viz.plot_theme_accuracy(sc, ax=ax, lang="en")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ticks) == 15 and ticks[0].startswith("Agriculture") and ticks[0].endswith(f"({sc['n_gold'].iloc[0]})")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["precision", "recall", "F1"]
    fig = viz.theme_accuracy_figure(sc, lang="en", n_sentences=138)
    assert "138 sentences" in " ".join(fig.get_suptitle().split())
    assert any("optimistic" in t.get_text() for t in fig.texts)
    with pytest.raises(ValueError, match="score_labels"):
        viz.theme_accuracy_figure(sc.iloc[0:0], lang="en")


def test_differences_one_panel_per_pair_and_title_counts_credible(results):
    d = results["diffs"]
    fig = viz.differences_figure(d, lang="en", city_en=results["city_en"])
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titled) == 10 and titled[0] == "Tai'an − Wenzhou"  # pinyin order, first minus second
    assert f"{int(d['credible'].sum())} of 150" in fig.get_suptitle()
    zh = viz.differences_figure(d, lang="zh")
    assert "校正" in zh.get_suptitle()


def test_differences_are_mirrored_into_figure_order():
    # 丙市 (Bingshi) sorts first in Chinese and in pinyin; 戊市 (Wushi) after 甲市 (Jiashi) in pinyin but
    # before it in Chinese: that pair must be drawn as Jiashi − Wushi with the sign flipped
    coded = themes.code_sentences(themes.synthetic_sentences(n_per_city=150, seed=1))
    d = differences.pairwise_differences(coded, n_boot=3000, seed=1)
    fig = viz.differences_figure(d, lang="en")
    ax = next(a for a in fig.axes if a.get_title() == "Jiashi − Wushi")
    row = d[(d["city_a"] == "戊市") & (d["city_b"] == "甲市")].set_index("theme").loc["services"]
    assert row["credible"] and row["diff"] > 0
    # Jiashi talks less about services: the coloured dot sits left of zero
    dots = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_markersize() == pytest.approx(5.5)]
    xs = sorted(float(np.asarray(ln.get_xdata())[0]) for ln in dots)
    assert xs[0] == pytest.approx(-row["diff"] * 100)


def test_differences_figure_rejects_other_frames(results):
    with pytest.raises(ValueError, match="pairwise_differences"):
        viz.differences_figure(results["boot"], lang="en")

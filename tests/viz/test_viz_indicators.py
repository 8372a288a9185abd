"""Tests for qualitylib.viz.indicators (notebook 01): coverage matrix and family counts show what the
indicator table holds."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from qualitylib import viz


def test_coverage_matrix_has_a_cell_per_city_and_code(tables):
    t, cb, d = tables["indicator_table"], tables["codebook"], tables["documents"]
    _, ax = plt.subplots()
    viz.plot_coverage_matrix(t, ax=ax, lang="en", codebook=cb, documents=d)
    (img,) = ax.images
    n_codes = cb.loc[cb["code"] != "other", "code"].nunique()
    assert img.get_array().shape[:2] == (n_codes, len(d))
    # one number per coloured cell: every city x code of the table (a code may have several rows: series,
    # scope, kind), holding its count of values
    numbers = [int(x.get_text()) for x in ax.texts]
    assert len(numbers) == len(t.drop_duplicates(["city", "code"])) and sum(numbers) == int(t["n_values"].sum())
    cities = [x.get_text().split("\n")[0] for x in ax.get_xticklabels()]
    assert cities == ["Tai'an", "Wenzhou", "Wuhu", "Yichang", "Yinchuan"]
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend[-1] == "not set" and len(legend) >= 3


def test_coverage_matrix_without_codebook_shows_only_codes_in_the_table(tables):
    t = tables["indicator_table"]
    _, ax = plt.subplots()
    viz.plot_coverage_matrix(t, ax=ax, lang="zh")
    assert ax.images[0].get_array().shape[:2] == (t["code"].nunique(), t["city"].nunique())


def test_empty_coverage_says_so(tables):
    empty = tables["indicator_table"].iloc[0:0]
    fig = viz.coverage_matrix_figure(empty, lang="en")
    assert "coverage" in fig.get_suptitle().lower()
    assert any("no numeric target" in x.get_text() for x in fig.texts)


def test_family_counts_bars_count_distinct_codes(tables):
    t, d = tables["indicator_table"], tables["documents"]
    _, ax = plt.subplots()
    viz.plot_family_counts(t, ax=ax, lang="en", documents=d)
    heights = sorted(int(p.get_height()) for p in ax.patches)
    expected = t.groupby(["family", "city"])["code"].nunique()
    n_fam = t["family"].nunique()
    assert len(heights) == n_fam * len(d)  # zero bars included
    assert sum(heights) == int(expected.sum()) and max(heights) == int(expected.max())
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["Tai'an", "Wenzhou", "Wuhu", "Yichang", "Yinchuan"]
    assert ax.get_ylabel() == "Indicators with a target"


def test_titles_say_what_is_shown(tables):
    t, d = tables["indicator_table"], tables["documents"]
    assert "coverage" in viz.coverage_matrix_figure(t, lang="en", documents=d).get_suptitle().lower()
    title = viz.family_counts_figure(t, lang="zh", documents=d).get_suptitle()
    assert "指标个数" in title
    heights = [viz.family_counts_figure(t, lang=lang).get_size_inches()[1] for lang in ("zh", "en")]
    assert np.all(np.array(heights) > 4.2)  # body plus header

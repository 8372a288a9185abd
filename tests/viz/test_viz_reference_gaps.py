"""Tests for qualitylib.viz.reference_gaps (notebook 02's main figure): one row per target with a
reference, gap and failure-rate panels, grades and reference kinds in the legend, zh and en."""
from __future__ import annotations

import matplotlib

from qualitylib import viz


def _all_text(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_seed_gaps_have_graded_national_references(seed_gaps):
    g = seed_gaps
    nat = g[g["ref_level"] == "national"]
    assert set(nat["grade"]) <= {"same", "related", "far"} and "same" in set(nat["grade"])
    wz = nat[nat["city_en"] == "Wenzhou"]
    # Wenzhou names the 2014 action plan it implements; its rates are matched to the outline that plan
    # carries out, and a code that outline sets no number for falls back to another national plan
    cited = wz[wz["plan_cited"].astype(bool)]
    assert set(cited["ref_source_zh"]) == {"质量发展纲要（2011—2020年）"}
    assert "service_satisfaction" in set(wz[~wz["plan_cited"].astype(bool)]["code"])
    assert (g["ref_level"] == "national_actual").any()


def test_reference_gaps_figure_zh_en(seed_gaps):
    g = seed_gaps
    en = viz.reference_gaps_figure(g, lang="en")
    text = _all_text(en)
    assert "failure-rate ratio" in text and "national actual" in text and "related series" in text
    assert "How far each city target" in en.get_suptitle()
    rows = g.drop_duplicates(["doc_id", "code", "series", "kind", "unit"])
    labelled = sum(len(ax.get_yticklabels()) for ax in en.axes if ax.get_yticklabels() and
                   ax.get_yticklabels()[0].get_text())
    assert labelled == len(rows)
    zh = viz.reference_gaps_figure(g, lang="zh")
    assert "不合格率之比" in _all_text(zh)
    assert "No city target" in _all_text(viz.reference_gaps_figure(g.iloc[0:0], lang="en"))

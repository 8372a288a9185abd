"""The charts of notebook 05 on the seeds: each draws in both languages without missing glyphs, the
axes-level ones draw on the Axes given, and empty inputs give a figure that says why."""
from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from qualitylib.analysis import agencies, concreteness, themes
from qualitylib.tables import policy_sentences
from qualitylib.viz import responsibility as vr
from qualitylib.viz import save_figure


@pytest.fixture(scope="module")
def resp(tables) -> dict:
    s = policy_sentences(tables["sentences"])
    coded = themes.code_sentences(s)
    tasks = agencies.task_table(s)
    rows = agencies.agency_rows(tasks, tables["documents"])
    leads = agencies.agency_theme_counts(rows, tasks, coded)
    return {
        "shares": agencies.lead_shares(tasks, rows), "leads": leads,
        "graph": agencies.agency_theme_graph(agencies.agency_theme_counts(rows, tasks, coded, roles=("lead", "co")),
                                             leads=leads, min_tasks=3),
        "conc": concreteness.concreteness_shares(concreteness.sentence_flags(s, tables["documents"]), coded,
                                                 n_boot=20, seed=1),
        "mix": concreteness.kind_mix(tables["targets"], n_boot=20, seed=1),
    }


def _figures(resp, lang):
    return {
        "lead_shares": vr.lead_shares_figure(resp["shares"], lang=lang),
        "matrix": vr.agency_theme_matrix_figure(resp["leads"], lang=lang),
        "network": vr.agency_theme_network_figure(resp["graph"], lang=lang),
        "concreteness": vr.concreteness_figure(resp["conc"], lang=lang),
        "kinds": vr.kind_mix_figure(resp["mix"], lang=lang),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_draws_with_a_title_and_no_missing_glyphs(resp, lang, tmp_path):
    for name, fig in _figures(resp, lang).items():
        assert isinstance(fig, Figure) and fig._suptitle is not None and fig._suptitle.get_text(), name
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            save_figure(fig, tmp_path / f"{name}_{lang}", ("png",), dpi=40)
        assert not [w for w in rec if "Glyph" in str(w.message)], name
        texts = "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
        if lang == "en":
            assert "Wuhu" in texts or name == "network", name
        plt.close(fig)


def test_axes_level_charts_draw_on_the_given_axes(resp):
    for draw, data in [(vr.plot_lead_shares, resp["shares"]), (vr.plot_agency_theme_matrix, resp["leads"]),
                       (vr.plot_agency_theme_network, resp["graph"]), (vr.plot_concreteness, resp["conc"]),
                       (vr.plot_kind_mix, resp["mix"])]:
        fig, ax = plt.subplots()
        assert draw(data, ax=ax, lang="en") is ax
        plt.close(fig)


def test_no_leads_gives_a_figure_that_says_so():
    fig = vr.agency_theme_matrix_figure(pd.DataFrame(columns=["city", "agency", "theme", "n_tasks"]), lang="en")
    assert "names a lead" in "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    plt.close(fig)

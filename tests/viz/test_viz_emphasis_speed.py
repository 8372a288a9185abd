"""Notebook 03's many-panel charts take most tick labels out of the layout to save time
(:func:`qualitylib.viz.terms.keep_outer_labels_in_layout`); that must not change a single pixel."""
from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pytest

from qualitylib import viz
from qualitylib.viz import style, terms, theme_checks

from scale_data import scale_inputs


def _png(fig) -> bytes:
    buf = io.BytesIO()
    with style.cjk_style("en"):
        fig.savefig(buf, format="png", dpi=style.SAVE_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _all_labels_kept(monkeypatch):
    monkeypatch.setattr(terms, "keep_outer_labels_in_layout", lambda labels, renderer: None)
    monkeypatch.setattr(theme_checks, "keep_outer_labels_in_layout", lambda labels, renderer: None)


@pytest.mark.parametrize("chart", ["tfidf", "differences"])
def test_outer_labels_give_the_same_image(chart, monkeypatch):
    data = scale_inputs(40)
    if chart == "tfidf":
        def draw():
            return viz.tfidf_terms_figure(data["tfidf"], lang="en")
    else:
        def draw():
            return viz.differences_figure(data["diffs"], lang="en")
    fast = _png(draw())
    with monkeypatch.context() as m:
        _all_labels_kept(m)
        slow = _png(draw())
    assert fast == slow


def test_only_outer_labels_stay_in_layout():
    fig, ax = plt.subplots()
    ax.set_yticks(range(5))
    ax.set_yticklabels(["a", "much longer label", "b", "c", "d"])
    labels = ax.get_yticklabels()
    terms.keep_outer_labels_in_layout(labels, fig.canvas.get_renderer())
    assert [t.get_in_layout() for t in labels] == [True, True, False, False, True]
    plt.close(fig)

"""Every cross-city figure stays readable with 300 places: no text on top of other text, and no image
bigger than 4000 px a side or 12 megapixels at the saved dpi (see figure_checks.py). The inputs are
synthetic (scale_data.py: 300 made-up places, deterministic), shaped like the processed tables and
the analysis outputs the notebooks plot. Each chart is checked through its ``*_figures`` pages where
it has them, and through the single ``*_figure`` the notebooks call. Marked slow: ~30 charts of 300
places take minutes (``-m 'not slow'`` skips them; the seeds' figures below are checked either way)."""
from __future__ import annotations

import os
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pytest
from figure_checks import problems
from matplotlib.figure import Figure
from scale_data import scale_inputs

from qualitylib import viz
from qualitylib.viz import responsibility as resp

N_PLACES = 300
#: set QUALITYLIB_SCALE_FIGS=/some/dir to keep the pages as PNG files for a look
KEEP = os.environ.get("QUALITYLIB_SCALE_FIGS")


@pytest.fixture(scope="module")
def data() -> dict:
    return scale_inputs(N_PLACES)


def _makers(d: dict) -> dict:
    t, docs, en = d["view"], d["documents"], d["city_en"]
    return {
        "coverage_matrix": lambda: viz.coverage_matrix_figures(t, lang="zh", codebook=d["codebook"], documents=docs),
        "family_counts": lambda: viz.family_counts_figure(t, lang="zh", documents=docs),
        "reference_gaps": lambda: viz.reference_gaps_figures(d["gaps"], lang="zh"),
        "indicator_comparison": lambda: viz.indicator_comparison_figures(t, d["national"], lang="zh"),
        "ambition_heatmap": lambda: viz.ambition_heatmap_figures(t, lang="zh", min_cities=5, documents=docs),
        "counts_log": lambda: viz.counts_log_figure(t, lang="en"),
        "theme_shares": lambda: viz.theme_shares_figure(d["boot"], lang="zh"),
        "differences": lambda: viz.differences_figure(d["diffs"], lang="zh", city_en=en),
        "tfidf_terms": lambda: viz.tfidf_terms_figures(d["tfidf"], lang="zh"),
        "dendrogram": lambda: viz.dendrogram_figure(d["Z"], d["labels"], lang="en", city_en=en, k=d["k"]),
        "silhouette": lambda: viz.silhouette_figure(d["sil"], lang="zh"),
        "cluster_stability": lambda: viz.cluster_stability_figure(d["stability"], lang="zh", k=d["k"], city_en=en),
        "pca_biplot": lambda: viz.pca_biplot_figure(*d["pca"], lang="zh", city_en=en),
        "city_emphasis": lambda: viz.city_emphasis_figure(d["boot"], d["focus"], lang="zh", differences=d["diffs"]),
        "nearest_peers": lambda: viz.nearest_peers_figure(d["peers"], d["focus"], lang="zh", city_en=en),
        "highlighted_shares": lambda: viz.theme_shares_figure(d["boot"], lang="en", highlight=d["labels"][:3]),
        "highlighted_biplot": lambda: viz.pca_biplot_figure(*d["pca"], lang="en", city_en=en,
                                                            highlight=d["labels"][:2]),
        "lead_shares": lambda: resp.lead_shares_figures(d["lead_shares"], lang="zh"),
        "agency_theme_matrix": lambda: resp.agency_theme_matrix_figures(d["lead_counts"], lang="zh"),
        "agency_theme_network": lambda: resp.agency_theme_network_figure(d["graph"], lang="zh"),
        "concreteness": lambda: resp.concreteness_figure(d["concreteness"], lang="zh"),
        "kind_mix": lambda: resp.kind_mix_figure(d["kind_mix"], lang="en"),
    }


#: the single-figure functions the notebooks call today, for the charts that now have pages
SINGLE = {
    "coverage_matrix": lambda d: viz.coverage_matrix_figure(d["view"], lang="zh", codebook=d["codebook"],
                                                            documents=d["documents"]),
    "reference_gaps": lambda d: viz.reference_gaps_figure(d["gaps"], lang="en"),
    "indicator_comparison": lambda d: viz.indicator_comparison_figure(d["view"], d["national"], lang="en"),
    "ambition_heatmap": lambda d: viz.ambition_heatmap_figure(d["view"], lang="en", min_cities=5,
                                                              documents=d["documents"]),
    "tfidf_terms": lambda d: viz.tfidf_terms_figure(d["tfidf"], lang="zh"),
    "lead_shares": lambda d: resp.lead_shares_figure(d["lead_shares"], lang="zh"),
    "agency_theme_matrix": lambda d: resp.agency_theme_matrix_figure(d["lead_counts"], lang="zh"),
}

CHARTS = sorted(_makers({"view": None, "documents": None, "city_en": None}))


def _sample(keys: list[str]) -> list[str]:
    """The pages to draw: all of a few, else the first two and the last (pages of one chart are
    drawn by one function; the first has the widest labels of a sorted chart, the last the fewest rows)."""
    return keys if len(keys) <= 4 else keys[:2] + keys[-1:]


def _check(name: str, made) -> list[str]:
    figs = made if isinstance(made, Mapping) else {"": made}
    keys = list(figs)
    assert keys and len(set(keys)) == len(keys)
    found = []
    for key in _sample(keys):
        fig = figs[key]
        assert isinstance(fig, Figure)
        found += [f"{name}{key}: {p}" for p in problems(fig)]
        if KEEP:
            os.makedirs(KEEP, exist_ok=True)
            fig.savefig(os.path.join(KEEP, f"{name}{key}.png"), dpi=100, bbox_inches="tight")
        plt.close(fig)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", CHARTS)
def test_chart_is_readable_with_300_places(name, data):
    found = _check(name, _makers(data)[name]())
    assert not found, "\n".join(found)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SINGLE))
def test_single_figure_is_readable_with_300_places(name, data):
    found = _check(name + "_single", SINGLE[name](data))
    assert not found, "\n".join(found)


# ---------------------------------------------------------------------------------------------
# the paging helpers, and the seeds' figures (5 places) under the same checks
# ---------------------------------------------------------------------------------------------
def test_pages_are_even_and_named():
    from qualitylib.viz.scale import name_list, page_keys, pages

    assert [len(p) for p in pages(list(range(101)), 50)] == [34, 33, 34]
    assert pages([], 10) == [[]] and page_keys(1) == [""] and page_keys(3) == ["_p01", "_p02", "_p03"]
    assert name_list(list("甲乙丙丁戊己庚"), "zh", 2) == "甲、乙等 7 个"
    assert name_list(["A", "B", "C"], "en", 2) == "A, B and 1 more"


def test_figure_pages_draw_only_what_is_looked_up():
    from qualitylib.viz.scale import FigurePages, first_page

    drawn = []

    def draw(i):
        drawn.append(i)
        return plt.figure()

    pages_ = FigurePages(["_p01", "_p02", "_p03"], draw, "zh")
    assert list(pages_) == ["_p01", "_p02", "_p03"] and drawn == []
    assert isinstance(first_page(pages_), Figure) and drawn == [0]
    with pytest.raises(KeyError):
        pages_["_p04"]


@pytest.mark.parametrize("name", ["coverage_matrix", "family_counts", "indicator_comparison", "ambition_heatmap",
                                  "counts_log", "theme_shares", "tfidf_terms", "dendrogram", "pca_biplot",
                                  "differences", "city_emphasis", "nearest_peers", "reference_gaps"])
def test_seed_figures_pass_the_same_checks(name, figure_makers):
    found = _check(name + "_seeds", figure_makers[name]("zh"))
    assert not found, "\n".join(found)

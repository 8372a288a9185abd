"""The profile figures as a run draws them for every plan: the subtitles say how many places were
compared (in the reader's number format), the fixed layout keeps every text inside the picture, the
cached-text canvas draws exactly the pixels Agg draws, and a page's files are the same bytes however
often and in whatever order they are written."""
from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from figure_checks import problems
from matplotlib.text import Text

from qualitylib import profiles, viz
from qualitylib.viz import profile as vp
from qualitylib.viz import text_cache as tc
from qualitylib.viz.style import SAVE_DPI, cjk_style


def _subtitle(fig) -> str:
    return next(t.get_text() for t in fig.texts if t is not fig._suptitle).replace("\n", " ")


def _top_peers(n_places: int, k: int = 10) -> pd.DataFrame:
    """A stored peers table: only the ``k`` nearest of ``n_places - 1`` other places."""
    return pd.DataFrame({"peer": [f"地方{i}市" for i in range(k)], "cosine": np.linspace(0.99, 0.95, k),
                         "rank": np.arange(1, k + 1)})


# --------------------------------------------------------------------------------------------
# subtitles
# --------------------------------------------------------------------------------------------
def test_peers_subtitle_counts_the_pool_not_the_rows_shown():
    fig = viz.nearest_peers_figure(_top_peers(300), "甲市", lang="en", n_places=300)
    sub = _subtitle(fig)
    assert "The 10 most similar of the 300 places compared are shown." in sub
    assert "Only" not in sub and "11" not in sub
    zh = _subtitle(viz.nearest_peers_figure(_top_peers(300), "甲市", lang="zh", n_places=300))
    assert "共比较了 300 个地方" in zh and "样本只有" not in zh


def test_peers_subtitle_says_only_n_for_a_small_sample():
    assert vp.peers_subtitle(4, 5, "en").endswith("Only 5 cities in the sample.")
    assert vp.peers_subtitle(4, 5, "zh").endswith("样本只有 5 个城市。")
    # every other place shown: no "k of n"
    assert "most similar of" not in vp.peers_subtitle(4, 5, "en")
    big = vp.peers_subtitle(10, 12_345, "en")
    assert "Only" not in big and "of the 12,345 places" in big
    # default pool: a full nearest_peers frame lists every other place
    fig = viz.nearest_peers_figure(_top_peers(5, k=4), "甲市", lang="en")
    assert "Only 5 cities" in _subtitle(fig)


def test_profile_figures_pass_the_pool_of_compared_places(tables, results):
    from qualitylib.analysis.cross_city import nearest_peers_table

    boot = results["boot"]
    n_places = boot["city"].nunique()
    stored = nearest_peers_table(results["wide"], n_peers=2)  # fewer peers than places, as at scale
    profile = _profile(tables, boot, stored, "温州市")
    assert profiles._n_compared(profile) == n_places
    sub = _subtitle(profiles.profile_figures(profile, "en", ["peers"])["peers"])
    assert f"Only {n_places} cities" in sub and f"of the {n_places} places compared" in sub


@pytest.mark.parametrize(("m", "en", "zh"), [(332_325, "332,325", "33.2万"), (150, "150", "150"),
                                             (10_000, "10,000", "1万")])
def test_counts_are_written_as_readers_write_them(m, en, zh):
    assert vp._count_text(m, "en") == en
    assert vp._count_text(m, "zh") == zh


def test_emphasis_subtitle_groups_the_number_of_comparisons(results):
    boot, diffs = results["boot"], results["diffs"].assign(n_comparisons=332_325)
    en = _subtitle(viz.city_emphasis_figure(boot, "温州市", lang="en", differences=diffs))
    assert "after correction for 332,325 comparisons" in en
    zh = _subtitle(viz.city_emphasis_figure(boot, "温州市", lang="zh", differences=diffs))
    assert "经 33.2万 次比较的多重校正后" in zh and "332325" not in zh


def test_many_places_emphasis_subtitle_groups_the_number_of_comparisons(many):
    en = _subtitle(viz.city_emphasis_figure(many["boot"], many["focus"], lang="en", differences=many["diffs"]))
    m = int(many["diffs"]["n_comparisons"].iloc[0])
    assert m >= 1000 and f"after correction for {m:,} comparisons" in en


# --------------------------------------------------------------------------------------------
# fixed layout
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def many():
    from scale_data import scale_inputs

    return scale_inputs(60)


def _outside(fig) -> list[str]:
    """Texts not wholly inside the figure as saved without a tight bounding box."""
    from figure_checks import _drawn_tick_labels

    with cjk_style("zh"):
        fig.set_dpi(SAVE_DPI)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        every, drawn = _drawn_tick_labels(fig)
        W, H = fig.bbox.width, fig.bbox.height
        out = []
        for t in fig.findobj(Text):
            if not t.get_visible() or not t.get_text().strip() or (id(t) in every and id(t) not in drawn):
                continue
            b = t.get_window_extent(renderer)
            if b.x0 < 0 or b.y0 < 0 or b.x1 > W or b.y1 > H:
                out.append(f"{t.get_text()[:30]!r}: {b.extents.round(1)} in {W:.0f} x {H:.0f}")
    return out


def _long_names(city_en: dict) -> dict:
    return {k: v + " Shi Autonomous Prefecture" for k, v in city_en.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_figures_keep_every_text_inside_and_apart(lang, results, many):
    from qualitylib.analysis.comparability import nearest_peers

    figs = {
        "emphasis_seeds": viz.city_emphasis_figure(results["boot"], "温州市", lang=lang, differences=results["diffs"]),
        "emphasis_many": viz.city_emphasis_figure(many["boot"], many["focus"], lang=lang, differences=many["diffs"]),
        "peers_seeds": viz.nearest_peers_figure(nearest_peers(results["wide"], "温州市"), "温州市", lang=lang,
                                                city_en=results["city_en"]),
        "peers_long": viz.nearest_peers_figure(many["peers"], many["focus"], lang=lang,
                                               city_en=_long_names(many["city_en"])),
    }
    found = []
    for name, fig in figs.items():
        found += [f"{name}: {p}" for p in _outside(fig) + problems(fig)]
        plt.close(fig)
    assert not found, "\n".join(found)


def test_saved_as_laid_out_or_cropped_the_picture_is_the_same_size(results):
    fig = viz.city_emphasis_figure(results["boot"], "温州市", lang="en", differences=results["diffs"])
    with cjk_style("en"):
        fig.set_dpi(SAVE_DPI)
        tight = fig.get_tightbbox(fig.canvas.get_renderer())
    w, h = fig.get_size_inches()
    # bbox_inches='tight' keeps 0.1 in round the content: the fitted margins leave about that
    assert abs((tight.width + 0.2) - w) < 0.25 and abs((tight.height + 0.2) - h) < 0.25


# --------------------------------------------------------------------------------------------
# cached text: the same pixels, the same bytes
# --------------------------------------------------------------------------------------------
def _pixels(fig, lang, cached):
    with cjk_style(lang):
        fig.set_dpi(SAVE_DPI)
        if cached:
            with tc.cached_text(fig):
                fig.canvas.draw()
                return np.asarray(fig.canvas.buffer_rgba()).copy()
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cached_text_draws_the_pixels_agg_draws(lang, results, many):
    figs = [viz.city_emphasis_figure(results["boot"], "温州市", lang=lang, differences=results["diffs"]),
            viz.city_emphasis_figure(many["boot"], many["focus"], lang=lang, differences=many["diffs"]),
            viz.nearest_peers_figure(many["peers"], many["focus"], lang=lang, city_en=many["city_en"])]
    for fig in figs:
        stock = _pixels(fig, lang, cached=False)
        cold = _pixels(fig, lang, cached=True)
        warm = _pixels(fig, lang, cached=True)
        assert stock.shape == cold.shape and (stock == cold).all() and (cold == warm).all()
        canvas = fig.canvas
        with tc.cached_text(fig):
            assert fig.canvas is not canvas
        assert fig.canvas is canvas


def _profile(tables, boot, peers, city, diffs=None):
    docs = tables["documents"]
    doc = docs[docs["city"] == city].iloc[0]
    empty = pd.DataFrame()
    return profiles.Profile(doc=doc, doc_rows=docs[docs["doc_id"] == doc["doc_id"]], slug=str(doc["doc_id"]),
                            pool=sorted(set(docs["city"])), plan_table=empty, with_national=empty, others=empty,
                            shares=boot, differences=diffs if diffs is not None else empty,
                            peers=peers[peers["city"] == city].drop(columns="city").reset_index(drop=True)
                            if "city" in peers.columns else peers,
                            city_en=dict(zip(boot["city"], boot["city_en"])))


def test_a_page_is_the_same_bytes_cold_warm_and_in_either_order(tables, results, tmp_path):
    from qualitylib.analysis.cross_city import nearest_peers_table

    stored = nearest_peers_table(results["wide"])
    one = _profile(tables, results["boot"], stored, "温州市", results["diffs"])
    other = _profile(tables, results["boot"], stored, "泰安市", results["diffs"])

    def write(folder, order):
        out = {}
        for prof, lang in order:
            for p in profiles.write_profile(prof, lang, figures_dir=folder, reports_dir=folder,
                                            figures=("emphasis", "peers")):
                out[p.name] = p.read_bytes()
        return out

    for cache in (tc._METRICS, tc._LAYOUTS, tc._GLYPHS):  # a cold worker
        cache.clear()
    cold = write(tmp_path / "a", [(one, "zh"), (one, "en"), (other, "zh")])
    warm = write(tmp_path / "b", [(other, "zh"), (one, "en"), (one, "zh")])
    assert cold == warm and sum(n.endswith(".png") for n in cold) == 6
    # the picture is the figure as drawn: no tight crop, the saved size is the figure size
    from PIL import Image

    fig = profiles.profile_figures(one, "en", ["emphasis"])["emphasis"]
    w, h = fig.get_size_inches()
    png = Image.open(io.BytesIO(cold[f"{profiles.figure_stem(one.slug, 'emphasis')}_en.png"]))
    assert png.size == (round(w * SAVE_DPI), round(h * SAVE_DPI))


def test_write_profiles_draws_each_plan_once_per_language_in_task_order(tables, results, national, tmp_path,
                                                                       monkeypatch):
    from qualitylib.analysis.cross_city import nearest_peers_table

    stats = {"theme_shares": results["boot"], "theme_differences": results["diffs"],
             "peers": nearest_peers_table(results["wide"])}
    docs = sorted(tables["documents"]["doc_id"])[:2]
    tasks = [(docs[0], "zh"), (docs[1], "zh"), (docs[0], "en")]
    picked = []
    real = profiles.profile_inputs
    monkeypatch.setattr(profiles, "profile_inputs", lambda *a, **k: picked.append(k["plan"]) or real(*a, **k))
    seen = []
    out = profiles.write_profiles(tables, stats, national, tasks, figures_dir=tmp_path / "f", reports_dir=tmp_path / "r",
                                  figures=("emphasis", "peers"), jobs=1, done=seen.append)
    assert [(d, lang) for d, lang, *_ in out] == tasks and all(err is None for *_, err in out)
    assert sorted(seen) == sorted(out) and sorted(picked) == sorted(docs)  # one pick per plan, not per page
    assert all(len(paths) == 3 for _, _, paths, _ in out)  # two figures and the page


def test_the_profile_index_picks_the_same_rows_as_a_selection_per_plan():
    """profile_inputs with a ProfileIndex (a run's hundreds of pages) gives frames equal, with their
    index, to the boolean selections it replaces."""
    from pathlib import Path

    from qualitylib.analysis.cross_city import DEFAULTS
    from qualitylib.stats_tables import statistics
    from qualitylib.tables import load_national, load_processed, plan_slugs

    root = Path(__file__).resolve().parents[2]
    tables = load_processed(root / "data" / "processed")
    stats, _ = statistics(root / "data" / "processed", dict(DEFAULTS), cities=[])
    national = load_national(root / "data" / "external" / "national_targets.csv")
    index = profiles.ProfileIndex(tables, stats)
    slugs = plan_slugs(tables["documents"])
    diffs, peers = stats["theme_differences"], stats["peers"]
    compared = 0
    for doc_id, city in zip(tables["documents"]["doc_id"], tables["documents"]["city"]):
        p = profiles.profile_inputs(tables, stats, national, plan=doc_id, slugs=slugs, index=index)
        table = tables["indicator_table"]
        pd.testing.assert_frame_equal(p.plan_table, table[table["doc_id"] == doc_id], check_exact=True)
        targets = tables["targets"]
        pd.testing.assert_frame_equal(p.others, targets[(targets["doc_id"] == doc_id) & (targets["code"] == "other")])
        pd.testing.assert_frame_equal(p.differences, diffs[(diffs["city_a"] == city) | (diffs["city_b"] == city)])
        pd.testing.assert_frame_equal(
            p.peers, peers[peers["city"] == city].drop(columns="city").reset_index(drop=True))
        compared += len(p.differences) > 0
    # a text an analyst added for a place the gazetteer does not know has no differences; the seeds do
    assert compared >= 5


def test_a_plans_page_key_changes_with_its_own_rows_only():
    """profile_key (which pages are out of date) digests what profile_inputs picks for a plan: a change
    in the plan's rows changes its key, a change in another plan's rows does not."""
    from pathlib import Path

    from qualitylib.analysis.cross_city import DEFAULTS
    from qualitylib.stats_tables import statistics
    from qualitylib.tables import load_processed

    root = Path(__file__).resolve().parents[2]
    tables = load_processed(root / "data" / "processed")
    stats, _ = statistics(root / "data" / "processed", dict(DEFAULTS), cities=[])
    docs = tables["documents"]

    def keys(tables=tables, stats=stats):
        index = profiles.ProfileIndex(tables, stats)
        return {d: profiles.profile_key(tables, stats, plan=d, index=index) for d in docs["doc_id"]}

    before = keys()
    assert len(set(before.values())) == len(before)
    assert before == keys()  # a fresh index gives the same keys
    first, city = docs["doc_id"].iloc[0], docs["city"].iloc[0]
    assert city != docs["city"].iloc[1]
    cases = []  # (tables, stats, cities whose plans may change besides the first)
    targets = tables["targets"].copy()
    row = targets.index[targets["doc_id"] == first][0]
    targets.loc[row, "quote"] = str(targets.loc[row, "quote"]) + "。"
    cases.append(({**tables, "targets": targets}, stats, set()))
    table = tables["indicator_table"].copy()
    table.loc[table.index[table["doc_id"] == first][0], "value"] += 0.5
    cases.append(({**tables, "indicator_table": table}, stats, set()))
    documents = docs.copy()
    documents.loc[documents.index[0], "sha256"] = "0" * 64
    cases.append(({**tables, "documents": documents}, stats, set()))
    diffs = stats["theme_differences"].copy()
    hit = diffs.index[(diffs["city_a"] == city) | (diffs["city_b"] == city)][0]
    diffs.loc[hit, "p"] = 0.5 * float(diffs.loc[hit, "p"]) + 0.1
    cases.append((tables, {**stats, "theme_differences": diffs}, {diffs.loc[hit, "city_a"], diffs.loc[hit, "city_b"]}))
    peers = stats["peers"].copy()
    peers.loc[peers.index[peers["city"] == city][0], "cosine"] -= 0.01
    cases.append((tables, {**stats, "peers": peers}, set()))
    for changed_tables, changed_stats, may_move in cases:
        after = keys(changed_tables, changed_stats)
        assert after[first] != before[first]
        moved = {c for d, c in zip(docs["doc_id"], docs["city"]) if d != first and after[d] != before[d]}
        assert moved <= may_move - {city}, moved

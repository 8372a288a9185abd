"""Tests for qualitylib.figures on the real pipeline output of the five seed documents: every figure
function returns a titled Figure in Chinese and English without missing glyphs, English figures name
cities in pinyin, and the comparability rules (national reference window, plan-type facets) hold."""
from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from qualitylib import emphasis as E  # noqa: E402
from qualitylib import figures as F  # noqa: E402
from qualitylib import style  # noqa: E402
from qualitylib.pipeline import run_pipeline, write_tables  # noqa: E402

LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def tables(tmp_path_factory, root):
    """The seeds through the pipeline, written and read back as the notebooks see them."""
    out = tmp_path_factory.mktemp("figures_processed")
    write_tables(run_pipeline([root / "data" / "raw"]), out)
    return F.load_processed(out)


@pytest.fixture(scope="module")
def emphasis_results(tables):
    s = F.policy_sentences(tables["sentences"])
    coded = E.code_sentences(s)
    boot = E.bootstrap_shares(coded, n_boot=30, seed=1)
    wide = E.to_wide(boot)
    return {"sentences": s, "coded": coded, "boot": boot, "wide": wide, "city_en": E.city_en_map(s),
            "jaccard": E.bootstrap_jaccard(coded, 2, n_boot=10, seed=1)}


@pytest.fixture(scope="module")
def national():
    """A small national table: one comparable row (same code and series, 2020) and decoys."""
    rows = [
        dict(horizon=2020, code="manufacturing_product_pass_rate", series="supervision_spot_check", comparator=">=",
             value=92.0, unit="%", source_zh="测试纲要", source_en="Test outline"),
        dict(horizon=2020, code="manufacturing_product_pass_rate", series="overall", comparator=">=",
             value=94.8, unit="%", source_zh="口径不同", source_en="Other series"),
        dict(horizon=2025, code="agri_product_pass_rate", series="routine_monitoring", comparator=">=",
             value=98.0, unit="%", source_zh="年份太远", source_en="Too far"),
    ]
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def _style():
    with matplotlib.rc_context():
        style.use_cjk_style("zh")
        yield
    plt.close("all")


def _render(fig: Figure) -> list[str]:
    """Draw and save the figure; return glyph warnings raised while doing so."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        fig.canvas.draw()
        fig.savefig(io.BytesIO(), format="png", dpi=60)
    return [str(w.message) for w in rec if "Glyph" in str(w.message) or "missing from" in str(w.message)]


def _all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def _figures(tables, er, national, lang):
    t, d = tables["indicator_table"], tables["documents"]
    peers = F.nearest_peers(er["wide"], "温州市")
    return {
        "coverage_matrix": F.plot_coverage_matrix(t, lang, codebook=tables["codebook"], documents=d),
        "family_counts": F.plot_family_counts(t, lang, documents=d),
        "indicator_comparison": F.plot_indicator_comparison(t, national, lang),
        "ambition_heatmap": F.plot_ambition_heatmap(t, lang, documents=d),
        "counts_log": F.plot_counts_log(t, lang),
        "city_targets": F.plot_city_targets(t, "Tai'an", lang, documents=d),
        "city_emphasis": F.plot_city_emphasis(er["boot"], "温州市", lang),
        "nearest_peers": F.plot_nearest_peers(peers, "温州市", lang, city_en=er["city_en"]),
        "jaccard": F.plot_jaccard_stability(er["jaccard"], lang, k=2, city_en=er["city_en"]),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_has_title_and_all_glyphs(tables, emphasis_results, national, lang):
    figs = _figures(tables, emphasis_results, national, lang)
    problems = {}
    for name, fig in figs.items():
        assert isinstance(fig, Figure), name
        title = fig._suptitle.get_text() if fig._suptitle is not None else ""
        assert len(title) > 10, f"{name}: no title"
        if lang == "en":
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in title), f"{name}: Chinese in English title {title!r}"
        glyphs = _render(fig)
        if glyphs:
            problems[name] = glyphs
    assert not problems, f"missing glyphs: {problems}"


def test_english_figures_name_cities_in_pinyin(tables, emphasis_results, national):
    figs = _figures(tables, emphasis_results, national, "en")
    zh_names = set(tables["documents"]["city"])
    for name in ("coverage_matrix", "family_counts", "indicator_comparison", "ambition_heatmap", "counts_log",
                 "city_emphasis", "nearest_peers", "jaccard"):
        text = _all_text(figs[name])
        assert not [c for c in zh_names if c in text], f"{name}: Chinese city names in an English figure"
        assert any(e in text for e in tables["documents"]["city_en"]), f"{name}: no pinyin city name"


def test_titles_say_what_is_shown(tables, emphasis_results, national):
    figs = _figures(tables, emphasis_results, national, "en")
    title = lambda n: figs[n]._suptitle.get_text().lower()  # noqa: E731
    assert "coverage" in title("coverage_matrix")
    assert "percentile rank" in title("ambition_heatmap") and "kept apart" in title("ambition_heatmap")
    assert "log scale" in title("counts_log")
    assert "cosine" in title("nearest_peers")
    assert "jaccard" in title("jaccard")


def test_national_reference_only_when_code_series_and_horizon_match(tables, national):
    t = tables["indicator_table"]
    m = F.match_national(t, national)
    spot = m[(m["code"] == "manufacturing_product_pass_rate") & (m["series"] == "supervision_spot_check")]
    assert not spot.empty and (spot["nat_value"] == 92.0).all()
    # other series of the same code, and targets > 3 years from any horizon, get nothing
    overall = m[(m["code"] == "manufacturing_product_pass_rate") & (m["series"] == "overall")]
    assert overall["nat_value"].isna().all()
    agri = m[(m["code"] == "agri_product_pass_rate")]
    assert agri["nat_value"].isna().all()  # 2025 national vs 2020/2014 city targets


def test_national_window_edges():
    city = pd.DataFrame([dict(city="甲市", city_en="Jia", code="x", series="s", unit="%", target_year=y)
                         for y in (2017, 2016)])
    nat = pd.DataFrame([dict(horizon=2020, code="x", series="s", comparator=">=", value=90.0, unit="%",
                             source_zh="z", source_en="e")])
    m = F.match_national(city, nat, window=3)
    assert m.loc[0, "nat_value"] == 90.0 and pd.isna(m.loc[1, "nat_value"])


def test_comparison_figure_says_which_national_target(tables, national):
    fig = F.plot_indicator_comparison(tables["indicator_table"], national, "en")
    text = _all_text(fig)
    assert "National target: Test outline, 2020" in text
    assert "No comparable national target" in text
    assert "Other series" not in text and "Too far" not in text
    empty = _all_text(F.plot_indicator_comparison(tables["indicator_table"], None, "en"))
    assert "National target:" not in empty


def test_ambition_scores_never_mix_plan_types(tables):
    s = F.ambition_scores(tables["indicator_table"], method="rank")
    assert not s.empty
    assert s["score"].between(0, 1).all()
    for (_plan, _group), g in s.groupby(["plan_type", "group"]):
        assert g["plan_type"].nunique() == 1 and g["city"].nunique() >= 2
    # ties share the average rank
    tie = s[(s["code"] == "consumer_goods_standard_consistency")]
    assert (tie["score"] == 0.5).all()
    mm = F.ambition_scores(tables["indicator_table"], method="minmax")
    assert mm["score"].between(0, 1).all()
    with pytest.raises(ValueError):
        F.ambition_scores(tables["indicator_table"], method="zscore")


def test_ambition_heatmap_facets_by_plan_type(tables):
    fig = F.plot_ambition_heatmap(tables["indicator_table"], "en", documents=tables["documents"])
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert any("Multi-year" in t for t in titles) and any("Annual" in t for t in titles)


def test_counts_use_log_axis(tables):
    fig = F.plot_counts_log(tables["indicator_table"], "zh")
    assert all(ax.get_xscale() == "log" for ax in fig.axes if ax.get_yticks().size)


def test_nearest_peers_excludes_self_and_sorts(emphasis_results):
    p = F.nearest_peers(emphasis_results["wide"], "温州市")
    assert "温州市" not in set(p["peer"]) and len(p) == emphasis_results["wide"].shape[0] - 1
    assert p["cosine"].is_monotonic_decreasing and p["cosine"].between(0, 1).all()


def test_filter_cities_accepts_both_names_and_rejects_typos(tables):
    d = tables["documents"]
    assert set(F.filter_cities(d, ["温州市", "Wuhu"])["city_en"]) == {"Wenzhou", "Wuhu"}
    assert len(F.filter_cities(d, [])) == len(d)
    with pytest.raises(ValueError, match="unknown city"):
        F.filter_cities(d, ["Atlantis"])


def test_save_and_show_names_files_stably(tmp_path, tables):
    fig = F.plot_family_counts(tables["indicator_table"], "zh")
    paths = F.save_and_show(fig, tmp_path, "01_family_counts", "zh", ["png", "svg"], show=False)
    assert [p.name for p in paths] == ["01_family_counts_zh.png", "01_family_counts_zh.svg"]
    assert F.city_slug("Tai'an") == "Taian"

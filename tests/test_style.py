"""Tests for qualitylib.style and qualitylib.plots: CJK glyphs render, files are byte-stable,
every plot has a title in both languages."""
from __future__ import annotations

import importlib.util
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from qualitylib import emphasis as E  # noqa: E402
from qualitylib import plots as P  # noqa: E402
from qualitylib import style as S  # noqa: E402


@pytest.fixture(autouse=True)
def _cjk_style():
    with matplotlib.rc_context():
        S.use_cjk_style()
        yield
    plt.close("all")


@pytest.fixture(scope="module")
def results():
    s = E.synthetic_sentences(n_per_city=80, seed=3)
    coded = E.code_sentences(s)
    boot = E.bootstrap_shares(coded, n_boot=100, seed=0)
    wide = E.to_wide(boot)
    Z, labels = E.cluster_cities(wide)
    return {
        "sentences": s, "coded": coded, "boot": boot, "wide": wide, "Z": Z, "labels": labels,
        "sil": E.silhouette_by_k(wide), "pca": E.pca_biplot_data(wide),
        "tfidf": E.tfidf_profile(s, top_n=8), "city_en": E.city_en_map(s),
    }


def _glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "missing from" in str(w.message) or "Glyph" in str(w.message)]


# --- style -----------------------------------------------------------------------------------
def test_use_cjk_style_sets_font_and_rcparams():
    name = S.use_cjk_style("zh")
    assert name == "Noto Sans SC"
    rc = matplotlib.rcParams
    assert rc["font.sans-serif"][0] == name
    assert rc["axes.unicode_minus"] is False
    assert rc["svg.fonttype"] == "path" and rc["svg.hashsalt"] == S.SVG_HASHSALT
    assert rc["figure.dpi"] == S.FIGURE_DPI
    assert S.find_cjk_font().name.startswith("NotoSansSC")
    with pytest.raises(ValueError, match="lang"):
        S.use_cjk_style("fr")


def test_missing_font_package_fails_clearly(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == S.FONT_PACKAGE else real(name, *a))
    with pytest.raises(RuntimeError, match="pylopdf"):
        S.use_cjk_style()


def test_chinese_figure_has_no_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [-1, 0, 1])
        ax.set_title("质量强市：标准化与品牌建设（−5%）")
        ax.set_xlabel("城市")
        ax.set_ylabel("句子占比")
        paths = S.save_figure(fig, tmp_path / "zh_fig")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert _glyph_warnings(record) == []


def test_save_figure_is_byte_stable_and_atomic(tmp_path):
    fig, ax = plt.subplots()
    ax.bar(["甲市", "乙市"], [0.3, 0.5])
    ax.set_title("确定性输出")
    first = {p.suffix: p.read_bytes() for p in S.save_figure(fig, tmp_path / "fig.v1", ("png", "svg", "pdf"))}
    second = {p.suffix: p.read_bytes() for p in S.save_figure(fig, tmp_path / "fig.v1", ("png", "svg", "pdf"))}
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.v1.pdf", "fig.v1.png", "fig.v1.svg"]  # no temp left
    svg = first[".svg"].decode("utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in first[".png"]
    assert b"CreationDate" not in first[".pdf"]
    # a fresh identical figure gives the same bytes too (not just the same Figure object)
    fig2, ax2 = plt.subplots()
    ax2.bar(["甲市", "乙市"], [0.3, 0.5])
    ax2.set_title("确定性输出")
    third = {p.suffix: p.read_bytes() for p in S.save_figure(fig2, tmp_path / "fig.v1", ("png", "svg"))}
    assert third[".png"] == first[".png"] and third[".svg"] == first[".svg"]


def test_save_figure_rejects_unknown_format(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="unsupported"):
        S.save_figure(fig, tmp_path / "x", ("bmp",))
    assert list(tmp_path.iterdir()) == []


def test_city_label():
    row = pd.Series({"city": "宜昌市", "city_en": "Yichang"})
    assert S.city_label(row, "zh") == "宜昌市"
    assert S.city_label(row, "en") == "Yichang"
    assert S.city_label({"city": "芜湖市", "city_en": "Wuhu"}, "en") == "Wuhu"
    assert S.city_label("泰安市", "zh") == "泰安市"
    assert S.city_label("泰安市", "en", city_en="Tai'an") == "Tai'an"
    with pytest.raises(ValueError, match="city_en"):
        S.city_label("泰安市", "en")
    with pytest.raises(ValueError, match="lang"):
        S.city_label("泰安市", "de")


# --- plots -----------------------------------------------------------------------------------
def _make(name: str, r: dict, lang: str) -> Figure:
    if name == "shares":
        return P.plot_theme_shares(r["boot"], lang)
    if name == "dendrogram":
        return P.plot_dendrogram(r["Z"], r["labels"], "average", "cosine", lang, city_en=r["city_en"])
    if name == "silhouette":
        return P.plot_silhouette(r["sil"], lang)
    if name == "pca":
        return P.plot_pca_biplot(*r["pca"], lang, city_en=r["city_en"])
    if name == "tfidf":
        return P.plot_tfidf_terms(r["tfidf"], lang)
    raise KeyError(name)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["shares", "dendrogram", "silhouette", "pca", "tfidf"])
def test_plot_returns_titled_figure_without_missing_glyphs(name, lang, results, tmp_path):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fig = _make(name, results, lang)
        S.save_figure(fig, tmp_path / f"{name}_{lang}", ("png",))
    assert isinstance(fig, Figure)
    title = fig.get_suptitle()
    assert title.strip()
    has_cjk = any("\u4e00" <= ch <= "\u9fff" for ch in title)
    assert has_cjk if lang == "zh" else not has_cjk
    assert _glyph_warnings(record) == []


def test_plot_labels_follow_language(results):
    fig = P.plot_theme_shares(results["boot"], "en")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Manufacturing" in ticks and "制造业" not in ticks
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Jiashi" in legend
    fig = P.plot_theme_shares(results["boot"], "zh")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "制造业" in ticks
    assert fig.axes[0].get_xlabel() == "提及该主题的句子占比"


def test_dendrogram_title_names_method_and_metric(results):
    title = P.plot_dendrogram(results["Z"], results["labels"], "average", "cosine", "en").get_suptitle()
    assert "average" in title and "cosine" in title
    title_zh = P.plot_dendrogram(results["Z"], results["labels"], "average", "cosine", "zh").get_suptitle()
    assert "平均连接" in title_zh and "余弦" in title_zh


def test_silhouette_plot_handles_empty(results):
    empty = E.silhouette_by_k(results["wide"].iloc[:2])
    fig = P.plot_silhouette(empty, "en")
    assert fig.get_suptitle()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "at least 3" in texts


def test_plots_reject_bad_lang(results):
    with pytest.raises(ValueError, match="lang"):
        P.plot_silhouette(results["sil"], "fr")


def test_pca_plot_needs_two_components(results):
    scores, loadings, evr = results["pca"]
    with pytest.raises(ValueError, match="two principal components"):
        P.plot_pca_biplot(scores.iloc[:, :1], loadings.iloc[:, :1], evr.iloc[:1], "zh")
    assert np.isclose(evr.sum(), 1.0)

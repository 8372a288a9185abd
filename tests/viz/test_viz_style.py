"""Tests for qualitylib.viz.style: the CJK font is found and used, the style context leaves the global
rcParams alone, saved files are byte-stable, atomic and world-readable."""
from __future__ import annotations

import importlib.util
import io
import stat
import warnings

import matplotlib
import matplotlib.pyplot as plt
import PIL.Image
import pytest

from qualitylib.viz import style as S


def _glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "missing from" in str(w.message) or "Glyph" in str(w.message)]


def _rc_snapshot() -> dict:
    return {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}


def test_cjk_style_sets_font_and_rcparams_inside_the_block():
    with S.cjk_style("zh") as name:
        rc = matplotlib.rcParams
        assert name == "Noto Sans SC"
        assert rc["font.family"][0] == name and rc["font.sans-serif"][0] == name
        assert rc["axes.unicode_minus"] is False
        assert rc["svg.fonttype"] == "path" and rc["svg.hashsalt"] == S.SVG_HASHSALT
        assert rc["figure.dpi"] == S.FIGURE_DPI and rc["savefig.dpi"] == S.SAVE_DPI
    assert S.find_cjk_font().name.startswith("NotoSansSC")


def test_cjk_style_leaves_global_rcparams_unchanged():
    before = _rc_snapshot()
    assert before["font.family"] != S.style_rc("zh")["font.family"]  # so the check below can fail
    with S.cjk_style("en"):
        assert _rc_snapshot() != before
    assert _rc_snapshot() == before
    with pytest.raises(RuntimeError, match="boom"):
        with S.cjk_style("zh"):
            raise RuntimeError("boom")
    assert _rc_snapshot() == before


def test_cjk_style_rejects_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        with S.cjk_style("fr"):
            pass
    with pytest.raises(ValueError, match="lang"):
        S.check_lang("de")


def test_styled_function_runs_inside_the_style():
    seen = {}

    @S.styled
    def draw(*, lang="zh"):
        seen["font"] = matplotlib.rcParams["font.sans-serif"][0]
        seen["lang"] = lang
        return 1

    assert draw(lang="en") == 1
    assert seen == {"font": "Noto Sans SC", "lang": "en"}
    with pytest.raises(ValueError, match="lang"):
        draw(lang="xx")


def test_missing_font_package_fails_clearly(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == S.FONT_PACKAGE else real(name, *a))
    with pytest.raises(RuntimeError, match="pylopdf"):
        S.find_cjk_font()


def test_text_made_in_the_style_renders_chinese_also_outside_it():
    """Text keeps the CJK font by name, so a notebook showing the figure later finds no missing glyph."""
    with S.cjk_style("zh"):
        fig, ax = plt.subplots()
        ax.set_title("质量强市：标准化与品牌建设")
        ax.set_xlabel("城市")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=40)
    assert _glyph_warnings(record) == []


def test_chinese_figure_saves_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        with S.cjk_style("zh"):
            fig, ax = plt.subplots()
            ax.plot([0, 1, 2], [-1, 0, 1])
            ax.set_title("质量强市：标准化与品牌建设（−5%）")
            ax.set_ylabel("句子占比")
        paths = S.save_figure(fig, tmp_path / "zh_fig")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert _glyph_warnings(record) == []


def _bar_figure():
    with S.cjk_style("zh"):
        fig, ax = plt.subplots()
        ax.bar(["甲市", "乙市"], [0.3, 0.5])
        ax.set_title("确定性输出")
    return fig


def test_save_figure_is_byte_stable_atomic_and_world_readable(tmp_path):
    fig = _bar_figure()
    first = {p.suffix: p.read_bytes() for p in S.save_figure(fig, tmp_path / "fig.v1", ("png", "svg", "pdf"))}
    second = {p.suffix: p.read_bytes() for p in S.save_figure(fig, tmp_path / "fig.v1", ("png", "svg", "pdf"))}
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.v1.pdf", "fig.v1.png", "fig.v1.svg"]  # no temp left
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in tmp_path.iterdir())
    svg = first[".svg"].decode("utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in first[".png"]
    assert b"CreationDate" not in first[".pdf"]
    # a fresh identical figure gives the same bytes too (not just the same Figure object)
    third = {p.suffix: p.read_bytes() for p in S.save_figure(_bar_figure(), tmp_path / "fig.v1", ("png", "svg"))}
    assert third[".png"] == first[".png"] and third[".svg"] == first[".svg"]


def test_save_figure_applies_the_style_itself(tmp_path):
    """Saved outside any style block: still the fixed dpi and SVG salt (the caller needs no global state)."""
    fig = _bar_figure()
    before = _rc_snapshot()
    (png,) = S.save_figure(fig, tmp_path / "a", ("png",), bbox_inches=None)
    assert _rc_snapshot() == before
    w, h = fig.get_size_inches()
    assert PIL.Image.open(png).size == (round(w * S.SAVE_DPI), round(h * S.SAVE_DPI))


def test_save_figure_rejects_unknown_or_no_format(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="unsupported"):
        S.save_figure(fig, tmp_path / "x", ("bmp",))
    with pytest.raises(ValueError, match="empty"):
        S.save_figure(fig, tmp_path / "x", ())
    assert list(tmp_path.iterdir()) == []


def test_despine_hides_only_the_given_sides():
    _, ax = plt.subplots()
    S.despine(ax, ("top", "left"))
    assert [ax.spines[s].get_visible() for s in ("top", "left", "right", "bottom")] == [False, False, True, True]


def test_saved_figures_have_the_pixels_agg_draws(tmp_path):
    """save_figure draws text from the process's caches (viz.text_cache); rotated, Chinese and
    repeated text must come out exactly as Matplotlib's own Agg path draws it."""
    import io

    import matplotlib.pyplot as plt
    import numpy as np

    from qualitylib.viz.style import cjk_style, save_figure

    def draw():
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.bar(range(4), [3, 1, 2, 4])
        ax.set_xticks(range(4), ["质量强市", "Quality", "标准化 3 项", "≥96.5%"], rotation=90)
        ax.set_title("工业产品质量监督抽查合格率 / pass rate")
        ax.text(1, 2, "rotated 旋转", rotation=33)
        return fig

    for _ in range(2):  # the second time everything comes from the caches
        fig = draw()
        (png,) = save_figure(fig, tmp_path / "cached", ["png"], lang="zh")
        with cjk_style("zh"):
            plain = io.BytesIO()
            fig.savefig(plain, format="png", bbox_inches="tight")
        plt.close(fig)
        assert np.array_equal(plt.imread(png), plt.imread(io.BytesIO(plain.getvalue())))

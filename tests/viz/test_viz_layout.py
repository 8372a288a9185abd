"""Tests for qualitylib.viz.layout: the header block takes the room it needs, axes stay below it."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from qualitylib.viz import layout as LY
from qualitylib.viz.style import cjk_style

LONG = "一句很长的说明文字，" * 30


@pytest.fixture(autouse=True)
def _style():
    with cjk_style("zh"):  # the layout helpers are called inside the style by every chart
        yield


def test_figure_height_is_body_plus_header():
    bare = LY.figure_height(3.0, 8.0, "标题")
    assert bare > 3.0
    with_sub = LY.figure_height(3.0, 8.0, "标题", "一行说明")
    longer = LY.figure_height(3.0, 8.0, "标题", LONG)
    assert bare < with_sub < longer
    assert LY.figure_height(5.0, 8.0, "标题", LONG) == pytest.approx(longer + 2.0)
    # a narrower figure wraps the same subtitle into more lines
    assert LY.figure_height(3.0, 5.0, "标题", LONG) > longer


def test_header_and_tight_layout_keep_axes_below_the_header():
    fig, top = LY.titled_figure(8.0, 3.0, "各城市设定了哪些质量指标", LONG)
    assert 0.3 <= top < 1
    assert fig.get_suptitle().startswith("各城市")
    assert [t.get_text().replace("\n", "") for t in fig.texts if t is not fig._suptitle] == [LONG]
    ax = fig.add_subplot(111)
    ax.set_title("面板标题")
    ax.set_xlabel("横轴")
    LY.tight_below_header(fig, top)
    fig.canvas.draw()
    box = ax.get_tightbbox(fig.canvas.get_renderer()).transformed(fig.transFigure.inverted())
    assert box.y1 <= top + 1e-6 and box.y0 >= 0
    assert fig._suptitle.get_in_layout()  # back in the layout for bbox_inches="tight"


def test_empty_figure_says_why():
    fig = LY.empty_figure("标题", "没有可比较的指标")
    assert fig.get_suptitle() == "标题"
    assert any("没有可比较的指标" in t.get_text() for t in fig.texts)


def test_new_axes_and_axes_message():
    _, ax = plt.subplots()
    assert LY.new_axes(ax) is ax
    fresh = LY.new_axes(None)
    assert fresh is not ax and fresh.figure is not ax.figure
    LY.axes_message(ax, "无数据")
    assert [t.get_text() for t in ax.texts] == ["无数据"] and not ax.axison

"""Cross-city charts with many places: when to switch layout, how to page, whom to highlight.

Input: place names, values per place, page sizes. Output: the small decisions every cross-city chart
shares once there are more places than colours or rows fit --

* :data:`MANY`: above this many places a chart stops giving each place its own colour and draws
  them as grey context with a few highlighted places (:func:`pick_highlights`, :func:`highlight_colors`);
* :func:`pages`: a list cut into pages of at most ``size`` items, as even as possible, and
  :func:`page_keys`, the suffixes ``''`` (one page) or ``'_p01'``, ``'_p02'``... to add to a figure name;
* :func:`page_note` and :func:`name_list`: the words for "page 2 of 6" and "A, B, C and 12 more";
* :class:`FigurePages`: what the ``*_figures`` functions return -- a read-only mapping
  ``{name suffix: Figure}`` whose pages are drawn only when looked up, so a caller saves and closes one
  page before the next is drawn (300 places make dozens of pages). The single ``*_figure`` functions
  return the first page.

Use::

    for suffix, fig in viz.coverage_matrix_figures(view, lang=lang).items():
        nb.save(fig, "01_coverage_matrix" + suffix)
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from .style import check_lang, cjk_style

__all__ = ["scale_text", "MANY", "CONTEXT_GREY", "pages", "page_keys", "page_note", "name_list", "pick_highlights",
           "highlight_colors", "many_figures", "first_page", "single_page", "FigurePages"]

#: more places than this: grey context and a few highlighted places instead of a colour each
MANY = 10
CONTEXT_GREY = "0.72"

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "page": "第 {i}/{n} 页", "more": "{names}等 {n} 个", "sep": "、",
        "coverage_sub_many": "每行一个地方（按设定目标的指标数从多到少排列，括号内为指标数），每列一个指标。有色格：设定了"
                             "至少一个数值目标，格中数字为目标值个数；颜色表示指标类别。灰格：未设定。",
        "grey_each": "灰点：{n} 个地方各一",
        "median": "中位数",
        "peers_top": "只列出最相近的 {k} 个（共 {n} 个）。",
        "others_range": "其他 {n} 个地方：10%–90% 分位",
        "others_iqr": "中间一半",
        "credible_counts": "可信差异：{hi} 高 / {lo} 低",
        "dend_cut": "{n} 个地方：只画最后 {p} 次合并，一片叶子列出其中两个地方与总数。",
        "diff_pairs": "共 {n} 对地方，此处只画 {k} 对：指定地方所在的对，其次是可信差异最多的对；蓝色为前一个地方占比较高，橙色为后一个。",
        "pca_many": "{n} 个地方为灰点，只标出指定的和离中心最远的共 {k} 个。",
        "emph_many": "灰条：其他地方占比的 10%–90% 分位（深色为中间一半），竖线为中位数。",
        "emph_many_diffs": "右侧：经 {m} 个比较校正后，占比比{city}可信地更高 / 更低的地方数。",
        "shares_many": "地方很多：灰点为各地方的占比，黑色竖线为中位数，每个主题标出占比最高和最低的地方；"
                       "主题按平均占比排序。",
        "heat_many": "{facet}：每行一个地方（按平均相对雄心从高到低，括号内为平均值），每列一个指标（设定的地方多者在左）；"
                     "格中为目标值，空白灰格为未设定。",
    },
    "en": {
        "page": "page {i} of {n}", "more": "{names} and {k} more", "sep": ", ",
        "coverage_sub_many": "One row per place (most indicators set first; number in brackets), one column per "
                             "indicator. Coloured cell: at least one numeric target, the number is how many values; "
                             "colour = indicator family; grey = not set.",
        "grey_each": "grey: each of {n} places",
        "median": "median",
        "peers_top": "The {k} most similar of {n} are shown.",
        "others_range": "the other {n} places: 10th–90th percentile",
        "others_iqr": "middle half",
        "credible_counts": "credibly: {hi} higher / {lo} lower",
        "dend_cut": "{n} places: only the last {p} merges are drawn; a leaf names two of its places and their number.",
        "diff_pairs": "Of {n} pairs of places, {k} are drawn: those with a place asked for, then those with most "
                      "credible differences; blue = the first place has the higher share, orange = the second.",
        "pca_many": "The {n} places are grey points; {k} are named: those asked for and the farthest from the centre.",
        "emph_many": "grey bar: the other places' shares, 10th–90th percentile (darker: middle half), tick = median.",
        "emph_many_diffs": "Right: how many places have a credibly higher / lower share than {city} after correction "
                           "for {m} comparisons.",
        "shares_many": "Many places: a grey dot per place, the black tick is the median, the highest and lowest "
                       "place of each theme are named; themes by mean share.",
        "heat_many": "{facet}: one row per place (highest mean relative ambition first, mean in brackets), one "
                     "column per indicator (most places first); cell = the target, empty grey = not set.",
    },
}


def scale_text(lang: str) -> dict[str, str]:
    """The figure words used only at scale, in ``lang``."""
    return _WORDS[check_lang(lang)]


def pages(items: Sequence[Any], size: int) -> list[list[Any]]:
    """``items`` cut into ``ceil(len / size)`` pages of nearly equal length, order kept (no page is
    left with a handful of rows). An empty list gives one empty page."""
    items = list(items)
    n = max(1, math.ceil(len(items) / max(1, size)))
    cuts = [round(i * len(items) / n) for i in range(n + 1)]
    return [items[a:b] for a, b in zip(cuts, cuts[1:])]


def page_keys(n: int) -> list[str]:
    """Name suffixes of ``n`` pages: ``['']`` for one, else ``['_p01', '_p02', ...]``."""
    return [""] if n <= 1 else [f"_p{i + 1:02d}" for i in range(n)]


def page_note(i: int, n: int, lang: str) -> str:
    """'第 2/6 页' / 'page 2 of 6' (1-based ``i``); '' for a single page."""
    return "" if n <= 1 else _WORDS[check_lang(lang)]["page"].format(i=i, n=n)


def name_list(names: Sequence[str], lang: str, max_names: int = 6) -> str:
    """Names joined, or the first ``max_names`` and how many more: '甲、乙、丙等 12 个'."""
    w = _WORDS[check_lang(lang)]
    names = list(names)
    if len(names) <= max_names:
        return w["sep"].join(names)
    head = w["sep"].join(names[:max_names])
    return w["more"].format(names=head, n=len(names), k=len(names) - max_names)


def pick_highlights(values: Mapping[str, float], n_top: int = 3, n_bottom: int = 0,
                    highlight: Iterable[str] | None = None) -> list[str]:
    """The places to highlight: ``highlight`` (in its order, those present), then the ``n_top``
    highest and ``n_bottom`` lowest of ``values`` (NaN left out; ties by name)."""
    chosen = [c for c in dict.fromkeys(highlight or []) if c in values]
    ranked = sorted((c for c, v in values.items() if not math.isnan(float(v))), key=lambda c: (-float(values[c]), str(c)))
    for c in ranked[:n_top] + (ranked[-n_bottom:] if n_bottom else []):
        if c not in chosen:
            chosen.append(c)
    return chosen


def highlight_colors(names: Sequence[str]) -> dict[str, tuple]:
    """A distinct tab10 colour for each highlighted place (at most ten are meant to be highlighted)."""
    cmap = matplotlib.colormaps["tab10"]
    return {n: cmap(i % cmap.N) for i, n in enumerate(names)}


@contextlib.contextmanager
def many_figures() -> Iterator[None]:
    """Make a chart's pages without matplotlib's "more than 20 figures open" warning."""
    with matplotlib.rc_context({"figure.max_open_warning": 0}):
        yield


class FigurePages(Mapping[str, Figure]):
    """``{name suffix: Figure}``, each page drawn (inside :func:`cjk_style`) when it is looked up.

    Keys are known at once (``''`` for a single figure, ``'_p01'``..., or a chart's own suffixes).
    A page is drawn anew at every lookup and not kept: iterate once with ``.items()``, and save and
    close each figure before the next (as ``NotebookSession.save`` does).

    ``inputs`` (optional, one per page): everything page *i*'s drawing reads besides the chart's
    code and language -- its rows and whatever it shares with the other pages (a common scale, the
    number of pages). ``NotebookSession.figure`` then redraws only the pages whose inputs changed."""

    def __init__(self, keys: Sequence[str], draw: Callable[[int], Figure], lang: str,
                 inputs: Sequence[Any] | None = None) -> None:
        self._keys = list(keys)
        if len(set(self._keys)) != len(self._keys):
            raise ValueError(f"duplicate page keys: {self._keys}")
        if inputs is not None and len(inputs) != len(self._keys):
            raise ValueError(f"{len(inputs)} page inputs for {len(self._keys)} pages")
        self._draw, self._lang = draw, check_lang(lang)
        self.page_inputs = None if inputs is None else list(inputs)

    def __getitem__(self, key: str) -> Figure:
        try:
            i = self._keys.index(key)
        except ValueError:
            raise KeyError(key) from None
        with cjk_style(self._lang):
            return self._draw(i)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"FigurePages({self._keys})"


def single_page(fig: Figure, lang: str) -> FigurePages:
    """A figure already drawn, as one page ``''``."""
    return FigurePages([""], lambda _i: fig, lang)


def first_page(figures: Mapping[str, Figure]) -> Figure:
    """The first figure of ``{suffix: Figure}`` (only that page is drawn for a :class:`FigurePages`)."""
    return figures[next(iter(figures))]

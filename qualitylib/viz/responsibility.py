"""Charts of responsibility and commitment (notebook 05): who leads the tasks, which agencies lead which
themes, and how concrete the commitments are.

Input: outputs of :mod:`qualitylib.analysis.agencies` (``lead_shares``, ``agency_theme_counts``,
``agency_theme_graph``) and :mod:`qualitylib.analysis.concreteness` (``concreteness_shares``,
``kind_mix``). Output: matplotlib Axes (``plot_*``) or titled Figures (``*_figure``); nothing is saved
or shown here. Cities keep their pinyin order and colours; agency and theme labels follow ``lang``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..analysis.agencies import agency_labels
from ..analysis.themes import city_en_map
from .labels import city_colors, city_name, city_order, text, theme_labels
from .layout import (
    axes_message,
    empty_figure,
    new_axes,
    tight_below_header,
    titled_figure,
)
from .scale import (
    CONTEXT_GREY,
    MANY,
    FigurePages,
    first_page,
    highlight_colors,
    page_keys,
    page_note,
    pages,
    scale_text,
    single_page,
)
from .style import despine, styled

__all__ = [
    "plot_lead_shares", "lead_shares_figure", "lead_shares_figures",
    "plot_agency_theme_matrix", "agency_theme_matrix_figure", "agency_theme_matrix_figures",
    "plot_agency_theme_network", "agency_theme_network_figure",
    "plot_concreteness", "concreteness_figure",
    "plot_kind_mix", "kind_mix_figure",
]

_T = {
    "zh": {
        "lead_title": "各城市任务的责任单位：有无说明、有无牵头单位、有无“各县(市、区)”笼统分派",
        "lead_sub": "每组三根条：有责任单位说明的任务占全部任务的比例；其中写明牵头单位的比例；其中笼统分派给各县(市、区)"
                    "或各成员单位的比例。任务＝同一章节内共用一条责任说明的连续政策句。条末数字为任务数。",
        "lead_bars": ("有责任说明", "写明牵头单位", "笼统分派"),
        "share_tasks": "任务占比",
        "matrix_title": "哪些部门牵头哪些主题的任务（按城市）",
        "matrix_sub": "格中数字：该部门牵头、且涉及该主题的任务数（一项任务可涉及多个主题）。只列出有牵头单位的城市；"
                      "部门名称按{mode}归并。",
        "matrix_empty": "所选城市的责任说明中没有写明牵头单位。",
        "net_title": "部门—主题二部网络：哪些部门承担哪些主题的任务",
        "net_sub": "左：部门；右：主题。线宽＝该部门承担（牵头或配合）的该主题任务数（各城市合计，至少 {min_tasks} 项）；"
                   "深色线＝其中有牵头任务。节点大小与括号内数字＝连线的任务总数。只画任务最多的 {max_agencies} 个部门。部门名称按{mode}归并。",
        "conc_title": "承诺有多具体：带数字、带期限、写明责任单位的任务句占比",
        "conc_sub": "点：某城市某主题的任务句中具备该特征的比例；横线：{ci:.0%} 区块自助法区间（按章节重抽样 {n_boot} 次）。"
                    "“全部”＝该城市所有任务句。只显示该城市至少有 {min_n} 句的主题。",
        "measures": {"number": "带数字", "deadline": "带期限（年份、年底、年内）", "agency": "写明责任单位",
                     "lead": "写明牵头单位"},
        "all": "全部",
        "kind_title": "量化目标的类型构成：水平值、增量、增幅与年均增速",
        "kind_sub": "点：该城市量化目标中属于该类型的比例；横线：{ci:.0%} 区块自助法区间（按章节重抽样 {n_boot} 次）。"
                    "图例中括号内为目标数；目标很少的城市区间很宽。",
        "kinds": {"level": "水平值（达到…）", "increment": "增量（新增…个）", "delta": "变化幅度（提高…个百分点）",
                  "annual_growth": "年均增速"},
        "share_targets": "目标占比",
        "share_sent": "任务句占比",
        "modes": {"by_date": "发文日期（2019 年前按原名，之后按 2018 年机构改革后的名称）",
                  "written": "原文名称", "successor": "2018 年机构改革后的名称"},
    },
    "en": {
        "lead_title": "Who is responsible for the tasks: agency notes, named leads and blanket county assignments",
        "lead_sub": "Three bars per city: share of tasks with a responsible-agency note; of those, the share naming a "
                    "lead agency; of those, the share handed to every county/district or to all member units. A task "
                    "is a run of policy sentences of one section sharing one note. Numbers: tasks.",
        "lead_bars": ("has an agency note", "names a lead", "blanket assignment"),
        "share_tasks": "share of tasks",
        "matrix_title": "Which agencies lead tasks on which themes, by city",
        "matrix_sub": "Cells: tasks the agency leads that are about the theme (a task can be about several themes). "
                      "Only cities whose notes name leads; agency names grouped by {mode}.",
        "matrix_empty": "No note of the selected cities names a lead agency.",
        "net_title": "Agency–theme network: which agencies carry tasks on which themes",
        "net_sub": "Left: agencies; right: themes. Line width = tasks on the theme the agency leads or shares "
                   "(all cities, at least {min_tasks}); dark lines include led tasks. Node size and number = tasks on its lines. "
                   "The {max_agencies} agencies with most tasks. "
                   "Agency names grouped by {mode}.",
        "conc_title": "How concrete the commitments are: task sentences with a number, a deadline, a named agency",
        "conc_sub": "Dot: share of the city's task sentences on the theme that have the feature; bar: {ci:.0%} "
                    "block-bootstrap interval (sections resampled {n_boot} times). 'All' = every task sentence of the "
                    "city. Themes with at least {min_n} sentences in a city.",
        "measures": {"number": "carries a number", "deadline": "has a deadline (year, year-end)",
                     "agency": "names a responsible agency", "lead": "names a lead agency"},
        "all": "All",
        "kind_title": "The mix of target kinds: levels, increments, changes and annual growth rates",
        "kind_sub": "Dot: share of the city's quantitative targets of that kind; bar: {ci:.0%} block-bootstrap interval "
                    "(sections resampled {n_boot} times). Legend: number of targets; with few targets the intervals "
                    "are wide.",
        "kinds": {"level": "level (reach …)", "increment": "increment (add … units)",
                  "delta": "change (raise by … points)", "annual_growth": "annual growth rate"},
        "share_targets": "share of targets",
        "share_sent": "share of task sentences",
        "modes": {"by_date": "issue date (names as written before 2019, post-2018-reform successors after)",
                  "written": "the name as written", "successor": "the post-2018-reform successor"},
    },
}


def _cities(df: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    en = city_en_map(df)
    return city_order(df["city"].unique(), en), en


# --------------------------------------------------------------------------------------------
# lead shares
# --------------------------------------------------------------------------------------------
def plot_lead_shares(shares: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                     sort_by: str | None = None) -> Axes:
    """Grouped horizontal bars per city: share of tasks with a note, with a named lead and with a
    blanket assignment. Input: :func:`qualitylib.analysis.agencies.lead_shares`; cities in pinyin
    order, or by ``sort_by`` (a share column, highest first). Output: the Axes."""
    T = _T[lang]
    ax = new_axes(ax)
    cities, en = _cities(shares)
    if sort_by is not None:
        val = shares.set_index("city")[sort_by].fillna(-1)
        cities = sorted(cities, key=lambda c: -val[c])
    df = shares.set_index("city").reindex(cities)
    cols = [("share_note", "n_with_note", "n_tasks"), ("share_lead", "n_lead", "n_with_note"),
            ("share_blanket", "n_blanket", "n_with_note")]
    colors = ("#9db4cc", "#1f4e79", "#c9a227")
    h = 0.26
    for k, ((col, num, den), label, color) in enumerate(zip(cols, T["lead_bars"], colors)):
        y = np.arange(len(cities)) + (k - 1) * h
        vals = df[col].fillna(0).to_numpy(dtype=float)
        ax.barh(y, vals, height=h, color=color, label=label)
        for yi, v, a, b in zip(y, vals, df[num], df[den]):
            ax.text(v + 0.01, yi, f"{int(a)}/{int(b)}", va="center", fontsize=8, color="0.25")
    ax.set_yticks(np.arange(len(cities)))
    ax.set_yticklabels([city_name(c, lang, en) for c in cities])
    ax.set_ylim(len(cities) - 0.5, -0.5)
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(T["share_tasks"])
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    despine(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


@styled
def lead_shares_figure(shares: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """:func:`plot_lead_shares` with title and reading note. Output: Figure; with more places than
    fit a page, the first page of :func:`lead_shares_figures`."""
    return first_page(lead_shares_figures(shares, lang=lang))


@styled
def lead_shares_figures(shares: pd.DataFrame, *, lang: str = "zh", per_page: int = 30) -> FigurePages:
    """:func:`lead_shares_figure` as ``{name suffix: Figure}``: one figure (``''``) up to
    :data:`~qualitylib.viz.scale.MANY` places (pinyin order); more are sorted by the share of tasks
    with a note (highest first) and cut into pages of at most ``per_page`` (``'_p01'``...)."""
    T = _T[lang]
    many = shares["city"].nunique() > MANY
    order = shares.sort_values(["share_note", "city"], ascending=[False, True], kind="mergesort") if many else shares
    chunks = pages(list(order["city"].drop_duplicates()), per_page if many else max(1, len(order)))

    def draw(i: int) -> Figure:
        part = shares[shares["city"].isin(chunks[i])]
        sub = T["lead_sub"] + (" " + page_note(i + 1, len(chunks), lang) if len(chunks) > 1 else "")
        fig, top = titled_figure(10.0, 0.9 + 0.75 * part["city"].nunique(), T["lead_title"], sub)
        plot_lead_shares(part, ax=fig.add_subplot(111), lang=lang, sort_by="share_note" if many else None)
        tight_below_header(fig, top)
        return fig

    return FigurePages(page_keys(len(chunks)), draw, lang)


# --------------------------------------------------------------------------------------------
# agency x theme matrix
# --------------------------------------------------------------------------------------------
def _matrix(counts: pd.DataFrame, lang: str, order: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    cities, en = _cities(counts)
    if order is not None:  # the cities of a page, in the page's order
        cities = [c for c in order if c in set(cities)]
    a_lab, t_lab = agency_labels(lang), theme_labels(lang)
    themes = [t for t in t_lab if t in set(counts["theme"].astype(str))]
    wide = counts.assign(theme=counts["theme"].astype(str)).pivot_table(
        index=["city", "agency"], columns="theme", values="n_tasks", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=themes, fill_value=0)
    order = []
    for c in cities:
        if c in wide.index.get_level_values(0):
            sub = wide.loc[c].sum(axis=1).sort_values(ascending=False, kind="mergesort")
            order += [(c, a) for a in sub.index]
    wide = wide.reindex(pd.MultiIndex.from_tuples(order))
    rows = [f"{city_name(c, lang, en)} · {a_lab.get(a, a)}" for c, a in order]
    wide.index = rows
    wide.columns = [t_lab.get(t, t) for t in themes]
    return wide, [c for c, _ in order]


def plot_agency_theme_matrix(counts: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                             cities: list[str] | None = None) -> Axes:
    """Heatmap: rows city · agency (cities in pinyin order, or in the order of ``cities``; agencies by
    tasks led), columns themes, cells the number of led tasks (annotated). Input:
    :func:`qualitylib.analysis.agencies.agency_theme_counts`. Output: the Axes."""
    ax = new_axes(ax)
    if counts.empty:
        return axes_message(ax, _T[lang]["matrix_empty"])
    wide, row_city = _matrix(counts, lang, cities)
    v = wide.to_numpy(dtype=float)
    ax.imshow(np.where(v > 0, v, np.nan), cmap="Blues", aspect="auto", vmin=0, vmax=max(1.0, v.max()) * 1.15)
    for i, j in zip(*np.nonzero(v)):
        # a count sits inside its cell, so it cannot move the layout: leaving it out of the layout
        # passes (tight_layout, the saved figure's tight bbox) saves measuring hundreds of texts twice
        ax.text(j, i, f"{int(v[i, j])}", ha="center", va="center", fontsize=8,
                color="white" if v[i, j] > 0.6 * v.max() else "0.1").set_in_layout(False)
    ax.set_xticks(range(v.shape[1]))
    ax.set_xticklabels(wide.columns, rotation=90, fontsize=8)
    ax.set_yticks(range(v.shape[0]))
    ax.set_yticklabels(wide.index, fontsize=8)
    for i in range(1, len(row_city)):  # a line between cities
        if row_city[i] != row_city[i - 1]:
            ax.axhline(i - 0.5, color="0.3", lw=0.8)
    ax.set_xticks(np.arange(-0.5, v.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, v.shape[0]), minor=True)
    ax.grid(which="minor", color="0.9", lw=0.5)
    ax.tick_params(which="minor", length=0)
    return ax


@styled
def agency_theme_matrix_figure(counts: pd.DataFrame, *, lang: str = "zh", names: str = "by_date") -> Figure:
    """:func:`plot_agency_theme_matrix` with title and reading note. Output: Figure; with more rows
    than fit a page, the first page of :func:`agency_theme_matrix_figures`."""
    return first_page(agency_theme_matrix_figures(counts, lang=lang, names=names))


@styled
def agency_theme_matrix_figures(counts: pd.DataFrame, *, lang: str = "zh", names: str = "by_date",
                                per_page: int = 60) -> FigurePages:
    """:func:`agency_theme_matrix_figure` as ``{name suffix: Figure}``: one figure (``''``) when the
    city · agency rows fit ``per_page``; else pages of whole cities (most led tasks first), at most
    ``per_page`` rows each (``'_p01'``...)."""
    T = _T[lang]
    if counts.empty:
        return single_page(empty_figure(T["matrix_title"], T["matrix_empty"]), lang)
    n_rows = counts.groupby("city")["agency"].nunique()
    if n_rows.sum() <= per_page:
        chunks = [list(n_rows.index)]
    else:
        tasks = counts.groupby("city")["n_tasks"].sum()
        chunks, cur, size = [], [], 0
        for c in sorted(n_rows.index, key=lambda c: (-tasks[c], c)):
            if cur and size + n_rows[c] > per_page:
                chunks.append(cur)
                cur, size = [], 0
            cur.append(c)
            size += int(n_rows[c])
        chunks.append(cur)

    def draw(i: int) -> Figure:
        part = counts[counts["city"].isin(chunks[i])]
        rows = part[["city", "agency"]].drop_duplicates().shape[0]
        sub = T["matrix_sub"].format(mode=T["modes"][names])
        sub += (" " + page_note(i + 1, len(chunks), lang)) if len(chunks) > 1 else ""
        fig, top = titled_figure(11.0, 2.2 + 0.28 * rows, T["matrix_title"], sub)
        plot_agency_theme_matrix(part, ax=fig.add_subplot(111), lang=lang, cities=chunks[i] if len(chunks) > 1 else None)
        tight_below_header(fig, top)
        return fig

    return FigurePages(page_keys(len(chunks)), draw, lang)


# --------------------------------------------------------------------------------------------
# bipartite network
# --------------------------------------------------------------------------------------------
def _top_agencies(graph, max_agencies: int):
    deg = dict(graph.degree(weight="weight"))
    keep = sorted((n for n in graph if n[0] == "agency"), key=lambda n: (-deg[n], n[1]))[:max_agencies]
    sub = graph.subgraph(set(keep) | {v for a in keep for v in graph[a]})
    return sub


def plot_agency_theme_network(graph, *, ax: Axes | None = None, lang: str = "zh", max_agencies: int = 15) -> Axes:
    """Two-column drawing of a bipartite agency-theme graph
    (:func:`qualitylib.analysis.agencies.agency_theme_graph`): agencies left (the ``max_agencies``
    with most tasks), themes right, each column sorted by weighted degree; line width by ``weight``,
    dark when ``lead`` > 0. Output: Axes."""
    ax = new_axes(ax)
    graph = _top_agencies(graph, max_agencies)
    if graph.number_of_edges() == 0:
        return axes_message(ax, _T[lang]["matrix_empty"])
    a_lab, t_lab = agency_labels(lang), theme_labels(lang)
    deg = dict(graph.degree(weight="weight"))
    agencies = sorted((n for n in graph if n[0] == "agency"), key=lambda n: (-deg[n], n[1]))
    themes = sorted((n for n in graph if n[0] == "theme"), key=lambda n: (-deg[n], n[1]))
    span = max(len(agencies), len(themes)) - 1 or 1

    def ys(nodes):
        return {n: (i * span / (len(nodes) - 1) if len(nodes) > 1 else span / 2) for i, n in enumerate(nodes)}

    pos = {n: (0.0, y) for n, y in ys(agencies).items()} | {n: (1.0, y) for n, y in ys(themes).items()}
    wmax = max(d["weight"] for _, _, d in graph.edges(data=True))
    # agency -> theme, ties broken by name: the subgraph's edge order follows set order, which changes
    # with Python's string hashing from one process to the next (and so did the drawn image)
    edges = [(u, v, d) if u[0] == "agency" else (v, u, d) for u, v, d in graph.edges(data=True)]
    for u, v, d in sorted(edges, key=lambda e: (e[2].get("lead", 0) > 0, e[2]["weight"], str(e[0][1]), str(e[1][1]))):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        lead = d.get("lead", 0) > 0
        ax.plot([x0, x1], [y0, y1], color="#1f4e79" if lead else "#9db4cc",
                lw=0.5 + 4.5 * d["weight"] / wmax, alpha=0.8 if lead else 0.55, solid_capstyle="round", zorder=1)
    dmax = max(deg.values())
    for n, (x, y) in pos.items():
        ax.scatter([x], [y], s=20 + 260 * deg[n] / dmax, color="#c9a227" if n[0] == "agency" else "#55a868",
                   zorder=3, edgecolor="white", linewidth=0.6)
        label = a_lab.get(n[1], n[1]) if n[0] == "agency" else t_lab.get(n[1], n[1])
        ax.text(x - 0.04 if n[0] == "agency" else x + 0.04, y, f"{label} ({deg[n]:,})", ha="right" if x == 0 else "left",
                va="center", fontsize=8)
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(span + 0.8, -0.8)
    ax.set_axis_off()
    return ax


@styled
def agency_theme_network_figure(graph, *, lang: str = "zh", names: str = "by_date", min_tasks: int = 1,
                                max_agencies: int = 15) -> Figure:
    """:func:`plot_agency_theme_network` with title and reading note. Output: Figure."""
    T = _T[lang]
    graph = _top_agencies(graph, max_agencies)
    n = max(sum(1 for x in graph if x[0] == "agency"), sum(1 for x in graph if x[0] == "theme"), 1)
    fig, top = titled_figure(10.0, 1.0 + 0.3 * n, T["net_title"],
                             T["net_sub"].format(mode=T["modes"][names], min_tasks=min_tasks, max_agencies=max_agencies))
    plot_agency_theme_network(graph, ax=fig.add_subplot(111), lang=lang, max_agencies=max_agencies)
    tight_below_header(fig, top)
    return fig


# --------------------------------------------------------------------------------------------
# concreteness and target kinds: dots with intervals
# --------------------------------------------------------------------------------------------
def _dots(ax: Axes, df: pd.DataFrame, rows: list[str], row_labels: list[str], key: str, lang: str,
          legend_n: dict[str, int] | None = None, highlight: list[str] | None = None) -> Axes:
    cities, en = _cities(df)
    if len(cities) > MANY:
        return _dots_many(ax, df, rows, row_labels, key, lang, legend_n, highlight, cities, en)
    colors = city_colors(cities)
    n_c = len(cities)
    offsets = (np.arange(n_c) - (n_c - 1) / 2) * (0.8 / max(n_c, 1))
    ypos = np.arange(len(rows))
    for k, c in enumerate(cities):
        d = df[df["city"] == c].set_index(key).reindex(rows)
        y = ypos + offsets[k]
        ax.hlines(y, d["lo"], d["hi"], color=colors[c], lw=1.5, alpha=0.85)
        label = city_name(c, lang, en) + (f" ({legend_n[c]})" if legend_n else "")
        ax.plot(d["share"], y, "o", color=colors[c], ms=4.5, label=label, zorder=3, clip_on=False)
    return _share_rows_frame(ax, row_labels)


def _dots_many(ax, df, rows, row_labels, key, lang, legend_n, highlight, cities, en) -> Axes:
    """Many places: a grey dot each (no interval), the median as a black tick, the places in
    ``highlight`` (at most ten) in colour with their intervals."""
    hl = [c for c in dict.fromkeys(highlight or []) if c in set(cities)][:10]
    hcol = highlight_colors(hl)
    for i, r in enumerate(rows):
        d = df[df[key] == r].sort_values(["share", "city"], kind="mergesort")
        if d.empty:
            continue
        jitter = ((np.arange(len(d)) * 0.618) % 1.0 - 0.5) * 0.5
        ax.plot(d["share"], i + jitter, "o", ms=2.5, color=CONTEXT_GREY, alpha=0.7, zorder=2, clip_on=False)
        med = float(d["share"].median())
        ax.plot([med, med], [i - 0.35, i + 0.35], color="0.1", lw=1.6, zorder=3)
        for k, c in enumerate(hl):
            h = d[d["city"] == c]
            if h.empty:
                continue
            y = i + (k - (len(hl) - 1) / 2) * (0.6 / max(len(hl), 1))
            ax.hlines(y, h["lo"], h["hi"], color=hcol[c], lw=1.5, zorder=4)
            ax.plot(h["share"], [y], "o", color=hcol[c], ms=4.5, zorder=5)
    for c in hl:
        ax.plot([], [], "o", color=hcol[c], label=city_name(c, lang, en) + (f" ({legend_n[c]})" if legend_n else ""))
    ax.plot([], [], "o", ms=3, color=CONTEXT_GREY, label=scale_text(lang)["grey_each"].format(n=len(cities)))
    ax.plot([], [], color="0.1", lw=1.6, label=scale_text(lang)["median"])
    return _share_rows_frame(ax, row_labels)


def _share_rows_frame(ax: Axes, row_labels: list[str]) -> Axes:
    """The frame both layouts of the share charts draw in: a row per label top to bottom, every other
    row shaded, a 0-100% axis with a light grid. Output: the Axes."""
    n = len(row_labels)
    for i in range(0, n, 2):
        ax.axhspan(i - 0.5, i + 0.5, color="0.95", zorder=0)
    ax.set_yticks(np.arange(n))
    ax.set_yticklabels(row_labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 1.0)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="x", color="0.85", lw=0.6)
    ax.set_axisbelow(True)
    despine(ax)
    return ax


def _conc_rows(shares: pd.DataFrame, lang: str, min_n: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    df = shares[shares["n_sentences"] >= min_n].copy()
    df["theme"] = df["theme"].astype(str)
    t_lab = theme_labels(lang)
    rows = ["all"] + [t for t in t_lab if t in set(df["theme"])]
    return df, rows, [_T[lang]["all"] if t == "all" else t_lab[t] for t in rows]


def plot_concreteness(shares: pd.DataFrame, *, measure: str = "number", ax: Axes | None = None, lang: str = "zh",
                      min_n: int = 5, highlight: list[str] | None = None) -> Axes:
    """One measure of :func:`qualitylib.analysis.concreteness.concreteness_shares`: per theme (rows,
    'all' first) and city (colour), the share with an interval. Output: the Axes."""
    ax = new_axes(ax)
    df, rows, labels = _conc_rows(shares[shares["measure"] == measure], lang, min_n)
    _dots(ax, df, rows, labels, "theme", lang, highlight=highlight)
    ax.set_title(_T[lang]["measures"][measure], fontsize=10, loc="left")
    ax.set_xlabel(_T[lang]["share_sent"])
    return ax


@styled
def concreteness_figure(shares: pd.DataFrame, *, lang: str = "zh", measures: tuple[str, ...] = ("number", "deadline", "agency"),
                        min_n: int = 5, highlight: list[str] | None = None) -> Figure:
    """Panels of :func:`plot_concreteness`, one per measure, sharing the theme rows. Output: Figure."""
    T = _T[lang]
    _, rows, _ = _conc_rows(shares, lang, min_n)
    ci = float(shares["ci"].iloc[0])
    sub = T["conc_sub"].format(ci=ci, n_boot=int(shares["n_boot"].iloc[0]), min_n=min_n)
    n_c = shares["city"].nunique()
    fig, top = titled_figure(13.0, 1.2 + (0.45 * len(rows) if n_c > MANY else 0.36 * len(rows) * max(1.0, n_c / 4)),
                             T["conc_title"], sub)
    axes = fig.subplots(1, len(measures), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, m in zip(axes, measures):
        plot_concreteness(shares, measure=m, ax=ax, lang=lang, min_n=min_n, highlight=highlight)
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)
    axes[-1].legend(title=text(lang)["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    tight_below_header(fig, top)
    return fig


def plot_kind_mix(mix: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh",
                  highlight: list[str] | None = None) -> Axes:
    """Per target kind (rows) and city (colour), the share of the city's targets with an interval.
    Input: :func:`qualitylib.analysis.concreteness.kind_mix`. Output: the Axes."""
    ax = new_axes(ax)
    kinds = list(dict.fromkeys(mix["kind"]))
    labels = [_T[lang]["kinds"].get(k, k) for k in kinds]
    n = mix.drop_duplicates("city").set_index("city")["n"].astype(int).to_dict()
    _dots(ax, mix, kinds, labels, "kind", lang, legend_n=n, highlight=highlight)
    ax.set_xlabel(_T[lang]["share_targets"])
    ax.legend(title=text(lang)["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


@styled
def kind_mix_figure(mix: pd.DataFrame, *, lang: str = "zh", highlight: list[str] | None = None) -> Figure:
    """:func:`plot_kind_mix` with title and reading note. Output: Figure."""
    T = _T[lang]
    sub = T["kind_sub"].format(ci=float(mix["ci"].iloc[0]), n_boot=int(mix["n_boot"].iloc[0]))
    n_c = mix["city"].nunique()
    fig, top = titled_figure(10.0, 1.2 + 0.45 * mix["kind"].nunique() * (1.6 if n_c > MANY else max(1.0, n_c / 4)),
                             T["kind_title"], sub)
    plot_kind_mix(mix, ax=fig.add_subplot(111), lang=lang, highlight=highlight)
    tight_below_header(fig, top)
    return fig

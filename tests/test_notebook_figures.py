"""nb.figure draws a chart only when what it is drawn from changed: the same function and inputs (tables
by content) with intact files show the saved files instead; pages a chart no longer has are deleted."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from qualitylib import notebook
from qualitylib.records import exact_digest

DRAWN: list[str] = []


def bars(frame: pd.DataFrame, *, lang: str) -> Figure:
    DRAWN.append("bars")
    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.bar(frame["city"], frame["value"])
    ax.set_title(lang)
    return fig


def bar_pages(frame: pd.DataFrame, *, per_page: int, lang: str) -> dict[str, Figure]:
    chunks = [frame.iloc[i:i + per_page] for i in range(0, len(frame), per_page)]
    return {f"_p{i + 1:02d}": bars(chunk, lang=lang) for i, chunk in enumerate(chunks)}


@pytest.fixture
def nb(session):
    DRAWN.clear()
    return session("en")


def _frame(values):
    return pd.DataFrame({"city": [f"c{i}" for i in range(len(values))], "value": values})


def test_a_chart_is_drawn_again_only_when_its_inputs_change(nb):
    first = nb.figure("bars", bars, _frame([1.0, 2.0]), lang="en")
    data = first[0].read_bytes()
    assert DRAWN == ["bars"]
    again = nb.figure("bars", bars, _frame([1.0, 2.0]), lang="en")
    assert again == first and DRAWN == ["bars"] and first[0].read_bytes() == data
    nb.figure("bars", bars, _frame([1.0, 2.5]), lang="en")  # one value changed
    assert DRAWN == ["bars", "bars"]
    nb.figure("bars", bars, _frame([1.0, 2.5]).astype({"value": "float32"}), lang="en")  # same text, other dtype
    assert len(DRAWN) == 3


def test_an_edited_or_deleted_file_is_drawn_again(nb):
    (path,) = nb.figure("bars", bars, _frame([1.0]), lang="en")
    path.write_bytes(b"edited")
    nb.figure("bars", bars, _frame([1.0]), lang="en")
    assert len(DRAWN) == 2 and path.read_bytes().startswith(b"\x89PNG")
    path.unlink()
    nb.figure("bars", bars, _frame([1.0]), lang="en")
    assert len(DRAWN) == 3 and path.is_file()


def test_pages_a_chart_no_longer_has_are_deleted(nb):
    three = nb.figure("pages", bar_pages, _frame([1.0, 2.0, 3.0, 4.0, 5.0]), per_page=2, lang="en")
    assert [p.name for p in three] == ["pages_p01_en.png", "pages_p02_en.png", "pages_p03_en.png"]
    two = nb.figure("pages", bar_pages, _frame([1.0, 2.0, 3.0]), per_page=2, lang="en")
    assert [p.name for p in two] == ["pages_p01_en.png", "pages_p02_en.png"]
    assert not three[2].exists()


def test_inputs_that_cannot_be_compared_exactly_are_always_drawn(nb):
    nb.figure("bars", lambda frame, lang: bars(frame, lang=lang), _frame([1.0]), "en")
    nb.figure("bars", lambda frame, lang: bars(frame, lang=lang), _frame([1.0]), "en")
    assert len(DRAWN) == 2
    with pytest.raises(TypeError):
        exact_digest(object())


def test_reuse_can_be_switched_off(session):
    DRAWN.clear()
    nb = session("en", reuse_figures=False)
    nb.figure("bars", bars, _frame([1.0]), lang="en")
    nb.figure("bars", bars, _frame([1.0]), lang="en")
    assert len(DRAWN) == 2


def test_the_exact_digest_sees_what_text_forms_hide():
    big = np.zeros(5000)
    other = big.copy()
    other[2500] = 1.0
    assert str(big) == str(other)  # numpy elides the middle of long arrays
    assert exact_digest(big) != exact_digest(other)
    assert exact_digest(0.1 + 0.2) != exact_digest(0.3)
    assert exact_digest({"b": 1, "a": 2}) == exact_digest({"a": 2, "b": 1})
    assert exact_digest(pd.Series([1, 2], index=["x", "y"])) != exact_digest(pd.Series([1, 2], index=["x", "z"]))


def test_the_chart_functions_of_viz_can_be_digested():
    from qualitylib import viz

    # decorated with functools.wraps (the CJK style): a closure, but one that holds only the function
    names = [n for n in viz.__all__ if n.endswith(("_figure", "_figures"))]
    assert len(names) >= 10
    assert len({exact_digest(getattr(viz, n)) for n in names}) == len(names)


def test_a_frame_digest_sees_one_ulp_and_a_renamed_column():
    frame = pd.DataFrame({"city": ["泰安市", "芜湖市"], "share": [0.25, 0.5]})
    nudged = frame.copy()
    nudged.loc[1, "share"] = np.nextafter(0.5, 1.0)
    assert exact_digest(frame) == exact_digest(frame.copy())
    assert exact_digest(frame) != exact_digest(nudged)
    assert exact_digest(frame) != exact_digest(frame.rename(columns={"share": "value"}))
    assert exact_digest(frame) != exact_digest(frame.astype({"city": "category"}))


def test_a_graph_digest_sees_its_content_not_its_construction_order():
    import networkx as nx

    def graph(edges):
        g = nx.Graph()
        for u, v, w in edges:
            g.add_edge(("agency", u), ("theme", v), weight=w)
        return g

    edges = [("市场监管局", "standards", 3), ("商务局", "brands", 2), ("市场监管局", "brands", 1)]
    same = graph(edges)
    assert exact_digest(same) == exact_digest(graph(list(reversed(edges))))
    assert exact_digest(same) != exact_digest(graph(edges[:2] + [("市场监管局", "brands", 2)]))
    assert exact_digest(same) != exact_digest(nx.DiGraph(same))
    relabelled = graph(edges)
    relabelled.nodes[("theme", "brands")]["lead"] = 1
    assert exact_digest(same) != exact_digest(relabelled)


def keyed_pages(frame: pd.DataFrame, *, per_page: int, lang: str):
    """Pages that say what each is drawn from: its rows and the shared y limit."""
    from qualitylib.viz.scale import FigurePages

    chunks = [frame.iloc[i:i + per_page] for i in range(0, len(frame), per_page)]
    top = float(frame["value"].max())

    def draw(i):
        fig = bars(chunks[i], lang=lang)
        fig.axes[0].set_ylim(0, top)
        return fig

    return FigurePages([f"_p{i + 1:02d}" for i in range(len(chunks))], draw, lang,
                       inputs=[(chunk, top) for chunk in chunks])


def test_only_the_pages_whose_inputs_changed_are_drawn_again(nb):
    first = nb.figure("keyed", keyed_pages, _frame([1.0, 2.0, 3.0, 4.0, 5.0, 9.0]), per_page=2, lang="en")
    assert len(DRAWN) == 3
    stamps = [p.stat().st_mtime_ns for p in first]
    # the second page's rows change, the shared limit (9) does not: that page alone is drawn
    second = nb.figure("keyed", keyed_pages, _frame([1.0, 2.0, 3.0, 4.5, 5.0, 9.0]), per_page=2, lang="en")
    assert len(DRAWN) == 4 and second == first
    assert [p.stat().st_mtime_ns for p in first][0::2] == stamps[0::2]
    # a file edited by hand is drawn again, the others are kept
    first[2].write_bytes(b"edited")
    nb.figure("keyed", keyed_pages, _frame([1.0, 2.0, 3.0, 4.6, 5.0, 9.0]), per_page=2, lang="en")
    assert len(DRAWN) == 6 and first[2].read_bytes().startswith(b"\x89PNG")
    # the shared limit changes: every page is drawn
    nb.figure("keyed", keyed_pages, _frame([1.0, 2.0, 3.0, 4.6, 5.0, 8.0]), per_page=2, lang="en")
    assert len(DRAWN) == 9
    # the same as drawn from scratch
    fresh = notebook.start(lang="en", processed_dir=nb.processed_dir, figures_dir=nb.figures_dir / "fresh",
                           figure_formats=["png"], root=nb.root)
    again = fresh.figure("keyed", keyed_pages, _frame([1.0, 2.0, 3.0, 4.6, 5.0, 8.0]), per_page=2, lang="en")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in first]
    # fewer pages: the last one's file goes
    nb.figure("keyed", keyed_pages, _frame([1.0, 2.0, 3.0, 4.6]), per_page=2, lang="en")
    assert not first[2].exists() and first[1].exists()


def test_the_paged_charts_that_key_their_pages_give_one_input_per_page():
    from qualitylib import viz
    from qualitylib.records import exact_digest as digest

    terms = pd.DataFrame({"city": [f"城{i:02d}市" for i in range(20) for _ in range(3)],
                          "city_en": [f"C{i:02d}" for i in range(20) for _ in range(3)],
                          "rank": [1, 2, 3] * 20, "term": ["质量提升", "标准化", "品牌"] * 20,
                          "tfidf": np.linspace(0.9, 0.1, 60), "count": [3] * 60})
    pages = viz.tfidf_terms_figures(terms, lang="en", per_page=8)
    assert len(pages.page_inputs) == len(pages) == 3
    nudged = terms.copy()
    nudged.loc[59, "tfidf"] = 0.11  # a place on the last page (the largest score, the shared scale, is unchanged)
    after = viz.tfidf_terms_figures(nudged, lang="en", per_page=8).page_inputs
    assert [digest(a) == digest(b) for a, b in zip(pages.page_inputs, after)] == [True, True, False]

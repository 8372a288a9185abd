"""The agency-theme network is drawn the same whatever order the graph holds its nodes and edges in
(that order follows Python's string hashing, which changes between processes)."""
from __future__ import annotations

import io

import matplotlib.pyplot as plt
import networkx as nx

from qualitylib.viz.responsibility import agency_theme_network_figure


def _graph(edges):
    g = nx.Graph()
    for a, t, w, lead in edges:
        g.add_node(("agency", a), bipartite=0)
        g.add_node(("theme", t), bipartite=1)
        g.add_edge(("agency", a), ("theme", t), weight=w, cities=1, lead=lead)
    return g


def _png(g) -> bytes:
    fig = agency_theme_network_figure(g, lang="en")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    plt.close(fig)
    return buf.getvalue()


def test_network_image_does_not_depend_on_graph_order():
    edges = [("market_regulation", "standards", 3, 0), ("finance", "standards", 3, 0),
             ("market_regulation", "brands", 3, 1), ("finance", "brands", 3, 1), ("commerce", "services", 2, 0)]
    assert _png(_graph(edges)) == _png(_graph(list(reversed(edges))))

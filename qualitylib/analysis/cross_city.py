"""Cross-city statistics, computed once per corpus: theme coding, block-bootstrap shares, pairwise
differences, TF-IDF terms, clustering checks and nearest peers.

Every notebook that compares cities used to recompute these (notebook 04 once per city and language),
so a run's time grew with the square of the number of cities. :func:`cross_city_tables` computes them
once from the policy sentences; the run stores the tables beside the processed data
(:mod:`qualitylib.stats_tables`) and the notebooks read them.

Input: policy sentences (``tables.policy_sentences``) and the parameters in :data:`DEFAULTS`.
Output: a dict of DataFrames, one per table in :data:`TABLES`. Pure and deterministic for a seed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import clustering, differences, themes, tfidf

__all__ = ["DEFAULTS", "TABLES", "THEME_TABLES", "N_PEERS", "statistics_parameters", "cross_city_tables",
           "theme_tables", "tfidf_tables", "cities_compared", "nearest_peers_table"]

#: The parameters the statistics depend on, with the values notebooks 03 and 04 declare by default
#: (a test keeps the notebooks' parameter cells and these in step).
DEFAULTS: dict[str, Any] = {
    "seed": 20240601,
    "n_boot": 1000,          # replicates: theme shares, cluster stability
    "n_boot_diff": 20000,    # replicates: pairwise differences (corrected levels reach far into the tails)
    "block_depth": 2,        # sections are resampled at this depth of the section path
    "correction": "bh",
    "alpha": 0.05,
    "method": "average",     # hierarchical linkage
    "metric": "cosine",
    "top_n": 12,             # TF-IDF terms per city
}

#: Tables written by :func:`cross_city_tables`, with what each holds.
TABLES: dict[str, str] = {
    "theme_shares": "block-bootstrap share of policy sentences per city and theme (95% interval)",
    "theme_shares_sentence": "the same with single sentences resampled (to show what blocks change)",
    "sentence_scope": "policy sentences per city counted as in scope or by the reason they are not",
    "theme_differences": "every city-pair x theme difference of shares, corrected for multiplicity",
    "tfidf_terms": "the terms that set each city's text apart (TF-IDF)",
    "silhouette": "silhouette width of the hierarchical clustering for each number of clusters k",
    "cluster_stability": "bootstrap stability of the clusters at the best k (clusterboot)",
    "peers": "each city's nearest cities by cosine similarity of theme shares (top N_PEERS)",
}

#: Peers kept per city: a profile names the closest few, not every city of a national corpus.
N_PEERS = 10


def statistics_parameters(params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Input: run or notebook parameters (other keys are ignored). Output: :data:`DEFAULTS` with the
    given values of its keys, typed as the defaults are."""
    out = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        if params and key in params and params[key] is not None:
            out[key] = type(default)(params[key])
    return out


def nearest_peers_table(wide: pd.DataFrame, n_peers: int = N_PEERS) -> pd.DataFrame:
    """Input: city x theme share matrix (:func:`themes.to_wide`). Output: ``city, peer, cosine, rank``,
    the ``n_peers`` most similar other cities of every city (ties by name), cities in index order."""
    X = wide.to_numpy(dtype=float)
    norms = np.linalg.norm(X, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = (X @ X.T) / np.outer(norms, norms)
    names = np.array([str(c) for c in wide.index], dtype=object)
    frames = []
    for i, city in enumerate(names):
        others = np.flatnonzero(np.arange(len(names)) != i)
        part = pd.DataFrame({"city": city, "peer": names[others], "cosine": sim[i, others]})
        part = part.sort_values(["cosine", "peer"], ascending=[False, True], kind="mergesort").head(n_peers)
        frames.append(part.assign(rank=np.arange(1, len(part) + 1)))
    if not frames:
        return pd.DataFrame(columns=["city", "peer", "cosine", "rank"])
    return pd.concat(frames, ignore_index=True)


def _scope_counts(coded: pd.DataFrame) -> pd.DataFrame:
    per_sentence = coded.drop_duplicates(["doc_id", "sentence_id"])
    scope = per_sentence["scope"].astype(str).str.split(":").str[0].replace("", "policy sentence")
    return (per_sentence.assign(scope=scope).groupby(["city", "city_en", "scope"], sort=True)
            .size().rename("n_sentences").reset_index())


def cross_city_tables(sentences: pd.DataFrame, params: Mapping[str, Any] | None = None, *,
                      progress: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Input: policy sentences of every city in the comparison and the parameters (see
    :data:`DEFAULTS`). Output: the tables of :data:`TABLES`. Tables that need two (or three) cities
    are empty with fewer. ``progress`` is called with the name of each table as it starts."""
    say = progress or (lambda name: None)
    say("theme coding")
    coded = themes.code_sentences(sentences)
    out = theme_tables(coded, params, progress=progress)
    out.update(tfidf_tables(sentences, params, n_cities=cities_compared(out), progress=progress))
    return {name: out[name] for name in TABLES}


#: The tables made from the theme-coded sentences (all but the TF-IDF terms, made from the text).
THEME_TABLES = ("theme_shares", "theme_shares_sentence", "sentence_scope", "theme_differences", "silhouette",
                "cluster_stability", "peers")


def cities_compared(theme_part: Mapping[str, pd.DataFrame]) -> int:
    """Input: :func:`theme_tables` output. Output: the number of cities compared."""
    return int(theme_part["theme_shares"]["city"].nunique()) if len(theme_part["theme_shares"]) else 0


def theme_tables(coded: pd.DataFrame, params: Mapping[str, Any] | None = None, *,
                 progress: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Input: theme-coded policy sentences (:func:`qualitylib.analysis.themes.code_sentences`) and the
    parameters. Output: the tables of :data:`THEME_TABLES`: they depend on the text only through the
    coding, so a run whose coding did not change can keep them."""
    p = statistics_parameters(params)
    say = progress or (lambda name: None)
    with themes.reusing_block_sums():  # coded is not changed below
        return _theme_tables(coded, p, say)


def tfidf_input(sentences: pd.DataFrame, *, n_cities: int) -> tuple[pd.Series, dict] | None:
    """Input: policy sentences and the number of cities compared. Output: what the TF-IDF terms are
    made from -- the per-city documents as vectorised (:func:`~qualitylib.analysis.tfidf.tfidf_documents`)
    and the pinyin names -- or None with fewer than two cities. A stored table made from the same
    input is the same table, so it is what the table is keyed on."""
    if n_cities < 2:
        return None
    return tfidf.tfidf_documents(sentences), themes.city_en_map(sentences)


def tfidf_tables(sentences: pd.DataFrame, params: Mapping[str, Any] | None = None, *, n_cities: int,
                 progress: Callable[[str], None] | None = None,
                 made_from: tuple[pd.Series, dict] | None = None) -> dict[str, pd.DataFrame]:
    """Input: policy sentences, the parameters and the number of cities compared (and, when the
    caller has it, :func:`tfidf_input`'s output for them). Output: ``{"tfidf_terms": ...}`` (empty
    with fewer than two cities)."""
    p = statistics_parameters(params)
    if n_cities < 2:
        return {"tfidf_terms": pd.DataFrame()}
    (progress or (lambda name: None))("tfidf_terms")
    docs, names = made_from if made_from is not None else tfidf_input(sentences, n_cities=n_cities)
    return {"tfidf_terms": tfidf.tfidf_from_documents(docs, names, top_n=p["top_n"])}


def _theme_tables(coded: pd.DataFrame, p: dict[str, Any], say: Callable[[str], None]) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    say("theme_shares")
    out["theme_shares"] = themes.bootstrap_shares(coded, n_boot=p["n_boot"], seed=p["seed"],
                                                  block_depth=p["block_depth"])
    out["theme_shares_sentence"] = themes.bootstrap_shares(coded, n_boot=p["n_boot"], seed=p["seed"],
                                                           block_depth=None)
    out["sentence_scope"] = _scope_counts(coded)
    wide = themes.to_wide(out["theme_shares"])
    n_cities = wide.shape[0]
    out["theme_differences"] = pd.DataFrame()
    out["silhouette"] = pd.DataFrame()
    out["cluster_stability"] = pd.DataFrame()
    if n_cities >= 2:
        say("theme_differences")
        out["theme_differences"] = differences.pairwise_differences(
            coded, n_boot=p["n_boot_diff"], seed=p["seed"], alpha=p["alpha"], correction=p["correction"],
            block_depth=p["block_depth"])
    # a place with no sentence on any theme has no emphasis to cluster by (the notebook names it)
    clustered, _ = clustering.clusterable(wide, p["metric"])
    if len(clustered) >= 3:
        say("silhouette")
        sil = clustering.silhouette_by_k(clustered, method=p["method"], metric=p["metric"])
        out["silhouette"] = sil
        if not sil.dropna(subset=["silhouette"]).empty:
            best_k = int(sil.loc[sil["silhouette"].idxmax(), "k"])
            say("cluster_stability")
            stability = clustering.clusterboot(clustered, best_k, n_boot=p["n_boot"], seed=p["seed"],
                                               method=p["method"], metric=p["metric"])
            out["cluster_stability"] = stability.assign(k=best_k)
    say("peers")
    out["peers"] = nearest_peers_table(wide)
    return out

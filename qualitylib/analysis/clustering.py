"""Which cities have similar theme profiles, and is that grouping stable? Hierarchical clustering of
the city x theme share matrix, silhouette over k, bootstrap Jaccard stability (Hennig 2007) and the
PCA biplot. Input: the outputs of :mod:`qualitylib.analysis.themes`; output: DataFrames and arrays,
no plotting."""
from __future__ import annotations

from typing import Iterable, NamedTuple

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform

from .frames import check_wide
from .themes import _boot_share_draws, _hit_matrices

__all__ = [
    "STABILITY_THRESHOLDS",
    "Clustering",
    "cluster_cities",
    "cut_clusters",
    "silhouette_by_k",
    "bootstrap_jaccard",
    "stability_reading",
    "PCAResult",
    "pca_biplot_data",
]

#: Hennig (2007) reading of mean bootstrap Jaccard similarity of a cluster.
#: >= 0.75 'stable'; 0.6 -- 0.75 'doubtful'; < 0.6 'not to be trusted'.
STABILITY_THRESHOLDS: tuple[float, float] = (0.6, 0.75)

# Linkage methods whose geometry is only defined for Euclidean distances (scipy computes them
# from centroids/variances); with cosine they silently give meaningless trees.
_EUCLIDEAN_ONLY_METHODS = {"ward", "centroid", "median"}


# --------------------------------------------------------------------------------------------
# clustering
# --------------------------------------------------------------------------------------------
class Clustering(NamedTuple):
    """Result of :func:`cluster_cities`; unpacks as ``linkage, labels``."""

    linkage: np.ndarray
    labels: list[str]


def _distances(values: np.ndarray, metric: str) -> np.ndarray:
    if metric in ("cosine", "correlation"):
        # cosine of an all-zero profile is undefined (scipy returns NaN and the tree is garbage)
        norms = np.linalg.norm(values - (values.mean(axis=1, keepdims=True) if metric == "correlation" else 0), axis=1)
        if (norms == 0).any():
            raise ValueError(
                f"{metric} distance is undefined for a city whose profile is constant/all zero; "
                "use metric='euclidean' or drop that city"
            )
    d = pdist(values, metric=metric)
    if np.isnan(d).any():
        raise ValueError(f"{metric} distance produced NaN; check the share matrix")
    return d


def _linkage(values: np.ndarray, method: str, metric: str) -> np.ndarray:
    if method in _EUCLIDEAN_ONLY_METHODS and metric != "euclidean":
        raise ValueError(f"method={method!r} is only valid with metric='euclidean', got {metric!r}")
    return linkage(_distances(values, metric), method=method)


def cluster_cities(
    shares_wide: pd.DataFrame, method: str = "average", metric: str = "cosine"
) -> Clustering:
    """Agglomerative (hierarchical) clustering of cities by their theme-share profiles.

    Cosine distance is the default because it compares the *shape* of a profile (what a city
    emphasises relative to its other themes) rather than its level: a long, wordy document
    has lower shares everywhere without meaning different priorities.

    Input: city x theme matrix from :func:`to_wide` (>= 2 cities).
    Output: :class:`Clustering` ``(linkage, labels)``: the scipy linkage matrix and the city
    labels in row order of ``shares_wide``.
    """
    check_wide(shares_wide)
    Z = _linkage(shares_wide.to_numpy(dtype=float), method, metric)
    return Clustering(Z, [str(c) for c in shares_wide.index])


def cut_clusters(Z: np.ndarray, k: int) -> np.ndarray:
    """Cut a linkage matrix into (at most) ``k`` clusters; returns 1-based labels per leaf."""
    return fcluster(Z, t=k, criterion="maxclust")


def silhouette_by_k(
    shares_wide: pd.DataFrame,
    ks: Iterable[int] | None = None,
    method: str = "average",
    metric: str = "cosine",
) -> pd.DataFrame:
    """Mean silhouette width for each number of clusters ``k``.

    The silhouette is only defined for 2 <= number of clusters <= n_cities - 1, so other ``k``
    are dropped. Silhouettes from a handful of cities are fragile; read them together with
    :func:`bootstrap_jaccard`.

    Input: city x theme matrix; ``ks`` (default: all of 2..n-1); linkage ``method`` and ``metric``.

    Output: DataFrame with columns ``k, n_clusters, silhouette`` (``n_clusters`` can be below
    ``k`` when the tree has ties). When no ``k`` is valid (e.g. fewer than 3 cities) the frame is
    empty and ``df.attrs['reason']`` says why.
    """
    from sklearn.metrics import silhouette_score

    check_wide(shares_wide)
    n = shares_wide.shape[0]
    cols = ["k", "n_clusters", "silhouette"]
    if n < 3:
        out = pd.DataFrame(columns=cols)
        out.attrs["reason"] = f"silhouette needs at least 3 cities (2 <= k <= n-1); got n={n}"
        return out
    ks = list(range(2, n)) if ks is None else sorted({int(k) for k in ks})
    valid = [k for k in ks if 2 <= k <= n - 1]
    values = shares_wide.to_numpy(dtype=float)
    d = _distances(values, metric)
    Z = _linkage(values, method, metric)
    D = squareform(d)
    rows = []
    for k in valid:
        labels = cut_clusters(Z, k)
        n_cl = len(np.unique(labels))
        sil = silhouette_score(D, labels, metric="precomputed") if 2 <= n_cl <= n - 1 else np.nan
        rows.append((k, n_cl, float(sil)))
    out = pd.DataFrame(rows, columns=cols)
    dropped = [k for k in ks if k not in valid]
    if not valid:
        out.attrs["reason"] = f"no k in {ks} lies in 2..{n - 1} (n={n} cities)"
    elif dropped:
        out.attrs["reason"] = f"dropped k={dropped}: silhouette needs 2 <= k <= {n - 1}"
    return out


def stability_reading(jaccard: float) -> str:
    """Hennig (2007) reading of a mean bootstrap Jaccard value."""
    doubtful, stable = STABILITY_THRESHOLDS
    if jaccard >= stable:
        return "stable"
    if jaccard >= doubtful:
        return "doubtful"
    return "not to be trusted"


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 1.0


def bootstrap_jaccard(
    coded: pd.DataFrame,
    k: int,
    n_boot: int = 200,
    seed: int = 0,
    method: str = "average",
    metric: str = "cosine",
) -> pd.DataFrame:
    """Cluster-wise stability of the k-cluster solution, in the style of Hennig's clusterboot.

    Procedure (Hennig 2007, *Comput. Stat. Data Anal.* 52:258-271, adapted):
    1. cluster the observed shares and cut the tree into ``k`` clusters;
    2. ``n_boot`` times: resample sentences with replacement *within each city*, recompute the
       theme shares, recluster with the same ``method``/``metric`` and cut into ``k``;
    3. for each original cluster, take the Jaccard similarity with the *best-matching* bootstrap
       cluster; average over replicates.
    Hennig resamples the objects themselves; here the objects (cities) are few and fixed, so the
    uncertainty we perturb is the one that actually exists -- which sentences the shares rest on.
    Every city is present in every replicate, so the Jaccard is taken over full city sets.

    Reading (Hennig's rule of thumb): mean Jaccard >= 0.75 'stable', 0.6--0.75 'doubtful',
    < 0.6 'not to be trusted'. A singleton cluster that stays alone scores 1, so judge
    singletons by whether a one-city "cluster" is meaningful at all.

    Input: output of :func:`code_sentences` (>= 3 cities), ``2 <= k <= n_cities - 1``.

    Output: DataFrame, one row per original cluster, columns
    ``cluster, members, size, mean_jaccard, n_dissolved, n_recovered, n_boot, reading`` where
    ``members`` is ``'、'``-joined sorted city names, ``n_dissolved`` counts replicates with best
    Jaccard <= 0.5 and ``n_recovered`` those >= 0.75. Deterministic for a given ``seed``.
    """
    cities, theme_ids, mats = _hit_matrices(coded)
    n = len(cities)
    if n < 3:
        raise ValueError(f"bootstrap_jaccard needs at least 3 cities (2 <= k <= n-1); got {n}")
    if not (2 <= int(k) <= n - 1):
        raise ValueError(f"k must be in 2..{n - 1} for {n} cities, got {k}")
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    k, n_boot = int(k), int(n_boot)
    observed = np.vstack([mats[c].mean(axis=0) for c in cities])
    base_labels = cut_clusters(_linkage(observed, method, metric), k)
    base = {lab: {cities[i] for i in np.flatnonzero(base_labels == lab)} for lab in np.unique(base_labels)}

    rng = np.random.default_rng(seed)
    draws = _boot_share_draws(mats, cities, n_boot, rng)
    best = {lab: np.empty(n_boot) for lab in base}
    for b in range(n_boot):
        values = np.vstack([draws[c][b] for c in cities])
        labels = cut_clusters(_linkage(values, method, metric), k)
        boot = [{cities[i] for i in np.flatnonzero(labels == lab)} for lab in np.unique(labels)]
        for lab, members in base.items():
            best[lab][b] = max(_jaccard(members, bc) for bc in boot)

    rows = []
    for lab, members in base.items():
        j = best[lab]
        mean_j = float(j.mean())
        rows.append((
            int(lab), "、".join(sorted(members)), len(members), mean_j,
            int((j <= 0.5).sum()), int((j >= 0.75).sum()), n_boot, stability_reading(mean_j),
        ))
    return pd.DataFrame(
        rows,
        columns=["cluster", "members", "size", "mean_jaccard", "n_dissolved", "n_recovered", "n_boot", "reading"],
    )


# --------------------------------------------------------------------------------------------
# PCA
# --------------------------------------------------------------------------------------------
class PCAResult(NamedTuple):
    """Result of :func:`pca_biplot_data`; unpacks as ``scores, loadings, explained_variance_ratio``."""

    scores: pd.DataFrame
    loadings: pd.DataFrame
    explained_variance_ratio: pd.Series


def pca_biplot_data(shares_wide: pd.DataFrame, standardize: bool = False) -> PCAResult:
    """Principal components of the city x theme share matrix, for a biplot.

    Shares are centred per theme but not scaled by default: they are all proportions on the same
    scale, and scaling would blow up rare themes whose tiny differences are mostly noise.
    Computed by SVD; each component's sign is fixed so that its largest-magnitude loading is
    positive, making results reproducible across library versions.

    Input: city x theme matrix (>= 2 cities).

    Output: :class:`PCAResult` with
    ``scores`` (index city, columns PC1..PCm: U * S), ``loadings`` (index theme, columns PC1..PCm:
    the unit-length principal axes) and ``explained_variance_ratio`` (Series indexed PC1..PCm),
    where m = min(n_cities - 1, n_themes). Zero-variance components are dropped.
    """
    check_wide(shares_wide)
    X = shares_wide.to_numpy(dtype=float)
    X = X - X.mean(axis=0)
    if standardize:
        sd = X.std(axis=0, ddof=1)
        X = np.divide(X, sd, out=np.zeros_like(X), where=sd > 0)
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    m = min(X.shape[0] - 1, X.shape[1])
    U, S, Vt = U[:, :m], S[:m], Vt[:m]
    total = float((S ** 2).sum())
    if total <= 0:
        raise ValueError("all cities have identical theme profiles: PCA has nothing to show")
    nonzero = S > S[0] * 1e-12
    U, S, Vt = U[:, nonzero], S[nonzero], Vt[nonzero]
    signs = np.sign(Vt[np.arange(len(Vt)), np.abs(Vt).argmax(axis=1)])
    signs[signs == 0] = 1
    U, Vt = U * signs, Vt * signs[:, None]
    pcs = [f"PC{i + 1}" for i in range(len(S))]
    scores = pd.DataFrame(U * S, index=shares_wide.index, columns=pcs)
    loadings = pd.DataFrame(Vt.T, index=shares_wide.columns, columns=pcs)
    evr = pd.Series(S ** 2 / total, index=pcs, name="explained_variance_ratio")
    return PCAResult(scores, loadings, evr)

"""Which cities have similar theme profiles, and can the data support a grouping? Hierarchical
clustering of the city x theme share matrix, silhouette over k, cluster-wise stability by resampling
the documents (Hennig's clusterboot) against a random-partition baseline, agreement of clusters with
plan type or year, and the PCA biplot. Input: the outputs of :mod:`qualitylib.analysis.themes`;
output: DataFrames and arrays, no plotting.

Below :data:`MIN_DOCUMENTS` documents no clustering is supported: with five objects a random split
into three groups already scores a mean Jaccard of 0.5--0.6, a single document moves every
statistic, and the reading of :func:`clusterboot` says so instead of grading the clusters."""
from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Iterable, NamedTuple

import numpy as np
import pandas as pd

from .frames import check_wide

__all__ = [
    "MIN_DOCUMENTS",
    "STABLE_JACCARD",
    "Clustering",
    "cluster_cities",
    "cut_clusters",
    "silhouette_by_k",
    "clusterboot",
    "clustering_verdict",
    "clusterwise_jaccard",
    "random_partition_baseline",
    "partition_agreement",
    "PCAResult",
    "pca_biplot_data",
]

#: below this many documents no clustering is assessed, let alone called stable
MIN_DOCUMENTS = 8
#: Hennig's (2007) rule of thumb for a stable cluster's mean Jaccard -- meaningful only above the
#: random-partition baseline
STABLE_JACCARD = 0.75

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


def _undefined(values: np.ndarray, metric: str) -> np.ndarray:
    """Rows whose distance to anything is undefined under ``metric``: all-zero profiles for cosine
    (scipy returns NaN and the tree is garbage), constant ones for correlation."""
    if metric not in ("cosine", "correlation"):
        return np.zeros(len(values), dtype=bool)
    centred = values - (values.mean(axis=1, keepdims=True) if metric == "correlation" else 0)
    return np.linalg.norm(centred, axis=1) == 0


def clusterable(shares_wide: pd.DataFrame, metric: str = "cosine") -> tuple[pd.DataFrame, list[str]]:
    """Input: city x theme share matrix and the distance. Output: the rows that can be clustered, and
    the cities left out: a plan none of whose policy sentences is on any theme (a meeting notice, say)
    has an all-zero profile, and no cosine distance to any other, so it has no place in a tree."""
    undefined = _undefined(shares_wide.to_numpy(dtype=float), metric)
    return shares_wide[~undefined], [str(c) for c in shares_wide.index[undefined]]


def _distances(values: np.ndarray, metric: str) -> np.ndarray:
    if metric in ("cosine", "correlation"):
        if _undefined(values, metric).any():
            raise ValueError(
                f"{metric} distance is undefined for a city whose profile is constant/all zero; "
                "use metric='euclidean' or drop that city"
            )
    from scipy.spatial.distance import pdist  # imported when used: a run that reads stored statistics never is

    d = pdist(values, metric=metric)
    if np.isnan(d).any():
        raise ValueError(f"{metric} distance produced NaN; check the share matrix")
    return d


def _linkage(values: np.ndarray, method: str, metric: str) -> np.ndarray:
    if method in _EUCLIDEAN_ONLY_METHODS and metric != "euclidean":
        raise ValueError(f"method={method!r} is only valid with metric='euclidean', got {metric!r}")
    from scipy.cluster.hierarchy import linkage

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
    from scipy.cluster.hierarchy import fcluster

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
    :func:`clusterboot`.

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
    from scipy.spatial.distance import squareform

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


def _members(labels: np.ndarray, names: list[str]) -> dict[int, list[str]]:
    return {int(lab): sorted(names[i] for i in np.flatnonzero(labels == lab)) for lab in np.unique(labels)}


def _one_hot(labels: np.ndarray) -> np.ndarray:
    """(n_boot x n) integer labels -> (n_boot x n x n_labels) 0/1."""
    uniq = np.unique(labels)
    return (labels[..., None] == uniq[None, None, :]).astype(np.int32)


def clusterwise_jaccard(labels: np.ndarray, samples: np.ndarray, boot_labels: np.ndarray) -> np.ndarray:
    """Hennig's cluster-wise Jaccard for every replicate and original cluster.

    Input: ``labels`` (length n, 0..k-1) of the original clustering; ``samples`` (n_boot x n) the
    objects drawn in each replicate; ``boot_labels`` (n_boot x n) the clusters of each replicate's
    drawn points. A cluster is compared with its best-matching bootstrap cluster over the drawn
    points, a point drawn twice counting twice (as in ``fpc::clusterboot``).
    Output: (n_boot x k), NaN where no member of the cluster was drawn."""
    labels, samples = np.asarray(labels), np.atleast_2d(samples)
    boot = _one_hot(np.atleast_2d(boot_labels))
    k = int(labels.max()) + 1
    member = (labels[samples][..., None] == np.arange(k)[None, None, :]).astype(np.int32)  # n_boot x n x k
    inter = np.einsum("bnk,bnm->bkm", member, boot)
    union = member.sum(axis=1)[:, :, None] + boot.sum(axis=1)[:, None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0).max(axis=2)
    jac[member.sum(axis=1) == 0] = np.nan
    return jac


def _partitions(labels: np.ndarray, n_random: int, rng: np.random.Generator) -> tuple[np.ndarray, bool]:
    """Random partitions with the cluster sizes of ``labels``: every distinct relabelling when
    there are at most ``n_random`` of them (exact), else ``n_random`` random permutations."""
    n = len(labels)
    if math.factorial(n) <= n_random:
        perms = np.array(list(itertools.permutations(range(n))))
        return np.unique(labels[perms], axis=0), True
    return np.array([labels[rng.permutation(n)] for _ in range(n_random)]), False


def random_partition_baseline(labels: np.ndarray, samples: np.ndarray, boot_labels: np.ndarray, *,
                              n_random: int = 5040, seed: int = 0) -> tuple[np.ndarray, bool]:
    """The chance level of :func:`clusterwise_jaccard`: the same statistic for random partitions with
    the cluster sizes of ``labels``, against the same bootstrap clusterings.

    Input: as :func:`clusterwise_jaccard`; at most ``n_random`` partitions (all distinct ones when
    there are no more, else random permutations drawn with ``seed``). Output: ``(null, exact)``,
    ``null`` an (n_partitions x k) array of mean Jaccards over replicates (column j: the cluster of
    random partition with label j, whose size is that of original cluster j)."""
    labels = np.asarray(labels)
    parts, exact = _partitions(labels, n_random, np.random.default_rng(seed))
    return _mean_jaccards(parts, int(labels.max()) + 1, samples, boot_labels), exact


#: partition x cluster x replicate x bootstrap-cluster floats computed at once in the baseline
_BASELINE_BLOCK = 4_000_000


def _mean_jaccards(parts: np.ndarray, k: int, samples: np.ndarray, boot_labels: np.ndarray) -> np.ndarray:
    """``np.nanmean(clusterwise_jaccard(p, samples, boot_labels), axis=0)`` for every row ``p`` of
    ``parts`` (labels 0..k-1), the same numbers, batched: which object went into which bootstrap
    cluster how often is counted once (``W``), so a partition's intersections are one product of
    its 0/1 membership matrix with ``W``. All counts are whole numbers, exact in floating point."""
    samples, boot_labels = np.atleast_2d(samples), np.atleast_2d(boot_labels)
    n_rep, n_obj = samples.shape[0], parts.shape[1]
    boot_idx = np.unique(boot_labels, return_inverse=True)[1].reshape(boot_labels.shape)
    kb = int(boot_idx.max()) + 1
    flat = ((np.arange(n_rep)[:, None] * n_obj + samples) * kb + boot_idx).ravel()
    W = np.bincount(flat, minlength=n_rep * n_obj * kb).reshape(n_rep, n_obj, kb)
    drawn = W.sum(axis=2).T.astype(float)  # objects x replicates: how often each was drawn
    boot_size = W.sum(axis=1).astype(float)  # replicates x bootstrap clusters
    W = W.transpose(1, 0, 2).reshape(n_obj, n_rep * kb).astype(float)
    out = np.empty((len(parts), k))
    step = max(1, _BASELINE_BLOCK // max(1, k * n_rep * kb))
    for start in range(0, len(parts), step):
        P = parts[start:start + step]
        member = (P[:, None, :] == np.arange(k)[None, :, None]).astype(float).reshape(-1, n_obj)
        inter = (member @ W).reshape(len(P), k, n_rep, kb).transpose(0, 2, 1, 3)  # part x rep x k x kb
        size = (member @ drawn).reshape(len(P), k, n_rep).transpose(0, 2, 1)[..., None]
        union = size + boot_size[None, :, None, :] - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0).max(axis=3)
        jac[size[..., 0] == 0] = np.nan
        jac = np.ascontiguousarray(jac)  # part x rep x k, each part's block laid out as before
        for i in range(len(P)):
            out[start + i] = np.nanmean(jac[i], axis=0)
    return out


def clusterboot(
    shares_wide: pd.DataFrame,
    k: int,
    *,
    n_boot: int = 500,
    seed: int = 0,
    method: str = "average",
    metric: str = "cosine",
    n_random: int = 5040,
    min_documents: int = MIN_DOCUMENTS,
) -> pd.DataFrame:
    """Cluster-wise stability by resampling the *documents* (Hennig 2007, ``fpc::clusterboot``),
    against the same statistic for random partitions of the same sizes.

    Procedure:
    1. cluster the city x theme matrix and cut the tree into ``k`` clusters;
    2. ``n_boot`` times draw ``n`` cities with replacement, recluster the drawn rows (duplicates
       included) with the same ``method``/``metric`` and cut into ``k``;
    3. for each original cluster, the Jaccard similarity of its drawn members with the
       best-matching bootstrap cluster (points counted as often as drawn; replicates that drew no
       member are skipped); its mean over replicates is the cluster's stability;
    4. the chance level: the same statistic for the clusters of random partitions with the
       original cluster sizes against the same bootstrap clusterings (every distinct partition
       when there are at most ``n_random``). With few objects chance alone gives high values --
       a random split of five cities into three groups scores about 0.5--0.6 -- so Hennig's
       0.6/0.75 rules of thumb only mean something above that baseline.

    Input: city x theme matrix (>= 3 cities), ``2 <= k <= n - 1``. Deterministic for ``seed``.

    Output: one row per original cluster: ``cluster, members ('、'-joined), size, mean_jaccard,
    n_present, baseline_mean, baseline_q95, p_random, n_random, exact_baseline, n_documents, n_boot,
    reading``. ``p_random`` is the share of random partitions whose cluster of that size scores at
    least as high. ``reading``: ``'not assessed'`` below ``min_documents`` documents (no clustering
    of so few documents is supported, whatever the numbers); else ``'chance level'``
    (``p_random > 0.05``), ``'stable'`` (above chance and mean >= 0.75) or ``'doubtful'``.
    Stability is necessary, not sufficient: a fixed cloud without structure can be cut the same
    way in every replicate, so a stable cluster still needs a substantive reason to be read.
    """
    check_wide(shares_wide, minimum=3)
    n = shares_wide.shape[0]
    if not (2 <= int(k) <= n - 1):
        raise ValueError(f"k must be in 2..{n - 1} for {n} cities, got {k}")
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    k, n_boot = int(k), int(n_boot)
    names = [str(c) for c in shares_wide.index]
    values = shares_wide.to_numpy(dtype=float)
    base = cut_clusters(_linkage(values, method, metric), k)
    orig = np.unique(base, return_inverse=True)[1]  # 0..k-1
    rng = np.random.default_rng(seed)
    samples = rng.integers(0, n, size=(n_boot, n))
    boot_labels = np.vstack([cut_clusters(_linkage(values[s], method, metric), k) for s in samples])
    jac = clusterwise_jaccard(orig, samples, boot_labels)
    observed, present = np.nanmean(jac, axis=0), (~np.isnan(jac)).sum(axis=0)
    null, exact = random_partition_baseline(orig, samples, boot_labels, n_random=n_random, seed=seed)
    sizes = np.bincount(orig)
    rows = []
    members = _members(orig, names)
    for c in range(len(sizes)):
        # a random partition's clusters of the same size are the comparison (clusters of equal
        # size are exchangeable, so pool them)
        same = [j for j in range(len(sizes)) if sizes[j] == sizes[c]]
        null_c = null[:, same].ravel()
        p_random = float((null_c >= observed[c] - 1e-12).mean())
        rows.append((c + 1, "、".join(members[c]), int(sizes[c]), float(observed[c]), int(present[c]),
                     float(null_c.mean()), float(np.quantile(null_c, 0.95)), p_random, len(null), exact, n,
                     n_boot, _reading(float(observed[c]), p_random, n, min_documents)))
    return pd.DataFrame(rows, columns=["cluster", "members", "size", "mean_jaccard", "n_present", "baseline_mean",
                                       "baseline_q95", "p_random", "n_random", "exact_baseline", "n_documents",
                                       "n_boot", "reading"])


def _reading(mean_jaccard: float, p_random: float, n: int, min_documents: int) -> str:
    if n < min_documents:
        return "not assessed"
    if p_random > 0.05:
        return "chance level"
    return "stable" if mean_jaccard >= STABLE_JACCARD else "doubtful"


def clustering_verdict(stability: pd.DataFrame, min_documents: int = MIN_DOCUMENTS) -> str:
    """What the stability table supports, in a few words. Input: :func:`clusterboot` output.
    Output: ``'not supported (too few documents)'`` below ``min_documents``; ``'not supported'``
    when no cluster is stable above chance; ``'partly stable'``; ``'stable'`` when every cluster is."""
    if stability.empty or int(stability["n_documents"].iloc[0]) < min_documents:
        return "not supported (too few documents)"
    readings = set(stability["reading"])
    if readings == {"stable"}:
        return "stable"
    return "partly stable" if "stable" in readings else "not supported"


def partition_agreement(labels: Mapping[str, object], covariate: Mapping[str, object]) -> dict[str, object]:
    """Does a clustering just reproduce a document attribute (plan type, year)?

    Input: city -> cluster label, city -> attribute value (cities missing from either are dropped).
    Output: dict ``n`` (cities compared), ``adjusted_rand`` (1 = same partition, ~0 = chance),
    ``same_partition`` (identical up to renaming), ``pure`` (every cluster holds one attribute value:
    the clusters split along the attribute), ``p_random`` (share of all relabellings of the cities
    -- exact up to 8 cities, else 5040 random ones, seed 0 -- whose adjusted Rand index is at least
    as high)."""
    from sklearn.metrics import adjusted_rand_score

    cities = sorted(set(labels) & {c for c, v in covariate.items() if v is not None and not pd.isna(v)})
    n = len(cities)
    if n < 2:
        return {"n": n, "adjusted_rand": float("nan"), "same_partition": False, "pure": False, "p_random": float("nan")}
    a = np.unique([str(labels[c]) for c in cities], return_inverse=True)[1]
    b = np.unique([str(covariate[c]) for c in cities], return_inverse=True)[1]
    ari = float(adjusted_rand_score(b, a))
    pure = all(len(set(b[a == lab])) == 1 for lab in np.unique(a))
    same = pure and all(len(set(a[b == v])) == 1 for v in np.unique(b))
    parts, _ = _partitions(a, 5040, np.random.default_rng(0))
    null = _adjusted_rand_many(b, parts)
    return {"n": n, "adjusted_rand": ari, "same_partition": bool(same), "pure": bool(pure),
            "p_random": float((null >= ari - 1e-12).mean())}

def _adjusted_rand_many(truth: np.ndarray, parts: np.ndarray, block: int = 256) -> np.ndarray:
    """``[sklearn.metrics.adjusted_rand_score(truth, p) for p in parts]``, the same floats: the pair
    counts come from one contingency table per partition (whole numbers, exact in int64), then
    scikit-learn's final formula in Python integers. Thousands of random relabellings of a few
    hundred cities took a minute through scikit-learn's per-call checks.
    Input: labels 0..k-1 (length n) and an (n_parts x n) array of labels 0..m-1. Output: n_parts floats."""
    truth, parts = np.asarray(truth, dtype=np.int64), np.atleast_2d(np.asarray(parts, dtype=np.int64))
    n = np.int64(truth.shape[0])
    kt, kp = int(truth.max()) + 1, int(parts.max()) + 1
    out = np.empty(len(parts))
    for start in range(0, len(parts), block):
        P = parts[start:start + block]
        flat = ((np.arange(len(P), dtype=np.int64)[:, None] * kt + truth[None, :]) * kp + P).ravel()
        M = np.bincount(flat, minlength=len(P) * kt * kp).reshape(len(P), kt, kp).astype(np.int64)
        sum_squares = (M ** 2).sum(axis=(1, 2))
        both = sum_squares - n                                   # pairs together in both
        pred_only = (M.sum(axis=1) ** 2).sum(axis=1) - sum_squares   # together in the partition only
        truth_only = (M.sum(axis=2) ** 2).sum(axis=1) - sum_squares  # together in truth only
        neither = n ** 2 - pred_only - truth_only - sum_squares
        for i, (tn, fp, fn, tp) in enumerate(zip(neither.tolist(), pred_only.tolist(), truth_only.tolist(),
                                                 both.tolist())):
            out[start + i] = 1.0 if fn == 0 and fp == 0 else (
                2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)))
    return out


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

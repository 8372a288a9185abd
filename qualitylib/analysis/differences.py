"""Which differences between cities' theme shares can the texts support? Block-bootstrap intervals
for every city-pair x theme difference, corrected for the number of comparisons.

Overlapping (or not overlapping) intervals of two shares are no test of their difference, and with
five cities and fifteen themes there are 150 differences: at a 5% level, seven or eight would look
"significant" by chance alone. So:

1. **Block bootstrap of the difference.** Both cities' sections are resampled (as in
   :func:`qualitylib.analysis.themes.bootstrap_shares`), independently, ``n_boot`` times; the
   distribution of ``share_a* - share_b*`` around the observed difference ``d`` gives a two-sided
   p-value, ``p = (1 + #{|d* - d| >= |d|}) / (n_boot + 1)``, and the interval ``d +- q_L(|d* - d|)``
   at level ``L`` -- the interval that excludes 0 exactly when that test rejects at ``1 - L``.
2. **Multiplicity.** ``correction='bh'`` (default): Benjamini--Hochberg adjusted p-values (false
   discovery rate), intervals at the false-coverage-rate level ``1 - R * alpha / m`` of Benjamini &
   Yekutieli (2005) for ``R`` credible out of ``m`` comparisons, so "interval excludes 0" and
   "credible" coincide. ``correction='holm'``: Holm adjusted p-values (family-wise error) and
   simultaneous Bonferroni intervals at ``1 - alpha / m`` (Holm can call a difference credible
   whose Bonferroni interval still touches 0; the p-value decides).

Input: the coded sentences of :func:`qualitylib.analysis.themes.code_sentences`. Output: DataFrames.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from .themes import DEFAULT_BLOCK_DEPTH, block_sums, city_en_map, iter_share_draws

__all__ = ["holm", "benjamini_hochberg", "adjust_pvalues", "pairwise_differences"]

CORRECTIONS = ("bh", "holm")


def holm(p: np.ndarray | list[float]) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values: ``max_{j<=i} min(1, (m - j + 1) p_(j))`` in sorted
    order, returned in input order. Rejecting ``p_adj <= alpha`` controls the family-wise error."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="mergesort")
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def benjamini_hochberg(p: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini--Hochberg (1995) adjusted p-values: ``min_{j>=i} min(1, m p_(j) / j)`` in sorted
    order, returned in input order. Rejecting ``p_adj <= q`` controls the false discovery rate."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * m / np.arange(1, m + 1)
    adj = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    out = np.empty(m)
    out[order] = adj
    return out


def adjust_pvalues(p: np.ndarray | list[float], correction: str = "bh") -> np.ndarray:
    """Input: p-values and ``'bh'`` or ``'holm'``. Output: adjusted p-values (input order)."""
    if correction == "bh":
        return benjamini_hochberg(p)
    if correction == "holm":
        return holm(p)
    raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")


#: pairs of cities whose deviations are held at once (x themes x n_boot floats): bounds memory
_PAIR_BLOCK = 8


def _pair_blocks(n_cities: int):
    """``(a, first b, last b + 1, first pair row)`` for blocks of pairs ``(a, b)``, ``a < b``, in the
    order of :func:`itertools.combinations`."""
    row = 0
    for a in range(n_cities - 1):
        for b0 in range(a + 1, n_cities, _PAIR_BLOCK):
            b1 = min(b0 + _PAIR_BLOCK, n_cities)
            yield a, b0, b1, row
            row += b1 - b0


def _deviations(D: np.ndarray, d_hat: np.ndarray, a: int, b0: int, b1: int, row: int, j: int,
                out: np.ndarray) -> np.ndarray:
    """``|(share_a* - share_b*) - d|`` of theme ``j`` for the pairs ``(a, b0..b1-1)`` (rows
    ``row..``): the same floating-point operations, in the same order, as one pair at a time."""
    dev = out[: b1 - b0]
    np.subtract(D[a, j], D[b0:b1, j], out=dev)
    np.subtract(dev, d_hat[row:row + b1 - b0, j, None], out=dev)
    return np.abs(dev, out=dev)


_LOW_BITS = np.int64(0x7FFFFFFFFFFFFFFF)


def _ordered_keys(x: np.ndarray) -> np.ndarray:
    """Doubles -> int64 keys in the same order (adjacent doubles, adjacent keys); its own inverse
    with ``.view(np.float64)``."""
    bits = np.ascontiguousarray(x, dtype=np.float64).view(np.int64)
    return bits ^ ((bits >> 63) & _LOW_BITS)


def _from_keys(keys: np.ndarray) -> np.ndarray:
    return (keys ^ ((keys >> 63) & _LOW_BITS)).view(np.float64)


def _first_true(below: np.ndarray, above: np.ndarray, test) -> np.ndarray:
    """Elementwise, the smallest double in ``(below, above]`` for which ``test`` (false at ``below``,
    true at ``above``, never true then false as the value grows) holds: bisection over the doubles."""
    lo, hi = _ordered_keys(below), _ordered_keys(above)
    if not (np.all(~test(_from_keys(lo))) and np.all(test(_from_keys(hi)))):
        raise ValueError("exceedance bounds: bracket does not hold")  # pragma: no cover - see caller
    while True:
        open_ = hi > lo + 1
        if not open_.any():
            return _from_keys(hi)
        mid = (lo >> 1) + (hi >> 1) + (lo & hi & 1)  # hi - lo can exceed the int64 range
        ok = test(_from_keys(mid))
        hi = np.where(open_ & ok, mid, hi)
        lo = np.where(open_ & ~ok, mid, lo)


def _exceedance_bounds(d_hat: np.ndarray, thr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair x theme, the smallest ``y`` with ``fl(y - d) >= thr`` and the largest with
    ``fl(y - d) <= -thr`` (``d = d_hat``, shares' differences in [-1, 1], ``thr <= 1``).
    ``fl(y - d)`` never decreases as ``y`` grows, so ``|fl(y - d)| >= thr`` (for ``thr > 0``) holds
    exactly when ``y`` is at or beyond one of the two: a replicate's exceedance is then two
    comparisons of ``y = share_a* - share_b*`` instead of three array operations and one comparison."""
    far = np.full(d_hat.shape, 4.0)
    hi = _first_true(-far, far, lambda y: (y - d_hat) >= thr)
    above_lo = _first_true(-far, far, lambda y: (y - d_hat) > -thr)
    lo = _from_keys(_ordered_keys(above_lo) - 1)  # the double just below
    return hi, lo


def _exceedances_and_extremes(D: np.ndarray, d_hat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One pass over the replicates of every pair x theme (``D``: cities x themes x n_boot draws;
    ``d_hat``: pairs x themes). Output: ``(count, y_max, y_min)``: ``count`` is
    ``#{|d* - d| >= |d| - 1e-12}`` as :func:`_exceedances` defines it, ``y_max``/``y_min`` the largest
    and smallest ``d* = share_a* - share_b*``, from which :func:`_higher_quantiles` at the top
    position follows without a second pass (:func:`_top_deviation`)."""
    n_boot = D.shape[2]
    count = np.zeros(d_hat.shape, dtype=np.int64)
    y_max = np.empty(d_hat.shape)
    y_min = np.empty(d_hat.shape)
    thr = np.abs(d_hat) - 1e-12
    hi, lo = _exceedance_bounds(d_hat, thr)
    buf = np.empty((_PAIR_BLOCK, n_boot))
    above = np.empty((_PAIR_BLOCK, n_boot), dtype=bool)
    below = np.empty((_PAIR_BLOCK, n_boot), dtype=bool)
    for a, b0, b1, row in _pair_blocks(D.shape[0]):
        rows = slice(row, row + b1 - b0)
        for j in range(D.shape[1]):
            y = np.subtract(D[a, j], D[b0:b1, j], out=buf[: b1 - b0])  # the same d* as one pair at a time
            up = np.greater_equal(y, hi[rows, j, None], out=above[: b1 - b0])
            down = np.less_equal(y, lo[rows, j, None], out=below[: b1 - b0])
            count[rows, j] = [np.count_nonzero(u) + np.count_nonzero(v) for u, v in zip(up, down)]
            y.max(axis=1, out=y_max[rows, j])
            y.min(axis=1, out=y_min[rows, j])
    count[thr <= 0] = n_boot  # |d* - d| >= a threshold <= 0 always holds (the two sets overlap)
    return count, y_max, y_min


def _top_deviation(d_hat: np.ndarray, y_max: np.ndarray, y_min: np.ndarray) -> np.ndarray:
    """``max |d* - d|`` per pair x theme from the extreme ``d*``: ``fl(y - d)`` is monotone in ``y``,
    so the largest deviation is that of the largest or of the smallest replicate -- the same floats
    as ``np.quantile(|d* - d|, level, method='higher')`` reads when its position is the last."""
    return np.maximum(np.abs(y_max - d_hat), np.abs(y_min - d_hat))


def _exceedances(D: np.ndarray, d_hat: np.ndarray) -> np.ndarray:
    """Per pair x theme, ``#{|d* - d| >= |d| - 1e-12}`` over the replicates (``D``: cities x themes x
    n_boot draws; ``d_hat``: pairs x themes)."""
    return _exceedances_and_extremes(D, d_hat)[0]


def higher_index(n: int, level: float) -> int:
    """The position in sorted order of ``np.quantile(x, level, method='higher')`` for ``len(x) == n``
    (asked of numpy itself, so its rounding is reproduced exactly)."""
    return int(np.quantile(np.arange(n, dtype=float), level, method="higher"))


def _higher_quantiles(D: np.ndarray, d_hat: np.ndarray, level: float) -> np.ndarray:
    """Per pair x theme, ``np.quantile(|d* - d|, level, method='higher')``, computed a block of pairs
    at a time (``np.partition`` at the position numpy's quantile reads), never holding all deviations."""
    k = higher_index(D.shape[2], level)
    half = np.empty(d_hat.shape)
    buf = np.empty((_PAIR_BLOCK, D.shape[2]))
    for a, b0, b1, row in _pair_blocks(D.shape[0]):
        for j in range(D.shape[1]):
            dev = _deviations(D, d_hat, a, b0, b1, row, j, buf)
            dev.partition(k, axis=1)
            half[row:row + b1 - b0, j] = dev[:, k]
    return half


def pairwise_differences(
    coded: pd.DataFrame,
    *,
    n_boot: int = 20000,
    seed: int = 0,
    alpha: float = 0.05,
    correction: str = "bh",
    block_depth: int | None = DEFAULT_BLOCK_DEPTH,
) -> pd.DataFrame:
    """Every city-pair x theme difference of shares with a corrected block-bootstrap interval.

    Input: output of :func:`~qualitylib.analysis.themes.code_sentences` (>= 2 cities); ``n_boot``
    replicates (many: the corrected levels reach far into the tails -- 20000 resolves p down to
    5e-5); ``alpha`` the error rate to control; ``correction`` ``'bh'`` or ``'holm'`` (see the module
    docstring); ``block_depth`` as in :func:`~qualitylib.analysis.themes.block_sums` (None: single
    sentences). Deterministic for ``seed``.

    Output: one row per pair (cities in sorted order, ``city_a`` < ``city_b``) and theme, columns
    ``city_a, city_b, city_a_en, city_b_en, theme, share_a, share_b, diff, lo, hi, level, p, p_adj,
    credible, correction, alpha, n_comparisons, n_boot, block_depth``. ``diff = share_a - share_b``;
    ``[lo, hi]`` is the corrected interval at ``level``; ``credible`` is ``p_adj <= alpha``. A theme
    neither city mentions gives ``diff = 0, p = 1``."""
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    n_boot = int(n_boot)
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    cities, theme_ids, sums = block_sums(coded, block_depth)
    if len(cities) < 2:
        raise ValueError(f"differences need at least 2 cities, got {len(cities)}")
    names = city_en_map(coded)
    observed = {c: sums[c][0].sum(axis=0) / sums[c][1].sum() for c in cities}
    # one (themes x n_boot) block per city, cities drawn in sorted order as before
    D = np.empty((len(cities), len(theme_ids), n_boot))
    for i, (_, draw) in enumerate(iter_share_draws(sums, cities, n_boot, np.random.default_rng(seed))):
        D[i] = draw.T
    ia, ib = (np.array(x, dtype=np.intp) for x in zip(*combinations(range(len(cities)), 2)))
    obs = np.vstack([observed[c] for c in cities])
    d_hat = obs[ia] - obs[ib]  # pairs x themes
    count, y_max, y_min = _exceedances_and_extremes(D, d_hat)
    p = np.minimum(1.0, (1.0 + count) / (n_boot + 1.0))
    n_pairs, n_theme = d_hat.shape
    city_arr = np.array(cities, dtype=object)
    en_arr = np.array([names.get(c, pd.NA) for c in cities], dtype=object)
    out = pd.DataFrame({
        "city_a": np.repeat(city_arr[ia], n_theme), "city_b": np.repeat(city_arr[ib], n_theme),
        "city_a_en": np.repeat(en_arr[ia], n_theme), "city_b_en": np.repeat(en_arr[ib], n_theme),
        "theme": np.tile(np.array(theme_ids, dtype=object), n_pairs),
        "share_a": obs[ia].ravel(), "share_b": obs[ib].ravel(), "diff": d_hat.ravel(), "p": p.ravel(),
    })
    m = len(out)
    out["p_adj"] = adjust_pvalues(out["p"].to_numpy(), correction)
    out["credible"] = out["p_adj"] <= alpha
    n_credible = int(out["credible"].sum())
    level = 1.0 - (alpha / m if correction == "holm" else max(n_credible, 1) * alpha / m)
    if not m:
        half = np.array([])
    elif higher_index(n_boot, level) == n_boot - 1:  # the usual case: corrected levels sit in the tail
        half = _top_deviation(d_hat, y_max, y_min).ravel()
    else:
        half = _higher_quantiles(D, d_hat, level).ravel()
    out["lo"] = out["diff"] - half
    out["hi"] = out["diff"] + half
    out["level"] = level
    out["correction"] = correction
    out["alpha"] = alpha
    out["n_comparisons"] = m
    out["n_boot"] = n_boot
    out["block_depth"] = 0 if block_depth is None else int(block_depth)
    out["theme"] = pd.Categorical(out["theme"], categories=theme_ids)
    return out[["city_a", "city_b", "city_a_en", "city_b_en", "theme", "share_a", "share_b", "diff", "lo", "hi",
                "level", "p", "p_adj", "credible", "correction", "alpha", "n_comparisons", "n_boot", "block_depth"]]

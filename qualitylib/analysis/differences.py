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

from .themes import DEFAULT_BLOCK_DEPTH, block_sums, boot_share_draws, city_en_map

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
    draws = boot_share_draws(sums, cities, n_boot, np.random.default_rng(seed))
    observed = {c: sums[c][0].sum(axis=0) / sums[c][1].sum() for c in cities}
    rows, devs = [], []
    for a, b in combinations(cities, 2):
        d_hat = observed[a] - observed[b]
        dev = np.abs((draws[a] - draws[b]) - d_hat)  # n_boot x themes
        p = (1.0 + (dev >= np.abs(d_hat) - 1e-12).sum(axis=0)) / (n_boot + 1.0)
        for j, t in enumerate(theme_ids):
            rows.append((a, b, names.get(a, pd.NA), names.get(b, pd.NA), t, observed[a][j], observed[b][j],
                         d_hat[j], min(1.0, p[j])))
            devs.append(dev[:, j])
    out = pd.DataFrame(rows, columns=["city_a", "city_b", "city_a_en", "city_b_en", "theme", "share_a", "share_b",
                                      "diff", "p"])
    m = len(out)
    out["p_adj"] = adjust_pvalues(out["p"].to_numpy(), correction)
    out["credible"] = out["p_adj"] <= alpha
    n_credible = int(out["credible"].sum())
    level = 1.0 - (alpha / m if correction == "holm" else max(n_credible, 1) * alpha / m)
    half = np.array([np.quantile(d, level, method="higher") for d in devs]) if m else np.array([])
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

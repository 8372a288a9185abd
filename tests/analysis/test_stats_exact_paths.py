"""The shortcuts in the cross-city statistics and the theme coder's cross-validation give the same
floats as the plain computations they replace (written out here as the reference)."""
from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import cross_city, differences, themes
from qualitylib.analysis import theme_evaluation as E
from qualitylib.analysis.theme_model import fit_theme_model, fit_theme_model_on, sentence_features

GOLD = Path(__file__).resolve().parents[2] / "data" / "annotations" / "themes_dev.csv"


# --------------------------------------------------------------------------------------------
# differences: exceedances by two comparisons, the top quantile from the extremes
# --------------------------------------------------------------------------------------------
def _plain(D, d_hat, level):
    ia, ib = (np.array(x) for x in zip(*combinations(range(D.shape[0]), 2)))
    count, half = np.zeros(d_hat.shape, dtype=np.int64), np.zeros(d_hat.shape)
    for r, (a, b) in enumerate(zip(ia, ib)):
        dev = np.abs((D[a].T - D[b].T) - d_hat[r])
        count[r] = (dev >= np.abs(d_hat[r]) - 1e-12).sum(axis=0)
        half[r] = [np.quantile(dev[:, j], level, method="higher") for j in range(dev.shape[1])]
    return count, half


@pytest.mark.parametrize("n_cities,n_boot,discrete", [(3, 1, False), (4, 2, True), (6, 57, True), (9, 400, False)])
def test_exceedances_and_top_deviation_equal_plain(n_cities, n_boot, discrete):
    rng = np.random.default_rng(n_cities)
    D = (rng.integers(0, 4, size=(n_cities, 5, n_boot)) / 3.0 if discrete
         else rng.random((n_cities, 5, n_boot)))
    ia, ib = (np.array(x) for x in zip(*combinations(range(n_cities), 2)))
    obs = D.mean(axis=2)
    obs[:, 0] = 0.25  # differences of exactly 0: every replicate exceeds
    d_hat = obs[ia] - obs[ib]
    count, y_max, y_min = differences._exceedances_and_extremes(D, d_hat)
    want_count, want_half = _plain(D, d_hat, 1.0)
    assert np.array_equal(count, want_count)
    assert np.array_equal(differences._top_deviation(d_hat, y_max, y_min), want_half)


def test_exceedance_bounds_split_the_doubles_exactly():
    rng = np.random.default_rng(3)
    d = np.concatenate([rng.uniform(-1, 1, 500), [0.0, -0.5, 0.5, 1e-13, -1.0, 1.0]])
    thr = np.abs(d) - 1e-12
    keep = thr > 0
    d, thr = d[keep], thr[keep]
    hi, lo = differences._exceedance_bounds(d, thr)
    for y in (hi, lo, np.nextafter(hi, -np.inf), np.nextafter(lo, np.inf), np.nextafter(hi, np.inf),
              np.nextafter(lo, -np.inf), rng.uniform(-1, 1, len(d)), d + thr, d - thr):
        assert np.array_equal(np.abs(y - d) >= thr, (y >= hi) | (y <= lo))


def test_pairwise_differences_equal_plain(coded):
    for correction in ("bh", "holm"):
        got = differences.pairwise_differences(coded, n_boot=200, seed=7, correction=correction)
        cities, _, sums = themes.block_sums(coded, themes.DEFAULT_BLOCK_DEPTH)
        draws = themes.boot_share_draws(sums, cities, 200, np.random.default_rng(7))
        D = np.stack([draws[c].T for c in cities])
        obs = np.vstack([sums[c][0].sum(axis=0) / sums[c][1].sum() for c in cities])
        ia, ib = (np.array(x) for x in zip(*combinations(range(len(cities)), 2)))
        level = float(got["level"].iloc[0])
        count, half = _plain(D, obs[ia] - obs[ib], level)
        assert np.array_equal(got["p"].to_numpy(), np.minimum(1.0, (1.0 + count.ravel()) / 201.0))
        assert np.array_equal(got["hi"].to_numpy(), got["diff"].to_numpy() + half.ravel())
        assert np.array_equal(got["lo"].to_numpy(), got["diff"].to_numpy() - half.ravel())


# --------------------------------------------------------------------------------------------
# share draws: float products of whole-number counts
# --------------------------------------------------------------------------------------------
def test_share_draws_equal_integer_products(coded):
    cities, _, sums = themes.block_sums(coded, None)
    got = themes.boot_share_draws(sums, cities, 700, np.random.default_rng(5), chunk=300)
    rng = np.random.default_rng(5)
    for c in cities:
        H, N = sums[c]
        n = len(N)
        parts = []
        for start in range(0, 700, 300):
            counts = rng.multinomial(n, np.full(n, 1.0 / n), size=min(300, 700 - start))
            parts.append((counts @ H) / (counts @ N)[:, None])
        assert np.array_equal(got[c], np.vstack(parts))


def test_reused_block_sums_are_copies_and_tables_unchanged(sentences, coded):
    with themes.reusing_block_sums():
        first = themes.block_sums(coded, 2)
        first[2][first[0][0]][0][:] = -1.0  # a caller changing what it got must not change the cache
        again = themes.block_sums(coded, 2)
    fresh = themes.block_sums(coded, 2)
    for c in fresh[0]:
        assert np.array_equal(again[2][c][0], fresh[2][c][0]) and np.array_equal(again[2][c][1], fresh[2][c][1])
    params = {"n_boot": 50, "n_boot_diff": 80, "seed": 3}
    tables = cross_city.cross_city_tables(sentences, params)
    coded_again = themes.code_sentences(sentences)
    pd.testing.assert_frame_equal(tables["theme_shares"], themes.bootstrap_shares(coded_again, n_boot=50, seed=3),
                                  check_exact=True)
    pd.testing.assert_frame_equal(tables["theme_differences"],
                                  differences.pairwise_differences(coded_again, n_boot=80, seed=3), check_exact=True)


# --------------------------------------------------------------------------------------------
# the theme model: features computed once give the same fits and predictions
# --------------------------------------------------------------------------------------------
def test_model_from_features_equals_model_from_texts():
    gold = E.load_theme_gold(GOLD)
    theme_ids = themes.load_themes()["theme"].tolist()
    Y = E.label_matrix(gold["themes"], theme_ids)
    texts, paths = gold["text"].tolist(), gold["section_path"].tolist()
    train, test = np.arange(0, len(gold), 2), np.arange(1, len(gold), 2)
    plain = fit_theme_model([texts[i] for i in train], [paths[i] for i in train], Y[train], seed=1)
    features = sentence_features(texts, paths)
    fast = fit_theme_model_on(features.take(train), Y[train], seed=1)
    want = plain.predict_proba([texts[i] for i in test], [paths[i] for i in test])
    assert np.array_equal(fast.predict_proba_features(features.take(test)), want)
    assert np.array_equal(fast.predict([texts[i] for i in test], [paths[i] for i in test]),
                          (want >= 0.5).astype(int))


def test_cross_validation_equals_plain_fold_by_fold_fits():
    gold = E.load_theme_gold(GOLD)
    theme_ids = themes.load_themes()["theme"].tolist()
    Y = E.label_matrix(gold["themes"], theme_ids)
    texts, paths = gold["text"].tolist(), gold["section_path"].tolist()
    got = E.cross_validate(gold, ("model",), n_repeats=2, seed=11, schemes=("kfold",))
    pooled, macro = None, []
    for folds in E._splits(gold, "kfold", 5, 2, 11):
        pred = np.zeros_like(Y)
        for train, test in folds:
            model = fit_theme_model([texts[i] for i in train], [paths[i] for i in train], Y[train], seed=11)
            pred[test] = model.predict([texts[i] for i in test], [paths[i] for i in test])
        sc = E.score_labels(Y, pred, theme_ids)
        macro.append(E.averages(sc)["macro_f1"])
        counts = sc[["tp", "fp", "fn"]].to_numpy()
        pooled = counts if pooled is None else pooled + counts
    assert got.summary["macro_f1"].iloc[0] == float(np.mean(macro))
    pd.testing.assert_frame_equal(got.per_theme.drop(columns=["method", "scheme"]),
                                  E.score_labels_from_counts(pooled, theme_ids), check_exact=True)


# --------------------------------------------------------------------------------------------
# clustering: adjusted Rand index of many relabellings at once
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n,kt,kp", [(5, 2, 3), (40, 6, 4), (211, 14, 9), (30, 1, 3), (8, 3, 1)])
def test_adjusted_rand_many_equals_sklearn(n, kt, kp):
    from sklearn.metrics import adjusted_rand_score

    from qualitylib.analysis import clustering

    rng = np.random.default_rng(n + kt)
    truth = np.unique(rng.integers(0, kt, n), return_inverse=True)[1]
    labels = np.unique(rng.integers(0, kp, n), return_inverse=True)[1]
    parts, _ = clustering._partitions(labels, 300, np.random.default_rng(0))
    want = np.array([adjusted_rand_score(truth, p) for p in parts])
    assert np.array_equal(clustering._adjusted_rand_many(truth, parts, block=7), want)

"""The vectorised/chunked statistics give exactly what the plain per-item code gave (same floats,
same random streams): the plain versions are written out here as the reference."""
from __future__ import annotations

import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import clustering, differences, themes, tfidf


# --------------------------------------------------------------------------------------------
# differences: chunked p-values and 'higher' quantiles
# --------------------------------------------------------------------------------------------
def _draws(n_cities: int, n_themes: int, n_boot: int, seed: int, discrete: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if discrete:  # shares of few sentences: many exact ties, as in real draws
        return rng.integers(0, 6, size=(n_cities, n_themes, n_boot)) / 5.0
    return rng.random((n_cities, n_themes, n_boot))


@pytest.mark.parametrize("n_cities,n_boot,discrete", [(3, 1, False), (5, 37, True), (12, 200, False), (11, 999, True)])
def test_chunked_exceedances_and_quantiles_equal_plain(n_cities, n_boot, discrete):
    D = _draws(n_cities, 4, n_boot, seed=n_cities, discrete=discrete)
    obs = D.mean(axis=2)
    ia, ib = (np.array(x) for x in zip(*combinations(range(n_cities), 2)))
    d_hat = obs[ia] - obs[ib]
    count = differences._exceedances(D, d_hat)
    for level in (0.5, 0.95, 1 - 0.05 / 7, 1 - 1e-9, 1.0):
        half = differences._higher_quantiles(D, d_hat, level)
        for r, (a, b) in enumerate(zip(ia, ib)):
            dev = np.abs((D[a].T - D[b].T) - d_hat[r])  # n_boot x themes, as the plain code had it
            want_count = (dev >= np.abs(d_hat[r]) - 1e-12).sum(axis=0)
            assert np.array_equal(count[r], want_count)
            want = np.array([np.quantile(dev[:, j], level, method="higher") for j in range(dev.shape[1])])
            assert np.array_equal(half[r], want), (level, r)


def test_higher_index_matches_numpy():
    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 20000):
        x = np.sort(rng.random(n))
        for level in (0.0, 0.3, 0.95, 1 - 1e-7, 1.0):
            assert x[differences.higher_index(n, level)] == np.quantile(x, level, method="higher")


def test_pairwise_differences_block_boundaries(coded, monkeypatch):
    """Blocks of pairs cut anywhere give the same table."""
    full = differences.pairwise_differences(coded, n_boot=300, seed=4)
    for block in (1, 3):
        monkeypatch.setattr(differences, "_PAIR_BLOCK", block)
        pd.testing.assert_frame_equal(differences.pairwise_differences(coded, n_boot=300, seed=4), full,
                                      check_exact=True)


# --------------------------------------------------------------------------------------------
# block sums
# --------------------------------------------------------------------------------------------
def _plain_block_sums(coded, block_depth):
    wide, theme_ids = themes._wide_hits(coded)
    idx = wide.index.to_frame(index=False)
    if block_depth is None:
        idx["block"] = idx["sentence_id"].astype(str)
    else:
        idx["block"] = [themes.block_of(p, block_depth) for p in idx["section_path"]]
    values = wide.to_numpy(dtype=float)
    cities = sorted(idx["city"].unique().tolist())
    sums = {}
    for c in cities:
        rows = np.flatnonzero((idx["city"] == c).to_numpy())
        sub = idx.iloc[rows]
        block_idx, keys = pd.factorize(pd.MultiIndex.from_arrays([sub["doc_id"], sub["block"]]), sort=False)
        H = np.zeros((len(keys), len(theme_ids)))
        np.add.at(H, block_idx, values[rows])
        sums[c] = (H, np.bincount(block_idx, minlength=len(keys)).astype(float))
    return cities, theme_ids, sums


@pytest.mark.parametrize("block_depth", [None, 1, 2])
def test_block_sums_equal_plain(sentences, block_depth):
    s = sentences.copy()
    s["section_path"] = [f"{i % 3}、甲 > ({i % 5})乙" if i % 7 else "" for i in range(len(s))]
    s.loc[s.index[::2], "doc_id"] = s.loc[s.index[::2], "doc_id"] + "_b"  # two documents per city
    coded = themes.code_sentences(s.sample(frac=1.0, random_state=0))
    got, want = themes.block_sums(coded, block_depth), _plain_block_sums(coded, block_depth)
    assert got[0] == want[0] and got[1] == want[1]
    for c in want[0]:
        assert np.array_equal(got[2][c][0], want[2][c][0]) and np.array_equal(got[2][c][1], want[2][c][1])


# --------------------------------------------------------------------------------------------
# clusterboot baseline
# --------------------------------------------------------------------------------------------
def test_batched_baseline_equals_per_partition():
    rng = np.random.default_rng(1)
    for trial in range(25):
        n = int(rng.integers(3, 12))
        k = int(rng.integers(2, n))
        labels = np.unique(rng.integers(0, k, n), return_inverse=True)[1]
        B = int(rng.integers(1, 40))
        samples = rng.integers(0, n, (B, n))
        boot = rng.integers(1, int(rng.integers(2, 6)), (B, n))
        parts, _ = clustering._partitions(labels, 300, np.random.default_rng(trial))
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # mean of an all-NaN column
            got = clustering._mean_jaccards(parts, int(labels.max()) + 1, samples, boot)
            want = np.vstack([np.nanmean(clustering.clusterwise_jaccard(p, samples, boot), axis=0) for p in parts])
        assert np.array_equal(got, want, equal_nan=True), trial


# --------------------------------------------------------------------------------------------
# TF-IDF counts
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ngram_range", [(2, 4), (1, 3), (1, 1), (3, 3)])
def test_char_ngram_counts_equal_sklearn(sentences, ngram_range):
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    docs = sentences["text"].groupby(sentences["city"]).agg("\n".join).sort_index().tolist()
    docs += ["a  b\t\tc  d", "x", "", "质量  质量\n\n提升"]
    C, vocab = tfidf.char_ngram_counts(docs, ngram_range)
    cv = CountVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False, dtype=np.float64)
    R = cv.fit_transform(docs)
    assert list(vocab) == list(cv.get_feature_names_out())
    # same storage order too: the TF-IDF row norms are sums in that order
    assert np.array_equal(C.indptr, R.indptr) and np.array_equal(C.indices, R.indices)
    assert np.array_equal(C.data, R.data)
    if ngram_range == (2, 4):
        from sklearn.feature_extraction.text import TfidfTransformer

        X = TfidfTransformer(sublinear_tf=True).fit(C).transform(C.copy(), copy=False)
        Y = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False,
                            sublinear_tf=True).fit_transform(docs)
        assert np.array_equal(X.indices, Y.indices) and np.array_equal(X.data, Y.data)

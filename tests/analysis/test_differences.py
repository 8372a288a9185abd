"""Tests for qualitylib.analysis.differences: multiplicity corrections on known p-values, and the
block-bootstrap differences between cities on made-up data whose answer is known."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import differences, themes


# --- corrections on known p-values ------------------------------------------------------------
def test_holm_by_hand():
    # sorted 0.005, 0.01, 0.03, 0.04 -> 4*0.005, 3*0.01, 2*0.03, 1*0.04 = .02 .03 .06 .04 -> running max
    p = [0.01, 0.04, 0.03, 0.005]
    assert differences.holm(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert differences.holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
    assert len(differences.holm([])) == 0


def test_benjamini_hochberg_by_hand_and_against_scipy():
    # sorted 0.005, 0.01, 0.03, 0.04 -> *4/rank = .02 .02 .04 .04 -> running min from the top
    p = [0.01, 0.04, 0.03, 0.005]
    assert differences.benjamini_hochberg(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    from scipy.stats import false_discovery_control

    rng = np.random.default_rng(0)
    q = rng.uniform(size=200) ** 3
    assert differences.benjamini_hochberg(q) == pytest.approx(false_discovery_control(q))


def test_bh_rejects_at_least_what_holm_rejects():
    rng = np.random.default_rng(1)
    p = np.concatenate([rng.uniform(0, 0.001, 10), rng.uniform(size=140)])
    holm, bh = differences.holm(p), differences.benjamini_hochberg(p)
    assert (bh <= holm + 1e-12).all()
    assert ((holm <= 0.05) <= (bh <= 0.05)).all()
    with pytest.raises(ValueError, match="correction"):
        differences.adjust_pvalues(p, "bonferroni-ish")


# --- differences between cities -------------------------------------------------------------
@pytest.fixture(scope="module")
def synthetic_coded():
    return themes.code_sentences(themes.synthetic_sentences(n_per_city=150, seed=1))


@pytest.fixture(scope="module")
def null_coded():
    """Three cities whose sentences come from the same pool: every difference is noise."""
    parts = [themes.synthetic_sentences(n_per_city=150, seed=10 + i, cities=["甲市"])
             .assign(city=f"城{i}", city_en=f"C{i}", doc_id=f"d{i}") for i in range(3)]
    return themes.code_sentences(pd.concat(parts, ignore_index=True))


def test_differences_shape_and_determinism(synthetic_coded):
    a = differences.pairwise_differences(synthetic_coded, n_boot=2000, seed=3)
    b = differences.pairwise_differences(synthetic_coded, n_boot=2000, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 10 * 15 and (a["n_comparisons"] == 150).all()
    assert (a["city_a"] < a["city_b"]).all()
    assert np.allclose(a["diff"], a["share_a"] - a["share_b"])
    assert ((a["lo"] <= a["diff"]) & (a["diff"] <= a["hi"])).all()
    assert a["p"].between(1 / 2001 - 1e-12, 1).all() and (a["p_adj"] >= a["p"] - 1e-12).all()


def test_built_in_differences_are_found(synthetic_coded):
    d = differences.pairwise_differences(synthetic_coded, n_boot=5000, seed=1).set_index(["city_a", "city_b", "theme"])
    # 丙 and 丁 emphasise agriculture/environment, 甲 and 乙 industry/standards, 戊 services
    assert d.loc[("丙市", "甲市", "agri_food_drug"), "credible"]
    assert d.loc[("丙市", "甲市", "agri_food_drug"), "diff"] > 0.2
    assert d.loc[("乙市", "戊市", "services"), "credible"] and d.loc[("乙市", "戊市", "services"), "diff"] < 0
    # the two cities built alike differ credibly on nothing
    assert not d.loc[("乙市", "甲市")]["credible"].any()


def test_noise_gives_no_credible_difference(null_coded):
    d = differences.pairwise_differences(null_coded, n_boot=5000, seed=2)
    assert not d["credible"].any()
    d = differences.pairwise_differences(null_coded, n_boot=5000, seed=2, correction="holm")
    assert not d["credible"].any()


@pytest.mark.parametrize("correction", ["bh", "holm"])
def test_interval_excludes_zero_exactly_when_credible(synthetic_coded, correction):
    d = differences.pairwise_differences(synthetic_coded, n_boot=5000, seed=1, correction=correction)
    excludes_zero = (d["lo"] > 0) | (d["hi"] < 0)
    if correction == "bh":
        assert (excludes_zero == d["credible"]).all()
        n = int(d["credible"].sum())
        assert d["level"].iloc[0] == pytest.approx(1 - n * 0.05 / 150)  # false-coverage-rate level
    else:  # Bonferroni intervals are valid simultaneously; Holm may reject a little more
        assert (excludes_zero <= d["credible"]).all()
        assert d["level"].iloc[0] == pytest.approx(1 - 0.05 / 150)


def test_corrected_intervals_are_wider_than_uncorrected(synthetic_coded):
    d = differences.pairwise_differences(synthetic_coded, n_boot=5000, seed=1)
    assert d["level"].iloc[0] > 0.95
    p = d[d["p"] < 0.05]
    assert len(p) >= len(d[d["credible"]])


def test_block_bootstrap_is_more_cautious_than_sentences():
    """Two cities, the same share, but in one city the theme sits in whole sections: the block
    bootstrap of the difference must be wider than the sentence bootstrap."""
    rows = []
    for c, en in (("甲市", "Jia"), ("乙市", "Yi")):
        for i in range(200):
            hit = (i // 10) % 2 == 0 if c == "甲市" else i % 2 == 0  # 甲: whole sections; 乙: alternating
            rows.append(("d" + en, c, en, i, f"一、总则 > ({i // 10 + 1})节",
                         "推动制造业质量攻关。" if hit else "坚持问题导向，强化工作落实。"))
    coded = themes.code_sentences(pd.DataFrame(rows, columns=list(themes.SENTENCE_COLUMNS)))
    blocks = differences.pairwise_differences(coded, n_boot=4000, seed=0).set_index("theme")
    single = differences.pairwise_differences(coded, n_boot=4000, seed=0, block_depth=None).set_index("theme")
    width = lambda d: float(d.loc["manufacturing", "hi"] - d.loc["manufacturing", "lo"])  # noqa: E731
    assert width(blocks) > 1.5 * width(single)
    assert blocks.loc["environment", "p"] == 1.0  # neither city mentions it: no difference at all


def test_differences_errors(synthetic_coded):
    one = synthetic_coded[synthetic_coded["city"] == "甲市"]
    with pytest.raises(ValueError, match="at least 2 cities"):
        differences.pairwise_differences(one)
    with pytest.raises(ValueError, match="correction"):
        differences.pairwise_differences(synthetic_coded, correction="none")
    with pytest.raises(ValueError, match="alpha"):
        differences.pairwise_differences(synthetic_coded, alpha=1.5)

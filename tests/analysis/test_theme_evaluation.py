"""Tests for qualitylib.analysis.theme_evaluation (and the model of theme_model): scores on made-up labels
with known answers, the hand-coded dev sample, and the cross-validated comparison of methods."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import theme_evaluation as E
from qualitylib.analysis.theme_dictionary import load_themes
from qualitylib.analysis.theme_model import fit_theme_model

THEMES = load_themes()["theme"].tolist()


# --- scores with known answers -------------------------------------------------------------------
def test_score_labels_by_hand():
    gold = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 0]])
    pred = np.array([[1, 1, 0], [0, 1, 0], [0, 1, 0], [0, 0, 0]])
    sc = E.score_labels(gold, pred, ["a", "b", "c"]).set_index("theme")
    # a: tp 1, fn 1 -> P 1, R .5, F1 2/3; b: tp 2, fp 1 -> P 2/3, R 1, F1 .8; c: never there
    assert sc.loc["a", ["tp", "fp", "fn"]].tolist() == [1, 0, 1]
    assert sc.loc["a", "f1"] == pytest.approx(2 / 3) and sc.loc["b", "f1"] == pytest.approx(0.8)
    assert sc.loc["b", "precision"] == pytest.approx(2 / 3) and sc.loc["b", "recall"] == 1
    assert np.isnan(sc.loc["c", "f1"]) and np.isnan(sc.loc["c", "precision"])
    avg = E.averages(sc.reset_index())
    assert avg["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)  # themes that never occur are left out
    assert avg["micro_f1"] == pytest.approx(2 * 3 / (2 * 3 + 1 + 1))
    with pytest.raises(ValueError, match="n x 3"):
        E.score_labels(gold[:, :2], pred[:, :2], ["a", "b", "c"])


def test_labels_round_trip():
    m = E.label_matrix(["standards|brands_awards", "", "environment"], THEMES)
    assert m.sum() == 3 and m[1].sum() == 0
    assert E.join_labels(m, THEMES) == ["standards|brands_awards", "", "environment"]
    with pytest.raises(ValueError, match="unknown theme code 'ecology'"):
        E.label_matrix(["ecology"], THEMES)


# --- the dev sample ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gold(root) -> pd.DataFrame:
    return E.load_theme_gold(root / "data" / "annotations" / "themes_dev.csv")


def test_dev_sample_maps_onto_the_15_themes(gold):
    assert len(gold) == 138 and gold["doc_id"].nunique() == 5
    used = {t for cell in gold["themes"] for t in cell.split("|") if t}
    assert used == set(THEMES)  # every theme occurs, and no code outside the dictionary


def test_gold_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,themes\n加强生态保护。,ecology\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv.*ecology"):
        E.load_theme_gold(bad)
    no_col = tmp_path / "nocol.csv"
    no_col.write_text("sentence,themes\nx,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"nocol\.csv.*missing column.*text"):
        E.load_theme_gold(no_col)


def test_front_matter_and_agency_notes_of_the_dev_sample_get_no_theme(gold):
    # addressees, signature, title, issuing notice, closing line, issuing notice, a bare agency note
    items = [39, 53, 125, 129, 157, 167, 221]
    rows = gold["item"].astype(int).isin(items).to_numpy()
    assert rows.sum() == len(items) and (gold.loc[rows, "themes"] == "").all()
    assert (E.code_frame(gold)[rows].sum(axis=1) == 0).all()


def test_the_dictionary_in_use_keeps_its_dev_score(gold):
    """A guard against damaging the dictionary: its agreement with the dev coding (in-sample: the
    rules were written on it) must not fall below the 0.85 macro F1 aimed at on unseen sentences."""
    sc = E.score_labels(E.label_matrix(gold["themes"], THEMES), E.code_frame(gold, E.CHOSEN_METHOD), THEMES)
    avg = E.averages(sc)
    assert avg["macro_f1"] >= 0.85 and avg["micro_f1"] >= 0.85
    keywords = E.averages(E.score_labels(E.label_matrix(gold["themes"], THEMES), E.code_frame(gold, "keywords"),
                                         THEMES))
    assert avg["macro_f1"] > keywords["macro_f1"] + 0.05  # the rules add something over plain keywords


def test_cross_validation_compares_methods_deterministically(gold):
    a = E.cross_validate(gold, ("dictionary", "model"), n_repeats=2, seed=1)
    b = E.cross_validate(gold, ("dictionary", "model"), n_repeats=2, seed=1)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    s = a.summary.set_index(["method", "scheme"])
    assert set(s.index) == {("dictionary", "kfold"), ("dictionary", "lodo"), ("model", "kfold"), ("model", "lodo")}
    assert s.loc[("dictionary", "kfold"), "repeats"] == 1 and s.loc[("model", "kfold"), "repeats"] == 2
    # rules fit nothing: the same score in every scheme
    assert s.loc[("dictionary", "kfold"), "macro_f1"] == s.loc[("dictionary", "lodo"), "macro_f1"]
    assert 0.5 < s.loc[("model", "kfold"), "macro_f1"] < 1.0
    assert set(a.per_theme["theme"]) == set(THEMES)
    with pytest.raises(ValueError, match="unknown method"):
        E.cross_validate(gold, ("oracle",))


def test_model_learns_a_made_up_theme_and_is_deterministic():
    texts = ["推动制造业发展。", "加强生态环境保护。"] * 20
    labels = np.zeros((40, len(THEMES)), dtype=int)
    labels[0::2, THEMES.index("manufacturing")] = 1
    labels[1::2, THEMES.index("environment")] = 1
    m1 = fit_theme_model(texts, None, labels, seed=0)
    m2 = fit_theme_model(texts, None, labels, seed=0)
    new = ["支持先进制造业集群。", "治理大气污染。"]
    assert (m1.predict(new) == m2.predict(new)).all()
    pred = m1.predict(new)
    assert pred[0, THEMES.index("manufacturing")] == 1 and pred[1, THEMES.index("environment")] == 1
    with pytest.raises(ValueError, match="labels must be"):
        fit_theme_model(texts, None, labels[:, :3])

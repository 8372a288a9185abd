"""Tests for the cross-city statistics computed once per run (qualitylib.analysis.cross_city) and
stored beside the processed data (qualitylib.stats_tables)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qualitylib import stats_tables
from qualitylib.analysis import cross_city, themes
from qualitylib.analysis.comparability import nearest_peers
from qualitylib.notebook_sources import notebook_from_source, parameter_defaults

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"n_boot": 30, "n_boot_diff": 200, "seed": 7}


def test_defaults_are_the_notebooks_defaults():
    nb03 = parameter_defaults(notebook_from_source(ROOT / "notebooks" / "03_policy_emphasis.py"))
    nb04 = parameter_defaults(notebook_from_source(ROOT / "notebooks" / "04_city_profile.py"))
    for key, value in cross_city.DEFAULTS.items():
        assert nb03[key] == value, key
    assert (nb04["seed"], nb04["n_boot"]) == (cross_city.DEFAULTS["seed"], cross_city.DEFAULTS["n_boot"])


def test_parameters_are_typed_and_unknown_keys_ignored():
    p = cross_city.statistics_parameters({"n_boot": "50", "lang": "en", "alpha": None})
    assert p["n_boot"] == 50 and "lang" not in p and p["alpha"] == cross_city.DEFAULTS["alpha"]


def test_peer_table_is_the_top_of_each_citys_ranking():
    wide = pd.DataFrame({"a": [0.1, 0.5, 0.2, 0.4], "b": [0.3, 0.1, 0.3, 0.2], "c": [0.6, 0.4, 0.5, 0.4]},
                        index=["甲", "乙", "丙", "丁"])
    table = cross_city.nearest_peers_table(wide, n_peers=2)
    assert len(table) == 8
    for city in wide.index:
        mine = table[table["city"] == city].drop(columns="city").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, nearest_peers(wide, city).head(2).reset_index(drop=True),
                                      check_dtype=False)


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processed")
    sentences = themes.synthetic_sentences(n_per_city=40, seed=3).assign(role="policy")
    sentences.to_csv(folder / "sentences.csv", index=False)
    stats_tables.write_statistics(folder, SMALL)
    return folder


def test_written_tables_are_read_back_for_the_same_parameters(processed):
    stored = stats_tables.load_statistics(processed, SMALL)
    assert stored is not None and set(stored) == set(cross_city.TABLES)
    assert set(stored["theme_shares"]["city"]) == set(themes.SYNTHETIC_CITIES)
    assert isinstance(stored["theme_shares"]["theme"].dtype, pd.CategoricalDtype)
    assert stored["peers"].groupby("city").size().max() <= cross_city.N_PEERS
    # a caller naming fewer parameters accepts the stored values of the others
    assert stats_tables.load_statistics(processed, {"seed": 7}) is not None


def test_other_parameters_or_changed_sentences_are_not_read(processed, tmp_path):
    assert stats_tables.load_statistics(processed, {**SMALL, "n_boot": 31}) is None
    copy = tmp_path / "processed"
    copy.mkdir()
    for p in processed.rglob("*"):
        if p.is_file():
            (copy / p.relative_to(processed)).parent.mkdir(parents=True, exist_ok=True)
            (copy / p.relative_to(processed)).write_bytes(p.read_bytes())
    assert stats_tables.load_statistics(copy, SMALL) is not None
    sentences = pd.read_csv(copy / "sentences.csv")
    sentences.loc[0, "text"] = "加强生态环境保护。"
    sentences.to_csv(copy / "sentences.csv", index=False)
    assert stats_tables.load_statistics(copy, SMALL) is None


def test_computed_tables_look_like_stored_ones(processed):
    stored = stats_tables.load_statistics(processed, SMALL)
    computed, source = stats_tables.statistics(processed, {**SMALL, "n_boot": 31})
    assert source.startswith("computed here")
    for name in cross_city.TABLES:
        assert list(computed[name].columns) == list(stored[name].columns), name
        assert dict(computed[name].dtypes) == dict(stored[name].dtypes), name
    again, source = stats_tables.statistics(processed, SMALL)
    assert source.startswith("cross-city statistics read from")
    pd.testing.assert_frame_equal(again["theme_differences"], stored["theme_differences"])


def test_a_subset_of_cities_is_computed_for_that_subset(processed):
    sentences = pd.read_csv(processed / "sentences.csv")
    subset = sentences[sentences["city"].isin(["甲市", "乙市", "丙市"])]
    tables, source = stats_tables.statistics(processed, SMALL, sentences=lambda: subset, cities=["甲市", "乙市", "丙市"])
    assert "limited to" in source and set(tables["theme_shares"]["city"]) == {"甲市", "乙市", "丙市"}


def _processed_copy(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    for table in ("documents", "sentences", "targets", "indicator_table", "codebook"):
        (folder / f"{table}.csv").write_bytes((ROOT / "data" / "processed" / f"{table}.csv").read_bytes())
    return folder


def test_a_changed_number_keeps_the_tables_made_from_the_theme_coding(tmp_path):
    folder = _processed_copy(tmp_path, "run")
    stats_tables.write_statistics(folder, SMALL)
    theme_file = stats_tables.stats_dir(folder) / "theme_differences.csv"
    stamp = theme_file.stat().st_mtime_ns
    # one number in one policy sentence changes: the text changes, the theme coding does not
    sentences = pd.read_csv(folder / "sentences.csv")
    row = sentences.index[(sentences["role"] == "policy") & sentences["text"].str.contains("96")][0]
    sentences.loc[row, "text"] = sentences.loc[row, "text"].replace("96", "97", 1)
    sentences.to_csv(folder / "sentences.csv", index=False, lineterminator="\n")
    said: list[str] = []
    stats_tables.write_statistics(folder, SMALL, progress=said.append)
    assert "theme tables: the coding did not change, kept" in said
    # TF-IDF scores are normalised over letters-only n-grams: a number moves none of them
    assert "tfidf_terms: the words of the text did not change, kept" in said and "tfidf_terms" not in said
    assert theme_file.stat().st_mtime_ns == stamp
    # the same bytes as statistics made from scratch on the changed sentences
    fresh = _processed_copy(tmp_path, "fresh")
    (fresh / "sentences.csv").write_bytes((folder / "sentences.csv").read_bytes())
    stats_tables.write_statistics(fresh, SMALL)
    for name in cross_city.TABLES:
        a = stats_tables.stats_dir(folder) / f"{name}.csv"
        assert a.read_bytes() == (stats_tables.stats_dir(fresh) / f"{name}.csv").read_bytes(), name
    assert stats_tables.load_statistics(folder, SMALL) is not None  # the record names the new sentences


def test_an_edited_table_or_new_parameters_are_made_again(tmp_path):
    folder = _processed_copy(tmp_path, "run")
    stats_tables.write_statistics(folder, SMALL)
    peers = stats_tables.stats_dir(folder) / "peers.csv"
    good = peers.read_bytes()
    peers.write_text("edited\n", encoding="utf-8")
    said: list[str] = []
    stats_tables.write_statistics(folder, SMALL, progress=said.append)
    assert peers.read_bytes() == good and "theme_shares" in said
    said.clear()
    stats_tables.write_statistics(folder, {**SMALL, "n_boot": 31}, progress=said.append)
    assert "theme_shares" in said and "tfidf_terms" in said


def test_a_changed_word_remakes_the_tfidf_terms(tmp_path):
    folder = _processed_copy(tmp_path, "run")
    stats_tables.write_statistics(folder, SMALL)
    sentences = pd.read_csv(folder / "sentences.csv")
    row = sentences.index[sentences["role"] == "policy"][0]
    sentences.loc[row, "text"] = sentences.loc[row, "text"] + "推进智慧农业示范园建设。"
    sentences.to_csv(folder / "sentences.csv", index=False, lineterminator="\n")
    said: list[str] = []
    stats_tables.write_statistics(folder, SMALL, progress=said.append)
    assert "tfidf_terms" in said


def test_the_theme_coding_of_the_statistics_is_the_one_notebook_05_reads(tmp_path):
    from qualitylib import notebook
    from qualitylib.analysis import themes
    from qualitylib.computed import COMPUTED_DIR
    from qualitylib.tables import policy_sentences

    folder = _processed_copy(tmp_path, "run")
    stats_tables.write_statistics(folder, SMALL)
    (stored,) = (folder / COMPUTED_DIR).glob("code_sentences-*.pkl")
    stamp = stored.stat().st_mtime_ns
    # notebook 05: sentences as nb.load gives them, coded through nb.computed -- read, not coded again
    nb = notebook.start(lang="en", processed_dir=folder, figures_dir=tmp_path / "figures", figure_formats=["png"],
                        root=tmp_path)
    sentences = policy_sentences(nb.load([])["sentences"])
    coded = nb.computed(themes.code_sentences, sentences)
    assert list((folder / COMPUTED_DIR).glob("code_sentences-*.pkl")) == [stored]
    assert stored.stat().st_mtime_ns == stamp
    pd.testing.assert_frame_equal(coded, themes.code_sentences(sentences), check_exact=True)


def _seed_policy_sentences():
    from qualitylib.tables import load_sentences, policy_sentences

    return policy_sentences(load_sentences(ROOT / "data" / "processed"))


def test_coding_document_by_document_is_the_coding_of_the_whole(tmp_path, monkeypatch):
    sentences = _seed_policy_sentences()
    whole = themes.code_sentences(sentences)
    cache = tmp_path / "coded"
    pd.testing.assert_frame_equal(stats_tables.code_by_document(sentences, cache), whole, check_exact=True)
    assert len(list(cache.glob("*.pkl"))) == sentences["doc_id"].nunique()
    # one changed sentence: only its document is coded again, and the result is still the whole's
    coded_rows: list[int] = []
    real = themes.code_sentences
    monkeypatch.setattr(themes, "code_sentences", lambda frame, *a, **k: coded_rows.append(len(frame)) or real(frame))
    changed = sentences.copy()
    row = changed.index[changed["text"].str.contains("质量")][0]
    changed.loc[row, "text"] = changed.loc[row, "text"] + "第二段"
    got = stats_tables.code_by_document(changed, cache)
    assert coded_rows == [int((changed["doc_id"] == changed.loc[row, "doc_id"]).sum())]
    pd.testing.assert_frame_equal(got, real(changed), check_exact=True)
    # the changed document's old entry is gone: one entry per document
    assert len(list(cache.glob("*.pkl"))) == sentences["doc_id"].nunique()


def test_documents_whose_rows_are_not_together_are_coded_at_once(tmp_path):
    sentences = _seed_policy_sentences()
    mixed = pd.concat([sentences.iloc[::2], sentences.iloc[1::2]], ignore_index=True)
    got = stats_tables.code_by_document(mixed, tmp_path / "coded")
    pd.testing.assert_frame_equal(got, themes.code_sentences(mixed), check_exact=True)
    assert not (tmp_path / "coded").exists()

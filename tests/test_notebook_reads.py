"""A notebook run notes what it reads, and the next run digests exactly those inputs: the tables read lazily
(only those looked up, only the columns asked for), the stored statistics (with whether they still fit the
sentences), files named by parameters; a run that noted nothing depends on everything."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from qualitylib import notebook
from qualitylib.notebook_reads import EVERYTHING, READS_ENV, describe_reads, note_read, read_log
from qualitylib.records import file_digest
from qualitylib.stats_tables import PARAMETERS_FILE, stats_dir
from qualitylib.tables import PROCESSED_TABLES, ProcessedTables, load_processed


def _processed(folder):
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"doc_id": ["a", "b"], "city": ["芜湖市", None], "city_en": ["Wuhu", None],
                  "plan_type": ["annual", "multi_year"], "sha256": ["x", "y"]}).to_csv(folder / "documents.csv", index=False)
    pd.DataFrame({"doc_id": ["a", "b"], "city": ["芜湖市", None], "city_en": ["Wuhu", None],
                  "text": ["合格率达到95%", "培育标准3项"]}).to_csv(folder / "sentences.csv", index=False)
    pd.DataFrame({"doc_id": ["a"], "city": ["芜湖市"], "city_en": ["Wuhu"], "value": [95.0]}).to_csv(
        folder / "targets.csv", index=False)
    pd.DataFrame({"doc_id": ["a"], "city": ["芜湖市"], "city_en": ["Wuhu"], "code": ["x"]}).to_csv(
        folder / "indicator_table.csv", index=False)
    pd.DataFrame({"code": ["x"], "label_zh": ["合格率"]}).to_csv(folder / "codebook.csv", index=False)
    return folder


def test_tables_are_read_when_looked_up_and_only_the_columns_asked_for(tmp_path):
    folder = _processed(tmp_path / "processed")
    reads = []
    tables = ProcessedTables(folder, columns={"documents": ["plan_type"]}, on_read=lambda *r: reads.append(r))
    assert reads == [] and list(tables) == list(PROCESSED_TABLES)
    docs = tables["documents"]
    assert list(docs.columns) == ["plan_type"]
    # the place columns are read too: they name a plan without a place
    assert reads == [("documents", ["doc_id", "city", "city_en", "plan_type"])]
    tables["targets"], tables["targets"]
    assert reads[1:] == [("targets", None)]
    with pytest.raises(KeyError, match="no processed table"):
        tables["nope"]


def test_a_column_the_table_lacks_and_an_unknown_table_are_named(tmp_path):
    folder = _processed(tmp_path / "processed")
    with pytest.raises(KeyError, match=r"documents\.csv has no column\(s\) \['horizon'\]"):
        ProcessedTables(folder, columns={"documents": ["horizon"]})["documents"]
    with pytest.raises(ValueError, match="unknown table"):
        ProcessedTables(folder, columns={"document": ["city"]})
    (folder / "targets.csv").unlink()
    with pytest.raises(FileNotFoundError, match="targets.csv"):
        ProcessedTables(folder)


def test_a_city_filter_reads_only_the_place_columns_of_documents_first(tmp_path):
    folder = _processed(tmp_path / "processed")
    reads = []
    tables = ProcessedTables(folder, ["Wuhu"], on_read=lambda *r: reads.append(r))
    assert reads == [("documents", ["doc_id", "city", "city_en"])]
    assert tables["sentences"]["text"].tolist() == ["合格率达到95%"]
    with pytest.raises(ValueError, match="unknown city"):
        ProcessedTables(folder, ["Taizhou"])


def test_the_session_notes_reads_only_inside_a_run(tmp_path, monkeypatch):
    folder = _processed(tmp_path / "processed")
    log = tmp_path / "reads.jsonl"
    nb = notebook.start(processed_dir=folder, figures_dir=tmp_path / "figures", root=tmp_path)
    monkeypatch.delenv(READS_ENV, raising=False)
    nb.load()["targets"]
    assert not log.exists()
    monkeypatch.setenv(READS_ENV, str(log))
    tables = nb.load(columns={"documents": ["plan_type"]})
    tables["documents"], tables["documents"], tables["targets"]
    nb.path("national.csv")
    reads = read_log(log)
    assert reads == sorted(reads, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
    assert {json.dumps(r, sort_keys=True) for r in reads} == {json.dumps(r, sort_keys=True) for r in [
        {"kind": "table", "name": "documents", "columns": ["doc_id", "city", "city_en", "plan_type"]},
        {"kind": "table", "name": "targets", "columns": None},
        {"kind": "path", "path": str(tmp_path / "national.csv")}]}


def test_a_log_that_is_missing_empty_or_garbled_gives_none(tmp_path):
    log = tmp_path / "reads.jsonl"
    assert read_log(log) is None
    log.write_text("", encoding="utf-8")
    assert read_log(log) is None
    log.write_text('{"kind": "table"\n', encoding="utf-8")
    assert read_log(log) is None
    log.write_text('[1, 2]\n', encoding="utf-8")
    assert read_log(log) is None


def test_the_key_follows_what_was_read_and_nothing_else(tmp_path):
    folder = _processed(tmp_path / "processed")
    read_plan_type = [{"kind": "table", "name": "documents", "columns": ["doc_id", "city", "city_en", "plan_type"]}]
    read_targets = [{"kind": "table", "name": "targets", "columns": None}]

    def keys():
        return [describe_reads(folder, r, lambda: "all") for r in (read_plan_type, read_targets)]

    before = keys()
    # a document's checksum changes (its raw file did): the plan-type read is the same, so is the targets read
    docs = pd.read_csv(folder / "documents.csv")
    docs.loc[0, "sha256"] = "z"
    docs.to_csv(folder / "documents.csv", index=False)
    assert keys() == before
    docs.loc[0, "plan_type"] = "multi_year"
    docs.to_csv(folder / "documents.csv", index=False)
    after_plan = keys()
    assert after_plan[0] != before[0] and after_plan[1] == before[1]
    targets = pd.read_csv(folder / "targets.csv")
    targets.loc[0, "value"] = 96.0
    targets.to_csv(folder / "targets.csv", index=False)
    assert keys()[1] != after_plan[1] and keys()[0] == after_plan[0]
    # a column that disappeared cannot be digested: the notebook must run (and fail, naming it)
    docs.drop(columns="plan_type").to_csv(folder / "documents.csv", index=False)
    assert describe_reads(folder, read_plan_type, lambda: "all") != after_plan[0]


def test_stored_statistics_are_read_by_content_and_by_whether_they_fit(tmp_path):
    from qualitylib.analysis.cross_city import TABLES

    folder = _processed(tmp_path / "processed")
    stats = stats_dir(folder)
    stats.mkdir()
    for name in TABLES:
        (stats / f"{name}.csv").write_text("a\n1\n", encoding="utf-8")

    def store(sentences_sha):
        (stats / PARAMETERS_FILE).write_text(json.dumps({"parameters": {"seed": 1}, "sentences_sha256": sentences_sha}),
                                             encoding="utf-8")

    store(file_digest(folder / "sentences.csv"))
    read = [{"kind": "statistics"}]
    fitting = describe_reads(folder, read, lambda: "all")
    # new sentences with the statistics made again and found identical: the same key
    (folder / "sentences.csv").write_text((folder / "sentences.csv").read_text(encoding="utf-8").replace("95", "96"),
                                          encoding="utf-8")
    store(file_digest(folder / "sentences.csv"))
    assert describe_reads(folder, read, lambda: "all") == fitting
    # the stored statistics no longer fit the sentences: the notebook would compute them itself
    store("something else")
    assert describe_reads(folder, read, lambda: "all") != fitting
    store(file_digest(folder / "sentences.csv"))
    (stats / f"{next(iter(TABLES))}.csv").write_text("a\n2\n", encoding="utf-8")
    assert describe_reads(folder, read, lambda: "all") != fitting


def test_a_run_that_noted_nothing_is_keyed_on_everything(tmp_path):
    folder = _processed(tmp_path / "processed")
    assert describe_reads(folder, EVERYTHING, lambda: "one") != describe_reads(folder, EVERYTHING, lambda: "two")
    note_read("table", name="x")  # outside a run: no file, no error


def test_load_processed_gives_every_table_as_before(tmp_path):
    folder = _processed(tmp_path / "processed")
    tables = load_processed(folder)
    assert list(tables) == list(PROCESSED_TABLES)
    assert tables["documents"]["city"].tolist() == ["芜湖市", "地点不明 b"]
    assert load_processed(folder, ["芜湖市"])["sentences"]["doc_id"].tolist() == ["a"]

"""A run never lies: a skipped file, a duplicate document and a curated row that matches no file make
`qualitylib run` exit 1 with a closing summary naming each file, although every output is written;
`--lenient` exits 0 with the same listing; every warning is listed unless `--quiet`."""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from qualitylib import cli, runner
from qualitylib.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "raw").glob("00[34]_*.txt"))  # Wenzhou (Traditional) and Yichang


@pytest.fixture(scope="module")
def messy_corpus(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("messy") / "raw"
    raw.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, raw / seed.name)
    shutil.copy(SEEDS[0], raw / "zz_same_page_again.txt")          # byte-identical copy
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe\x00")
    return raw


def test_the_pipeline_counts_a_duplicate_once_and_names_both_files(messy_corpus):
    result = run_pipeline([messy_corpus])
    assert sorted(result.documents["doc_id"]) == sorted(p.stem for p in SEEDS)
    dup = [p for p in result.problems if "zz_same_page_again.txt" in p]
    assert len(dup) == 1 and SEEDS[0].name in dup[0] and "same SHA-256" in dup[0]
    assert any("empty.txt" in p for p in result.problems) and any("binary.txt" in p for p in result.problems)


def test_the_same_text_in_another_encoding_is_a_duplicate(tmp_path):
    text = SEEDS[1].read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(text.encode("gb18030"))
    result = run_pipeline([tmp_path])
    assert list(result.documents["doc_id"]) == ["a"]
    assert result.problems == [f"skipped {tmp_path / 'b.txt'}: duplicate of {tmp_path / 'a.txt'} "
                               "(same text after cleaning); counted once"]


@pytest.mark.slow
def test_a_run_with_problems_exits_1_and_names_every_file(messy_corpus, tmp_path, capsys):
    out = tmp_path / "out"
    curated = tmp_path / "documents.csv"
    curated.write_text("doc_id,city\nno_such_file,泰安市\n", encoding="utf-8")
    params = tmp_path / "p.yaml"
    params.write_text(f"raw_dir: {messy_corpus}\ndocuments_csv: {curated}\nprocessed_dir: {out / 'processed'}\n"
                      f"figures_dir: {out / 'figures'}\nreports_dir: {out / 'reports'}\ncitation_path: {out / 'CITATION.cff'}\n"
                      "langs: [zh]\nnotebooks: ['01']\nfigure_formats: [png]\ngold: null\n", encoding="utf-8")
    rc = cli.main(["run", "--params", str(params)])
    err = capsys.readouterr().err
    assert rc == 1
    for name in ("empty.txt", "binary.txt", "zz_same_page_again.txt", "no_such_file"):
        assert name in err.split("problem(s) with the input:")[-1], (name, err[-2500:])
    assert "exit status 1:" in err and "4 input problem(s)" in err
    assert (out / "processed" / "indicator_table.csv").is_file() and (out / "reports" / "01_indicator_table.ipynb").is_file()
    failures = pd.read_csv(out / "processed" / "failures.csv")
    assert len(failures) == 3


def _result(problems=(), warnings=()):
    return SimpleNamespace(problems=list(problems), warnings=list(warnings))


def test_lenient_exits_0_but_still_lists_and_quiet_hides_only_the_warnings(tmp_path, capsys):
    config = runner.RunConfig(raw_dir=tmp_path, processed_dir=tmp_path, figures_dir=tmp_path, reports_dir=tmp_path,
                              root=ROOT, strict=False, quiet=True)
    rc = runner._summary(config, _result(["skipped x.txt: empty"], ["w1", "w2"]), [], lambda m: print(m, file=__import__("sys").stderr))
    err = capsys.readouterr().err
    assert rc == 0 and "skipped x.txt" in err and "2 warning(s)" in err and "w1" not in err
    config.strict, config.quiet = True, False
    rc = runner._summary(config, _result(["skipped x.txt: empty"], ["w1"]), [], lambda m: print(m, file=__import__("sys").stderr))
    err = capsys.readouterr().err
    assert rc == 1 and "w1" in err and "exit status 1" in err


def test_failed_statistics_are_not_counted_as_notebook_runs(tmp_path, capsys):
    config = runner.RunConfig(raw_dir=tmp_path, processed_dir=tmp_path, figures_dir=tmp_path, reports_dir=tmp_path,
                              root=ROOT)
    failed_run = SimpleNamespace(error="notebook 03 failed")
    rc = runner._summary(config, _result(), [failed_run, failed_run], lambda m: print(m, file=__import__("sys").stderr),
                         page_failures=["statistics failed: ValueError: x"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "2 notebook run(s) failed; 1 failure(s) of the statistics or the profile pages" in err, err


def test_a_short_row_in_documents_csv_is_refused_not_shifted(tmp_path):
    from qualitylib.extract.documents_csv import DocumentsCSVError, load_documents_csv

    path = tmp_path / "documents.csv"
    path.write_text("doc_id,city,city_en,province,issuer,issued\nd1,泰安市,Tai'an,山东省,2018-11-01\n", encoding="utf-8")
    with pytest.raises(DocumentsCSVError, match=r"documents.csv: line 2: fewer fields than the header"):
        load_documents_csv(path)


def test_leftover_temporary_files_are_cleaned_and_nothing_else(tmp_path):
    (tmp_path / ".targets.csv.abc123.tmp").write_text("half a file")
    (tmp_path / ".04_city_profile_Wuhu.4242.running.ipynb").write_text("{}")
    (tmp_path / "targets.csv").write_text("kept")
    removed = runner.clean_leftovers([tmp_path, tmp_path / "missing"])
    assert sorted(p.name for p in removed) == [".04_city_profile_Wuhu.4242.running.ipynb", ".targets.csv.abc123.tmp"]
    assert [p.name for p in tmp_path.iterdir()] == ["targets.csv"]


def test_an_output_folder_that_cannot_be_written_gives_one_line(tmp_path, capsys):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the output folder should be")
    params = tmp_path / "p.yaml"
    params.write_text(f"processed_dir: {blocker / 'processed'}\nfigures_dir: {blocker / 'figures'}\n"
                      f"reports_dir: {blocker / 'reports'}\nnotebooks: ['01']\n", encoding="utf-8")
    rc = cli.main(["run", "--params", str(params)])
    err = capsys.readouterr().err
    assert rc == 1
    assert "cannot write" in err and "not_a_folder" in err and "Traceback" not in err

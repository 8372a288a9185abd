"""Tests for ``qualitylib themes``: codes any CSV with a ``text`` column, keeps every input column, adds
``themes``; clear errors and exit codes (0 ok, 1 failure, 2 usage)."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.cli import main


@pytest.fixture()
def sentences_csv(tmp_path):
    path = tmp_path / "sentences.csv"
    pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "section_path": ["", "", "二、开展质量提升行动 > (四)扎实开展消费品质量提升专项行动", ""],
        "text": ["加强食品安全监管。", "各县市区人民政府,市政府各部门:", "加强质量安全风险管控。", ""],
        "note": ["x", "", "007", "NA"],
    }).to_csv(path, index=False)
    return path


def test_codes_every_row_and_keeps_every_column(sentences_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["themes", str(sentences_csv), "-o", str(out)]) == 0
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(got.columns) == ["id", "section_path", "text", "note", "themes"]
    assert got["note"].tolist() == ["x", "", "007", "NA"]  # copied as written, no NaN games
    assert got["themes"].tolist() == ["agri_food_drug|supervision_enforcement_credit", "",
                                      "consumer_goods|supervision_enforcement_credit", ""]
    assert "4 sentence(s)" in capsys.readouterr().err


def test_stdout_evidence_and_text_only_input(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    path.write_text("text\n推进团体标准制定。\n", encoding="utf-8")
    assert main(["themes", str(path), "-o", "-", "--evidence"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "text,themes,theme_evidence"
    assert out[1].startswith("推进团体标准制定。,standards,standards:")


def test_an_input_themes_column_is_kept_and_can_be_scored(sentences_csv, tmp_path, capsys):
    frame = pd.read_csv(sentences_csv, dtype=str, keep_default_na=False)
    frame["themes"] = ["agri_food_drug|supervision_enforcement_credit", "", "consumer_goods", ""]
    path = tmp_path / "gold.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out.csv"
    assert main(["themes", str(path), "-o", str(out), "--score"]) == 0
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got["themes_input"].tolist() == frame["themes"].tolist()
    err = capsys.readouterr().err
    assert "kept as 'themes_input'" in err and "macro F1" in err and "consumer_goods" in err


def test_errors_name_the_file(tmp_path, capsys):
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("sentence\n加强监管。\n", encoding="utf-8")
    assert main(["themes", str(no_text), "-o", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "no_text.csv" in err and "no 'text' column" in err and "sentence" in err
    assert not (tmp_path / "o.csv").exists()

    assert main(["themes", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "missing.csv: no such file" in capsys.readouterr().err

    assert main(["themes", str(no_text), "-o", str(tmp_path / "nowhere" / "o.csv")]) == 2
    assert "folder does not exist" in capsys.readouterr().err

    binary = tmp_path / "gbk.csv"
    binary.write_bytes("text\n加强监管。\n".encode("gbk"))
    assert main(["themes", str(binary), "-o", str(tmp_path / "o.csv")]) == 1
    assert "gbk.csv: not a readable UTF-8 CSV" in capsys.readouterr().err

    unscored = tmp_path / "plain.csv"
    unscored.write_text("text\n加强监管。\n", encoding="utf-8")
    assert main(["themes", str(unscored), "-o", str(tmp_path / "o.csv"), "--score"]) == 2
    assert "--score needs" in capsys.readouterr().err


def test_usage_errors_from_argparse(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["themes", "x.csv"])  # -o is required
    assert exc.value.code == 2

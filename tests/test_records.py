"""Tests for qualitylib.records (what each output was made from) and qualitylib.progress."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from qualitylib.progress import Progress, format_seconds
from qualitylib.records import BuildRecord, code_fingerprint, digest


def test_digest_follows_content_not_identity(tmp_path):
    a = pd.DataFrame({"x": [1, 2]})
    assert digest(a, "p", {"n": 1}) == digest(a.copy(), "p", {"n": 1})
    assert digest(a, "p") != digest(pd.DataFrame({"x": [1, 3]}), "p")
    assert digest({"n": 1, "m": 2}) == digest({"m": 2, "n": 1})  # key order does not matter
    f = tmp_path / "raw.txt"
    f.write_text("一", encoding="utf-8")
    before = digest(f)
    f.write_text("二", encoding="utf-8")
    assert digest(f) != before
    assert digest(tmp_path / "missing.txt") != digest(f)


def test_code_fingerprint_is_stable_within_a_process():
    assert code_fingerprint() == code_fingerprint() and len(code_fingerprint()) == 64


def _out(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_a_step_is_up_to_date_only_with_the_same_inputs_and_intact_outputs(tmp_path):
    rec = BuildRecord(tmp_path / "record.json", root=tmp_path)
    out = _out(tmp_path, "a.csv", "x\n1\n")
    assert not rec.up_to_date("s", "k1")
    rec.record("s", "k1", [out])
    # a new record object reads the file: the next run sees what this one did
    again = BuildRecord(tmp_path / "record.json", root=tmp_path)
    assert again.up_to_date("s", "k1") and not again.up_to_date("s", "k2")
    assert again.outputs("s") == [out]
    out.write_text("x\n2\n", encoding="utf-8")  # an edited output is redone
    assert not again.up_to_date("s", "k1")
    rec.record("s", "k1", [out])
    out.unlink()  # and so is a deleted one
    assert not BuildRecord(tmp_path / "record.json", root=tmp_path).up_to_date("s", "k1")


def test_force_redoes_everything_and_forget_drops_a_failed_step(tmp_path):
    out = _out(tmp_path, "a.csv", "x\n")
    rec = BuildRecord(tmp_path / "record.json", root=tmp_path)
    rec.record("s", "k", [out], extra={"problems": ["skipped b.txt: empty"]})
    assert BuildRecord(tmp_path / "record.json", root=tmp_path).extra("s") == {"problems": ["skipped b.txt: empty"]}
    assert not BuildRecord(tmp_path / "record.json", root=tmp_path, force=True).up_to_date("s", "k")
    rec.forget("s")
    assert not BuildRecord(tmp_path / "record.json", root=tmp_path).up_to_date("s", "k")


def test_an_unreadable_record_means_everything_is_out_of_date(tmp_path):
    (tmp_path / "record.json").write_text("{not json", encoding="utf-8")
    assert BuildRecord(tmp_path / "record.json", root=tmp_path).steps == {}


def test_record_paths_are_relative_to_the_output_root(tmp_path):
    out = _out(tmp_path, "a.csv", "x\n")
    BuildRecord(tmp_path / "record.json", root=tmp_path).record("s", "k", [out])
    text = (tmp_path / "record.json").read_text(encoding="utf-8")
    assert '"a.csv"' in text and str(tmp_path) not in text


class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_progress_in_a_log_prints_plain_lines_with_time_left():
    clock, stream = _Clock(), io.StringIO()
    bar = Progress(4, "profiles", stream=stream, interval=10.0, clock=clock)
    clock.t = 5.0
    bar.advance()  # within the interval: no line yet
    clock.t = 20.0
    bar.advance()
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "profiles: 2/4 (50%), 0:20 elapsed, about 0:20 left"
    assert lines[-1] == "profiles: 2/4 (50%), 0:20 elapsed, about 0:20 left" or lines[-1].startswith("profiles: 2/4")
    assert "\r" not in stream.getvalue()


def test_progress_on_a_terminal_redraws_one_bar():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock, stream = _Clock(), Tty()
    bar = Progress(2, "notebooks", stream=stream, clock=clock)
    clock.t = 3.0
    bar.advance()
    bar.advance()
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 2 and "[############............]" in text and "2/2 (100%)" in text
    assert text.endswith("\n")


def test_format_seconds():
    assert (format_seconds(75), format_seconds(3725), format_seconds(-1)) == ("1:15", "1:02:05", "0:00")

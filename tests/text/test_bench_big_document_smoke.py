"""Smoke test of benchmarks/bench_big_document.py: it makes a document of the asked size and measures
it. No timing is asserted (the script prints the timings; tests count work, see test_sections_scaling)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _load():
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # the script imports generate_corpus as a sibling
    spec = importlib.util.spec_from_file_location("bench_big_document", BENCH / "bench_big_document.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_big_document_is_made_and_measured(tmp_path):
    bench = _load()
    path = bench.make_document(tmp_path / "big.txt", 0.06)
    data = path.read_bytes()
    assert 0.05e6 <= len(data) <= 0.06e6
    data.decode("utf-8")  # cut at a line or character end
    r = bench.measure(str(path))
    assert r["bytes"] == len(data) and r["targets"] > 0 and r["sentences"] > r["targets"] / 10
    assert "| MB | seconds |" in bench.report([r])

"""Two runs of the runner on the seeds, into two folders, give byte-identical outputs: every CSV,
PNG, SVG and release file, and the executed notebooks and HTML once the output folder is masked.

The second run executes notebooks 01 and 03 only (the pipeline, the release and two notebooks of
different kinds: tables, and bootstrap-based statistics), to keep the suite fast; every figure of every
notebook is also checked for byte-stability on its own in tests/viz/test_viz_api.py."""
from __future__ import annotations

from pathlib import Path

import pytest
from runs import shared_run

pytestmark = pytest.mark.slow  # runs every notebook through the runner

ROOT = Path(__file__).resolve().parents[1]

BYTE_EQUAL = {".csv", ".png", ".svg", ".json", ".md", ".cff"}
MASKED = {".ipynb", ".html"}


def _outputs(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in BYTE_EQUAL | MASKED
            # the run's record lists the steps this run made (the second run makes fewer), not an output
            and p.name not in ("status.json", ".qualitylib-record.json")}


def test_two_runs_are_byte_identical(tmp_path_factory):
    a, rc_a, err_a = shared_run(tmp_path_factory, "small_run_a")
    b, rc_b, err_b = shared_run(tmp_path_factory, "small_run_b", notebooks=["01", "03"])
    assert rc_a == 0, err_a[-2000:]
    assert rc_b == 0, err_b[-2000:]
    files_a, files_b = _outputs(a), _outputs(b)
    assert files_b.keys() <= files_a.keys(), f"files only in the second run: {sorted(files_b.keys() - files_a.keys())}"
    files_a = {k: v for k, v in files_a.items() if k in files_b}
    kinds = {Path(k).suffix for k in files_a}
    assert {".csv", ".png", ".svg", ".ipynb", ".html"} <= kinds
    assert {"reports/01_indicator_table.ipynb", "reports/03_policy_emphasis.html", "processed/targets.csv"} <= files_a.keys()
    differing = []
    for rel, pa in files_a.items():
        da, db = pa.read_bytes(), files_b[rel].read_bytes()
        if pa.suffix in MASKED:  # injected parameters name the output folder
            da = da.replace(str(a).encode(), b"<OUT>")
            db = db.replace(str(b).encode(), b"<OUT>")
        if da != db:
            differing.append(rel)
    assert not differing, f"{len(differing)} file(s) differ between two identical runs: {differing}"

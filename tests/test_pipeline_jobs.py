"""Documents cleaned and extracted side by side (``run_pipeline(..., jobs=2)``) give the same tables,
failures and warnings as one by one; a bad or duplicate file is reported the same way."""
from __future__ import annotations

import shutil

import pandas as pd

from qualitylib.pipeline import run_pipeline
from runs import seed_corpus


def test_two_workers_give_the_same_result_as_one(tmp_path):
    raw, curated = seed_corpus(tmp_path)
    mixed = tmp_path / "mixed"
    shutil.copytree(raw, mixed)
    first = sorted(mixed.glob("*.txt"))[0]
    shutil.copy(first, mixed / f"zz_copy_of_{first.name}")  # a duplicate, counted once
    (mixed / "empty.txt").write_bytes(b"")  # skipped, named
    one = run_pipeline([mixed], documents_csv=curated, jobs=1)
    two = run_pipeline([mixed], documents_csv=curated, jobs=2)
    for name in ("documents", "sentences", "targets", "indicator_table"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert [(f.path, f.problem) for f in one.failures] == [(f.path, f.problem) for f in two.failures]
    assert one.warnings == two.warnings and one.problems == two.problems
    assert len(one.documents) == 5 and any("duplicate of" in p for p in one.problems)
    assert any("empty.txt" in p for p in one.problems)

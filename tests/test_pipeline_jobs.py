"""Documents cleaned and extracted side by side (``run_pipeline(..., jobs=2)``) give the same tables,
failures and warnings as one by one; a bad or duplicate file is reported the same way."""
from __future__ import annotations

import shutil

import pandas as pd

from qualitylib.pipeline import DocumentCache, run_pipeline
from runs import seed_corpus


def _mixed_corpus(tmp_path):
    """The seeds plus a duplicate of one (counted once) and an empty file (skipped, named)."""
    raw, curated = seed_corpus(tmp_path)
    mixed = tmp_path / "mixed"
    shutil.copytree(raw, mixed)
    first = sorted(mixed.glob("*.txt"))[0]
    shutil.copy(first, mixed / f"zz_copy_of_{first.name}")
    (mixed / "empty.txt").write_bytes(b"")
    return mixed, curated


def test_two_workers_give_the_same_result_as_one(tmp_path):
    mixed, curated = _mixed_corpus(tmp_path)
    one = run_pipeline([mixed], documents_csv=curated, jobs=1)
    two = run_pipeline([mixed], documents_csv=curated, jobs=2)
    _same(one, two)
    assert len(one.documents) == 5 and any("duplicate of" in p for p in one.problems)
    assert any("empty.txt" in p for p in one.problems)


def _same(a, b):
    for name in ("documents", "sentences", "targets", "indicator_table"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert [(f.path, f.problem) for f in a.failures] == [(f.path, f.problem) for f in b.failures]
    assert a.warnings == b.warnings and a.problems == b.problems


def test_the_document_cache_gives_the_same_tables_and_remakes_only_a_changed_file(tmp_path):
    mixed, curated = _mixed_corpus(tmp_path)
    folder = tmp_path / "cache"
    cold = DocumentCache(folder, salt="code-1")
    made = run_pipeline([mixed], documents_csv=curated, jobs=2, cache=cold)
    assert cold.hits == 0 and len(list(folder.glob("*.pkl"))) == 7  # 5 plans, the copy, the empty file
    warm = DocumentCache(folder, salt="code-1")
    _same(made, run_pipeline([mixed], documents_csv=curated, jobs=2, cache=warm))
    assert warm.hits == 7

    # one number changed in one document: only that file is made again, and the change shows
    row = made.targets.iloc[0]
    path = mixed / f"{row['doc_id']}.txt"
    data = path.read_bytes()
    raw_text = data.decode(made.documents.set_index("doc_id").loc[row["doc_id"], "encoding"])
    start, end = int(row["raw_start"]), int(row["raw_end"])
    changed_text = raw_text[:start] + "123456" + raw_text[end:]
    path.write_bytes(changed_text.encode(made.documents.set_index("doc_id").loc[row["doc_id"], "encoding"]))
    again = DocumentCache(folder, salt="code-1")
    changed = run_pipeline([mixed], documents_csv=curated, jobs=1, cache=again)
    assert again.hits == 6
    assert 123456 in changed.targets["value"].tolist() and 123456 not in made.targets["value"].tolist()
    _same(changed, run_pipeline([mixed], documents_csv=curated, jobs=1))
    assert again.prune() == 1  # the entry of the file as it was

    # new code never reuses an entry; --force (read=False) makes everything again
    other = DocumentCache(folder, salt="code-2")
    run_pipeline([mixed], documents_csv=curated, cache=other)
    forced = DocumentCache(folder, salt="code-1", read=False)
    run_pipeline([mixed], documents_csv=curated, cache=forced)
    assert other.hits == 0 and forced.hits == 0


def test_a_damaged_cache_entry_is_made_again(tmp_path):
    raw, curated = seed_corpus(tmp_path)
    folder = tmp_path / "cache"
    made = run_pipeline([raw], documents_csv=curated, cache=DocumentCache(folder, salt="s"))
    for entry in sorted(folder.glob("*.pkl"))[:2]:
        entry.write_bytes(b"not a pickle")
    cache = DocumentCache(folder, salt="s")
    _same(made, run_pipeline([raw], documents_csv=curated, cache=cache))
    assert cache.hits == 3

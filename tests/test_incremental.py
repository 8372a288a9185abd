"""A run redoes only what changed: an unchanged run writes nothing and says "up to date"; a changed
document redoes the pipeline, the notebooks and that plan's profile, not the other profiles (``--force`` is
tested on the record itself, tests/test_records.py); profiles made side by side are the same bytes as profiles made one by one."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from qualitylib import profiles, runner, stats_tables
from qualitylib.tables import load_national, load_processed
from runs import small_config

ROOT = Path(__file__).resolve().parents[1]


def _run(cfg) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = runner.run(cfg)
    return rc, err.getvalue()


def _state(out: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.read_bytes())
            for folder in ("processed", "figures", "reports") for p in sorted((out / folder).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("incremental")
    cfg = small_config(out, notebooks=["01", "03", "04"], params={**small_config(out).params, "figure_formats": ["png"]})
    first = _run(cfg)
    before = _state(out)
    second = _run(cfg)
    after = _state(out)
    # one number of one target changes in one document (Wuhu, UTF-8)
    targets = pd.read_csv(out / "processed" / "targets.csv")
    row = targets[targets["city_en"] == "Wuhu"].iloc[0]
    raw = cfg.raw_dir / f"{row['doc_id']}.txt"
    text = raw.read_text(encoding="utf-8")
    start, end = int(row["raw_start"]), int(row["raw_end"])
    assert float(text[start:end]) == row["value"]
    raw.write_text(text[:start] + "97" + text[end:], encoding="utf-8")
    third = _run(cfg)
    changed = _state(out)
    return out, cfg, (first, second, third), (before, after, changed)


@pytest.mark.slow
def test_an_unchanged_run_writes_nothing_and_says_so(runs):
    _, _, (first, second, _), (before, after, _) = runs
    assert first[0] == 0, first[1][-2000:]
    assert second[0] == 0, second[1][-2000:]
    assert "up to date: nothing changed since the last run" in second[1]
    assert "pipeline: up to date" in second[1] and "statistics: up to date" in second[1]
    assert "theme check: up to date" in second[1] and "release: up to date" in second[1]
    assert before == after, "an up-to-date run must not rewrite any file"


@pytest.mark.slow
def test_a_changed_document_redoes_only_what_depends_on_it(runs):
    _, _, (_, _, third), (_, after, changed) = runs
    assert third[0] == 0, third[1][-2000:]
    assert "pipeline: up to date" not in third[1]
    # the theme coder's cross-validation reads no document: a changed document never redoes it
    assert "theme check: up to date" in third[1], third[1][-2000:]
    assert "profiles: 5 plans x 1 language(s); 4 up to date" in third[1], third[1][-2000:]
    rewritten = {k for k in changed if changed[k] != after.get(k)}
    assert "reports/04_city_profile_Wuhu.html" in rewritten and "processed/targets.csv" in rewritten
    assert not [k for k in rewritten if k.startswith("reports/04_city_profile_") and "Wuhu" not in k]
    assert "97" in (Path(runs[0]) / "reports" / "04_city_profile_Wuhu.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_notebook_is_redone_only_when_what_it_read_changed(runs):
    # 01 shows every target; 03 reads the theme statistics and four columns of documents.csv, none of
    # which a changed number changes (the document's checksum column does change)
    out, _, (_, _, third), (_, after, changed) = runs
    assert "notebooks: 1 of 2 up to date" in third[1], third[1][-2000:]
    assert changed["reports/01_indicator_table.ipynb"] != after["reports/01_indicator_table.ipynb"]
    assert changed["reports/03_policy_emphasis.ipynb"] == after["reports/03_policy_emphasis.ipynb"]
    assert changed["processed/documents.csv"] != after["processed/documents.csv"]
    record = json.loads((out / ".qualitylib-record.json").read_text(encoding="utf-8"))
    reads = record["steps"]["notebook:03_policy_emphasis.ipynb"]["extra"]["reads"]
    documents = [r for r in reads if r.get("name") == "documents"]
    assert [sorted(r["columns"]) for r in documents] == [["city", "city_en", "doc_id", "horizon", "issued", "plan_type"]]
    assert {"kind": "statistics"} in reads
    assert not [r for r in reads if r.get("name") in ("sentences", "targets")]


@pytest.mark.slow
def test_profiles_side_by_side_are_the_same_bytes_as_one_by_one(runs, tmp_path):
    out, cfg, _, _ = runs
    tables = load_processed(out / "processed")
    stats = stats_tables.load_statistics(out / "processed", cfg.notebook_params())
    national = load_national(ROOT / "data" / "external" / "national_targets.csv")
    tasks = [(d, "zh") for d in sorted(tables["documents"]["doc_id"])][:3]
    written = {}
    for jobs in (1, 2):
        folder = tmp_path / f"j{jobs}"
        results = profiles.write_profiles(tables, stats, national, tasks, figures_dir=folder / "figures",
                                          reports_dir=folder / "reports", jobs=jobs)
        assert all(error is None for *_, error in results), results
        written[jobs] = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert written[1] == written[2] and len(written[1]) == 3 * 4  # 3 figures and a page per plan


@pytest.mark.slow
def test_a_page_links_figures_that_exist_and_quotes_its_targets(runs):
    out, _, _, _ = runs
    page = (out / "reports" / "04_city_profile_Taian.html").read_text(encoding="utf-8")
    for src in pd.Series(page.split('<img src="')[1:]).str.split('"').str[0]:
        assert (out / "reports" / src).resolve().is_file(), src
    quotes = pd.read_csv(out / "processed" / "indicator_table.csv")
    first = quotes[quotes["city_en"] == "Tai'an"]["quote"].iloc[0]
    assert first[:12] in page

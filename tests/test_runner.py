"""Tests for qualitylib.runner: every notebook runs under papermill on small parameters and writes its
figures; a failing notebook makes the run fail and names the notebook and cell; a held lock makes a
second run refuse; parameter files are read into a configuration."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from qualitylib import runner
from runs import NB_PARAMS, shared_run, small_config

ROOT = Path(__file__).resolve().parents[1]
CITIES = ("Taian", "Wenzhou", "Wuhu", "Yichang", "Yinchuan")
FIGURES = [
    "01_coverage_matrix", "01_family_counts",
    "02_reference_gaps", "02_indicator_comparison", "02_counts_log",
    "03_theme_shares", "03_tfidf_terms", "03_dendrogram", "03_silhouette", "03_cluster_stability", "03_pca_biplot",
    "03_differences", "03_theme_accuracy",
    *[f"04_city_{c}_{part}" for c in CITIES for part in ("emphasis", "peers")],
    "05_lead_shares", "05_agency_theme_matrix", "05_agency_theme_network", "05_concreteness", "05_target_kinds",
]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    return shared_run(tmp_path_factory, "small_run_a")


# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_every_notebook_runs_and_writes_its_figures(small_run):
    out, rc, stderr = small_run
    assert rc == 0, stderr[-3000:]
    missing = [f"{n}_zh.{fmt}" for n in FIGURES for fmt in ("png", "svg")
               if not (out / "figures" / f"{n}_zh.{fmt}").is_file()]
    assert not missing, f"figures not written: {missing}"
    reports = {p.name for p in (out / "reports").iterdir()}
    for stem in ("01_indicator_table", "02_compare_ambitions", "03_policy_emphasis", "05_responsibility_and_commitment"):
        assert f"{stem}.ipynb" in reports and f"{stem}.html" in reports, stem
    # city profiles: one page per plan, made from the tables without a kernel per city
    assert {f"04_city_profile_{c}.html" for c in CITIES} <= reports
    assert not [r for r in reports if r.startswith(".")], f"temporary files left behind: {reports}"
    for table in ("documents", "sentences", "targets", "indicator_table", "codebook", "failures"):
        assert (out / "processed" / f"{table}.csv").is_file()
    # the cross-city statistics are computed once, by the run, and read by notebook 03 and the profiles
    assert (out / "processed" / "stats" / "parameters.json").is_file()
    nb03 = (out / "reports" / "03_policy_emphasis.ipynb").read_text(encoding="utf-8")
    assert "cross-city statistics read from" in nb03 and "computed here:" not in nb03
    # progress on stderr: done/total per kind of work
    # 4 notebook runs, the theme check, the statistics and the release
    assert "steps: 8/8 (100%)" in stderr and "profiles: 5/5 (100%)" in stderr, stderr[-2000:]


@pytest.mark.slow
def test_executed_copies_are_clean(small_run):
    out, rc, _ = small_run
    nb = nbformat.read(out / "reports" / "03_policy_emphasis.ipynb", as_version=4)
    assert "start_time" not in nb.metadata["papermill"] and "duration" not in nb.metadata["papermill"]
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        assert "start_time" not in cell.metadata.get("papermill", {})
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", cell.source[:200]
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "n_boot = 20" in injected[0].source


@pytest.mark.slow
def test_failing_notebook_names_notebook_and_cell(tmp_path, capfd):
    params = dict(NB_PARAMS, n_boot=0)  # bootstrap_shares refuses n_boot < 1
    cfg = small_config(tmp_path, notebooks=["03"], params=params)
    rc = runner.run(cfg)
    err = capfd.readouterr().err
    assert rc != 0
    assert "03_policy_emphasis" in err and "failed in cell" in err and "n_boot" in err, err[-2000:]
    copy = tmp_path / "reports" / "03_policy_emphasis.ipynb"
    assert copy.is_file(), "executed copy with the error must be kept"
    nb = nbformat.read(copy, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "ValueError"


def test_held_lock_makes_second_run_refuse(tmp_path, capfd):
    cfg = small_config(tmp_path, notebooks=["01"])
    lock = cfg.output_root() / runner.LOCK_NAME
    assert lock.parent == tmp_path
    with runner.run_lock(lock):
        rc = runner.run(cfg)
    err = capfd.readouterr().err
    assert rc == runner.EXIT_LOCKED and "refusing" in err and str(lock) in err
    assert not (tmp_path / "processed").exists(), "a refused run must not write anything"
    # and the lock is free again afterwards
    with runner.run_lock(lock):
        pass


def test_load_config_resolves_paths_and_splits_parameters():
    cfg = runner.load_config(ROOT / "notebooks" / "params" / "default.yaml", notebooks=["02", "04_city_profile.ipynb"])
    assert cfg.root == ROOT and cfg.processed_dir == ROOT / "data" / "processed"
    assert cfg.notebooks == ["02_compare_ambitions", "04_city_profile"]
    assert cfg.langs[0] == "zh" and "reports_dir" not in cfg.params and "langs" not in cfg.params
    p = cfg.notebook_params()
    assert p["processed_dir"] == "data/processed" and p["figure_formats"] == ["png"]
    quick = runner.load_config(ROOT / "notebooks" / "params" / "quick.yaml")
    assert quick.quick and quick.notebook_params()["n_boot"] <= 20 and len(quick.notebook_params()["figure_formats"]) == 1
    with pytest.raises(ValueError, match="unknown notebook"):
        runner.normalise_notebooks(["99"])

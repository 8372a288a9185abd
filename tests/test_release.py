"""Tests for qualitylib.release: the data package validates with frictionless, its foreign keys
resolve (and a broken one is caught), CITATION.cff carries the package version, output is stable."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import qualitylib
from qualitylib import release
from runs import shared_run

pytestmark = pytest.mark.slow  # runs every notebook through the runner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    out, rc, stderr = shared_run(tmp_path_factory, "small_run_a")
    assert (out / "processed" / "datapackage.json").is_file(), stderr[-2000:]
    return out / "processed"


def _validate(path: Path):
    from frictionless import validate

    return validate(str(path))


def test_datapackage_validates(processed):
    report = _validate(processed / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]


def test_datapackage_describes_every_csv_with_types_and_keys(processed):
    pkg = json.loads((processed / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["version"] == qualitylib.__version__
    res = {r["name"]: r for r in pkg["resources"]}
    assert set(res) == {p.stem for p in processed.glob("*.csv")}
    for r in res.values():
        for f in r["schema"]["fields"]:
            assert f["type"] and f["description"] and "not documented" not in f["description"], (r["name"], f)
        assert r["hash"].startswith("sha256:") and r["bytes"] == (processed / r["path"]).stat().st_size
    for name in ("targets", "indicator_table"):
        fks = res[name]["schema"]["foreignKeys"]
        assert {"fields": ["code"], "reference": {"resource": "codebook", "fields": ["code"]}} in fks
    assert res["codebook"]["schema"]["primaryKey"] == ["code"]
    assert res["documents"]["schema"]["primaryKey"] == ["doc_id"]
    assert res["indicator_table"]["schema"]["primaryKey"] == ["doc_id", "code", "series", "scope", "kind", "unit"]
    types = {f["name"]: f["type"] for f in res["targets"]["schema"]["fields"]}
    assert types["value"] == "number" and types["target_year"] == "integer" and types["code"] == "string"


def test_foreign_keys_resolve_and_breakage_is_caught(processed, tmp_path):
    codes = set(pd.read_csv(processed / "codebook.csv")["code"])
    for name in ("targets", "indicator_table"):
        used = set(pd.read_csv(processed / f"{name}.csv")["code"].dropna())
        assert used <= codes, f"{name}: codes missing from codebook: {used - codes}"
    broken = tmp_path / "broken"
    shutil.copytree(processed, broken)
    t = pd.read_csv(broken / "indicator_table.csv")
    t.loc[0, "code"] = "no_such_code"
    t.to_csv(broken / "indicator_table.csv", index=False, lineterminator="\n")
    release.write_release(broken, qualitylib.__version__, citation_path=tmp_path / "CITATION.cff", root=ROOT)
    report = _validate(broken / "datapackage.json")
    assert not report.valid
    assert any(e[0] == "foreign-key" for e in report.flatten(["type"]))


def _cff_version(path: Path) -> str:
    m = re.search(r'^version:\s*"?([^"\n]+)"?\s*$', path.read_text(encoding="utf-8"), re.M)
    assert m, f"no version in {path}"
    return m.group(1)


def test_citation_version_matches_package(processed):
    generated = processed.parent / "CITATION.cff"
    assert _cff_version(generated) == qualitylib.__version__
    committed = ROOT / "CITATION.cff"
    assert committed.is_file(), "CITATION.cff missing at the repository root: run `qualitylib run`"
    assert _cff_version(committed) == qualitylib.__version__, \
        "CITATION.cff is stale: run `qualitylib run` (or qualitylib.release.write_release) after a version bump"


def test_readme_reports_accuracy_or_placeholder_and_is_deterministic(processed, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(processed, copy)
    release.write_release(copy, "9.9.9", citation_path=tmp_path / "c.cff", root=ROOT)
    text = (copy / "README.md").read_text(encoding="utf-8")
    assert "not been filled in" in text and "What this data is not" in text and "Known limits" in text
    first = {p.name: p.read_bytes() for p in copy.iterdir() if p.is_file()}
    release.write_release(copy, "9.9.9", accuracy={"targets": {"precision": 0.912, "recall": 0.85}},
                          citation_path=tmp_path / "c.cff", root=ROOT)
    text = (copy / "README.md").read_text(encoding="utf-8")
    assert "| targets: precision | 0.912 |" in text and "| targets: recall | 0.850 |" in text
    release.write_release(copy, "9.9.9", citation_path=tmp_path / "c.cff", root=ROOT)
    assert {p.name: p.read_bytes() for p in copy.iterdir() if p.is_file()} == first
    assert _cff_version(tmp_path / "c.cff") == "9.9.9"


def test_citation_describes_the_dataset_with_its_licence_and_date(tmp_path):
    import yaml

    text = release.citation_cff("1.2.3", ROOT)
    cff = yaml.safe_load(text)
    assert cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0" and cff["version"] == "1.2.3"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    pref = cff["preferred-citation"]
    assert pref["type"] == "dataset" and pref["version"] == "1.2.3" and pref["authors"]
    assert cff["references"][0]["type"] == "software" and cff["references"][0]["license"] == "MIT"
    descriptor = release.datapackage_descriptor(tmp_path, "1.2.3")
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]

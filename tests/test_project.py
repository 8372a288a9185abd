"""Project integrity: raw data unchanged, dependency lists in sync, the CLI and docs agree."""
from __future__ import annotations

import hashlib
import importlib.metadata
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from qualitylib import __version__, paths


def test_raw_files_match_manifest(root):
    manifest = (root / paths.RAW_MANIFEST).read_text(encoding="utf-8").split("\n")
    entries = {name: digest for digest, name in (ln.split() for ln in manifest if ln.strip())}
    raw_files = {p.name for p in (root / paths.RAW_DIR).iterdir() if p.is_file()}
    assert entries, "the manifest lists no raw file"
    assert raw_files == set(entries), (
        f"data/raw and {paths.RAW_MANIFEST} disagree: not listed {sorted(raw_files - set(entries))}, "
        f"listed but absent {sorted(set(entries) - raw_files)}")
    for name, digest in entries.items():
        data = (root / paths.RAW_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} was modified; raw data is immutable"


def test_raw_folder_holds_only_raw_documents(root):
    # curated metadata and the manifest are made by hand: they live in data/metadata/, not among the inputs
    others = [p.name for p in (root / paths.RAW_DIR).iterdir() if p.suffix.lower() not in {".txt"}]
    assert not others, f"non-document files in data/raw/: {others}"


def test_raw_files_equal_shared_seeds_when_available(root):
    shared = root.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("the workplace's shared/seeds is not beside this clone; the manifest test covers the raw files")
    seeds = sorted(shared.glob("*.txt"))
    assert seeds, f"{shared} holds no seed"
    for seed in seeds:
        assert (root / paths.RAW_DIR / seed.name).read_bytes() == seed.read_bytes()


def _names(reqs):
    return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in reqs}


def test_environment_yml_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    listed = {p for p in pip_section if not p.startswith("-e")}
    assert "python=3.11" in env["dependencies"]
    assert listed == wanted, f"only in environment.yml: {listed - wanted}; only in pyproject: {wanted - listed}"
    assert _names(listed) == _names(wanted)


def test_readme_commands_exist(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "lab"):
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make run" in readme and "make test" in readme
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_cli_clean_prints_simplified_text(root):
    raw = root / "data" / "raw" / "003_ddbf447394a1dcdd.txt"
    proc = subprocess.run([sys.executable, "-m", "qualitylib.cli", "clean", str(raw)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "(一)政府质量工作考核" in proc.stdout
    assert "質" not in proc.stdout and "(zhì)" not in proc.stdout


def test_cli_inspect_lists_metadata_and_repairs(root):
    raw = root / "data" / "raw"
    proc = subprocess.run([sys.executable, "-m", "qualitylib.cli", "inspect", str(raw / "003_ddbf447394a1dcdd.txt"), str(raw / "004_e2ac1e6326ae13a9.txt")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "温州市" in out and "宜昌市" in out
    assert re.search(r"raw line\s+23\s+mojibake", out)
    assert "pinyin" in out and "sections" in out and "sentences" in out


def test_cli_reports_bad_file_and_exit_code(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    proc = subprocess.run([sys.executable, "-m", "qualitylib.cli", "clean", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "bad.txt" in proc.stderr and "offset" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "qualitylib.cli", "clean", str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert proc.returncode == 2 and "missing.txt" in proc.stderr


def test_version_is_the_installed_distributions(root):
    # the fallback "0.0.0+unknown" means the package was imported from a tree that was never installed
    declared = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert __version__ == importlib.metadata.version("qualitylib") == declared

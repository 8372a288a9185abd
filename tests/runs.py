"""One small runner configuration and a per-session shared run, used by the notebook, release and
determinism tests so the notebooks execute once per session instead of once per module."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from pathlib import Path

from qualitylib import paths, runner

ROOT = Path(__file__).resolve().parents[1]
#: The annotated seed documents: what seed-specific tests look at, whatever else a user adds to data/raw.
SEED_IDS = sorted({row["doc_id"] for row in csv.DictReader(
    (ROOT / paths.GOLD_CSV).open(encoding="utf-8"))})
SEED_PATHS = [ROOT / paths.RAW_DIR / f"{doc_id}.txt" for doc_id in SEED_IDS]


def seed_corpus(folder: Path) -> tuple[Path, Path]:
    """Copy the seed documents and their curated metadata rows into ``folder`` (once). Output: (raw
    folder, documents.csv). Runner tests run on this copy, so a sixth document in data/raw (added as the
    README says) changes none of their expectations."""
    raw, curated = folder / "seed_raw", folder / "seed_documents.csv"
    if not curated.is_file():
        raw.mkdir(parents=True, exist_ok=True)
        for path in SEED_PATHS:
            shutil.copy(path, raw / path.name)
        with (ROOT / paths.DOCUMENTS_CSV).open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows = [r for r in reader if r["doc_id"] in SEED_IDS]
            header = reader.fieldnames
        with curated.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return raw, curated
NB_PARAMS = {"cities": [], "figure_formats": ["png", "svg"], "lang": "zh", "seed": 20240601, "n_boot": 20,
             "national_targets": "data/external/national_targets.csv"}


def small_config(out: Path, **overrides) -> runner.RunConfig:
    """quick.yaml-like: n_boot 20, Chinese only, PNG and SVG (so both formats are checked)."""
    raw, curated = seed_corpus(out)
    kw = dict(raw_dir=raw, documents_csv=curated, processed_dir=out / "processed", figures_dir=out / "figures",
              reports_dir=out / "reports", citation_path=out / "CITATION.cff", langs=["zh"], quick=False,
              params=dict(NB_PARAMS))
    kw.update(overrides)
    return runner.load_config(ROOT / "notebooks" / "params" / "quick.yaml", **kw)


def shared_run(tmp_path_factory, name: str, **overrides) -> tuple[Path, int, str]:
    """Run the runner once per session into <basetemp>/<name> (``overrides``: RunConfig fields such as
    ``notebooks``); later calls (from any test module) reuse the result, recorded in status.json."""
    out = tmp_path_factory.getbasetemp() / name
    done = out / "status.json"
    if not done.is_file():
        out.mkdir(parents=True, exist_ok=True)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = runner.run(small_config(out, **overrides))
        done.write_text(json.dumps({"rc": rc, "stderr": err.getvalue()}), encoding="utf-8")
    status = json.loads(done.read_text(encoding="utf-8"))
    return out, status["rc"], status["stderr"]

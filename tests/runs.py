"""One small runner configuration and a per-session shared run, used by the notebook, release and
determinism tests so the notebooks execute once per session instead of once per module."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from qualitylib import runner

ROOT = Path(__file__).resolve().parents[1]
NB_PARAMS = {"cities": [], "figure_formats": ["png", "svg"], "lang": "zh", "seed": 20240601, "n_boot": 20,
             "national_targets": "data/external/national_targets.csv"}


def small_config(out: Path, **overrides) -> runner.RunConfig:
    """quick.yaml-like: n_boot 20, Chinese only, PNG and SVG (so both formats are checked)."""
    kw = dict(raw_dir=ROOT / "data" / "raw", processed_dir=out / "processed", figures_dir=out / "figures",
              reports_dir=out / "reports", citation_path=out / "CITATION.cff", langs=["zh"], quick=False,
              params=dict(NB_PARAMS))
    kw.update(overrides)
    return runner.load_config(ROOT / "notebooks" / "params" / "quick.yaml", **kw)


def shared_run(tmp_path_factory, name: str) -> tuple[Path, int, str]:
    """Run the runner once per session into <basetemp>/<name>; later calls (from any test module)
    reuse the result, recorded in status.json."""
    out = tmp_path_factory.getbasetemp() / name
    done = out / "status.json"
    if not done.is_file():
        out.mkdir(parents=True, exist_ok=True)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = runner.run(small_config(out))
        done.write_text(json.dumps({"rc": rc, "stderr": err.getvalue()}), encoding="utf-8")
    status = json.loads(done.read_text(encoding="utf-8"))
    return out, status["rc"], status["stderr"]

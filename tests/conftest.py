"""Shared fixtures: the project root, the raw seeds and their cleaned form (cleaned once per session)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from runs import SEED_PATHS, seed_corpus

ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    missing = [p.name for p in SEED_PATHS if not p.is_file()]
    assert len(SEED_PATHS) == 5 and not missing, f"the five annotated seed documents must be in {RAW_DIR}: {missing}"
    return SEED_PATHS


@pytest.fixture(scope="session")
def cleaned_seeds(seed_paths):
    from qualitylib.text.clean import clean_file

    return {p.stem: clean_file(p) for p in seed_paths}


@pytest.fixture(scope="session")
def national() -> pd.DataFrame:
    """National reference targets for the comparability and figure tests: one comparable row (same code and series, 2020) and two decoys."""
    rows = [
        dict(horizon=2020, code="manufacturing_product_pass_rate", series="supervision_spot_check", comparator=">=",
             value=92.0, unit="%", source_zh="测试纲要", source_en="Test outline"),
        dict(horizon=2020, code="manufacturing_product_pass_rate", series="overall", comparator=">=",
             value=94.8, unit="%", source_zh="口径不同", source_en="Other series"),
        dict(horizon=2025, code="agri_product_pass_rate", series="routine_monitoring", comparator=">=",
             value=98.0, unit="%", source_zh="年份太远", source_en="Too far"),
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def seed_tables(tmp_path_factory) -> dict:
    """The processed tables of the five seeds, made by the pipeline in this session and read back as
    the notebooks read them (a user's own documents in data/raw or a stale data/processed change
    nothing here)."""
    from qualitylib.pipeline import run_pipeline, write_tables
    from qualitylib.tables import load_processed

    out = tmp_path_factory.mktemp("seed_tables")
    raw, curated = seed_corpus(out)
    write_tables(run_pipeline([raw], documents_csv=curated), out / "processed")
    return load_processed(out / "processed")


@pytest.fixture
def session(tmp_path):
    """A notebook session over ``tmp_path`` (processed tables there, figures in ``figures/``, PNG):
    ``session(lang="zh", reuse_figures=False)``."""
    from qualitylib import notebook

    def start(lang: str = "en", **options):
        return notebook.start(lang=lang, processed_dir=tmp_path, figures_dir=tmp_path / "figures",
                              figure_formats=["png"], root=tmp_path, **options)

    return start

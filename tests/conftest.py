"""Shared fixtures: the project root, the raw seeds and their cleaned form (cleaned once per session)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = ROOT / "data" / "raw"
SEED_PATHS = sorted(RAW_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    assert len(SEED_PATHS) == 5, f"expected the five seed documents in {RAW_DIR}"
    return SEED_PATHS


@pytest.fixture(scope="session")
def cleaned_seeds(seed_paths):
    from qualitylib.text.clean import clean_file

    return {p.stem: clean_file(p) for p in seed_paths}

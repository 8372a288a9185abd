"""Where things are: the project root and every default path, in one place.

Bottom layer: imports nothing from qualitylib. Every other module (pipeline, runner, release, CLI,
notebook set-up) takes its defaults from here, so moving a folder is a one-line change.
"""
from __future__ import annotations

import os
from pathlib import Path

#: Defaults relative to the project root (the folder holding ``pyproject.toml``).
RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
METADATA_DIR = Path("data/metadata")
DOCUMENTS_CSV = METADATA_DIR / "documents.csv"
RAW_MANIFEST = METADATA_DIR / "raw_manifest.sha256"
ANNOTATIONS_DIR = Path("data/annotations")
GOLD_CSV = ANNOTATIONS_DIR / "seeds_gold.csv"
NATIONAL_TARGETS = Path("data/external/national_targets.csv")
FIGURES_DIR = Path("figures")
REPORTS_DIR = Path("reports")
NOTEBOOKS_DIR = Path("notebooks")
PARAMS_DIR = NOTEBOOKS_DIR / "params"
DEFAULT_PARAMS = PARAMS_DIR / "default.yaml"
CITATION_FILE = Path("CITATION.cff")


def find_root(start: str | os.PathLike[str] | None = None) -> Path:
    """Input: a folder to start from (default: the current directory).
    Output: the project root, the nearest folder at or above ``start`` with a ``pyproject.toml``;
    failing that, the folder above the installed package (an editable install run from elsewhere).
    Raises ``FileNotFoundError`` naming ``start`` when neither exists."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    pkg_parent = Path(__file__).resolve().parent.parent
    if (pkg_parent / "pyproject.toml").is_file():
        return pkg_parent
    raise FileNotFoundError(f"no pyproject.toml at or above {here}: cannot tell where the project root is")


def default_documents_csv(root: str | os.PathLike[str] | None = None) -> Path | None:
    """Input: the project root (default: :func:`find_root`, if there is one). Output: the curated
    ``data/metadata/documents.csv`` when it exists, else None (metadata is then all inferred)."""
    try:
        base = Path(root) if root is not None else find_root()
    except FileNotFoundError:
        return None
    path = base / DOCUMENTS_CSV
    return path if path.is_file() else None


def resolve(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> Path:
    """Input: a path and the project root (default: :func:`find_root`). Output: ``path`` itself when
    absolute, else ``root / path``. Relative paths in parameter files always mean the project root,
    whatever folder a notebook or command runs from."""
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    return Path(root if root is not None else find_root()) / p

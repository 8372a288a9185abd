"""Corpus handling: paths -> cleaned documents, one bad file never sinking the batch.

This is the I/O edge of the cleaning DAG: it finds raw files, reads them, and collects failures
(file name and problem) instead of raising, so a batch report can list them.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .clean import CleanDocument, clean_file
from .decode import DecodeError
from .readers import DOCUMENT_SUFFIXES

log = logging.getLogger(__name__)
#: what a folder contributes: text files, saved web pages, PDFs and Word files
RAW_SUFFIXES = DOCUMENT_SUFFIXES


@dataclass
class Failure:
    """A raw file that was skipped, and why."""

    path: str
    problem: str


@dataclass
class CorpusResult:
    """Cleaned documents in doc_id order, plus the files that were skipped."""

    documents: list[CleanDocument] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Input: files and/or folders. Output: raw document files, sorted by name, duplicates removed.
    Folders contribute their ``.txt``, ``.html``/``.htm``, ``.pdf`` and ``.docx`` files (not recursive). A path that does not exist raises
    ``FileNotFoundError`` naming it: a typo should stop the command, not yield an empty table."""
    found: dict[str, Path] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.iterdir()):
                if f.is_file() and f.suffix.lower() in RAW_SUFFIXES and not f.name.startswith("."):
                    found[str(f.resolve())] = f
        elif p.is_file():
            found[str(p.resolve())] = p
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return sorted(found.values(), key=lambda f: (f.stem, str(f)))


def progress_printer(stream=sys.stderr) -> Callable[[int, int, str], None]:
    """Output: a callback printing ``[i/n] name`` to ``stream`` (stderr, so stdout stays clean)."""

    def show(i: int, n: int, name: str) -> None:
        print(f"[{i}/{n}] {name}", file=stream, flush=True)

    return show


def clean_one(path: str | Path) -> CleanDocument | Failure:
    """Input: one raw file. Output: the cleaned document, or a ``Failure`` naming the file and the
    problem (undecodable, binary, unreadable, a PDF without text layer, or a cleaning bug on one odd
    page: it must not sink the batch)."""
    f = Path(path)
    try:
        return clean_file(f)
    except DecodeError as exc:
        log.warning("skipped %s", exc)
        return Failure(str(f), str(exc))
    except Exception as exc:  # noqa: BLE001
        log.exception("cleaning failed for %s", f)
        return Failure(str(f), f"cleaning failed: {type(exc).__name__}: {exc}")


def repeated_ids(files: Iterable[Path]) -> tuple[list[Path], list[Failure]]:
    """Input: raw files in discovery order. Output: the files to clean, and a ``Failure`` for every
    later file whose name (its doc_id) an earlier one already uses."""
    seen: dict[str, Path] = {}
    keep, failures = [], []
    for f in files:
        if f.stem in seen:
            failures.append(Failure(str(f), f"doc_id {f.stem!r} already used by {seen[f.stem]}"))
            continue
        seen[f.stem] = f
        keep.append(f)
    return keep, failures


def clean_corpus(paths: Iterable[str | Path], progress: Callable[[int, int, str], None] | None = None) -> CorpusResult:
    """Input: files/folders of raw documents. Output: ``CorpusResult`` with every document that could
    be cleaned and a ``Failure`` for each that could not (undecodable, binary, unreadable, a PDF
    without text layer)."""
    files = discover(paths)
    keep, repeated = repeated_ids(files)
    keep_set = set(keep)
    result = CorpusResult()
    for i, f in enumerate(files, 1):
        if progress:
            progress(i, len(files), f.name)
        if f not in keep_set:
            result.failures.append(next(x for x in repeated if x.path == str(f)))
            continue
        cleaned = clean_one(f)
        if isinstance(cleaned, Failure):
            result.failures.append(cleaned)
        else:
            result.documents.append(cleaned)
    return result

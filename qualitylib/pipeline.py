"""The data pipeline: raw folder -> cleaned documents -> metadata, sentences, targets -> indicator
table, written to ``data/processed/``. Notebooks and figures are run on top of it by ``runner``."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .analysis.indicator_table import build_indicator_table
from .atomic import write_bytes_atomic, write_csv_atomic
from .extract.codebook import load_codebook
from .extract.documents_csv import apply_overrides, load_documents_csv
from .extract.metadata import (
    DOCUMENT_COLUMNS,
    DocumentMetadata,
    infer_metadata,
)
from .extract.targets import TARGET_COLUMNS, extract_targets
from .text.clean import CleanDocument
from .text.corpus import Failure, clean_one, discover, repeated_ids
from .text.structure import sentences_frame

log = logging.getLogger(__name__)


@dataclass
class PipelineResult:
    """Everything the pipeline produced for one corpus."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    targets: pd.DataFrame
    indicator_table: pd.DataFrame
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: What makes a strict run exit non-zero although outputs were written: skipped files, duplicate
    #: documents (counted once), curated metadata rows that match no file. Each names its file.
    problems: list[str] = field(default_factory=list)


def document_metadata(doc: CleanDocument, overrides: dict[str, dict]) -> DocumentMetadata:
    """Input: a cleaned document and the curated rows of documents.csv (doc_id -> row).
    Output: inferred metadata with the curated row applied on top; warnings for what stays unknown."""
    meta = infer_metadata(doc.doc_id, doc.full_text, doc.body)
    meta.script = doc.script
    row = overrides.get(doc.doc_id)
    return apply_overrides(meta, row) if row else meta


@dataclass
class DocumentParts:
    """One document's share of the processed tables (what a worker sends back)."""

    info: dict
    sentences: pd.DataFrame
    targets: pd.DataFrame
    warnings: list[str]


def document_parts(doc: CleanDocument, overrides: dict[str, dict]) -> DocumentParts:
    """Input: one cleaned document and the curated metadata rows. Output: its documents row, sentences,
    targets and warnings. Depends on nothing but the document, so documents can be processed apart."""
    warnings: list[str] = []
    meta = document_metadata(doc, overrides)
    warnings.extend(meta.warnings)
    warnings.extend(doc.warnings)
    info = meta.as_row()
    sentences = sentences_frame(doc.doc_id, doc.body)
    sentences["line"] = doc.raw_lines(sentences["start"].to_numpy())  # one vectorised lookup
    sentences.insert(1, "city", meta.city)
    sentences.insert(2, "city_en", meta.city_en)
    targets = extract_targets(doc, {k: getattr(meta, k) for k in ("city", "province", "horizon", "plan_type")}, warnings)
    targets.insert(2, "city_en", meta.city_en)
    # identity of the place: the administrative code (pinyin repeats: 泰州 and 台州 are both Taizhou)
    targets.insert(targets.columns.get_loc("province") + 1, "adcode", getattr(meta, "adcode", None))
    info.update(
        encoding=doc.raw.encoding,
        sha256=doc.raw.sha256,
        n_sections=int((sentences["role"] == "heading").sum()),
        n_sentences=int((sentences["role"] == "policy").sum()),
        n_targets=len(targets),
        n_repairs=len(doc.repairs),
    )
    return DocumentParts(info, sentences, targets, warnings)


def assemble(parts: list[DocumentParts]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Input: documents' parts, in doc_id order. Output: (documents, sentences, targets, warnings)."""
    documents = pd.DataFrame([p.info for p in parts],
                             columns=list(DOCUMENT_COLUMNS) + ["encoding", "sha256", "n_sections", "n_sentences", "n_targets", "n_repairs"])
    # a document without sentences or targets adds no rows; left out of the concatenation, its empty
    # (object-typed) frame cannot turn the numeric columns of the others into objects
    sentence_frames = [p.sentences for p in parts if len(p.sentences)] or [p.sentences for p in parts[:1]]
    target_frames = [p.targets for p in parts if len(p.targets)] or [p.targets for p in parts[:1]]
    sentences = pd.concat(sentence_frames, ignore_index=True) if sentence_frames else pd.DataFrame()
    targets = pd.concat(target_frames, ignore_index=True) if target_frames else pd.DataFrame(columns=TARGET_COLUMNS[:2] + ["city_en"] + TARGET_COLUMNS[2:])
    targets = targets.sort_values(["doc_id", "raw_start", "raw_end"], kind="mergesort").reset_index(drop=True)
    return documents, sentences, targets, [w for p in parts for w in p.warnings]


def process_documents(docs: list[CleanDocument], overrides: dict[str, dict]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Input: cleaned documents and curated metadata rows. Output: (documents, sentences, targets,
    warnings) DataFrames, rows in doc_id order. Pure apart from logging."""
    return assemble([document_parts(doc, overrides) for doc in docs])


@dataclass
class _Processed:
    """What a worker returns for one file: enough of the document to find duplicates, and its parts."""

    doc_id: str
    path: str
    sha256: str
    body_key: str
    parts: DocumentParts | None = None
    failure: Failure | None = None


def _body_key(body: str) -> str:
    return hashlib.sha256("".join(body.split()).encode("utf-8")).hexdigest()


def _process_file(task: tuple[Path, dict[str, dict]]) -> _Processed:
    path, overrides = task
    cleaned = clean_one(path)
    if isinstance(cleaned, Failure):
        return _Processed(path.stem, str(path), "", "", failure=cleaned)
    try:
        parts = document_parts(cleaned, overrides)
    except Exception as exc:  # noqa: BLE001 - an extraction bug on one odd page must not sink the batch
        log.exception("extraction failed for %s", path)
        return _Processed(cleaned.doc_id, str(path), "", "",
                          failure=Failure(str(path), f"extraction failed: {type(exc).__name__}: {exc}"))
    return _Processed(cleaned.doc_id, str(cleaned.raw.path), cleaned.raw.sha256, _body_key(cleaned.body), parts)


class DocumentCache:
    """What the workers made of each file, kept between runs in ``folder`` (one pickle per file), so a
    run after one document changed cleans and extracts only that document.

    An entry's name is a digest of the file's path and bytes, its curated metadata row and ``salt``
    (the caller's fingerprint of the code: new code never reuses an entry), so a stale entry is never
    found, only left behind; :meth:`prune` deletes the entries the last run did not use. ``read=False``
    (``qualitylib run --force``): every file is made again, and the cache is refilled."""

    def __init__(self, folder: str | Path, salt: str, *, read: bool = True) -> None:
        self.folder, self.salt, self.read = Path(folder), salt, read
        self.used: set[str] = set()
        self.hits = 0

    def key(self, path: Path, overrides: dict[str, dict]) -> str:
        import json

        h = hashlib.sha256(f"{self.salt}\0{pd.__version__}\0{path}\0".encode("utf-8"))
        h.update(hashlib.sha256(path.read_bytes()).digest())
        h.update(json.dumps(overrides.get(path.stem), sort_keys=True, default=str).encode("utf-8"))
        return h.hexdigest()

    def get(self, key: str) -> _Processed | None:
        import pickle

        self.used.add(key)
        if not self.read:
            return None
        try:
            with open(self.folder / f"{key}.pkl", "rb") as fh:
                item = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None  # absent, or written by another version: made again
        self.hits += 1
        return item if isinstance(item, _Processed) else None

    def put(self, key: str, item: _Processed) -> None:
        import pickle

        self.used.add(key)
        write_bytes_atomic(self.folder / f"{key}.pkl", pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL), sync=False)

    def prune(self) -> int:
        """Delete the entries this run did not use (files gone or changed). Output: how many."""
        stale = [p for p in self.folder.glob("*.pkl") if p.stem not in self.used] if self.folder.is_dir() else []
        for p in stale:
            p.unlink(missing_ok=True)
        return len(stale)


def run_pipeline(raw_paths: list[str | Path], documents_csv: str | Path | None = None,
                 progress: Callable[[int, int, str], None] | None = None, jobs: int = 1,
                 cache: DocumentCache | None = None) -> PipelineResult:
    """Input: raw files/folders, optionally a curated documents.csv (``data/metadata/documents.csv``
    in a project; None: metadata is all inferred), ``jobs`` processes cleaning and extracting
    documents side by side (the result does not depend on it), and optionally a :class:`DocumentCache`
    of earlier runs (the result does not depend on it either). Output: ``PipelineResult``. Bad
    documents are listed in ``failures`` and skipped; the rest is processed."""
    overrides = load_documents_csv(documents_csv) if documents_csv else {}
    files = discover(raw_paths)
    keep, repeated = repeated_ids(files)
    done: list[_Processed] = []
    keys: dict[Path, str] = {}
    todo = list(keep)
    if cache is not None:
        todo = []
        for f in keep:
            try:
                keys[f] = cache.key(f, overrides)
            except OSError:
                todo.append(f)  # unreadable: the worker names the file and the problem
                continue
            item = cache.get(keys[f])
            if item is None:
                todo.append(f)
            else:
                done.append(item)
        if progress and done:
            progress(len(done), len(keep), "(made by an earlier run)")
    fresh = _process_all([(f, overrides) for f in todo], jobs, progress, offset=len(done), total=len(keep))
    if cache is not None:
        # imap keeps the order of the tasks: the i-th result is the i-th file's
        for f, item in zip(todo, fresh):
            if f in keys:
                cache.put(keys[f], item)
    done += fresh
    return _result(files, done, repeated, overrides, documents_csv)


def _process_all(tasks: list[tuple[Path, dict[str, dict]]], jobs: int, progress, *, offset: int, total: int
                 ) -> list[_Processed]:
    """Clean and extract ``tasks`` on ``jobs`` processes. Output: what each file gave, in task order."""
    done: list[_Processed] = []
    if jobs > 1 and len(tasks) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            for i, item in enumerate(pool.imap(_process_file, tasks, chunksize=max(1, min(16, len(tasks) // (8 * jobs)))), 1):
                done.append(item)
                if progress:
                    progress(offset + i, total, Path(item.path).name)
    else:
        for i, task in enumerate(tasks, 1):
            if progress:
                progress(offset + i, total, task[0].name)
            done.append(_process_file(task))
    return done


def _result(files: list[Path], done: list[_Processed], repeated: list[Failure], overrides: dict[str, dict],
            documents_csv: str | Path | None) -> PipelineResult:
    """What every file gave -> the corpus's tables, with duplicates counted once and every problem named."""
    failures = [p.failure for p in done if p.failure is not None]
    kept, duplicates = _drop_duplicate_parts([p for p in done if p.failure is None])
    documents, sentences, targets, warnings = assemble([p.parts for p in kept])
    table = build_indicator_table(targets, documents)
    # skipped files in the order they were found, as a batch report lists them
    order = {str(f): i for i, f in enumerate(files)}
    failures = sorted(list(repeated) + failures, key=lambda f: order.get(f.path, len(order))) + duplicates
    problems = [f"skipped {f.path}: {f.problem}" for f in failures]
    unknown = sorted(set(overrides) - {p.doc_id for p in done if p.failure is None})
    problems += [f"{documents_csv}: doc_id {d!r} matches no raw file" for d in unknown]
    return PipelineResult(documents, sentences, targets, table, failures, warnings, problems)


def _drop_duplicate_parts(done: list[_Processed]) -> tuple[list[_Processed], list[Failure]]:
    """As :func:`drop_duplicates`, on what the workers returned."""
    kept: list[_Processed] = []
    seen: dict[tuple[str, str], _Processed] = {}
    dropped: list[Failure] = []
    for p in sorted(done, key=lambda p: p.doc_id):
        first = seen.get(("sha256", p.sha256)) or seen.get(("body", p.body_key))
        if first is not None:
            same = "same SHA-256" if first.sha256 == p.sha256 else "same text after cleaning"
            dropped.append(Failure(p.path, f"duplicate of {first.path} ({same}); counted once"))
            continue
        seen[("sha256", p.sha256)] = seen[("body", p.body_key)] = p
        kept.append(p)
    return kept, dropped


def drop_duplicates(docs: list[CleanDocument]) -> tuple[list[CleanDocument], list[Failure]]:
    """Input: cleaned documents. Output: the documents with each duplicate counted once (the first by
    doc_id kept), and a ``Failure`` for every dropped copy naming the file it duplicates. A duplicate has
    the same raw bytes (SHA-256) or the same cleaned body once whitespace is ignored (the same page
    saved twice in two encodings)."""
    light = [_Processed(d.doc_id, str(d.raw.path), d.raw.sha256, _body_key(d.body)) for d in docs]
    kept, dropped = _drop_duplicate_parts(light)
    by_id = {d.doc_id: d for d in docs}
    return [by_id[p.doc_id] for p in kept], dropped


def codebook_export() -> pd.DataFrame:
    """Output: the indicator codebook as a citable table (code, family, series, labels, definition)."""
    cb = load_codebook()
    keep = [c for c in ("code", "family", "series", "label_zh", "label_en", "definition_en", "default_unit") if c in cb.columns]
    return cb[keep].drop_duplicates("code").sort_values("code", kind="mergesort").reset_index(drop=True)


def write_tables(result: PipelineResult, out_dir: str | Path) -> list[Path]:
    """Input: a pipeline result and the output folder. Output: paths written (atomically):
    documents.csv, sentences.csv, targets.csv, indicator_table.csv, codebook.csv, failures.csv."""
    out = Path(out_dir)
    failures = pd.DataFrame([(f.path, f.problem) for f in result.failures], columns=["path", "problem"])
    return [
        write_csv_atomic(result.documents, out / "documents.csv"),
        write_csv_atomic(result.sentences, out / "sentences.csv"),
        write_csv_atomic(result.targets, out / "targets.csv"),
        write_csv_atomic(result.indicator_table, out / "indicator_table.csv"),
        write_csv_atomic(codebook_export(), out / "codebook.csv"),
        write_csv_atomic(failures, out / "failures.csv"),
    ]

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
from .atomic import write_csv_atomic
from .extract.codebook import load_codebook
from .extract.documents_csv import apply_overrides, load_documents_csv
from .extract.metadata import (
    DOCUMENT_COLUMNS,
    DocumentMetadata,
    infer_metadata,
)
from .extract.targets import TARGET_COLUMNS, extract_targets
from .text.clean import CleanDocument
from .text.corpus import Failure, clean_corpus
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


def process_documents(docs: list[CleanDocument], overrides: dict[str, dict]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Input: cleaned documents and curated metadata rows. Output: (documents, sentences, targets,
    warnings) DataFrames, rows in doc_id order. Pure apart from logging."""
    doc_rows, sentence_frames, target_frames, warnings = [], [], [], []
    for doc in docs:
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
        doc_rows.append(info)
        sentence_frames.append(sentences)
        target_frames.append(targets)
    documents = pd.DataFrame(doc_rows, columns=list(DOCUMENT_COLUMNS) + ["encoding", "sha256", "n_sections", "n_sentences", "n_targets", "n_repairs"])
    # a document without sentences or targets adds no rows; left out of the concatenation, its empty
    # (object-typed) frame cannot turn the numeric columns of the others into objects
    sentence_frames = [f for f in sentence_frames if len(f)] or sentence_frames[:1]
    target_frames = [f for f in target_frames if len(f)] or target_frames[:1]
    sentences = pd.concat(sentence_frames, ignore_index=True) if sentence_frames else pd.DataFrame()
    targets = pd.concat(target_frames, ignore_index=True) if target_frames else pd.DataFrame(columns=TARGET_COLUMNS[:2] + ["city_en"] + TARGET_COLUMNS[2:])
    targets = targets.sort_values(["doc_id", "raw_start", "raw_end"], kind="mergesort").reset_index(drop=True)
    return documents, sentences, targets, warnings


def run_pipeline(raw_paths: list[str | Path], documents_csv: str | Path | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> PipelineResult:
    """Input: raw files/folders and optionally a curated documents.csv (``data/metadata/documents.csv``
    in a project; None: metadata is all inferred). Output: ``PipelineResult``. Bad documents are
    listed in ``failures`` and skipped; the rest is processed."""
    overrides = load_documents_csv(documents_csv) if documents_csv else {}
    corpus = clean_corpus(raw_paths, progress=progress)
    kept, duplicates = drop_duplicates(corpus.documents)
    documents, sentences, targets, warnings = process_documents(kept, overrides)
    table = build_indicator_table(targets, documents)
    failures = list(corpus.failures) + duplicates
    problems = [f"skipped {f.path}: {f.problem}" for f in failures]
    unknown = sorted(set(overrides) - {d.doc_id for d in corpus.documents})
    problems += [f"{documents_csv}: doc_id {d!r} matches no raw file" for d in unknown]
    return PipelineResult(documents, sentences, targets, table, failures, warnings, problems)


def drop_duplicates(docs: list[CleanDocument]) -> tuple[list[CleanDocument], list[Failure]]:
    """Input: cleaned documents. Output: the documents with each duplicate counted once (the first by
    doc_id kept), and a ``Failure`` for every dropped copy naming the file it duplicates. A duplicate has
    the same raw bytes (SHA-256) or the same cleaned body once whitespace is ignored (the same page
    saved twice in two encodings)."""
    kept: list[CleanDocument] = []
    seen: dict[tuple[str, str], CleanDocument] = {}
    dropped: list[Failure] = []
    for doc in sorted(docs, key=lambda d: d.doc_id):
        body_key = hashlib.sha256("".join(doc.body.split()).encode("utf-8")).hexdigest()
        first = seen.get(("sha256", doc.raw.sha256)) or seen.get(("body", body_key))
        if first is not None:
            same = "same SHA-256" if first.raw.sha256 == doc.raw.sha256 else "same text after cleaning"
            dropped.append(Failure(str(doc.raw.path), f"duplicate of {first.raw.path} ({same}); counted once"))
            continue
        seen[("sha256", doc.raw.sha256)] = seen[("body", body_key)] = doc
        kept.append(doc)
    return kept, dropped


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

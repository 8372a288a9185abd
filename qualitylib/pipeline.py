"""The data pipeline: raw folder -> cleaned documents -> metadata, sentences, targets -> indicator
table, written to ``data/processed/``. Notebooks and figures are run on top of it by ``runner``."""
from __future__ import annotations

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
        sentences = sentences_frame(doc.doc_id, doc.body, lambda p, d=doc: d.raw.line_of(d.raw_span(p, min(p + 1, len(d.body)))[0]))
        sentences.insert(1, "city", meta.city)
        sentences.insert(2, "city_en", meta.city_en)
        targets = extract_targets(doc, {k: getattr(meta, k) for k in ("city", "province", "horizon", "plan_type")})
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
    documents, sentences, targets, warnings = process_documents(corpus.documents, overrides)
    table = build_indicator_table(targets, documents)
    return PipelineResult(documents, sentences, targets, table, corpus.failures, warnings)


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

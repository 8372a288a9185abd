"""Curated document metadata (``data/metadata/documents.csv``): reading it strictly and letting each
non-empty curated field override what :mod:`qualitylib.extract.metadata` inferred from the text.

A curation slip (a date in the wrong column, a repeated doc_id) is caught here, where it was made,
with a message naming the file and line, not downstream in a figure.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import fields, replace
from pathlib import Path

from .gazetteer import lookup_city
from .metadata import DOC_NUMBER, PLAN_TYPES, SCRIPTS, DocumentMetadata, normalise_doc_number


class DocumentsCSVError(ValueError):
    """A malformed documents.csv; the message names the file (and the line where there is one)."""


def _coerce(fld: str, value: str, where: str) -> object:
    """Input: a field name, a non-empty curated value, a place for the error message.
    Output: the value as the dataclass stores it (int horizon, checked date and enums); ValueError otherwise."""
    value = value.strip()
    if fld == "horizon":
        if not re.fullmatch(r"(?:19|20)\d{2}", value):
            raise ValueError(f"{where}: horizon must be a year, got {value!r}")
        return int(value)
    if fld == "issued":
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"{where}: issued must be an ISO date YYYY-MM-DD, got {value!r}") from None
    if fld == "plan_type" and value not in PLAN_TYPES:
        raise ValueError(f"{where}: plan_type must be one of {PLAN_TYPES}, got {value!r}")
    if fld == "script" and value not in SCRIPTS:
        raise ValueError(f"{where}: script must be one of {SCRIPTS}, got {value!r}")
    if fld == "doc_number":
        m = re.fullmatch(DOC_NUMBER, value)
        return normalise_doc_number(m) if m else value
    return value


def apply_overrides(inferred: DocumentMetadata, row: dict) -> DocumentMetadata:
    """Input: inferred metadata and a curated row (documents.csv columns; '' or None = no opinion).
    Output: a new ``DocumentMetadata`` where each non-empty curated field wins; the input is unchanged.

    Warnings about a field the row settles are dropped. When the row changes the city but leaves city_en
    or province empty, those are taken from the gazetteer for the new city, so the three never disagree.
    Raises ValueError if the row belongs to another doc_id or holds a malformed value."""
    row_id = (row.get("doc_id") or "").strip()
    if row_id and row_id != inferred.doc_id:
        raise ValueError(f"override row for {row_id!r} applied to document {inferred.doc_id!r}")
    changes: dict[str, object] = {}
    for f in fields(DocumentMetadata):
        if f.name in ("doc_id", "warnings"):
            continue
        value = row.get(f.name)
        if value is None or str(value).strip() == "":
            continue
        changes[f.name] = _coerce(f.name, str(value), f"override for {inferred.doc_id}")
    if "city" in changes and changes["city"] != inferred.city:
        geo = lookup_city(str(changes["city"]))
        if geo:
            changes["city"] = geo["city_zh"]
            changes.setdefault("city_en", geo["city_en"])
            changes.setdefault("province", geo["province_zh"])
    settled = {f"{inferred.doc_id}: {name}:" for name in changes}
    warnings = [w for w in inferred.warnings if not any(w.startswith(s) for s in settled)]
    return replace(inferred, warnings=warnings, **changes)


def load_documents_csv(path: str | Path) -> dict[str, dict]:
    """Input: path of a documents.csv (UTF-8, header row, a doc_id column; other columns as in
    ``DOCUMENT_COLUMNS``). Output: doc_id -> row dict of stripped strings.

    Raises ``DocumentsCSVError`` naming the file (and line) when the doc_id column is missing, a row has
    more fields than the header, a doc_id is empty or repeated, or a value is malformed (bad date,
    year, plan_type or script), so a curation slip is caught where it was made, not downstream."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "doc_id" not in header:
        raise DocumentsCSVError(f"{path}: no 'doc_id' column (header: {header})")
    if len(set(header)) != len(header):
        raise DocumentsCSVError(f"{path}: repeated column names in header {header}")
    reader.fieldnames = header
    out: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            raise DocumentsCSVError(f"{path}: line {line}: more fields than the header has columns")
        row = {k: (v or "").strip() for k, v in raw.items()}
        doc_id = row["doc_id"]
        if not doc_id:
            if not any(row.values()):
                continue  # a blank line is harmless
            raise DocumentsCSVError(f"{path}: line {line}: empty doc_id")
        if doc_id in out:
            raise DocumentsCSVError(
                f"{path}: line {line}: duplicate doc_id {doc_id!r} (first on line {first_line[doc_id]})")
        for fld in ("horizon", "issued", "plan_type", "script"):
            if row.get(fld):
                try:
                    _coerce(fld, row[fld], f"{path}: line {line}")
                except ValueError as exc:
                    raise DocumentsCSVError(str(exc)) from None
        out[doc_id] = row
        first_line[doc_id] = line
    return out

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

from .gazetteer import LEVELS, describe, find_jurisdictions, jurisdiction
from .metadata import (
    DOC_NUMBER,
    JURISDICTION_FIELDS,
    PLAN_TYPES,
    SCRIPTS,
    DocumentMetadata,
    jurisdiction_fields,
    normalise_doc_number,
)


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
    if fld in ("issued", "retrieved"):
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"{where}: {fld} must be an ISO date YYYY-MM-DD, got {value!r}") from None
    if fld == "source_url" and not re.match(r"^(?:https?|ftp)://\S+$", value):
        raise ValueError(f"{where}: source_url must be an http(s) address, got {value!r}")
    if fld == "plan_type" and value not in PLAN_TYPES:
        raise ValueError(f"{where}: plan_type must be one of {PLAN_TYPES}, got {value!r}")
    if fld == "script" and value not in SCRIPTS:
        raise ValueError(f"{where}: script must be one of {SCRIPTS}, got {value!r}")
    if fld == "level" and value not in LEVELS:
        raise ValueError(f"{where}: level must be one of {LEVELS}, got {value!r}")
    if fld in ("adcode", "parent") and jurisdiction(value) is None:
        raise ValueError(f"{where}: {fld} {value!r} is not an adcode of the gazetteer (qualitylib/data/gazetteer.csv)")
    if fld == "doc_number":
        m = re.fullmatch(DOC_NUMBER, value)
        return normalise_doc_number(m) if m else value
    return value


def curated_jurisdiction(row: dict, where: str) -> tuple[dict[str, object], str | None]:
    """Input: a curated row ('' or None = no opinion) and a place for messages. Output: (the
    jurisdiction fields the row settles, a warning or None).

    A curated ``adcode`` wins and fills city, province, level and parent from the gazetteer; a
    curated ``city`` without adcode must name one division (a curated province, parent or level may
    single it out among namesakes), and fills the same fields. ``city_en`` as curated always wins (it is
    only a display name). Raises ValueError naming ``where`` for an unknown adcode, a name that fits
    several divisions, or curated fields that contradict the gazetteer. A city the gazetteer does not
    know is kept as written, with adcode, level and parent as curated (else empty) and a warning."""
    given = {f: str(row.get(f) or "").strip() for f in JURISDICTION_FIELDS}
    if not given["adcode"] and not given["city"]:
        return {}, None
    for fld in ("adcode", "parent", "level"):
        if given[fld]:
            _coerce(fld, given[fld], where)
    if given["adcode"]:
        fields = jurisdiction_fields(given["adcode"])
        row_j = jurisdiction(given["adcode"])
        names = {row_j["name"], row_j["short"], *row_j["aliases"].split("|")} - {""}
        if given["city"] and given["city"] not in names:
            raise ValueError(f"{where}: city {given['city']!r} is not adcode {given['adcode']} "
                             f"({describe(given['adcode'])})")
    else:
        rows = find_jurisdictions(given["city"])
        for fld, key in (("level", "level"), ("parent", "parent")):
            if given[fld] and len(rows) > 1:
                rows = [r for r in rows if r[key] == given[fld]] or rows
        if given["province"] and len(rows) > 1:
            rows = [r for r in rows if jurisdiction_fields(r["adcode"])["province"] == given["province"]] or rows
        if len(rows) > 1:
            listed = ", ".join(describe(r["adcode"]) for r in rows)
            raise ValueError(f"{where}: city {given['city']!r} matches {len(rows)} jurisdictions ({listed}); "
                             f"add its adcode")
        if not rows:
            fields = {"city": given["city"], "city_en": given["city_en"] or None, "province": given["province"] or None,
                      "level": given["level"] or None, "adcode": None, "parent": given["parent"] or None}
            return fields, f"adcode: curated city {given['city']!r} is not in the gazetteer; adcode left empty"
        fields = jurisdiction_fields(rows[0]["adcode"])
    for fld in ("province", "level", "parent"):
        if given[fld] and given[fld] != fields[fld]:
            raise ValueError(f"{where}: {fld} {given[fld]!r} contradicts {describe(fields['adcode'])}, "
                             f"whose {fld} is {fields[fld]!r}")
    if given["city_en"]:
        fields["city_en"] = given["city_en"]
    return fields, None


def apply_overrides(inferred: DocumentMetadata, row: dict) -> DocumentMetadata:
    """Input: inferred metadata and a curated row (documents.csv columns; '' or None = no opinion).
    Output: a new ``DocumentMetadata`` where each non-empty curated field wins; the input is unchanged.

    Warnings about a field the row settles are dropped. A curated adcode or city settles all the
    jurisdiction fields together (``curated_jurisdiction``), so city, province, level, adcode and parent
    never disagree. Raises ValueError if the row belongs to another doc_id or holds a malformed value."""
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
    geo, note = curated_jurisdiction(row, f"override for {inferred.doc_id}")
    changes.update(geo)
    settled = {f"{inferred.doc_id}: {name}:" for name in changes}
    warnings = [w for w in inferred.warnings if not any(w.startswith(s) for s in settled)]
    if note:
        warnings.append(f"{inferred.doc_id}: {note}")
    return replace(inferred, warnings=warnings, **changes)


def load_documents_csv(path: str | Path) -> dict[str, dict]:
    """Input: path of a documents.csv (UTF-8, header row, a doc_id column; other columns as in
    ``DOCUMENT_COLUMNS``). Output: doc_id -> row dict of stripped strings.

    Raises ``DocumentsCSVError`` naming the file (and line) when the doc_id column is missing, a row has
    more fields than the header, a doc_id is empty or repeated, or a value is malformed (bad date,
    year, plan_type, script, level or adcode; a city that fits several jurisdictions without an adcode;
    an adcode that contradicts the curated city, province, level or parent), so a curation slip is
    caught where it was made, not downstream."""
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
        if any(v is None for v in raw.values()) and any(v for v in raw.values()):
            # a missing comma shifts every later value one column left (a date would land in issuer)
            raise DocumentsCSVError(f"{path}: line {line}: fewer fields than the header has columns "
                                    f"({sum(v is not None for v in raw.values())} of {len(header)}); "
                                    "leave empty fields empty, but keep their commas")
        row = {k: (v or "").strip() for k, v in raw.items()}
        doc_id = row["doc_id"]
        if not doc_id:
            if not any(row.values()):
                continue  # a blank line is harmless
            raise DocumentsCSVError(f"{path}: line {line}: empty doc_id")
        if doc_id in out:
            raise DocumentsCSVError(
                f"{path}: line {line}: duplicate doc_id {doc_id!r} (first on line {first_line[doc_id]})")
        try:
            for fld in ("horizon", "issued", "plan_type", "script", "level", "adcode", "parent", "retrieved",
                        "source_url"):
                if row.get(fld):
                    _coerce(fld, row[fld], f"{path}: line {line}")
            curated_jurisdiction(row, f"{path}: line {line}")
        except ValueError as exc:
            raise DocumentsCSVError(str(exc)) from None
        out[doc_id] = row
        first_line[doc_id] = line
    return out

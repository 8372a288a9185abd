"""The citable data release: a Frictionless data package around the processed tables, a README that
says what the data is and is not, and ``CITATION.cff`` at the repository root.

``write_release(processed_dir, version, accuracy=None)`` writes

* ``<processed_dir>/datapackage.json`` -- a Frictionless (tabular) data package: one resource per
  CSV in ``processed_dir`` with a Table Schema (field types and descriptions), primary keys where
  they are natural and hold, and foreign keys: ``code`` of ``targets.csv`` and
  ``indicator_table.csv`` into ``codebook.csv``; ``doc_id`` of ``sentences``, ``targets`` and
  ``indicator_table`` into ``documents.csv``. Sizes and SHA-256 hashes make it verifiable.
* ``<processed_dir>/README.md`` -- what the data is and is not, how it was made, extraction
  accuracy (from ``accuracy``; a placeholder when None) and known limits.
* ``CITATION.cff`` (default: the project root) whose ``version`` is ``version``.

Everything is deterministic (no timestamps; JSON keys in a fixed order; resources in a fixed order)
and written atomically, so a rerun on the same data changes nothing.

Field types: each known column has a declared type; when the CSV text does not fit it (e.g. an
integer column that became ``2020.0`` because of a missing value) the type is relaxed
integer -> number -> string, so the package always validates against its own data. A declared
primary key is only kept if it is unique and complete in the data.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .atomic import write_text_atomic
from .paths import find_root

__all__ = ["TABLES", "write_release", "datapackage_descriptor", "citation_cff", "readme_text"]

PACKAGE_NAME = "qualitylib-quality-strong-city-indicators"

# --------------------------------------------------------------------------------------------
# what each table and column means
# --------------------------------------------------------------------------------------------
_COMMON = {
    "doc_id": ("string", "Document id: the raw file name without extension (sequence number and content hash prefix)."),
    "city": ("string", "The issuing jurisdiction at any level (province, prefecture-level city, district, county or county-level city), in Chinese (simplified); empty when it could not be found."),
    "city_en": ("string", "The jurisdiction's name in pinyin (a display name: 泰州 and 台州 are both Taizhou; identify places by adcode or Chinese name)."),
    "province": ("string", "Province (or autonomous region, or municipality) the jurisdiction lies in, in Chinese; for a province's own plan, itself."),
    "level": ("string", "Level of the jurisdiction: province, prefecture or county."),
    "adcode": ("string", "Administrative division code of the jurisdiction (6 digits), from the gazetteer in qualitylib/data/."),
    "parent": ("string", "Administrative division code of the jurisdiction's parent (a county's city or province; a city's province)."),
    "issued": ("date", "Date the document was issued (YYYY-MM-DD)."),
    "horizon": ("integer", "Year the plan's targets are for."),
    "scope": ("string", "Whose target it is: jurisdiction (the whole issuing area), sector (a named subset) or per_unit (each county, enterprise or unit)."),
    "subject": ("string", "The words that name the subset of a sector or per_unit target (e.g. 大中型, 县级); empty for the whole jurisdiction."),
    "baseline": ("number", "Starting value of the same indicator where the text states one (由93%提高到95% -> 93), in the target's unit."),
    "baseline_year": ("integer", "Year of that starting value where stated (比2015年提高 -> 2015)."),
    "line": ("integer", "1-based line number in the raw file where the item starts."),
    "code": ("string", "Canonical indicator code from the codebook (codebook.csv); 'other' = fits no code."),
    "family": ("string", "Indicator family: pass_rate, satisfaction, standards, brands or other."),
    "series": ("string", "Measurement series within a code (e.g. supervision_spot_check vs routine_monitoring); values of different series are not comparable."),
    "label_zh": ("string", "Indicator label in Chinese."),
    "label_en": ("string", "Indicator label in English."),
    "value": ("number", "Target value as a number (lower bound for ranges)."),
    "value_hi": ("number", "Upper bound when the target is a range; empty otherwise."),
    "unit": ("string", "Unit as written (normalised to simplified Chinese), e.g. %, 项, 个, 件, 分."),
    "comparator": ("string", "How the value binds: >= (at least), <= (at most), = (exactly/keep at), range."),
    "kind": ("string", "Kind of target: level (value to reach or keep), increment (number newly added), annual_growth (growth rate per year), delta (increase by)."),
    "target_year": ("integer", "Year by which the target is to be met."),
    "plan_type": ("string", "annual (a plan for one year) or multi_year."),
    "quote": ("string", "The words of the policy text around the number, as extracted (for checking)."),
}

TABLES: dict[str, dict[str, Any]] = {
    "documents": {
        "title": "Policy documents",
        "description": "One row per policy document (a plan of one jurisdiction; a place may have several): metadata curated or inferred from the text, and processing statistics.",
        "primary_key": ["doc_id"],
        "foreign_keys": [],
        "fields": {
            "issuer": ("string", "Issuing body (e.g. 市人民政府办公室), in Chinese."),
            "script": ("string", "Script of the raw text: simplified or traditional (converted to simplified for analysis)."),
            "doc_number": ("string", "Official document number (文号), when the text gives one."),
            "title": ("string", "Document title in Chinese."),
            "source_url": ("string", "Address the document was retrieved from, where recorded at collection (curated); empty when unknown, as for the five seeds."),
            "retrieved": ("date", "Date the copy was retrieved (YYYY-MM-DD), where recorded; empty when unknown."),
            "source_site": ("string", "Publishing website, where recorded; empty when unknown."),
            "encoding": ("string", "Character encoding the raw file was decoded from."),
            "sha256": ("string", "SHA-256 of the raw file bytes (hex)."),
            "n_sections": ("integer", "Number of section headings found."),
            "n_sentences": ("integer", "Number of policy sentences (role == policy in sentences.csv)."),
            "n_targets": ("integer", "Number of extracted targets (rows in targets.csv)."),
            "n_repairs": ("integer", "Number of character repairs made while cleaning (mojibake, lost bytes)."),
        },
    },
    "sentences": {
        "title": "Sentences",
        "description": "The cleaned body text of every document split into sentences, with the section each belongs to; the basis of the policy-emphasis analysis.",
        "primary_key": ["doc_id", "sentence_id"],
        "foreign_keys": [("doc_id", "documents", "doc_id")],
        "fields": {
            "sentence_id": ("integer", "0-based sentence number within the document."),
            "start": ("integer", "Start offset (characters) of the sentence in the cleaned body."),
            "end": ("integer", "End offset (characters, exclusive) in the cleaned body."),
            "section_path": ("string", "Headings above the sentence, outermost first, joined by ' > '."),
            "role": ("string", "heading, policy (a sentence of policy content) or agency (only a lead/responsible-agency note)."),
            "text": ("string", "Sentence text without the agency note (simplified Chinese); empty when the sentence was only an agency note."),
            "agencies": ("string", "Lead/responsible agencies named in the sentence's note, if any."),
        },
    },
    "targets": {
        "title": "Extracted targets",
        "description": "Every quantitative target read from the texts, one row per number, with its indicator, code, comparator, unit, kind, target year and the exact place in the raw file.",
        "primary_key": ["doc_id", "raw_start", "raw_end"],
        "foreign_keys": [("code", "codebook", "code"), ("doc_id", "documents", "doc_id")],
        "fields": {
            "raw_start": ("integer", "Start offset (characters) of the number in the decoded raw file (text or saved web page); for PDF/Word, in the document's extracted text."),
            "raw_end": ("integer", "End offset (characters, exclusive) of the number in the decoded raw file."),
            "byte_start": ("integer", "Start offset (bytes) of the number in the raw file; empty for PDF/Word."),
            "byte_end": ("integer", "End offset (bytes, exclusive) of the number in the raw file."),
            "number_text": ("string", "The number as written, with its unit (e.g. 98%, 三项)."),
            "indicator": ("string", "Indicator phrase the number measures, as read from the clause."),
            "section": ("string", "Headings above the target, outermost first, joined by ' > '."),
            "page": ("integer", "PDF source: the 1-based page the number stands on; empty otherwise."),
            "paragraph": ("integer", "Word (.docx) source: the 1-based paragraph (table cells included) the number stands in; empty otherwise."),
            "part_start": ("integer", "PDF/Word source: start offset (characters) of the number in that page's or paragraph's extracted text; empty otherwise."),
            "part_end": ("integer", "PDF/Word source: end offset (characters, exclusive) in that page's or paragraph's extracted text; empty otherwise."),
        },
    },
    "indicator_table": {
        "title": "Indicator table",
        "description": "One row per plan (document), indicator code, series, scope, kind and unit -- nothing is pooled; within a row the headline is the latest target year, then the first in the text. The common table the comparisons use. Rows coded 'other' are left out.",
        "primary_key": ["doc_id", "code", "series", "scope", "kind", "unit"],
        "foreign_keys": [("code", "codebook", "code"), ("doc_id", "documents", "doc_id")],
        "fields": {
            "n_values": ("integer", "How many target values the plan states with exactly this row's key (all in targets.csv)."),
            "min_value": ("number", "Smallest of those values."),
            "max_value": ("number", "Largest of those values."),
            "quote": ("string", "Quote of the headline target."),
            "line": ("integer", "Raw-file line of the headline target."),
        },
    },
    "codebook": {
        "title": "Indicator codebook",
        "description": "The canonical indicator codes the targets are mapped to, with family, default series, labels and definitions.",
        "primary_key": ["code"],
        "foreign_keys": [],
        "fields": {
            "series": ("string", "Default measurement series of the code (a target may carry a more specific one)."),
            "definition_en": ("string", "What the indicator measures."),
            "default_unit": ("string", "Usual unit of the indicator."),
        },
    },
    "failures": {
        "title": "Failed files",
        "description": "Raw files that could not be processed, with the reason; empty when every file was processed.",
        "primary_key": [],
        "foreign_keys": [],
        "fields": {
            "path": ("string", "Path of the raw file."),
            "problem": ("string", "Why it was skipped."),
        },
    },
}

_INT = re.compile(r"^[+-]?\d+$")
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return (rows[0] if rows else []), rows[1:]


def _fits(kind: str, values: list[str]) -> bool:
    vals = [v for v in values if v != ""]
    if kind == "integer":
        return all(_INT.match(v) for v in vals)
    if kind == "number":
        return all(_NUM.match(v) or v in ("NaN", "inf", "-inf") for v in vals)
    if kind == "date":
        return all(_DATE.match(v) for v in vals)
    return True


def _field(name: str, declared: tuple[str, str] | None, values: list[str]) -> dict[str, Any]:
    kind, desc = declared if declared else ("string", "")
    for candidate in {"integer": ("integer", "number", "string"), "number": ("number", "string"),
                      "date": ("date", "string")}.get(kind, (kind,)):
        if _fits(candidate, values):
            kind = candidate
            break
    out: dict[str, Any] = {"name": name, "type": kind}
    if kind == "date":
        out["format"] = "%Y-%m-%d"
    out["description"] = desc or "(not documented: column added after this schema was written)"
    return out


def _unique_key(header: list[str], rows: list[list[str]], key: list[str]) -> bool:
    if not key or any(k not in header for k in key):
        return False
    idx = [header.index(k) for k in key]
    seen = set()
    for r in rows:
        t = tuple(r[i] for i in idx)
        if any(v == "" for v in t) or t in seen:
            return False
        seen.add(t)
    return True


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _csv_files(processed_dir: Path) -> list[Path]:
    """Known tables in ``TABLES`` order, then any other CSV by name."""
    present = {p.stem: p for p in sorted(processed_dir.glob("*.csv"))}
    return [present[t] for t in TABLES if t in present] + [p for s, p in present.items() if s not in TABLES]


def _pyproject(root: Path | None) -> dict[str, Any]:
    """The parsed pyproject.toml of the project at ``root`` ({} when there is none)."""
    if root is not None and (root / "pyproject.toml").is_file():
        return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return {}


def _project_meta(root: Path | None) -> dict[str, Any]:
    return _pyproject(root).get("project", {})


def _default_root() -> Path:
    return find_root()


def datapackage_descriptor(processed_dir: str | Path, version: str) -> dict[str, Any]:
    """Input: the processed folder and the release version. Output: the data package descriptor
    (a dict, JSON-ready) for every CSV in the folder."""
    folder = Path(processed_dir)
    files = _csv_files(folder)
    present = {p.stem for p in files}
    resources = []
    for path in files:
        spec = TABLES.get(path.stem, {"title": path.stem, "description": "", "primary_key": [],
                                      "foreign_keys": [], "fields": {}})
        header, rows = _read_csv(path)
        columns = {h: [r[i] if i < len(r) else "" for r in rows] for i, h in enumerate(header)}
        fields = [_field(h, spec["fields"].get(h) or _COMMON.get(h), columns[h]) for h in header]
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if _unique_key(header, rows, list(spec["primary_key"])):
            schema["primaryKey"] = list(spec["primary_key"])
        fks = [{"fields": [col], "reference": {"resource": ref, "fields": [ref_col]}}
               for col, ref, ref_col in spec["foreign_keys"] if col in header and ref in present]
        if fks:
            schema["foreignKeys"] = fks
        resources.append({
            "name": path.stem,
            "title": spec["title"],
            "description": spec["description"],
            "path": path.name,
            "type": "table",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": path.stat().st_size,
            "hash": f"sha256:{_sha256(path)}",
            "schema": schema,
        })
    return {
        "name": PACKAGE_NAME,
        "title": "Quality-strong-city (质量强市) policy targets of Chinese cities",
        "description": ("Quantitative targets extracted from Chinese cities' quality-strong-city policy documents and "
                        "mapped onto a common indicator codebook, with the sentences of the texts. Made with qualitylib; "
                        "see README.md for what the data is and is not."),
        "version": version,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "keywords": ["quality-strong city", "质量强市", "China", "policy targets", "indicators", "text as data"],
        "resources": resources,
    }


def _accuracy_section(accuracy: Mapping[str, Any] | None) -> str:
    if not accuracy:
        return ("Extraction accuracy has **not been filled in for this release**. It is measured against the "
                "hand annotation in `data/annotations/` (precision, recall and field agreement of the extracted "
                "targets; see `qualitylib/analysis/evaluation.py`).\n")

    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.3f}"
        return str(v)

    lines = ["Measured against the hand annotation in `data/annotations/` (see `qualitylib/analysis/evaluation.py`). "
             "**These figures are in-sample**: the extraction rules were developed on the same annotated documents, "
             "so they overstate the accuracy to expect on documents of other places, years and genres. `series` is "
             "scored only where the annotation names a series; the other fields over every matched target.", "",
             "| measure | value |", "|---|---|"]
    for key, val in accuracy.items():
        if isinstance(val, Mapping):
            for sub, v in val.items():
                lines.append(f"| {key}: {sub} | {fmt(v)} |")
        else:
            lines.append(f"| {key} | {fmt(val)} |")
    return "\n".join(lines) + "\n"


_CV_WORDS = {(False, "kfold"): "nothing fitted: all sentences", (True, "kfold"): "5-fold, {r} repeats",
             (True, "lodo"): "leave one document out"}


#: the notebooks' seed and repeats, so the release and notebook 03 share one cross-validation
CV_REPEATS = 10


def _theme_coding_section(gold_path: str | Path | None = None, processed_dir: str | Path | None = None) -> str:
    """The policy-theme coding's agreement with the hand-coded theme sample
    (``data/annotations/themes_dev.csv``): per-theme precision, recall and F1 of the method in use,
    with macro/micro F1 and the caveat that the rules were written on this sample. Input: the
    sample's path (default: under the project root) and the processed-data folder, where the
    cross-validation is stored for notebook 03 (:func:`qualitylib.stats_tables.theme_check`). Output: a
    README section (a placeholder when the sample is missing)."""
    from .analysis.theme_evaluation import (
        CHOSEN_METHOD, averages, code_frame, cross_validate, label_matrix, load_theme_gold, score_labels,
    )
    from .analysis.themes import load_themes
    from .paths import ANNOTATIONS_DIR

    lines = ["## Policy-theme coding accuracy", ""]
    try:
        path = Path(gold_path) if gold_path is not None else _default_root() / ANNOTATIONS_DIR / "themes_dev.csv"
    except FileNotFoundError:
        path = None
    if path is None or not path.is_file():
        return "\n".join(lines + ["Not measured for this release: the hand-coded theme sample "
                                  "(`data/annotations/themes_dev.csv`) was not found.", ""]) + "\n"
    gold = load_theme_gold(path)
    theme_ids = load_themes()["theme"].tolist()
    scores = score_labels(label_matrix(gold["themes"], theme_ids), code_frame(gold, CHOSEN_METHOD), theme_ids)
    avg = averages(scores)
    from .analysis.cross_city import DEFAULTS
    from .stats_tables import theme_check

    if processed_dir is not None:
        cv = theme_check(processed_dir, path, seed=DEFAULTS["seed"], n_repeats=CV_REPEATS)[0].summary
    else:
        cv = cross_validate(gold, n_repeats=CV_REPEATS, seed=DEFAULTS["seed"]).summary
    lines += [
        f"Each policy sentence is coded with the themes of `qualitylib/data/themes.csv` by the `{CHOSEN_METHOD}` "
        "method (keywords with exclusions; names, cited titles, agency notes and front matter ignored; a section "
        "heading about one theme passes it to its sentences), chosen by cross-validation against the hand coding "
        f"of {len(gold)} sentences of the seed documents (`{path.name}`, two independent coders; rules in "
        "`THEMES.md`). The supervised model (character n-grams and the dictionary's verdicts) is scored only on "
        "sentences it was not fitted on:",
        "",
        "| method | cross-validation | macro F1 | micro F1 |",
        "|---|---|---|---|",
        *[f"| {r.method} | {_CV_WORDS[(bool(r.fitted), r.scheme)].format(r=r.repeats)} | {r.macro_f1:.3f} | "
          f"{r.micro_f1:.3f} |" for r in cv.itertuples() if r.fitted or r.scheme == "kfold"],
        "",
        f"Per theme, `{CHOSEN_METHOD}`: **macro F1 {avg['macro_f1']:.3f}, micro F1 {avg['micro_f1']:.3f}** "
        f"(macro precision {avg['macro_precision']:.3f}, macro recall {avg['macro_recall']:.3f}).",
        "",
        "| theme | hand-coded | coded | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    fmt = lambda v: "–" if v != v else f"{v:.3f}"  # noqa: E731  (NaN -> dash)
    for r in scores.itertuples():
        lines.append(f"| {r.theme} | {r.n_gold} | {r.n_pred} | {fmt(r.precision)} | {fmt(r.recall)} | {fmt(r.f1)} |")
    lines += ["", "The rules were written while reading this sample's disagreements, so these scores are optimistic; "
              "a second hand-coded sample, kept apart, measures the coder independently "
              "(`qualitylib themes SENTENCES.csv -o OUT.csv --score`)."]
    return "\n".join(lines) + "\n"


def readme_text(processed_dir: str | Path, version: str, accuracy: Mapping[str, Any] | None = None) -> str:
    """Input: the processed folder, version and accuracy numbers. Output: README.md text."""
    folder = Path(processed_dir)
    files = _csv_files(folder)
    table_rows = []
    for p in files:
        header, rows = _read_csv(p)
        spec = TABLES.get(p.stem, {"description": ""})
        table_rows.append(f"| `{p.name}` | {len(rows)} | {len(header)} | {spec['description']} |")
    docs = []
    if (folder / "documents.csv").is_file():
        header, rows = _read_csv(folder / "documents.csv")
        get = lambda r, k: r[header.index(k)] if k in header and header.index(k) < len(r) else ""  # noqa: E731
        for r in rows:
            docs.append(f"| {get(r, 'city')} ({get(r, 'city_en')}) | {get(r, 'title')} | {get(r, 'issued')} | "
                        f"{get(r, 'horizon')} | {get(r, 'plan_type')} | `{get(r, 'sha256')[:12]}` |")
    parts = [
        f"# Quality-strong-city policy targets — data release {version}",
        "",
        "Quantitative targets that Chinese cities set in their quality-strong-city (质量强市) policy documents,",
        "mapped onto one indicator codebook so that cities can be compared, together with the sentences of the",
        "texts. Produced by `qualitylib` (`qualitylib run`); described for machines in `datapackage.json`",
        "(Frictionless data package: types, descriptions, keys) and citable via `CITATION.cff`.",
        "",
        "## Tables",
        "",
        "| file | rows | columns | content |",
        "|---|---|---|---|",
        *table_rows,
        "",
        "## What this data is",
        "",
        "* The targets **as written** in each document: a value, comparator, unit, kind (level, increment,",
        "  annual growth, increase by) and target year, with the quote and the line of the raw file it comes",
        "  from, so every number can be checked against the source.",
        "* A mapping of each target onto a common indicator `code` and measurement `series`; only targets with",
        "  the same code, series, unit and kind are comparable across cities.",
        "* The documents' sentences, used to describe what the texts talk about (policy emphasis).",
        "",
        "## What this data is not",
        "",
        "* Not official statistics, and not outcomes: a target is a promise in a policy text, not an achievement.",
        "* Not a complete inventory of a city's quality policy: one document per city, chosen from what was",
        "  available; cities issue several plans, and targets also live in other documents.",
        "* Not comparable across plan types without care: annual plans (targets for one year) and multi-year",
        "  plans (targets for the end of a period) are different kinds of promise.",
        "* Not hand-checked row by row: it is an automatic extraction with the accuracy reported below.",
        "",
        "## How it was made",
        "",
        "1. Raw texts (`data/raw/`) are decoded (encoding detection), repaired (mojibake, lost bytes), converted",
        "   to simplified Chinese and stripped of page boilerplate, keeping a map back to raw offsets.",
        "2. Metadata (city, issuer, dates, horizon, plan type) are inferred from the text and overridden by the",
        "   curated `data/metadata/documents.csv`.",
        "3. The body is split into sections and sentences; lead-agency notes are separated from policy content.",
        "4. Every number is classified (target vs date, document number, baseline ...); targets get an",
        "   indicator phrase, comparator, unit, kind and target year from cue words, and a code and series from",
        "   the codebook (`qualitylib/data/indicators.csv`, `series.csv`).",
        "5. The indicator table keeps one headline target per city and code.",
        "",
        "Source documents:",
        "",
        "| city | title | issued | horizon | plan type | raw sha256 |",
        "|---|---|---|---|---|---|",
        *docs,
        "",
        "## Extraction accuracy",
        "",
        _accuracy_section(accuracy),
        _theme_coding_section(processed_dir=processed_dir),
        "## Known limits",
        "",
        f"* {len(docs)} documents: enough to build and test the method, far too few to generalise about Chinese cities.",
        "* Targets in tables, images or attachments of the original web pages are not in the raw texts and are missed.",
        "* Some raw texts were damaged before collection (garbled or lost characters); repairs are counted in",
        "  `documents.n_repairs`, and characters that could not be recovered stay damaged.",
        "* The codebook covers the common indicator families (pass rates, satisfaction, standards, brands); other",
        "  targets are kept with `code = other` and are not compared.",
        "* Comparator and target year are read from nearby cue words; an unqualified number is read as 'at least',",
        "  and a missing year falls back to the plan's horizon.",
        "* Policy emphasis is keyword-based (dictionary in `qualitylib/data/themes.csv`): it counts mentions,",
        "  not commitments or budgets.",
        "",
        "## Sources",
        "",
        "`documents.csv` has `source_url`, `retrieved` and `source_site` for every document whose address and",
        "retrieval date were recorded when it was collected. They are empty for the five seed documents, which",
        "arrived as scraped text without their addresses; their title, issuer, 文号 and issue date identify them.",
        "",
        "## Licence",
        "",
        "The data are released under CC-BY-4.0 (the qualitylib code under MIT). The source documents are official",
        "documents of Chinese governments, which Article 5 of the Copyright Law of the People's Republic of China",
        "excludes from copyright protection; their sentences and quotes are reproduced on that basis. See",
        "`data/LICENSE.md` in the repository.",
        "",
        "## Citing",
        "",
        f"Cite the release as given in `CITATION.cff` (version {version}).",
        "",
    ]
    return "\n".join(parts)


def _yaml_str(s: str) -> str:
    return json.dumps(str(s), ensure_ascii=False)


def _release_settings(root: Path | None) -> dict[str, Any]:
    """``[tool.qualitylib.release]`` of pyproject.toml: release date and data licence."""
    return _pyproject(root).get("tool", {}).get("qualitylib", {}).get("release", {})


def citation_cff(version: str, root: Path | None = None) -> str:
    """Output: CITATION.cff text (CFF 1.2.0) for the data release ``version``: a dataset with its preferred
    citation, release date and licence (``[tool.qualitylib.release]`` of pyproject.toml), and the software
    that made it as a reference."""
    meta = _project_meta(root)
    settings = _release_settings(root)
    name = meta.get("name", "qualitylib")
    code_licence = (meta.get("license") or {}).get("text", "MIT") if isinstance(meta.get("license"), dict) else "MIT"
    data_licence = settings.get("data-license", "CC-BY-4.0")
    released = settings.get("date-released", "")
    authors = [a for a in (meta.get("authors") or []) if a.get("name")]
    author_lines = [f"  - name: {_yaml_str(a['name'])}" for a in authors] or ['  - name: "qualitylib contributors"']
    title = "Quality-strong-city (质量强市) policy targets of Chinese cities"
    lines = [
        "# This file is generated by qualitylib.release.write_release (qualitylib run); do not edit by hand.",
        "cff-version: 1.2.0",
        'message: "If you use this data release, please cite it as below."',
        "type: dataset",
        f"title: {_yaml_str(title)}",
        f"version: {_yaml_str(version)}",
        *([f"date-released: {_yaml_str(released)}"] if released else []),
        f"license: {_yaml_str(data_licence)}",
        "authors:",
        *author_lines,
        "abstract: >-",
        "  Quantitative targets of Chinese quality-strong-city (质量强市) and quality-improvement policy documents,",
        "  each with its quote and its place in the source text, mapped onto a common indicator table (one row per",
        "  plan, indicator, series, scope, kind and unit), with the sentences of the documents.",
        "keywords:",
        '  - "quality-strong city"',
        '  - "质量强市"',
        '  - "policy targets"',
        '  - "text as data"',
        '  - "China"',
        "preferred-citation:",
        "  type: dataset",
        f"  title: {_yaml_str(title)}",
        f"  version: {_yaml_str(version)}",
        *([f"  date-released: {_yaml_str(released)}"] if released else []),
        f"  license: {_yaml_str(data_licence)}",
        "  authors:",
        *["  " + line for line in author_lines],
        "references:",
        "  - type: software",
        f"    title: {_yaml_str(name)}",
        f"    version: {_yaml_str(version)}",
        f"    license: {_yaml_str(code_licence)}",
        "    authors:",
        *["    " + line for line in author_lines],
        "",
    ]
    return "\n".join(lines)


def write_release(processed_dir: str | Path, version: str, accuracy: Mapping[str, Any] | None = None, *,
                  citation_path: str | Path | None = None, root: str | Path | None = None) -> list[Path]:
    """Write ``datapackage.json`` and ``README.md`` into ``processed_dir`` and ``CITATION.cff`` to
    ``citation_path`` (default: ``<project root>/CITATION.cff``). Input: the folder holding the
    pipeline's CSVs, the release version (use ``qualitylib.__version__``), optional accuracy numbers
    (e.g. ``{"precision": 0.93, "recall": 0.88}``, or nested per table). Output: paths written."""
    folder = Path(processed_dir)
    if not folder.is_dir() or not any(folder.glob("*.csv")):
        raise FileNotFoundError(f"{folder} holds no CSV tables; run the pipeline first")
    root_path = Path(root) if root is not None else _default_root()
    cite = Path(citation_path) if citation_path is not None else root_path / "CITATION.cff"
    descriptor = datapackage_descriptor(folder, version)
    return [
        write_text_atomic(folder / "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"),
        write_text_atomic(folder / "README.md", readme_text(folder, version, accuracy)),
        write_text_atomic(cite, citation_cff(version, root_path)),
    ]

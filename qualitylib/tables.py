"""Reading and selecting the processed tables that the pipeline wrote (``data/processed/``).

Input side of every notebook and of the runner's per-city plan: the tables come in as DataFrames and
are narrowed to the cities asked for. Reading only: nothing here runs the pipeline or writes a file.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from .analysis.indicator_table import chronological, place_key

PROCESSED_TABLES = ("documents", "sentences", "targets", "indicator_table", "codebook")
NATIONAL_COLUMNS = ("horizon", "code", "series", "comparator", "value", "unit", "source_zh", "source_en")


def _norm_list(cities: Sequence[str] | str | None) -> list[str]:
    if cities is None:
        return []
    if isinstance(cities, str):
        return [cities] if cities.strip() else []
    return [str(c) for c in cities if str(c).strip()]


def filter_cities(frame: pd.DataFrame, cities: Sequence[str] | str | None) -> pd.DataFrame:
    """Input: a frame with ``city`` (and usually ``city_en``) and a list of city names in Chinese or
    pinyin (empty/None = all). Output: the rows of those cities. Unknown names raise ValueError
    listing the known ones, so a typo in a parameter fails loudly instead of giving empty figures."""
    wanted = _norm_list(cities)
    if not wanted or frame.empty:
        return frame
    known_zh = set(frame["city"].dropna().astype(str))
    known_en = set(frame["city_en"].dropna().astype(str)) if "city_en" in frame.columns else set()
    unknown = [c for c in wanted if c not in known_zh and c not in known_en]
    if unknown:
        known = sorted(zip(frame["city"].astype(str), frame.get("city_en", frame["city"]).astype(str)))
        raise ValueError(f"unknown city name(s) {unknown}; known: {sorted(set(known))}")
    mask = frame["city"].astype(str).isin(wanted)
    if "city_en" in frame.columns:
        mask |= frame["city_en"].astype(str).isin(wanted)
    return frame[mask]


def load_processed(processed_dir: str | os.PathLike[str],
                   cities: Sequence[str] | str | None = None) -> dict[str, pd.DataFrame]:
    """Input: the folder written by :func:`qualitylib.pipeline.write_tables` and an optional city
    filter. Output: dict ``documents, sentences, targets, indicator_table, codebook`` with the rows
    of other cities dropped. Raises ``FileNotFoundError`` naming the folder and the missing tables
    when the pipeline has not been run (``qualitylib run`` writes them)."""
    tables = ProcessedTables(processed_dir, cities)
    return {name: tables[name] for name in PROCESSED_TABLES}


#: The columns that decide a row's place: the city filter and the names of unknown places read them.
PLACE_COLUMNS = ("doc_id", "city", "city_en")


class ProcessedTables(Mapping):
    """The tables of :func:`load_processed`, each read from its CSV the first time it is looked up, so a
    notebook that never touches ``sentences`` never reads it. ``columns``: table -> the only columns
    to give (and read); ``on_read(table, columns)`` is told what was read (``columns`` None: all), so a
    run can tell which inputs a notebook's results depend on (:mod:`qualitylib.notebook_reads`).
    Missing tables and unknown city names raise at once, as :func:`load_processed` does."""

    def __init__(self, processed_dir: str | os.PathLike[str], cities: Sequence[str] | str | None = None, *,
                 columns: Mapping[str, Sequence[str]] | None = None, on_read=None) -> None:
        self.folder = Path(processed_dir)
        self.cities = _norm_list(cities)
        self.columns = {name: list(cols) for name, cols in (columns or {}).items()}
        self._on_read = on_read
        self._frames: dict[str, pd.DataFrame] = {}
        unknown = sorted(set(self.columns) - set(PROCESSED_TABLES))
        if unknown:
            raise ValueError(f"columns given for unknown table(s) {unknown}; the tables are {list(PROCESSED_TABLES)}")
        missing = [t for t in PROCESSED_TABLES if not (self.folder / f"{t}.csv").is_file()]
        if missing:
            raise FileNotFoundError(f"{self.folder} lacks {', '.join(t + '.csv' for t in missing)}; "
                                    "run `qualitylib run` (or `make run`) first")
        self._keep: set[str] | None = None
        if self.cities:
            # one filter on documents validates the names; the others follow by city
            places = self._read("documents", list(PLACE_COLUMNS))
            self._keep = set(filter_cities(places, self.cities)["city"].astype(str))

    def _read(self, name: str, columns: list[str] | None) -> pd.DataFrame:
        path = self.folder / f"{name}.csv"
        wanted = None
        if columns is not None:
            header = list(pd.read_csv(path, nrows=0).columns)
            absent = [c for c in columns if c not in header]
            if absent:
                raise KeyError(f"{path} has no column(s) {absent}; it has {header}")
            wanted = [c for c in header if c in set(columns) | set(PLACE_COLUMNS)]
        frame = pd.read_csv(path, usecols=wanted)
        if self._on_read is not None:
            self._on_read(name, wanted)
        return name_unknown_places(frame)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in PROCESSED_TABLES:
            raise KeyError(f"no processed table {name!r}; the tables are {list(PROCESSED_TABLES)}")
        if name not in self._frames:
            frame = self._read(name, self.columns.get(name))
            if self._keep is not None and name != "codebook":
                frame = frame[frame["city"].astype(str).isin(self._keep)].reset_index(drop=True)
            if name in self.columns:
                frame = frame[self.columns[name]]
            self._frames[name] = frame
        return self._frames[name]

    def __iter__(self):
        return iter(PROCESSED_TABLES)

    def __len__(self) -> int:
        return len(PROCESSED_TABLES)


def load_sentences(processed_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """Input: the processed-data folder. Output: ``sentences.csv`` of every place, as
    :func:`load_processed` gives it without a city filter (the same frame, so a result computed from
    one is a result of the other: see :mod:`qualitylib.computed`)."""
    return name_unknown_places(pd.read_csv(Path(processed_dir) / "sentences.csv"))


UNKNOWN_PLACE = ("地点不明", "unknown place")


def name_unknown_places(frame: pd.DataFrame) -> pd.DataFrame:
    """Input: a processed table with ``doc_id``, ``city``, ``city_en``. Output: the same rows, where a
    plan whose place could not be inferred gets a display name of its own (``地点不明 <doc_id>`` /
    ``unknown place <doc_id>``) so figures and profiles can show it; the CSVs keep the empty cell."""
    if frame.empty or "city" not in frame.columns or "doc_id" not in frame.columns:
        return frame
    missing = frame["city"].isna() | (frame["city"].astype(str).str.strip() == "")
    if not missing.any():
        return frame
    frame = frame.copy()
    frame["city"] = frame["city"].astype(object)
    frame.loc[missing, "city"] = UNKNOWN_PLACE[0] + " " + frame.loc[missing, "doc_id"].astype(str)
    if "city_en" in frame.columns:
        frame["city_en"] = frame["city_en"].astype(object)
        frame.loc[missing, "city_en"] = UNKNOWN_PLACE[1] + " " + frame.loc[missing, "doc_id"].astype(str)
    return frame


def policy_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Input: sentences.csv rows. Output: the rows used for policy emphasis -- ``role == 'policy'``
    with non-empty text (a sentence that was only a lead-agency note has empty text once the note
    is moved to ``agencies``; counting it would dilute every share)."""
    s = sentences[sentences["role"] == "policy"] if "role" in sentences.columns else sentences
    text = s["text"].fillna("").astype(str).str.strip()
    return s[text != ""].reset_index(drop=True)


def load_national(path: str | os.PathLike[str] | None) -> pd.DataFrame:
    """Input: path to ``national_targets.csv`` (may be missing). Output: its rows (columns at least
    ``NATIONAL_COLUMNS``), or an empty frame with those columns when the file does not exist --
    figures then say that there is no comparable national target."""
    if path is None or not Path(path).is_file():
        return pd.DataFrame(columns=list(NATIONAL_COLUMNS))
    nat = pd.read_csv(path)
    missing = [c for c in ("horizon", "code", "series", "value") if c not in nat.columns]
    if missing:
        raise ValueError(f"{path} lacks column(s) {missing}; it has {list(nat.columns)}")
    for c in NATIONAL_COLUMNS:
        if c not in nat.columns:
            nat[c] = pd.NA
    return nat


def city_slug(name: str) -> str:
    """File-name-safe form of a pinyin city name: ``Tai'an`` -> ``Taian``."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "", unicodedata.normalize("NFKD", str(name)))
    return slug or "city"


def plan_slugs(documents: pd.DataFrame) -> dict[str, str]:
    """Input: documents.csv rows. Output: doc_id -> a file-name-safe name for the plan's reports and
    figures, unique across the corpus. The pinyin display name alone when it is unique (``Taian``);
    jurisdictions whose pinyin repeats (泰州 and 台州 are both Taizhou) add their administrative code
    (or province pinyin); several plans of one jurisdiction add the horizon, then the doc_id."""
    docs = documents.astype(object).fillna("")
    base = {r.doc_id: city_slug(r.city_en or r.city or r.doc_id) for r in docs.itertuples()}
    place = dict(zip(documents["doc_id"], place_key(documents)))
    out = dict(base)
    by_slug: dict[str, list[str]] = {}
    for doc_id, slug in base.items():
        by_slug.setdefault(slug, []).append(doc_id)
    for slug, ids in by_slug.items():
        if len({place[i] for i in ids}) > 1:  # different places, same pinyin
            for i in ids:
                # the place key is the adcode where known; a name (no code) is hashed into ASCII
                key = place[i]
                out[i] = f"{slug}-{key if key.isdigit() else _hash(key)}"
    by_slug = {}
    for doc_id, slug in out.items():
        by_slug.setdefault(slug, []).append(doc_id)
    horizons = dict(zip(docs["doc_id"], docs["horizon"].astype(str).str.replace(r"\.0$", "", regex=True)))
    for slug, ids in by_slug.items():
        if len(ids) > 1:  # several plans of one place
            for i in ids:
                out[i] = f"{slug}-{horizons.get(i) or ''}".rstrip("-")
            if len({out[i] for i in ids}) < len(ids):
                for i in ids:
                    out[i] = f"{slug}-{city_slug(i)}"
    return out


def _hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def pick_plan(documents: pd.DataFrame, *, plan: str = "", city: str = "") -> pd.Series:
    """Input: documents.csv rows, a plan's doc_id and/or a jurisdiction's name (Chinese or pinyin).
    Output: that plan's row -- the named plan; else the jurisdiction's latest plan (horizon, then issue
    date); else, with neither given, the first plan by pinyin. Raises ValueError naming the known plans
    when nothing matches."""
    if documents.empty:
        raise ValueError("there is no document: run the pipeline on at least one raw file")
    if str(plan).strip():
        rows = documents[documents["doc_id"].astype(str) == str(plan).strip()]
        if rows.empty:
            raise ValueError(f"unknown plan {plan!r}; known doc_ids: {sorted(documents['doc_id'].astype(str))}")
        return rows.iloc[0]
    if str(city).strip():
        return chronological(filter_cities(documents, [city])).iloc[-1]
    order = documents.assign(_en=documents["city_en"].astype("string").fillna(""))
    return order.sort_values(["_en", "city", "doc_id"], kind="mergesort").iloc[0].drop("_en")

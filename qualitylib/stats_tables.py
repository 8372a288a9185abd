"""The cross-city statistics as stored tables: written once per run beside the processed data, read
by every notebook that compares cities.

``<processed_dir>/stats/<table>.csv`` for each table of
:data:`qualitylib.analysis.cross_city.TABLES`, and ``parameters.json``: the parameters they were
computed with and the SHA-256 of the ``sentences.csv`` they were computed from. A notebook asks
:func:`statistics` for the tables with its own parameters: when they match what is stored (and the
comparison is the whole corpus) it reads them; otherwise (an analyst changed ``n_boot`` or chose a
few cities in JupyterLab) it computes them itself with the same code and says so.
"""
from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# the analysis modules (SciPy, scikit-learn) are imported where they are used: the runner imports this
# module, and a run that finds everything up to date never computes a statistic
from .atomic import write_csv_atomic, write_text_atomic
from .records import file_digest

__all__ = ["STATS_DIR", "PARAMETERS_FILE", "stats_dir", "write_statistics", "load_statistics", "statistics",
           "theme_check", "theme_check_files", "statistics_files"]

STATS_DIR = "stats"
PARAMETERS_FILE = "parameters.json"


def stats_dir(processed_dir: str | os.PathLike[str]) -> Path:
    """Input: the processed-data folder. Output: the folder of the stored statistics."""
    return Path(processed_dir) / STATS_DIR


def _record(processed_dir: Path, params: Mapping[str, Any]) -> dict[str, Any]:
    from .analysis.cross_city import statistics_parameters

    return {"parameters": statistics_parameters(params),
            "sentences_sha256": file_digest(processed_dir / "sentences.csv")}


#: Beside the processed tables: the theme coding of each document's sentences, by their content.
DOCUMENT_CODING_DIR = ".qualitylib-cache/coded-documents"


def code_by_document(sentences: pd.DataFrame, folder: str | os.PathLike[str]) -> pd.DataFrame:
    """Input: policy sentences of many documents (rows of a document together, as ``sentences.csv``
    has them) and a cache folder. Output: :func:`qualitylib.analysis.themes.code_sentences` of them,
    the same frame, made from each document's coding stored in ``folder`` by the document's rows (and
    the code); the documents not stored are coded together and stored. A sentence's coding reads only
    its own document (its text, its section headings), so the parts are the whole; rows of one
    document that are not together are coded all at once. Entries of documents no longer present are
    deleted."""
    import hashlib
    import pickle

    from .analysis import themes
    from .atomic import write_bytes_atomic
    from .records import code_fingerprint, exact_digest

    doc_ids = sentences["doc_id"].astype(str)
    starts = doc_ids.ne(doc_ids.shift()).cumsum()
    if sentences.empty or starts.iloc[-1] != doc_ids.nunique():
        return themes.code_sentences(sentences)
    folder = Path(folder)
    salt = exact_digest("coded document", code_fingerprint(), pd.__version__, np.__version__,
                        repr([(str(c), str(t)) for c, t in sentences.dtypes.items()]))
    # one 64-bit hash per row (all columns), hashed once for the corpus; a document's key is its rows'
    row_hashes = pd.util.hash_pandas_object(sentences, index=False).to_numpy()
    rows, paths = {}, {}
    groups = sorted(sentences.groupby(doc_ids, sort=False).indices.items(), key=lambda item: item[1][0])
    for doc, positions in groups:  # in the order of the rows
        rows[doc] = sentences.iloc[positions].reset_index(drop=True)
        key = hashlib.sha256(salt.encode("ascii") + row_hashes[positions].tobytes()).hexdigest()
        paths[doc] = folder / f"{key[:32]}.pkl"
    parts: dict[str, pd.DataFrame] = {}
    for doc, path in paths.items():
        try:
            parts[doc] = pd.read_pickle(path)
        except Exception:  # noqa: BLE001 - missing or damaged: coded again below
            pass
    missing = [doc for doc in rows if doc not in parts]
    if missing:
        fresh = themes.code_sentences(pd.concat([rows[d] for d in missing], ignore_index=True))
        for doc, frame in fresh.groupby(fresh["doc_id"].astype(str), sort=False):
            parts[doc] = frame.reset_index(drop=True)
            write_bytes_atomic(paths[doc], pickle.dumps(parts[doc], protocol=pickle.HIGHEST_PROTOCOL), sync=False)
    keep = {p.name for p in paths.values()}
    for old in folder.glob("*.pkl"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return pd.concat([parts[doc] for doc in rows], ignore_index=True)


#: Beside the tables: what each part of them was made from, so that a run after a change that left the
#: theme coding as it was (a number in a target) keeps the tables made from the coding.
PARTS_FILE = ".parts.json"


def write_statistics(processed_dir: str | os.PathLike[str], params: Mapping[str, Any] | None = None, *,
                     progress: Callable[[str], None] | None = None) -> list[Path]:
    """Input: the processed-data folder (``sentences.csv`` of the whole corpus) and the run's
    parameters. Output: the paths of the statistics -- one CSV per table and ``parameters.json``
    (written last, so a run killed half-way leaves no record claiming the tables are complete).

    The tables come in two parts: those made from the theme coding of the sentences
    (:data:`~qualitylib.analysis.cross_city.THEME_TABLES`) and the TF-IDF terms, made from their text.
    A part whose input (the coded sentences, or the sentences; by their full content), parameters
    and code are those it was last made from, with its files intact, is kept as it is: a changed
    number in a target changes the text but not the coding, and the bootstraps are not redone."""
    from .analysis import themes
    from .analysis.cross_city import THEME_TABLES, cities_compared, theme_tables, tfidf_input, tfidf_tables
    from .records import code_fingerprint, exact_digest
    from .computed import computed
    from .tables import load_sentences, policy_sentences

    say = progress or (lambda name: None)
    folder = Path(processed_dir)
    out = stats_dir(folder)
    sentences = policy_sentences(load_sentences(folder))
    p = _record(folder, params or {})["parameters"]
    try:
        before = json.loads((out / PARTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}

    def kept(part: str, key: str, names: Sequence[str]) -> bool:
        entry = before.get(part, {})
        files = [out / f"{name}.csv" for name in names]
        return (entry.get("key") == key and all(f.is_file() for f in files)
                and entry.get("files") == {f.name: file_digest(f) for f in files})

    say("theme coding")
    # stored by its input: notebook 05 codes the same sentences and reads this result; made from each
    # document's stored coding, so after one document changed only that one is coded again
    coded = computed(folder, themes.code_sentences, sentences,
                     make=lambda: code_by_document(sentences, folder / DOCUMENT_CODING_DIR))
    parts: dict[str, dict[str, Any]] = {}
    written: list[Path] = []
    theme_key = exact_digest("theme tables", code_fingerprint(), p, coded)
    if kept("themes", theme_key, THEME_TABLES):
        say("theme tables: the coding did not change, kept")
        n_cities = int(pd.read_csv(out / "theme_shares.csv", usecols=["city"])["city"].nunique())
    else:
        made = theme_tables(coded, p, progress=progress)
        written += [write_csv_atomic(made[name], out / f"{name}.csv") for name in THEME_TABLES]
        n_cities = cities_compared(made)
    # keyed on the letters of the text: a changed number moves no TF-IDF score
    made_from = tfidf_input(sentences, n_cities=n_cities)
    tfidf_key = exact_digest("tfidf", code_fingerprint(), p, made_from)
    if kept("tfidf", tfidf_key, ["tfidf_terms"]):
        say("tfidf_terms: the words of the text did not change, kept")
    else:
        made = tfidf_tables(sentences, p, n_cities=n_cities, progress=progress, made_from=made_from)
        written.append(write_csv_atomic(made["tfidf_terms"], out / "tfidf_terms.csv"))
    for part, key, names in (("themes", theme_key, THEME_TABLES), ("tfidf", tfidf_key, ["tfidf_terms"])):
        parts[part] = {"key": key, "files": {f"{n}.csv": file_digest(out / f"{n}.csv") for n in names}}
    write_text_atomic(out / PARTS_FILE, json.dumps(parts, indent=1, sort_keys=True) + "\n")
    record = json.dumps(_record(folder, params or {}), indent=1, sort_keys=True, ensure_ascii=False)
    write_text_atomic(out / PARAMETERS_FILE, record + "\n")
    return statistics_files(folder) + [out / PARAMETERS_FILE]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Themes back to a categorical in dictionary order, as the computed tables have them."""
    if "theme" in frame.columns:
        from .analysis.theme_dictionary import load_themes

        known = list(load_themes()["theme"])
        extra = sorted(set(frame["theme"].astype(str)) - set(known))
        frame["theme"] = pd.Categorical(frame["theme"].astype(str), categories=known + extra)
    return frame


def _read(source: Any) -> pd.DataFrame:
    try:
        return _typed(pd.read_csv(source))
    except pd.errors.EmptyDataError:  # a table that needs more cities than the corpus has
        return pd.DataFrame()


def load_statistics(processed_dir: str | os.PathLike[str], params: Mapping[str, Any] | None = None
                    ) -> dict[str, pd.DataFrame] | None:
    """Input: the processed-data folder and the parameters the caller wants (those it does not name
    may have any value). Output: the stored tables, or None when there are none, or they were computed
    with other values of those parameters or from another ``sentences.csv``."""
    folder = Path(processed_dir)
    record_path = stats_dir(folder) / PARAMETERS_FILE
    if not record_path.is_file() or not (folder / "sentences.csv").is_file():
        return None
    try:
        stored = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    from .analysis.cross_city import TABLES, statistics_parameters

    wanted = {k: v for k, v in statistics_parameters(params).items() if params and k in params}
    stored_params = stored.get("parameters", {})
    if (stored.get("sentences_sha256") != file_digest(folder / "sentences.csv")
            or any(stored_params.get(k) != v for k, v in json.loads(json.dumps(wanted)).items())):
        return None
    paths = dict(zip(TABLES, statistics_files(folder)))
    if not all(p.is_file() for p in paths.values()):
        return None
    return {name: _read(p) for name, p in paths.items()}


def statistics(processed_dir: str | os.PathLike[str], params: Mapping[str, Any] | None = None, *,
               sentences: pd.DataFrame | Callable[[], pd.DataFrame] | None = None, cities: Sequence[str] = ()
               ) -> tuple[dict[str, pd.DataFrame], str]:
    """The cross-city statistics a notebook needs. Input: the processed-data folder, the notebook's
    parameters, and -- when the notebook compares only some cities -- those cities' names and their
    policy sentences (a frame, or a function returning it, called only when they are needed). Output: (tables, a sentence saying where they come from). Stored tables are used when
    they fit the parameters and the whole corpus is compared; otherwise they are computed here."""
    if not cities:
        stored = load_statistics(processed_dir, params)
        if stored is not None:
            return stored, f"cross-city statistics read from {stats_dir(processed_dir)}"
        reason = "no stored statistics match these parameters and tables"
    else:
        reason = f"the comparison is limited to {', '.join(cities)}"
    if sentences is None:
        from .tables import load_sentences, policy_sentences

        sentences = policy_sentences(load_sentences(processed_dir))
    elif callable(sentences):
        sentences = sentences()
    from .analysis.cross_city import cross_city_tables

    tables = cross_city_tables(sentences, params)
    # round-trip through the stored form, so a computed table and a stored one look the same
    return {name: _read(io.StringIO(frame.to_csv(index=False, lineterminator="\n")))
            for name, frame in tables.items()}, f"computed here: {reason}"


# ----------------------------------------------------------------------------------------------
# the theme coder checked against the hand coding: independent of the corpus, computed once
# ----------------------------------------------------------------------------------------------
THEME_CHECK_FILE = "theme_check.json"
_THEME_CHECKS: dict[str, Any] = {}  # in this process (tests write many releases): computed once


def _theme_check_key(gold_path: Path, seed: int, n_repeats: int) -> dict[str, Any]:
    return {"gold_sha256": file_digest(gold_path), "seed": int(seed), "n_repeats": int(n_repeats)}


def theme_check(processed_dir: str | os.PathLike[str], gold_path: str | os.PathLike[str], *, seed: int,
                n_repeats: int = 10, write: bool = False) -> tuple[Any, str]:
    """The cross-validation of the theme-coding methods against the hand-coded sample
    (:func:`qualitylib.analysis.theme_evaluation.cross_validate`): it fits a model dozens of times, so
    the release and notebook 03 (in every language) share one result, stored in the statistics folder.
    Input: the processed-data folder, the sample, seed and repeats; ``write``: compute and store (the
    run does, when it writes the release); otherwise read what is stored for this sample, seed and
    repeats, or compute without storing (a notebook). Output: (``CVResult``, where it came from)."""
    from .analysis.theme_evaluation import CVResult, cross_validate, load_theme_gold

    folder = stats_dir(processed_dir)
    key = _theme_check_key(Path(gold_path), seed, n_repeats)
    record = folder / THEME_CHECK_FILE
    paths = (folder / "theme_check_summary.csv", folder / "theme_check_per_theme.csv")
    try:
        stored = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else None
    except ValueError:
        stored = None
    # the run (write=True) always computes: its record redoes the release when the code changed, and the
    # stored key leaves the code out, so that the committed file does not change with every commit
    if not write and stored == key and all(p.is_file() for p in paths):
        return CVResult(pd.read_csv(paths[0]), pd.read_csv(paths[1])), f"theme-coding check read from {folder}"
    from .records import code_fingerprint

    memo = json.dumps({**key, "code": code_fingerprint()}, sort_keys=True)
    if memo not in _THEME_CHECKS:
        _THEME_CHECKS[memo] = cross_validate(load_theme_gold(gold_path), n_repeats=n_repeats, seed=seed)
    result = _THEME_CHECKS[memo]
    if write:
        write_csv_atomic(result.summary, paths[0])
        write_csv_atomic(result.per_theme, paths[1])
        write_text_atomic(record, json.dumps(key, indent=1, sort_keys=True) + "\n")
    # through CSV, so a computed result and a stored one are the same frames
    return (CVResult(*(pd.read_csv(io.StringIO(f.to_csv(index=False))) for f in result)),
            "theme-coding check computed here")


def statistics_files(processed_dir: str | os.PathLike[str]) -> list[Path]:
    """The tables :func:`write_statistics` stores (one CSV per table of
    :data:`~qualitylib.analysis.cross_city.TABLES`), whether or not they exist yet."""
    from .analysis.cross_city import TABLES

    return [stats_dir(processed_dir) / f"{name}.csv" for name in TABLES]


def theme_check_files(processed_dir: str | os.PathLike[str]) -> list[Path]:
    """The files :func:`theme_check` stores (those that exist)."""
    folder = stats_dir(processed_dir)
    return [p for p in (folder / "theme_check_summary.csv", folder / "theme_check_per_theme.csv",
                        folder / THEME_CHECK_FILE) if p.is_file()]

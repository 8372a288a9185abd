"""How well does the theme coding agree with a hand coding? Per-theme precision, recall and F1, and a
cross-validated comparison of the dictionary with a supervised model.

The hand coding (``data/annotations/themes_dev.csv``, rules in ``THEMES.md``) has one row per
sentence with ``text``, ``section_path``, ``doc_id`` and ``themes`` (``|``-joined theme codes of
``qualitylib/data/themes.csv``; empty = none). Methods compared:

* ``keywords`` -- every keyword of the dictionary as a plain substring (agency notes cut): the
  coder as it was before the rules;
* ``dictionary_no_headings`` -- the rules of :mod:`qualitylib.analysis.theme_dictionary` without
  section headings;
* ``dictionary`` -- all rules, front matter out of scope: the coder in use (:data:`CHOSEN_METHOD`);
* ``model`` -- :mod:`qualitylib.analysis.theme_model`, character n-grams plus the dictionary's
  verdicts, fitted on the training folds only.

Rules have nothing to fit, so their cross-validated score is their score on the whole sample; the
model is scored only on sentences it was not fitted on (repeated k-fold stratified by document, and
leave-one-document-out). Caveat, stated wherever the numbers are shown: the rules were written
while reading this sample's disagreements, so their score here is optimistic; the second,
held-back sample measures them fairly.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..text.agency_notes import strip_agency_notes
from .theme_dictionary import load_themes

__all__ = [
    "CHOSEN_METHOD",
    "METHODS",
    "load_theme_gold",
    "label_matrix",
    "join_labels",
    "score_labels",
    "score_labels_from_counts",
    "averages",
    "code_frame",
    "CVResult",
    "cross_validate",
]

#: the coder used by the notebooks and ``qualitylib themes`` (chosen by cross-validation: notebook 03)
CHOSEN_METHOD = "dictionary"
METHODS: tuple[str, ...] = ("keywords", "dictionary_no_headings", "dictionary", "model")
_FITTED = {"model"}


# --------------------------------------------------------------------------------------------
# gold and labels
# --------------------------------------------------------------------------------------------
def load_theme_gold(path: str | os.PathLike[str], themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read a hand-coded theme sample.

    Input: a CSV with at least ``text`` and ``themes`` (``section_path``, ``doc_id`` used when
    present). Output: the rows as strings (empty cells ``''``), ``section_path`` and ``doc_id``
    added empty when absent. ValueError naming the file when a column is missing or a theme code
    is not one of the dictionary's."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("text", "themes") if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; it has {list(frame.columns)}")
    for col in ("section_path", "doc_id"):
        if col not in frame.columns:
            frame[col] = ""
    known = set((load_themes() if themes is None else themes)["theme"])
    used = {t for cell in frame["themes"] for t in cell.split("|") if t}
    unknown = sorted(used - known)
    if unknown:
        raise ValueError(f"{path}: theme code(s) {unknown} are not in qualitylib/data/themes.csv "
                         f"(known: {sorted(known)})")
    return frame


def label_matrix(labels: Iterable[str], theme_ids: Sequence[str]) -> np.ndarray:
    """Input: ``|``-joined theme codes per sentence and the theme order. Output: (n x themes) 0/1."""
    index = {t: j for j, t in enumerate(theme_ids)}
    rows = list(labels)
    out = np.zeros((len(rows), len(theme_ids)), dtype=int)
    for i, cell in enumerate(rows):
        for t in str(cell).split("|"):
            if t:
                if t not in index:
                    raise ValueError(f"unknown theme code {t!r}")
                out[i, index[t]] = 1
    return out


def join_labels(matrix: np.ndarray, theme_ids: Sequence[str]) -> list[str]:
    """Inverse of :func:`label_matrix`: one ``|``-joined string per row ('' for none)."""
    return ["|".join(t for t, v in zip(theme_ids, row) if v) for row in np.asarray(matrix)]


def score_labels(gold: np.ndarray, pred: np.ndarray, theme_ids: Sequence[str]) -> pd.DataFrame:
    """Per-theme agreement of predicted with hand-coded labels.

    Input: two (n x themes) 0/1 arrays and the theme order. Output: DataFrame, one row per theme,
    columns ``theme, n_gold, n_pred, tp, fp, fn, precision, recall, f1`` (precision is NaN when
    nothing was predicted, recall when the theme never occurs; F1 is 0 when both are undefined
    or zero, and NaN only when the theme neither occurs nor is predicted)."""
    gold, pred = np.asarray(gold, dtype=int), np.asarray(pred, dtype=int)
    if gold.shape != pred.shape or gold.shape[1] != len(theme_ids):
        raise ValueError(f"gold {gold.shape} and pred {pred.shape} must both be n x {len(theme_ids)}")
    counts = np.column_stack([(gold & pred).sum(axis=0), ((1 - gold) & pred).sum(axis=0),
                              (gold & (1 - pred)).sum(axis=0)])
    return score_labels_from_counts(counts, theme_ids)


def averages(scores: pd.DataFrame) -> dict[str, float]:
    """Input: :func:`score_labels` output. Output: ``macro_precision, macro_recall, macro_f1``
    (means over themes that occur or are predicted) and ``micro_precision, micro_recall, micro_f1``
    (from the pooled counts)."""
    tp, fp, fn = (float(scores[c].sum()) for c in ("tp", "fp", "fn"))
    return {
        "macro_precision": float(scores["precision"].mean()),
        "macro_recall": float(scores["recall"].mean()),
        "macro_f1": float(scores["f1"].mean()),
        "micro_precision": tp / (tp + fp) if tp + fp else float("nan"),
        "micro_recall": tp / (tp + fn) if tp + fn else float("nan"),
        "micro_f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan"),
    }


# --------------------------------------------------------------------------------------------
# coding a frame with a rule-based method
# --------------------------------------------------------------------------------------------
def _paths(frame: pd.DataFrame) -> list[object] | None:
    return frame["section_path"].tolist() if "section_path" in frame.columns else None


def code_frame(frame: pd.DataFrame, method: str = CHOSEN_METHOD, themes: pd.DataFrame | None = None) -> np.ndarray:
    """Code any frame with a ``text`` column (``section_path`` used when present) by a rule-based
    method. Output: (n x themes) 0/1 array, rows in input order, themes in dictionary order."""
    from .themes import code_sentences

    themes = load_themes() if themes is None else themes
    texts = frame["text"].fillna("").astype(str).tolist()
    if method == "keywords":
        clean = [strip_agency_notes(t) for t in texts]
        return np.array([[int(any(k in t for k in kws)) for kws in themes["keyword_list"]] for t in clean],
                        dtype=int).reshape(len(texts), len(themes))
    if method not in ("dictionary", "dictionary_no_headings"):
        raise ValueError(f"unknown rule-based method {method!r}; choose from keywords, dictionary, "
                         "dictionary_no_headings")
    if not texts:
        return np.zeros((0, len(themes)), dtype=int)
    sentences = pd.DataFrame({"doc_id": "d", "city": "c", "sentence_id": np.arange(len(texts)), "text": texts})
    if "section_path" in frame.columns:
        sentences["section_path"] = frame["section_path"].tolist()
    coded = code_sentences(sentences, themes, use_headings=method == "dictionary")
    return coded["hit"].to_numpy(dtype=int).reshape(len(texts), len(themes))


# --------------------------------------------------------------------------------------------
# cross-validation
# --------------------------------------------------------------------------------------------
class CVResult(NamedTuple):
    """``summary``: one row per method x scheme (mean and sd of macro/micro F1 over repeats);
    ``per_theme``: per method x scheme x theme, precision/recall/F1 from counts pooled over repeats."""

    summary: pd.DataFrame
    per_theme: pd.DataFrame


def _splits(gold: pd.DataFrame, scheme: str, n_splits: int, n_repeats: int, seed: int):
    """Yield, per repeat, a list of (train_idx, test_idx)."""
    n = len(gold)
    if scheme == "lodo":
        docs = sorted(set(gold["doc_id"]))
        yield [(np.flatnonzero(gold["doc_id"].to_numpy() != d), np.flatnonzero(gold["doc_id"].to_numpy() == d))
               for d in docs]
        return
    from sklearn.model_selection import KFold, StratifiedKFold

    strata = gold["doc_id"].to_numpy()
    counts = pd.Series(strata).value_counts()
    for r in range(n_repeats):
        if len(counts) > 1 and counts.min() >= n_splits:
            folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed + r).split(np.zeros(n), strata)
        else:
            folds = KFold(n_splits, shuffle=True, random_state=seed + r).split(np.zeros(n))
        yield list(folds)


def cross_validate(gold: pd.DataFrame, methods: Sequence[str] = METHODS, *, n_splits: int = 5,
                   n_repeats: int = 10, seed: int = 0, schemes: Sequence[str] = ("kfold", "lodo"),
                   themes: pd.DataFrame | None = None) -> CVResult:
    """Compare coding methods on a hand-coded sample.

    Input: :func:`load_theme_gold` output; methods from :data:`METHODS`; ``n_splits``-fold CV
    repeated ``n_repeats`` times (folds stratified by ``doc_id``, seeded by ``seed + repeat``) and
    leave-one-document-out (``lodo``, when the sample has a ``doc_id`` with >= 2 documents).
    Rule-based methods are fitted on nothing, so every fold gives the same predictions.

    Output: :class:`CVResult`. Deterministic for a given ``seed``."""
    from .theme_model import fit_theme_model_on, sentence_features

    themes = load_themes() if themes is None else themes
    theme_ids = themes["theme"].tolist()
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from {list(METHODS)}")
    if len(gold) < n_splits:
        raise ValueError(f"the sample has {len(gold)} sentences, fewer than {n_splits} folds")
    Y = label_matrix(gold["themes"], theme_ids)
    texts = gold["text"].tolist()
    paths = gold["section_path"].tolist() if "section_path" in gold.columns else None
    has_docs = "doc_id" in gold.columns and gold["doc_id"].nunique() >= 2
    features = None  # the model's per-sentence features, computed once for every fold
    summary, per_theme = [], []
    for method in methods:
        fixed = None if method in _FITTED else code_frame(gold, method, themes)
        for scheme in schemes:
            if scheme == "lodo" and not has_docs:
                continue
            if scheme not in ("kfold", "lodo"):
                raise ValueError(f"unknown scheme {scheme!r}")
            macro, micro, pooled = [], [], None
            for folds in _splits(gold, scheme, n_splits, 1 if fixed is not None else n_repeats, seed):
                if fixed is not None:
                    pred = fixed
                else:
                    if features is None:
                        features = sentence_features(texts, paths, themes)
                    pred = np.zeros_like(Y)
                    for train, test in folds:
                        model = fit_theme_model_on(features.take(train), Y[train], themes=themes, seed=seed)
                        pred[test] = model.predict_features(features.take(test))
                sc = score_labels(Y, pred, theme_ids)
                avg = averages(sc)
                macro.append(avg["macro_f1"])
                micro.append(avg["micro_f1"])
                counts = sc[["tp", "fp", "fn"]].to_numpy()
                pooled = counts if pooled is None else pooled + counts
            pooled_frame = score_labels_from_counts(pooled, theme_ids)
            avg = averages(pooled_frame)
            summary.append({
                "method": method, "scheme": scheme, "fitted": method in _FITTED, "repeats": len(macro),
                "macro_f1": float(np.mean(macro)), "macro_f1_sd": float(np.std(macro)),
                "micro_f1": float(np.mean(micro)), "micro_f1_sd": float(np.std(micro)),
                "macro_precision": avg["macro_precision"], "macro_recall": avg["macro_recall"],
            })
            per_theme.append(pooled_frame.assign(method=method, scheme=scheme))
    per = pd.concat(per_theme, ignore_index=True)
    per = per[["method", "scheme"] + [c for c in per.columns if c not in ("method", "scheme")]]
    return CVResult(pd.DataFrame(summary), per)


def score_labels_from_counts(counts: np.ndarray, theme_ids: Sequence[str]) -> pd.DataFrame:
    """:func:`score_labels` from an (themes x 3) array of pooled ``tp, fp, fn``."""
    tp, fp, fn = (np.asarray(counts)[:, k] for k in range(3))
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), np.nan)
        recall = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), np.nan)
        f1 = np.where(tp + fp + fn > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), np.nan)
    return pd.DataFrame({"theme": list(theme_ids), "n_gold": tp + fn, "n_pred": tp + fp, "tp": tp, "fp": fp,
                         "fn": fn, "precision": precision, "recall": recall, "f1": f1})

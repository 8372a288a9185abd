"""A supervised alternative to the theme dictionary, kept to check by cross-validation whether
learning from the hand coding beats the rules (:mod:`qualitylib.analysis.theme_evaluation`).

One-vs-rest logistic regression per theme on two kinds of features:

* character 1-3-grams (TF-IDF, sublinear) of the sentence with names masked
  (:func:`qualitylib.analysis.theme_dictionary.mask_names`) -- Chinese has no spaces, so character
  n-grams stand in for words;
* the dictionary's verdicts: per theme, whether the sentence's own keywords count and whether its
  section heading passes the theme down (so the model can learn when to trust them).

Deterministic: liblinear with a fixed ``random_state``; no network, nothing written. On the dev
sample it does *not* beat the dictionary (see notebook 03), so the coder in use is the dictionary;
this module exists so that the comparison can be rerun when the hand coding grows.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text.agency_notes import strip_agency_notes
from .theme_dictionary import dictionary_matches, load_themes, mask_names

__all__ = ["ThemeModel", "SentenceFeatures", "sentence_features", "fit_theme_model", "fit_theme_model_on"]


def _dictionary_features(texts: list[str], paths: Sequence[object] | None, themes: pd.DataFrame) -> np.ndarray:
    with_headings = dictionary_matches(texts, paths, themes, use_headings=True).to_numpy() != ""
    own = dictionary_matches(texts, None, themes, use_headings=False).to_numpy() != ""
    return np.hstack([own, with_headings]).astype(float)


@dataclass(frozen=True)
class SentenceFeatures:
    """What the model reads of each sentence, independent of what it is fitted on: the text with
    agency notes cut and names masked (for the n-grams), and the dictionary's verdicts (n x
    2 * n_themes, 0/1: own keywords, then with headings). Cross-validation computes them once for
    the whole sample and takes rows per fold (:meth:`take`) instead of once per fit and prediction."""

    masked: list[str]
    dictionary: np.ndarray

    def take(self, rows: Sequence[int] | np.ndarray) -> "SentenceFeatures":
        """Input: row positions. Output: the features of those sentences, in that order."""
        rows = np.asarray(rows, dtype=np.intp)
        return SentenceFeatures([self.masked[i] for i in rows], self.dictionary[rows])

    def __len__(self) -> int:
        return len(self.masked)


def sentence_features(texts: Sequence[str], section_paths: Sequence[object] | None,
                      themes: pd.DataFrame | None = None) -> SentenceFeatures:
    """Input: sentence texts, their section paths (None: no headings), the dictionary (default:
    shipped). Output: :class:`SentenceFeatures`, rows in input order. Every row depends on its own
    sentence only, so features of a subset are the rows of the features of the whole."""
    themes = load_themes() if themes is None else themes
    clean = [strip_agency_notes(str(t)) for t in texts]
    return SentenceFeatures([mask_names(t) for t in clean], _dictionary_features(clean, section_paths, themes))


@dataclass
class ThemeModel:
    """A fitted model: ``predict(texts, section_paths) -> (n x n_themes) 0/1 array``."""

    theme_ids: list[str]
    vectorizer: object
    classifiers: list[object | int]  # a fitted classifier, or a constant 0/1 when a theme had one class
    themes: pd.DataFrame
    dictionary_weight: float
    threshold: float

    def _matrix(self, features: SentenceFeatures):
        from scipy import sparse

        grams = self.vectorizer.transform(features.masked)
        dic = features.dictionary * self.dictionary_weight
        return sparse.hstack([grams, sparse.csr_matrix(dic)]).tocsr()

    def predict_proba_features(self, features: SentenceFeatures) -> np.ndarray:
        """Input: :func:`sentence_features` (with this model's dictionary). Output: (n x n_themes)
        probabilities."""
        X = self._matrix(features)
        cols = [np.full(X.shape[0], float(c)) if isinstance(c, int) else c.predict_proba(X)[:, 1]
                for c in self.classifiers]
        return np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))

    def predict_features(self, features: SentenceFeatures) -> np.ndarray:
        """Input: :func:`sentence_features`. Output: (n x n_themes) 0/1 array."""
        return (self.predict_proba_features(features) >= self.threshold).astype(int)

    def predict_proba(self, texts: Sequence[str], section_paths: Sequence[object] | None = None) -> np.ndarray:
        return self.predict_proba_features(sentence_features(texts, section_paths, self.themes))

    def predict(self, texts: Sequence[str], section_paths: Sequence[object] | None = None) -> np.ndarray:
        return (self.predict_proba(texts, section_paths) >= self.threshold).astype(int)


def fit_theme_model(texts: Sequence[str], section_paths: Sequence[object] | None, labels: np.ndarray, *,
                    themes: pd.DataFrame | None = None, C: float = 10.0, dictionary_weight: float = 1.0,
                    threshold: float = 0.5, seed: int = 0) -> ThemeModel:
    """Fit one logistic regression per theme.

    Input: sentence texts, their section paths (None: no headings), an (n x n_themes) 0/1 array of
    hand-coded labels in dictionary order, the dictionary (default: shipped), the inverse
    regularisation ``C``, the weight of the dictionary features, the decision threshold and a
    seed. Classes are balanced (rare themes would otherwise never be predicted).
    Output: :class:`ThemeModel`."""
    themes = load_themes() if themes is None else themes
    labels = np.asarray(labels, dtype=int)
    if labels.shape != (len(texts), len(themes)):
        raise ValueError(f"labels must be {len(texts)} x {len(themes)}, got {labels.shape}")
    return fit_theme_model_on(sentence_features(texts, section_paths, themes), labels, themes=themes, C=C,
                              dictionary_weight=dictionary_weight, threshold=threshold, seed=seed)


def fit_theme_model_on(features: SentenceFeatures, labels: np.ndarray, *, themes: pd.DataFrame | None = None,
                       C: float = 10.0, dictionary_weight: float = 1.0, threshold: float = 0.5,
                       seed: int = 0) -> ThemeModel:
    """:func:`fit_theme_model` from :func:`sentence_features` (computed with the same ``themes``)
    instead of texts: the same model. Input: the features, (n x n_themes) labels, as there.
    Output: :class:`ThemeModel`."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    themes = load_themes() if themes is None else themes
    labels = np.asarray(labels, dtype=int)
    if labels.shape != (len(features), len(themes)):
        raise ValueError(f"labels must be {len(features)} x {len(themes)}, got {labels.shape}")
    from scipy import sparse

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    # fit_transform, not fit then transform: its rows keep another order of entries, and the
    # fitted model must stay the same to the last bit
    grams = vec.fit_transform(features.masked)
    X = sparse.hstack([grams, sparse.csr_matrix(features.dictionary * dictionary_weight)]).tocsr()
    model = ThemeModel(themes["theme"].tolist(), vec, [], themes, dictionary_weight, threshold)
    for j in range(labels.shape[1]):
        y = labels[:, j]
        if y.min() == y.max():
            model.classifiers.append(int(y[0]) if len(y) else 0)
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=seed)
        model.classifiers.append(clf.fit(X, y))
    return model

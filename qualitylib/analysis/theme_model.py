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

__all__ = ["ThemeModel", "fit_theme_model"]


def _dictionary_features(texts: list[str], paths: Sequence[object] | None, themes: pd.DataFrame) -> np.ndarray:
    with_headings = dictionary_matches(texts, paths, themes, use_headings=True).to_numpy() != ""
    own = dictionary_matches(texts, None, themes, use_headings=False).to_numpy() != ""
    return np.hstack([own, with_headings]).astype(float)


@dataclass
class ThemeModel:
    """A fitted model: ``predict(texts, section_paths) -> (n x n_themes) 0/1 array``."""

    theme_ids: list[str]
    vectorizer: object
    classifiers: list[object | int]  # a fitted classifier, or a constant 0/1 when a theme had one class
    themes: pd.DataFrame
    dictionary_weight: float
    threshold: float

    def _features(self, texts: Sequence[str], paths: Sequence[object] | None):
        from scipy import sparse

        clean = [strip_agency_notes(str(t)) for t in texts]
        grams = self.vectorizer.transform([mask_names(t) for t in clean])
        dic = _dictionary_features(clean, paths, self.themes) * self.dictionary_weight
        return sparse.hstack([grams, sparse.csr_matrix(dic)]).tocsr()

    def predict_proba(self, texts: Sequence[str], section_paths: Sequence[object] | None = None) -> np.ndarray:
        X = self._features(texts, section_paths)
        cols = [np.full(X.shape[0], float(c)) if isinstance(c, int) else c.predict_proba(X)[:, 1]
                for c in self.classifiers]
        return np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))

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
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    themes = load_themes() if themes is None else themes
    labels = np.asarray(labels, dtype=int)
    if labels.shape != (len(texts), len(themes)):
        raise ValueError(f"labels must be {len(texts)} x {len(themes)}, got {labels.shape}")
    clean = [strip_agency_notes(str(t)) for t in texts]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    grams = vec.fit_transform([mask_names(t) for t in clean])
    dic = _dictionary_features(clean, section_paths, themes) * dictionary_weight
    X = sparse.hstack([grams, sparse.csr_matrix(dic)]).tocsr()
    classifiers: list[object | int] = []
    for j in range(labels.shape[1]):
        y = labels[:, j]
        if y.min() == y.max():
            classifiers.append(int(y[0]) if len(y) else 0)
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=seed)
        classifiers.append(clf.fit(X, y))
    return ThemeModel(themes["theme"].tolist(), vec, classifiers, themes, dictionary_weight, threshold)

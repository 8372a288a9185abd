"""Synthetic sentences with a known structure, shared by the theme, TF-IDF and clustering tests.

Synthetic cities (qualitylib.analysis.themes.synthetic_sentences): 甲/乙 emphasise industry and
standards, 丙/丁 agriculture and environment, 戊 services and public services. A method that
works must rediscover exactly that.
"""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.analysis import themes


@pytest.fixture(scope="module")
def sentences() -> pd.DataFrame:
    return themes.synthetic_sentences(n_per_city=150, seed=1)


@pytest.fixture(scope="module")
def coded(sentences) -> pd.DataFrame:
    return themes.code_sentences(sentences)


@pytest.fixture(scope="module")
def wide(coded) -> pd.DataFrame:
    return themes.to_wide(themes.theme_shares(coded))

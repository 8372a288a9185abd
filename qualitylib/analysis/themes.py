"""Policy themes: which themes do cities' quality-strong-city texts talk about, and how sure are we?

Pure functions over pandas DataFrames: no file writes, no plotting, no global state apart from a
cached, read-only theme dictionary (``qualitylib/data/themes.csv``). The unit of analysis is the
*sentence*: a sentences DataFrame with columns ``doc_id, city, city_en, sentence_id, section_path,
text`` where ``text`` is a cleaned Simplified Chinese sentence.

1. :func:`code_sentences` -- dictionary coding: each sentence x theme gets a 0/1 hit and the
   keyword(s) that caused it, so every number can be traced back to words in the text.
2. :func:`theme_shares` -- per city x theme, the share of that city's sentences that hit the theme.
3. :func:`bootstrap_shares` -- percentile bootstrap intervals for those shares (sentences resampled
   within each city).

Which cities have similar profiles is :mod:`qualitylib.analysis.clustering`; the dictionary-free
check is :mod:`qualitylib.analysis.tfidf`.
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Sequence

import numpy as np
import pandas as pd

from ..resources import data_frame
from ..text.agency_notes import strip_agency_notes
from .frames import require_frame

__all__ = [
    "SENTENCE_COLUMNS",
    "load_themes",
    "strip_agency_notes",
    "code_sentences",
    "theme_shares",
    "to_wide",
    "city_en_map",
    "bootstrap_shares",
    "synthetic_sentences",
]

SENTENCE_COLUMNS: tuple[str, ...] = ("doc_id", "city", "city_en", "sentence_id", "section_path", "text")
THEME_COLUMNS: tuple[str, ...] = ("theme", "label_zh", "label_en", "keywords")
CODED_COLUMNS: tuple[str, ...] = ("doc_id", "city", "sentence_id", "theme", "hit")


# --------------------------------------------------------------------------------------------
# theme dictionary
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _load_themes_cached() -> pd.DataFrame:
    return _validate_themes(data_frame("themes.csv"))


def _validate_themes(themes: pd.DataFrame) -> pd.DataFrame:
    require_frame(themes, "themes", THEME_COLUMNS)
    if themes["theme"].duplicated().any():
        dup = themes.loc[themes["theme"].duplicated(), "theme"].tolist()
        raise ValueError(f"themes has duplicate theme ids: {dup}")
    keyword_lists = []
    for theme, raw in zip(themes["theme"], themes["keywords"]):
        words = tuple(w.strip() for w in str(raw).split("|"))
        if not words or any(w == "" for w in words):
            raise ValueError(f"theme {theme!r} has an empty keyword (check for '||' or a trailing '|')")
        keyword_lists.append(words)
    out = themes.loc[:, list(THEME_COLUMNS)].copy()
    out["keyword_list"] = keyword_lists
    return out.reset_index(drop=True)


def load_themes() -> pd.DataFrame:
    """Load the policy-theme dictionary shipped as ``qualitylib/data/themes.csv``.

    Input: nothing (read once via :mod:`importlib.resources`, then cached).

    Output: DataFrame with one row per theme, in file order, columns
    ``theme, label_zh, label_en, keywords`` (``|``-separated, as in the file) and
    ``keyword_list`` (tuple of plain substrings). A fresh copy is returned on every call so a
    caller mutating it cannot corrupt the cache.
    """
    return _load_themes_cached().copy()


# --------------------------------------------------------------------------------------------
# coding
# --------------------------------------------------------------------------------------------
def _has_content(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def code_sentences(
    sentences: pd.DataFrame,
    themes: pd.DataFrame | None = None,
    *,
    drop_agency_notes: bool = True,
) -> pd.DataFrame:
    """Dictionary-code every sentence against every theme.

    Input:
        sentences: DataFrame with columns ``doc_id, city, city_en, sentence_id, section_path, text``.
            ``(doc_id, sentence_id)`` must identify a sentence uniquely.
        themes: theme dictionary as returned by :func:`load_themes` (default: the shipped one).
        drop_agency_notes: cut lead-agency notes first (see :func:`strip_agency_notes`).

    Output: long DataFrame, one row per sentence x theme (so ``len(sentences) * len(themes)``
    rows), columns ``doc_id, city, city_en, sentence_id, theme, hit, n_keywords, matched,
    in_scope``: ``hit`` is 1 if at least one keyword of the theme occurs as a plain substring of
    the sentence, else 0; ``matched`` lists the keywords found (``|``-joined, ``''`` if none) so
    every hit can be audited. A sentence may hit several themes or none. ``in_scope`` is 0 for a
    sentence with no letters left after removing agency notes (a bare "责任单位：…" line): it
    is not a policy statement, so :func:`theme_shares` and the bootstraps leave it out of the
    denominator rather than counting it as a sentence about nothing.
    """
    require_frame(sentences, "sentences", ("doc_id", "city", "sentence_id", "text"))
    themes = load_themes() if themes is None else _validate_themes(themes)
    if "keyword_list" not in themes.columns:  # pragma: no cover - _validate_themes adds it
        raise ValueError("themes lacks keyword_list")
    dup = sentences.duplicated(["doc_id", "sentence_id"])
    if dup.any():
        raise ValueError(
            f"(doc_id, sentence_id) is not unique: {int(dup.sum())} duplicate row(s), "
            f"e.g. {sentences.loc[dup, ['doc_id', 'sentence_id']].iloc[0].tolist()}"
        )
    if sentences["text"].isna().any():
        raise ValueError("sentences.text has missing values; drop or fill them first")

    texts = sentences["text"].astype(str)
    if drop_agency_notes:
        texts = texts.map(strip_agency_notes)
    text_list = texts.tolist()

    # Plain `in` substring tests: slower than one big regex but trivially auditable, and at
    # a few thousand sentences x ~500 keywords it still runs in well under a second.
    theme_ids = themes["theme"].tolist()
    matched_cols: list[list[str]] = []
    for kws in themes["keyword_list"]:
        matched_cols.append(["|".join(kw for kw in kws if kw in t) for t in text_list])

    n_sent, n_theme = len(text_list), len(theme_ids)
    keys = sentences[["doc_id", "city", "sentence_id"]].copy()
    keys["city_en"] = sentences["city_en"] if "city_en" in sentences.columns else pd.NA
    keys = keys[["doc_id", "city", "city_en", "sentence_id"]].reset_index(drop=True)
    # sentence-major order: all themes of sentence 0, then sentence 1, ... (theme order = file order)
    out = keys.loc[np.repeat(np.arange(n_sent), n_theme)].reset_index(drop=True)
    out["theme"] = pd.Categorical(np.tile(theme_ids, n_sent), categories=theme_ids)
    matched = np.array(matched_cols, dtype=object).T.reshape(-1) if n_sent else np.array([], dtype=object)
    out["matched"] = matched
    out["n_keywords"] = [0 if m == "" else m.count("|") + 1 for m in matched]
    out["hit"] = (out["n_keywords"] > 0).astype(np.int8)
    out["in_scope"] = np.repeat(np.array([_has_content(t) for t in text_list], dtype=np.int8), n_theme)
    return out[["doc_id", "city", "city_en", "sentence_id", "theme", "hit", "n_keywords", "matched", "in_scope"]]


# --------------------------------------------------------------------------------------------
# shares and their uncertainty
# --------------------------------------------------------------------------------------------
def _hit_matrices(coded: pd.DataFrame) -> tuple[list[str], list[str], dict[str, np.ndarray]]:
    """Per city, an (n_sentences x n_themes) 0/1 array, rows in (doc_id, sentence_id) order.

    Cities are returned sorted so results never depend on input row order.
    """
    require_frame(coded, "coded", CODED_COLUMNS)
    if "in_scope" in coded.columns:
        coded = coded[coded["in_scope"] == 1]
        if coded.empty:
            raise ValueError("coded has no in-scope sentences (all were bare agency notes)")
    theme_ids = (
        list(coded["theme"].cat.categories)
        if isinstance(coded["theme"].dtype, pd.CategoricalDtype)
        else list(pd.unique(coded["theme"]))
    )
    wide = coded.pivot_table(
        index=["city", "doc_id", "sentence_id"], columns="theme", values="hit",
        aggfunc="max", observed=False,
    )
    wide = wide.reindex(columns=theme_ids)
    if wide.isna().any().any():
        raise ValueError("coded is not a full sentence x theme grid (some sentence lacks some theme rows)")
    cities = sorted(wide.index.get_level_values("city").unique().tolist())
    mats = {c: wide.xs(c, level="city").to_numpy(dtype=float) for c in cities}
    return cities, theme_ids, mats


def city_en_map(df: pd.DataFrame) -> dict[str, str]:
    """Map Chinese city name -> pinyin/English name from any frame with ``city`` and ``city_en``.

    Input: sentences, coded or shares frame. Output: dict (empty if ``city_en`` is absent).
    """
    if "city" not in df.columns or "city_en" not in df.columns:
        return {}
    pairs = df[["city", "city_en"]].dropna().drop_duplicates()
    return dict(zip(pairs["city"], pairs["city_en"]))


def theme_shares(coded: pd.DataFrame) -> pd.DataFrame:
    """Share of each city's sentences that hit each theme.

    Input: output of :func:`code_sentences`.

    Output: long DataFrame, one row per city x theme, columns
    ``city, city_en, theme, n_sentences, n_hits, share``, with ``share = n_hits / n_sentences``.
    These are shares *of sentences*: one sentence can hit several themes (or none), so a
    city's shares do **not** sum to 1 and must not be read as a composition of the text.
    """
    cities, theme_ids, mats = _hit_matrices(coded)
    names = city_en_map(coded)
    rows = []
    for c in cities:
        m = mats[c]
        hits = m.sum(axis=0)
        for j, t in enumerate(theme_ids):
            rows.append((c, names.get(c, pd.NA), t, m.shape[0], int(hits[j]), hits[j] / m.shape[0]))
    out = pd.DataFrame(rows, columns=["city", "city_en", "theme", "n_sentences", "n_hits", "share"])
    out["theme"] = pd.Categorical(out["theme"], categories=theme_ids)
    return out


def to_wide(shares: pd.DataFrame, value: str = "share") -> pd.DataFrame:
    """Pivot long city x theme shares into the matrix used for clustering and PCA.

    Input: output of :func:`theme_shares` or :func:`bootstrap_shares`.
    Output: DataFrame, index ``city`` (sorted), columns ``theme`` (dictionary order), values ``value``.
    """
    require_frame(shares, "shares", ("city", "theme", value))
    wide = shares.pivot_table(index="city", columns="theme", values=value, aggfunc="first", observed=True)
    if isinstance(shares["theme"].dtype, pd.CategoricalDtype):
        wide = wide.reindex(columns=[t for t in shares["theme"].cat.categories if t in wide.columns])
    wide.columns = pd.Index([str(c) for c in wide.columns], name="theme")
    return wide.sort_index()


def _boot_counts(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """Resampling with replacement expressed as multiplicity counts (n_boot x n).

    A multinomial(n, 1/n) draw is exactly the count vector of n draws with replacement, and
    counts @ hits gives the resampled hit totals without materialising resampled rows.
    """
    return rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot)


def _boot_share_draws(
    mats: dict[str, np.ndarray], cities: Sequence[str], n_boot: int, rng: np.random.Generator,
    chunk: int = 200,
) -> dict[str, np.ndarray]:
    """For each city, an (n_boot x n_themes) array of resampled shares. Cities in given order."""
    out = {}
    for c in cities:
        m = mats[c]
        n = m.shape[0]
        parts = []
        # chunks bound memory at chunk x n counts for cities with many sentences
        for start in range(0, n_boot, chunk):
            size = min(chunk, n_boot - start)
            parts.append(_boot_counts(rng, n, size) @ m / n)
        out[c] = np.vstack(parts)
    return out


def bootstrap_shares(
    coded: pd.DataFrame, n_boot: int = 1000, seed: int = 0, ci: float = 0.95
) -> pd.DataFrame:
    """Percentile bootstrap intervals for the theme shares.

    Sentences are resampled with replacement *within each city* (the city's sample size is kept),
    shares recomputed, and the ``(1-ci)/2`` and ``1-(1-ci)/2`` quantiles taken. Deterministic
    for a given ``seed`` (one :class:`numpy.random.Generator`, cities drawn in sorted order).

    Input: output of :func:`code_sentences`.

    Output: long DataFrame, one row per city x theme, columns
    ``city, city_en, theme, n_sentences, n_hits, share, lo, hi, se, ci, n_boot`` (``share`` is the
    observed share, ``se`` the bootstrap standard deviation). Shares are of sentences and do
    not sum to 1 (see :func:`theme_shares`). Note that a share of exactly 0 (or 1) gets a
    degenerate interval [0, 0]: resampling cannot invent hits, so read those as "not observed"
    rather than "certainly absent".
    """
    if not (0 < ci < 1):
        raise ValueError(f"ci must be in (0, 1), got {ci}")
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    cities, theme_ids, mats = _hit_matrices(coded)
    base = theme_shares(coded)
    rng = np.random.default_rng(seed)
    draws = _boot_share_draws(mats, cities, int(n_boot), rng)
    alpha = (1.0 - ci) / 2.0
    lo_hi_se = []
    for c in cities:
        d = draws[c]
        lo = np.quantile(d, alpha, axis=0)
        hi = np.quantile(d, 1.0 - alpha, axis=0)
        se = d.std(axis=0, ddof=1) if d.shape[0] > 1 else np.zeros(d.shape[1])
        for j, t in enumerate(theme_ids):
            lo_hi_se.append((c, t, lo[j], hi[j], se[j]))
    extra = pd.DataFrame(lo_hi_se, columns=["city", "theme", "lo", "hi", "se"])
    extra["theme"] = pd.Categorical(extra["theme"], categories=theme_ids)
    out = base.merge(extra, on=["city", "theme"], how="left", validate="one_to_one")
    out["ci"] = ci
    out["n_boot"] = int(n_boot)
    return out


# --------------------------------------------------------------------------------------------
# synthetic data (tests, docs, notebook smoke runs)
# --------------------------------------------------------------------------------------------
_SYNTH_POOLS: dict[str, tuple[str, ...]] = {
    "industry": (
        "推动制造业质量攻关，提升工业产品可靠性。",
        "实施智能制造和技术改造工程，培育先进制造产业集群。",
        "鼓励企业主导制定国际标准和团体标准。",
        "开展企业标准领跑者行动，推进对标达标。",
        "支持装备制造企业开展关键零部件质量提升。",
    ),
    "green_agri": (
        "加强农产品质量安全例行监测，确保食品抽检合格率稳定。",
        "推进畜禽养殖和蔬菜种植基地建设。",
        "推进清洁生产和节能减排，发展循环经济。",
        "加强生态环境保护，打好大气污染防治攻坚战。",
        "建设绿色食品和有机农产品生产基地。",
    ),
    "services": (
        "提升旅游、物流和养老服务等服务业服务质量。",
        "开展顾客满意度测评，打造服务品牌。",
        "优化营商环境，深化放管服改革。",
        "提升公共服务和政务服务水平，推进一网通办。",
        "推进家政、物业和商贸零售服务标准化。",
    ),
    "neutral": (
        "全面提升发展水平。",
        "坚持问题导向，强化工作落实。",
        "以新发展理念为引领，推动高质量发展。",
        "各地各部门要结合实际抓好贯彻。",
    ),
    "common": (
        "成立质量强市工作领导小组，将质量工作纳入政府绩效考核。",
        "加大财政资金投入，对获奖企业给予奖励。",
        "加强质量人才培养，弘扬工匠精神。",
        "完善计量检测和认证认可体系。",
        "加强产品质量监督抽查，严厉打击假冒伪劣。",
        "积极争创中国质量奖，培育知名品牌。",
        "扩大进出口贸易，推动企业走出去。",
        "加强建设工程质量管理，推广装配式建筑。",
        "开展消费品增品种提品质行动，营造放心消费环境。",
    ),
}

#: city -> (city_en, emphasis pool); two deliberately similar pairs plus one odd city out.
SYNTHETIC_CITIES: dict[str, tuple[str, str]] = {
    "甲市": ("Jiashi", "industry"),
    "乙市": ("Yishi", "industry"),
    "丙市": ("Bingshi", "green_agri"),
    "丁市": ("Dingshi", "green_agri"),
    "戊市": ("Wushi", "services"),
}


def synthetic_sentences(
    n_per_city: int = 150, seed: int = 0, cities: Sequence[str] | None = None
) -> pd.DataFrame:
    """Fake sentences with known structure, for tests, examples and notebook smoke runs.

    Five fake cities (甲乙 industry/standards, 丙丁 agriculture/environment, 戊 services/
    public services); each sentence is drawn 55% from the city's emphasis pool, 30% from a
    pool shared by all, 15% neutral (hits no theme). Output has the sentences schema
    ``doc_id, city, city_en, sentence_id, section_path, text``; deterministic for ``seed``.
    """
    rng = np.random.default_rng(seed)
    names = list(SYNTHETIC_CITIES) if cities is None else list(cities)
    rows = []
    for d, city in enumerate(names):
        city_en, pool = SYNTHETIC_CITIES[city]
        which = rng.choice(3, size=n_per_city, p=[0.55, 0.30, 0.15])
        for i, w in enumerate(which):
            src = _SYNTH_POOLS[(pool, "common", "neutral")[w]]
            rows.append((f"synthetic_{d:03d}", city, city_en, i, f"{i // 10 + 1}",
                         src[int(rng.integers(len(src)))]))
    return pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS))

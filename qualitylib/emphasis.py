"""Policy emphasis: which themes do cities' quality-strong-city texts talk about, and how sure are we?

Everything here is a pure function over pandas DataFrames: no file writes, no global state
(apart from a cached, read-only theme dictionary), no plotting. The notebooks call these and
hand the results to :mod:`qualitylib.plots`.

The unit of analysis is the *sentence*. Input to the pipeline is a sentences DataFrame with
columns ``doc_id, city, city_en, sentence_id, section_path, text`` where ``text`` is a cleaned
Simplified Chinese sentence. The steps are:

1. :func:`code_sentences` -- dictionary coding: each sentence x theme gets a 0/1 hit and the
   keyword(s) that caused it, so every number can be traced back to words in the text.
2. :func:`theme_shares` -- per city x theme, the share of that city's sentences that hit the theme.
3. :func:`bootstrap_shares` -- percentile bootstrap intervals for those shares (sentences resampled
   within each city).
4. :func:`to_wide` + :func:`cluster_cities` / :func:`silhouette_by_k` / :func:`bootstrap_jaccard`
   / :func:`pca_biplot_data` -- which cities have similar profiles, and is that grouping stable?
5. :func:`tfidf_profile` -- a dictionary-free check: the character n-grams most specific to each city.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from typing import Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform

__all__ = [
    "SENTENCE_COLUMNS",
    "STABILITY_THRESHOLDS",
    "load_themes",
    "strip_agency_notes",
    "code_sentences",
    "theme_shares",
    "to_wide",
    "city_en_map",
    "bootstrap_shares",
    "tfidf_profile",
    "Clustering",
    "cluster_cities",
    "cut_clusters",
    "silhouette_by_k",
    "bootstrap_jaccard",
    "stability_reading",
    "PCAResult",
    "pca_biplot_data",
    "synthetic_sentences",
]

SENTENCE_COLUMNS: tuple[str, ...] = ("doc_id", "city", "city_en", "sentence_id", "section_path", "text")
THEME_COLUMNS: tuple[str, ...] = ("theme", "label_zh", "label_en", "keywords")
CODED_COLUMNS: tuple[str, ...] = ("doc_id", "city", "sentence_id", "theme", "hit")

#: Hennig (2007) reading of mean bootstrap Jaccard similarity of a cluster.
#: >= 0.75 'stable'; 0.6 -- 0.75 'doubtful'; < 0.6 'not to be trusted'.
STABILITY_THRESHOLDS: tuple[float, float] = (0.6, 0.75)

# Linkage methods whose geometry is only defined for Euclidean distances (scipy computes them
# from centroids/variances); with cosine they silently give meaningless trees.
_EUCLIDEAN_ONLY_METHODS = {"ward", "centroid", "median"}


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------
def _require_frame(df: object, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """Raise a ValueError that names what is wrong, rather than a KeyError deep in pandas."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    if df.empty:
        raise ValueError(f"{name} is empty: nothing to analyse")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; it has {list(df.columns)}"
        )
    return df


def _require_cities(n: int, what: str, minimum: int = 2) -> None:
    if n < minimum:
        raise ValueError(
            f"{what} needs at least {minimum} cities to compare, got {n}"
        )


def _check_wide(shares_wide: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """Validate a city x theme matrix: numeric, no NaN, enough cities."""
    if not isinstance(shares_wide, pd.DataFrame):
        raise ValueError(
            f"shares_wide must be a DataFrame (index city, columns theme), got {type(shares_wide).__name__}"
        )
    if shares_wide.empty:
        raise ValueError("shares_wide is empty: nothing to cluster")
    _require_cities(shares_wide.shape[0], "shares_wide", minimum)
    try:
        values = shares_wide.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"shares_wide must be all numeric: {exc}") from exc
    if np.isnan(values).any():
        raise ValueError("shares_wide contains NaN; fill or drop themes/cities first")
    if shares_wide.index.has_duplicates:
        raise ValueError("shares_wide has duplicate city rows")
    return shares_wide


# --------------------------------------------------------------------------------------------
# theme dictionary
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _load_themes_cached() -> pd.DataFrame:
    ref = resources.files("qualitylib").joinpath("data", "themes.csv")
    with ref.open("r", encoding="utf-8") as fh:
        themes = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return _validate_themes(themes)


def _validate_themes(themes: pd.DataFrame) -> pd.DataFrame:
    _require_frame(themes, "themes", THEME_COLUMNS)
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
# Policy documents end many paragraphs with a note of who leads and who helps, e.g.
# "（市质监局牵头，市财政局、市农业局负责）", or put it on its own line ("责任单位：市财政局、…").
# Those agency names contain theme words (财政, 农业, 环保, 海关 ...) that say nothing about what
# the policy is *about*, so by default they are cut before matching. Only these shapes are cut:
# a parenthesis ending in 牵头/负责/配合/参与/落实, a parenthesis starting with 责任单位： etc., and
# everything after an inline 责任单位：/牵头单位：/配合单位： label. One level of nested
# parentheses (各县（市）区) is allowed inside a note.
_INNER = r"(?:[^（）()]|[（(][^（）()]{0,20}[）)])"
_AGENCY_LABEL = r"(?:责任|牵头|配合|参与|主责)(?:单位|部门)[:：]"
_AGENCY_NOTE = re.compile(
    rf"[（(]{_INNER}{{0,400}}?(?:牵头|负责|配合|参与|落实)[）)]"
    rf"|[（(]{_AGENCY_LABEL}{_INNER}{{0,400}}?[）)]"
    rf"|{_AGENCY_LABEL}.*$"
)


def strip_agency_notes(text: str) -> str:
    """Remove lead/responsible-agency notes such as ``（市质监局牵头，市财政局负责）`` or
    ``责任单位：市财政局、市农业局``.

    Input: one sentence string. Output: the sentence without those notes (other parentheses,
    e.g. ``（以下简称质强办）``, are kept). A sentence that was nothing but such a note becomes
    an empty string (see ``in_scope`` in :func:`code_sentences`).
    """
    return _AGENCY_NOTE.sub("", text).strip()


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
    _require_frame(sentences, "sentences", ("doc_id", "city", "sentence_id", "text"))
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
    _require_frame(coded, "coded", CODED_COLUMNS)
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
    _require_frame(shares, "shares", ("city", "theme", value))
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
# TF-IDF
# --------------------------------------------------------------------------------------------
def _is_content_ngram(term: str) -> bool:
    """Keep an n-gram only if every character is a letter (CJK ideographs are category Lo).

    That drops n-grams that are or contain punctuation, whitespace or digits: they straddle
    sentence boundaries ("。加强") or are dates/numbers ("2018"), neither of which says
    anything about policy content.
    """
    return all(unicodedata.category(ch).startswith("L") for ch in term)


# Function characters that almost never begin or end a content word; an n-gram with one at its
# edge is a fragment straddling two words ("和有机农", "品和有机"). Deliberately short: 对/在/中
# are left out because they start real terms (对标, 中国质量奖).
_EDGE_STOP_CHARS = frozenset("的和与及等并或了之其而把将")


def _overlap(a: str, b: str) -> int:
    """Longest k such that a suffix of one string equals a prefix of the other, or containment."""
    if a in b or b in a:
        return min(len(a), len(b))
    best = 0
    for k in range(1, min(len(a), len(b))):
        if a.endswith(b[:k]) or b.endswith(a[:k]):
            best = k
    return best


def _city_stem(city: str) -> str:
    """芜湖市 -> 芜湖, 恩施土家族苗族自治州 -> 恩施土家族苗族 (the admin suffix carries no identity)."""
    city = str(city)
    for suffix in ("自治州", "地区", "市", "州", "盟"):
        if city.endswith(suffix) and len(city) - len(suffix) >= 2:
            return city[: -len(suffix)]
    return city if len(city) >= 2 else ""


def tfidf_profile(
    sentences: pd.DataFrame,
    top_n: int = 15,
    ngram_range: tuple[int, int] = (2, 4),
    *,
    drop_agency_notes: bool = True,
    drop_shared: bool = True,
    drop_city_names: bool = True,
    mask_names: Iterable[str] = (),
    collapse_overlaps: bool = True,
) -> pd.DataFrame:
    """Most city-specific character n-grams: a dictionary-free cross-check of the themes.

    All sentences of a city are joined into one document (one document per city), then
    scikit-learn's ``TfidfVectorizer(analyzer='char', ngram_range=(2, 4), sublinear_tf=True)`` is
    fitted -- Chinese has no spaces, so character n-grams stand in for words; sublinear tf
    (1 + log tf) stops one phrase repeated in a long document from filling the list.

    Candidate n-grams are then filtered, each rule for a stated reason:
    * containing punctuation, whitespace or digits -- sentence-boundary straddlers and numbers;
    * starting/ending with a function character (的和与及等并或了之其而把将) -- word fragments;
    * ``drop_shared``: occurring in *every* city's document -- sklearn's smoothed IDF never
      reaches 0, so without this 质量/提升/加强 top every list while saying nothing specific;
    * ``drop_city_names``: every city's name and stem (芜湖市, 芜湖) plus any ``mask_names`` are
      replaced by a line break *before* vectorising, so no n-gram contains or straddles them
      (no 芜湖, 湖质量, 推进芜): a city's own name is trivially specific to it and says nothing
      about policy;
    * ``collapse_overlaps``: walking down the ranking, an n-gram is skipped when it overlaps an
      already kept one by all but one character or more (substring, or a one-character shift of
      the same phrase: 主导制定 / 业主导制), so the list shows distinct phrases.

    Input: sentences DataFrame (``city``, ``text``; ``city_en`` optional), >= 2 cities.

    Output: DataFrame with columns ``city, city_en, rank, term, tfidf, count`` -- up to ``top_n``
    rows per city, rank 1 = most specific; ``count`` is raw occurrences in that city's text.
    """
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    _require_frame(sentences, "sentences", ("city", "text"))
    if top_n < 1:
        raise ValueError(f"top_n must be >= 1, got {top_n}")
    texts = sentences["text"].astype(str)
    if drop_agency_notes:
        texts = texts.map(strip_agency_notes)
    docs = texts.groupby(sentences["city"]).agg("\n".join).sort_index()
    _require_cities(len(docs), "tfidf_profile")
    if drop_city_names or mask_names:
        names_to_mask = set(mask_names)
        if drop_city_names:
            names_to_mask |= {str(c) for c in docs.index} | {_city_stem(c) for c in docs.index}
        # longest first, so 芜湖市 is masked whole before its stem 芜湖 is looked for
        ordered = sorted((n for n in names_to_mask if len(n) >= 2), key=lambda n: (-len(n), n))
        if ordered:
            pattern = re.compile("|".join(map(re.escape, ordered)))
            docs = docs.map(lambda d: pattern.sub("\n", d))
    vec = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False, sublinear_tf=True)
    X = vec.fit_transform(docs.tolist())
    vocab = vec.get_feature_names_out()
    counts = CountVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False, vocabulary=vec.vocabulary_)
    C = counts.transform(docs.tolist())
    df_city = np.asarray((C > 0).sum(axis=0)).ravel()
    keep = np.fromiter(
        (_is_content_ngram(t) and t[0] not in _EDGE_STOP_CHARS and t[-1] not in _EDGE_STOP_CHARS
         for t in vocab),
        dtype=bool, count=len(vocab),
    )
    if drop_shared:
        keep &= df_city < len(docs)
    names = city_en_map(sentences)
    rows = []
    for i, city in enumerate(docs.index):
        scores = X[i].toarray().ravel()
        cnt = C[i].toarray().ravel()
        cand = np.flatnonzero((scores > 0) & keep)
        # score desc; ties: more occurrences, longer, then the term itself (fully deterministic)
        cand = sorted(cand, key=lambda j: (-scores[j], -cnt[j], -len(vocab[j]), vocab[j]))
        chosen: list[tuple[str, float, int]] = []
        for j in cand:
            term = vocab[j]
            if collapse_overlaps and any(
                _overlap(term, kept) >= min(len(term), len(kept)) - 1 for kept, _, _ in chosen
            ):
                continue
            chosen.append((term, float(scores[j]), int(cnt[j])))
            if len(chosen) >= top_n:
                break
        for r, (term, sc, n) in enumerate(chosen, start=1):
            rows.append((city, names.get(city, pd.NA), r, term, sc, n))
    return pd.DataFrame(rows, columns=["city", "city_en", "rank", "term", "tfidf", "count"])


# --------------------------------------------------------------------------------------------
# clustering
# --------------------------------------------------------------------------------------------
class Clustering(NamedTuple):
    """Result of :func:`cluster_cities`; unpacks as ``linkage, labels``."""

    linkage: np.ndarray
    labels: list[str]


def _distances(values: np.ndarray, metric: str) -> np.ndarray:
    if metric in ("cosine", "correlation"):
        # cosine of an all-zero profile is undefined (scipy returns NaN and the tree is garbage)
        norms = np.linalg.norm(values - (values.mean(axis=1, keepdims=True) if metric == "correlation" else 0), axis=1)
        if (norms == 0).any():
            raise ValueError(
                f"{metric} distance is undefined for a city whose profile is constant/all zero; "
                "use metric='euclidean' or drop that city"
            )
    d = pdist(values, metric=metric)
    if np.isnan(d).any():
        raise ValueError(f"{metric} distance produced NaN; check the share matrix")
    return d


def _linkage(values: np.ndarray, method: str, metric: str) -> np.ndarray:
    if method in _EUCLIDEAN_ONLY_METHODS and metric != "euclidean":
        raise ValueError(f"method={method!r} is only valid with metric='euclidean', got {metric!r}")
    return linkage(_distances(values, metric), method=method)


def cluster_cities(
    shares_wide: pd.DataFrame, method: str = "average", metric: str = "cosine"
) -> Clustering:
    """Agglomerative (hierarchical) clustering of cities by their theme-share profiles.

    Cosine distance is the default because it compares the *shape* of a profile (what a city
    emphasises relative to its other themes) rather than its level: a long, wordy document
    has lower shares everywhere without meaning different priorities.

    Input: city x theme matrix from :func:`to_wide` (>= 2 cities).
    Output: :class:`Clustering` ``(linkage, labels)``: the scipy linkage matrix and the city
    labels in row order of ``shares_wide``.
    """
    _check_wide(shares_wide)
    Z = _linkage(shares_wide.to_numpy(dtype=float), method, metric)
    return Clustering(Z, [str(c) for c in shares_wide.index])


def cut_clusters(Z: np.ndarray, k: int) -> np.ndarray:
    """Cut a linkage matrix into (at most) ``k`` clusters; returns 1-based labels per leaf."""
    return fcluster(Z, t=k, criterion="maxclust")


def silhouette_by_k(
    shares_wide: pd.DataFrame,
    ks: Iterable[int] | None = None,
    method: str = "average",
    metric: str = "cosine",
) -> pd.DataFrame:
    """Mean silhouette width for each number of clusters ``k``.

    The silhouette is only defined for 2 <= number of clusters <= n_cities - 1, so other ``k``
    are dropped. Silhouettes from a handful of cities are fragile; read them together with
    :func:`bootstrap_jaccard`.

    Input: city x theme matrix; ``ks`` (default: all of 2..n-1); linkage ``method`` and ``metric``.

    Output: DataFrame with columns ``k, n_clusters, silhouette`` (``n_clusters`` can be below
    ``k`` when the tree has ties). When no ``k`` is valid (e.g. fewer than 3 cities) the frame is
    empty and ``df.attrs['reason']`` says why.
    """
    from sklearn.metrics import silhouette_score

    _check_wide(shares_wide)
    n = shares_wide.shape[0]
    cols = ["k", "n_clusters", "silhouette"]
    if n < 3:
        out = pd.DataFrame(columns=cols)
        out.attrs["reason"] = f"silhouette needs at least 3 cities (2 <= k <= n-1); got n={n}"
        return out
    ks = list(range(2, n)) if ks is None else sorted({int(k) for k in ks})
    valid = [k for k in ks if 2 <= k <= n - 1]
    values = shares_wide.to_numpy(dtype=float)
    d = _distances(values, metric)
    Z = _linkage(values, method, metric)
    D = squareform(d)
    rows = []
    for k in valid:
        labels = cut_clusters(Z, k)
        n_cl = len(np.unique(labels))
        sil = silhouette_score(D, labels, metric="precomputed") if 2 <= n_cl <= n - 1 else np.nan
        rows.append((k, n_cl, float(sil)))
    out = pd.DataFrame(rows, columns=cols)
    dropped = [k for k in ks if k not in valid]
    if not valid:
        out.attrs["reason"] = f"no k in {ks} lies in 2..{n - 1} (n={n} cities)"
    elif dropped:
        out.attrs["reason"] = f"dropped k={dropped}: silhouette needs 2 <= k <= {n - 1}"
    return out


def stability_reading(jaccard: float) -> str:
    """Hennig (2007) reading of a mean bootstrap Jaccard value."""
    doubtful, stable = STABILITY_THRESHOLDS
    if jaccard >= stable:
        return "stable"
    if jaccard >= doubtful:
        return "doubtful"
    return "not to be trusted"


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 1.0


def bootstrap_jaccard(
    coded: pd.DataFrame,
    k: int,
    n_boot: int = 200,
    seed: int = 0,
    method: str = "average",
    metric: str = "cosine",
) -> pd.DataFrame:
    """Cluster-wise stability of the k-cluster solution, in the style of Hennig's clusterboot.

    Procedure (Hennig 2007, *Comput. Stat. Data Anal.* 52:258-271, adapted):
    1. cluster the observed shares and cut the tree into ``k`` clusters;
    2. ``n_boot`` times: resample sentences with replacement *within each city*, recompute the
       theme shares, recluster with the same ``method``/``metric`` and cut into ``k``;
    3. for each original cluster, take the Jaccard similarity with the *best-matching* bootstrap
       cluster; average over replicates.
    Hennig resamples the objects themselves; here the objects (cities) are few and fixed, so the
    uncertainty we perturb is the one that actually exists -- which sentences the shares rest on.
    Every city is present in every replicate, so the Jaccard is taken over full city sets.

    Reading (Hennig's rule of thumb): mean Jaccard >= 0.75 'stable', 0.6--0.75 'doubtful',
    < 0.6 'not to be trusted'. A singleton cluster that stays alone scores 1, so judge
    singletons by whether a one-city "cluster" is meaningful at all.

    Input: output of :func:`code_sentences` (>= 3 cities), ``2 <= k <= n_cities - 1``.

    Output: DataFrame, one row per original cluster, columns
    ``cluster, members, size, mean_jaccard, n_dissolved, n_recovered, n_boot, reading`` where
    ``members`` is ``'、'``-joined sorted city names, ``n_dissolved`` counts replicates with best
    Jaccard <= 0.5 and ``n_recovered`` those >= 0.75. Deterministic for a given ``seed``.
    """
    cities, theme_ids, mats = _hit_matrices(coded)
    n = len(cities)
    if n < 3:
        raise ValueError(f"bootstrap_jaccard needs at least 3 cities (2 <= k <= n-1); got {n}")
    if not (2 <= int(k) <= n - 1):
        raise ValueError(f"k must be in 2..{n - 1} for {n} cities, got {k}")
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    k, n_boot = int(k), int(n_boot)
    observed = np.vstack([mats[c].mean(axis=0) for c in cities])
    base_labels = cut_clusters(_linkage(observed, method, metric), k)
    base = {lab: {cities[i] for i in np.flatnonzero(base_labels == lab)} for lab in np.unique(base_labels)}

    rng = np.random.default_rng(seed)
    draws = _boot_share_draws(mats, cities, n_boot, rng)
    best = {lab: np.empty(n_boot) for lab in base}
    for b in range(n_boot):
        values = np.vstack([draws[c][b] for c in cities])
        labels = cut_clusters(_linkage(values, method, metric), k)
        boot = [{cities[i] for i in np.flatnonzero(labels == lab)} for lab in np.unique(labels)]
        for lab, members in base.items():
            best[lab][b] = max(_jaccard(members, bc) for bc in boot)

    rows = []
    for lab, members in base.items():
        j = best[lab]
        mean_j = float(j.mean())
        rows.append((
            int(lab), "、".join(sorted(members)), len(members), mean_j,
            int((j <= 0.5).sum()), int((j >= 0.75).sum()), n_boot, stability_reading(mean_j),
        ))
    return pd.DataFrame(
        rows,
        columns=["cluster", "members", "size", "mean_jaccard", "n_dissolved", "n_recovered", "n_boot", "reading"],
    )


# --------------------------------------------------------------------------------------------
# PCA
# --------------------------------------------------------------------------------------------
class PCAResult(NamedTuple):
    """Result of :func:`pca_biplot_data`; unpacks as ``scores, loadings, explained_variance_ratio``."""

    scores: pd.DataFrame
    loadings: pd.DataFrame
    explained_variance_ratio: pd.Series


def pca_biplot_data(shares_wide: pd.DataFrame, standardize: bool = False) -> PCAResult:
    """Principal components of the city x theme share matrix, for a biplot.

    Shares are centred per theme but not scaled by default: they are all proportions on the same
    scale, and scaling would blow up rare themes whose tiny differences are mostly noise.
    Computed by SVD; each component's sign is fixed so that its largest-magnitude loading is
    positive, making results reproducible across library versions.

    Input: city x theme matrix (>= 2 cities).

    Output: :class:`PCAResult` with
    ``scores`` (index city, columns PC1..PCm: U * S), ``loadings`` (index theme, columns PC1..PCm:
    the unit-length principal axes) and ``explained_variance_ratio`` (Series indexed PC1..PCm),
    where m = min(n_cities - 1, n_themes). Zero-variance components are dropped.
    """
    _check_wide(shares_wide)
    X = shares_wide.to_numpy(dtype=float)
    X = X - X.mean(axis=0)
    if standardize:
        sd = X.std(axis=0, ddof=1)
        X = np.divide(X, sd, out=np.zeros_like(X), where=sd > 0)
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    m = min(X.shape[0] - 1, X.shape[1])
    U, S, Vt = U[:, :m], S[:m], Vt[:m]
    total = float((S ** 2).sum())
    if total <= 0:
        raise ValueError("all cities have identical theme profiles: PCA has nothing to show")
    nonzero = S > S[0] * 1e-12
    U, S, Vt = U[:, nonzero], S[nonzero], Vt[nonzero]
    signs = np.sign(Vt[np.arange(len(Vt)), np.abs(Vt).argmax(axis=1)])
    signs[signs == 0] = 1
    U, Vt = U * signs, Vt * signs[:, None]
    pcs = [f"PC{i + 1}" for i in range(len(S))]
    scores = pd.DataFrame(U * S, index=shares_wide.index, columns=pcs)
    loadings = pd.DataFrame(Vt.T, index=shares_wide.columns, columns=pcs)
    evr = pd.Series(S ** 2 / total, index=pcs, name="explained_variance_ratio")
    return PCAResult(scores, loadings, evr)


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

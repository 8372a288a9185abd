"""Policy themes: which themes do cities' quality-strong-city texts talk about, and how sure are we?

Pure functions over pandas DataFrames: no file writes, no plotting. The unit of analysis is the
*sentence*: a sentences DataFrame with columns ``doc_id, city, city_en, sentence_id, section_path,
text`` where ``text`` is a cleaned Simplified Chinese sentence.

1. :func:`code_sentences` -- theme coding: each sentence x theme gets a 0/1 hit and the evidence
   that caused it (keywords of the sentence, ``§``-keywords of its section heading), so every number
   can be traced back to words in the text. The rules are in
   :mod:`qualitylib.analysis.theme_dictionary`; lead-agency notes are cut and front matter (title,
   文号, addressees, dates: :mod:`qualitylib.analysis.front_matter`) leaves the denominator.
2. :func:`theme_shares` -- per city x theme, the share of that city's policy sentences that hit it.
3. :func:`bootstrap_shares` -- percentile intervals for those shares from a **block bootstrap**:
   themes come in sections (a section on consumer goods is a run of consumer-goods sentences), so
   whole sections are resampled within each city, not single sentences.

How well the coding agrees with a hand coding is :mod:`qualitylib.analysis.theme_evaluation`;
differences between cities :mod:`qualitylib.analysis.differences`; groupings
:mod:`qualitylib.analysis.clustering`; the dictionary-free check :mod:`qualitylib.analysis.tfidf`.
"""
from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from typing import Iterator, Sequence

import numpy as np
import pandas as pd

from ..text.agency_notes import strip_agency_notes
from .frames import require_frame
from .front_matter import is_front_matter
from .theme_dictionary import dictionary_matches, load_themes, validate_themes

__all__ = [
    "SENTENCE_COLUMNS",
    "DEFAULT_BLOCK_DEPTH",
    "load_themes",
    "strip_agency_notes",
    "code_sentences",
    "coded_to_labels",
    "label_sentences",
    "theme_shares",
    "to_wide",
    "city_en_map",
    "block_of",
    "block_sums",
    "bootstrap_shares",
    "synthetic_sentences",
]

SENTENCE_COLUMNS: tuple[str, ...] = ("doc_id", "city", "city_en", "sentence_id", "section_path", "text")
CODED_COLUMNS: tuple[str, ...] = ("doc_id", "city", "sentence_id", "theme", "hit")
#: sections are resampled at this depth of the section path: ``一、… > (二)…`` (a document with only
#: one level of headings is resampled by those)
DEFAULT_BLOCK_DEPTH = 2


# --------------------------------------------------------------------------------------------
# coding
# --------------------------------------------------------------------------------------------
def _has_content(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def _scope(texts: list[str], raw: list[str], paths: list[object], drop_front_matter: bool) -> list[str]:
    """'' for a policy sentence, else why it is out of scope: ``front_matter:<kind>``,
    ``agency_note`` (nothing left once the note is cut) or ``no_words`` (digits, brackets)."""
    out = []
    for t, r, p in zip(texts, raw, paths):
        if drop_front_matter and (kind := is_front_matter(t, p)):
            out.append(f"front_matter:{kind}")
        elif not _has_content(t):
            out.append("agency_note" if _has_content(r) else "no_words")
        else:
            out.append("")
    return out


def code_sentences(
    sentences: pd.DataFrame,
    themes: pd.DataFrame | None = None,
    *,
    drop_agency_notes: bool = True,
    drop_front_matter: bool = True,
    use_headings: bool = True,
) -> pd.DataFrame:
    """Code every sentence against every theme of the dictionary.

    Input:
        sentences: DataFrame with columns ``doc_id, city, sentence_id, text`` (``city_en`` and
            ``section_path`` used when present). ``(doc_id, sentence_id)`` must be unique.
        themes: theme dictionary as returned by :func:`load_themes` (default: the shipped one).
        drop_agency_notes: cut lead-agency notes first (see :func:`strip_agency_notes`).
        drop_front_matter: put title, 文号, addressees, issuing notice, signature and dates out of
            scope (:func:`qualitylib.analysis.front_matter.is_front_matter`).
        use_headings: let a section heading about exactly one theme pass that theme to its
            sentences (rule 3 of :mod:`qualitylib.analysis.theme_dictionary`).

    Output: long DataFrame, one row per sentence x theme (``len(sentences) * len(themes)`` rows),
    columns ``doc_id, city, city_en, sentence_id, section_path, theme, hit, n_keywords, matched,
    in_scope, scope``. ``hit`` is 1 when the theme's evidence counts; ``matched`` lists it
    (``|``-joined; heading keywords prefixed ``§``; '' if none). A sentence may hit several themes
    or none. ``in_scope`` is 0 (and ``scope`` says why: ``front_matter:<kind>``, ``agency_note`` or
    ``no_words``) for a sentence that is no policy statement; it never hits a theme, and
    :func:`theme_shares` and the bootstraps leave it out of the denominator.
    """
    require_frame(sentences, "sentences", ("doc_id", "city", "sentence_id", "text"))
    themes = load_themes() if themes is None else validate_themes(themes)
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
    has_paths = "section_path" in sentences.columns
    paths = sentences["section_path"].tolist() if has_paths else [None] * len(text_list)
    scope = _scope(text_list, sentences["text"].astype(str).tolist(), paths, drop_front_matter)
    evidence = dictionary_matches(text_list, paths if has_paths else None, themes, use_headings=use_headings)
    for col in evidence.columns:
        evidence.loc[[s != "" for s in scope], col] = ""

    theme_ids = themes["theme"].tolist()
    n_sent, n_theme = len(text_list), len(theme_ids)
    keys = sentences[["doc_id", "city", "sentence_id"]].copy()
    keys["city_en"] = sentences["city_en"] if "city_en" in sentences.columns else pd.NA
    keys["section_path"] = sentences["section_path"].fillna("").astype(str) if has_paths else ""
    keys = keys[["doc_id", "city", "city_en", "sentence_id", "section_path"]].reset_index(drop=True)
    # sentence-major order: all themes of sentence 0, then sentence 1, ... (theme order = file order)
    out = keys.loc[np.repeat(np.arange(n_sent), n_theme)].reset_index(drop=True)
    out["theme"] = pd.Categorical(np.tile(theme_ids, n_sent), categories=theme_ids)
    matched = evidence.to_numpy(dtype=object).reshape(-1) if n_sent else np.array([], dtype=object)
    out["matched"] = matched
    out["n_keywords"] = [0 if m == "" else m.count("|") + 1 for m in matched]
    out["hit"] = (out["n_keywords"] > 0).astype(np.int8)
    out["in_scope"] = np.repeat(np.array([s == "" for s in scope], dtype=np.int8), n_theme)
    out["scope"] = np.repeat(np.array(scope, dtype=object), n_theme)
    return out[["doc_id", "city", "city_en", "sentence_id", "section_path", "theme", "hit", "n_keywords",
                "matched", "in_scope", "scope"]]


def coded_to_labels(coded: pd.DataFrame) -> pd.DataFrame:
    """Input: output of :func:`code_sentences`. Output: one row per sentence (``doc_id,
    sentence_id`` in input order) with ``themes``: the ``|``-joined codes it hits, '' for none."""
    require_frame(coded, "coded", CODED_COLUMNS)
    hits = coded[coded["hit"] == 1]
    joined = hits.groupby(["doc_id", "sentence_id"], sort=False)["theme"].agg(lambda s: "|".join(map(str, s)))
    keys = coded[["doc_id", "sentence_id"]].drop_duplicates().reset_index(drop=True)
    out = keys.merge(joined.rename("themes").reset_index(), on=["doc_id", "sentence_id"], how="left")
    out["themes"] = out["themes"].fillna("")
    return out


def label_sentences(frame: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Code any table of sentences, one row per sentence: what ``qualitylib themes`` writes.

    Input: a frame with a ``text`` column (``section_path`` used when present; other columns
    ignored; missing text counts as empty). Output: DataFrame on the same index with ``themes``
    (``|``-joined theme codes, '' for none), ``theme_evidence`` (``theme:evidence`` pairs joined by
    ``; ``) and ``scope`` ('' for a policy sentence, else why it was left out)."""
    if "text" not in frame.columns:
        raise ValueError(f"the sentences need a 'text' column; got {list(frame.columns)}")
    themes = load_themes() if themes is None else validate_themes(themes)
    n = len(frame)
    if n == 0:
        return pd.DataFrame({"themes": [], "theme_evidence": [], "scope": []}, index=frame.index, dtype=object)
    sentences = pd.DataFrame({"doc_id": "d", "city": "c", "sentence_id": np.arange(n),
                              "text": frame["text"].fillna("").astype(str).to_numpy()})
    if "section_path" in frame.columns:
        sentences["section_path"] = frame["section_path"].to_numpy()
    coded = code_sentences(sentences, themes)
    hit = coded["hit"].to_numpy().reshape(n, len(themes)).astype(bool)
    matched = coded["matched"].to_numpy(dtype=object).reshape(n, len(themes))
    ids = themes["theme"].tolist()
    return pd.DataFrame({
        "themes": ["|".join(t for t, h in zip(ids, row) if h) for row in hit],
        "theme_evidence": ["; ".join(f"{t}:{m}" for t, h, m in zip(ids, row, ev) if h) for row, ev in zip(hit, matched)],
        "scope": coded["scope"].to_numpy(dtype=object).reshape(n, len(themes))[:, 0],
    }, index=frame.index)


# --------------------------------------------------------------------------------------------
# shares
# --------------------------------------------------------------------------------------------
def block_of(section_path: object, depth: int | None = DEFAULT_BLOCK_DEPTH) -> str:
    """The resampling block of a sentence: its section path cut to ``depth`` headings
    (``'二、… > (三)…'``); '' (the preamble) for a sentence before the first heading. Input: a
    section path (NaN allowed) and the depth (>= 1)."""
    path = section_path if isinstance(section_path, str) else ""
    if depth is None:
        raise ValueError("block_of needs a depth; use block_depth=None in bootstrap_shares for sentences")
    return " > ".join(path.split(" > ")[: int(depth)]) if path else ""


def _wide_hits(coded: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    require_frame(coded, "coded", CODED_COLUMNS)
    if "in_scope" in coded.columns:
        coded = coded[coded["in_scope"] == 1]
        if coded.empty:
            raise ValueError("coded has no in-scope sentences (all were agency notes or front matter)")
    theme_ids = (
        list(coded["theme"].cat.categories)
        if isinstance(coded["theme"].dtype, pd.CategoricalDtype)
        else list(pd.unique(coded["theme"]))
    )
    index = ["city", "doc_id", "sentence_id"] + (["section_path"] if "section_path" in coded.columns else [])
    wide = coded.pivot_table(index=index, columns="theme", values="hit", aggfunc="max", observed=False)
    wide = wide.reindex(columns=theme_ids)
    if wide.isna().any().any():
        raise ValueError("coded is not a full sentence x theme grid (some sentence lacks some theme rows)")
    return wide, theme_ids


#: (id of the coded frame, block depth) -> block sums, while :func:`reusing_block_sums` is active
_SUMS_CACHE: dict[tuple[int, int | None], tuple] | None = None


@contextmanager
def reusing_block_sums() -> Iterator[None]:
    """Within the block, :func:`block_sums` of the same coded frame (the same object, which the
    caller promises not to change) and depth is computed once: the shares, the sentence-level
    shares and the differences each need it, and building it pivots the whole sentence x theme
    grid. Input: nothing. Output: a context manager; the cache is dropped on leaving it."""
    global _SUMS_CACHE
    outer = _SUMS_CACHE
    _SUMS_CACHE = {} if outer is None else outer
    try:
        yield
    finally:
        _SUMS_CACHE = outer


def block_sums(coded: pd.DataFrame, block_depth: int | None = DEFAULT_BLOCK_DEPTH
               ) -> tuple[list[str], list[str], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Per city, the hits and sentence counts of each resampling block.

    Input: output of :func:`code_sentences` (in-scope sentences only are used); ``block_depth``:
    blocks are sections cut at that depth (see :func:`block_of`; blocks never span documents), or
    None for one block per sentence (the plain bootstrap).

    Output: ``(cities, themes, sums)`` with cities sorted and ``sums[city] = (H, N)``: ``H`` an
    (n_blocks x n_themes) array of hit counts, ``N`` the sentences per block. Blocks are ordered by
    document and first sentence, so results never depend on input row order."""
    if _SUMS_CACHE is None:
        return _block_sums(coded, block_depth)
    key = (id(coded), None if block_depth is None else int(block_depth))
    if key not in _SUMS_CACHE:
        _SUMS_CACHE[key] = (coded, _block_sums(coded, block_depth))  # holding coded keeps its id unique
    cities, theme_ids, sums = _SUMS_CACHE[key][1]
    return list(cities), list(theme_ids), {c: (H.copy(), N.copy()) for c, (H, N) in sums.items()}


def _block_sums(coded: pd.DataFrame, block_depth: int | None
                ) -> tuple[list[str], list[str], dict[str, tuple[np.ndarray, np.ndarray]]]:
    wide, theme_ids = _wide_hits(coded)
    idx = wide.index.to_frame(index=False)
    if block_depth is None:
        block = idx["sentence_id"].astype(str)
    else:
        if int(block_depth) < 1:
            raise ValueError(f"block_depth must be >= 1 or None, got {block_depth}")
        if "section_path" in idx.columns:
            codes, uniques = pd.factorize(idx["section_path"], use_na_sentinel=False)
            cut = np.array([block_of(p, block_depth) for p in uniques], dtype=object)
            block = pd.Series(cut[codes] if len(cut) else np.array([], dtype=object))
        else:
            block = pd.Series([""] * len(idx), dtype=object)
    values = wide.to_numpy(dtype=float)
    # (city, document, block) keys numbered in order of first appearance: rows are sorted by
    # doc_id and sentence_id within a city (pivot_table sorts its index)
    city_codes, city_names = pd.factorize(idx["city"], sort=True)
    cities = city_names.tolist()
    block_idx, first = _first_appearance(city_codes, idx["doc_id"], block)
    n_blocks = len(first)
    H_all = np.zeros((n_blocks, len(theme_ids)))
    np.add.at(H_all, block_idx, values)
    N_all = np.bincount(block_idx, minlength=n_blocks).astype(float)
    block_city = city_codes[first]
    order = np.argsort(block_city, kind="stable")  # each city's blocks, in order of appearance
    bounds = np.searchsorted(block_city[order], np.arange(len(cities) + 1))
    sums = {}
    for i, c in enumerate(cities):
        sel = order[bounds[i]:bounds[i + 1]]
        sums[c] = (H_all[sel], N_all[sel])
    return cities, theme_ids, sums


def _first_appearance(city_codes: np.ndarray, doc_ids: pd.Series, block: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Number the (city, document, block) keys of the rows in order of first appearance.
    Output: ``(block index per row, first row of each block)``."""
    block_idx = pd.MultiIndex.from_arrays([city_codes, doc_ids.to_numpy(), block.to_numpy()]).factorize(sort=False)[0]
    n_blocks = int(block_idx.max()) + 1 if len(block_idx) else 0
    first = np.full(n_blocks, len(block_idx), dtype=np.int64)
    np.minimum.at(first, block_idx, np.arange(len(block_idx)))
    return block_idx, first


def city_en_map(df: pd.DataFrame) -> dict[str, str]:
    """Map Chinese city name -> pinyin/English name from any frame with ``city`` and ``city_en``.

    Input: sentences, coded or shares frame. Output: dict (empty if ``city_en`` is absent).
    """
    if "city" not in df.columns or "city_en" not in df.columns:
        return {}
    pairs = df[["city", "city_en"]].dropna().drop_duplicates()
    return dict(zip(pairs["city"], pairs["city_en"]))


def theme_shares(coded: pd.DataFrame) -> pd.DataFrame:
    """Share of each city's policy sentences that hit each theme.

    Input: output of :func:`code_sentences`.

    Output: long DataFrame, one row per city x theme, columns
    ``city, city_en, theme, n_sentences, n_hits, share``, with ``share = n_hits / n_sentences``.
    These are shares *of sentences*: one sentence can hit several themes (or none), so a
    city's shares do **not** sum to 1 and must not be read as a composition of the text.
    """
    cities, theme_ids, sums = block_sums(coded, None)
    names = city_en_map(coded)
    rows = []
    for c in cities:
        H, N = sums[c]
        hits, n = H.sum(axis=0), int(N.sum())
        for j, t in enumerate(theme_ids):
            rows.append((c, names.get(c, pd.NA), t, n, int(hits[j]), hits[j] / n))
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


def iter_share_draws(sums: dict[str, tuple[np.ndarray, np.ndarray]], cities: Sequence[str], n_boot: int,
                     rng: np.random.Generator, chunk: int = 500):
    """:func:`boot_share_draws` one city at a time: yields ``(city, n_boot x n_themes array)``, so a
    caller can keep the draws in whatever layout it needs (the random stream is the same)."""
    for c in cities:
        H, N = sums[c]
        n = len(N)
        out = np.empty((n_boot, H.shape[1]))
        # Whole-number sums (hit and sentence counts, far below 2**53) make every product and partial
        # sum exact, so one float product of counts with [H | N] gives the same numbers as the integer
        # products, in a fraction of the time.
        HN = np.column_stack([H, N]).astype(float)
        exact = bool(np.all(HN == np.round(HN))) and float(np.abs(HN).sum()) * n < 2.0 ** 52
        for start in range(0, n_boot, chunk):  # chunks bound memory at chunk x n counts
            counts = rng.multinomial(n, np.full(n, 1.0 / n), size=min(chunk, n_boot - start))
            if exact:
                both = counts.astype(float) @ HN
                np.divide(both[:, :-1], both[:, -1:], out=out[start:start + len(counts)])
            else:
                out[start:start + len(counts)] = (counts @ H) / (counts @ N)[:, None]
        yield c, out


def boot_share_draws(sums: dict[str, tuple[np.ndarray, np.ndarray]], cities: Sequence[str], n_boot: int,
                     rng: np.random.Generator, chunk: int = 500) -> dict[str, np.ndarray]:
    """For each city (in the given order), an (n_boot x n_themes) array of resampled shares.

    Blocks are drawn with replacement, as many as the city has; a draw is expressed as a
    multinomial count vector (exactly the counts of n draws with replacement), so the resampled
    share is ``counts @ H / counts @ N`` -- hits over sentences of the drawn blocks."""
    return dict(iter_share_draws(sums, cities, n_boot, rng, chunk))


def bootstrap_shares(
    coded: pd.DataFrame, n_boot: int = 1000, seed: int = 0, ci: float = 0.95,
    block_depth: int | None = DEFAULT_BLOCK_DEPTH,
) -> pd.DataFrame:
    """Percentile block-bootstrap intervals for the theme shares.

    Within each city, the blocks (sections at ``block_depth``, see :func:`block_sums`; None: single
    sentences) are resampled with replacement, the share recomputed as hits over sentences of the
    drawn blocks, and the ``(1-ci)/2`` and ``1-(1-ci)/2`` quantiles taken. Resampling sections
    keeps a section's sentences together: they share a topic, so they are not independent draws,
    and resampling single sentences would make the intervals too narrow. Deterministic for a given
    ``seed`` (one :class:`numpy.random.Generator`, cities drawn in sorted order).

    Input: output of :func:`code_sentences`.

    Output: long DataFrame, one row per city x theme, columns ``city, city_en, theme, n_sentences,
    n_hits, share, lo, hi, se, ci, n_boot, n_blocks, block_depth`` (``share`` observed, ``se`` the
    bootstrap standard deviation; ``block_depth`` 0 means single sentences). A share of exactly 0
    (or 1) gets a degenerate interval: read it as "not observed", not "certainly absent".
    """
    if not (0 < ci < 1):
        raise ValueError(f"ci must be in (0, 1), got {ci}")
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    cities, theme_ids, sums = block_sums(coded, block_depth)
    base = theme_shares(coded)
    rng = np.random.default_rng(seed)
    draws = boot_share_draws(sums, cities, int(n_boot), rng)
    alpha = (1.0 - ci) / 2.0
    rows = []
    for c in cities:
        d = draws[c]
        lo, hi = np.quantile(d, alpha, axis=0), np.quantile(d, 1.0 - alpha, axis=0)
        se = d.std(axis=0, ddof=1) if d.shape[0] > 1 else np.zeros(d.shape[1])
        for j, t in enumerate(theme_ids):
            rows.append((c, t, lo[j], hi[j], se[j], len(sums[c][1])))
    extra = pd.DataFrame(rows, columns=["city", "theme", "lo", "hi", "se", "n_blocks"])
    extra["theme"] = pd.Categorical(extra["theme"], categories=theme_ids)
    out = base.merge(extra, on=["city", "theme"], how="left", validate="one_to_one")
    out["ci"] = ci
    out["n_boot"] = int(n_boot)
    out["block_depth"] = 0 if block_depth is None else int(block_depth)
    return out[["city", "city_en", "theme", "n_sentences", "n_hits", "share", "lo", "hi", "se", "ci", "n_boot",
                "n_blocks", "block_depth"]]


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

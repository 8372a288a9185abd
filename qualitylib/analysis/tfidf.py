"""TF-IDF: a dictionary-free second opinion on policy emphasis -- the character n-grams most specific
to each city when each city's text is one document. Input: policy sentences; output: a long table of
terms and scores per city."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from ..text.agency_notes import strip_agency_notes
from .frames import require_cities, require_frame
from .themes import city_en_map


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

    All sentences of a city are joined into one document (one document per city), then each
    document's character n-grams (2-4 characters: Chinese has no spaces, so character n-grams stand
    in for words) are weighted as scikit-learn's ``TfidfVectorizer(analyzer='char',
    sublinear_tf=True)`` weights them -- sublinear tf (1 + log tf) stops one phrase repeated in a long
    document from filling the list -- except that each city's vector is normalised over the n-grams
    that can be listed (letters only), not over all of them: numbers and punctuation then move no
    score, and a plan whose only change is a target value has the same terms and scores.

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
    docs = tfidf_documents(sentences, drop_agency_notes=drop_agency_notes, drop_city_names=drop_city_names,
                           mask_names=mask_names)
    return tfidf_from_documents(docs, city_en_map(sentences), top_n, ngram_range, drop_shared=drop_shared,
                                collapse_overlaps=collapse_overlaps)


def tfidf_documents(sentences: pd.DataFrame, *, drop_agency_notes: bool = True, drop_city_names: bool = True,
                    mask_names: Iterable[str] = ()) -> pd.Series:
    """The first half of :func:`tfidf_profile`: one document per city, as it is vectorised -- agency
    notes stripped, names masked, and every character that is not a letter replaced by a line break
    (no listed n-gram holds one, and the scores are normalised over letters-only n-grams, so the
    result depends on this text alone: it is what a caller keys a stored result on).

    Input: sentences DataFrame (``city``, ``text``), >= 2 cities. Output: Series city -> text,
    sorted by city."""
    require_frame(sentences, "sentences", ("city", "text"))
    texts = sentences["text"].astype(str)
    if drop_agency_notes:
        texts = texts.map(strip_agency_notes)
    docs = texts.groupby(sentences["city"]).agg("\n".join).sort_index()
    require_cities(len(docs), "tfidf_profile")
    if drop_city_names or mask_names:
        names_to_mask = set(mask_names)
        if drop_city_names:
            names_to_mask |= {str(c) for c in docs.index} | {_city_stem(c) for c in docs.index}
        # longest first, so 芜湖市 is masked whole before its stem 芜湖 is looked for
        ordered = sorted((n for n in names_to_mask if len(n) >= 2), key=lambda n: (-len(n), n))
        if ordered:
            pattern = re.compile("|".join(map(re.escape, ordered)))
            docs = docs.map(lambda d: pattern.sub("\n", d))
    chars = set().union(*map(set, docs))
    not_letters = {ord(ch): "\n" for ch in chars if not _is_content_ngram(ch) and ch != "\n"}
    return docs.map(lambda d: d.translate(not_letters))


def tfidf_from_documents(docs: pd.Series, names: dict, top_n: int = 15, ngram_range: tuple[int, int] = (2, 4), *,
                         drop_shared: bool = True, collapse_overlaps: bool = True) -> pd.DataFrame:
    """The second half of :func:`tfidf_profile`. Input: :func:`tfidf_documents`' output and a map
    city -> pinyin name. Output: as :func:`tfidf_profile`."""
    from sklearn.feature_extraction.text import TfidfTransformer

    if top_n < 1:
        raise ValueError(f"top_n must be >= 1, got {top_n}")
    require_cities(len(docs), "tfidf_profile")
    C, vocab = char_ngram_counts(docs.tolist(), ngram_range)
    counts_mat = C.tocsr()
    df_city = np.bincount(counts_mat.indices, minlength=len(vocab))  # cities whose text has the term
    content = _content_mask(vocab)
    # weights as TfidfVectorizer(analyzer='char', sublinear_tf=True) before its l2 norm; the norm is
    # then taken over the letters-only n-grams, the only ones that can be listed
    X = TfidfTransformer(sublinear_tf=True, norm=None).fit(C).transform(C.copy(), copy=False).tocsr()
    X = X @ sparse.diags_array(content.astype(np.float64))
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sparse.diags_array(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ X
    X = sparse.csr_array(X)
    keep = content & np.fromiter((t[0] not in _EDGE_STOP_CHARS and t[-1] not in _EDGE_STOP_CHARS for t in vocab),
                                 dtype=bool, count=len(vocab))
    if drop_shared:
        keep &= df_city < len(docs)
    term_len = np.fromiter(map(len, vocab), dtype=np.int64, count=len(vocab))
    rows = []
    for i, city in enumerate(docs.index):
        scores = X[[i]].toarray().ravel()
        cnt = counts_mat[[i]].toarray().ravel()
        cand = np.flatnonzero((scores > 0) & keep)
        # score desc; ties: more occurrences, longer, then the term itself (fully deterministic; the
        # vocabulary is sorted, so the term's order is its index)
        cand = cand[np.lexsort((cand, -term_len[cand], -cnt[cand], -scores[cand]))]
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


_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's vectorizers


def char_ngram_counts(docs: list[str], ngram_range: tuple[int, int] = (2, 4)) -> tuple[sparse.csr_array, np.ndarray]:
    """The count matrix of ``CountVectorizer(analyzer='char', ngram_range=ngram_range,
    lowercase=False, dtype=float64).fit_transform(docs)`` -- the same matrix, entry for entry and in
    the same storage order (so sums over a row, e.g. the TF-IDF norm, are the same to the last bit),
    without scikit-learn's per-n-gram Python loop.

    Input: documents, ``(min_n, max_n)``. Output: ``(counts, vocabulary)``: a documents x terms CSR
    array of float counts and the terms (object array, sorted, as ``get_feature_names_out``)."""
    min_n, max_n = ngram_range
    if min_n > max_n:
        raise ValueError(f"Invalid value for ngram_range={ngram_range} lower boundary larger than the upper boundary.")
    terms: list[str] = []  # every document's distinct n-grams, in order of first appearance
    values: list[int] = []
    indptr = [0]
    for doc in docs:
        text = _WHITE_SPACES.sub(" ", doc)
        size = len(text)
        grams = list(text) if min_n == 1 else []
        for n in range(min_n + 1 if min_n == 1 else min_n, min(max_n + 1, size + 1)):
            grams += [text[i:i + n] for i in range(size - n + 1)]
        counter = Counter(grams)  # keys in order of first appearance, as scikit-learn counts them
        terms.extend(counter)
        values.extend(counter.values())
        indptr.append(len(terms))
    if not terms:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    # scikit-learn numbers terms in order of first appearance in the corpus, sorts each row by that
    # number, then renumbers the terms alphabetically without re-sorting the rows
    first_seen = np.array(list(dict.fromkeys(terms)), dtype=object)
    number = {t: i for i, t in enumerate(first_seen)}
    gid = np.fromiter(map(number.__getitem__, terms), dtype=np.int64, count=len(terms))
    del number
    alpha_order = np.argsort(first_seen, kind="stable")
    vocab = first_seen[alpha_order]
    rank = np.empty(len(vocab), dtype=np.int64)
    rank[alpha_order] = np.arange(len(vocab))
    row = np.repeat(np.arange(len(docs)), np.diff(indptr))
    order = np.lexsort((gid, row))
    index_dtype = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
    counts = sparse.csr_array((np.asarray(values, dtype=np.float64)[order], rank[gid[order]].astype(index_dtype),
                               np.asarray(indptr, dtype=index_dtype)), shape=(len(docs), len(vocab)))
    return counts, vocab


def _content_mask(vocab: np.ndarray) -> np.ndarray:
    """:func:`_is_content_ngram` for every term, deciding each distinct character once."""
    chars = set().union(*map(set, vocab)) if len(vocab) else set()
    bad = sorted(ch for ch in chars if not _is_content_ngram(ch))
    if not bad:
        return np.ones(len(vocab), dtype=bool)
    pattern = re.compile("[" + "".join(re.escape(ch) for ch in bad) + "]")
    return np.fromiter((pattern.search(t) is None for t in vocab), dtype=bool, count=len(vocab))

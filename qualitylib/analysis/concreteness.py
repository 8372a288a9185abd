"""How concrete are the commitments? The pledge-specificity measure of the manifesto literature
(a pledge is specific when one could check whether it was kept) applied to plans.

Per task sentence (an in-scope policy sentence, :func:`qualitylib.analysis.themes.code_sentences`),
:func:`sentence_flags` records whether it carries

* ``number`` -- a quantity: Arabic digits (years, dates, list numbers such as ``(1)`` and codes such
  as ISO9001 do not count), a percentage, or a Chinese numeral with a measure word (``培育三家``,
  ``两个``; not ``一批``/``一个``, which say "some");
* ``deadline`` -- a year of completion (``到2020年``, ``2018年底前``; not ``2015年以来`` or
  ``比2015年``) or a relative one (``年底``, ``年内``, ``年末``, ``上半年``, ``6月底前``);
* ``agency`` -- a named (non-blanket) responsible agency in its task's note; ``lead`` -- a named lead
  (:mod:`qualitylib.analysis.agencies`).

:func:`concreteness_shares` gives, per city and theme (and ``all``), the share of task sentences with
each flag and block-bootstrap intervals from the same machinery as the theme shares
(:func:`qualitylib.analysis.themes.block_of` blocks, :func:`qualitylib.analysis.themes.boot_share_draws`):
sections are resampled within a city. :func:`kind_mix` does the same for the kinds of the extracted
targets (level, increment, delta, annual growth) with the target's section as block.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..text.agency_notes import strip_agency_notes
from .agencies import agency_rows, task_table
from .frames import require_frame
from .themes import DEFAULT_BLOCK_DEPTH, block_of, boot_share_draws, city_en_map

__all__ = ["MEASURES", "KINDS", "has_number", "has_deadline", "sentence_flags", "concreteness_shares",
           "kind_mix"]

MEASURES = ("number", "deadline", "agency", "lead")
KINDS = ("level", "increment", "delta", "annual_growth")

_YEAR = r"(?:19|20)\d{2}"
_DEADLINE = re.compile(
    rf"(?<![比较与同])(?:到|至|于|在)?{_YEAR}年(?!以来|来|同期|水平)(?:底|末|前|内|年底)?"
    r"|年底|年内|年末|上半年|下半年|\d{1,2}月(?:底|末)?(?:前|底)"
)
_NOT_QUANTITY = re.compile(
    rf"{_YEAR}(?:年|[-—~至到]{_YEAR})|\d{{1,2}}月(?:\d{{1,2}}日)?|^\s*[(（]?\d+[)）.、]|[A-Za-z]+[/ ]?[A-Za-z]*\s?\d+[A-Za-z]*"
    r"|\d+[A-Za-z]+|第\d+|第[一二三四五六七八九十百千万]+"
)
_CN_NUM = r"(?:[二两三四五六七八九十百千万]|一[十百千万])[一二两三四五六七八九十百千万零]*"
_MEASURE = r"(?:个|项|家|件|条|所|批|次|倍|名|座|户|处|类|种|支|位|只|套|亿|万|人|公里|吨|亩)"
_QUANTITY = re.compile(rf"\d|%|百分点|百分之|{_CN_NUM}{_MEASURE}")


def has_deadline(text: str) -> bool:
    """Input: one sentence. Output: True when it names a completion year or a relative deadline."""
    return bool(_DEADLINE.search(text))


def has_number(text: str) -> bool:
    """Input: one sentence. Output: True when it carries a quantity (rules in the module docstring)."""
    cleaned = _NOT_QUANTITY.sub(" ", text)
    cleaned = re.sub(r"十[一二三四五]五", " ", cleaned)  # 十三五 is a plan period
    return bool(_QUANTITY.search(cleaned))


def sentence_flags(sentences: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Input: policy sentences (as for :func:`qualitylib.analysis.agencies.task_table`).
    Output: one row per sentence, ``doc_id, city, sentence_id, task_id, number, deadline, agency,
    lead`` (0/1); the agency note is cut from the text before numbers and dates are looked for."""
    tasks = task_table(sentences)
    rows = agency_rows(tasks, documents)
    named = set(rows.loc[rows["role"] != "blanket", "task_id"])
    lead = set(rows.loc[rows["role"] == "lead", "task_id"])
    text = tasks["text"].fillna("").astype(str).map(strip_agency_notes)
    out = tasks[["doc_id", "city", "sentence_id", "task_id"]].copy()
    out["number"] = text.map(has_number).astype(np.int8)
    out["deadline"] = text.map(has_deadline).astype(np.int8)
    out["agency"] = tasks["task_id"].isin(named).astype(np.int8)
    out["lead"] = tasks["task_id"].isin(lead).astype(np.int8)
    return out


def _intervals(sums: dict, keys: list, n_boot: int, seed: int, ci: float) -> dict:
    rng = np.random.default_rng(seed)
    draws = boot_share_draws(sums, keys, int(n_boot), rng)
    a = (1.0 - ci) / 2.0
    if not draws:
        return {}
    # one quantile call per bound over all keys side by side: each column is computed on its own, so
    # the numbers are those of a call per key, without thousands of small calls (the bounds stay two
    # scalar-q calls: a list of q rounds differently in the last bit)
    ks = list(draws)
    widths = [draws[k].shape[1] for k in ks]
    stacked = np.concatenate([draws[k] for k in ks], axis=1)
    lo, hi = np.quantile(stacked, a, axis=0), np.quantile(stacked, 1.0 - a, axis=0)
    cuts = np.cumsum([0] + widths)
    return {k: (lo[s:e], hi[s:e]) for k, s, e in zip(ks, cuts[:-1], cuts[1:])}


def concreteness_shares(flags: pd.DataFrame, coded: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0,
                        ci: float = 0.95, block_depth: int | None = DEFAULT_BLOCK_DEPTH) -> pd.DataFrame:
    """Share of task sentences with a number, a deadline, a named agency and a named lead, per city
    and theme, with percentile block-bootstrap intervals.

    Input: :func:`sentence_flags` and :func:`qualitylib.analysis.themes.code_sentences` of the same
    sentences (only in-scope sentences count). ``block_depth`` as in
    :func:`qualitylib.analysis.themes.bootstrap_shares` (None: single sentences).

    Output: long frame ``city, city_en, theme, measure, n_sentences, n_hits, share, lo, hi,
    n_blocks, ci, n_boot, block_depth``; ``theme == 'all'`` is every task sentence of the city. Within
    a city and theme the blocks holding its sentences are resampled; a theme with no sentence in a
    city has no row."""
    if not (0 < ci < 1):
        raise ValueError(f"ci must be in (0, 1), got {ci}")
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    require_frame(flags, "flags", ("doc_id", "sentence_id", *MEASURES))
    require_frame(coded, "coded", ("doc_id", "city", "sentence_id", "theme", "hit"))
    c = coded[coded["in_scope"] == 1] if "in_scope" in coded.columns else coded
    themes = (list(c["theme"].cat.categories) if isinstance(c["theme"].dtype, pd.CategoricalDtype)
              else list(pd.unique(c["theme"])))
    wide = c.pivot_table(index=["city", "doc_id", "sentence_id"], columns="theme", values="hit", aggfunc="max",
                         observed=False).reindex(columns=themes).fillna(0)
    wide.columns = [str(t) for t in wide.columns]
    wide["all"] = 1
    paths = c.drop_duplicates(["doc_id", "sentence_id"]).set_index(["doc_id", "sentence_id"])
    paths = paths["section_path"] if "section_path" in paths.columns else pd.Series("", index=paths.index)
    idx = wide.index.to_frame(index=False)
    f = flags.set_index(["doc_id", "sentence_id"])[list(MEASURES)]
    fv = f.reindex(pd.MultiIndex.from_frame(idx[["doc_id", "sentence_id"]])).fillna(0).to_numpy(dtype=float)
    if block_depth is None:
        idx["block"] = idx["sentence_id"].astype(str)
    else:
        pv = paths.reindex(pd.MultiIndex.from_frame(idx[["doc_id", "sentence_id"]])).tolist()
        idx["block"] = [block_of(p, block_depth) for p in pv]
    theme_cols = ["all"] + [str(t) for t in themes]
    hits = wide[theme_cols].to_numpy(dtype=float)
    sums, meta = {}, {}
    # (doc, block) pairs numbered once; per city they are renumbered in order of first appearance,
    # as factorising the city's own pairs would (the bootstrap draws depend on that order)
    pair_codes = pd.factorize(pd.MultiIndex.from_arrays([idx["doc_id"], idx["block"]]), sort=False)[0]
    city_rows = idx.groupby("city", sort=True).indices
    for city in sorted(idx["city"].unique()):
        rows = city_rows[city]
        bidx, bkeys = pd.factorize(pair_codes[rows], sort=False)
        for j, t in enumerate(theme_cols):
            h = hits[rows, j]
            if h.sum() == 0:
                continue
            H = np.zeros((len(bkeys), len(MEASURES)))
            np.add.at(H, bidx, fv[rows] * h[:, None])
            N = np.bincount(bidx, weights=h, minlength=len(bkeys))
            keep = N > 0
            sums[(city, t)] = (H[keep], N[keep])
            meta[(city, t)] = (int(h.sum()), H[keep].sum(axis=0), int(keep.sum()))
    keys = list(sums)
    iv = _intervals(sums, keys, n_boot, seed, ci)
    names = city_en_map(coded)
    out = []
    for key in keys:
        n, hsum, nb = meta[key]
        lo, hi = iv[key]
        for m, measure in enumerate(MEASURES):
            out.append((key[0], names.get(key[0], pd.NA), key[1], measure, n, int(hsum[m]), hsum[m] / n,
                        lo[m], hi[m], nb))
    res = pd.DataFrame(out, columns=["city", "city_en", "theme", "measure", "n_sentences", "n_hits", "share",
                                     "lo", "hi", "n_blocks"])
    res["ci"], res["n_boot"] = ci, int(n_boot)
    res["block_depth"] = 0 if block_depth is None else int(block_depth)
    return res


def kind_mix(targets: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0, ci: float = 0.95,
             block_depth: int | None = DEFAULT_BLOCK_DEPTH) -> pd.DataFrame:
    """The mix of target kinds per city with block-bootstrap intervals (blocks: the target's
    ``section`` cut at ``block_depth``, within its document).

    Input: ``targets.csv`` rows (``doc_id, city, kind``; ``section`` and ``city_en`` used when
    present). Output: long frame ``city, city_en, kind, n_targets, n, share, lo, hi, n_blocks, ci, n_boot`` with
    one row per city x kind of :data:`KINDS` (share of the city's targets of that kind)."""
    require_frame(targets, "targets", ("doc_id", "city", "kind"))
    t = targets.copy()
    kinds = list(KINDS) + sorted(set(t["kind"].dropna()) - set(KINDS))
    onehot = np.stack([(t["kind"] == k).to_numpy(dtype=float) for k in kinds], axis=1)
    sec = t["section"] if "section" in t.columns else pd.Series([""] * len(t), index=t.index)
    blocks = (t.index.astype(str) if block_depth is None else [block_of(p, block_depth) for p in sec])
    t["block"] = list(blocks)
    sums, meta = {}, {}
    for city in sorted(t["city"].unique()):
        rows = np.flatnonzero((t["city"] == city).to_numpy())
        sub = t.iloc[rows]
        bidx, bkeys = pd.factorize(pd.MultiIndex.from_arrays([sub["doc_id"], sub["block"]]), sort=False)
        H = np.zeros((len(bkeys), len(kinds)))
        np.add.at(H, bidx, onehot[rows])
        N = np.bincount(bidx, minlength=len(bkeys)).astype(float)
        sums[city] = (H, N)
        meta[city] = (len(rows), H.sum(axis=0), len(bkeys))
    iv = _intervals(sums, list(sums), n_boot, seed, ci)
    names = city_en_map(t)
    out = []
    for city in sums:
        n, hsum, nb = meta[city]
        lo, hi = iv[city]
        for j, k in enumerate(kinds):
            out.append((city, names.get(city, pd.NA), k, int(hsum[j]), n, hsum[j] / n, lo[j], hi[j], nb))
    res = pd.DataFrame(out, columns=["city", "city_en", "kind", "n_targets", "n", "share", "lo", "hi", "n_blocks"])
    res["ci"], res["n_boot"] = ci, int(n_boot)
    return res

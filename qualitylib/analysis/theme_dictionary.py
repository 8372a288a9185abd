"""The policy-theme dictionary and the rules that make a keyword count: which themes a sentence is
*about*, read by meaning rather than by plain substring.

A keyword of a theme (``qualitylib/data/themes.csv``, column ``keywords``) counts only where the
sentence uses it for what it says. Four rules, each a reading rule a human coder applies too
(``data/annotations/THEMES.md``):

1. **Names are not topics** (every theme). Cited document titles after a citing verb (``按照《…工作方案》``),
   parenthetical examples (``（如鞋类、宠物食品）``), agency names (``市生态环境局``) and, for every theme
   but leadership, the names of leading bodies (``…质量与商标战略工作领导小组``) are masked before
   matching.
2. **Exclusions** (column ``exclusions``): phrases in which a theme's keyword means something else,
   masked for that theme only -- ``生态原产地`` is a brand label, not environment; ``公共服务质量`` is
   public services, not the service sector; ``舆论监督`` is supervision, not publicity.
3. **Headings are context**: a section whose own heading is about exactly one theme
   (``(四)扎实开展消费品质量提升专项行动``) passes that theme to every sentence in it, so
   ``加强质量安全风险管控`` under it is also about consumer goods. A heading about two or more
   themes (``加快农业、制造业和服务业质量升级``, or an umbrella term such as ``质量基础设施`` that covers
   standards and metrology: :data:`UMBRELLA_TERMS`) passes none: it does not say which one a sentence
   takes up.
4. Agency notes and front matter are no policy text at all; they are removed before coding by
   :mod:`qualitylib.text.agency_notes` and :mod:`qualitylib.analysis.front_matter`.

Input: strings (a sentence and, optionally, its section path ``一、… > (二)…``). Output: per theme,
the keywords that count, so every hit can be audited.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import pandas as pd

from ..resources import data_frame
from ..text.headings import heading_level
from .frames import require_frame

__all__ = [
    "THEME_COLUMNS",
    "load_themes",
    "validate_themes",
    "mask_names",
    "innermost_heading",
    "match_sentence",
    "heading_themes",
    "dictionary_matches",
]

THEME_COLUMNS: tuple[str, ...] = ("theme", "label_zh", "label_en", "keywords", "exclusions")
#: the theme for which names of leading bodies (领导小组, 委员会, 联席会议) are the topic itself
LEADERSHIP_THEME = "leadership_organisation_assessment"
_MASK = "□"
#: terms that name several themes at once: the national quality infrastructure (质量基础, 质量基础设施) is
#: metrology, standards, certification and testing together, so a heading about it says neither
UMBRELLA_TERMS: dict[str, tuple[str, ...]] = {
    "质量基础": ("standards", "metrology_testing_certification"),
}


# --------------------------------------------------------------------------------------------
# dictionary
# --------------------------------------------------------------------------------------------
def _split(raw: str, theme: str, column: str, allow_empty: bool) -> tuple[str, ...]:
    raw = str(raw).strip()
    if raw == "" and allow_empty:
        return ()
    words = tuple(w.strip() for w in raw.split("|"))
    if not words or any(w == "" for w in words):
        raise ValueError(f"theme {theme!r} has an empty entry in {column} (check for '||' or a trailing '|')")
    return words


def validate_themes(themes: pd.DataFrame) -> pd.DataFrame:
    """Input: a theme dictionary frame (``theme, label_zh, label_en, keywords`` and optionally
    ``exclusions``). Output: a copy with ``keyword_list`` and ``exclusion_list`` (tuples of plain
    substrings) added. ValueError naming the theme for a duplicate id or an empty entry."""
    require_frame(themes, "themes", THEME_COLUMNS[:4])
    if themes["theme"].duplicated().any():
        dup = themes.loc[themes["theme"].duplicated(), "theme"].tolist()
        raise ValueError(f"themes has duplicate theme ids: {dup}")
    out = themes.copy()
    if "exclusions" not in out.columns:
        out["exclusions"] = ""
    out["exclusions"] = out["exclusions"].fillna("").astype(str)
    out["keyword_list"] = [_split(k, t, "keywords", False) for t, k in zip(out["theme"], out["keywords"])]
    out["exclusion_list"] = [_split(e, t, "exclusions", True) for t, e in zip(out["theme"], out["exclusions"])]
    cols = list(THEME_COLUMNS) + ["keyword_list", "exclusion_list"]
    return out.loc[:, cols].reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _load_themes_cached() -> pd.DataFrame:
    return validate_themes(data_frame("themes.csv"))


def load_themes() -> pd.DataFrame:
    """Load the policy-theme dictionary shipped as ``qualitylib/data/themes.csv``.

    Output: one row per theme, in file order, columns ``theme, label_zh, label_en, keywords,
    exclusions`` (``|``-separated, as in the file) and ``keyword_list``/``exclusion_list`` (tuples).
    A fresh copy every call, so a caller mutating it cannot corrupt the cache."""
    return _load_themes_cached().copy()


# --------------------------------------------------------------------------------------------
# rule 1: names are not topics
# --------------------------------------------------------------------------------------------
_CITING = r"(?:按照|根据|依据|依照|遵照|落实|贯彻|贯彻落实|现将|印发|关于印发|对照|参照|执行)"
_CITED_TITLE = re.compile(rf"({_CITING})《[^》]{{1,80}}》")
_EXAMPLES = re.compile(r"[（(](?:如|含|包括|例如|比如|即)[^（）()]{1,60}[）)]")
# 市生态环境局, 省质监局, 县农业局 -- but not 格局/布局/结局/当局
_AGENCY = re.compile(r"[市省县区][\u4e00-\u9fff]{1,8}?(?<![格布结当])局")
# 质量与商标战略工作领导小组, 市质量发展委员会, 品牌建设工作联席会议 (one clause, no punctuation)
_BODY = re.compile(r"[\u4e00-\u9fff、与和]{2,24}?(?:领导小组|委员会|联席会议)")


def mask_names(text: str, *, bodies: bool = True) -> str:
    """Rule 1: mask cited titles, parenthetical examples, agency names and (``bodies``) names of
    leading bodies with ``□`` so their words cannot make a theme. Input/output: a string."""
    text = _CITED_TITLE.sub(lambda m: m.group(1) + _MASK, text)
    text = _EXAMPLES.sub(_MASK, text)
    text = _AGENCY.sub(_MASK, text)
    if bodies:
        text = _BODY.sub(_MASK, text)
    return text


def _match(text: str, keywords: Sequence[str], exclusions: Sequence[str]) -> list[str]:
    for phrase in exclusions:  # rule 2, for this theme only
        if phrase in text:
            text = text.replace(phrase, _MASK)
    return [kw for kw in keywords if kw in text]


def _theme_rules(themes: pd.DataFrame) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """The dictionary as plain tuples ``(theme, keywords, exclusions)``, in dictionary order."""
    return tuple(zip(themes["theme"].tolist(), map(tuple, themes["keyword_list"]),
                     map(tuple, themes["exclusion_list"])))


def _match_rules(text: str, rules: Sequence[tuple[str, Sequence[str], Sequence[str]]]) -> dict[str, list[str]]:
    with_bodies, without = mask_names(text, bodies=True), mask_names(text, bodies=False)
    return {t: _match(without if t == LEADERSHIP_THEME else with_bodies, kws, exc) for t, kws, exc in rules}


def match_sentence(text: str, themes: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """Rules 1 and 2 on one sentence. Input: the sentence, the dictionary (default: shipped).
    Output: theme -> keywords that count (empty list when none), in dictionary order."""
    themes = load_themes() if themes is None else themes
    return _match_rules(text, _theme_rules(themes))


# --------------------------------------------------------------------------------------------
# rule 3: headings are context
# --------------------------------------------------------------------------------------------
def innermost_heading(section_path: object) -> str:
    """Input: a section path ``一、… > (二)…`` (NaN/'' for none). Output: the innermost heading
    without its number marker (``扎实开展消费品质量提升专项行动``), '' when there is none."""
    if not isinstance(section_path, str) or not section_path.strip():
        return ""
    last = section_path.split(" > ")[-1].strip()
    found = heading_level(last)
    return last[len(found[1]):].strip() if found else last


def heading_themes(section_path: object, themes: pd.DataFrame | None = None) -> tuple[str, str]:
    """Rule 3. Input: a section path, the dictionary. Output: ``(theme, keywords)`` -- the one theme
    the innermost heading is about and the keywords that say so, or ``('', '')`` when the heading is
    about no theme or about several."""
    heading = innermost_heading(section_path)
    if not heading:
        return "", ""
    hits = {t: kws for t, kws in match_sentence(heading, themes).items() if kws}
    for term, covered in UMBRELLA_TERMS.items():  # an umbrella term announces several themes at once
        if term in heading:
            hits.update({t: hits.get(t, [term]) for t in covered})
    if len(hits) != 1:
        return "", ""
    (theme, kws), = hits.items()
    return theme, "|".join(kws)


def dictionary_matches(texts: Sequence[str], section_paths: Sequence[object] | None = None,
                       themes: pd.DataFrame | None = None, *, use_headings: bool = True) -> pd.DataFrame:
    """All rules on many sentences. Input: sentence texts (agency notes already removed), their
    section paths (None: no headings), the dictionary. Output: DataFrame, one row per sentence
    (input order) and one column per theme, each cell the ``|``-joined evidence that counts --
    keywords of the sentence, and ``§``-prefixed keywords of an inherited heading theme
    (``§消费品``) -- or '' for no hit."""
    themes = load_themes() if themes is None else themes
    ids = themes["theme"].tolist()
    paths = list(section_paths) if (section_paths is not None and use_headings) else [None] * len(texts)
    if len(paths) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(paths)} section paths")
    rules = _theme_rules(themes)
    heading_cache: dict[object, tuple[str, str]] = {}
    text_cache: dict[str, list[str]] = {}  # the rules are a pure function of the text
    rows = []
    for text, path in zip(texts, paths):
        found = text_cache.get(text)
        if found is None:
            found = text_cache[text] = ["|".join(kws) for kws in _match_rules(text, rules).values()]
        row = dict(zip(ids, found))
        key = path if isinstance(path, str) else ""
        if key not in heading_cache:
            heading_cache[key] = heading_themes(key, themes)
        theme, kws = heading_cache[key]
        if theme and any(ch.isalpha() for ch in text):
            row[theme] = "|".join(x for x in (row[theme], "|".join("§" + k for k in kws.split("|"))) if x)
        rows.append(row)
    return pd.DataFrame(rows, columns=ids)

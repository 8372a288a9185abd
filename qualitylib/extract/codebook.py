"""Indicator codebook: map an indicator phrase to a canonical code, family and series.

The mapping is data-driven. Three CSV files ship as package data in ``qualitylib/data/``:

``indicators.csv`` -- one row per canonical code (codes are unique)
    ``code, family, series, label_zh, label_en, definition_en, default_unit,
    patterns, exclude_patterns, priority``.
    ``patterns`` / ``exclude_patterns`` are ``|``-separated regular expressions (the whole cell is
    one regex, so ``|`` inside groups is fine) searched in the *normalised* phrase (see
    :func:`normalize_text`). ``series`` is the code's default measurement series. ``priority``:
    higher is tried first; more specific codes get higher numbers. The row with code ``other`` has
    no patterns and is the fallback.

``families.csv`` -- one row per family (``pass_rate, satisfaction, standards, brands, other``)
    ``family, label_zh, label_en, patterns, exclude_patterns, unit_patterns, context_patterns,
    priority``. Used for three things:

    * ``exclude_patterns`` apply to every code of the family as well (e.g. ``高标准`` in
      ``高标准农田`` or ``标准化`` are never standard counts, whatever the code);
    * ``unit_patterns`` (``|``-separated units, full match) restrict the units a family's codes may
      carry: standards are counts (项/个/件...), never %; pass rates are % or 个百分点. An empty
      unit (unknown) is always accepted;
    * phrases that match no code get ``code='other'`` and a family from ``patterns`` (e.g. 名牌 /
      品牌 / 商标 / 老字号 / 奖 -> brands; 合格率 -> pass_rate), or, failing that, from
      ``context_patterns`` searched in the normalised ``context``. These patterns are anchored to a
      section heading at the start of the context (``^(三)加强...品牌...`` up to the first 。), so
      a 品牌 section makes an otherwise neutral phrase such as 示范企业 a brands-family ``other``,
      while 品牌 somewhere in the body text (提炼服务质量品牌) does not.

``series.csv`` -- phrase -> measurement series (our choice: one row per code + this small table)
    ``family, code, pattern, unit_pattern, series, priority`` (``*`` = any family / code). Series
    that must never be pooled are told apart here, e.g. pass rates measured by 监督抽查
    (``supervision_spot_check``), 抽检 (``sampling_inspection``), 例行监测/监测
    (``routine_monitoring``), 评价性抽检 (``evaluative_sampling``), 验收 (``acceptance``);
    satisfaction as % (``survey_percent``) vs a 100-point score (``index_score``); awards and
    famous brands by national / provincial / municipal level. The first matching row by priority
    wins; otherwise the code's default ``series`` from ``indicators.csv`` is used.

Matching (:func:`map_indicator`):

1. the phrase and unit are normalised: NFKC (full-width punctuation -> ASCII), pinyin reading
   notes such as ``質(zhì)`` removed, Traditional -> Simplified with OpenCC ``t2s``;
2. every non-``other`` code whose patterns match, whose own and family exclusions do not, and
   whose unit rules accept ``unit`` is a candidate. Unit rules: the family ``unit_patterns``, and
   codes whose ``default_unit`` is ``%`` (rates/shares) only accept rate-like units;
3. the best candidate is chosen by (priority, length of the longest pattern match, whether the
   code's patterns also match ``context``), all descending, then codebook order. Context is thus
   only a tie-breaker: it never introduces a code the phrase does not support;
4. with no candidate, the code is ``other`` and the family comes from the family fallback above.

Everything here is pure (no I/O beyond reading the package data once, cached).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from ..resources import data_frame
from ..text.chinese_script import t2s_phrase
from ..text.pinyin_notes import strip_pinyin_notes

__all__ = [
    "CodeMatch",
    "FAMILIES",
    "Tables",
    "compile_tables",
    "load_codebook",
    "load_families",
    "load_series",
    "map_indicator",
    "map_indicator_with",
    "normalize_text",
    "normalize_unit",
]

#: The families allowed by the annotation guide.
FAMILIES = ("pass_rate", "standards", "brands", "satisfaction", "other")

#: Units a rate/share code (``default_unit == '%'``) may carry. 个百分点 = a delta of a rate,
#: 分 = a 100-point score (e.g. 服务质量满意度达到75以上), ‰ is still a rate.
RATE_UNITS = frozenset({"%", "个百分点", "分", "‰", "百分点"})

_CODEBOOK_COLUMNS = [
    "code", "family", "series", "label_zh", "label_en", "definition_en",
    "default_unit", "patterns", "exclude_patterns", "priority",
]
_FAMILY_COLUMNS = [
    "family", "label_zh", "label_en", "patterns", "exclude_patterns",
    "unit_patterns", "context_patterns", "priority",
]
_SERIES_COLUMNS = ["family", "code", "pattern", "unit_pattern", "series", "priority"]

_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def normalize_text(text: str) -> str:
    """Normalise a phrase for matching.

    Input: any string (Simplified or Traditional, may contain pinyin notes like ``質(zhì)``).
    Output: NFKC-normalised, pinyin notes removed, Traditional converted to Simplified, runs of
    whitespace removed (Chinese phrases have no meaningful spaces; scraped text has stray ones).
    ``None``/NaN give ``''``.
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = strip_pinyin_notes(s)
    s = t2s_phrase(s)
    return _SPACES.sub("", s)


def normalize_unit(unit: str) -> str:
    """Normalise a unit string: same as :func:`normalize_text` (so 項 -> 项, 萬臺 -> 万台).

    Input: unit as written or annotated (may be empty/None). Output: normalised unit, ``''`` if
    missing. No semantic rewriting: ``个/千人`` and ``批次/千人`` stay different.
    """
    return normalize_text(unit)


def _read_csv(name: str, columns: list[str]) -> pd.DataFrame:
    # Package data via importlib.resources so it works from a wheel/zip as well as a checkout.
    df = data_frame(name, columns)
    df["priority"] = df["priority"].astype(int)
    return df[columns]


@functools.lru_cache(maxsize=1)
def _codebook_cached() -> pd.DataFrame:
    return _read_csv("indicators.csv", _CODEBOOK_COLUMNS)


@functools.lru_cache(maxsize=1)
def _families_cached() -> pd.DataFrame:
    return _read_csv("families.csv", _FAMILY_COLUMNS)


@functools.lru_cache(maxsize=1)
def _series_cached() -> pd.DataFrame:
    return _read_csv("series.csv", _SERIES_COLUMNS)


def load_codebook() -> pd.DataFrame:
    """Return the indicator codebook (``indicators.csv``) as a DataFrame.

    Output columns: ``code, family, series, label_zh, label_en, definition_en, default_unit,
    patterns, exclude_patterns, priority`` (priority as int, the rest str, empty cells ``''``).
    The file is read once; a copy is returned so callers cannot corrupt the cache.
    """
    return _codebook_cached().copy()


def load_families() -> pd.DataFrame:
    """Return the family rules table (``families.csv``); see the module docstring. Cached copy."""
    return _families_cached().copy()


def load_series() -> pd.DataFrame:
    """Return the phrase -> series table (``series.csv``); see the module docstring. Cached copy."""
    return _series_cached().copy()


@dataclass(frozen=True)
class CodeMatch:
    """Result of :func:`map_indicator`: canonical code, its family, measurement series, labels."""

    code: str
    family: str
    series: str
    label_zh: str
    label_en: str


def _rx(pattern: str) -> re.Pattern | None:
    # Patterns are stored in normalised (Simplified, NFKC) form, but normalising them again makes
    # a Traditional pattern typed by a contributor still work. Empty cell = no pattern.
    pattern = (pattern or "").strip()
    if not pattern:
        return None
    return re.compile(unicodedata.normalize("NFKC", pattern))


def _units(cell: str) -> frozenset[str] | None:
    cell = (cell or "").strip()
    if not cell:
        return None
    return frozenset(normalize_unit(u) for u in cell.split("|"))


@dataclass(frozen=True)
class _Code:
    code: str
    family: str
    series: str
    label_zh: str
    label_en: str
    rate: bool  # default_unit is %: only rate-like units allowed
    pattern: re.Pattern | None
    exclude: re.Pattern | None
    priority: int
    order: int


@dataclass(frozen=True)
class _Family:
    family: str
    pattern: re.Pattern | None
    exclude: re.Pattern | None
    units: frozenset[str] | None
    context: re.Pattern | None
    priority: int


@dataclass(frozen=True)
class _Series:
    family: str
    code: str
    pattern: re.Pattern | None
    unit: re.Pattern | None
    series: str
    priority: int


@dataclass(frozen=True)
class Tables:
    """Compiled codebook, family and series tables (build with :func:`compile_tables`)."""

    codes: tuple[_Code, ...]
    other: _Code
    families: dict[str, _Family]
    series: tuple[_Series, ...]


def compile_tables(codebook: pd.DataFrame, families: pd.DataFrame, series: pd.DataFrame) -> Tables:
    """Compile the three tables into regexes, sorted by priority.

    Input: DataFrames with the columns of ``indicators.csv``, ``families.csv``, ``series.csv``.
    Output: a :class:`Tables` usable with :func:`map_indicator_with`. Raises ``re.error`` on a bad
    pattern and ``ValueError`` if the ``other`` code is missing, so a broken data file fails loudly.
    """
    codes = []
    other = None
    for i, r in enumerate(codebook.fillna("").itertuples(index=False)):
        c = _Code(
            code=r.code.strip(), family=r.family.strip(), series=r.series.strip(),
            label_zh=r.label_zh, label_en=r.label_en,
            rate=normalize_unit(r.default_unit) == "%",
            pattern=_rx(r.patterns), exclude=_rx(r.exclude_patterns),
            priority=int(r.priority), order=i,
        )
        if c.code == "other":
            other = c
        else:
            codes.append(c)
    if other is None:
        raise ValueError("codebook has no 'other' row")
    fams = {}
    for r in families.fillna("").itertuples(index=False):
        fams[r.family.strip()] = _Family(
            family=r.family.strip(), pattern=_rx(r.patterns), exclude=_rx(r.exclude_patterns),
            units=_units(r.unit_patterns), context=_rx(r.context_patterns), priority=int(r.priority),
        )
    sers = [
        _Series(
            family=r.family.strip(), code=r.code.strip(), pattern=_rx(r.pattern),
            unit=_rx(r.unit_pattern), series=r.series.strip(), priority=int(r.priority),
        )
        for r in series.fillna("").itertuples(index=False)
    ]
    # Stable sorts: equal priorities keep file order, which is the documented last tie-breaker.
    codes.sort(key=lambda c: -c.priority)
    sers.sort(key=lambda s: -s.priority)
    return Tables(codes=tuple(codes), other=other, families=fams, series=tuple(sers))


@functools.lru_cache(maxsize=1)
def _default_tables() -> Tables:
    return compile_tables(_codebook_cached(), _families_cached(), _series_cached())


def _unit_ok(unit: str, family: _Family | None, rate: bool) -> bool:
    # Unknown unit: the phrase alone decides (extractors do not always find the unit).
    if not unit:
        return True
    if family is not None and family.units is not None and unit not in family.units:
        return False
    if rate and unit not in RATE_UNITS:
        return False
    return True


def _longest(pattern: re.Pattern, text: str) -> int:
    # Length of the longest match; lookahead-only patterns match with length 0, which still counts
    # as a match, so return -1 for "no match".
    best = -1
    for m in pattern.finditer(text):
        best = max(best, m.end() - m.start())
    return best


def _series_for(tables: Tables, family: str, code: str, default: str, phrase: str, unit: str) -> str:
    for s in tables.series:
        if s.family not in ("*", family) or s.code not in ("*", code):
            continue
        if s.pattern is not None and not s.pattern.search(phrase):
            continue
        if s.unit is not None and not s.unit.fullmatch(unit):
            continue
        return s.series
    return default


def _family_fallback(tables: Tables, phrase: str, unit: str, context: str) -> str:
    fams = sorted(tables.families.values(), key=lambda f: -f.priority)

    def allowed(f: _Family) -> bool:
        return (f.exclude is None or not f.exclude.search(phrase)) and _unit_ok(unit, f, False)

    for f in fams:
        if f.pattern is not None and f.pattern.search(phrase) and allowed(f):
            return f.family
    if context:
        for f in fams:
            if f.context is not None and f.context.search(context) and allowed(f):
                return f.family
    return "other"


def map_indicator_with(tables: Tables, phrase: str, unit: str = "", context: str = "") -> CodeMatch:
    """:func:`map_indicator` with explicit (e.g. test or experimental) tables."""
    p = normalize_text(phrase)
    u = normalize_unit(unit)
    ctx = normalize_text(context)
    best = None
    best_key = None
    if p:
        for c in tables.codes:
            if c.pattern is None:
                continue
            length = _longest(c.pattern, p)
            if length < 0:
                continue
            fam = tables.families.get(c.family)
            if c.exclude is not None and c.exclude.search(p):
                continue
            if fam is not None and fam.exclude is not None and fam.exclude.search(p):
                continue
            if not _unit_ok(u, fam, c.rate):
                continue
            in_ctx = bool(ctx) and c.pattern.search(ctx) is not None
            key = (c.priority, length, in_ctx, -c.order)
            if best_key is None or key > best_key:
                best, best_key = c, key
    if best is not None:
        series = _series_for(tables, best.family, best.code, best.series, p, u)
        return CodeMatch(best.code, best.family, series, best.label_zh, best.label_en)
    o = tables.other
    family = _family_fallback(tables, p, u, ctx) if p else "other"
    series = _series_for(tables, family, "other", o.series, p, u)
    return CodeMatch(o.code, family, series, o.label_zh, o.label_en)


def map_indicator(phrase: str, unit: str = "", context: str = "") -> CodeMatch:
    """Map an indicator phrase to its canonical code.

    Input:
      * ``phrase`` -- the indicator phrase, e.g. ``工业产品质量监督抽查合格率`` (Traditional script
        and pinyin notes are fine, they are normalised away);
      * ``unit`` -- the normalised unit of the target value (``%``, ``项``, ``个``...), ``''`` if
        unknown; it rules out codes that cannot carry that unit (a standards count is never %);
      * ``context`` -- surrounding text, ideally the section heading(s), then ``。``, then the
        sentence (e.g. ``三、破除质量发展瓶颈 > (三)加强“泰山(泰安)品牌”建设。到2020年...``). Only
        used to break ties between equally specific codes and, for ``other`` codes, to take the
        family from a heading at the start of the context when the phrase itself says nothing.

    Output: a :class:`CodeMatch` (``code='other'`` if no canonical code applies).
    """
    return map_indicator_with(_default_tables(), phrase, unit, context)

"""What a target is about beyond its indicator: whose target it is (``scope`` and the ``subject``
phrase that says so) and where it starts from (``baseline``, ``baseline_year``), as defined in the
annotation guide (version 2).

* ``scope``: ``jurisdiction`` (the whole issuing area, the default), ``sector`` (a named subset: a size
  class, an industry, a class of works, the urban core, named demonstration units) or ``per_unit`` (a
  value for each county, enterprise or member unit, or an average over them). The words that mark a
  subset are domain data in ``qualitylib/data/scope_markers.csv``. A count of standards or brands set
  in a section about one sector (农产品, 制造业 …) is that sector's, unless the section is about
  standards or brands themselves.
* ``baseline``: 由93%提高到95% -> 93; 提高15个百分点,达到95% -> 80 (for both rows); 在现有64家的基础上
  新增20家 -> 64. ``baseline_year``: 比2015年提高 -> 2015.

Input: the sentence (cleaned), the quantity, its clause and indicator, the section path and the other
quantities of the sentence. Output: plain values; no I/O besides the cached marker file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..resources import data_rows

#: Families whose counts belong to a sector when they stand in a sector's section.
_COUNTED_FAMILIES = ("standards", "brands")
#: Section topics that make such a count a sector's: (heading words, topic the count would need).
_SECTOR_TOPICS = re.compile(r"农产品|农业|食品药品|制造业|工业|消费品|服务业|服务质量|工程质量|建筑|旅游|生态|环境")
_OWN_TOPICS = re.compile(r"标准|品牌|名牌|商标")
_FROM_TO = re.compile(r"(?:由|从)\s*$")
_TO_VERB = re.compile(r"^\s*(?:%|个百分点)?\s*(?:以上|左右)?\s*(?:提高|提升|增加|增长|上升|下降|降低|减少)?\s*(?:到|至)")
_EXISTING_BASE = re.compile(r"(?:现有|已有|原有|目前)\s*$")
_BASE_AFTER = re.compile(r"^[^,;。]{0,20}?(?:的)?基础上")
_BASELINE_YEAR = re.compile(r"(?:比|较|相比|与)\s*((?:19|20)\d\d)\s*年(?:底|末)?(?:相比)?")


@dataclass(frozen=True)
class Qualifiers:
    scope: str
    subject: str
    baseline: float | None
    baseline_year: int | None


@cache
def _markers() -> tuple[tuple[str, str], ...]:
    rows = [(r["marker"].strip(), r["scope"].strip()) for r in data_rows("scope_markers.csv") if r["marker"].strip()]
    bad = sorted({s for _, s in rows} - {"sector", "per_unit"})
    if bad:
        raise ValueError(f"qualitylib/data/scope_markers.csv: unknown scope(s) {bad}")
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


_AND_ABOVE = re.compile(r"及?以上")


def _marks(marker: str, text: str) -> bool:
    # 县级以上 / 市级及以上 name everything from that level up: the whole population, not a subset
    if marker not in text:  # most markers are absent: no regex needed
        return False
    return any(not _AND_ABOVE.match(text, m.end()) for m in re.finditer(re.escape(marker), text))


def scope_of(subject_text: str, family: str, section_path: str, sentence_subject: str = "") -> tuple[str, str]:
    """Input: the text naming what is measured (the clause before the number and the indicator), the
    target's family, its section path and the sentence's opening clause (its grammatical subject, such
    as 各成员单位要…). Output: (scope, subject phrase); the subject is '' for the whole jurisdiction."""
    hits = [(m, s) for m, s in _markers() if _marks(m, subject_text)]
    hits += [(m, s) for m, s in _markers() if s == "per_unit" and _marks(m, sentence_subject)]
    for wanted in ("per_unit", "sector"):
        for marker, scope in hits:
            if scope == wanted:
                return scope, marker
    if family in _COUNTED_FAMILIES and section_path:
        heading = section_path.split(" > ")[-1] if " > " in section_path else section_path
        topic = _SECTOR_TOPICS.search(heading)
        if topic and not _OWN_TOPICS.search(heading):
            return "sector", topic.group(0)
    return "jurisdiction", ""


def is_baseline_of_a_change(sentence: str, start: int, end: int) -> bool:
    """True for the X of 由X提高到Y / 从X增加到Y: a starting value, not a target."""
    return bool(_FROM_TO.search(sentence[:start]) and _TO_VERB.match(sentence[end:]))


def baseline_of(sentence: str, q, quantities: list, kind: str) -> tuple[float | None, int | None]:
    """Input: the sentence, the target quantity, all quantities of the sentence and the target's kind.
    Output: (baseline value in the target's unit, baseline year), each None when not stated."""
    year_match = None
    clause_start = max(sentence.rfind(c, 0, q.start) for c in ",;。") + 1
    for m in _BASELINE_YEAR.finditer(sentence, clause_start, q.start):
        year_match = m
    baseline_year = int(year_match.group(1)) if year_match else None
    before = [p for p in quantities if p.end <= q.start]
    # 由93%提高到95%
    for p in reversed(before):
        if p.unit == q.unit and is_baseline_of_a_change(sentence, p.start, p.end):
            return float(p.value), baseline_year
    # 提高15个百分点,达到95%: the level minus the change; the change row gets the same baseline
    if q.unit == "%":
        for p in reversed(before):
            if p.unit in ("个百分点", "百分点") and sentence[p.end:q.start].count("。") == 0 and \
                    len(sentence[p.end:q.start]) <= 12:
                return float(q.value - p.value), baseline_year
    if kind == "delta":
        for p in quantities:
            if p.start >= q.end and p.unit == "%" and len(sentence[q.end:p.start]) <= 12:
                return float(p.value - q.value), baseline_year
    # 在现有64家的基础上新增20家
    for p in reversed(before):
        if p.unit == q.unit and (_EXISTING_BASE.search(sentence[:p.start]) and _BASE_AFTER.match(sentence[p.end:])):
            return float(p.value), baseline_year
    return None, baseline_year


def qualifiers(sentence: str, q, quantities: list, *, clause_before: str, indicator: str, family: str,
               kind: str, section_path: str) -> Qualifiers:
    """Input: the sentence and target quantity with its context. Output: its :class:`Qualifiers`."""
    opening = re.split(r"[,;:。]", sentence, maxsplit=1)[0]
    scope, subject = scope_of(clause_before + "|" + indicator, family, section_path, opening)
    baseline, baseline_year = baseline_of(sentence, q, quantities, kind)
    return Qualifiers(scope, subject, baseline, baseline_year)

"""Target extraction: a ``CleanDocument`` -> one row per quantitative target (a long DataFrame).

For every sentence of the body, every numeric mention found by ``numerals.find_quantities`` is a
candidate. A candidate is dropped when ``numerals.classify_non_quantity`` calls it a date, year,
document number, section number, name or code, and when its context shows it is not a commitment
(a present-day baseline, a quoted name, a named project's capacity). What remains becomes a target
with its indicator phrase, comparator, kind and target year, read from the clause around it with
the cue words of ``data/target_cues.csv``; the indicator phrase maps to a canonical code through the
codebook. Every row keeps where the number stands in the raw file (see ``TARGET_COLUMNS``).

A malformed number (``95.%``, ``96..5%``, ``1,2,3项``: ``numerals.find_malformed``) is never read as a
target nor guessed at: it is skipped with a warning naming the file and line.
"""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ..resources import data_rows
from ..text.agency_notes import split_agency
from ..text.clean import CleanDocument
from ..text.structure import SectionIndex, iter_sentences, split_sections
from . import codebook, numerals
from .qualifiers import is_baseline_of_a_change, qualifiers

log = logging.getLogger(__name__)

#: Provenance columns. Text files and saved web pages: ``line`` is the 1-based line of the raw file,
#: ``raw_start:raw_end`` the character offsets of the number in the decoded file, ``byte_start:byte_end``
#: its bytes; ``page``, ``paragraph``, ``part_start``, ``part_end`` are empty. PDF: ``page`` is the
#: 1-based page and ``part_start:part_end`` the character offsets of the number in that page's extracted
#: text (``pypdf``'s ``pages[page - 1].extract_text()``); Word: ``paragraph`` is the 1-based paragraph
#: (every ``w:p`` of the body in document order, table cells included) and ``part_start:part_end`` the
#: offsets in its text. For both, ``line`` and ``raw_start:raw_end`` count in the document's extracted
#: text (the pages or paragraphs joined by newlines) and the byte columns are empty.
PROVENANCE_COLUMNS = ["line", "raw_start", "raw_end", "byte_start", "byte_end", "page", "paragraph", "part_start", "part_end"]
TARGET_COLUMNS = [
    "doc_id", "city", "province", *PROVENANCE_COLUMNS,
    "number_text", "quote", "indicator", "code", "family", "series", "scope", "subject", "value", "value_hi", "unit",
    "comparator", "kind", "target_year", "baseline", "baseline_year", "plan_type", "section",
]
_CLAUSE_BREAK = re.compile(r"[,;:。!?]")
_YEAR_CUE = re.compile(r"(?:到|至|截至|截止到|力争到|力争)\s*(20\d\d|19\d\d)\s*年|(?:^|[,:])\s*(20\d\d)\s*年\s*(?:底|末)?\s*[,:]|(20\d\d)\s*年\s*(?:底|末)?前")
_BASELINE_BEFORE = re.compile(r"(?:现有|已有|目前|现已|截至目前|已经|累计已|原有)\s*$")
_BASELINE_AFTER = re.compile(r"^\s*(?:的)?基础上")
_CAPACITY_BEFORE = re.compile(r"年产(?:能)?\s*$|年产值\s*$|总投资\s*$|投资\s*$")
# Leading words that introduce a clause but are not part of the measured thing.
_LEAD = re.compile(
    r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、](?!\d)|(?:到|至|力争到|截至)?\s*20\d\d\s*年(?:底|末)?(?:前)?|确保|力争|争取|全市|全区|全县|全年|每年|年均|平均|使|实现|保证|"
    r"其中|同时|并|且|以及|及|和|与|等|再|进一步|基本|总数|分别|均|累计|今年|本年度|年内|为|对|向|面向|给|在|全面|推行|[、\s])+"
)
_TRAIL = re.compile(r"(?:和|及|与|每年|年均|平均|按照|分别|均|总数|累计|力争|争取|确保|稳定|保持|维持|控制|要|将|的|为|在|达|总量达|共|、|\s)+$")
_RATE_TAIL = re.compile(r"(?:一次)?[\u4e00-\u9fff]{0,6}?(?:率|度|比例|比重|指数)$")
# "其他工程项目达到98%以上": a subject with no measure borrows the rate of the clause before it.
_ELLIPTICAL = re.compile(r"^(?:其他|其它|其余|其中|另外)[\u4e00-\u9fff]{0,8}$|^[\u4e00-\u9fff]{1,4}$")
_GENERIC_RATE = re.compile(r"^[\u4e00-\u9fff]{0,2}(?:率|度)$")
SCORE_INDICATOR = re.compile(r"(?:满意度|指数|得分|评分)$")
_SECTION_YEAR = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）])?[^。]{0,12}?(?:到|至)?\s*(20\d\d)\s*年\s*[,:]")


@cache
def _not_target_contexts() -> tuple[tuple[str, re.Pattern | None, re.Pattern | None], ...]:
    """Context patterns of numbers that describe a plan or define a subject rather than commit to a value
    (``data/not_target_contexts.csv``): (reason, pattern on the text before, pattern on the text after)."""
    out = []
    for r in data_rows("not_target_contexts.csv"):
        before, after = r["before"].strip(), r["after"].strip()
        out.append((r["reason"].strip(), re.compile(before) if before else None, re.compile(after) if after else None))
    return tuple(out)


@dataclass(frozen=True)
class Cue:
    cue: str
    role: str
    value: str


@cache
def load_cues() -> tuple[Cue, ...]:
    """Output: the cue words of ``data/target_cues.csv``, longest first (so 新建成 beats 建成)."""
    cues = [Cue(r["cue"], r["role"], r["value"]) for r in data_rows("target_cues.csv")]
    return tuple(sorted(cues, key=lambda c: -len(c.cue)))


def _cue_pattern(role: str) -> re.Pattern:
    words = [re.escape(c.cue) for c in load_cues() if c.role == role]
    return re.compile("|".join(words))


@cache
def _patterns():
    return {role: _cue_pattern(role) for role in ("before", "after", "kind")}


@cache
def _cue_values() -> dict[tuple[str, str], str]:
    values: dict[tuple[str, str], str] = {}
    for c in load_cues():
        values.setdefault((c.role, c.cue), c.value)  # first listed wins, as the file is read top down
    return values


def _cue_value(role: str, word: str) -> str:
    return _cue_values()[(role, word)]


def comparator_of(q: numerals.Quantity, before: str, after: str) -> str:
    """Input: a quantity, the clause text before it and the text after it. Output: '>=', '<=', '=',
    or 'range'. An explicit bound after the number (以上/以下/左右) wins over a verb before it; a bare
    value with no qualifier reads as '>=' (the guide's convention for unqualified targets)."""
    if q.is_range:
        return "range"
    m = _patterns()["after"].match(after)
    if m:
        return _cue_value("after", m.group(0))
    tail = before[-4:]
    found = [(mm.end(), mm.group(0)) for mm in _patterns()["before"].finditer(tail)]
    if found:
        end, word = max(found)
        if end >= len(tail) - 1:
            return _cue_value("before", word)
    return ">="


def kind_of(q: numerals.Quantity, before: str, after: str) -> str:
    """Input: a quantity, the clause text before it (verbs of an enumeration included) and after it.
    Output: 'level', 'increment', 'delta' or 'annual_growth'. The cue nearest the number decides."""
    unit = q.unit
    pat = _patterns()["kind"]
    around = before + "\u0000" + after[:6]
    growth = [m for m in pat.finditer(around) if _cue_value("kind", m.group(0)) == "annual_growth"]
    if growth and unit == "%":
        return "annual_growth"
    if unit == "个百分点" or unit == "百分点":
        return "delta"
    found = [m for m in pat.finditer(before)]
    if not found:
        return "level"
    nearest = max(found, key=lambda m: (m.end(), len(m.group(0))))
    kind = _cue_value("kind", nearest.group(0))
    if kind == "delta":
        return "delta" if unit == "%" else "increment"
    if kind == "annual_growth":
        return "annual_growth" if unit == "%" else "level"
    if kind == "increment" and unit == "%":
        return "level"  # 推动/完成 ... 达到 N%: a share, not new units
    return kind


def governing_text(sentence: str, clause_start: int, clause_pre: str) -> str:
    """The text whose verb governs a number. A clause with a verb of its own (a kind cue such as 新增
    or a level verb such as 达到) is governed by it. A clause without one borrows the verb of the clauses
    before it, across ``,`` and ``、`` but not across ``;`` or ``。`` (the annotation guide's convention:
    力争新增地理标志商标2件以上,湖北名牌产品20个以上 is two increments)."""
    pats = _patterns()
    if pats["kind"].search(clause_pre) or pats["before"].search(clause_pre):
        return clause_pre
    segment_start = max(sentence.rfind(c, 0, clause_start) for c in ";；。") + 1
    earlier = sentence[segment_start:clause_start]
    cues = [(m.end(), role) for role in ("kind", "before") for m in pats[role].finditer(earlier)]
    if not cues:
        return clause_pre
    end, role = max(cues)
    return earlier[:end] + "\u0000" + clause_pre if role == "kind" else clause_pre


def _noun_after(after: str) -> str:
    """The noun phrase right after a number: up to the next clause break, number, or a 、 that is not
    inside parentheses (县(市、区) stays whole)."""
    post = re.sub(r"^(?:以上|以下|以内|左右|及以上)", "", after)
    post = _CLAUSE_BREAK.split(post, maxsplit=1)[0]
    post = re.split(r"\d|[一二两三四五六七八九十]+[个项家件]", post, maxsplit=1)[0]
    depth, cut = 0, len(post)
    for i, ch in enumerate(post):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "、" and depth <= 0:
            cut = i
            break
    return _strip_cues(post[:cut])


def indicator_phrase(before: str, after: str, count_unit: bool = False) -> str:
    """Input: the clause text before the number (after any earlier number of the clause), the text
    after it, and whether the unit is a measure word of a count. Output: the measured thing, shortest
    meaningful form. Usually the noun phrase before the number with time words, adverbs and the target
    verb stripped (新增高效节水灌溉面积8万亩). When a verb stands right before a count, the counted
    noun follows it (举办1-2期质量公益培训); a short modifier before a count joins the noun after it
    (完成城区11条不达标水体整治)."""
    phrase = _strip_cues(before)
    post = _noun_after(after)
    verb_before = any(m.end() == len(before.rstrip()) for m in _patterns()["kind"].finditer(before.rstrip()))
    cjk = lambda t: len(re.findall(r"[\u4e00-\u9fff]", t))  # noqa: E731
    if count_unit and cjk(post) >= 2:
        if verb_before:
            return post[:40]
        if cjk(phrase) <= 6:
            return (phrase + post)[:40]
    # "A、B、C等高端品牌": the head after the last 等 is what is counted
    head = phrase.rsplit("等", 1)[-1] if "等" in phrase else ""
    if cjk(head) >= 2:
        return head
    if cjk(phrase) >= 2:
        return phrase
    return (phrase + post).strip()[:40]


def _strip_cues(text: str) -> str:
    text = _LEAD.sub("", text.strip())
    kind_pat = _patterns()["kind"]
    before_pat = _patterns()["before"]
    # a target verb at the start (培育国际标准 -> 国际标准) or the end (合格率达到 -> 合格率)
    for _ in range(3):
        old = text
        m = kind_pat.match(text)
        if m and len(text) > len(m.group(0)) + 1:
            text = text[m.end():]
        text = _LEAD.sub("", text)
        text = _TRAIL.sub("", text)
        for pat in (kind_pat, before_pat):
            ends = [mm for mm in pat.finditer(text) if mm.end() == len(text)]
            if ends:
                text = text[: min(mm.start() for mm in ends)]
        text = _TRAIL.sub("", text)
        if text == old:
            break
    return text.strip(" 、")


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, pos):
        start = m.end()
    m = _CLAUSE_BREAK.search(sentence, pos)
    return start, (m.start() if m else len(sentence))


def _inside_quotes(sentence: str, pos: int) -> bool:
    """True when ``pos`` lies inside “…”, 《…》 or "…" (more openings than closings before it)."""
    for open_, close in (("“", "”"), ("《", "》")):
        if sentence.count(open_, 0, pos) > sentence.count(close, 0, pos):
            return True
    return sentence.count('"', 0, pos) % 2 == 1


def _committed_chinese_count(sentence: str, q: numerals.Quantity) -> bool:
    """A Chinese-numeral count is a target when it closes its clause (名牌产品十五个。) or a target verb
    stands right before it (培育两三个企业), not when it sums up an enumeration (A、B四支队伍)."""
    if re.match(r"\s*(?:以上|以下|左右)?\s*(?:[,;:。、]|$)", sentence[q.end :]):
        return True
    before = re.sub(r"(?:力争|争取|再|每年|全年|确保)+$", "", sentence[: q.start])
    return any(m.end() == len(before) for m in _patterns()["kind"].finditer(before))


def non_target_reason(sentence: str, q: numerals.Quantity) -> str | None:
    """Input: a sentence and a quantity in it. Output: why it is not a target, or None.
    Combines the number-level classification with context: baselines, quoted names, capacities,
    Chinese-numeral enumerations and bare numbers with no unit."""
    reason = numerals.classify_non_quantity(sentence, q)
    if reason:
        return reason
    before, after = sentence[: q.start], sentence[q.end :]
    if _BASELINE_BEFORE.search(before) or _BASELINE_AFTER.match(after) or \
            is_baseline_of_a_change(sentence, q.start, q.end):
        return "baseline"
    if _inside_quotes(sentence, q.start):
        return "quoted name"
    clause_start = _clause_bounds(sentence, q.start)[0]
    for reason, before_pat, after_pat in _not_target_contexts():
        if (before_pat is None or before_pat.search(sentence[clause_start : q.start])) and \
                (after_pat is None or after_pat.match(after)):
            return reason
    if _CAPACITY_BEFORE.search(before):
        return "capacity of a named project"
    if q.numeral == "chinese" and q.surface.startswith("一") and q.unit in ("批", "些", "系列"):
        return "vague quantity"  # 培育一批名牌产品: "a number of", not a count
    if q.surface.endswith("周年"):
        return "anniversary"
    if q.numeral == "chinese" and q.unit != "%" and not _committed_chinese_count(sentence, q):
        # 三大战役, 两个板块, A、B、C四支队伍: Chinese numerals before a noun enumerate, they don't commit
        return "chinese-numeral enumeration"
    if not q.unit:
        clause_start, _ = _clause_bounds(sentence, q.start)
        measured = _strip_cues(sentence[clause_start : q.start])
        if not (SCORE_INDICATOR.search(measured) or _RATE_TAIL.search(measured)):
            return "number without unit"
    return None


def _resolve_ellipsis(indicator: str, own_pre: str, prev_indicator: str, unit: str) -> str:
    """A rate clause that names no measure of its own borrows the previous target's: "提高15个百分点,
    达到95%以上" repeats the indicator; "其他工程项目达到98%以上" takes the rate (一次交工验收合格率)
    of the clause before it."""
    own = _strip_cues(own_pre)
    tail_match = _RATE_TAIL.search(prev_indicator) if prev_indicator else None
    tail = tail_match.group(0) if tail_match else ""
    if prev_indicator and unit in ("%", "个百分点") and not re.search(r"[\u4e00-\u9fff]{2}", own):
        return own + tail if own else prev_indicator
    if unit == "%" and tail and _ELLIPTICAL.match(indicator):
        return indicator + tail
    return indicator


def _noun_after_previous(sentence: str, quantities: list, q) -> str:
    """'在现有45家省级品牌示范企业的基础上,力争再培育10家': a count with no noun of its own counts
    the noun that followed the previous number with the same unit."""
    for p in reversed([p for p in quantities if p.end <= q.start and p.unit == q.unit]):
        noun = re.split(r"[,;:。、的]|基础上", sentence[p.end : q.start], maxsplit=1)[0]
        noun = _strip_cues(noun)
        if len(noun) >= 2:
            return noun
    return ""


# Counts whose code names a thing won or designated (awards, famous brands, trademarks, standards).
_COUNTED_THINGS = ("brands", "standards")
_ORGANISATION = r"(?:企业|单位|机构|组织|协会)"
_ORGANISATION_HEAD = re.compile(_ORGANISATION + "$")
_ORGANISATION_AFTER = re.compile(r"^(?:以上|以下|左右)?" + _ORGANISATION)


def counted_code(cm: codebook.CodeMatch, indicator: str, unit: str, after: str = "") -> codebook.CodeMatch:
    """What is counted decides the code: 支持培育10家企业争创省长质量奖 counts enterprises that compete,
    not awards won, so a count whose head noun is an organisation keeps its family but not the code of
    the award, brand or standard it mentions."""
    if cm.family in _COUNTED_THINGS and cm.code != "other" and numerals.unit_kind(unit) == "count" \
            and (_ORGANISATION_HEAD.search(indicator) or _ORGANISATION_AFTER.match(after)):
        return codebook.CodeMatch("other", cm.family, "unspecified", "其他", "other")
    return cm


_MEASURE_END = re.compile(r"(?:率|度|指数|比例|比重)$")
_BASELINE_TAIL = re.compile(r"(?:由|从)\s*[0-9０-９][^,;。]*$")


def shared_value_indicators(indicator: str) -> list[str]:
    """Input: an indicator phrase. Output: the indicators that share one value, when the phrase is a
    list of measures (工业产品质量监督抽查合格率、消费品质量合格率和重点产品监督抽查合格率 -> three), else
    ``[indicator]``. Every item must itself name a measure (end in 率/度/指数/比例), so a list of
    subjects with one measure (高速公路、大型水运标准化施工覆盖率) stays one indicator."""
    parts = [p.strip() for p in re.split(r"[、,]|(?<=[率度数例重])(?:以及|和|及|与)", indicator) if p.strip()]
    if len(parts) >= 2 and all(_MEASURE_END.search(p) and len(p) >= 4 for p in parts):
        return parts
    return [indicator]


def _strip_baseline_tail(indicator: str) -> str:
    """规模以上工业企业产品质量合格率由93% -> the phrase without its starting value."""
    return _BASELINE_TAIL.sub("", indicator).strip() or indicator


def _year_before(line_text: str, pos: int) -> int | None:
    year = None
    for m in _YEAR_CUE.finditer(line_text, 0, pos):
        year = int(next(g for g in m.groups() if g))
    return year


def _malformed_warning(doc: CleanDocument, s_start: int, bad: numerals.Malformed) -> str:
    a, b = doc.raw_span(s_start + bad.start, s_start + bad.end)
    surface = doc.raw.text[a:b] if 0 < b - a <= 4 * len(bad.surface) else bad.surface  # as written in the file
    return (f"{doc.raw.path}:{doc.raw.where(a)}: malformed number {surface!r} ({bad.problem}): "
            "not read as a target")


def _int64_array(values: list):
    """``pd.array(values, dtype="Int64")``: a list of Python ints and None is built from its data and
    mask directly, which is much cheaper; anything else takes the general path."""
    if all(v is None or type(v) is int for v in values):
        try:
            data = np.array([0 if v is None else v for v in values], dtype=np.int64)
        except OverflowError:
            return pd.array(values, dtype="Int64")
        return pd.arrays.IntegerArray(data, np.array([v is None for v in values], dtype=bool))
    return pd.array(values, dtype="Int64")


def extract_targets(doc: CleanDocument, meta: dict, warnings: list[str] | None = None) -> pd.DataFrame:
    """Input: a cleaned document, its metadata (``city``, ``province``, ``horizon``, ``plan_type``;
    missing keys are fine) and optionally a list that collects warnings (one per malformed number,
    naming file and line; they are logged too). Output: DataFrame with ``TARGET_COLUMNS``, one row per
    target, in body order. Pure apart from logging: reads only the document and the package's data files."""
    body = doc.body
    sections = SectionIndex(split_sections(body))
    horizon = meta.get("horizon")
    rows = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)]
    section_year: dict[int, int] = {}
    year_checked: set[int] = set()  # sections whose opening was read for a year (the answer never changes)
    for s_start, s_end in iter_sentences(body):
        raw_sentence = body[s_start:s_end]
        sentence = split_agency(raw_sentence)[0]  # agency notes stand at the end: offsets keep
        line_idx = bisect.bisect_right(line_starts, s_start) - 1
        line_start = line_starts[line_idx]
        line_text = None  # sliced out of the body only for a sentence with a target
        sec = sections.at(s_start)
        quantities = numerals.find_quantities(sentence)
        malformed = numerals.find_malformed(sentence)
        if malformed:
            for bad in malformed:
                message = _malformed_warning(doc, s_start, bad)
                log.warning(message)
                if warnings is not None:
                    warnings.append(message)
            quantities = [q for q in quantities if not any(q.start < b.end and b.start < q.end for b in malformed)]
        prev_indicator = ""
        kept: list[numerals.Quantity] = []
        for q in quantities:
            if non_target_reason(sentence, q):
                continue
            c_start, c_end = _clause_bounds(sentence, q.start)
            clause_pre = sentence[c_start : q.start]
            # an enumeration (3项、10项) shares its verb; the indicator is what follows the last number
            prev_end = max([p.end for p in kept if p.start >= c_start] or [c_start])
            kept.append(q)
            own_pre = sentence[prev_end : q.start]
            own_pre = re.sub(r"^(?:以上|以下|左右)?[、和及与,]?", "", own_pre)
            after = sentence[q.end : q.end + 12]
            if own_pre.endswith("的"):
                own_pre = ""  # "重点支持的16.4亿元技术改造项目": the number qualifies the noun after it
            indicator = indicator_phrase(own_pre, sentence[q.end : c_end], numerals.unit_kind(q.unit) == "count")
            indicator = _resolve_ellipsis(indicator, own_pre, prev_indicator, q.unit)
            if not indicator:
                indicator = _noun_after_previous(sentence, quantities, q) or prev_indicator
            if _GENERIC_RATE.match(indicator) and c_start > 0:
                # "全面推行……创建活动,覆盖率达到100%": the rate is of what the clause before names
                prev_start, _ = _clause_bounds(sentence, c_start - 1)
                indicator = _strip_cues(sentence[prev_start : c_start - 1]) + indicator
            unit = q.unit
            if not unit and SCORE_INDICATOR.search(indicator):
                unit = "分"
            comparator = comparator_of(q, clause_pre, after)
            kind = kind_of(q, governing_text(sentence, c_start, clause_pre), after)
            if line_text is None:
                line_end = line_starts[line_idx + 1] - 1 if line_idx + 1 < len(line_starts) else len(body)
                line_text = body[line_start:line_end]
            year = _year_before(line_text, s_start - line_start + q.start)
            if year is None and sec is not None:
                year = section_year.get(sec.start)
            if year is None:
                year = horizon
            section_text = " > ".join(sec.path) if sec else ""
            indicator = _strip_baseline_tail(indicator)
            # A合格率、B合格率和C合格率均达到98%: one target per indicator, each with its own code
            for part in shared_value_indicators(indicator):
                cm = codebook.map_indicator(part, unit=unit, context=f"{section_text}。{sentence}")
                cm = counted_code(cm, part, unit, sentence[q.end:])
                qual = qualifiers(sentence, q, quantities, clause_before=sentence[c_start:q.start], indicator=part,
                                  family=cm.family, kind=kind, section_path=section_text)
                b_start = s_start + q.num_start
                b_end = s_start + q.num_end
                pos = doc.raw_position(b_start, b_end)
                rows.append(
                    {
                        "doc_id": doc.doc_id,
                        "city": meta.get("city"),
                        "province": meta.get("province"),
                        "line": pos.line,
                        "raw_start": pos.char_start,
                        "raw_end": pos.char_end,
                        "byte_start": pos.byte_start,
                        "byte_end": pos.byte_end,
                        "page": pos.page,
                        "paragraph": pos.paragraph,
                        "part_start": pos.part_start,
                        "part_end": pos.part_end,
                        "number_text": q.surface,
                        "quote": sentence[c_start:c_end].strip()[:80],
                        "indicator": part,
                        "code": cm.code,
                        "family": cm.family,
                        "series": cm.series,
                        "scope": qual.scope,
                        "subject": qual.subject,
                        "value": float(q.value),
                        "value_hi": float(q.value_hi) if q.value_hi is not None else None,
                        "unit": unit,
                        "comparator": comparator,
                        "kind": kind,
                        "target_year": year,
                        "baseline": qual.baseline,
                        "baseline_year": qual.baseline_year,
                        "plan_type": meta.get("plan_type"),
                        "section": section_text,
                    }
                )
            prev_indicator = indicator
        # a goals paragraph that opens with "2020年," governs the bullets of its section
        if sec is not None and sec.start not in year_checked:
            year_checked.add(sec.start)
            m = _SECTION_YEAR.match(body[sec.start : sec.start + 40])
            if m:
                section_year[sec.start] = int(m.group(1))
    int_columns = ("target_year", "baseline_year", *PROVENANCE_COLUMNS)
    if not rows:
        frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
        for col in int_columns:
            frame[col] = frame[col].astype("Int64")
        return frame
    # Built column by column (the same dtypes as from the row dicts, at a quarter of the cost); integers
    # with gaps (no bytes for a PDF) stay integers.
    columns = {col: [r[col] for r in rows] for col in TARGET_COLUMNS}
    for col in int_columns:
        columns[col] = _int64_array(columns[col])
    return pd.DataFrame(columns, columns=TARGET_COLUMNS)

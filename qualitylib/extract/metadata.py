"""Document metadata: cleaned page text -> ``DocumentMetadata`` (city, issuer, dates, plan horizon, ...).

Two sources are combined. ``infer_metadata`` reads the cleaned text with general rules that must hold
for pages never seen before (other cities, years, issuers, site layouts); it never knows a particular
file. ``data/metadata/documents.csv`` holds the human-curated values a researcher cites; ``documents_csv.apply_overrides``
lets each non-empty curated field win over the inferred one. Whatever cannot be inferred is left None
and reported in ``warnings`` as ``"<doc_id>: <field>: <why>"``, so a batch run can list the gaps.

Input text is expected in Simplified Chinese with full-width ASCII already folded to ASCII
(``（一）`` -> ``(一)``, ``，`` -> ``,``, ``：`` -> ``:``), while ``。、“”《》〔〕`` stay as they are.
The rules also accept the full-width forms, so an uncleaned text degrades gracefully rather than failing.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .gazetteer import find_mentions, infer_jurisdiction, jurisdiction, province_of
from .numerals import chinese_integer

PLAN_TYPES = ("annual", "multi_year")
SCRIPTS = ("traditional", "simplified")
# Column order of documents.csv; also the order of ``DocumentMetadata.as_row``.
DOCUMENT_COLUMNS = (
    "doc_id", "city", "city_en", "province", "level", "adcode", "parent", "issuer", "issued", "horizon",
    "plan_type", "script", "doc_number", "title", "source_url", "retrieved", "source_site",
)
# The fields that describe the issuing jurisdiction; they are filled (or left empty) together.
JURISDICTION_FIELDS = ("city", "city_en", "province", "level", "adcode", "parent")


@dataclass
class DocumentMetadata:
    """Metadata of one policy document; None means unknown (and a matching entry in ``warnings``)."""

    doc_id: str
    # The issuing jurisdiction at whatever level (gazetteer.csv); its identity is ``adcode``.
    city: str | None = None        # its official name: 温州市, 洞头区 (a district's plan), 浙江省 (a province's)
    city_en: str | None = None     # its pinyin display name, e.g. Tai'an; not unique (泰州, 台州: Taizhou)
    province: str | None = None    # the province it lies in (a province's or municipality's plan: itself)
    level: str | None = None       # 'province' | 'prefecture' | 'county'
    adcode: str | None = None      # 6-digit administrative code, e.g. 330305
    parent: str | None = None      # the parent's adcode ('' for a province)
    issuer: str | None = None      # issuing organisations, space separated
    issued: str | None = None      # ISO date YYYY-MM-DD
    horizon: int | None = None     # year the plan's targets are for
    plan_type: str | None = None   # 'annual' | 'multi_year'
    script: str | None = None      # 'traditional' | 'simplified'; filled by the caller, who saw the raw text
    doc_number: str | None = None  # 文号 with 〔〕 brackets, e.g. 宜府办发〔2018〕54号
    title: str | None = None
    # Where the text was found: curated only (a saved file does not say where it came from). Empty when
    # unknown -- as for the five seeds, which arrived as scraped text without their addresses.
    source_url: str | None = None  # the page or file address
    retrieved: str | None = None   # ISO date the copy was taken
    source_site: str | None = None # the publishing site, e.g. 某某市人民政府门户网站
    warnings: list[str] = field(default_factory=list)

    def as_row(self) -> dict[str, str]:
        """Input: nothing. Output: the fields as a documents.csv row (strings, '' for None)."""
        return {c: "" if getattr(self, c) is None else str(getattr(self, c)) for c in DOCUMENT_COLUMNS}


# --------------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------------

_CJK = "\u4e00-\u9fff"
# Zeros as typed in dates (○ U+25CB, full-width Ｏ) are read as 〇 by the numeral parser.
_ZERO_VARIANTS = str.maketrans({"○": "〇", "Ｏ": "〇"})
_NUM = "0-9〇○零Ｏ一二三四五六七八九十"
# A written-out date: 2018年11月1日, 2018 年 5 月 12 日, 二〇一八年十一月一日.
_DATE_ZH = rf"([{_NUM}]{{4}})\s*年\s*([{_NUM}]{{1,3}})\s*月\s*([{_NUM}]{{1,3}})\s*日"
# A numeric date as in page headers: 2019-01-14, 2019/1/14, 2019.01.14, 2019年1月14日.
_DATE_ANY = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
# Lines of a 发文 header: 成文日期 is the signing date; the others are when the page went online.
_SIGNING_LABELS = r"成文日期|发文日期|印发日期|签发日期"
_PUBLISH_LABELS = r"发布日期|发布时间|添加时间|公开日期|发文时间|更新时间|日期|时间"
# Doc number: 温政办〔2014〕98号, also with [] () 【】 ［］ brackets (normalised to 〔〕).
DOC_NUMBER = rf"([{_CJK}]{{1,12}})\s*[〔\[［【(（]\s*((?:19|20)\d{{2}})\s*[〕\]］】)）]\s*(\d{{1,4}})\s*号"
_DOC_KEYWORDS = "方案|意见|计划|规划|纲要|通知|办法|决定|要点|措施|细则"
# Endings of an organisation name, for issuer / signature lines.
_ORG_END = r"(?:委员会|人民政府|政府|办公室|办公厅|市委|州委|地委|盟委|党委|委|局|厅|部|院|办|中心|小组|会)"
_ORG_LINE = re.compile(rf"^[{_CJK}()\s]{{2,60}}?{_ORG_END}$")


_SPACE_RUN = re.compile(r"[\s\u3000\xa0]+")


def _norm_space(s: str) -> str:
    """Input: text. Output: it with every run of whitespace (incl. U+3000, nbsp) turned into one space,
    stripped; page layouts pad titles and signatures with such runs."""
    return _SPACE_RUN.sub(" ", s).strip()


def _lines(text: str) -> list[str]:
    """Input: text. Output: its non-empty lines, whitespace-normalised."""
    return list(_lines_of(text))


@lru_cache(maxsize=4)
def _lines_of(text: str) -> tuple[str, ...]:
    # the full text is read line by line several times per document: normalised once
    sub = _SPACE_RUN.sub
    return tuple(s for s in (sub(" ", x).strip() for x in text.splitlines()) if s)


def _date_part(s: str) -> int | None:
    """Input: a number in Arabic digits or Chinese numerals (2018, 二〇一八, 十一, 二十二).
    Output: its value, or None when it is not a number."""
    if s.isdigit():
        return int(s)
    try:
        return chinese_integer(s.translate(_ZERO_VARIANTS))
    except ValueError:
        return None


def _iso(y: int | str | None, m: int | str | None, d: int | str | None) -> str | None:
    """Input: year, month, day (ints or numeral strings). Output: 'YYYY-MM-DD' if that day exists, else None."""
    vals = [v if isinstance(v, int) else _date_part(v) if v else None for v in (y, m, d)]
    if None in vals:
        return None
    try:
        return _dt.date(*vals).isoformat()  # type: ignore[arg-type]
    except ValueError:
        return None


def normalise_doc_number(m: re.Match[str]) -> str:
    """Input: a match of ``DOC_NUMBER``. Output: the doc number with 〔〕 brackets, no spaces."""
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"


def _warn(meta: DocumentMetadata, fld: str, why: str) -> None:
    """Input: metadata, a field name, a reason. Output: none; appends '<doc_id>: <field>: <why>', the
    format ``documents_csv.apply_overrides`` relies on to drop warnings a curated value has settled."""
    meta.warnings.append(f"{meta.doc_id}: {fld}: {why}")


# --------------------------------------------------------------------------------------------------
# Title and doc number
# --------------------------------------------------------------------------------------------------

def _title_from_line(line: str) -> tuple[str, str | None] | None:
    """Input: one whitespace-normalised line. Output: (title, doc number found on the line) if the line
    names a policy document, else None.

    A title line ends with a document type (方案, 意见, 通知, ..., optionally followed by a short bracketed
    note such as (2021—2023年) or (试行)), names a city or 质量, and has no
    sentence punctuation; page chrome around it is removed first: breadcrumbs (首页>政策法规>X keeps X),
    labels (名 称: X), tags (【转】X) and a trailing 文号 in brackets."""
    s = line
    if ">" in s:
        s = s.rsplit(">", 1)[1].strip()
    s = re.sub(r"^(?:名\s*称|标\s*题|题\s*名|文件名称|文件标题|信息名称)\s*[:：]\s*", "", s)
    s = re.sub(r"^(?:【[^】]*】|『[^』]*』|\[[^\]]*\])\s*", "", s)
    doc_number = None
    m = re.search(rf"\s*[(（\[［【]?\s*{DOC_NUMBER}\s*[)）\]］】]?\s*$", s)
    if m:
        doc_number = normalise_doc_number(m)
        s = s[:m.start()].strip()
    if s.startswith("《") and s.endswith("》") and s.count("《") == 1:
        s = s[1:-1]
    if not (6 <= len(s) <= 120) or re.search(r"[。,，;；:：!?！？]", s):
        return None
    # A short bracketed tail may follow the type: (2021—2023年), (试行), (修订稿).
    if not re.search(rf"(?:{_DOC_KEYWORDS})(?:\s*[(（][^()（）]{{1,16}}[)）])?$", s):
        return None
    if "质量" not in s and not find_mentions(s, "full") and not find_mentions(s, "short"):
        return None
    return s, doc_number


def _title_core(title: str) -> str:
    """Input: a title. Output: the name of the plan it carries: the text inside 《》, or between 印发 and
    的通知 (关于印发X的通知 -> X); else the title itself. The body often repeats only that name."""
    m = re.search(r"《([^》]+)》", title) or re.search(r"印发(.+?)的通知$", title)
    return m.group(1) if m else title


def _find_title(full_text: str, body_text: str) -> tuple[str, str, str | None] | None:
    """Input: full page text, body text. Output: (title, the line it came from, doc number on that line),
    or None.

    The first title-like line whose title or plan name also occurs in the body wins; this skips lists of
    other policies in the site navigation. Without such a line, the first title-like line wins."""
    squash = re.sub(r"\s+", "", body_text)
    first = None
    for line in _lines(full_text) or _lines(body_text):  # a caller may pass only the body
        found = _title_from_line(line)
        if not found:
            continue
        title, num = found
        if first is None:
            first = (title, line, num)
        if not squash:
            break
        if re.sub(r"\s+", "", title) in squash or re.sub(r"\s+", "", _title_core(title)) in squash:
            return title, line, num
    return first


def _find_doc_number(title_line: str | None, title_number: str | None, full_text: str,
                     body_text: str) -> str | None:
    """Input: the title's source line and the doc number on it, full text, body text. Output: the
    document's own 文号, or None.

    Accepted places, in order: the title line (often '(温政办〔2014〕98号)' after the title); a labelled
    header field (文号: / 发文字号:); a line holding nothing but the number (the usual place under the
    title of a 红头文件), possibly with a date beside it. A 文号 inside a sentence is a cited document, e.g. '依据《...》(宁党发〔2018〕17号)',
    and is never taken."""
    if title_number:
        return title_number
    if title_line:
        m = re.search(DOC_NUMBER, title_line)
        if m:
            return normalise_doc_number(m)
    m = re.search(rf"(?:文\s*号|发文字号|发文文号|文件编号)\s*[:：]\s*{DOC_NUMBER}", full_text)
    if m:
        return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"
    for text in (body_text, full_text):
        for line in _lines(text):
            # Some headers put the date beside the number: '舟政发〔2017〕3号 2017年4月1日'.
            m = re.fullmatch(rf"[(（\[［【]?\s*{DOC_NUMBER}\s*[)）\]］】]?(?:\s*[(（]?\s*{_DATE_ANY}\s*日?\s*[)）]?)?", line)
            if m:
                return normalise_doc_number(m)
    return None


# --------------------------------------------------------------------------------------------------
# City, province, issuer
# --------------------------------------------------------------------------------------------------

def _split_orgs(s: str) -> str:
    """Input: an issuer string. Output: it with a space between organisations written together
    (中共银川市委银川市人民政府 -> 中共银川市委 银川市人民政府), so joint issuers read the same whatever
    the page's spacing: before 中共 or a jurisdiction's name that follows an organisation's last character."""
    starts = {m.start for m in find_mentions(s, "full")}
    out = []
    for i, ch in enumerate(s):
        if i and s[i - 1] in "委府室厅局会部院办" and (i in starts or s.startswith("中共", i)):
            out.append(" ")
        out.append(ch)
    return _norm_space("".join(out))


def _issuer_from_title(title: str) -> str | None:
    """Input: a title. Output: the organisations named before 关于 (中共芜湖市委 芜湖市人民政府), or None."""
    head, sep, _ = title.partition("关于")
    head = head.strip()
    if not sep or not head or not re.search(rf"{_ORG_END}$", head):
        return None
    return _split_orgs(head)


def _signature(body_lines: list[str]) -> tuple[str | None, str | None]:
    """Input: body lines. Output: (issuer from the signature, ISO signing date), each possibly None.

    The signature is the block of organisation-name lines right above a line holding only a date
    (泰安: '中共泰安市委' / '泰安市人民政府' / '2018年11月1日'). A date-only line without such a block
    still gives the date (some documents print it under the title)."""
    first_date = None
    for i, line in enumerate(body_lines):
        m = re.fullmatch(rf"[(（]?\s*{_DATE_ZH}\s*[)）]?", line)
        if not m:
            continue
        date = _iso(*m.groups())
        if not date:
            continue
        orgs = []
        j = i - 1
        while j >= 0 and len(orgs) < 3 and _ORG_LINE.match(body_lines[j]) and not _title_from_line(body_lines[j]):
            orgs.insert(0, body_lines[j])
            j -= 1
        if orgs:
            return _split_orgs(" ".join(orgs)), date
        first_date = first_date or date
    # Print line at the end of a document: '宜昌市人民政府办公室2018年5月14日印发'.
    for line in body_lines:
        m = re.fullmatch(rf"([{_CJK}\s]{{2,60}}?{_ORG_END})\s*{_DATE_ZH}\s*印发", line)
        if m:
            return _split_orgs(m.group(1)), first_date
    return None, first_date


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------

def _labelled_date(full_text: str, labels: str) -> str | None:
    """Input: full text, a regex alternation of header labels. Output: ISO date after the first such
    label ('成文日期:2019-02-22', '添加时间:2019-01-14 16:28:16'), or None."""
    for m in re.finditer(rf"(?:{labels})\s*[:：]\s*{_DATE_ANY}", full_text):
        date = _iso(*m.groups())
        if date:
            return date
    return None


def _damaged_date(body_lines: list[str], published: str | None) -> tuple[str | None, str | None]:
    """Input: body lines, the publication date if known. Output: (ISO date, the damaged line) or (None, None).

    Scraped pages sometimes lose the 年/月/日 characters of a signing-date line ('2019222' for
    2019年2月22日, '201912日)' for 2019年1月2日). Such a line is read only when its digits split into a
    month and a day in exactly one valid way, and the date falls within a year before publication
    (when that is known), so an ordinary number is not mistaken for a date."""
    for line in body_lines:
        m = re.fullmatch(r"[(（]?\s*((?:19|20)\d{2})(\d{2,4})\s*日?\s*[)）]?", line)
        if not m:
            continue
        year, rest = int(m.group(1)), m.group(2)
        dates = {_iso(year, int(rest[:k]), int(rest[k:])) for k in (1, 2) if 0 < k < len(rest) and rest[k] != "0"}
        dates.discard(None)
        if len(dates) != 1:
            continue
        date = dates.pop()
        if published:
            lag = (_dt.date.fromisoformat(published) - _dt.date.fromisoformat(date)).days
            if not 0 <= lag <= 366:
                continue
        return date, line
    return None, None


def _date_on_doc_number_line(full_text: str, doc_number: str) -> str | None:
    """Input: full text, the document's 文号. Output: ISO date written on a line that carries that 文号
    ('温政办〔2014〕98号 2014-08-11'), or None; the last resort when no other date is there."""
    for line in _lines(full_text):
        if any(normalise_doc_number(m) == doc_number for m in re.finditer(DOC_NUMBER, line)):
            rest = re.sub(DOC_NUMBER, " ", line)  # the 文号's own year must not be read as a date
            for m in re.finditer(_DATE_ANY, rest):
                date = _iso(*m.groups())
                if date:
                    return date
    return None


# --------------------------------------------------------------------------------------------------
# Horizon
# --------------------------------------------------------------------------------------------------

_YEAR = r"((?:19|20)\d{2})"
# A target year: 到2020年, 至2020年, 截至2020年, or a goals paragraph opening with '2020年,'.
_TARGET_YEAR = re.compile(rf"(?:到|至|截至|截止到?)\s*{_YEAR}\s*年|{_YEAR}\s*年\s*(?:底|末)?\s*[,，]")
_STRIVE_YEAR = re.compile(rf"(?:到|至|力争(?:在|于|到)?)\s*{_YEAR}\s*年")
_ANNUAL_WORDS = re.compile(r"年度|行动计划|工作计划|工作要点|工作方案|实施计划|计划$|要点$")


def _horizon_from_title(title: str) -> tuple[int | None, str | None]:
    """Input: a title. Output: (horizon, plan type) read from the title alone, or (None, None).

    '(2018—2020年)' or '2018-2020年' is a multi-year plan ending in the second year; a single year in an
    annual-plan title ('2018年度行动计划', '2014年...行动计划') is an annual plan for that year.
    '到2025年' in a title is a target, left to the body rules."""
    m = re.search(rf"{_YEAR}\s*年?\s*[-—–~～至到]\s*{_YEAR}\s*年?", title)
    if m and int(m.group(2)) > int(m.group(1)):
        return int(m.group(2)), "multi_year"
    years = {int(y) for y in re.findall(rf"(?<![到至\d]){_YEAR}\s*年", title)}
    if len(years) == 1 and _ANNUAL_WORDS.search(title) and not re.search(rf"[到至]\s*{_YEAR}", title):
        return years.pop(), "annual"
    return None, None


def _goals_section(body_text: str) -> str:
    """Input: body text. Output: the goals section: from the first heading-like line naming 目标
    (一、总体要求和目标任务 / (二)工作目标。...) up to the next top-level heading (二、...), at most
    4000 chars; '' when there is no such line."""
    lines = body_text.splitlines()
    for i, raw in enumerate(lines):
        line = raw.strip()
        if "目标" in line[:16]:
            out = [line]
            for nxt in lines[i + 1:]:
                if re.match(r"\s*[一二三四五六七八九十]+、", nxt):
                    break
                out.append(nxt)
            return "\n".join(out)[:4000]
    return ""


def _horizon_from_body(body_text: str, issued_year: int | None) -> tuple[int | None, str]:
    """Input: body text, the issue year if known. Output: (horizon, which rule gave it).

    The most common target year in the goals section (ties: the later year) wins; then the same over
    the whole body; then the largest year named after 到/至/力争. Years before the issue year are
    reviews of the past, not targets, and are ignored."""
    def ok(y: int) -> bool:
        return issued_year is None or y >= issued_year

    for where, text in (("goals section", _goals_section(body_text)), ("body", body_text)):
        years = [int(a or b) for a, b in _TARGET_YEAR.findall(text)]
        counts = Counter(y for y in years if ok(y))
        if counts:
            best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
            return best, f"most common target year in the {where}"
    years = [int(y) for y in _STRIVE_YEAR.findall(body_text) if ok(int(y))]
    if years:
        return max(years), "largest year after 到/至/力争"
    return None, "no target year (到YYYY年 / YYYY年,) found"


def jurisdiction_fields(adcode: str) -> dict[str, str]:
    """Input: a gazetteer adcode. Output: the ``JURISDICTION_FIELDS`` of a document issued there
    (city = official name, city_en = pinyin, province = the province it lies in, level, adcode,
    parent adcode). Raises KeyError for an adcode the gazetteer lacks."""
    row = jurisdiction(adcode)
    if row is None:
        raise KeyError(adcode)
    return {"city": row["name"], "city_en": row["pinyin"], "province": province_of(adcode)["name"],
            "level": row["level"], "adcode": row["adcode"], "parent": row["parent"]}


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------

def infer_metadata(doc_id: str, full_text: str, body_text: str) -> DocumentMetadata:
    """Input: doc_id (file stem), the whole cleaned page text, and the policy body (title through last
    paragraph). Output: ``DocumentMetadata`` with every field the text supports; each field it cannot
    infer is None with a warning '<doc_id>: <field>: <why>'. ``script`` is left for the caller.

    Rules (general, never per file):
    title     first line that names a policy document (see ``_title_from_line``), preferring one the body repeats;
    city      the issuing jurisdiction at any level (gazetteer.infer_jurisdiction): the division the
              title starts with, or one inside it that the issuer names (a district's plan under its
              city's title), else the one the body names most often; several candidates (鼓楼区) are
              narrowed by a parent named nearby, else left empty with a warning. city_en, province,
              level, adcode and parent come from the gazetteer row;
    issuer    organisations before 关于 in the title, else the signature above the signing date;
    issued    signing date in the body, else 成文日期, else a damaged signing date, else the page's
              publication date, else a date on the 文号 line;
    doc_number 文号 on the title line, in a 文号: field, or alone on a line;
    horizon   year of an annual plan's title, else a title year range, else target years in the goals;
    plan_type 'annual' for annual titles or targets in the issue year, else 'multi_year'.
    """
    meta = DocumentMetadata(doc_id=doc_id)
    body = body_text if body_text and body_text.strip() else full_text
    body_lines = _lines(body)

    found = _find_title(full_text, body_text)
    title_line = title_number = None
    if found:
        meta.title, title_line, title_number = found
    else:
        _warn(meta, "title", "no line names a policy document (方案/意见/计划/规划/纲要/通知/办法 with a city or 质量)")

    # Issuer and signing date come from the same place in the body, the signature block.
    sig_issuer, sig_date = _signature(body_lines)
    meta.issuer = (_issuer_from_title(meta.title) if meta.title else None) or sig_issuer
    if not meta.issuer:
        _warn(meta, "issuer", "no organisation before 关于 in the title and no signature above a date")

    meta.doc_number = _find_doc_number(title_line, title_number, full_text, body_text)
    if not meta.doc_number:
        _warn(meta, "doc_number", "no 文号 on the title line, in a 文号 field or alone on a line")

    # The issuing jurisdiction, at whatever level; the 文号's prefix (温政办) is text close to the title.
    nearby = meta.doc_number.split("〔")[0] if meta.doc_number else ""
    found_j = infer_jurisdiction(meta.title, meta.issuer, nearby, body)
    if found_j.adcode:
        for fld, value in jurisdiction_fields(found_j.adcode).items():
            setattr(meta, fld, value)
        if found_j.source == "body":
            meta.warnings.append(f"{doc_id}: city: no jurisdiction in title or issuer; {found_j.note}")
    else:
        _warn(meta, "city", f"{found_j.note}; left empty")
        provinces = {province_of(c)["name"] for c in found_j.candidates}
        if len(provinces) == 1:
            meta.province = provinces.pop()  # every candidate lies in it: not a guess
        for fld in JURISDICTION_FIELDS[1:]:
            if getattr(meta, fld) is None:
                _warn(meta, fld, "no jurisdiction")

    published = _labelled_date(full_text, _PUBLISH_LABELS)
    meta.issued = sig_date or _labelled_date(full_text, _SIGNING_LABELS)
    if not meta.issued:
        meta.issued, damaged = _damaged_date(body_lines, published)
        if meta.issued:
            meta.warnings.append(f"{doc_id}: issued: read from a damaged date line {damaged!r}")
    if not meta.issued and published:
        meta.issued = published
        meta.warnings.append(f"{doc_id}: issued: no signing date; using the page's publication date")
    if not meta.issued and meta.doc_number:
        meta.issued = _date_on_doc_number_line(full_text, meta.doc_number)
    if not meta.issued:
        _warn(meta, "issued", "no signing date, no 成文日期/发布日期/添加时间 label, no date on the 文号 line")

    issued_year = int(meta.issued[:4]) if meta.issued else None
    meta.horizon, meta.plan_type = _horizon_from_title(meta.title or "")
    if meta.horizon is None:
        meta.horizon, why = _horizon_from_body(body, issued_year)
        if meta.horizon is None:
            _warn(meta, "horizon", why)
            _warn(meta, "plan_type", "no horizon")
        else:
            # Targets for the issue year itself make a plan annual even when its title has no year.
            meta.plan_type = "annual" if meta.horizon == issued_year else "multi_year"
    return meta

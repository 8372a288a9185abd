"""Exact number parsing for Chinese policy texts.

Finds numeric mentions (Arabic, Chinese, mixed, percentages, ranges, rates)
in cleaned Simplified Chinese text and turns them into ``decimal.Decimal``
quantities with a normalised unit. No floats are used anywhere, so
``16.4亿`` is exactly ``Decimal('1640000000')``.

Public API: :class:`Quantity`, :func:`parse_number`, :func:`find_quantities`,
:func:`classify_non_quantity`, :func:`unit_kind`, :func:`find_malformed`.

Malformed numbers are never guessed at: ``find_malformed`` names the digit runs that no reading makes
one number of (``96..5%``, ``95.%``, ``1,2,3项``), and target extraction skips them with a warning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from functools import lru_cache

from ..resources import data_lines, data_rows

__all__ = ["Quantity", "parse_number", "chinese_integer", "find_quantities", "classify_non_quantity",
           "NON_QUANTITY_REASONS", "unit_kind", "Malformed", "find_malformed"]

# Plenty of headroom: 28 digits (the default) could round huge mixed numbers.
_CTX = Context(prec=80)

# One-to-one replacements only, so spans in the normalised string equal spans
# in the caller's string.
_FW = str.maketrans({**{chr(0xFF10 + k): str(k) for k in range(10)},
                     "％": "%", "～": "~", "〜": "~", "．": ".", "－": "-", "，": ",",
                     "（": "(", "）": ")", "：": ":", "；": ";", "／": "/", "＋": "+",
                     "﹪": "%", "萬": "万", "億": "亿", "兩": "两", "號": "号"})

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8}
_SCALE = "十百千万亿"
_CN = "".join(_DIGITS) + _SCALE
_ZEROS = "零〇"

_AR = re.compile(r"[0-9]+(?:,[0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_AR_FULL = re.compile(r"(?P<ar>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)(?P<mult>[百千万亿]*)")
_CN_RUN = re.compile(f"[{_CN}]+")
_CN_FULL = re.compile(f"(?P<int>[{_CN}]+)(?:点(?P<frac>[零〇一二三四五六七八九]+)(?P<mult>[万亿]*))?")
_CN_FRAC = re.compile(r"点([零〇一二三四五六七八九]+)([万亿]*)")
_MULT = re.compile(r"[百千万亿]+")
# Ranges: '1-2', '1—2', '1~2', '1至2', '1到2', '1——2'.
_CONN = re.compile(r"——|[-—–~至到]")
# Whole date/time tokens, so '2018-08-08' is not read as a range.
_DATE = re.compile(r"(?:19|20)[0-9]{2}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?![0-9])"
                   r"|(?:19|20)[0-9]{2}[-/](?:0?[1-9]|1[0-2])(?![0-9.])"
                   r"|(?:[01]?[0-9]|2[0-4]):[0-5][0-9](?::[0-5][0-9])?(?![0-9])")
_YEAR_NUM = re.compile(r"[0-9]{4}|[零〇一二三四五六七八九]{4}")
_YEAR_RANGE = re.compile(r"[0-9]{4}(?:——|[-—–~至到])[0-9]{4}")
_LEAD_DIGITS = re.compile(r"[0-9]+")
_FW_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FW)) + "]")


@lru_cache(maxsize=64)
def _fold(text: str) -> str:
    """``text`` with full-width forms folded (``_FW``), cached: the sentence of every candidate is
    folded once, however many of its numbers are classified (a str caches its hash, so a hit is cheap).
    Cleaned text has mostly none of them left: a scan for them is cheaper than ``translate``."""
    return text.translate(_FW) if _FW_CHARS.search(text) else text


@dataclass(frozen=True)
class Quantity:
    """One numeric mention; ``text[start:end] == surface``.

    ``value``/``value_hi`` have multipliers applied (``3万件`` -> 30000);
    ``unit`` never contains a multiplier except inside a rate's denominator
    (``起/万台``). ``numeral`` is 'arabic', 'chinese' or 'mixed' (both kinds
    of characters in the numeric part, e.g. ``3万`` or ``百分之5``).
    """

    start: int
    end: int
    surface: str
    num_start: int
    num_end: int
    value: Decimal
    value_hi: Decimal | None
    unit: str
    is_range: bool
    numeral: str


# ---------------------------------------------------------------- data files
@lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    """Return {unit: kind} loaded from data/units.csv."""
    return {row["unit"].strip(): row["kind"].strip() for row in data_rows("units.csv")}


@lru_cache(maxsize=1)
def _unit_res() -> tuple[re.Pattern, re.Pattern, tuple[str, ...]]:
    """Return (unit regex, '/denominator' regex, units starting with a scale char)."""
    alt = "|".join(re.escape(u) for u in sorted(_units(), key=len, reverse=True))
    scale_led = tuple(u for u in _units() if u[0] in _SCALE)
    return re.compile(alt), re.compile(f"/[百千万亿]*(?:{alt})"), scale_led


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    """Return the fixed numeral-bearing expressions from data/numeric_names.txt."""
    return tuple(sorted(set(data_lines("numeric_names.txt"))))


def unit_kind(unit: str) -> str | None:
    """Map a unit from :class:`Quantity` to count/measure/percent/rate/money/time.

    Units with a '/' denominator are 'rate'; '' and unknown units give None.
    """
    if "/" in unit:
        return "rate"
    return _units().get(unit)


# ------------------------------------------------------------- parse_number
def _exact(v: Decimal) -> Decimal:
    """Drop the spurious '.0' multiplication leaves (1640000000.0 -> 1640000000)."""
    if v == v.to_integral_value():
        return v.quantize(Decimal(1), context=_CTX)
    return v.normalize(_CTX)


def _cn_int(s: str) -> int:
    """Parse a Chinese integer numeral ('一百二十' -> 120); ValueError if malformed."""
    if all(c in _DIGITS for c in s):
        if len(s) == 1:
            return _DIGITS[s]
        # Digit-by-digit reading is how years are written (二〇二〇); '两三'
        # or '一二' are approximations/enumerations, not 23 or 12.
        if "两" not in s and (len(s) == 4 or any(c in _ZEROS for c in s)):
            return int("".join(str(_DIGITS[c]) for c in s))
        raise ValueError(f"ambiguous run of Chinese digits: {s!r}")
    total = wan = section = 0
    number: int | None = None
    prev, prev_unit, shorthand, cap, wan_used = "", 0, 0, 10**4, False
    for idx, c in enumerate(s):
        if c in _ZEROS:
            if prev == "digit":
                raise ValueError(f"misplaced zero in {s!r}")
            prev = "zero"
        elif c in _DIGITS:
            if prev == "digit":
                raise ValueError(f"two digits without a unit between them in {s!r}")
            number, prev = _DIGITS[c], "digit"
            shorthand = prev_unit if prev_unit and s[idx - 1] not in _ZEROS else 0
        elif c in _SMALL:
            u = _SMALL[c]
            if number is None:
                if idx:
                    raise ValueError(f"{c!r} without a digit in {s!r}")
                number = 1  # leading 十/百/千 means one of them: 十二, 千亿
            if u >= cap:
                raise ValueError(f"units out of order in {s!r}")
            section, number, cap, prev, prev_unit = section + number * u, None, u, "unit", u
        else:
            part = section + (number or 0) + (wan if c == "亿" else 0)
            if not part:
                if idx:
                    raise ValueError(f"{c!r} without a number in {s!r}")
                part = 1
            if c == "万":
                if wan_used:
                    raise ValueError(f"repeated 万 in {s!r}")
                wan, wan_used = part * 10**4, True
            else:
                total, wan, wan_used = (total + part) * 10**8, 0, False
            section, number, cap, prev, prev_unit = 0, None, 10**4, "unit", _BIG[c]
    if number is not None and shorthand >= 100:
        number *= shorthand // 10  # colloquial 一万五 = 15000, 三千五 = 3500
    return total + wan + section + (number or 0)


def chinese_integer(s: str) -> int:
    """Input: an integer in Chinese numerals (十一, 一百二十, 二〇一八, 一万五).
    Output: its value. Raises ValueError when ``s`` is not a well-formed numeral, including digit runs
    that are approximations rather than numbers (两三, 一二)."""
    if not s:
        raise ValueError("empty numeral")
    if any(c not in _CN for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    return _cn_int(s)


def _mult(m: str) -> int:
    """Value of a multiplier suffix such as '万', '千万', '万亿'."""
    return _cn_int("一" + m) if m else 1


def parse_number(s: str) -> Decimal:
    """Parse one complete numeral string into an exact Decimal.

    Accepts Arabic ('96.5', '10,000', full-width digits), Arabic with a Chinese
    multiplier ('1.5万' -> 15000, '16.4亿' -> 1640000000), Chinese ('十二',
    '两', '一百二十', '九十九点五', '二〇二〇' read digit by digit) and
    '百分之…' (returns the percentage number: '百分之九十五' -> 95).
    Raises ValueError on anything else.
    """
    t = s.translate(_FW).strip()
    if t.startswith("百分之"):
        t = t[3:]
    try:
        if m := _AR_FULL.fullmatch(t):
            base = Decimal(m["ar"].replace(",", ""))
            return _exact(_CTX.multiply(base, Decimal(_mult(m["mult"]))))
        if m := _CN_FULL.fullmatch(t):
            v = Decimal(_cn_int(m["int"]))
            if m["frac"]:
                frac = "".join(str(_DIGITS[c]) for c in m["frac"])
                v = _CTX.multiply(_CTX.add(v, Decimal("0." + frac)), Decimal(_mult(m["mult"])))
            return _exact(v)
    except (ValueError, InvalidOperation) as exc:
        raise ValueError(f"not a number: {s!r} ({exc})") from None
    raise ValueError(f"not a number: {s!r}")


# ---------------------------------------------------------- find_quantities
@dataclass
class _Atom:
    end: int
    lo: Decimal
    hi: Decimal | None = None
    pct: bool = False
    mult: int = 1
    lead_zero: bool = False


def _take_mult(t: str, p: int) -> tuple[int, int]:
    """Consume an optional '余/多' + multiplier ('万', '余万') at p -> (end, factor)."""
    q = p + 1 if t[p:p + 1] in ("余", "多") else p
    m = _MULT.match(t, q)
    if not m or t.startswith(_unit_res()[2], q):  # '3千米' is km, not 3000 米
        return p, 1
    for end in range(m.end(), q, -1):
        try:
            return end, _mult(t[q:end])
        except ValueError:
            continue
    return p, 1


def _approx(run: str) -> tuple[int, int] | None:
    """'两三' -> (2, 3), '三五' -> (3, 5), '三四十' -> (30, 40); else None."""
    if len(run) < 2 or run[0] not in _DIGITS or run[1] not in _DIGITS:
        return None
    a, b = _DIGITS[run[0]], _DIGITS[run[1]]
    if a < 1 or b - a not in (1, 2) or run[0] in _ZEROS or run[1] in _ZEROS:
        return None
    try:
        f = _mult(run[2:])
    except ValueError:
        return None
    return a * f, b * f


def _atom(t: str, i: int) -> _Atom | None:
    """Read one number (no range, no unit) starting exactly at i."""
    pct = t.startswith("百分之", i)
    j = i + 3 if pct else i
    if m := _AR.match(t, j):
        txt = m.group()
        end, mult = (m.end(), 1) if pct else _take_mult(t, m.end())
        v = _CTX.multiply(Decimal(txt.replace(",", "")), Decimal(mult))
        return _Atom(end, _exact(v), pct=pct, mult=mult,
                     lead_zero=len(txt) > 1 and txt[0] == "0" and txt[1] != ".")
    m = _CN_RUN.match(t, j)
    if not m:
        return None
    run = m.group()
    for k in range(1, len(run)):  # '三千米' is 3 千米
        if run[k] in _SCALE and t.startswith(_unit_res()[2], j + k):
            run = run[:k]
            break
    for n in range(len(run), 0, -1):
        cand = run[:n]
        if rng := _approx(cand):
            return _Atom(j + n, Decimal(rng[0]), Decimal(rng[1]), pct)
        try:
            v = Decimal(_cn_int(cand))
        except ValueError:
            continue
        end = j + n
        if n == len(run) and (fm := _CN_FRAC.match(t, end)):
            v = parse_number(cand + fm.group())
            end = fm.end()
        if not pct:
            end, mult = _take_mult(t, end) if n == len(run) else (end, 1)
            v = _exact(_CTX.multiply(v, Decimal(mult)))
            return _Atom(end, v, pct=pct, mult=mult)
        return _Atom(end, v, pct=pct)
    return None


def _numeral_kind(num: str) -> str:
    ar = any(c.isascii() and c.isdigit() for c in num)
    cn = any(c in _CN for c in num)
    return "mixed" if ar and cn else ("arabic" if ar else "chinese")


def _quantity_at(text: str, t: str, i: int) -> Quantity | None:
    """Read the longest quantity (number/range + unit) starting at i."""
    if t[i].isascii() and t[i].isdigit() and (dm := _DATE.match(t, i)):
        lead = _LEAD_DIGITS.match(dm.group()).group()
        return Quantity(i, dm.end(), text[i:dm.end()], i, dm.end(), Decimal(lead),
                        None, "", False, "arabic")
    a = _atom(t, i)
    if a is None:
        return None
    lo, hi, pct, end = a.lo, a.hi, a.pct, a.end
    if hi is None and not a.lead_zero:
        p = end + 1 if t[end:end + 1] == "%" else end
        cm = _CONN.match(t, p)
        b = _atom(t, cm.end()) if cm else None
        if b and b.hi is None and not b.lead_zero and (p == end or t[b.end:b.end + 1] == "%"):
            scaled = _exact(_CTX.multiply(lo, Decimal(b.mult)))
            if a.mult == 1 and b.mult > 1 and scaled < b.lo:
                lo = scaled  # '3-5万' means 30000..50000
            if b.lo > lo:
                hi, end, pct = b.lo, b.end, pct or b.pct
    num = t[i:end]
    unit, stop = "", end
    is_year = (_YEAR_NUM.fullmatch(num) or _YEAR_RANGE.fullmatch(num)) and t[end:end + 1] == "年"
    if pct:
        unit = "%"
    elif not is_year:
        unit_re, den_re, _ = _unit_res()
        p = end + 1 if t[end:end + 1] in ("余", "多") else end
        if um := unit_re.match(t, p):
            unit, stop = um.group(), um.end()
        if dm := den_re.match(t, stop if unit else p):
            unit, stop = unit + dm.group(), dm.end()
    return Quantity(i, stop, text[i:stop], i, end, lo, hi, unit, hi is not None,
                    _numeral_kind(num))


def find_quantities(text: str) -> list[Quantity]:
    """Return every numeric mention in ``text``, left to right, non-overlapping.

    Non-quantities (years, dates, section numbers, ...) are returned too so the
    caller can see them; use :func:`classify_non_quantity` to filter. Lone
    Chinese numeral characters that are just part of a word (进一步, 统一,
    万人, 百姓) are skipped unless they carry a unit or are recognisably a
    section number, ordinal or name.
    """
    t = _fold(text)
    out: list[Quantity] = []
    start = _start_re()
    m = start.search(t)
    while m:  # jump from one possible numeral to the next instead of walking every char
        i = m.start()
        q = _quantity_at(text, t, i)
        if q is not None:
            if _keep(text, q):
                out.append(q)
            m = start.search(t, q.end)
        else:
            m = start.search(t, i + 1)
    return out


@lru_cache(maxsize=None)
def _start_re() -> re.Pattern:
    return re.compile("[0-9" + "".join(sorted(_CN)) + "]")


def _keep(text: str, q: Quantity) -> bool:
    num = q.surface[: q.num_end - q.start].translate(_FW)
    if len(num) == 1 and num in "百千万亿":
        return False
    if q.numeral != "chinese" or q.unit:
        return True
    if len(num) > 1 and not q.is_range:
        return True
    return classify_non_quantity(text, q) is not None


# ----------------------------------------------------- classify_non_quantity
_CLAUSE_END = "\n\r。;:!?；：！？"
_NAME_CHARS = set("大届中化品改拆边带路岗票站网图水建")
_JIE_NAME = re.compile(r"届(?:[一二三四五六七八九十]+中|全会|人大|党代会|[市省区县]委|中央|政协|纪委|人民代表|委员)")
_DOC_YEAR_BEFORE = re.compile(r"[〔\[【(]\s*[0-9]{4}\s*[〕\]】)]\s*$")
_CODE_KEY_BEFORE = re.compile(r"(?:电话|热线|传真|邮编|邮政编码|QQ|qq|ICP备?|手机|索引号|编号|备案号)"
                              r"[:\s]*[0-9A-Za-z\-/,()\s]*$")
_LATIN_BEFORE = re.compile(r"(?:[A-Za-z]|(?<![A-Za-z])[A-Z]{2,}(?:/[A-Z]+)?\s)$")
_COPYRIGHT_BEFORE = re.compile(r"(?:©|\([Cc]\)|Copyright|版权所有)\s*$")
_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’"}
_FOUR_DIGITS = re.compile(r"[0-9]{4}")
_OPEN_BRACKET_BEFORE = re.compile(r"[〔\[【(]\s*$")
_CLOSE_BRACKET_AFTER = re.compile(r"\s*[〕\]】)]")
_DOC_NUMBER_AFTER = re.compile(r"\s*[〕\]】)]\s*[0-9]+\s*号")
_HAO_AFTER = re.compile(r"\s*号")
_HOTLINE = re.compile(r"123[0-9]{2}")
_PHONE_OR_AREA_CODE = re.compile(r"[0-9]{7,}|0[0-9]{2,}")
_LATIN_AFTER = re.compile(r"[.\-_@]?[A-Za-z]")
_DIGIT_DASH_BEFORE = re.compile(r"[0-9][\-/]$")
_DASH_DIGIT_AFTER = re.compile(r"[\-/][0-9]")
_DIGIT_DOT_BEFORE = re.compile(r"[0-9][·•]$")
_DOT_DIGIT_AFTER = re.compile(r"[·•][0-9]")
_HOTLINE_AFTER = re.compile(r"(?:服务)?(?:热线|专线)")
_GUO_BEFORE = re.compile(r"(?<![全中我各两外强大本])国$")
_SECTION_MARK_AFTER = re.compile(r"[、.](?![0-9])")
_ONCE_AFTER = re.compile(r"(?:验收|交验|交工|性)")


def _in_short_quote(t: str, s: int, e: int, limit: int = 8) -> bool:
    """True if t[s:e] sits inside a quoted phrase of at most ``limit`` chars."""
    for opening, closing in _QUOTES.items():
        o = t.rfind(opening, max(0, s - limit), s)
        if o >= 0 and closing not in t[o + 1:s]:
            c = t.find(closing, e, o + limit + 2)
            if c >= 0 and c - o - 1 <= limit:
                return True
    return False


@lru_cache(maxsize=1)
def _names_re() -> re.Pattern:
    """Zero-width: at every position where a name starts, group 1 is the longest name starting there."""
    if not _names():
        return re.compile("(?!)")
    alt = "|".join(re.escape(n) for n in sorted(_names(), key=len, reverse=True))
    return re.compile(f"(?=({alt}))")


@lru_cache(maxsize=64)
def _name_spans(t: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the longest known name starting at each position of ``t`` (one scan per sentence)."""
    return tuple((m.start(), m.end(1)) for m in _names_re().finditer(t))


def _in_name(t: str, s: int, e: int) -> bool:
    """True if some occurrence of a known name in ``t`` covers ``t[s:e]``."""
    return any(k <= s and end >= e for k, end in _name_spans(t))


#: Every answer :func:`classify_non_quantity` can give besides None.
NON_QUANTITY_REASONS = frozenset({"year", "date", "doc_number", "code", "section_number", "ordinal", "name"})


def classify_non_quantity(text: str, q: Quantity) -> str | None:
    """Say why ``q`` (found in ``text``) is obviously not a measured quantity.

    Returns one of :data:`NON_QUANTITY_REASONS`, or None when it looks like a real quantity.
    """
    return _classify(text, q)


@lru_cache(maxsize=256)
def _classify(text: str, q: Quantity) -> str | None:
    # cached: a lone Chinese numeral is classified when it is found and again when it is judged as a target
    t = _fold(text)
    s, e = q.num_start, q.num_end
    num, before, after = t[s:e], t[:s], t[e:]
    single_int = not q.is_range and q.value == q.value.to_integral_value()
    # date / year
    if _DATE.fullmatch(q.surface.translate(_FW)):
        return "date"
    if (_YEAR_NUM.fullmatch(num) or _YEAR_RANGE.fullmatch(num)) and (
            after.startswith("年") or _COPYRIGHT_BEFORE.search(before)):
        return "year"
    if not q.unit and single_int and (after.startswith("月")
                                      or (after[:1] in ("日", "号") and before.endswith("月"))):
        return "date"
    # doc_number: 〔2018〕17号 and friends
    if _FOUR_DIGITS.fullmatch(num) and (ob := _OPEN_BRACKET_BEFORE.search(before)) and \
            _CLOSE_BRACKET_AFTER.match(after):
        if ob.group()[0] in "〔【" or _DOC_NUMBER_AFTER.match(after):
            return "doc_number"
    if q.numeral == "arabic" and _DOC_YEAR_BEFORE.search(before) and _HAO_AFTER.match(after):
        return "doc_number"
    # code (but '1+X'/'1+4' compounds are names)
    if before.endswith("+") or after.startswith("+"):
        return "name"
    if q.numeral == "arabic" and not q.unit and single_int:
        if _HOTLINE.fullmatch(num) or _PHONE_OR_AREA_CODE.fullmatch(num):
            return "code"  # 123xx service hotlines, phone numbers, area codes
    # the two '$'-anchored patterns are at most 2 characters long (+ a final newline): search the tail
    tail = max(0, s - 3)
    if (_LATIN_BEFORE.search(before) or _LATIN_AFTER.match(after) or before.endswith("@")
            or _DIGIT_DASH_BEFORE.search(before, tail) or _DASH_DIGIT_AFTER.match(after)
            or _DIGIT_DOT_BEFORE.search(before, tail) or _DOT_DIGIT_AFTER.match(after)
            or _CODE_KEY_BEFORE.search(before[-40:]) or _HOTLINE_AFTER.match(after)):
        return "code"
    if len(num) == 1 and num in "三四五六" and _GUO_BEFORE.search(before, tail):
        return "code"  # 国五 emission standard
    # section numbers: '一、' / '3.' at a clause start, '(一)' / '(1)' anywhere
    stripped = before.rstrip(" \t\u3000\xa0")
    if not q.unit and not q.is_range and len(num) <= 3:
        if (not stripped or stripped[-1] in _CLAUSE_END) and _SECTION_MARK_AFTER.match(after):
            return "section_number"
        if stripped.endswith("(") and after.startswith(")"):
            return "section_number"
    if before.endswith("第"):
        return "ordinal"
    # names: 十九大, 十九届二中全会, 五水共治, 一次验收, quoted slogans, word list
    if q.numeral == "chinese" and after[:1] in _NAME_CHARS:
        if after[0] != "届" or _JIE_NAME.match(after):
            return "name"
    if num == "一" and q.unit == "次" and _ONCE_AFTER.match(t, q.end):
        return "name"
    if q.numeral == "chinese" and _in_short_quote(t, s, e):
        return "name"
    if _in_name(t, s, e):
        return "name"
    return None


# ------------------------------------------------------------- find_malformed
@dataclass(frozen=True)
class Malformed:
    """A run of digits, points and commas that is no well-formed number; ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    problem: str


_DIGIT_RUN = re.compile(r"[0-9][0-9.,]*")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_YEAR_LIST = re.compile(r"(?:19|20)[0-9]{2}(?:,(?:19|20)[0-9]{2})+")
_PERCENT_AFTER = re.compile(r"\s*(?:%|‰|个百分点|百分点)")


def find_malformed(text: str) -> list[Malformed]:
    """Return the malformed numbers of ``text``, left to right. Three kinds, each read wrongly by a
    lenient parser and so rejected here rather than guessed at:

    * two decimal points in a row: ``96..5%`` (not 96 plus a stray 5%);
    * a decimal point with no digit after it before a percent: ``95.%`` (not 95 with no unit); and
      several decimal points before a percent: ``96.5.3%``;
    * commas that are no thousands grouping: ``1,2,3项``, ``1,0000``, ``3,5个`` (not 3 项, not 10000:
      after width folding a Chinese comma looks the same, so an enumeration of bare numbers is
      ambiguous too). A list of years (``2019,2020``) is not flagged.

    A point or comma at the end of a run is punctuation (``达到95.``, ``3项,5项``), and dates
    (``2019.1.14``) and section numbers without a percent (``3.2.1``) are left alone."""
    t = _fold(text)
    out: list[Malformed] = []
    for m in _DIGIT_RUN.finditer(t):
        run = m.group()
        core = run.rstrip(".,")
        start, end = m.start(), m.start() + len(core)
        after = t[end:]
        problem = None
        if ".." in core:
            problem = "two decimal points in a row"
        elif core.count(".") >= 2 and not _DATE.fullmatch(core) and _PERCENT_AFTER.match(t, m.end()):
            problem = "several decimal points"
        elif run[len(core):].startswith(".") and _PERCENT_AFTER.match(after, 1):
            problem = "decimal point with no digit after it"
            end += 1
        elif "," in core and not _THOUSANDS.fullmatch(core) and not _YEAR_LIST.fullmatch(core):
            problem = "commas that are no thousands grouping"
        if problem:
            out.append(Malformed(start, end, text[start:end], problem))
    return out

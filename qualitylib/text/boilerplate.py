"""Boilerplate removal: keep the document body (title through the last paragraph of the policy text).

Works line by line on cleaned Simplified text, with general rules and no per-site lists:

1. The *core* runs from the first to the last paragraph line (a long line with sentence punctuation
   that is not itself boilerplate).
2. Going up from the core, lines of a document header (title, 文号, addressee, signature, date, short
   heading) are kept; single boilerplate lines among them (``来源: ... 浏览次数``) are skipped; the
   climb stops at the first line that is neither, and the body starts at the topmost title line.
3. Going down from the core, trailing signature/date/印发 lines are kept; the rest is footer.
4. Inside the body, short lines that are plainly page furniture (counters, share buttons, contacts,
   copyright, navigation) are dropped too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .headings import heading_level
from .offsets import OffsetMap, TextBuilder

# Page furniture. Strong markers never occur in policy prose; label forms are anchored so a body
# sentence that mentions 电话 or 来源 survives.
_STRONG = re.compile(
    r"copyright|©|\(c\)\s*\d{4}|all rights reserved|版权所有|icp备|icp证|公网安备|技术支持|support by"
    r"|^\s*(?:新闻)?来源\s*[:：]?|发布时间\s*[:：]|添加时间\s*[:：]|发布人\s*[:：]|^\s*(?:作者|编辑|责任编辑)\s*[:：]"
    r"|浏览次数|查看次数|阅读次数|点击数|点击量|访问量"
    r"|^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+\d+\s*$"
    r"|^\s*(?:索\s*引\s*号|效力状态|发布机构|成文日期|责任部门|发布日期|名\s*称|主题分类|体裁分类)\s*[:：]"
    r"|当前位置|您所在位置|首页\s*>|>\s*正文|>>"
    r"|^\s*(?:地址|电话|传真|邮编|邮箱|e-?mail)\s*[:：]|\d{3,4}-\d{7,8}|^\s*核心提示\s*[:：]|^\s*地区\s*[:：]",
    re.IGNORECASE,
)
# Words that are furniture only on a short line (注册 in 注册商标, 推荐 in 推荐审核 are policy words).
_WEAK = re.compile(
    r"登录|注册|无障碍|长者版|适老化|后台管理|管理后台|扫一扫|分享|打印|关闭|收藏|举报|打赏|点击查看|图文解读"
    r"|一图读懂|上一篇|下一篇|相关链接|相关文章|推荐|排行|更多\s*>|同类|网站首页|^\s*附件\s*[:：]?\s*$"
)
WEAK_MAX_CHARS = 40
_TITLE = re.compile(
    r"^(?:.*关于.*|.*(?:方案|意见|计划|规划|纲要|通知|办法|决定|细则|要点))\s*(?:\([^)]*号\))?$"
)
_DOC_NUMBER = re.compile(r"〔\d{4}〕\s*\d+\s*号|\[\d{4}\]\s*\d+\s*号")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d+\s*日\)?\s*$")
_ADDRESSEE = re.compile(r"[:：]\s*$")
_SIGNATORY = re.compile(r"(?:人民政府|委员会|办公室|办公厅|市委|县委|区委|政府|局|厅)\s*(?:\d{4}年.*印发)?\s*$")
_SENTENCE = re.compile(r"[。;；,，]")
PARAGRAPH_MIN_CHARS = 40


@dataclass(frozen=True)
class BodySelection:
    """Which lines of the full text form the body. Line numbers are 0-based indices into
    ``full_text.split('\\n')``."""

    first: int
    last: int
    kept: tuple[int, ...]
    dropped: tuple[int, ...]


def is_boilerplate(line: str) -> bool:
    """Input: one line. Output: True when it is page furniture (navigation, counters, contact, ...)."""
    if len(line) >= 160:
        return False
    if _STRONG.search(line):
        return True
    return len(line) <= WEAK_MAX_CHARS and "。" not in line and bool(_WEAK.search(line))


def _is_paragraph(line: str) -> bool:
    return len(line) >= PARAGRAPH_MIN_CHARS and "。" in line and not is_boilerplate(line)


def _is_title(line: str) -> bool:
    return 8 <= len(line) <= 120 and bool(_TITLE.match(line)) and not is_boilerplate(line)


def _is_header(line: str) -> bool:
    """Lines that belong to a document header or closing: title, 文号, addressee, signatory, date."""
    if is_boilerplate(line):
        return False
    return bool(
        heading_level(line)
        or _is_title(line)
        or _DOC_NUMBER.search(line)
        or (_DATE.search(line) and len(line) <= 40)
        or (_ADDRESSEE.search(line) and len(line) <= 200)
        or (_SIGNATORY.search(line) and len(line) <= 40)
        or (_SENTENCE.search(line) and len(line) >= 15)
    )


def select_body(full_text: str) -> BodySelection:
    """Input: the whole cleaned page. Output: the body's line range and the lines kept inside it.
    A text with no paragraph line at all is returned whole (minus boilerplate lines): better to keep
    a short notice than to drop it."""
    lines = full_text.split("\n")
    paragraphs = [i for i, ln in enumerate(lines) if _is_paragraph(ln)]
    if not paragraphs:
        first, last = 0, len(lines) - 1
    else:
        first, last = _climb(lines, paragraphs[0]), _descend(lines, paragraphs[-1])
    kept, dropped = [], []
    for i in range(first, last + 1):
        ln = lines[i]
        if not ln.strip():
            continue
        (dropped if is_boilerplate(ln) else kept).append(i)
    return BodySelection(first, last, tuple(kept), tuple(dropped))


def _climb(lines: list[str], core_start: int) -> int:
    top = core_start
    i = core_start - 1
    while i >= 0:
        ln = lines[i].strip()
        if not ln or is_boilerplate(ln):
            i -= 1
            continue
        if not _is_header(ln):
            break
        if _is_title(ln) or _SENTENCE.search(ln) or _DOC_NUMBER.search(ln):
            top = i
        i -= 1
    # Header lines above the topmost title (e.g. a lone date) are not part of the body.
    while top < core_start and not _is_title(lines[top].strip()) and not _SENTENCE.search(lines[top]):
        top += 1
    return top


def _descend(lines: list[str], core_end: int) -> int:
    bottom = core_end
    i = core_end + 1
    while i < len(lines):
        ln = lines[i].strip()
        if not ln:
            i += 1
            continue
        if is_boilerplate(ln) or not _is_header(ln) or _is_title(ln):
            break
        bottom = i
        i += 1
    return bottom


def body_text(full_text: str, selection: BodySelection) -> tuple[str, OffsetMap]:
    """Input: the whole cleaned page and its body selection. Output: the body text (kept lines joined
    by newlines) and its offset map onto the full text."""
    lines = full_text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    builder = TextBuilder(full_text)
    for k, i in enumerate(selection.kept):
        if k:
            prev_end = starts[selection.kept[k - 1]] + len(lines[selection.kept[k - 1]])
            builder.replace(prev_end, prev_end + 1, "\n")  # points at the newline that ended the previous line
        builder.keep(starts[i], starts[i] + len(lines[i]))
    return builder.build()

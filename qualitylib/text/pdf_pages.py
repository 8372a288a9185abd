"""PDF files with a text layer -> ``SourceText``: the pages' text, unwrapped into paragraphs.

Text comes from the PDF's text layer through pypdf (``PageObject.extract_text()``, one string per page).
``RawText.text`` is those page texts, unchanged, joined by ``\\n`` (``unit='page'``); a target's
``page`` (1-based) and ``part_start:part_end`` are therefore its page and its character offsets in
``PdfReader(file).pages[page - 1].extract_text()``. There are no byte offsets: a PDF's text sits in
compressed content streams, in glyph codes.

What the cleaning steps see is derived from it (the offset map keeps every character's page):

* a page number or a running header/footer standing as the first or last line of a page is dropped
  (``- 3 -``, ``第3页 共10页``; a first or last line that repeats on half the pages, digits aside);
* visual line wraps are undone: a line joins the next when it runs (nearly) the full width of the
  text, does not end a sentence (``。；：！？``) and the next line does not start a heading
  (``一、``, ``（一）``, ``1.``, ``第一章``) or an indented paragraph; a page break is a line wrap like
  any other. Chinese lines (and a number cut by the wrap) join without a space, Latin words with one;
* in a line whose Chinese characters are spaced out (工 业 产 品, from justified or letter-spaced
  text), the spaces between them are dropped; a single space between Chinese words stays.

A PDF with no text on any page (a scan) raises ``DecodeError`` saying it needs OCR; a single page
without text is skipped with a note. Encrypted PDFs open when they need no password.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import Path

import numpy as np

from .decode import DecodeError, read_source_bytes
from .headings import heading_level
from .offsets import OffsetMap, RawText, SourceText, TextBuilder

# pypdf logs every odd font or broken object at WARNING; our notes say what matters
logging.getLogger("pypdf").setLevel(logging.ERROR)

FULL_LINE = 0.85  # a line at least this share of the usual full line width is a wrapped line
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:第\s*)?[0-9０-９]{1,4}\s*页?(?:\s*[/／]\s*[0-9０-９]{1,4}|\s*共\s*[0-9０-９]{1,4}\s*页)?[\s\-—–－_·•]*$"
    r"|^\s*(?:page\s*)?[0-9]{1,4}\s*(?:of\s*[0-9]{1,4})?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[。！？!?；;：:][”’」』)）]?\s*$")
_INDENT = re.compile(r"^(?:[ \t]{2,}|\u3000)")
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十百零〇0-9]+[章节条部篇]")
_FW_HEAD = str.maketrans({"（": "(", "）": ")", "．": ".", **{chr(0xFF10 + k): str(k) for k in range(10)}})
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(f"(?<=[{_WIDE}])[ \t]+(?=[{_WIDE}])")
_CJK_PAIR = re.compile(f"[{_WIDE}](?=[ \t]*[{_WIDE}])")


def _width(line: str) -> int:
    """Display width: a Chinese or full-width character counts 2, anything else 1."""
    return len(line) + len(re.findall(f"[{_WIDE}]", line))


def _letter_spaced(line: str) -> bool:
    """True when a line's Chinese characters are spaced out (工 业 产 品: justified or letter-spaced
    text): at least half of the gaps between two of them hold a space. An occasional space between
    Chinese words (中共芜湖市委 芜湖市人民政府) is kept."""
    spaced = len(_SPACE_IN_CJK.findall(line))
    return spaced >= 3 and spaced >= len(_CJK_PAIR.findall(line)) / 2


def _latin_wrap(last: str, first: str) -> bool:
    """True when a wrap between these two chars stood for a space: Latin words (ISO | 9001), not a
    number cut in two (11 | 0个) nor anything Chinese."""
    if not (last.isascii() and last.isalnum() and first.isascii() and first.isalnum()):
        return False
    return not (last.isdigit() and first.isdigit())


def _starts_block(line: str) -> bool:
    """True when a line begins a heading or an indented paragraph, so it never continues the line above."""
    if _INDENT.match(line):
        return True
    s = line.strip().translate(_FW_HEAD)
    return bool(heading_level(s) or _CHAPTER.match(s))


def _furniture(lines_by_page: list[list[tuple[int, int]]], text: str) -> set[int]:
    """Input: per page, the (start, end) of its non-blank lines. Output: starts of lines to drop: page
    numbers and running headers/footers at the top or bottom of a page."""
    drop: set[int] = set()
    key = lambda span: re.sub(r"[0-9０-９]+", "#", text[span[0]:span[1]]).strip()  # noqa: E731
    for lines in lines_by_page:
        for span in (lines[:1] + lines[-1:]):
            if _PAGE_NUMBER.match(text[span[0]:span[1]]):
                drop.add(span[0])
    n = len(lines_by_page)
    if n >= 3:
        for edge in (0, -1):
            counts: dict[str, int] = {}
            for lines in lines_by_page:
                if lines:
                    counts[key(lines[edge])] = counts.get(key(lines[edge]), 0) + 1
            for lines in lines_by_page:
                if lines and counts[key(lines[edge])] >= max(3, n / 2):
                    drop.add(lines[edge][0])
    return drop


def unwrap_pages(text: str, unit_starts: np.ndarray) -> tuple[str, OffsetMap]:
    """Input: the page texts joined by newlines and where each page starts. Output: the text with page
    furniture dropped and line wraps undone, and its offset map onto ``text``."""
    spans = []  # (start, end, page index) of every line
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    page_of = np.searchsorted(unit_starts, [s for s, _ in spans], side="right") - 1
    by_page: list[list[tuple[int, int]]] = [[] for _ in unit_starts]
    for (s, e), k in zip(spans, page_of):
        if text[s:e].strip():
            by_page[k].append((s, e))
    drop = _furniture(by_page, text)
    # the empty line after a page text's own final newline is no paragraph break
    page_end = {int(x) - 1 for x in unit_starts[1:]} | {len(text)}
    kept = [(s, e) for s, e in spans if s not in drop and not (s == e and e in page_end)]
    widths = sorted(_width(text[s:e].strip()) for s, e in kept if _width(text[s:e].strip()) >= 10)
    full = widths[int(0.8 * (len(widths) - 1))] if len(widths) >= 3 else (widths[-1] if widths else 0)
    builder = TextBuilder(text)
    prev: tuple[int, int] | None = None  # the last non-blank line emitted
    blank_since = False
    for s, e in kept:
        line = text[s:e]
        if not line.strip():
            blank_since = True
            continue
        if prev is not None:
            a = text[prev[0]:prev[1]].rstrip()
            join = (not blank_since and full and _width(a.strip()) >= FULL_LINE * full
                    and not _SENTENCE_END.search(a) and not _starts_block(line))
            if not join:
                builder.replace(prev[1], prev[1] + 1, "\n")
            elif _latin_wrap(a[-1:], line.lstrip()[:1]):
                builder.replace(prev[1], s, " ")
            if join:
                s = s + (len(line) - len(line.lstrip()))  # the continuation's leading spaces go
        keep_from = s
        if _letter_spaced(text[s:e]):
            for m in _SPACE_IN_CJK.finditer(text, s, e):
                builder.keep(keep_from, m.start())
                keep_from = m.end()
        builder.keep(keep_from, e)
        prev, blank_since = (s, e), False
    return builder.build()


def read_pdf(path: str | Path) -> SourceText:
    """Input: path of a PDF. Output: its ``SourceText`` (raw = the page texts, ``unit='page'``).
    Raises ``DecodeError`` for an unreadable or password-protected PDF, and for one without a text
    layer (the message says it needs OCR)."""
    from pypdf import PdfReader  # imported here: a batch of text files never pays for it

    p = Path(path)
    data = read_source_bytes(p, allow_blank=True)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DecodeError(str(p), None, "PDF is password-protected; save an unprotected copy")
        pages = list(reader.pages)
    except DecodeError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise DecodeError(str(p), None, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    notes, texts = [], []
    for k, page in enumerate(pages, 1):
        try:
            t = page.extract_text() or ""
        except Exception as exc:  # one broken page must not lose the others
            notes.append(f"{p}: page {k}: text could not be extracted ({type(exc).__name__}: {exc}); skipped")
            t = ""
        else:
            if not t.strip():
                notes.append(f"{p}: page {k} has no text layer (a scanned page?): it needs OCR; skipped")
        texts.append(t)
    if not any(t.strip() for t in texts):
        raise DecodeError(str(p), None, f"PDF has no text layer on any of its {len(pages)} page(s): a scanned "
                                        "document needs OCR (e.g. ocrmypdf) before qualitylib can read it")
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    unit_starts = np.array(starts, dtype=np.int64)
    raw = RawText("\n".join(texts), "pdf", 0, str(p), hashlib.sha256(data).hexdigest(), unit="page",
                  unit_starts=unit_starts)
    text, omap = unwrap_pages(raw.text, unit_starts)
    return SourceText(raw, text, omap, notes)

"""Saved web pages (``.html``/``.htm``) -> ``SourceText``: the page's visible text, mapped onto the raw page.

Decoding: a BOM wins; else the charset the page declares (``<meta charset=gbk>``, ``<meta http-equiv=
"Content-Type" content="text/html; charset=gb2312">`` or an XML declaration, in the first 4 KB) is
tried strictly; a page without a declaration, or whose declaration does not decode it, goes through
the cascade of ``decode.py``. GB2312 and GBK declarations decode as GB18030, their superset (pages
labelled gb2312 routinely hold GBK characters); a declaration that decodes the page only into rarer
characters than the cascade finds (Big5 on GBK bytes) is overruled. A Chinese page labelled with a Western single-byte
charset (iso-8859-1, windows-1252, ascii: a template default) is decoded by the cascade, with a note.

Text: tags, comments, ``<head>``, scripts, styles, form controls and embedded objects are dropped, and so is
navigation: ``<nav>``, ``<aside>``, elements with an ARIA role of navigation, banner, contentinfo,
search or complementary, and -- outside ``<article>``/``<main>`` -- ``<header>``, ``<footer>`` and
elements whose class or id is a navigation word (nav, menu, breadcrumb, sidebar, header, footer, ...).
What furniture remains (counters, share buttons, related links) is left to the boilerplate step, as
for a text file. Block elements (``p``, ``div``, ``li``, headings, table rows, ``br``) end a line;
table cells of a row are joined by a space. Whitespace collapses as a browser shows it (a source line
break between two Chinese characters disappears). Entities (``&amp;``, ``&#25104;``, ``&nbsp;``) are
decoded. Every character of the text maps onto the characters of the decoded page it came from, so
``line``, ``raw_start`` and ``byte_start`` of a target locate the number in the saved page.

Parsing uses the standard library's ``html.parser`` (lenient with broken markup, and it reports the
source position of every token, which a DOM built by lxml or a main-text extractor does not).
"""
from __future__ import annotations

import codecs
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from .decode import DecodeError, decode_bytes, read_source_bytes
from .offsets import OffsetMap, RawText, SourceText, TextBuilder

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)|<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""",
    re.IGNORECASE,
)
_CHINESE_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "hz": "hz"}
_WESTERN = {"latin_1", "iso8859-1", "cp1252", "ascii"}

#: Elements whose content is never page text.
DROP = frozenset({
    "head", "title", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "canvas", "audio", "video", "select", "option", "button", "textarea", "nav", "aside", "map",
})
#: Dropped only outside an <article> or <main> (inside one they hold the article's own title or date).
DROP_OUTSIDE_ARTICLE = frozenset({"header", "footer"})
NAV_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"})
# a class or id token that is one of these words, or has one as a -/_ separated part (top_nav, main-menu)
NAV_PARTS = re.compile(r"(?:^|[-_])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|sidebar|daohang|wzdh)(?:$|[-_])",
                       re.IGNORECASE)
# ... and these only as a whole token (page_header is often the article's own title block)
NAV_TOKENS = re.compile(r"^(?:header|footer|topbar|toolbar|share|position|location|dh|skip)$", re.IGNORECASE)
BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
})
CELL = frozenset({"td", "th"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                  "track", "wbr"})
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's collapsible whitespace (not the no-break or ideographic space)
_ENTITY_END = re.compile(r"&#?[0-9A-Za-z]+;?")


def declared_charset(data: bytes) -> str | None:
    """Input: the raw bytes of a page. Output: the Python codec of the charset its ``<meta>`` or XML
    declaration names in the first 4 KB (GB2312/GBK -> gb18030), or None (none declared, or unknown)."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _CHINESE_SUPERSET.get(label, _CHINESE_SUPERSET.get(name, name))


def _is_wide(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


class _PageText(HTMLParser):
    """Collects the visible text of a page as (source span, emitted text) pieces."""

    def __init__(self, source: str, line_starts: list[int], drop_by_class: bool):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = line_starts
        self.drop_by_class = drop_by_class
        self.builder = TextBuilder(source)
        self.skip: list[str] = []  # open elements of a dropped subtree, its root first
        self.skip_by_class = False  # the dropped subtree was chosen by class/id/role, not by tag
        self.article_depth = 0
        self.pre_depth = 0
        self.last = "\n"  # last emitted char; "\n" at the start so leading space is dropped
        self.pending: tuple[int, int, bool] | None = None  # collapsed whitespace not yet emitted
        self.cell_open = False

    # positions -------------------------------------------------------------------------------
    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    # output ----------------------------------------------------------------------------------
    def _newline(self, start: int, end: int) -> None:
        self.pending = None
        if self.last != "\n":
            self.builder.replace(start, end, "\n")
            self.last = "\n"

    def _emit(self, start: int, end: int, text: str, *, keep: bool) -> None:
        if not text:
            return
        if self.pending is not None:
            ps, pe, has_newline = self.pending
            self.pending = None
            if self.last not in "\n ":
                if not (has_newline and _is_wide(self.last) and _is_wide(text[0])):
                    self.builder.replace(ps, pe, " ")
                    self.last = " "
        if keep:
            self.builder.keep(start, end)
        else:
            self.builder.replace(start, end, text)
        self.last = text[-1]

    def _text(self, start: int, data: str) -> None:
        if self.pre_depth:
            self.pending = None
            self._emit(start, start + len(data), data, keep=True)
            return
        pos = 0
        for m in _SPACE.finditer(data):
            if m.start() > pos:
                self._emit(start + pos, start + m.start(), data[pos:m.start()], keep=True)
            if self.last != "\n":
                self.pending = (start + m.start(), start + m.end(), "\n" in m.group(0))
            pos = m.end()
        if pos < len(data):
            self._emit(start + pos, start + len(data), data[pos:], keep=True)

    # dropping --------------------------------------------------------------------------------
    def _dropped_by_attrs(self, attrs: list[tuple[str, str | None]]) -> bool:
        for name, value in attrs:
            if not value:
                continue
            if name == "role" and value.strip().lower() in NAV_ROLES:
                return True
            if self.drop_by_class and name in ("class", "id") and self.article_depth == 0 and \
                    any(NAV_PARTS.search(t) or NAV_TOKENS.match(t) for t in value.split()):
                return True
        return False

    # parser callbacks ------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        start = self._pos()
        end = start + len(self.get_starttag_text() or "")
        if self.skip:
            if tag == "body" and self.skip[0] in ("head", "title"):
                self.skip = []  # a <head> (or <title>) that never closed ends where the body begins
            else:
                if tag == self.skip[0] and tag not in VOID:
                    self.skip.append(tag)
                return
        outside_article = self.article_depth == 0
        if tag in DROP or (tag in DROP_OUTSIDE_ARTICLE and outside_article and self.drop_by_class) or \
                (tag not in VOID and self._dropped_by_attrs(attrs)):
            self.skip = [tag]
            self.skip_by_class = tag not in DROP
            self._newline(start, end)
            return
        if tag in ("article", "main") or dict(attrs).get("role") == "main":
            self.article_depth += 1
        if tag in ("pre", "textarea", "listing", "plaintext"):
            self.pre_depth += 1
        if tag == "br" or tag in BLOCK:
            if tag == "tr":
                self.cell_open = False
            if tag == "br":
                self.pending = None
                self.builder.replace(start, end, "\n")
                self.last = "\n"
            else:
                self._newline(start, end)
        elif tag in CELL:
            if self.cell_open and self.last not in "\n ":
                self.pending = None
                self.builder.replace(start, end, " ")
                self.last = " "
            self.cell_open = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skip:
            self.handle_endtag(tag)
        elif tag not in VOID and self.skip and len(self.skip) == 1 and self.skip[0] == tag:
            self.skip = []  # <nav/>: an empty dropped element

    def handle_endtag(self, tag):
        start = self._pos()
        if self.skip:
            if tag == self.skip[0]:
                self.skip.pop()
                if not self.skip:
                    self._newline(start, start)
            return
        if tag in ("article", "main") and self.article_depth:
            self.article_depth -= 1
        if tag in ("pre", "textarea", "listing", "plaintext") and self.pre_depth:
            self.pre_depth -= 1
        if tag in BLOCK:
            end = self.source.find(">", start)
            self._newline(start, end + 1 if end >= 0 else start)

    def handle_data(self, data):
        if self.skip or not data:
            return
        start = self._pos()
        if self.source.startswith(data, start):
            self._text(start, data)
        else:  # never seen with html.parser; keep the text rather than lose it, mapped to its start
            self._emit(start, start, data, keep=False)

    def _entity(self, start: int) -> None:
        if self.skip:
            return
        m = _ENTITY_END.match(self.source, start)
        end = m.end() if m else start + 1
        raw = self.source[start:end]
        text = html.unescape(raw if raw.endswith(";") else raw + ";")
        if text == raw + ";" or text == raw:
            text = raw  # an unknown entity is text as written
        self._emit(start, end, text, keep=text == raw)

    def handle_entityref(self, name):
        self._entity(self._pos())

    def handle_charref(self, name):
        self._entity(self._pos())


def page_text(raw: RawText) -> tuple[str, OffsetMap, bool]:
    """Input: a decoded page. Output: (text, offset map onto ``raw.text``, whether dropping by class
    had to be turned off because a dropped element never closed)."""
    line_starts = [int(x) for x in raw.line_starts]
    for by_class in (True, False):
        parser = _PageText(raw.text, line_starts, by_class)
        parser.feed(raw.text)
        parser.close()
        if parser.skip and parser.skip_by_class and by_class:
            continue  # e.g. an unclosed <div class="nav"> swallowed the rest: read it again without
        text, omap = parser.builder.build()
        return text, omap, not by_class
    raise AssertionError("unreachable")


def read_html(path: str | Path) -> SourceText:
    """Input: path of a saved web page. Output: its ``SourceText`` (raw = the decoded page).
    Raises ``DecodeError`` when the page cannot be decoded or holds no text."""
    p = Path(path)
    data = read_source_bytes(p)
    notes = []
    declared = declared_charset(data)
    if declared in _WESTERN and any(b >= 0x80 for b in data):
        notes.append(f"{p}: declares charset {declared}, which cannot hold Chinese; decoded by the cascade instead")
        declared = None
    raw = decode_bytes(data, str(p), declared=declared)
    if declared and raw.encoding != declared:
        notes.append(f"{p}: declared charset {declared} does not decode the page (or only into rare "
                     f"characters); read as {raw.encoding}")
    text, omap, lenient = page_text(raw)
    if lenient:
        notes.append(f"{p}: a navigation element never closes; navigation by class/id was kept")
    if not text.strip():
        raise DecodeError(str(p), None, "web page has no visible text")
    return SourceText(raw, text, omap, notes)

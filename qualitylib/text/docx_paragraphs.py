"""Word files (``.docx``) -> ``SourceText``: the text of every paragraph, in document order.

Paragraphs are read with python-docx: every ``<w:p>`` of the document body in document order
(``document.element.body.iter(qn("w:p"))``), so paragraphs in table cells and text boxes count too,
each with python-docx's ``Paragraph.text`` (runs and hyperlinks; a line break is ``\\n``, a tab
``\\t``). The fallback copy of a text box (``mc:Fallback``, a duplicate for old readers) keeps its place
in the count but contributes no text. Headers, footers, footnotes and comments are not read, and
automatic list numbering (a number Word draws, not text) is not part of the text.

``RawText.text`` is the paragraph texts joined by ``\\n`` (``unit='paragraph'``): a target's
``paragraph`` is that 1-based index and ``part_start:part_end`` its character offsets in that
paragraph's text. There are no byte offsets (the text sits in compressed XML). For the cleaning steps
the paragraphs of one table row are joined into one line, cells separated by a space.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np

from .decode import DecodeError, read_source_bytes
from .offsets import RawText, SourceText, TextBuilder

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def docx_paragraphs(data: bytes) -> tuple[list[str], list[object | None]]:
    """Input: the bytes of a .docx file. Output: (text of every body paragraph in document order, the
    table row element (``w:tr``) each stands in or None; the same row is the same object).
    Raises whatever python-docx raises on a bad file."""
    import docx  # imported here: a batch of text files never pays for it
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    texts: list[str] = []
    rows: list[object | None] = []  # the elements themselves: kept alive, lxml hands out one proxy each
    tr = qn("w:tr")
    for p in document.element.body.iter(qn("w:p")):
        ancestors = list(p.iterancestors())
        if any(a.tag == _MC_FALLBACK for a in ancestors):
            texts.append("")
            rows.append(None)
            continue
        texts.append(p.text)
        row = next((a for a in ancestors if a.tag == tr), None)
        rows.append(row)
    return texts, rows


def read_docx(path: str | Path) -> SourceText:
    """Input: path of a Word file. Output: its ``SourceText`` (raw = the paragraph texts,
    ``unit='paragraph'``). Raises ``DecodeError`` for a file python-docx cannot open or one without text."""
    p = Path(path)
    data = read_source_bytes(p, allow_blank=True)
    try:
        texts, rows = docx_paragraphs(data)
    except Exception as exc:  # a zip error, a missing part, broken XML
        raise DecodeError(str(p), None, f"not a readable Word (.docx) file ({type(exc).__name__}: {exc})") from exc
    if not any(t.strip() for t in texts):
        raise DecodeError(str(p), None, "Word file has no text")
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    raw = RawText("\n".join(texts), "docx", 0, str(p), hashlib.sha256(data).hexdigest(), unit="paragraph",
                  unit_starts=np.array(starts, dtype=np.int64))
    builder = TextBuilder(raw.text)
    for k, (start, t) in enumerate(zip(starts, texts)):
        if k:
            same_row = rows[k] is not None and rows[k] is rows[k - 1]
            builder.replace(start - 1, start, " " if same_row else "\n")
        builder.keep(start, start + len(t))
    text, omap = builder.build()
    return SourceText(raw, text, omap, [])

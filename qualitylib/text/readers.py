"""Input formats: one reader per kind of file, each turning it into a ``SourceText`` (the raw text that
provenance points into, the text the cleaning steps start from, and the offset map between them).

=============  =========================  =================================================================
suffix         reader                     provenance of a target
=============  =========================  =================================================================
.txt (other)   ``decode.read_raw``        line, character and byte offsets in the raw file
.html, .htm    ``html_page.read_html``    line, character and byte offsets in the raw page
.pdf           ``pdf_pages.read_pdf``     page (1-based) and character offsets in that page's text
.docx          ``docx_paragraphs.read_docx``  paragraph (1-based) and character offsets in its text
=============  =========================  =================================================================

Every reader raises ``decode.DecodeError`` (file name and problem) for a file it cannot read, so the
batch layer reports it and goes on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .decode import read_raw
from .docx_paragraphs import read_docx
from .html_page import read_html
from .offsets import SourceText
from .pdf_pages import read_pdf


def read_text_file(path: str | Path) -> SourceText:
    """Input: path of a plain-text document (any supported encoding). Output: its ``SourceText``."""
    return SourceText.plain(read_raw(path))


#: suffix (lower case) -> reader; any other suffix given explicitly is read as a text file
READERS: dict[str, Callable[[str | Path], SourceText]] = {
    ".txt": read_text_file,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}
#: what a folder contributes to a batch
DOCUMENT_SUFFIXES = tuple(READERS)


def read_source(path: str | Path) -> SourceText:
    """Input: path of a document in any supported format. Output: its ``SourceText``. Never modifies
    the file. Raises ``DecodeError`` naming the file when it cannot be read."""
    reader = READERS.get(Path(path).suffix.lower(), read_text_file)
    return reader(path)

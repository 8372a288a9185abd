"""Offset maps: every character of a derived text remembers the span of its source text it came from.

Each cleaning step is a function ``str -> (str, OffsetMap)``. Maps compose, so a span of the final
cleaned text resolves to a span of the decoded raw text, and from there (via ``RawText``) to line,
column and byte range in the raw file.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


def index_dtype(n: int):
    """The integer type for offsets into a text of ``n`` chars: int32 (half the memory of int64) for
    any text below 2 G chars."""
    return np.int32 if n < 2**31 - 1 else np.int64


@dataclass(frozen=True)
class OffsetMap:
    """For each char ``i`` of a derived text, the half-open span ``[starts[i], ends[i])`` of the source."""

    starts: np.ndarray
    ends: np.ndarray
    source_len: int

    @classmethod
    def identity(cls, n: int) -> "OffsetMap":
        """Input: a text length. Output: the map of a text onto itself."""
        idx = np.arange(n, dtype=index_dtype(n + 1))
        return cls(idx, idx + 1, n)

    @classmethod
    def without(cls, n: int, spans: list[tuple[int, int]]) -> "OffsetMap":
        """Input: a source length and the sorted, disjoint spans ``[start, end)`` cut out of it. Output:
        the map of what is left onto the source, char for char (what a ``TextBuilder`` that keeps every
        gap builds, without a piece per gap)."""
        dtype = index_dtype(n + 1)
        if not spans:
            return cls.identity(n)
        edges = np.zeros(n + 1, dtype=np.int32)
        cut = np.array(spans, dtype=np.int64)
        edges[cut[:, 0]] += 1
        edges[cut[:, 1]] -= 1
        starts = np.flatnonzero(np.cumsum(edges[:n]) == 0).astype(dtype)
        return cls(starts, starts + 1, n)

    def __len__(self) -> int:
        return len(self.starts)

    def then(self, later: "OffsetMap") -> "OffsetMap":
        """Input: ``later``, a map from a newer text onto this map's derived text.
        Output: a map from the newer text straight onto this map's source."""
        if later.source_len != len(self):
            raise ValueError(f"cannot compose maps: later step expects {later.source_len} chars, got {len(self)}")
        if len(later) == 0:
            return OffsetMap(later.starts.copy(), later.ends.copy(), self.source_len)
        # An inserted char maps to an empty span [k, k); look up k as a position, not a char.
        starts = self._position_starts()[later.starts]
        ends = self._position_ends()[later.ends]
        return OffsetMap(starts, ends, self.source_len)

    def _position_start(self, p: int) -> int:
        # position p of the derived text -> source position: start of char p, or source end at the end.
        if p < len(self):
            return int(self.starts[p])
        return self.source_len if len(self) == 0 else int(self.ends[-1])

    def _position_starts(self) -> np.ndarray:
        return np.concatenate((self.starts, np.array([self._position_start(len(self))], dtype=self.starts.dtype)))

    def _position_ends(self) -> np.ndarray:
        # position p as an end boundary -> end of char p-1 (position 0 -> start of char 0).
        first = self.starts[0] if len(self) else 0
        return np.concatenate((np.array([first], dtype=self.ends.dtype), self.ends))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Input: a span of the derived text. Output: the covering span of the source text."""
        if not 0 <= start <= end <= len(self):
            raise IndexError(f"span [{start}, {end}) outside text of length {len(self)}")
        if start == end:
            p = self._position_start(start)
            return p, p
        if end - start == 1:
            return int(self.starts[start]), int(self.ends[start])
        return int(self.starts[start:end].min()), int(self.ends[start:end].max())

    def source_starts(self, spans: list[tuple[int, int]]) -> list[int]:
        """Input: spans of the derived text. Output: ``source_span(start, end)[0]`` of each, without a
        numpy call per span (a Traditional page has about 1,000 repairs to place)."""
        starts = self.starts.tolist() if spans else []
        n = len(starts)
        out = []
        for start, end in spans:
            if not 0 <= start <= end <= n:
                raise IndexError(f"span [{start}, {end}) outside text of length {n}")
            if start == end:
                out.append(self._position_start(start))
            elif end - start == 1:
                out.append(starts[start])
            else:
                out.append(min(starts[start:end]))
        return out


class TextBuilder:
    """Builds a derived text piece by piece while recording each piece's source span. Pieces are
    recorded as numbers and expanded to per-char arrays once, in ``build``, so a text of millions of
    pieces costs a few vectorised passes, not an array per piece."""

    def __init__(self, source: str):
        self.source = source
        self._parts: list[str] = []
        self._src_start: list[int] = []
        self._src_end: list[int] = []
        self._len: list[int] = []
        self._linear: list[bool] = []  # char for char (True) or every char -> the whole span (False)

    def _piece(self, text: str, start: int, end: int, linear: bool) -> None:
        self._parts.append(text)
        self._src_start.append(start)
        self._src_end.append(end)
        self._len.append(len(text))
        self._linear.append(linear)

    def keep(self, start: int, end: int) -> None:
        """Copy ``source[start:end]`` unchanged, char for char."""
        if end <= start:
            return
        self._piece(self.source[start:end], start, end, True)

    def replace(self, start: int, end: int, new: str) -> None:
        """Emit ``new`` in place of ``source[start:end]``; every new char points at the whole old span.
        When the lengths agree the mapping is char for char, which keeps offsets exact."""
        if not new:
            return
        self._piece(new, start, end, len(new) == end - start)

    def build(self) -> tuple[str, OffsetMap]:
        """Output: the derived text and its map onto the source."""
        text = "".join(self._parts)
        dtype = index_dtype(len(self.source) + 1)
        if not self._parts:
            empty = np.zeros(0, dtype=dtype)
            return text, OffsetMap(empty, empty.copy(), len(self.source))
        # every value is below max(len(text), len(source)) + 1, so the narrow type holds the arithmetic too
        dtype = index_dtype(max(len(text), len(self.source)) + 1)
        lens = np.array(self._len, dtype=dtype)
        linear = np.repeat(np.array(self._linear, dtype=bool), lens)
        out_pos = np.cumsum(lens, dtype=dtype) - lens  # where each piece starts in the derived text
        starts = np.arange(len(text), dtype=dtype)
        starts -= np.repeat(out_pos, lens)  # index within the piece
        starts *= linear  # 0 for a replaced span
        starts += np.repeat(np.array(self._src_start, dtype=dtype), lens)
        ends = np.repeat(np.array(self._src_end, dtype=dtype), lens)
        np.add(starts, 1, out=ends, where=linear)
        return text, OffsetMap(starts, ends, len(self.source))


@dataclass(frozen=True)
class RawPosition:
    """Where a span of the source text stands in the raw file.

    For a text file or a saved web page, ``line``/``column`` and ``char_start:char_end`` are in the
    decoded raw file and ``byte_start:byte_end`` is the byte range in the file. For a PDF or a Word
    file the source text is the extracted text (pages or paragraphs joined by newlines, see
    ``RawText.unit``): there is no byte range (None), and ``page`` (PDF, 1-based) or ``paragraph``
    (Word, 1-based) names the part the span stands in, ``part_start:part_end`` the span within that
    part's extracted text."""

    line: int  # 1-based
    column: int  # 1-based, in characters
    char_start: int
    char_end: int
    byte_start: int | None
    byte_end: int | None
    page: int | None = None
    paragraph: int | None = None
    part_start: int | None = None
    part_end: int | None = None


@dataclass
class RawText:
    """A decoded raw file: its text and what is needed to map characters back to bytes and lines.

    For PDF and Word files ``text`` is the text extracted from the file, its parts (pages or
    paragraphs) joined by ``\\n``; ``unit`` is ``'page'`` or ``'paragraph'`` and ``unit_starts`` the
    index in ``text`` where each part starts. Such a text has no byte offsets."""

    text: str
    encoding: str
    bom_len: int = 0
    path: str = ""
    sha256: str = ""  # of the raw bytes, BOM included: what documents.csv cites
    unit: str = ""  # '' (the text is the decoded file), 'page' (PDF) or 'paragraph' (Word)
    unit_starts: np.ndarray | None = None

    @cached_property
    def line_starts(self) -> np.ndarray:
        """Char index of the first char of every line (lines split on \\n only, so \\r\\n files count right)."""
        arr = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
        return np.concatenate(([0], np.flatnonzero(arr == 10) + 1)).astype(np.int64)

    @property
    def has_bytes(self) -> bool:
        """True when characters map to byte ranges of the file (text files and web pages)."""
        return not self.unit

    @cached_property
    def byte_offsets(self) -> np.ndarray:
        """Byte offset of every char boundary (len+1 entries), BOM included. Raises ``ValueError`` for
        text extracted from a PDF or Word file, whose characters have no bytes of their own."""
        if not self.has_bytes:
            raise ValueError(f"{self.path}: text extracted from a {self.encoding} file has no byte offsets")
        if self.encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
            cps = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
            lengths = np.ones(len(cps), dtype=np.uint8)  # 1 byte each for the sums: a big file stays small
            for limit in (0x80, 0x800, 0x10000):
                lengths += cps >= limit
        else:
            codec = self.encoding
            if codec.lower().startswith("utf-16") or codec.lower().startswith("utf16"):
                codec = "utf-16-le"  # per-char length is the same for le/be; the BOM is counted separately
            # encode each distinct char once: a page has a few thousand distinct chars, not 30k
            cps = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
            distinct, inverse = np.unique(cps, return_inverse=True)
            per_char = np.array([len(chr(c).encode(codec)) for c in distinct], dtype=np.int64)
            lengths = per_char[inverse] if len(cps) else np.zeros(0, dtype=np.int64)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, dtype=np.int64, out=offsets[1:])
        return offsets + self.bom_len

    def line_of(self, char_index: int) -> int:
        """Input: a char index of the decoded text. Output: its 1-based line number."""
        return int(np.searchsorted(self.line_starts, char_index, side="right"))

    def part_of(self, char_index: int) -> int | None:
        """Input: a char index of the text. Output: the 1-based page or paragraph it stands in, or None
        for a text file or web page."""
        if not self.unit:
            return None
        return int(np.searchsorted(self.unit_starts, char_index, side="right"))

    def where(self, char_index: int) -> str:
        """Input: a char index. Output: ``'12'`` (its line) or, for PDF and Word, ``'12 (page 3)'``:
        what a warning names after the file."""
        line = self.line_of(char_index)
        part = self.part_of(char_index)
        return f"{line}" if part is None else f"{line} ({self.unit} {part})"

    def position(self, start: int, end: int) -> RawPosition:
        """Input: a char span of the text. Output: line, column and byte range in the file; for PDF
        and Word the page or paragraph and the span within it instead of bytes."""
        line = self.line_of(start)
        column = start - int(self.line_starts[line - 1]) + 1
        if self.has_bytes:
            b = self.byte_offsets
            return RawPosition(line, column, start, end, int(b[start]), int(b[end]))
        part = self.part_of(start)
        base = int(self.unit_starts[part - 1])
        where = {self.unit: part}
        return RawPosition(line, column, start, end, None, None, part_start=start - base, part_end=end - base, **where)

    def line_text(self, line: int) -> str:
        """Input: a 1-based line number. Output: that line without its newline."""
        s = int(self.line_starts[line - 1])
        e = int(self.line_starts[line]) - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[s:e]


@dataclass
class SourceText:
    """What a reader makes of one input file: ``raw`` (what provenance points into), ``text`` (where
    the cleaning steps start: tags, page furniture and line wraps already gone), ``map`` from ``text``
    onto ``raw.text``, and ``notes``: warnings about the file (a page without a text layer, a declared
    charset that did not decode), each already naming the file."""

    raw: RawText
    text: str
    map: OffsetMap
    notes: list[str]

    @classmethod
    def plain(cls, raw: RawText) -> "SourceText":
        """Input: a decoded text file. Output: the source whose text is the file itself."""
        return cls(raw, raw.text, OffsetMap.identity(len(raw.text)), [])

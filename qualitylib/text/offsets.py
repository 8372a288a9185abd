"""Offset maps: every character of a derived text remembers the span of its source text it came from.

Each cleaning step is a function ``str -> (str, OffsetMap)``. Maps compose, so a span of the final
cleaned text resolves to a span of the decoded raw text, and from there (via ``RawText``) to line,
column and byte range in the raw file.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class OffsetMap:
    """For each char ``i`` of a derived text, the half-open span ``[starts[i], ends[i])`` of the source."""

    starts: np.ndarray
    ends: np.ndarray
    source_len: int

    @classmethod
    def identity(cls, n: int) -> "OffsetMap":
        """Input: a text length. Output: the map of a text onto itself."""
        idx = np.arange(n, dtype=np.int64)
        return cls(idx, idx + 1, n)

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
        pos_start = self._position_starts()
        pos_end = self._position_ends()
        return OffsetMap(pos_start[later.starts], pos_end[later.ends], self.source_len)

    def _position_starts(self) -> np.ndarray:
        # position p of the derived text -> source position: start of char p, or source end at the end.
        return np.append(self.starts, self.source_len if len(self) == 0 else self.ends[-1])

    def _position_ends(self) -> np.ndarray:
        # position p as an end boundary -> end of char p-1 (position 0 -> start of char 0).
        first = self.starts[0] if len(self) else 0
        return np.concatenate(([first], self.ends))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Input: a span of the derived text. Output: the covering span of the source text."""
        if not 0 <= start <= end <= len(self):
            raise IndexError(f"span [{start}, {end}) outside text of length {len(self)}")
        if start == end:
            p = int(self._position_starts()[start])
            return p, p
        return int(self.starts[start:end].min()), int(self.ends[start:end].max())


class TextBuilder:
    """Builds a derived text piece by piece while recording each piece's source span."""

    def __init__(self, source: str):
        self.source = source
        self._parts: list[str] = []
        self._starts: list[np.ndarray] = []
        self._ends: list[np.ndarray] = []

    def keep(self, start: int, end: int) -> None:
        """Copy ``source[start:end]`` unchanged, char for char."""
        if end <= start:
            return
        self._parts.append(self.source[start:end])
        idx = np.arange(start, end, dtype=np.int64)
        self._starts.append(idx)
        self._ends.append(idx + 1)

    def replace(self, start: int, end: int, new: str) -> None:
        """Emit ``new`` in place of ``source[start:end]``; every new char points at the whole old span.
        When the lengths agree the mapping is char for char, which keeps offsets exact."""
        if not new:
            return
        self._parts.append(new)
        n = len(new)
        if n == end - start:
            idx = np.arange(start, end, dtype=np.int64)
            self._starts.append(idx)
            self._ends.append(idx + 1)
        else:
            self._starts.append(np.full(n, start, dtype=np.int64))
            self._ends.append(np.full(n, end, dtype=np.int64))

    def build(self) -> tuple[str, OffsetMap]:
        """Output: the derived text and its map onto the source."""
        text = "".join(self._parts)
        if self._starts:
            starts = np.concatenate(self._starts)
            ends = np.concatenate(self._ends)
        else:
            starts = ends = np.zeros(0, dtype=np.int64)
        return text, OffsetMap(starts, ends, len(self.source))


@dataclass(frozen=True)
class RawPosition:
    """Where a span of decoded raw text stands in the raw file."""

    line: int  # 1-based
    column: int  # 1-based, in characters
    char_start: int
    char_end: int
    byte_start: int
    byte_end: int


@dataclass
class RawText:
    """A decoded raw file: its text and what is needed to map characters back to bytes and lines."""

    text: str
    encoding: str
    bom_len: int = 0
    path: str = ""
    sha256: str = ""  # of the raw bytes, BOM included: what documents.csv cites

    @cached_property
    def line_starts(self) -> np.ndarray:
        """Char index of the first char of every line (lines split on \\n only, so \\r\\n files count right)."""
        arr = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
        return np.concatenate(([0], np.flatnonzero(arr == 10) + 1)).astype(np.int64)

    @cached_property
    def byte_offsets(self) -> np.ndarray:
        """Byte offset of every char boundary (len+1 entries), BOM included."""
        if self.encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
            cps = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
            lengths = np.where(cps < 0x80, 1, np.where(cps < 0x800, 2, np.where(cps < 0x10000, 3, 4)))
        else:
            codec = self.encoding
            if codec.lower().startswith("utf-16") or codec.lower().startswith("utf16"):
                codec = "utf-16-le"  # per-char length is the same for le/be; the BOM is counted separately
            # encode each distinct char once: a page has a few thousand distinct chars, not 30k
            cps = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
            distinct, inverse = np.unique(cps, return_inverse=True)
            per_char = np.array([len(chr(c).encode(codec)) for c in distinct], dtype=np.int64)
            lengths = per_char[inverse] if len(cps) else np.zeros(0, dtype=np.int64)
        return np.concatenate(([0], np.cumsum(lengths))).astype(np.int64) + self.bom_len

    def line_of(self, char_index: int) -> int:
        """Input: a char index of the decoded text. Output: its 1-based line number."""
        return int(np.searchsorted(self.line_starts, char_index, side="right"))

    def position(self, start: int, end: int) -> RawPosition:
        """Input: a char span of the decoded text. Output: line, column and byte range in the file."""
        line = self.line_of(start)
        column = start - int(self.line_starts[line - 1]) + 1
        b = self.byte_offsets
        return RawPosition(line, column, start, end, int(b[start]), int(b[end]))

    def line_text(self, line: int) -> str:
        """Input: a 1-based line number. Output: that line without its newline."""
        s = int(self.line_starts[line - 1])
        e = int(self.line_starts[line]) - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[s:e]

"""Cleaning: ``RawText`` -> ``CleanDocument``, the composition of the single-purpose steps.

:data:`CLEANING_STEPS` is the ordered list: raw decoded text -> mojibake repair -> pinyin-note removal
-> Traditional->Simplified -> width normalisation = the cleaned full page; boilerplate selection then
cuts the body out of it. Every step has one signature, ``step(text) -> (text, offset map, repairs)``,
and the composed maps tie every body character to its span in the raw file. A new step is one more
entry in the list (and its own module), in the style of spaCy's pipeline components.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from . import boilerplate
from .chinese_script import detect_script, to_simplified
from .mojibake import repair_mojibake
from .offsets import OffsetMap, RawPosition, RawText, SourceText
from .pinyin_notes import remove_pinyin_notes
from .readers import read_source
from .repairs import Repair
from .width import normalize_width

log = logging.getLogger(__name__)

#: ``step(text) -> (text, offset map onto the input, repairs with offsets in the input)``
CleaningStep = Callable[[str], tuple[str, OffsetMap, list[Repair]]]

#: The cleaning steps in order, by name. Script detection reads the input of the ``script`` step.
CLEANING_STEPS: tuple[tuple[str, CleaningStep], ...] = (
    ("mojibake", repair_mojibake),
    ("pinyin", remove_pinyin_notes),
    ("script", to_simplified),
    ("width", normalize_width),
)


@dataclass
class CleanDocument:
    """A cleaned document. ``body`` is the policy text in Simplified Chinese; ``body_map`` maps each
    of its characters onto ``raw.text`` (the decoded raw file, or a PDF's or Word file's extracted
    text). ``notes`` are the reader's warnings about the file (a page without text layer, ...)."""

    doc_id: str
    raw: RawText
    full_text: str
    full_map: OffsetMap
    body: str
    body_map: OffsetMap
    selection: boilerplate.BodySelection
    script: str
    repairs: list[Repair] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Input: a span of ``body``. Output: the char span of the decoded raw text it came from."""
        return self.body_map.source_span(start, end)

    def raw_position(self, start: int, end: int) -> RawPosition:
        """Input: a span of ``body``. Output: line, column and byte range in the raw file."""
        a, b = self.raw_span(start, end)
        return self.raw.position(a, b)

    def raw_lines(self, starts) -> np.ndarray:
        """Input: body offsets (each < ``len(body)``). Output: the raw line of the char at each, in one
        vectorised lookup (what ``raw_position(p, p + 1).line`` gives one at a time)."""
        idx = np.asarray(starts, dtype=np.int64)
        if not len(idx):
            return np.zeros(0, dtype=np.int64)
        return np.searchsorted(self.raw.line_starts, self.body_map.starts[idx], side="right").astype(np.int64)

    @property
    def warnings(self) -> list[str]:
        """The reader's notes, then one line per repair that left a warning (``path:line: step: ...``)."""
        repairs = [f"{self.raw.path}:{self.raw.where(r.raw_char) if r.raw_char >= 0 else r.raw_line}: {r.step}: {r.warning}"
                   for r in self.repairs if r.warning]
        return list(self.notes) + repairs


def clean_raw(raw: RawText, doc_id: str) -> CleanDocument:
    """Input: a decoded raw document and its id. Output: the ``CleanDocument`` (pure: no I/O)."""
    return clean_source(SourceText.plain(raw), doc_id)


def clean_source(source: SourceText, doc_id: str) -> CleanDocument:
    """Input: what a reader made of a file (``readers.read_source``) and the document id. Output: the
    ``CleanDocument``: the cleaning steps run on ``source.text``, their maps composed onto
    ``source.map``, so the body maps onto ``source.raw.text`` (pure: no I/O)."""
    raw = source.raw
    text, total = source.text, source.map
    repairs: list[Repair] = []

    def record(step_repairs, step_map_so_far):
        if not step_repairs:
            return
        # one vectorised lookup for all repairs of a step (a Traditional page has ~1,000)
        firsts = step_map_so_far.source_starts([(r.start, r.end) for r in step_repairs])
        lines = np.searchsorted(raw.line_starts, firsts, side="right")
        for r, line, a in zip(step_repairs, lines, firsts):
            repairs.append(Repair(r.step, r.start, r.end, r.before, r.after, r.warning, int(line), int(a)))

    script = "simplified"
    for name, step in CLEANING_STEPS:
        if name == "script":
            script = detect_script(text)
        text, m, reps = step(text)
        record(reps, total)
        total = total.then(m)
    selection = boilerplate.select_body(text)
    body, bmap = boilerplate.body_text(text, selection)
    doc = CleanDocument(doc_id, raw, text, total, body, total.then(bmap), selection, script, repairs,
                        list(source.notes))
    for w in doc.warnings:
        log.warning(w)
    return doc


def clean_file(path: str | Path) -> CleanDocument:
    """Input: path of a document: text file (any supported encoding), saved web page, PDF with a text
    layer or Word file (``readers.READERS``). Output: its ``CleanDocument``. Raises
    ``decode.DecodeError`` naming the file (and the byte offset, for undecodable text) when it
    cannot be read."""
    p = Path(path)
    return clean_source(read_source(p), p.stem)

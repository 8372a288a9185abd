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

from . import boilerplate
from .chinese_script import detect_script, to_simplified
from .decode import read_raw
from .mojibake import repair_mojibake
from .offsets import OffsetMap, RawPosition, RawText
from .pinyin_notes import remove_pinyin_notes
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
    of its characters onto ``raw.text`` (decoded raw file)."""

    doc_id: str
    raw: RawText
    full_text: str
    full_map: OffsetMap
    body: str
    body_map: OffsetMap
    selection: boilerplate.BodySelection
    script: str
    repairs: list[Repair] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Input: a span of ``body``. Output: the char span of the decoded raw text it came from."""
        return self.body_map.source_span(start, end)

    def raw_position(self, start: int, end: int) -> RawPosition:
        """Input: a span of ``body``. Output: line, column and byte range in the raw file."""
        a, b = self.raw_span(start, end)
        return self.raw.position(a, b)

    @property
    def warnings(self) -> list[str]:
        return [f"{self.raw.path}:{r.raw_line}: {r.step}: {r.warning}" for r in self.repairs if r.warning]


def clean_raw(raw: RawText, doc_id: str) -> CleanDocument:
    """Input: a decoded raw document and its id. Output: the ``CleanDocument`` (pure: no I/O)."""
    text, total = raw.text, OffsetMap.identity(len(raw.text))
    repairs: list[Repair] = []

    def record(step_repairs, step_map_so_far):
        for r in step_repairs:
            a, _ = step_map_so_far.source_span(r.start, r.end)
            repairs.append(
                Repair(r.step, r.start, r.end, r.before, r.after, r.warning, raw.line_of(a))
            )

    script = "simplified"
    for name, step in CLEANING_STEPS:
        if name == "script":
            script = detect_script(text)
        text, m, reps = step(text)
        record(reps, total)
        total = total.then(m)
    selection = boilerplate.select_body(text)
    body, bmap = boilerplate.body_text(text, selection)
    doc = CleanDocument(doc_id, raw, text, total, body, total.then(bmap), selection, script, repairs)
    for w in doc.warnings:
        log.warning(w)
    return doc


def clean_file(path: str | Path) -> CleanDocument:
    """Input: path of a raw document in any supported encoding. Output: its ``CleanDocument``.
    Raises ``decode.DecodeError`` with the file name and byte offset for undecodable input."""
    p = Path(path)
    return clean_raw(read_raw(p), p.stem)

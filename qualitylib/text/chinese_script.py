"""Script conversion: Traditional -> Simplified Chinese with OpenCC ``t2s``.

OpenCC knows phrases, so it gets 乾燥 -> 干燥 right while keeping 乾隆; but a few proper names still
break (乾安 -> 干安). Those are listed in ``data/t2s_exceptions.csv`` and restored after conversion.
"""
from __future__ import annotations

import difflib
import re
from functools import cache

import numpy as np

from ..resources import data_rows
from .offsets import OffsetMap, TextBuilder
from .repairs import Repair


_NOT_CJK = re.compile("[^\u4e00-\u9fff]+")


@cache
def _converter():
    import opencc  # imported lazily: building the converter costs ~50 ms

    return opencc.OpenCC("t2s")


def t2s_phrase(text: str) -> str:
    """Input: a short phrase. Output: it in Simplified script by OpenCC ``t2s`` alone (no offset map,
    no exception list): for matching phrases against the codebook, not for cleaning documents."""
    return _converter().convert(text)


@cache
def load_t2s_exceptions() -> tuple[tuple[str, str], ...]:
    """Output: (traditional, simplified) pairs that must not go through t2s, longest first."""
    rows = [r for r in data_rows("t2s_exceptions.csv") if r["traditional"].strip()]
    pairs = [(r["traditional"].strip(), r["simplified"].strip()) for r in rows]
    for trad, simp in pairs:
        if len(trad) != len(simp):
            raise ValueError(f"t2s_exceptions.csv: {trad!r} and {simp!r} differ in length")
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def detect_script(text: str) -> str:
    """Input: text. Output: 'traditional' when converting to Simplified changes more than 3% of its
    CJK characters, else 'simplified'."""
    sample, pos = "", 0
    while len(sample) < 20000 and pos < len(text):  # the first 20,000 CJK chars, a chunk at a time
        sample += _NOT_CJK.sub("", text[pos : pos + 65536])
        pos += 65536
    if not sample:
        return "simplified"
    sample = sample[:20000]
    converted = _converter().convert(sample)
    if len(converted) != len(sample):  # phrase conversions changed the length: compare char by char
        changed = sum(a != b for a, b in zip(sample, converted))
    else:
        changed = int((np.frombuffer(sample.encode("utf-32-le"), np.uint32) != np.frombuffer(converted.encode("utf-32-le"), np.uint32)).sum())
    return "traditional" if changed / len(sample) > 0.03 else "simplified"


def to_simplified(text: str) -> tuple[str, OffsetMap, list[Repair]]:
    """Input: text in any script. Output: Simplified text, its offset map onto the input, and a
    ``Repair`` for each protected proper name. Line by line, so a length change stays local."""
    conv = _converter()
    builder = TextBuilder(text)
    repairs = []
    pos = 0
    exceptions = load_t2s_exceptions()
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        simp = conv.convert(line)
        if simp == line:
            builder.keep(pos, end)
        elif len(simp) == len(line):
            simp = _restore_exceptions(line, simp, exceptions, pos, repairs)
            builder.replace(pos, end, simp)
        else:
            _aligned(builder, line, simp, pos)
        pos = end
    builder.keep(pos, len(text))
    out, omap = builder.build()
    return out, omap, repairs


def _restore_exceptions(line, simp, exceptions, offset, repairs) -> str:
    for trad, keep in exceptions:
        start = line.find(trad)
        while start >= 0:
            stop = start + len(trad)
            if simp[start:stop] != keep:
                repairs.append(Repair("t2s-exception", offset + start, offset + stop, simp[start:stop], keep))
                simp = simp[:start] + keep + simp[stop:]
            start = line.find(trad, stop)
    return simp


def _aligned(builder: TextBuilder, line: str, simp: str, offset: int) -> None:
    # t2s changed the length (a phrase conversion); align so unchanged stretches keep exact offsets.
    matcher = difflib.SequenceMatcher(None, line, simp, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            builder.keep(offset + i1, offset + i2)
        else:
            builder.replace(offset + i1, offset + i2, simp[j1:j2])

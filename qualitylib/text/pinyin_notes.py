"""Pinyin-note removal: a broken conversion left ``關(guān)``, ``質(zhì)`` after many characters.

A note is a parenthesised lowercase pinyin syllable carrying a tone mark, right after a CJK character
(or after ``〓``, a character the mojibake step could not recover). Real parentheses survive because
they hold capitals (``(AQI)``), numerals (``(二)``) or Chinese (``(著、知)``), or have no tone mark.
"""
from __future__ import annotations

import re

from .offsets import OffsetMap
from .repairs import Repair

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü]*[{_TONED}][a-zü]*"
PINYIN_NOTE = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff〓])[(（]({_SYLLABLE})[)）]")


def strip_pinyin_notes(text: str) -> str:
    """Input: a phrase. Output: the phrase without pinyin notes (no offsets, no repair records): for
    matching annotated or codebook phrases, which are compared, not cited."""
    return PINYIN_NOTE.sub("", text)


def remove_pinyin_notes(text: str) -> tuple[str, OffsetMap, list[Repair]]:
    """Input: text. Output: text without pinyin notes, its offset map onto the input, and one
    ``Repair`` per removed note."""
    notes = [(m.start(), m.end(), m.group(0)) for m in PINYIN_NOTE.finditer(text)]
    if not notes:
        return text, OffsetMap.identity(len(text)), []
    repairs = [Repair("pinyin", start, end, note, "") for start, end, note in notes]
    omap = OffsetMap.without(len(text), [(start, end) for start, end, _ in notes])
    return PINYIN_NOTE.sub("", text), omap, repairs

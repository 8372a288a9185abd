"""Width and whitespace normalisation.

Choice (applied to every document the same way): full-width ASCII variants become ASCII, so digits,
Latin letters and the punctuation ``,;:()!?%~`` are half-width everywhere (most scraped pages already
arrive that way, and a regex then needs one form). Chinese-only marks with no ASCII twin stay:
``。、“”‘’《》〔〕【】——…``. The ideographic space and no-break space become a space; ``\\r\\n``
and ``\\r`` become ``\\n``; spaces at the ends of lines are dropped.
"""
from __future__ import annotations

import re

from .offsets import OffsetMap, TextBuilder
from .repairs import Repair

_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: None, 0xFEFF: None})
_TO_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH_TABLE)) + "\r]")
_EDGE_SPACE = re.compile(r"[ \t]+(?=\n|$)|(?<=\n)[ \t]+|^[ \t]+")


def normalize_width(text: str) -> tuple[str, OffsetMap, list[Repair]]:
    """Input: text. Output: text with full-width ASCII folded to ASCII, odd spaces to a space,
    line ends unified and edge spaces of every line removed; its offset map onto the input; and no
    repairs (folding width is not a repair worth listing, but the step keeps the common signature)."""
    builder = TextBuilder(text)
    pos = 0
    for m in _TO_FOLD.finditer(text):  # jump between the few chars that change
        i, ch = m.start(), m.group(0)
        builder.keep(pos, i)
        if ch == "\r":  # \r\n -> \n; a lone \r is an old Mac line end
            target = None if text[i + 1 : i + 2] == "\n" else 0x0A
        else:
            target = _WIDTH_TABLE[ord(ch)]
        if target is not None:
            builder.replace(i, i + 1, chr(target))
        pos = i + 1
    builder.keep(pos, len(text))
    folded, fmap = builder.build()
    trimmer = TextBuilder(folded)
    pos = 0
    for m in _EDGE_SPACE.finditer(folded):
        trimmer.keep(pos, m.start())
        pos = m.end()
    trimmer.keep(pos, len(folded))
    out, tmap = trimmer.build()
    return out, fmap.then(tmap), []

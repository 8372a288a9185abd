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
_ONE_TO_ONE = {cp: to for cp, to in _WIDTH_TABLE.items() if to is not None}
_LENGTH_CHANGES = re.compile("[\r" + "".join(re.escape(chr(c)) for c, to in sorted(_WIDTH_TABLE.items()) if to is None) + "]")
_EDGE_SPACE = re.compile(r"[ \t]+(?=\n|$)|(?<=\n)[ \t]+|^[ \t]+")


def normalize_width(text: str) -> tuple[str, OffsetMap, list[Repair]]:
    """Input: text. Output: text with full-width ASCII folded to ASCII, odd spaces to a space,
    line ends unified and edge spaces of every line removed; its offset map onto the input; and no
    repairs (folding width is not a repair worth listing, but the step keeps the common signature).
    The one-for-one folds are one ``str.translate`` (the map stays the identity); only the chars
    that vanish (``\\r`` of ``\\r\\n``, zero-width spaces) and the edge spaces need a builder."""
    folded = text.translate(_ONE_TO_ONE)
    fmap = None
    if _LENGTH_CHANGES.search(folded):
        builder = TextBuilder(folded)
        pos = 0
        for m in _LENGTH_CHANGES.finditer(folded):  # jump between the few chars that change
            i, ch = m.start(), m.group(0)
            builder.keep(pos, i)
            if ch == "\r" and folded[i + 1 : i + 2] != "\n":
                builder.replace(i, i + 1, "\n")  # a lone \r is an old Mac line end; \r\n -> \n
            pos = i + 1
        builder.keep(pos, len(folded))
        folded, fmap = builder.build()
    trimmer = TextBuilder(folded)
    pos = 0
    for m in _EDGE_SPACE.finditer(folded):
        trimmer.keep(pos, m.start())
        pos = m.end()
    trimmer.keep(pos, len(folded))
    out, tmap = trimmer.build()
    return out, (fmap.then(tmap) if fmap is not None else tmap), []

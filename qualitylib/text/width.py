"""Width and whitespace normalisation.

Choice (applied to every document the same way): full-width ASCII variants become ASCII, so digits,
Latin letters and the punctuation ``,;:()!?%~`` are half-width everywhere (most scraped pages already
arrive that way, and a regex then needs one form). Chinese-only marks with no ASCII twin stay:
``。、“”‘’《》〔〕【】——…``. The ideographic space and no-break space become a space; ``\\r\\n``
and ``\\r`` become ``\\n``; spaces at the ends of lines are dropped.
"""
from __future__ import annotations

import re

import numpy as np

from .offsets import OffsetMap, TextBuilder
from .repairs import Repair

_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: None, 0xFEFF: None})
_ONE_TO_ONE = {cp: to for cp, to in _WIDTH_TABLE.items() if to is not None}
_FOLD_FROM = np.array(sorted(_ONE_TO_ONE), dtype=np.uint32)
_FOLD_TO = np.array([_ONE_TO_ONE[cp] for cp in sorted(_ONE_TO_ONE)], dtype=np.uint32)
_LENGTH_CHANGES = re.compile("[\r" + "".join(re.escape(chr(c)) for c, to in sorted(_WIDTH_TABLE.items()) if to is None) + "]")
_EDGE_SPACE = re.compile(r"[ \t]+(?=\n|$)|(?<=\n)[ \t]+|^[ \t]+")


def _fold(text: str) -> str:
    """``text.translate(_ONE_TO_ONE)`` on code point arrays: ``translate`` looks every char of a
    Chinese text up in the dict, one at a time."""
    try:
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return text.translate(_ONE_TO_ONE)
    idx = np.searchsorted(_FOLD_FROM, cps)
    idx[idx == len(_FOLD_FROM)] = 0
    hit = _FOLD_FROM[idx] == cps
    if not hit.any():
        return text
    return np.where(hit, _FOLD_TO[idx], cps).astype(np.uint32).tobytes().decode("utf-32-le")


def normalize_width(text: str) -> tuple[str, OffsetMap, list[Repair]]:
    """Input: text. Output: text with full-width ASCII folded to ASCII, odd spaces to a space,
    line ends unified and edge spaces of every line removed; its offset map onto the input; and no
    repairs (folding width is not a repair worth listing, but the step keeps the common signature).
    The one-for-one folds are one ``str.translate`` (the map stays the identity); only the chars
    that vanish (``\\r`` of ``\\r\\n``, zero-width spaces) and the edge spaces need a builder."""
    folded = _fold(text)
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
    edges = [m.span() for m in _EDGE_SPACE.finditer(folded)]
    out = _EDGE_SPACE.sub("", folded) if edges else folded
    tmap = OffsetMap.without(len(folded), edges)
    return out, (fmap.then(tmap) if fmap is not None else tmap), []

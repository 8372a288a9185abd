"""Mojibake repair: GBK text that was decoded one byte late after a byte was lost.

A scraper lost one byte of a GBK page and decoded the rest shifted by one byte, then stored it as
UTF-8. The damage shows as a ``?`` (where the byte was lost) followed by a run of wrong characters,
e.g. ``?。ㄒ唬┱`` for ``（一）政``. Re-encoding the run as GB18030, dropping its first byte and decoding
again restores the text. Details that make it work on real pages:

* Private-use code points U+E7E8..U+E7F3 come from the pre-2005 GB18030 mapping of A98A..A995;
  today's codec encodes them differently, so they are mapped back by hand.
* The scraper also turned full-width punctuation into ASCII (``；`` -> ``;``); inside a run an ASCII
  punctuation mark followed by more run characters is turned back to full width before re-encoding.
* The run ends at the first ASCII byte. If the shifted bytes leave a lead byte waiting, that ASCII
  byte is its trail byte when it is a valid GBK trail (0x40..0x7E), e.g. ``_`` in ``達`` (DF 5F).
  If instead the next char is ``?``, the trail byte was swallowed with the following ``(`` of a pinyin
  note; the character is lost (``〓``) and the orphaned ``pinyin)`` remnant is removed too.
* The byte dropped at the start is the tail of a character whose lead byte was lost. At the start of
  a line it was the full-width indentation space; elsewhere the character is lost and becomes ``〓``.
Every ``〓`` comes with a warning.
"""
from __future__ import annotations

import re

from .offsets import OffsetMap, TextBuilder
from .repairs import Repair

LOST = "〓"
# Pre-2005 GB18030 put these 12 chars at A98A..A995; Python's codec maps those bytes elsewhere now.
_OLD_GB18030 = {0xE7E8 + i: bytes([0xA9, 0x8A + i]) for i in range(12)}
_FULLWIDTH = {";": "；", ":": "：", ",": "，", "(": "（", ")": "）", "!": "！", "%": "％"}
_PINYIN_TAIL = re.compile(r"\?([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")


def _gbk_pair(ch: str) -> bytes | None:
    """Two GBK bytes of ``ch`` (mojibake of a shifted 2-byte stream is always 2-byte chars), else None."""
    special = _OLD_GB18030.get(ord(ch))
    if special is not None:
        return special
    try:
        b = ch.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


def _suspicious(ch: str) -> bool:
    """Chars that real Chinese prose almost never has but shifted GBK produces readily."""
    o = ord(ch)
    return 0xE000 <= o <= 0xF8FF or 0x3100 <= o <= 0x312F or 0x2500 <= o <= 0x257F


def _decode_pairs(payload: bytes) -> tuple[str, int]:
    """Decode 2-byte GBK pairs; an undecodable pair becomes ``〓``. Output: text, count of losses."""
    out, lost = [], 0
    for k in range(0, len(payload) - 1, 2):
        try:
            out.append(payload[k : k + 2].decode("gb18030"))
        except UnicodeDecodeError:
            out.append(LOST)
            lost += 1
    return "".join(out), lost


def _at_line_start(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\u3000\xa0":
        k -= 1
    return k < 0 or text[k] == "\n"


def _scan_run(text: str, q: int):
    """Input: text and the index of a ``?``. Output: (end index, repaired string, warnings) or None
    when what follows the ``?`` is not a shifted-GBK run."""
    n = len(text)
    i = q + 1
    payload = bytearray()
    suspicious = 0
    while i < n:
        ch = text[i]
        if ord(ch) >= 0x80:
            pair = _gbk_pair(ch)
            if pair is None:
                break
            payload += pair
            suspicious += _suspicious(ch)
            i += 1
            continue
        if ch in _FULLWIDTH and i + 1 < n and ord(text[i + 1]) >= 0x80 and _gbk_pair(text[i + 1]):
            payload += _FULLWIDTH[ch].encode("gb18030")
            i += 1
            continue
        break
    if len(payload) < 2 or (suspicious == 0 and not payload.startswith("。".encode("gb18030"))):
        return None
    warnings = []
    head = "" if _at_line_start(text, q) else LOST
    if head:
        warnings.append("character before the lost byte is unrecoverable")
    body = bytes(payload[1:])
    tail = ""
    if len(body) % 2 == 1:
        lead, body = body[-1:], body[:-1]
        nxt = text[i] if i < n else ""
        if nxt and 0x40 <= ord(nxt) <= 0x7E and nxt != "?":
            try:
                tail = (lead + nxt.encode("ascii")).decode("gb18030")
            except UnicodeDecodeError:
                tail = LOST
            i += 1
        else:
            tail = LOST
            m = _PINYIN_TAIL.match(text, i)
            if m:
                i = m.end()
            elif nxt == "?":
                i += 1
            warnings.append("last character lost its trail byte")
    decoded, lost = _decode_pairs(body)
    if lost > len(body) // 4:
        return None  # mostly undecodable: this was not shifted GBK after all
    if lost:
        warnings.append(f"{lost} undecodable byte pair(s)")
    return i, head + decoded + tail, warnings


def repair_mojibake(text: str) -> tuple[str, OffsetMap, list[Repair]]:
    """Input: decoded raw text. Output: text with every shifted-GBK run restored, its offset map onto
    the input, and one ``Repair`` per run (with a warning where a character became ``〓``)."""
    builder = TextBuilder(text)
    repairs: list[Repair] = []
    pos = 0
    for m in re.finditer(r"\?", text):
        q = m.start()
        if q < pos:
            continue
        found = _scan_run(text, q)
        if found is None:
            continue
        end, fixed, warnings = found
        builder.keep(pos, q)
        builder.replace(q, end, fixed)
        repairs.append(Repair("mojibake", q, end, text[q:end], fixed, "; ".join(warnings)))
        pos = end
    builder.keep(pos, len(text))
    out, omap = builder.build()
    return out, omap, repairs

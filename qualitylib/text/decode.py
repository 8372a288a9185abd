"""Decoding: raw bytes of a scraped page -> ``RawText`` (str plus what maps chars back to bytes).

Supported: UTF-8 with or without BOM, UTF-16 (LE or BE) with or without BOM, GB18030 (a superset of
GBK/GB2312) and Big5. Anything else, or anything that looks binary, raises ``DecodeError`` naming the
file and byte offset; the batch layer catches it, reports it and goes on with the next file.

UTF-16 without a BOM is recognised by its zero bytes (ASCII characters, newlines and digits have a zero
high byte: at odd offsets in little-endian, even ones in big-endian); a text of Chinese characters only,
which has none, competes with GB18030 and Big5 on the plausibility score.

A web page may declare its charset (``<meta charset>``); ``decode_bytes(..., declared=...)`` tries the
declared codec first and falls back to the cascade when it does not decode.
"""
from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from .offsets import RawText

# Order matters: UTF-8 first because a valid UTF-8 Chinese text is almost never valid GB18030 by chance;
# GB18030 before Big5 because mainland documents are far more common, with a plausibility check below.
LEGACY_CANDIDATES = ("gb18030", "big5")
_NOT_PLAUSIBLE = re.compile("[^\x00-\x7f\u3000-\u303f\uff00-\uffef\u4e00-\u9fa5]")
# C0 controls other than tab, newline, form feed, carriage return and escape
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


class DecodeError(ValueError):
    """A raw file that cannot be read; the message names the file, the byte offset (when there is one)
    and the problem."""

    def __init__(self, path: str, offset: int | None, problem: str):
        self.path = path
        self.offset = offset
        self.problem = problem
        super().__init__(f"{path}: {problem}" + (f" at byte offset {offset}" if offset is not None else ""))


def _looks_binary(data: bytes) -> int | None:
    """Input: bytes without a UTF-16/32 BOM. Output: offset of the first control byte that never occurs
    in text (NUL and most C0 controls), or None."""
    m = _CONTROL_BYTE.search(data, 0, 65536)
    return m.start() if m else None


def _cjk_plausibility(text: str) -> float:
    """Share of chars that are common CJK ideographs, ASCII or CJK punctuation; a wrong legacy codec
    yields rare ideographs, private-use chars and box drawings, so its share drops."""
    if not text:
        return 0.0
    return 1 - len(_NOT_PLAUSIBLE.findall(text)) / len(text)


def decode_bytes(data: bytes, path: str = "<bytes>", declared: str | None = None) -> RawText:
    """Input: the raw bytes of one document, its path (for messages) and optionally the codec the
    document declares (a web page's ``<meta charset>``, already resolved by ``codecs.lookup``).
    Output: ``RawText`` with the decoded text, the encoding used, the BOM length and the SHA-256 of
    the bytes. A BOM beats the declaration; a declared codec that does not decode the bytes strictly,
    or decodes them into rarer characters than the cascade does, is ignored (the cascade decides). Raises ``DecodeError`` for binary data or bytes that no
    supported encoding decodes."""
    raw = None
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            raw = RawText(data.decode(declared), declared, 0, path)
        except UnicodeDecodeError:
            raw = None
        if raw is not None and _cjk_plausibility(raw.text) < 0.95:
            # decodes, but into rare characters (a Big5 label on GBK bytes): the cascade may do better
            try:
                alt = _decode(data, path)
            except DecodeError:
                alt = None
            if alt is not None and _cjk_plausibility(alt.text) > _cjk_plausibility(raw.text):
                raw = alt
    if raw is None:
        raw = _decode(data, path)
    raw.sha256 = hashlib.sha256(data).hexdigest()
    return raw


def _utf16_by_zero_bytes(data: bytes) -> str | None:
    """Input: bytes without a BOM. Output: 'utf-16-le' or 'utf-16-be' when zero bytes sit almost only
    at odd (LE) or even (BE) offsets and are common enough to be the high bytes of ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:65536]
    n = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= max(2, 0.05 * n) and even <= 0.02 * odd:
        return "utf-16-le"
    if even >= max(2, 0.05 * n) and odd <= 0.02 * even:
        return "utf-16-be"
    return None


_CONTROL_CHAR = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _utf16_text(data: bytes, encoding: str) -> str | None:
    """The text of ``data`` in ``encoding`` when it decodes strictly, holds no control character and
    reads as Chinese or ASCII text (plausibility above 0.9); else None."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _CONTROL_CHAR.search(text) or _cjk_plausibility(text) < 0.9:
        return None
    return text


def _decode(data: bytes, path: str) -> RawText:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path, bom_len=3)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        enc = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        return _strict(data[2:], enc, path, bom_len=2)
    sniffed = _utf16_by_zero_bytes(data)
    if sniffed and (text := _utf16_text(data, sniffed)) is not None:
        return RawText(text, sniffed, 0, path)
    bad = _looks_binary(data)
    if bad is not None:
        # Chinese-only UTF-16 has no zero bytes, but its low bytes may be control bytes (下 is 0b 4e)
        for enc in ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ():
            if (text := _utf16_text(data, enc)) is not None:
                return RawText(text, enc, 0, path)
        raise DecodeError(path, bad, f"looks binary (control byte 0x{data[bad]:02x}), not a text document")
    try:
        return RawText(data.decode("utf-8"), "utf-8", 0, path)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    decoded = []
    for enc in LEGACY_CANDIDATES:
        try:
            decoded.append((enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if len(data) % 2 == 0:  # Chinese-only UTF-16 without BOM: no zero byte, but it decodes
        decoded += [(enc, text) for enc in ("utf-16-le", "utf-16-be") if (text := _utf16_text(data, enc)) is not None]
    if not decoded:
        raise DecodeError(
            path,
            utf8_error.start,
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x}), nor GB18030, Big5 or UTF-16; "
            "re-save the file in one of these encodings",
        )
    enc, text = max(decoded, key=lambda et: _cjk_plausibility(et[1]))
    return RawText(text, enc, 0, path)


def _strict(payload: bytes, encoding: str, path: str, bom_len: int) -> RawText:
    try:
        return RawText(payload.decode(encoding), encoding, bom_len, path)
    except UnicodeDecodeError as exc:
        raise DecodeError(path, exc.start + bom_len, f"invalid {encoding} after its byte-order mark") from exc


def read_source_bytes(path: str | Path, *, allow_blank: bool = False) -> bytes:
    """Input: path of a raw document of any format. Output: its bytes. Raises ``DecodeError`` naming the
    file when it cannot be read, or (unless ``allow_blank``) holds nothing but whitespace. Every reader
    starts here, so an unreadable or empty file gives the same message whatever its format."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DecodeError(str(p), 0, f"cannot read file ({exc.strerror})") from exc
    if not allow_blank and not data.strip():
        raise DecodeError(str(p), 0, "file is empty")
    return data


def read_raw(path: str | Path) -> RawText:
    """Input: path of a raw document (any supported encoding). Output: ``RawText``. Never modifies the file."""
    return decode_bytes(read_source_bytes(path), str(path))

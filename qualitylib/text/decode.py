"""Decoding: raw bytes of a scraped page -> ``RawText`` (str plus what maps chars back to bytes).

Supported: UTF-8 with or without BOM, UTF-16 with BOM, GB18030 (a superset of GBK/GB2312) and Big5.
Anything else, or anything that looks binary, raises ``DecodeError`` naming the file and byte offset;
the batch layer catches it, reports it and goes on with the next file.
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
    """A raw file that cannot be decoded; the message names the file, the byte offset and the problem."""

    def __init__(self, path: str, offset: int, problem: str):
        self.path = path
        self.offset = offset
        self.problem = problem
        super().__init__(f"{path}: {problem} at byte offset {offset}")


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


def decode_bytes(data: bytes, path: str = "<bytes>") -> RawText:
    """Input: the raw bytes of one document and its path (for messages).
    Output: ``RawText`` with the decoded text, the encoding used, the BOM length and the SHA-256 of
    the bytes. Raises ``DecodeError`` for binary data or bytes that no supported encoding decodes."""
    raw = _decode(data, path)
    raw.sha256 = hashlib.sha256(data).hexdigest()
    return raw


def _decode(data: bytes, path: str) -> RawText:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path, bom_len=3)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        enc = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        return _strict(data[2:], enc, path, bom_len=2)
    bad = _looks_binary(data)
    if bad is not None:
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
    if not decoded:
        raise DecodeError(
            path,
            utf8_error.start,
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x}), nor GB18030 or Big5; "
            "re-save the file in one of these encodings",
        )
    enc, text = max(decoded, key=lambda et: _cjk_plausibility(et[1]))
    return RawText(text, enc, 0, path)


def _strict(payload: bytes, encoding: str, path: str, bom_len: int) -> RawText:
    try:
        return RawText(payload.decode(encoding), encoding, bom_len, path)
    except UnicodeDecodeError as exc:
        raise DecodeError(path, exc.start + bom_len, f"invalid {encoding} after its byte-order mark") from exc


def read_raw(path: str | Path) -> RawText:
    """Input: path of a raw document (any supported encoding). Output: ``RawText``. Never modifies the file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DecodeError(str(p), 0, f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise DecodeError(str(p), 0, "file is empty")
    return decode_bytes(data, str(p))

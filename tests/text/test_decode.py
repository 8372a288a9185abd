"""Decoding: every supported encoding round-trips, bad input fails with file name and byte offset."""
from __future__ import annotations

import codecs

import pytest

from qualitylib.text.corpus import clean_corpus
from qualitylib.text.decode import DecodeError, decode_bytes, read_raw

SIMPLIFIED = "宜昌市质量提升行动计划。工业产品质量监督抽查合格率达到96.5%以上，培育国际标准3项。\n" * 4
TRADITIONAL = "溫州市質量強市建設行動計劃。製造業產品質量合格率達到92%以上，淘汰黃標車1.5萬輛。\n" * 4


@pytest.mark.parametrize(
    "payload, text, encoding, bom",
    [
        (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8", 0),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8", 3),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16-le", 2),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16-be", 2),
        (SIMPLIFIED.encode("gb18030"), SIMPLIFIED, "gb18030", 0),
        (SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030", 0),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5", 0),
        (TRADITIONAL.encode("gb18030"), TRADITIONAL, "gb18030", 0),
    ],
)
def test_each_encoding_decodes(payload, text, encoding, bom):
    raw = decode_bytes(payload, "gen.txt")
    assert raw.text == text
    assert raw.encoding == encoding
    assert raw.bom_len == bom
    # byte offsets of the last char boundary equal the file size
    assert int(raw.byte_offsets[-1]) == len(payload)


def test_byte_offsets_point_at_the_bytes():
    payload = SIMPLIFIED.encode("gb18030")
    raw = decode_bytes(payload, "gen.txt")
    i = raw.text.index("96.5%")
    pos = raw.position(i, i + 5)
    assert payload[pos.byte_start : pos.byte_end] == b"96.5%"
    assert pos.line == 1 and pos.column == i + 1


def test_binary_file_is_rejected_with_offset():
    with pytest.raises(DecodeError) as err:
        decode_bytes(b"PK\x03\x04" + b"\x00" * 20, "archive.txt")
    assert "archive.txt" in str(err.value)
    assert err.value.offset == 2
    assert "binary" in str(err.value)


def test_undecodable_bytes_name_file_and_offset():
    bad = "合格率".encode("utf-8") + b"\xff\xfe\xff" + "达到".encode("utf-8")
    with pytest.raises(DecodeError) as err:
        decode_bytes(bad, "broken.txt")
    assert err.value.offset == 9
    assert "broken.txt" in str(err.value) and "offset 9" in str(err.value)


def test_bad_utf16_after_bom():
    with pytest.raises(DecodeError) as err:
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8\x41", "half.txt")
    assert "utf-16" in str(err.value)


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(DecodeError, match="empty"):
        read_raw(f)


def test_batch_skips_bad_files_and_keeps_going(tmp_path):
    (tmp_path / "a_good.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    (tmp_path / "c_big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    result = clean_corpus([tmp_path])
    assert [d.doc_id for d in result.documents] == ["a_good", "c_big5"]
    assert len(result.failures) == 1
    assert "b_binary.txt" in result.failures[0].path
    assert "binary" in result.failures[0].problem


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        clean_corpus([tmp_path / "nope"])

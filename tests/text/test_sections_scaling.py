"""Cost linear in document size: the section lookup agrees with its definition and touches a bounded
number of sections per sentence (counted, not timed); UTF-16 without a BOM is text, not binary."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitylib.extract import targets as targets_module
from qualitylib.text import structure
from qualitylib.text.clean import clean_raw
from qualitylib.text.decode import DecodeError, decode_bytes
from qualitylib.text.structure import Section, SectionIndex, sentences_frame, split_sections

MARKERS = {1: "一、", 2: "(一)", 3: "1.", 4: "(1)", 5: "——"}


def _body(levels: list[int | None]) -> str:
    """One line per entry: a heading of that level, or (None) a plain sentence."""
    return "\n".join(f"{MARKERS[lv]}标题{k}" if lv else f"第{k}句话,推进质量工作。" for k, lv in enumerate(levels))


def _innermost_by_definition(sections: list[Section], pos: int) -> Section | None:
    """The definition the index must agree with: of the sections containing pos, the deepest."""
    best = None
    for s in sections:
        if s.start <= pos < s.end and (best is None or s.level >= best.level):
            best = s
    return best


def _sections_by_definition(body: str) -> list[tuple[int, int, int]]:
    """(level, start, end): a section runs to the next heading of the same or a higher level."""
    heads = [(s.level, s.start) for s in split_sections(body)]
    out = []
    for k, (level, start) in enumerate(heads):
        end = next((s2 for lv2, s2 in heads[k + 1:] if lv2 <= level), len(body))
        out.append((level, start, end))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=40))
def test_section_index_agrees_with_the_definition(levels):
    body = _body(levels)
    sections = split_sections(body)
    assert [(s.level, s.start, s.end) for s in sections] == _sections_by_definition(body)
    index = SectionIndex(sections)
    for pos in range(0, len(body) + 1, 3):
        assert index.at(pos) == _innermost_by_definition(sections, pos)


class _Counting:
    touched = 0


def _counting_section(monkeypatch):
    """Make every Section count reads of its extent, so the work of the lookups can be measured."""

    class CountingSection(Section):
        def __getattribute__(self, name):
            if name in ("start", "end", "level"):
                _Counting.touched += 1
            return object.__getattribute__(self, name)

    monkeypatch.setattr(structure, "Section", CountingSection)
    _Counting.touched = 0


def _structured_body(n_sections: int) -> str:
    levels = []
    for k in range(n_sections):
        levels += [1 if k % 10 == 0 else 2, None, None, None]
    return _body(levels)


@pytest.mark.parametrize("run", ["sentences", "targets"])
def test_section_lookups_grow_linearly_with_the_document(monkeypatch, run):
    _counting_section(monkeypatch)
    work = {}
    for n in (100, 800):
        body = _structured_body(n)
        _Counting.touched = 0
        if run == "sentences":
            frame = sentences_frame("d", body)
            assert len(frame) == 4 * n
        else:
            doc = clean_raw(decode_bytes(body.encode("utf-8"), "gen.txt"), "gen")
            targets_module.extract_targets(doc, {})
        work[n] = _Counting.touched
    # 8 times the sections and sentences: 8 times the work (a scan of every section per sentence was 64)
    assert work[800] <= 10 * work[100], work


TEXT = "宜昌市质量提升行动计划。\n工业产品质量监督抽查合格率达到96.5%以上，培育国际标准3项。\n" * 3
CHINESE_ONLY = "宜昌市质量提升行动计划。工业产品质量监督抽查合格率达到九成以上，培育国际标准三项。下一步" * 3


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [TEXT, CHINESE_ONLY])
def test_utf16_without_bom_is_recognised(encoding, text):
    payload = text.encode(encoding)
    assert not payload.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    raw = decode_bytes(payload, "gen.txt")
    assert raw.text == text and raw.encoding == encoding and raw.bom_len == 0
    i = raw.text.index("计划")
    pos = raw.position(i, i + 2)
    assert payload[pos.byte_start:pos.byte_end].decode(encoding) == "计划"
    assert int(raw.byte_offsets[-1]) == len(payload)


def test_binary_data_with_zero_bytes_is_still_binary():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image.txt")

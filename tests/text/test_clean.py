"""Cleaning: seeds come out clean, repairs are general, and offsets always lead back to the raw file."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitylib.text import boilerplate
from qualitylib.text.clean import clean_raw
from qualitylib.text.decode import decode_bytes
from qualitylib.text.mojibake import LOST, repair_mojibake
from qualitylib.text.width import normalize_width
from qualitylib.text.pinyin_notes import remove_pinyin_notes
from qualitylib.text.chinese_script import detect_script, to_simplified

WENZHOU = "003_ddbf447394a1dcdd"
PINYIN_NOTE = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


def test_wenzhou_reads_clean(cleaned_seeds):
    doc = cleaned_seeds[WENZHOU]
    body = doc.body
    assert not PINYIN_NOTE.search(body)
    assert "?" not in body
    assert not [c for c in body if 0xE000 <= ord(c) <= 0xF8FF]
    assert "(一)政府质量工作考核" in body
    assert "(五)推进质量共治" in body
    assert re.search(r"地表水.{0,20}Ⅲ类以上比例达到64%以上", body)
    assert doc.script == "traditional"


def test_wenzhou_all_eight_mojibake_runs_repaired(cleaned_seeds):
    runs = [r for r in cleaned_seeds[WENZHOU].repairs if r.step == "mojibake"]
    assert len(runs) == 8
    # every run comes back as readable text; at most one lost char per run end
    for r in runs:
        assert r.after.replace(LOST, "")
        assert r.after.count(LOST) <= 2
        assert r.raw_line > 0
    assert [r for r in runs if LOST in r.after and r.warning] == [r for r in runs if LOST in r.after]


@pytest.mark.parametrize("doc_id", ["000_046505ed9ec08cda", "001_3ec8c45db7a89b0a", "002_ff6592d0f8b846ae", "004_e2ac1e6326ae13a9"])
def test_other_seeds_lose_no_body_and_keep_no_footer(cleaned_seeds, doc_id):
    doc = cleaned_seeds[doc_id]
    lines = doc.full_text.split("\n")
    body_lines = set(doc.body.split("\n"))
    # every paragraph of policy text is kept
    for ln in lines:
        if len(ln) >= 40 and "。" in ln and not boilerplate.is_boilerplate(ln):
            assert ln in body_lines, ln[:40]
    for ln in body_lines:
        assert not re.search(r"copyright|©|ICP|浏览次数|查看次数|当前位置|地址:|电话:|扫一扫|首页\s*>", ln, re.I), ln
    # the body starts with the document title
    first = doc.body.split("\n")[0]
    assert re.search(r"(意见|方案|计划|通知)", first), first


def test_pinyin_notes_removed_real_parentheses_kept():
    text = "關(guān)于質(zhì)量,空氣質量(AQI)優良率,(二)促進,馳(著、知)名商標,PM(pm)"
    out, _, reps = remove_pinyin_notes(text)
    assert out == "關于質量,空氣質量(AQI)優良率,(二)促進,馳(著、知)名商標,PM(pm)"
    assert len(reps) == 2


def _damage(text: str) -> str:
    """Simulate the scraper: lose the first byte of a GBK stream and decode the rest one byte late
    with a GB18030 decoder (which, like the scraper's, maps user-defined GBK codes to private use)."""
    shifted = text.encode("gbk")[1:]
    return "?" + shifted.decode("gb18030", errors="replace").replace("\ufffd", "?")


@pytest.mark.parametrize(
    "original",
    ["\u3000（一）政府質(zhì)量工作考核。", "\u3000（五）推進(jìn)質量共治。", "\u3000（二）營造濃厚的氛圍。"],
)
def test_mojibake_repair_on_generated_damage(original):
    damaged = "前文。\n" + _damage(original)
    out, omap, reps = repair_mojibake(damaged)
    assert out == "前文。\n" + original.lstrip("\u3000")
    assert len(reps) == 1 and reps[0].warning == ""
    assert len(omap) == len(out)


def test_question_mark_in_real_prose_is_left_alone():
    text = "是否达标?是。如何提升质量?加强监管。"
    out, _, reps = repair_mojibake(text)
    assert out == text and reps == []


def test_t2s_protects_place_names():
    out, omap, reps = to_simplified("乾安縣質量強縣,乾燥")
    assert out == "乾安县质量强县,干燥"
    assert len(omap) == len(out)
    assert detect_script("溫州市質量強市建設行動計劃") == "traditional"
    assert detect_script("温州市质量强市建设行动计划") == "simplified"


def test_width_normalisation_choice():
    out, _, repairs = normalize_width("　（一）合格率达到９６．５％以上，Ａ级；\r\n次行")
    assert out == "(一)合格率达到96.5%以上,A级;\n次行"


def test_offsets_resolve_to_raw_line_and_bytes(cleaned_seeds):
    for doc in cleaned_seeds.values():
        data = open(doc.raw.path, "rb").read()
        for m in re.finditer(r"\d+(?:\.\d+)?%", doc.body):
            pos = doc.raw_position(m.start(), m.end())
            assert data[pos.byte_start : pos.byte_end].decode(doc.raw.encoding) == m.group(0)
            assert m.group(0) in doc.raw.line_text(pos.line)


_ALPHABET = st.sampled_from(
    list("质量强市合格率达到以上。,、")
    + list("質量強市產品達標")
    + list("０１２３４５６７８９％（）ＡＢ　")
    + ["(zhì)", "(AQI)", "\r\n", "\n", "  ", "96.5%", "?", "關(guān)"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=60).map("".join))
def test_offset_round_trip_property(text):
    raw = decode_bytes(text.encode("utf-8"), "prop.txt")
    doc = clean_raw(raw, "prop")
    full, fmap = doc.full_text, doc.full_map
    assert len(fmap) == len(full)
    prev = -1
    for i, ch in enumerate(full):
        a, b = fmap.source_span(i, i + 1)
        assert 0 <= a <= b <= len(text)
        assert a >= prev  # order is preserved
        prev = a
        if b - a == 1 and ch != "\n":
            src = text[a]
            simple = unicodedata.normalize("NFKC", to_simplified(src)[0])
            # a character the mojibake step could not recover stands in for its source character
            lost = ch == LOST and any(r.step == "mojibake" for r in doc.repairs)
            assert ch == simple or (ch == " " and src.isspace()) or lost, (i, ch, src)
    # every body char maps inside the raw text and onto a line that exists
    for i in range(len(doc.body)):
        a, b = doc.raw_span(i, i + 1)
        assert 1 <= raw.line_of(a) <= len(raw.line_starts)

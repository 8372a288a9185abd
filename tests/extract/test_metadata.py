"""Metadata: inference on the seeds and on made-up documents (the issuing jurisdiction at every level),
curated overrides, documents.csv. The gazetteer itself: test_gazetteer.py."""
from __future__ import annotations

from pathlib import Path

import pytest
from runs import SEED_IDS

from qualitylib import paths
from qualitylib.extract import metadata as md
from qualitylib.extract.documents_csv import DocumentsCSVError, apply_overrides, load_documents_csv
from qualitylib.extract.gazetteer import lookup_jurisdiction
from qualitylib.extract.metadata import (
    DocumentMetadata,
    infer_metadata,
)

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS_CSV = ROOT / paths.DOCUMENTS_CSV


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
# Seeds: inference agrees with the curated documents.csv
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_inference_agrees_with_curated_seed(doc_id, seed_texts, curated):
    full, body = seed_texts[doc_id]
    meta = infer_metadata(doc_id, full, body)
    row = curated[doc_id]
    for fld in ("city", "city_en", "province", "level", "adcode", "parent", "issued", "horizon", "title", "issuer",
                "plan_type", "doc_number"):
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
    assert set(curated) <= stems, "every curated row names a raw file (a new document may have none)"
    for doc_id, row in curated.items():
        assert list(row) == list(md.DOCUMENT_COLUMNS)
        assert {f: row[f] for f in md.JURISDICTION_FIELDS} == md.jurisdiction_fields(row["adcode"]), doc_id
        assert lookup_jurisdiction(row["city"])["adcode"] == row["adcode"], doc_id
        if doc_id in SEED_IDS:  # the five seeds are prefecture-level cities; a user's own rows may be anything
            assert row["level"] == "prefecture" and row["parent"] == row["adcode"][:2] + "0000", doc_id
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


def test_provincial_document_is_the_province_not_a_city_of_its_body():
    full = ("浙江省人民政府关于印发浙江省质量强省建设纲要的通知\n"
            "支持杭州市、宁波市、温州市建设质量强市,杭州市率先。杭州市示范。\n到2025年,建成质量强省。\n")
    meta = infer_metadata("zj", full, full)
    assert (meta.city, meta.city_en, meta.province) == ("浙江省", "Zhejiang", "浙江省")
    assert (meta.level, meta.adcode, meta.parent) == ("province", "330000", "")
    assert not any(w.startswith("zj: city") for w in meta.warnings)


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
    assert (meta.city, meta.level, meta.province) == ("吉林省", "province", "吉林省")
    full = "吉林市人民政府关于开展质量提升行动的实施意见\n到2020年,完成。\n"
    meta = infer_metadata("jlc", full, full)
    assert (meta.city, meta.level, meta.parent) == ("吉林市", "prefecture", "220000")


def test_horizon_is_most_common_goal_year_not_the_largest():
    full = ("湖州市质量强市建设实施意见\n一、发展目标\n到2020年,质量水平提升。到2020年,品牌增加。"
            "展望到2035年,全面建成质量强市。\n二、主要任务\n到2035年,建成。到2035年,完成。\n")
    meta = infer_metadata("hz", full, full)
    assert (meta.horizon, meta.plan_type) == (2020, "multi_year")


# ------------------------------------------------------------------------------------------------
# The issuing jurisdiction at every level (made-up short plans)
# ------------------------------------------------------------------------------------------------

def _plan(issuer: str, subject: str = "", body: str = "") -> str:
    """A made-up notice: '<issuer>关于印发<subject>质量强市行动方案的通知', a body line, a target, a signature."""
    return (f"{issuer}关于印发{subject}质量提升行动方案的通知\n"
            f"各有关单位:现将方案印发给你们,请结合实际抓好落实。{body}\n"
            "一、工作目标\n到2025年,产品质量合格率达到95%以上。\n"
            f"{issuer}\n2022年3月8日\n")


def _meta(doc_id: str, text: str) -> DocumentMetadata:
    return infer_metadata(doc_id, text, text)


def _geo(meta: DocumentMetadata) -> tuple:
    return meta.city, meta.city_en, meta.province, meta.level, meta.adcode, meta.parent


@pytest.mark.parametrize("a, b", [("泰州市", "台州市"), ("苏州市", "宿州市"), ("福州市", "抚州市")])
def test_cities_with_the_same_pinyin_keep_different_keys(a, b):
    ma = _meta("a", _plan(f"{a}人民政府", a))
    mb = _meta("b", _plan(f"{b}人民政府", b))
    assert (ma.city, mb.city) == (a, b)
    assert ma.city_en == mb.city_en  # one display name ...
    assert ma.adcode != mb.adcode and ma.province != mb.province  # ... two jurisdictions
    assert ma.adcode == lookup_jurisdiction(a)["adcode"] and mb.adcode == lookup_jurisdiction(b)["adcode"]
    assert ma.level == mb.level == "prefecture"
    assert not any(": city" in w or ": adcode" in w for w in ma.warnings + mb.warnings)


def test_district_plan_is_the_district_not_its_city():
    meta = _meta("dt", _plan("洞头区人民政府办公室", "洞头区", "全区各部门要把质量工作摆上重要位置。"))
    wenzhou = lookup_jurisdiction("温州市")["adcode"]
    assert _geo(meta) == ("洞头区", "Dongtou", "浙江省", "county", "330305", wenzhou)
    assert not any(": city" in w or ": adcode" in w for w in meta.warnings)


def test_district_plan_titled_after_its_city_goes_to_the_district_that_signs_it():
    text = ("关于贯彻落实温州市质量强市建设部署的实施意见\n为落实温州市的要求,结合本区实际,提出如下意见。\n"
            "到2025年,全区质量水平提升。\n温州市洞头区人民政府\n2022年3月8日\n")
    meta = _meta("dt2", text)
    assert meta.issuer == "温州市洞头区人民政府"
    assert (meta.city, meta.level, meta.parent) == ("洞头区", "county", "330300")


def test_city_plan_naming_a_district_stays_the_city():
    meta = _meta("wz", _plan("温州市人民政府", "温州市", "支持洞头区建设海岛质量示范区。"))
    assert (meta.city, meta.level, meta.adcode) == ("温州市", "prefecture", "330300")


def test_provincial_plan_is_level_province():
    meta = _meta("zj2", _plan("浙江省人民政府", "浙江省", "各市要参照执行,温州市、台州市先行。"))
    assert _geo(meta) == ("浙江省", "Zhejiang", "浙江省", "province", "330000", "")


def test_county_level_city_plan_is_county_level_with_its_prefecture_as_parent():
    meta = _meta("yw", _plan("义乌市人民政府", "义乌市"))
    jinhua = lookup_jurisdiction("金华市")["adcode"]
    assert (meta.city, meta.city_en, meta.province, meta.level, meta.parent) == (
        "义乌市", "Yiwu", "浙江省", "county", jinhua)
    assert meta.adcode == lookup_jurisdiction("义乌市")["adcode"]


def test_municipal_district_has_the_municipality_as_parent():
    meta = _meta("cy", _plan("北京市朝阳区人民政府", "朝阳区"))
    assert _geo(meta) == ("朝阳区", "Chaoyang", "北京市", "county", "110105", "110000")


def test_ambiguous_county_name_without_a_parent_nearby_is_left_empty_with_a_warning():
    meta = _meta("gl", _plan("鼓楼区人民政府", "鼓楼区", "全区上下要形成合力。"))
    assert _geo(meta) == (None,) * 6
    (why,) = [w for w in meta.warnings if w.startswith("gl: city:")]
    assert "ambiguous" in why and "350102" in why and "320106" in why
    for fld in ("city_en", "province", "level", "adcode", "parent"):
        assert any(w.startswith(f"gl: {fld}:") for w in meta.warnings), fld


def test_ambiguous_county_name_within_one_province_keeps_the_province():
    # Nanjing and Xuzhou both have a 鼓楼区; naming 江苏 does not say which, but it is in 江苏省.
    meta = _meta("gl2", _plan("鼓楼区人民政府", "鼓楼区", "为建设江苏质量强省作出贡献。"))
    assert meta.adcode is None and meta.city is None
    assert meta.province == "江苏省"
    (why,) = [w for w in meta.warnings if w.startswith("gl2: city:")]
    assert "320106" in why and "320302" in why and "350102" not in why


def test_ambiguous_county_name_resolved_by_a_parent_named_nearby():
    # The parent named in the body ...
    meta = _meta("gl3", _plan("鼓楼区人民政府", "鼓楼区", "为建设福州质量强市作出鼓楼贡献。"))
    assert _geo(meta) == ("鼓楼区", "Gulou", "福建省", "county", "350102", "350100")
    # ... or by the parent written before it in the issuer.
    meta = _meta("gl4", _plan("开封市鼓楼区人民政府", "鼓楼区"))
    assert (meta.adcode, meta.parent) == ("410204", lookup_jurisdiction("开封市")["adcode"])


def test_ambiguous_short_name_needs_a_parent():
    text = "朝阳质量强市建设实施方案\n一、目标\n到2025年,质量水平明显提升。\n"
    meta = _meta("cy2", text)
    assert meta.adcode is None and any(w.startswith("cy2: city:") and "ambiguous" in w for w in meta.warnings)
    meta = _meta("cy3", text.replace("到2025年,", "到2025年,辽宁省"))
    assert (meta.city, meta.level, meta.adcode) == ("朝阳市", "prefecture", "211300")


def test_common_word_county_names_in_a_body_are_not_jurisdictions():
    text = ("关于开展质量提升行动的实施意见\n推进主城区和老城区改造,县域经济和区域协同发展,"
            "城乡和县城一体推进。\n到2020年,质量水平提升。\n")
    meta = _meta("cw", text)
    assert meta.adcode is None and meta.city is None


# ------------------------------------------------------------------------------------------------
# Curated jurisdiction: adcode wins; names must be unambiguous; errors name the file and line
# ------------------------------------------------------------------------------------------------

def test_apply_overrides_adcode_fills_the_jurisdiction_from_the_gazetteer():
    out = apply_overrides(_inferred(), {"adcode": "330305"})
    assert _geo(out) == ("洞头区", "Dongtou", "浙江省", "county", "330305", "330300")
    out = apply_overrides(_inferred(), {"adcode": "331000", "city": "台州", "city_en": "Taizhou (Zhejiang)"})
    assert (out.city, out.city_en, out.level) == ("台州市", "Taizhou (Zhejiang)", "prefecture")
    # A namesake is singled out by a curated province.
    out = apply_overrides(_inferred(), {"city": "鼓楼区", "province": "福建省"})
    assert out.adcode == "350102"


def test_apply_overrides_unknown_city_keeps_the_name_and_warns():
    out = apply_overrides(_inferred(), {"city": "嘉兴经济技术开发区"})
    assert (out.city, out.adcode, out.level, out.parent) == ("嘉兴经济技术开发区", None, None, None)
    assert any(w.startswith("jx: adcode:") and "not in the gazetteer" in w for w in out.warnings)


@pytest.mark.parametrize("row, message", [
    ({"adcode": "3303"}, "adcode '3303' is not an adcode"),
    ({"city": "鼓楼区"}, "matches 4 jurisdictions"),
    ({"city": "温州市", "adcode": "331000"}, "city '温州市' is not adcode 331000"),
    ({"adcode": "330305", "level": "prefecture"}, "level 'prefecture' contradicts"),
    ({"level": "city"}, "level must be one of"),
])
def test_apply_overrides_rejects_bad_jurisdictions(row, message):
    with pytest.raises(ValueError, match=message):
        apply_overrides(_inferred(), row)


@pytest.mark.parametrize("line, message", [
    ("b,,,,,999999,", "line 3: adcode '999999' is not an adcode of the gazetteer"),
    ("b,鼓楼区,,,,,", "line 3: city '鼓楼区' matches 4 jurisdictions"),
    ("b,朝阳,,,,,", "line 3: city '朝阳' matches 3 jurisdictions"),
    ("b,温州市,,,,331000,", "line 3: city '温州市' is not adcode 331000"),
    ("b,洞头区,,,,,330700", "line 3: parent '330700' contradicts"),
])
def test_load_documents_csv_bad_jurisdiction_names_file_and_line(tmp_path, line, message):
    path = _write(tmp_path, "doc_id,city,city_en,province,level,adcode,parent\n"
                            "a,洞头区,Dongtou,浙江省,county,330305,330300\n" + line + "\n")
    with pytest.raises(DocumentsCSVError) as exc:
        load_documents_csv(path)
    assert str(path) in str(exc.value) and message in str(exc.value)


def test_load_documents_csv_accepts_an_adcode_alone(tmp_path):
    path = _write(tmp_path, "doc_id,adcode\na,330782\n")
    row = load_documents_csv(path)["a"]
    out = apply_overrides(DocumentMetadata(doc_id="a"), row)
    assert (out.city, out.level, out.parent, out.province) == ("义乌市", "county", "330700", "浙江省")


def test_two_parents_named_alike_is_still_ambiguous():
    meta = _meta("gl5", _plan("鼓楼区人民政府", "鼓楼区", "学习福州和南京两地的经验。"))
    assert meta.adcode is None
    (why,) = [w for w in meta.warnings if w.startswith("gl5: city:")]
    assert "350102" in why and "320106" in why and "410204" not in why


def test_a_plan_implementing_a_provincial_one_is_not_the_province():
    text = ("关于贯彻落实《浙江省质量强省建设纲要》的实施意见\n为贯彻落实省里部署,丽水市提出如下意见。"
            "丽水市各部门要抓好落实。\n到2025年,质量水平提升。\n")
    meta = _meta("ls", text)
    assert (meta.city, meta.level) == ("丽水市", "prefecture")
    assert any(w.startswith("ls: city:") and "body" in w for w in meta.warnings)
    # Signed by the city, it is the city's without a warning.
    meta = _meta("ls2", text + "丽水市人民政府\n2022年3月8日\n")
    assert (meta.city, meta.issuer) == ("丽水市", "丽水市人民政府")
    assert not any(w.startswith("ls2: city:") for w in meta.warnings)

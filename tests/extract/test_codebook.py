"""Tests for qualitylib.extract.codebook: data integrity, mapping of made-up phrases, and agreement with the
hand annotation of the seed documents."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from qualitylib.extract.codebook import (
    FAMILIES,
    CodeMatch,
    compile_tables,
    load_codebook,
    load_families,
    load_series,
    map_indicator,
    map_indicator_with,
    normalize_text,
    normalize_unit,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "data" / "annotations" / "seeds_gold.csv"
GUIDE = ROOT / "data" / "annotations" / "GUIDE.md"
RAW = ROOT / "data" / "raw"


def _guide_codes() -> dict[str, str]:
    """code -> family from the 'Canonical codes' table of the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Canonical codes", 1)[1]
    out = {}
    for m in re.finditer(r"^\| ([a-z_]+) \| ([a-z_]+) \|", section, flags=re.M):
        if m.group(1) != "code":
            out[m.group(1)] = m.group(2)
    return out


# ---------------------------------------------------------------- integrity


def test_guide_parsed():
    codes = _guide_codes()
    assert len(codes) >= 25
    assert codes["other"] == "any"


def test_codebook_columns_and_unique_codes():
    cb = load_codebook()
    assert list(cb.columns) == [
        "code", "family", "series", "label_zh", "label_en", "definition_en",
        "default_unit", "patterns", "exclude_patterns", "priority",
    ]
    assert cb["code"].is_unique
    assert (cb["code"].str.strip() == cb["code"]).all()
    assert cb["label_zh"].str.len().gt(0).all() and cb["label_en"].str.len().gt(0).all()
    assert cb["definition_en"].str.len().gt(0).all()


def test_every_guide_code_present_with_guide_family():
    cb = load_codebook().set_index("code")
    for code, family in _guide_codes().items():
        assert code in cb.index, code
        if family != "any":
            assert cb.loc[code, "family"] == family, code


def test_families_valid():
    cb = load_codebook()
    fam = load_families()
    assert set(cb["family"]) <= set(FAMILIES)
    assert set(fam["family"]) == set(FAMILIES)
    ser = load_series()
    assert set(ser["family"]) <= set(FAMILIES) | {"*"}
    assert set(ser["code"]) <= set(cb["code"]) | {"*"}
    # series rows must be consistent with the family of the code they name
    fam_of = dict(zip(cb["code"], cb["family"]))
    for r in ser.itertuples():
        if r.code != "*" and r.family != "*":
            assert fam_of[r.code] == r.family, r


def test_patterns_compile_and_nonempty():
    cb = load_codebook()
    for r in cb.itertuples():
        if r.code != "other":
            assert r.patterns, f"{r.code} has no pattern"
        for cell in (r.patterns, r.exclude_patterns):
            if cell:
                re.compile(cell)
    for r in load_families().itertuples():
        for cell in (r.patterns, r.exclude_patterns, r.context_patterns):
            if cell:
                re.compile(cell)
    for r in load_series().itertuples():
        for cell in (r.pattern, r.unit_pattern):
            if cell:
                re.compile(cell)
    # the full compilation path used by map_indicator
    compile_tables(load_codebook(), load_families(), load_series())


def test_load_codebook_returns_copy():
    cb = load_codebook()
    cb.loc[0, "code"] = "broken"
    assert load_codebook().loc[0, "code"] != "broken"


def test_normalize_text():
    assert normalize_text("制造業(yè)產(chǎn)品質(zhì)量合格率") == "制造业产品质量合格率"
    assert normalize_text("城市環(huán)境空氣質(zhì)量(AQI)優(yōu)良率") == "城市环境空气质量(AQI)优良率"
    assert normalize_text("装配式建筑（BIM） 比例") == "装配式建筑(BIM)比例"
    assert normalize_text(None) == ""
    assert normalize_unit("項(xiàng)") == "项"
    assert normalize_unit("起/萬臺") == "起/万台"
    assert normalize_unit("批次/千人") != normalize_unit("个/千人")


# ---------------------------------------------------------------- made-up phrases
# (phrase, unit, expected code, expected family, expected series or None)
PHRASES = [
    # pass rates and their series
    ("规模以上工业产品质量国家监督抽查合格率", "%", "manufacturing_product_pass_rate", "pass_rate", "supervision_spot_check"),
    ("工业产品省级监督抽查合格率", "%", "manufacturing_product_pass_rate", "pass_rate", "supervision_spot_check"),
    ("制造业重点产品质量合格率", "%", "manufacturing_product_pass_rate", "pass_rate", "overall"),
    ("製造業產品質量監督抽查合格率", "%", "manufacturing_product_pass_rate", "pass_rate", "supervision_spot_check"),
    ("工業(yè)產(chǎn)品質(zhì)量抽檢合格率", "%", "manufacturing_product_pass_rate", "pass_rate", "sampling_inspection"),
    ("食用农产品抽检合格率", "%", "agri_product_pass_rate", "pass_rate", "sampling_inspection"),
    ("农产品质量安全例行监测合格率", "%", "agri_product_pass_rate", "pass_rate", "routine_monitoring"),
    ("蔬菜农药残留抽检合格率", "%", "agri_product_pass_rate", "pass_rate", "sampling_inspection"),
    ("水产品质量安全监测合格率", "", "agri_product_pass_rate", "pass_rate", "routine_monitoring"),
    ("食品安全评价性抽检合格率", "%", "food_pass_rate", "pass_rate", "evaluative_sampling"),
    ("食品监督抽检合格率", "%", "food_pass_rate", "pass_rate", "sampling_inspection"),
    ("保健食品抽检合格率", "%", "food_pass_rate", "pass_rate", "sampling_inspection"),
    ("药品质量抽验合格率", "%", "drug_pass_rate", "pass_rate", "sampling_inspection"),
    ("國家基本藥物抽檢合格率", "%", "drug_pass_rate", "pass_rate", "sampling_inspection"),
    ("食品药品抽检合格率", "%", "other", "pass_rate", "sampling_inspection"),
    ("地理标志产品抽检合格率", "%", "other", "pass_rate", "sampling_inspection"),
    ("房屋建筑工程竣工验收合格率", "%", "construction_acceptance_pass_rate", "pass_rate", "acceptance"),
    ("住宅工程分户验收合格率", "%", "construction_acceptance_pass_rate", "pass_rate", "acceptance"),
    ("交通建设工程交工验收合格率", "个百分点", "construction_acceptance_pass_rate", "pass_rate", "acceptance"),
    # satisfaction
    ("顾客满意度指数", "", "service_satisfaction", "satisfaction", "index_score"),
    ("服务业顾客满意度", "%", "service_satisfaction", "satisfaction", "survey_percent"),
    ("旅游服务质量满意度", "分", "service_satisfaction", "satisfaction", "index_score"),
    ("城市公共服务质量满意度", "%", "public_service_satisfaction", "satisfaction", "survey_percent"),
    ("政务服务群众满意度", "%", "public_service_satisfaction", "satisfaction", "survey_percent"),
    ("食品安全群众满意度", "%", "food_safety_satisfaction", "satisfaction", "survey_percent"),
    ("食品安全公眾滿意度", "%", "food_safety_satisfaction", "satisfaction", None),
    ("市民质量满意度", "%", "other", "satisfaction", "survey_percent"),
    # standards
    ("省级地方标准", "项", "standards_local", "standards", "provincial"),
    ("浙江制造标准", "项", "standards_group", "standards", None),
    ("“浙江制造”标准", "项", "standards_group", "standards", None),
    ("製定團體標準", "項", "standards_group", "standards", None),
    ("联盟标准", "个", "standards_group", "standards", None),
    ("主导制修订国际标准", "项", "standards_international", "standards", None),
    ("国家标准和行业标准", "项", "standards_national_industry", "standards", None),
    ("行业标准", "", "standards_national_industry", "standards", None),
    ("主导或参与制定国家、行业和地方标准", "项", "standards_mixed", "standards", None),
    ("国际标准和团体标准", "项", "standards_mixed", "standards", None),
    ("主导制定各类标准", "项", "standards_mixed", "standards", None),
    ("企业标准", "项", "other", "standards", None),
    ("主导国际标准", "%", "other", "other", None),  # a % is never a count of standards
    ("规模以上企业采用国际标准和国外先进标准比率", "%", "intl_standard_adoption_rate", "other", None),
    ("重点产品国际标准采标率", "%", "intl_standard_adoption_rate", "other", None),
    ("日用消费品质量标准与国际标准一致性", "%", "consumer_goods_standard_consistency", "other", None),
    ("社会公用计量标准建标数", "项", "metrology_standards", "other", "citywide"),
    ("县级计量标准年增长", "%", "metrology_standards", "other", "county_level"),
    ("高标准农田", "亩", "other", "other", None),
    ("标准化示范区", "个", "other", "other", None),
    ("符合绿色建筑标准的新建建筑", "%", "other", "other", None),
    # brands
    ("省名牌产品", "个", "famous_brand_products", "brands", "provincial"),
    ("江苏名牌产品", "个", "famous_brand_products", "brands", "provincial"),
    ("名牌产品", "个", "famous_brand_products", "brands", "unspecified"),
    ("新增驰名商标", "件", "well_known_trademarks", "brands", None),
    ("农产品地理标志", "个", "geographical_indications", "brands", "agri_product"),
    ("地理标志保护产品", "个", "geographical_indications", "brands", "protected_product"),
    ("地理標誌證明商標", "件", "geographical_indications", "brands", "trademark"),
    ("有效注册商标总量", "件", "registered_trademarks", "brands", None),
    ("注册商标拥有量年均增长", "%", "registered_trademarks", "brands", None),
    ("马德里商标国际注册", "件", "madrid_trademarks", "brands", None),
    ("省政府质量奖", "个", "government_quality_award", "brands", "provincial"),
    ("市长质量奖获奖企业", "家", "government_quality_award", "brands", "municipal"),
    ("中国质量奖提名奖", "个", "government_quality_award", "brands", "national"),
    ("国家优质工程奖", "项", "engineering_quality_award", "brands", "national"),
    ("黄山杯", "项", "engineering_quality_award", "brands", "provincial"),
    ("中国建设工程鲁班奖", "个", "engineering_quality_award", "brands", "national"),
    ("浙江老字号", "个", "other", "brands", None),
    ("质量奖励资金", "万元", "other", "other", None),
    ("新增省著名商标", "件", "other", "brands", None),
    ("知名品牌示范区", "个", "other", "brands", None),
    ("行业协会参与名牌推荐工作", "个", "other", "other", None),
    # other families
    ("农业标准化生产覆盖率", "%", "agri_standardization_rate", "other", "coverage"),
    ("装配式建筑面积占新建建筑面积比例", "%", "prefab_building_share", "other", None),
    ("装配式建筑面积", "平方米", "other", "other", None),
    ("规模以上工业增加值", "%", "other", "other", None),
    ("森林覆盖率", "%", "other", "other", None),
    ("", "", "other", "other", None),
]


@pytest.mark.parametrize("phrase,unit,code,family,series", PHRASES)
def test_map_indicator_made_up_phrases(phrase, unit, code, family, series):
    m = map_indicator(phrase, unit)
    assert isinstance(m, CodeMatch)
    assert (m.code, m.family) == (code, family), m
    if series is not None:
        assert m.series == series, m
    assert m.label_zh and m.label_en


def test_phrase_table_is_large_and_not_from_gold():
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    gold_phrases = {normalize_text(p) for p in gold["indicator"]}
    ours = [p for p, *_ in PHRASES if p]
    assert len(ours) >= 40
    copied = [p for p in ours if normalize_text(p) in gold_phrases]
    assert not copied, copied


def test_unit_rules():
    # standards need a count unit
    assert map_indicator("地方标准", "项").code == "standards_local"
    assert map_indicator("地方标准", "%").code == "other"
    # rate codes refuse count units
    assert map_indicator("食品抽检合格率", "%").code == "food_pass_rate"
    assert map_indicator("食品抽检合格率", "家").code == "other"
    # count codes may carry a growth rate
    assert map_indicator("商标注册量", "%").code == "registered_trademarks"
    # units are normalised too
    assert map_indicator("团体标准", "項").code == "standards_group"


def test_context_is_only_a_family_fallback_and_tiebreaker():
    heading = "(四)加强品牌建设,提升质量效益。到2020年,创建示范企业30家"
    assert map_indicator("食品生产示范企业", "家", heading).family == "brands"
    assert map_indicator("食品生产示范企业", "家", heading).code == "other"
    assert map_indicator("食品生产示范企业", "家").family == "other"
    # 品牌 later in the paragraph (not in the heading) does not make it a brand
    body = "(一)提升食品安全水平。加强品牌建设,创建一批示范企业"
    assert map_indicator("食品生产示范企业", "家", body).family == "other"
    # a sentence without a heading that mentions 品牌 later does not set the family either
    sentence = "各成员单位要新增1-2个服务示范项目,提炼服务质量品牌。"
    assert map_indicator("服务示范项目", "个", sentence).family == "other"
    # a breadcrumb of headings (as in the extractor's section column) followed by the sentence
    crumbs = "三、破除发展瓶颈 > (二)加强区域品牌建设。创建流通示范单位100家"
    assert map_indicator("流通示范单位", "家", crumbs).family == "brands"
    # but a phrase excluded from the family stays out even under a brand heading
    assert map_indicator("名牌推荐审核工作", "个", heading).family == "other"
    # context never changes a code the phrase supports: 国家和行业标准 stays national/industry
    ctx = "培育国际标准3项、国家和行业标准10项、地方标准10项"
    assert map_indicator("国家和行业标准", "项", ctx).code == "standards_national_industry"
    assert map_indicator("团体标准", "项", "培育团体标准3项").code == "standards_group"


def _tiny_tables():
    cb = pd.DataFrame(
        [
            ["a_code", "brands", "s", "甲", "A", "a", "个", "名牌", "", "50"],
            ["b_code", "brands", "s", "乙", "B", "b", "个", "名牌", "", "50"],
            ["c_code", "brands", "s", "丙", "C", "c", "个", "名牌产品", "", "10"],
            ["other", "other", "", "其他", "Other", "o", "", "", "", "0"],
        ],
        columns=["code", "family", "series", "label_zh", "label_en", "definition_en",
                 "default_unit", "patterns", "exclude_patterns", "priority"],
    )
    cb.loc[1, "patterns"] = "名牌|服务"
    fam = load_families()
    ser = pd.DataFrame(columns=["family", "code", "pattern", "unit_pattern", "series", "priority"])
    return compile_tables(cb, fam, ser)


def test_tie_breaking_order():
    t = _tiny_tables()
    # a_code and b_code tie on priority and match length; file order decides without context
    assert map_indicator_with(t, "名牌产品", "个").code == "a_code"
    # ... and context breaks the tie when only b_code's patterns match it
    assert map_indicator_with(t, "名牌产品", "个", "服务业发展").code == "b_code"
    # priority beats match length: c_code matches longer but has lower priority
    assert map_indicator_with(t, "名牌产品", "个", "").code != "c_code"


# ---------------------------------------------------------------- measurement on the gold


def test_gold_indicator_mapping_agreement():
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    targets = gold[gold["status"] == "target"]
    assert len(targets) == 107
    lines: dict[str, list[str]] = {}
    rows = []
    for r in targets.itertuples():
        if r.doc_id not in lines:
            lines[r.doc_id] = (RAW / f"{r.doc_id}.txt").read_text(encoding="utf-8").split("\n")
        context = lines[r.doc_id][int(r.line) - 1]
        m = map_indicator(r.indicator, r.unit, context)
        rows.append((r.doc_id, r.line, r.indicator, r.unit, r.family, r.code, m.family, m.code))
    res = pd.DataFrame(
        rows, columns=["doc_id", "line", "indicator", "unit", "gold_family", "gold_code",
                       "pred_family", "pred_code"],
    )
    code_agree = (res.gold_code == res.pred_code).mean()
    fam_agree = (res.gold_family == res.pred_family).mean()
    bad = res[(res.gold_code != res.pred_code) | (res.gold_family != res.pred_family)]
    print(f"\ngold indicator mapping: code agreement {code_agree:.3f}, family agreement "
          f"{fam_agree:.3f} over {len(res)} targets; disagreements:")
    for r in bad.itertuples():
        print(f"  {r.doc_id}:{r.line} {r.indicator} [{r.unit}] gold {r.gold_family}/{r.gold_code}"
              f" -> {r.pred_family}/{r.pred_code}")
    assert code_agree >= 0.9
    assert fam_agree >= 0.9

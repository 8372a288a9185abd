"""Tests for qualitylib.extract.numerals: exact parsing, quantity finding, classification."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import qualitylib
from qualitylib.extract.numerals import (
    NON_QUANTITY_REASONS,
    Quantity,
    classify_non_quantity,
    find_quantities,
    parse_number,
    unit_kind,
)

D = Decimal


# ------------------------------------------------------------ parse_number
@pytest.mark.parametrize(
    "s, expected",
    [
        ("96.5", D("96.5")),
        ("3万", D("30000")),
        ("十二", D("12")),
        ("两", D("2")),
        ("一百二十", D("120")),
        ("1.5万", D("15000")),
        ("16.4亿", D("1640000000")),
        ("二〇二〇", D("2020")),
        ("二零一八", D("2018")),
        ("百分之九十五", D("95")),
        ("百分之5", D("5")),
        ("10,000", D("10000")),
        ("３万", D("30000")),
        ("三千万", D("30000000")),
        ("千亿", D("100000000000")),
        ("万亿", D("1000000000000")),
        ("1.2万亿", D("1200000000000")),
        ("两千零五", D("2005")),
        ("一亿二千万", D("120000000")),
        ("一万五", D("15000")),
        ("九十九点五", D("99.5")),
        ("十", D("10")),
        ("零", D("0")),
        ("0.42", D("0.42")),
    ],
)
def test_parse_number(s, expected):
    got = parse_number(s)
    assert got == expected
    assert isinstance(got, Decimal)


def test_parse_number_is_exact_not_float():
    # cn2an goes through float and returns 1639999999.9999998 here.
    assert str(parse_number("16.4亿")) == "1640000000"
    assert str(parse_number("83.9万")) == "839000"
    assert str(parse_number("0.07亿")) == "7000000"


@pytest.mark.parametrize("junk", ["", "abc", "十百", "百百", "两三", "一二", "1.2.3", "三五十五", "万万", "%"])
def test_parse_number_rejects_junk(junk):
    with pytest.raises(ValueError, match="not a number"):
        parse_number(junk)


# ------------------------------------------------------- find_quantities
# (text, [(surface, value, value_hi, unit), ...]) for every quantity found.
GOLDEN = [
    ("合格率达到96.5%以上", [("96.5%", "96.5", None, "%")]),
    ("商标总量达到3万件", [("3万件", "30000", None, "件")]),
    ("总数达到83.9万亩", [("83.9万亩", "839000", None, "亩")]),
    ("淘汰1.5万辆黄标车", [("1.5万辆", "15000", None, "辆")]),
    ("发行16.4亿元债券", [("16.4亿元", "1640000000", None, "元")]),
    ("投入资金300万元", [("300万元", "3000000", None, "元")]),
    ("实验室面积达到10000平方米", [("10000平方米", "10000", None, "平方米")]),
    ("推动10,000家企业", [("10,000家", "10000", None, "家")]),
    ("农田17.05亩", [("17.05亩", "17.05", None, "亩")]),
    ("新增１２家", [("１２家", "12", None, "家")]),
    ("达到９５％以上", [("９５％", "95", None, "%")]),
    ("公用计量标准110个", [("110个", "110", None, "个")]),
    ("平均达到25项", [("25项", "25", None, "项")]),
    ("老床位11740张床", [("11740张床", "11740", None, "张床")]),
    ("浏览167人次", [("167人次", "167", None, "人次")]),
    ("抽检4批次", [("4批次", "4", None, "批次")]),
    ("年产25吨", [("25吨", "25", None, "吨")]),
    ("年产60万吨乙二醇", [("60万吨", "600000", None, "吨")]),
    ("道路3千米", [("3千米", "3", None, "千米")]),
    ("办结时限5个工作日", [("5个工作日", "5", None, "个工作日")]),
    ("用3个月时间", [("3个月", "3", None, "个月")]),
    ("增长1.5倍", [("1.5倍", "1.5", None, "倍")]),
    ("服务质量满意度达到75以上", [("75", "75", None, "")]),
    ("提高15个百分点", [("15个百分点", "15", None, "个百分点")]),
    ("提升2百分点", [("2百分点", "2", None, "百分点")]),
    ("合格率达到百分之九十五", [("百分之九十五", "95", None, "%")]),
    ("覆盖率达到百分之5以上", [("百分之5", "5", None, "%")]),
    ("优质率百分之九十九点五", [("百分之九十九点五", "99.5", None, "%")]),
    ("至少研究一次质量工作", [("一次", "1", None, "次")]),
    ("形成两个板块", [("两个", "2", None, "个")]),
    ("新制定十二项标准", [("十二项", "12", None, "项")]),
    ("扶持一百二十家企业", [("一百二十家", "120", None, "家")]),
    ("投入三千万", [("三千万", "30000000", None, "")]),
    ("三千万元", [("三千万元", "30000000", None, "元")]),
    ("打造千亿级产业集群", [("千亿", "100000000000", None, "")]),
    ("近三年质量安全", [("三年", "3", None, "年")]),
    ("十余家企业", [("十余家", "10", None, "家")]),
    ("30多个项目", [("30多个", "30", None, "个")]),
    ("300余万元", [("300余万元", "3000000", None, "元")]),
    ("完成1-2个国家示范区", [("1-2个", "1", "2", "个")]),
    ("完成1—2个", [("1—2个", "1", "2", "个")]),
    ("举办1~2期培训", [("1~2期", "1", "2", "期")]),
    ("举办1～2期培训", [("1～2期", "1", "2", "期")]),
    ("再选择1至2个行业", [("1至2个", "1", "2", "个")]),
    ("新增1到2个", [("1到2个", "1", "2", "个")]),
    ("每年递增3-5%", [("3-5%", "3", "5", "%")]),
    ("提高5%-8%", [("5%-8%", "5", "8", "%")]),
    ("培育一至两个品牌", [("一至两个", "1", "2", "个")]),
    ("建设两三个基地", [("两三个", "2", "3", "个")]),
    ("扶持三五家企业", [("三五家", "3", "5", "家")]),
    ("三四十家", [("三四十家", "30", "40", "家")]),
    ("投入3-5万元", [("3-5万元", "30000", "50000", "元")]),
    ("死亡率控制在0.42起/万台以下", [("0.42起/万台", "0.42", None, "起/万台")]),
    ("死亡人数0.42人/万台", [("0.42人/万台", "0.42", None, "人/万台")]),
    ("检验量不低于4/千人", [("4/千人", "4", None, "/千人")]),
    ("抽检4批次/千人", [("4批次/千人", "4", None, "批次/千人")]),
    ("发明专利2.5件/万人", [("2.5件/万人", "2.5", None, "件/万人")]),
    ("亩均税收20万元/亩", [("20万元/亩", "200000", None, "元/亩")]),
    ("培育国际标准3项、国家和行业标准10项",
     [("3项", "3", None, "项"), ("10项", "10", None, "项")]),
    ("一次验收合格率达到100%", [("一次", "1", None, "次"), ("100%", "100", None, "%")]),
    ("到2020年,新建50个", [("2020", "2020", None, ""), ("50个", "50", None, "个")]),
    ("2018-2020年", [("2018-2020", "2018", "2020", "")]),
    ("二〇二〇年", [("二〇二〇", "2020", None, "")]),
    ("发布时间:2018-08-08 10:59:11", [("2018-08-08", "2018", None, ""), ("10:59:11", "10", None, "")]),
    ("2018/11/28", [("2018/11/28", "2018", None, "")]),
    ("进一步统一标准,千方百计,百姓满意", []),
    ("五年行动", [("五年", "5", None, "年")]),
    ("新增1.2万余人", [("1.2万余人", "12000", None, "人")]),
    ("百分之九十至九十五", [("百分之九十至九十五", "90", "95", "%")]),
    ("二三十家", [("二三十家", "20", "30", "家")]),
    ("投入1.5-2万元", [("1.5-2万元", "15000", "20000", "元")]),
]


@pytest.mark.parametrize("text, expected", GOLDEN, ids=[g[0] for g in GOLDEN])
def test_find_quantities_golden(text, expected):
    qs = find_quantities(text)
    got = [(q.surface, q.value, q.value_hi, q.unit) for q in qs]
    want = [(s, D(v), D(h) if h is not None else None, u) for s, v, h, u in expected]
    assert got == want
    for q in qs:
        assert text[q.start:q.end] == q.surface
        assert q.start <= q.num_start < q.num_end <= q.end
        assert q.is_range == (q.value_hi is not None)
        assert isinstance(q.value, Decimal)


def test_sixty_golden_cases():
    assert len(GOLDEN) >= 60


@pytest.mark.parametrize(
    "text, num, numeral",
    [
        ("达到96.5%", "96.5", "arabic"),
        ("达到3万件", "3万", "mixed"),
        ("百分之九十五", "百分之九十五", "chinese"),
        ("百分之5", "百分之5", "mixed"),
        ("一百二十家", "一百二十", "chinese"),
        ("完成1-2个", "1-2", "arabic"),
        ("提高5%-8%", "5%-8", "arabic"),
        ("两三个", "两三", "chinese"),
        ("300余万元", "300余万", "mixed"),
        ("0.42起/万台", "0.42", "arabic"),
    ],
)
def test_numeric_span_and_numeral(text, num, numeral):
    (q,) = find_quantities(text)
    assert text[q.num_start:q.num_end] == num
    assert q.numeral == numeral


def test_quantities_are_ordered_and_non_overlapping():
    text = "到2020年,培育国际标准3项、国家和行业标准10项,合格率达到96.5%以上,一次验收合格率100%"
    qs = find_quantities(text)
    assert [q.surface for q in qs] == ["2020", "3项", "10项", "96.5%", "一次", "100%"]
    for a, b in zip(qs, qs[1:]):
        assert a.end <= b.start


def test_rate_denominator_is_not_a_multiplier():
    (q,) = find_quantities("0.42起/万台")
    assert q.value == D("0.42") and q.value != D("4200")


def test_two_three_is_a_range_not_twenty_three():
    (q,) = find_quantities("两三个")
    assert (q.value, q.value_hi, q.is_range) == (D(2), D(3), True)


def test_quantity_is_frozen():
    (q,) = find_quantities("3项")
    assert isinstance(q, Quantity)
    with pytest.raises(AttributeError):
        q.value = D(4)  # type: ignore[misc]


# ------------------------------------------------- classify_non_quantity
# (text, surface of the quantity to classify, expected reason or None)
CLASSIFY = [
    ("2020年,全市", "2020", "year"),
    ("2018-2020年", "2018-2020", "year"),
    ("二〇二〇年", "二〇二〇", "year"),
    ("2019年度行动计划", "2019", "year"),
    ("Copyright © 2003-2014", "2003-2014", "year"),
    ("2018年11月1日", "11", "date"),
    ("2018年11月1日", "1", "date"),
    ("发布时间:2018-08-08", "2018-08-08", "date"),
    ("来源 2018/11/28", "2018/11/28", "date"),
    ("添加时间 14:30", "14:30", "date"),
    ("确保10月份建成", "10", "date"),
    ("宁党发〔2018〕17号", "2018", "doc_number"),
    ("宁党发〔2018〕17号", "17", "doc_number"),
    ("国办发[2018]17号", "17", "doc_number"),
    ("国办发(2018)17号", "2018", "doc_number"),
    ("国办发(2018)17号", "17", "doc_number"),
    ("减少PM2.5排放", "2.5", "code"),
    ("PM10浓度", "10", "code"),
    ("5A级旅游景区", "5", "code"),
    ("通过ISO9001认证", "9001", "code"),
    ("GB/T 19001标准", "19001", "code"),
    ("畅通12315、12345热线", "12315", "code"),
    ("畅通12315、12345热线", "12345", "code"),
    ("“3·15”活动", "3", "code"),
    ("“3·15”活动", "15", "code"),
    ("电话:0553-3832500", "0553", "code"),
    ("电话:0553-3832500", "3832500", "code"),
    ("邮编:241000", "241000", "code"),
    ("鄂ICP备15016914号", "15016914", "code"),
    ("执行国五排放标准", "五", "code"),
    ("4G网络", "4", "code"),
    ("\n(三)农副产品", "三", "section_number"),
    ("(1)提高质量", "1", "section_number"),
    ("(十一)实施质量攻关", "十一", "section_number"),
    ("实施意见。\n\n一、总体要求", "一", "section_number"),
    ("\n  3.加强质量", "3", "section_number"),
    ("\n十二、强化重点", "十二", "section_number"),
    ("质量第一", "一", "ordinal"),
    ("第3批", "3批", "ordinal"),
    ("以第三批国家", "三批", "ordinal"),
    ("第十二次党代会", "十二次", "ordinal"),
    ("党的十九大", "十九", "name"),
    ("十九届二中全会", "十九届", "name"),
    ("十九届二中全会", "二", "name"),
    ("五大发展理念", "五", "name"),
    ("抓“五水共治”", "五", "name"),
    ("“三品”示范", "三", "name"),
    ("“双随机一公开”", "一", "name"),
    ("加快推进“1+4”生态", "1", "name"),
    ("加快推进“1+4”生态", "4", "name"),
    ("1+X证书", "1", "name"),
    ("十百千万工程", "十", "name"),
    ("推行三改一拆", "三", "name"),
    ("四边三化行动", "三", "name"),
    ("一带一路", "一", "name"),
    ("一岗双责", "一", "name"),
    ("一票否决", "一", "name"),
    ("五建一导", "一", "name"),
    ("一站式服务", "一", "name"),
    ("一网办理", "一", "name"),
    ("一图读懂", "一", "name"),
    ("三大战役", "三", "name"),
    ("三大优势产业", "三", "name"),
    ("“十三五”规划", "十三", "name"),
    ("一次验收合格率达到100%", "一次", "name"),
    ("给予一次性奖励", "一次", "name"),
    ("一次交工验收合格率", "一次", "name"),
    ("一次验收合格率达到100%", "100%", None),
    ("每年至少研究一次质量发展", "一次", None),
    ("一次合格率", "一次", None),
    ("培育国际标准3项", "3项", None),
    ("服务质量满意度达到75以上", "75", None),
    ("举办三届博览会", "三届", None),
    ("新增10000平方米", "10000平方米", None),
    ("年检12000家", "12000家", None),
    ("检验量不低于4/千人", "4/千人", None),
    ("到2020年", "2020", "year"),
    ("2018至2020年", "2018至2020", "year"),
    ("3月底前完成", "3", "date"),
    ("“十一五”期间", "十一", "name"),
    ("“十一五”期间", "五", "name"),
    ("5G基站", "5", "code"),
    ("打造千亿级产业集群", "千亿", None),
    ("投入三千万", "三千万", None),
    ("扶持三五家企业", "三五家", None),
    ("零部件产业", "零部", "name"),
]


@pytest.mark.parametrize("text, surface, reason", CLASSIFY, ids=[f"{c[0]}|{c[1]}" for c in CLASSIFY])
def test_classify_non_quantity(text, surface, reason):
    matches = [q for q in find_quantities(text) if q.surface == surface]
    assert matches, f"{surface!r} not found in {text!r}"
    # Every mention with that surface (e.g. both 一 in 一带一路) gets the reason.
    assert [classify_non_quantity(text, q) for q in matches] == [reason] * len(matches)


def test_every_reason_is_exercised():
    # a reason added to the classifier without a case in CLASSIFY fails here
    exercised = {r for _, _, r in CLASSIFY if r}
    assert exercised == NON_QUANTITY_REASONS


# --------------------------------------------------------------- units data
def _unit_rows() -> list[dict[str, str]]:
    path = Path(qualitylib.__file__).with_name("data") / "units.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_units_file_is_well_formed():
    rows = _unit_rows()
    kinds = {"count", "measure", "percent", "rate", "money", "time"}
    assert rows and all(r["kind"] in kinds for r in rows)
    units = [r["unit"] for r in rows]
    assert len(units) == len(set(units))
    # Multipliers belong to the number, never to the unit.
    assert not {"万元", "亿元", "万亩", "月", "日"} & set(units)


@pytest.mark.parametrize(
    "unit, kind",
    [("项", "count"), ("亩", "measure"), ("%", "percent"), ("个百分点", "percent"),
     ("元", "money"), ("年", "time"), ("起/万台", "rate"), ("/千人", "rate"), ("", None)],
)
def test_unit_kind(unit, kind):
    assert unit_kind(unit) == kind


UNITS = [r["unit"] for r in _unit_rows()]


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(UNITS),
    grouped=st.booleans(),
    prefix=st.sampled_from(["", "达到", "新增", "累计完成", "。"]),
)
def test_property_arabic_number_with_unit(value, unit, grouped, prefix):
    number = f"{value:,f}" if grouped else f"{value:f}"
    # '2020年' is a year by design, not a quantity with unit 年.
    assume(not (unit.startswith("年") and value == value.to_integral_value() and len(number) == 4))
    text = prefix + number + unit
    qs = find_quantities(text)
    assert len(qs) == 1, (text, qs)
    (q,) = qs
    assert q.value == value
    assert q.unit == unit
    assert q.surface == number + unit
    assert text[q.num_start:q.num_end] == number
    assert not q.is_range and q.value_hi is None

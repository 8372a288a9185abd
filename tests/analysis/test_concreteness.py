"""Concreteness of commitments on made-up sentences: numbers, deadlines, named agencies, the shares per
city and theme with block-bootstrap intervals, and the mix of target kinds."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.analysis import concreteness as cc
from qualitylib.analysis import themes


@pytest.mark.parametrize("text, number", [
    ("工业产品质量监督抽查合格率达到96.5%以上。", True),
    ("培育国际标准3项。", True),
    ("新增三家省级质检中心。", True),
    ("提高2个百分点。", True),
    ("培育一批知名品牌。", False),          # 一批 = "some"
    ("到2020年,质量水平明显提升。", False),  # a year is a deadline, not a quantity
    ("(1)加强标准化建设。", False),          # list number
    ("推行ISO9001质量管理体系。", False),    # a code
    ("以第三批国家食品安全示范城市创建为契机。", False),
    ("十三五期间全面提升质量。", False),
])
def test_has_number(text, number):
    assert cc.has_number(text) is number


@pytest.mark.parametrize("text, deadline", [
    ("到2020年,质量水平明显提升。", True),
    ("2018年底前完成清理。", True),
    ("年内建成公共服务平台。", True),
    ("6月底前出台实施细则。", True),
    ("2015年以来,质量工作取得成效。", False),
    ("比2015年提高2个百分点。", False),
    ("加强质量基础设施建设。", False),
])
def test_has_deadline(text, deadline):
    assert cc.has_deadline(text) is deadline


def _made_up() -> pd.DataFrame:
    # city 甲: section 一 has 2 standards sentences with numbers and a lead; section 二 one without
    # city 乙: blanket only, no numbers
    return pd.DataFrame({
        "doc_id": ["a", "a", "a", "b", "b"], "city": ["甲市", "甲市", "甲市", "乙市", "乙市"],
        "city_en": ["Jia"] * 3 + ["Yi"] * 2, "sentence_id": [0, 1, 2, 0, 1],
        "section_path": ["一、标准 > (一)x", "一、标准 > (一)x", "二、品牌 > (一)y", "一、标准", "一、标准"],
        "text": ["到2020年主导制定国际标准3项。", "培育团体标准5项。", "推进标准化工作。",
                 "推进标准化工作。", "加强标准宣贯。"],
        "agencies": ["市质监局牵头,市发改委负责", "市质监局牵头,市发改委负责", "", "各县(市、区)负责", "各县(市、区)负责"]})


def test_flags_of_made_up_sentences():
    flags = cc.sentence_flags(_made_up()).set_index(["doc_id", "sentence_id"])
    assert flags.loc[("a", 0), ["number", "deadline", "agency", "lead"]].tolist() == [1, 1, 1, 1]
    assert flags.loc[("a", 1), ["number", "deadline", "agency", "lead"]].tolist() == [1, 0, 1, 1]
    assert flags.loc[("a", 2), ["number", "deadline", "agency", "lead"]].tolist() == [0, 0, 0, 0]
    assert flags.loc[("b", 0), ["agency", "lead"]].tolist() == [0, 0]  # a blanket names no agency


def test_shares_per_city_and_theme_with_intervals():
    s = _made_up()
    coded = themes.code_sentences(s)
    out = cc.concreteness_shares(cc.sentence_flags(s), coded, n_boot=200, seed=1)
    get = out.set_index(["city", "theme", "measure"])
    assert get.loc[("甲市", "all", "number"), "share"] == pytest.approx(2 / 3)
    assert get.loc[("甲市", "all", "deadline"), "share"] == pytest.approx(1 / 3)
    assert get.loc[("甲市", "standards", "number"), "n_sentences"] == 3
    assert get.loc[("乙市", "all", "agency"), "share"] == 0
    row = get.loc[("甲市", "all", "number")]
    assert row["lo"] <= row["share"] <= row["hi"] and row["n_blocks"] == 2
    # blocks, not sentences, are resampled: with two sections the share can only be 1, 2/3 or 0
    assert row["lo"] == 0 and row["hi"] == 1
    again = cc.concreteness_shares(cc.sentence_flags(s), coded, n_boot=200, seed=1)
    pd.testing.assert_frame_equal(out, again)


def test_kind_mix():
    targets = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"], "city": ["甲市"] * 4 + ["乙市"],
                            "kind": ["level", "level", "increment", "delta", "annual_growth"],
                            "section": ["一 > (一)", "一 > (一)", "二", "二", "一"]})
    mix = cc.kind_mix(targets, n_boot=50, seed=0).set_index(["city", "kind"])
    assert mix.loc[("甲市", "level"), "share"] == 0.5 and mix.loc[("甲市", "annual_growth"), "n_targets"] == 0
    assert mix.loc[("乙市", "annual_growth"), "share"] == 1.0
    assert mix.loc[("甲市", "level"), "n_blocks"] == 2

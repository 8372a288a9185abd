"""Structure: headings with a path, sentences, and agency notes kept apart from policy text."""
from __future__ import annotations

from qualitylib.text.agency_notes import split_agency
from qualitylib.text.structure import sentences_frame, split_sections

BODY = "\n".join(
    [
        "一、总体要求",
        "(一)指导思想。坚持质量第一。",
        "二、主要任务",
        "(一)提升产品质量。工业产品质量监督抽查合格率达到96%以上;培育名牌产品10个。(市市场监管局牵头,市发改委、市经信局按职责分工负责)",
        "——服务质量明显提升。",
        "1.加强标准建设。制定地方标准5项。",
        "责任单位:市商务局、市文旅局",
    ]
)


def test_sections_have_paths():
    secs = split_sections(BODY)
    paths = [s.path for s in secs]
    assert ("一、总体要求",) in paths
    assert ("二、主要任务", "(一)提升产品质量", "1.加强标准建设") in paths
    assert not any(len(p) > 4 for p in paths)
    assert any(p[-1].startswith("——服务质量明显提升") for p in paths)
    top = [s for s in secs if s.level == 1]
    assert top[0].end == top[1].start


def test_agency_parenthetical_is_its_own_field():
    text, agency = split_agency("培育名牌产品10个。(市市场监管局牵头,市发改委按职责分工负责)")
    assert text == "培育名牌产品10个。"
    assert agency.startswith("市市场监管局牵头")
    # a real parenthesis is not an agency note
    assert split_agency("空气质量(AQI)优良率达到80%。") == ("空气质量(AQI)优良率达到80%。", "")


def test_sentences_frame_roles_and_agencies():
    frame = sentences_frame("x", BODY)
    assert {"heading", "policy", "agency"} <= set(frame["role"])
    policy = frame[frame["role"] == "policy"]
    assert not policy["text"].str.contains("牵头").any()
    brand = policy[policy["text"].str.contains("名牌产品10个")].iloc[0]
    assert "市市场监管局牵头" in brand["agencies"]
    assert (frame["role"] == "agency").sum() == 2
    # the 责任单位 line attaches to the task before it
    last_policy = policy.iloc[-1]
    assert "市商务局" in last_policy["agencies"]
    assert frame["sentence_id"].tolist() == list(range(len(frame)))

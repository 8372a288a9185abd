"""Malformed numbers are rejected with a warning naming file and line, never guessed at; documents
with no target, no section or one sentence go through the pipeline and leave a valid indicator table."""
from __future__ import annotations

import pytest

from qualitylib.analysis.indicator_table import build_indicator_table
from qualitylib.extract.numerals import find_malformed
from qualitylib.extract.targets import TARGET_COLUMNS, extract_targets
from qualitylib.pipeline import run_pipeline
from qualitylib.text.clean import clean_file

HEAD = "宜昌市质量提升行动计划\n"
PARA = "为深入贯彻落实质量强国战略，全面提升我市产品、工程和服务质量，结合我市实际，制定本计划。\n"


@pytest.mark.parametrize("text, surface, problem", [
    ("合格率达到9５.%以上", "9５.", "decimal point with no digit after it"),
    ("合格率达到96..5%", "96..5", "two decimal points in a row"),
    ("培育国际标准1,2,3项", "1,2,3", "commas that are no thousands grouping"),
    ("培育国际标准1，2，3项", "1，2，3", "commas that are no thousands grouping"),
    ("新增1,0000家", "1,0000", "commas that are no thousands grouping"),
    ("合格率达到96.5.3%", "96.5.3", "several decimal points"),
])
def test_malformed_numbers_are_found(text, surface, problem):
    [bad] = find_malformed(text)
    assert bad.surface == surface and text[bad.start:bad.end] == surface
    assert bad.problem == problem


@pytest.mark.parametrize("text", [
    "合格率达到96.5%以上", "新增10,000家", "投资1,234.5万元", "达到95.", "培育3项,新增5家", "2019.1.14",
    "3.2.1 加强标准化", "2019,2020年", "分别达到98%,97%和99%", "〔2018〕17号",
])
def test_well_formed_numbers_are_left_alone(text):
    assert find_malformed(text) == []


def _write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text(HEAD + PARA + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_malformed_numbers_are_rejected_with_file_and_line(tmp_path):
    path = _write(tmp_path, "bad.txt", [
        "一、工作目标",
        "到2020年，工业产品质量监督抽查合格率达到9５.%以上。",        # line 4
        "到2020年，食品抽检合格率达到96..5%以上。",                 # line 5
        "到2020年，培育国际标准1,2,3项。",                           # line 6
        "到2020年，农产品质量安全例行监测合格率达到98%以上，新增省长质量奖企业2家。",  # line 7: well formed
    ])
    doc = clean_file(path)
    warnings: list[str] = []
    targets = extract_targets(doc, {"horizon": 2020}, warnings)
    assert sorted(zip(targets["value"], targets["unit"])) == [(2.0, "家"), (98.0, "%")]
    assert set(targets["line"]) == {7}
    assert len(warnings) == 3
    for line, surface in ((4, "9５.%"[:3]), (5, "96..5"), (6, "1,2,3")):
        [w] = [w for w in warnings if w.startswith(f"{path}:{line}: ")]
        assert "malformed number" in w and repr(surface) in w and "not read as a target" in w
    result = run_pipeline([path])
    assert sum("malformed number" in w for w in result.warnings) == 3
    assert len(result.targets) == 2


def test_the_seeds_have_no_malformed_numbers(cleaned_seeds):
    for doc in cleaned_seeds.values():
        assert find_malformed(doc.body) == [], doc.doc_id


@pytest.mark.parametrize("lines", [
    [],                                                          # a title and one paragraph, no target
    ["请各地各部门认真贯彻执行。"],                               # no section, no number
    ["一、总体要求", "二、主要任务", "三、保障措施"],              # headings only
])
def test_documents_without_targets_leave_a_valid_indicator_table(tmp_path, lines, seed_paths):
    path = _write(tmp_path, "quiet.txt", lines)
    alone = run_pipeline([path])
    assert alone.targets.empty and list(alone.targets.columns)[:3] == ["doc_id", "city", "city_en"]
    assert alone.indicator_table.empty
    assert len(alone.documents) == 1 and alone.documents.loc[0, "n_targets"] == 0
    with_seed = run_pipeline([path, seed_paths[0]])
    reference = run_pipeline([seed_paths[0]])
    assert list(with_seed.indicator_table.columns) == list(reference.indicator_table.columns)
    assert list(alone.indicator_table.columns) == list(reference.indicator_table.columns)
    assert with_seed.indicator_table.reset_index(drop=True).equals(reference.indicator_table.reset_index(drop=True))


def test_one_sentence_document(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("到2020年，全市工业产品质量监督抽查合格率达到96%以上。", encoding="utf-8")
    result = run_pipeline([path])
    assert list(zip(result.targets["value"], result.targets["unit"])) == [(96.0, "%")]
    assert len(result.indicator_table) == 1


def test_no_document_at_all_gives_empty_tables_with_their_columns(tmp_path):
    result = run_pipeline([tmp_path])
    assert result.targets.empty and {"doc_id", "line", "page", "paragraph"} <= set(result.targets.columns)
    table = build_indicator_table(result.targets, result.documents)
    assert table.empty


def test_target_columns_hold_the_provenance_of_every_format():
    for col in ("line", "raw_start", "raw_end", "byte_start", "byte_end", "page", "paragraph", "part_start", "part_end"):
        assert col in TARGET_COLUMNS

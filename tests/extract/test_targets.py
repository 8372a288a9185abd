"""Target extraction: accuracy on the annotated seeds, provenance of every row, and the same code on
documents it has never seen (new cities, numbers, script and encodings)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import opencc
import pandas as pd
import pytest

from qualitylib import paths
from qualitylib.text.clean import clean_raw
from qualitylib.text.decode import decode_bytes
from qualitylib.analysis.evaluation import evaluate, load_gold
from qualitylib.extract.targets import TARGET_COLUMNS, extract_targets
from qualitylib.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BARS = {"unit": 0.95, "comparator": 0.95, "kind": 0.95, "target_year": 0.95, "code": 0.95}


@pytest.fixture(scope="module")
def seed_result(seed_paths):
    return run_pipeline(seed_paths, documents_csv=ROOT / paths.DOCUMENTS_CSV)


def test_accuracy_on_annotated_seeds(seed_result, root):
    gold = load_gold(root / "data" / "annotations" / "seeds_gold.csv")
    report = evaluate(gold, seed_result.targets)
    print(f"precision={report.precision:.3f} recall={report.recall:.3f} fields={report.field_agreement}")
    assert report.precision >= 0.97, report.false_alarms
    assert report.recall >= 0.97, report.misses
    for field, bar in BARS.items():
        assert report.field_agreement[field] >= bar, (field, report.disagreements)


def test_every_row_points_at_its_number_in_the_raw_file(seed_result, root):
    targets = seed_result.targets
    assert len(targets) > 100
    for row in targets.itertuples():
        path = root / "data" / "raw" / f"{row.doc_id}.txt"
        data = path.read_bytes()
        raw_text = data.decode("utf-8")
        span = raw_text[row.raw_start : row.raw_end]
        digits = re.sub(r"[^0-9.]", "", span)
        expected = re.sub(r"[^0-9.]", "", row.number_text.split("/")[0])
        assert digits and digits == expected, (row.doc_id, row.line, span, row.number_text)
        assert data[row.byte_start : row.byte_end].decode("utf-8") == span
        line_text = raw_text.split("\n")[row.line - 1]
        assert span in line_text
        assert raw_text.count("\n", 0, row.raw_start) + 1 == row.line


def test_columns_and_deterministic_order(seed_result):
    t = seed_result.targets
    for col in TARGET_COLUMNS:
        assert col in t.columns
    assert list(t.index) == list(range(len(t)))
    keys = list(zip(t["doc_id"], t["raw_start"]))
    assert keys == sorted(keys)
    again = run_pipeline(sorted(ROOT / paths.RAW_DIR / f"{d}.txt" for d in set(t["doc_id"])),
                         documents_csv=ROOT / paths.DOCUMENTS_CSV)
    assert again.targets.to_csv(index=False) == t.to_csv(index=False)


def _targets_of(text: str, doc_id: str = "made_up", encoding: str = "utf-8", meta=None) -> pd.DataFrame:
    doc = clean_raw(decode_bytes(text.encode(encoding), f"{doc_id}.txt"), doc_id)
    return extract_targets(doc, meta or {"horizon": 2020})


def _row(frame: pd.DataFrame, value: float, unit: str | None = None) -> pd.Series:
    hit = frame[(frame["value"] == value) & ((frame["unit"] == unit) if unit is not None else True)]
    assert len(hit) == 1, (value, unit, frame[["number_text", "indicator"]].to_string())
    return hit.iloc[0]


def test_made_up_city_plan(root):
    result = run_pipeline([FIXTURES / "jiaxing_2021.txt"], documents_csv=None)
    t = result.targets
    assert set(t["city"]) == {"嘉兴市"}
    assert set(t["target_year"]) == {2025}
    r = _row(t, 95.5, "%")
    assert (r.code, r.comparator, r.kind) == ("manufacturing_product_pass_rate", ">=", "level")
    r = _row(t, 98.5, "%")
    assert (r.code, r.comparator) == ("agri_product_pass_rate", ">=")
    assert _row(t, 82.0, "分").code == "service_satisfaction"
    r = _row(t, 3.0, "个百分点")
    assert (r.code, r.kind) == ("public_service_satisfaction", "delta")
    assert (_row(t, 5.0, "项").code, _row(t, 40.0, "项").code) == ("standards_international", "standards_national_industry")
    assert _row(t, 3.0, "件").kind == "increment"
    assert _row(t, 120.0, "个").code == "famous_brand_products"
    r = _row(t, 100.0, "%")
    assert (r.code, r.comparator) == ("construction_acceptance_pass_rate", "=")
    assert _row(t, 0.3).comparator == "<="
    assert _row(t, 30.0, "微克/立方米").comparator == "<="
    # not targets: the baseline 45家, 十九大, 12315, PM2.5, the 文号 and the dates
    assert 45.0 not in set(t["value"]) and 12315.0 not in set(t["value"]) and 2.5 not in set(t["value"])
    assert not set(t["value"]) & {2021.0, 12.0, 19.0, 9.0}


def test_traditional_big5_annual_plan():
    text = (FIXTURES / "yanbian_2016_trad.txt").read_text(encoding="utf-8")
    result_frame = _targets_of(text, "yanbian", encoding="big5", meta={"horizon": 2016})
    t = result_frame
    assert len(t) == 8
    assert set(t["target_year"]) == {2016}
    r = _row(t, 97.0)
    assert (r.code, r.series) == ("agri_product_pass_rate", _row(t, 97.0).series)
    assert "例行监测" in r.indicator
    r = _row(t, 3.0, "件")
    assert (r.value_hi, r.comparator, r.kind, r.code) == (5.0, "range", "increment", "geographical_indications")
    assert _row(t, 2.5, "%").kind == "delta"
    assert _row(t, 12.0, "项").code == "standards_local"


def test_simplified_and_traditional_give_the_same_targets():
    text = (FIXTURES / "jiaxing_2021.txt").read_text(encoding="utf-8")
    trad = opencc.OpenCC("s2t").convert(text)
    a = _targets_of(text)
    b = _targets_of(trad, encoding="utf-16")
    cols = ["line", "value", "value_hi", "unit", "comparator", "kind", "code", "target_year"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


@pytest.mark.parametrize(
    "sentence",
    [
        "全面贯彻党的十九大和十九届二中、三中全会精神,落实“双随机、一公开”制度。",
        "依据《关于推进质量强区建设的实施意见》(宁党发〔2018〕17号)精神。",
        "畅通12315投诉举报热线,PM2.5浓度持续下降,创建5A级景区,淘汰国Ⅳ标准车辆。",
        "在现有64家的基础上,进一步提升检测能力。",
        "2018年11月1日,实施“1+4”工作机制,推进“五水共治”和“三改一拆”。",
    ],
)
def test_non_targets_are_not_extracted(sentence):
    assert _targets_of("一、工作要求\n" + sentence).empty


def test_elliptical_clause_inherits_the_indicator():
    t = _targets_of("一、目标\n重点工程项目一次交工验收合格率达到100%,其他工程项目达到97%以上。")
    r = _row(t, 97.0)
    assert r.indicator.startswith("其他工程项目") and r.indicator.endswith("合格率")
    assert r.code == "construction_acceptance_pass_rate"


def test_year_in_sentence_governs_the_rest_of_the_paragraph():
    t = _targets_of("一、目标\n力争新增地方标准5项。到2022年,食品抽检合格率达到98%以上。\n二、任务\n培育团体标准4项。", meta={"horizon": 2025})
    assert _row(t, 5.0).target_year == 2025
    assert _row(t, 98.0).target_year == 2022
    assert _row(t, 4.0).target_year == 2025


def test_cli_extract_writes_csv(tmp_path, root):
    out = tmp_path / "t.csv"
    proc = subprocess.run([sys.executable, "-m", "qualitylib.cli", "extract", str(FIXTURES), "-o", str(out), "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out)
    assert set(frame["doc_id"]) == {p.stem for p in FIXTURES.glob("*.txt")}


def test_excerpt_with_chinese_numerals_and_full_width_digits():
    """An excerpt that stops mid-sentence, full-width digits, 百分之九十五, 十五个, 两三个, money, 万 multipliers."""
    text = (FIXTURES / "shaoxing_2012_excerpt.txt").read_text(encoding="utf-8")
    t = _targets_of(text, encoding="gb18030", meta={"horizon": 2012})
    r = _row(t, 95.0, "%")
    assert (r.code, r.comparator, r.number_text) == ("manufacturing_product_pass_rate", ">=", "百分之九十五")
    r = _row(t, 15.0, "个")
    assert (r.kind, r.code) == ("increment", "famous_brand_products")
    assert not r.indicator.startswith("(")
    r = _row(t, 2.0, "个")
    assert (r.value_hi, r.comparator) == (3.0, "range")
    assert _row(t, 0.5, "%").comparator == "<="
    assert _row(t, 8.0, "%").kind == "annual_growth"
    assert _row(t, 12000.0, "家").indicator.startswith("企业")
    assert _row(t, 1640000000.0, "元").value == 1640000000.0
    r = _row(t, 120000.0, "亩")
    assert (r.comparator, r.line) == ("=", 7)  # 左右: approximate; the excerpt's last line still counts
    assert "一批" not in set(t["number_text"])

"""Places at every level, end to end, on documents written for this test (tests/fixtures/places/):
泰州 (Jiangsu) and 台州 (Zhejiang), a district (洞头区) and a province (浙江省), two plans of one city
(嘉兴 2019 annual, 2025 multi-year) and a plan whose place cannot be found. They stay apart in every
table and report name, and every notebook runs on them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qualitylib import runner
from qualitylib.analysis.indicator_table import ROW_KEY
from runs import NB_PARAMS, small_config

PLACES = Path(__file__).resolve().parent / "fixtures" / "places"


@pytest.fixture(scope="module")
def places_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("places")
    config = small_config(out, raw_dir=PLACES, documents_csv=None, gold=None, accuracy=None, export_html=False,
                          params=dict(NB_PARAMS, figure_formats=["png"]))
    rc = runner.run(config)
    return out, rc


def _documents(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "processed" / "documents.csv", dtype={"adcode": str, "parent": str})


@pytest.mark.slow
def test_every_notebook_runs_on_every_kind_of_place(places_run):
    out, rc = places_run
    assert rc == 0
    docs = _documents(out)
    assert len(docs) == len(list(PLACES.glob("*.txt")))
    profiles = sorted(p.name for p in (out / "reports").glob("04_city_profile_*.html"))
    assert len(profiles) == len(docs), "one profile per plan, none overwritten"


@pytest.mark.slow
def test_places_that_share_a_pinyin_stay_apart(places_run):
    out, _ = places_run
    docs = _documents(out).set_index("doc_id")
    js, zj = docs.loc["taizhou_jiangsu_2021"], docs.loc["taizhou_zhejiang_2021"]
    assert (js["city"], zj["city"]) == ("泰州市", "台州市") and js["city_en"] == zj["city_en"]
    assert js["adcode"] != zj["adcode"]
    names = {p.name for p in (out / "reports").glob("04_city_profile_Taizhou*.html")}
    assert len(names) == 2


@pytest.mark.slow
def test_a_district_is_not_its_city_and_a_province_is_a_province(places_run):
    out, _ = places_run
    docs = _documents(out).set_index("doc_id")
    district, province = docs.loc["dongtou_district_2022"], docs.loc["zhejiang_province_2023"]
    assert (district["city"], district["level"]) == ("洞头区", "county")
    assert district["parent"] == "330300"  # 温州市
    assert (province["city"], province["level"]) == ("浙江省", "province")
    assert pd.isna(docs.loc["unknown_province_2024", "city"])


@pytest.mark.slow
def test_two_plans_of_one_city_are_two_plans(places_run):
    out, _ = places_run
    table = pd.read_csv(out / "processed" / "indicator_table.csv", keep_default_na=False)
    assert not table.duplicated(ROW_KEY).any()
    jiaxing = table[table["city"] == "嘉兴市"]
    assert set(jiaxing["doc_id"]) == {"jiaxing_annual_2019", "jiaxing_2021"}
    assert {p.name for p in (out / "reports").glob("04_city_profile_Jiaxing*.html")} == \
        {"04_city_profile_Jiaxing-2019.html", "04_city_profile_Jiaxing-2025.html"}
    # the plans that could not be placed and the province still have their targets in the table
    assert {"unknown_province_2024", "zhejiang_province_2023"} <= set(table["doc_id"])

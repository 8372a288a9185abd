"""Reading and selecting processed tables: plans are picked by doc_id or place, and every plan gets a
file name of its own even when two places share a pinyin name or one place has several plans."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.tables import city_slug, pick_plan, plan_slugs


def _docs(*rows: dict) -> pd.DataFrame:
    base = dict(city="泰安市", city_en="Tai'an", province="山东省", adcode="370900", issued="2018-11-01",
                horizon=2020, plan_type="multi_year")
    return pd.DataFrame([{**base, **r} for r in rows])


def test_a_unique_pinyin_is_the_whole_name():
    assert plan_slugs(_docs(dict(doc_id="a"))) == {"a": "Taian"}
    assert city_slug("Tai'an") == "Taian"


def test_places_sharing_a_pinyin_get_their_code():
    docs = _docs(dict(doc_id="a", city="泰州市", city_en="Taizhou", province="江苏省", adcode="321200"),
                 dict(doc_id="b", city="台州市", city_en="Taizhou", province="浙江省", adcode="331000"))
    slugs = plan_slugs(docs)
    assert slugs == {"a": "Taizhou-321200", "b": "Taizhou-331000"}


def test_places_sharing_a_pinyin_without_codes_still_differ():
    docs = _docs(dict(doc_id="a", city="泰州市", city_en="Taizhou", adcode=None),
                 dict(doc_id="b", city="台州市", city_en="Taizhou", adcode=None))
    slugs = plan_slugs(docs)
    assert len(set(slugs.values())) == 2 and all(s.startswith("Taizhou-") for s in slugs.values())


def test_several_plans_of_one_place_get_their_horizon_then_their_id():
    slugs = plan_slugs(_docs(dict(doc_id="a", horizon=2014, plan_type="annual"), dict(doc_id="b", horizon=2025)))
    assert slugs == {"a": "Taian-2014", "b": "Taian-2025"}
    slugs = plan_slugs(_docs(dict(doc_id="a"), dict(doc_id="b")))
    assert slugs == {"a": "Taian-a", "b": "Taian-b"}


def test_pick_plan_by_id_by_place_or_first():
    docs = _docs(dict(doc_id="a", horizon=2014), dict(doc_id="b", horizon=2025),
                 dict(doc_id="c", city="芜湖市", city_en="Wuhu", adcode="340200"))
    assert pick_plan(docs, plan="a")["doc_id"] == "a"
    assert pick_plan(docs, city="泰安市")["doc_id"] == "b"      # the place's latest plan
    assert pick_plan(docs, city="Tai'an")["doc_id"] == "b"
    assert pick_plan(docs)["doc_id"] in {"a", "b"}               # first by pinyin: Tai'an < Wuhu
    with pytest.raises(ValueError, match="unknown plan"):
        pick_plan(docs, plan="zzz")
    with pytest.raises(ValueError, match="unknown city"):
        pick_plan(docs, city="杭州市")


def test_a_plan_without_a_place_gets_a_display_name_of_its_own():
    from qualitylib.tables import name_unknown_places

    frame = pd.DataFrame({"doc_id": ["a", "b"], "city": ["泰安市", None], "city_en": ["Tai'an", None]})
    named = name_unknown_places(frame)
    assert list(named["city"]) == ["泰安市", "地点不明 b"] and list(named["city_en"]) == ["Tai'an", "unknown place b"]
    assert frame["city"].isna().sum() == 1, "the input frame is not changed"

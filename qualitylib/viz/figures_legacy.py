"""Figures (and the small amount of glue) for notebooks 01, 02 and 04.

Every ``plot_*`` function takes tables written by :func:`qualitylib.pipeline.write_tables`
(``indicator_table.csv``, ``documents.csv`` ...) as DataFrames, returns a
:class:`matplotlib.figure.Figure` and never saves or shows it; use :func:`save_and_show` (or
:func:`qualitylib.style.save_figure`). Each figure carries a title saying what it shows and a
subtitle saying how to read it, in Chinese (``lang='zh'``) or English (``lang='en'``); in English
figures cities are named in pinyin (``city_en``).

Comparability rules used throughout (the codebook keeps apart what must never be pooled):

* Two targets are compared only when they share indicator ``code``, measurement ``series``,
  ``unit`` and ``kind`` (a level to reach is not an increment). :func:`comparable_groups`.
* A national reference is drawn only when ``national_targets.csv`` has a target with the same
  ``code`` *and* ``series`` (and unit, when both give one) whose horizon is within
  ``NATIONAL_WINDOW`` (3) years of the city's target year. :func:`match_national`.
* Annual plans and multi-year plans are never scaled together: the ambition heatmap is faceted
  by plan type and scaled within each facet. :func:`ambition_scores`.

Call :func:`qualitylib.style.use_cjk_style` first, otherwise Chinese renders as boxes.
"""
from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from . import style
from .runner import find_root, resolve
from .style import despine as _despine

__all__ = [
    "NATIONAL_WINDOW",
    "NATIONAL_COLUMNS",
    "find_project_root",
    "resolve_path",
    "load_processed",
    "filter_cities",
    "policy_sentences",
    "load_national",
    "save_and_show",
    "city_slug",
    "match_national",
    "comparable_groups",
    "ambition_scores",
    "nearest_peers",
    "plot_coverage_matrix",
    "plot_family_counts",
    "plot_indicator_comparison",
    "plot_ambition_heatmap",
    "plot_counts_log",
    "plot_city_targets",
    "plot_city_emphasis",
    "plot_nearest_peers",
    "plot_jaccard_stability",
]

#: A national target is a reference for a city target only if their years differ by at most this.
NATIONAL_WINDOW = 3
NATIONAL_COLUMNS = ("horizon", "code", "series", "comparator", "value", "unit", "source_zh", "source_en")
PROCESSED_TABLES = ("documents", "sentences", "targets", "indicator_table", "codebook")
FAMILY_ORDER = ("pass_rate", "satisfaction", "standards", "brands", "other")
FAMILY_COLORS = {
    "pass_rate": "#4c72b0", "satisfaction": "#dd8452", "standards": "#55a868",
    "brands": "#c44e52", "other": "#8c8c8c",
}
COUNT_UNITS = ("项", "个", "件", "家", "家次", "名", "人", "项次", "批", "座", "条")
NOT_COUNT_UNITS = ("%", "‰", "个百分点", "分")

# --------------------------------------------------------------------------------------------
# words
# --------------------------------------------------------------------------------------------
_TEXT = {
    "zh": {
        "coverage_title": "各城市设定了哪些质量指标（城市 × 指标覆盖矩阵）",
        "coverage_sub": "有色格：该城市政策文本为此指标设定了至少一个数值目标，格中数字为设定的目标值个数；"
                        "颜色表示指标类别。灰格：未设定。列标题下注明规划类型与目标年。",
        "family_title": "各城市在各类指标上设定目标的指标个数",
        "family_sub": "计数单位为不同的指标代码（每城市每指标只计一次）；“其他”为代码表中不属于前四类的指标，"
                      "未能归入任何代码的目标不计入。"
                      "文件长度与体例不同，个数多少不代表质量工作力度。",
        "family_y": "设定目标的指标个数",
        "family_x": "指标类别",
        "comparison_title": "同一指标的城市目标对比（含可比的国家目标）",
        "comparison_sub": "仅比较指标代码、统计口径、单位和目标类型均相同、且至少有 {n} 个城市设定的指标。"
                          "圆点：多年规划；方块：年度计划；括号内为目标年。红色竖线：国家目标，只画在与之可比的城市"
                          "（同一指标与口径、目标年相差不超过 {w} 年）的行上。",
        "comparison_none": "没有任何指标被至少 {n} 个城市以相同口径、单位和目标类型设定，无法比较。",
        "national_none": "无可比的国家目标（需同一指标、同一口径、目标年相差不超过 {w} 年）",
        "national_ref": "国家目标：{source} {year} 年 {target}（适用于：{cities}）",
        "national_short": "国家 {year}",
        "unchecked": "（未经原文核对）",
        "national_legend": "国家目标",
        "value": "目标值",
        "heat_title": "各城市目标的相对雄心（{method}，年度计划与多年规划分开）",
        "heat_sub": "每一行是一个可比指标（同代码、口径、单位、目标类型，至少 {n} 个城市设定），"
                    "{method_long}格中为原始目标值。灰格：未设定。只在同一规划类型内比较。",
        "heat_rank": "指标内百分位排名",
        "heat_rank_long": "在同一行内按目标值对城市排名并换算为 0–1 的百分位（0 = 目标最低，1 = 目标最高，并列取平均名次；"
                          "“不超过”类目标数值越低越高）。",
        "heat_minmax": "指标内最小–最大缩放",
        "heat_minmax_long": "在同一行内做最小–最大缩放（0 = 最低目标，1 = 最高目标，全部相同时为 0.5；“不超过”类目标反向）。",
        "heat_cbar": "相对雄心（0 = 最低，1 = 最高）",
        "heat_facet": "{plan}（{n} 个城市）",
        "heat_empty": "此类规划中没有被至少 {n} 个城市以相同口径设定的指标",
        "not_set": "未设定",
        "counts_title": "标准与品牌数量目标（对数坐标）",
        "counts_sub": "横轴为对数刻度：各城市目标从个位数到数万不等。实心：期末要达到的存量；空心：规划期内新增数量。"
                      "不同指标计数对象不同，只宜在同一行内比较。以百分比表示的增长率目标未画出（{n_pct} 个）。",
        "counts_x": "目标数量（对数刻度）",
        "counts_none": "没有以数量表示的标准或品牌目标",
        "kind_level": "存量目标（达到）",
        "kind_increment": "新增数量",
        "table_title": "{city}：设定的质量指标目标（每个指标一行，取主目标）",
        "table_sub": "来源：{title}（{issued}）。目标列：比较符、数值与单位，“(+n)”表示该指标另有 n 个目标值"
                     "（全部见 targets.csv）；原文为目标所在句的摘录。",
        "table_cols": ("指标", "口径", "目标", "类型 · 年份", "原文摘录（行号）"),
        "table_none": "此城市的文本中没有可归入代码表的数值目标。",
        "emph_title": "{city}：政策主题侧重与其他城市对比",
        "emph_sub": "彩色点与横线：{city}提及该主题的句子占比及 {ci:.0%} 自助法区间（{n_boot} 次重抽样）；"
                    "灰点：其他城市的占比。一句可涉及多个主题，占比之和不为 1。",
        "emph_x": "提及该主题的句子占比",
        "others": "其他城市",
        "peers_title": "{city}：政策主题侧重最相近的城市（主题占比的余弦相似度）",
        "peers_sub": "余弦相似度比较主题占比的“形状”而非高低，1 = 侧重完全相同。所有城市都大量提及共同主题，"
                     "相似度普遍很高，横轴不从 0 开始：看排序，不要看绝对差距。样本只有 {n} 个城市。",
        "peers_x": "与{city}的余弦相似度",
        "jacc_title": "聚类稳定性：自助法 Jaccard 相似度（k = {k}）",
        "jacc_sub": "每个聚类在 {n_boot} 次句子重抽样后被重新找到的程度（Hennig 2007）。≥ 0.75 稳定；0.6–0.75 存疑；"
                    "< 0.6 不可信。只含一个城市的聚类若始终单独成类，得分为 1。",
        "jacc_x": "平均 Jaccard 相似度",
        "stable": "稳定", "doubtful": "存疑", "not to be trusted": "不可信",
        "city": "城市",
        "plan": {"multi_year": "多年规划", "annual": "年度计划", "unknown": "规划类型不明"},
        "plan_short": {"multi_year": "多年", "annual": "年度", "unknown": "不明"},
        "kind": {"level": "达到水平", "increment": "新增", "annual_growth": "年均增长", "delta": "提高幅度"},
        "year": "{y} 年",
        "sep": "，",
        "lp": "（", "rp": "）",
    },
    "en": {
        "coverage_title": "Which quality indicators each city sets (city × indicator coverage)",
        "coverage_sub": "Coloured cell: the city's policy text sets at least one numeric target for the indicator; "
                        "the number is how many target values it sets. Colour = indicator family; grey = not set. "
                        "Plan type and target year under each city.",
        "family_title": "Number of indicators with a target, by city and indicator family",
        "family_sub": "Counts distinct indicator codes (one per city and code). 'Other' = codebook indicators outside "
                      "the four families; targets that fit no code are not counted. Documents differ in length and "
                      "format, so more targets does not mean more effort.",
        "family_y": "Indicators with a target",
        "family_x": "Indicator family",
        "comparison_title": "City targets for the same indicator, with comparable national targets",
        "comparison_sub": "Only indicators set by at least {n} cities with the same code, measurement series, unit "
                          "and kind of target. Circle: multi-year plan; square: annual plan; target year in brackets. "
                          "Red line: national target, drawn only across the cities it is comparable to (same code "
                          "and series, target years at most {w} years apart).",
        "comparison_none": "No indicator is set by at least {n} cities with the same series, unit and kind: "
                           "nothing to compare.",
        "national_none": "No comparable national target (same code and series, within ±{w} years)",
        "national_ref": "National target: {source}, {year}: {target} (applies to: {cities})",
        "national_short": "national {year}",
        "unchecked": " (not checked against the primary text)",
        "national_legend": "national target",
        "value": "Target value",
        "heat_title": "Relative ambition of city targets ({method}; annual and multi-year plans kept apart)",
        "heat_sub": "Each row is one comparable indicator (same code, series, unit and kind, set by at least {n} "
                    "cities). {method_long} Cell text: the target as written. Grey: not set. Cities are compared "
                    "only within one plan type.",
        "heat_rank": "percentile rank within indicator",
        "heat_rank_long": "Within each row cities are ranked by target value and the rank is turned into a 0–1 "
                          "percentile (0 = lowest target, 1 = highest; ties share the average rank; for 'at most' "
                          "targets lower is more ambitious).",
        "heat_minmax": "min–max scaling within indicator",
        "heat_minmax_long": "Within each row values are min–max scaled (0 = lowest target, 1 = highest, 0.5 when all "
                            "equal; reversed for 'at most' targets).",
        "heat_cbar": "Relative ambition (0 = lowest, 1 = highest)",
        "heat_facet": "{plan}s ({n} cities)",
        "heat_empty": "No indicator in this plan type is set by at least {n} cities in the same series",
        "not_set": "not set",
        "counts_title": "Targets for numbers of standards and brands (log scale)",
        "counts_sub": "Log scale because targets run from single digits to tens of thousands. Filled: stock to reach "
                      "by the target year; hollow: number newly added in the plan period. Each row counts different "
                      "things: compare within a row only. Growth rates in % are not shown ({n_pct}).",
        "counts_x": "Target count (log scale)",
        "counts_none": "No count targets for standards or brands",
        "kind_level": "stock to reach",
        "kind_increment": "newly added",
        "table_title": "{city}: targets set for coded quality indicators (headline target per indicator)",
        "table_sub": "Source: {title} ({issued}). Target: comparator, value and unit; '(+n)': the city sets n more "
                     "values for this indicator (all in targets.csv). Quote: the words around the number in the policy "
                     "text (line number).",
        "table_cols": ("Indicator", "Series", "Target", "Kind · year", "Quote (line)"),
        "table_none": "The text of this city sets no numeric target that fits the codebook.",
        "emph_title": "{city}: policy-theme emphasis compared with the other cities",
        "emph_sub": "Coloured dot and bar: share of {city}'s sentences mentioning the theme with a {ci:.0%} bootstrap "
                    "interval ({n_boot} resamples); grey dots: the other cities. A sentence can mention several "
                    "themes, so shares do not sum to 1.",
        "emph_x": "Share of sentences mentioning the theme",
        "others": "other cities",
        "peers_title": "{city}: cities with the most similar theme emphasis (cosine similarity of theme shares)",
        "peers_sub": "Cosine similarity compares the shape of the theme profile, not its level; 1 = identical "
                     "emphasis. All cities talk a lot about the common themes, so similarities are high and the axis "
                     "does not start at 0: read the order, not the gaps. Only {n} cities in the sample.",
        "peers_x": "Cosine similarity with {city}",
        "jacc_title": "Cluster stability: bootstrap Jaccard similarity (k = {k})",
        "jacc_sub": "How often each cluster is found again after resampling sentences {n_boot} times (Hennig 2007). "
                    "≥ 0.75 stable; 0.6–0.75 doubtful; < 0.6 not to be trusted. A one-city cluster that always "
                    "stays alone scores 1.",
        "jacc_x": "Mean Jaccard similarity",
        "stable": "stable", "doubtful": "doubtful", "not to be trusted": "not to be trusted",
        "city": "City",
        "plan": {"multi_year": "Multi-year plan", "annual": "Annual plan", "unknown": "Plan type unknown"},
        "plan_short": {"multi_year": "multi-year", "annual": "annual", "unknown": "unknown"},
        "kind": {"level": "level", "increment": "added", "annual_growth": "annual growth", "delta": "increase by"},
        "year": "{y}",
        "sep": ", ",
        "lp": " (", "rp": ")",
    },
}

SERIES_LABELS = {
    "acceptance": ("验收", "acceptance"),
    "adoption": ("采用率", "adoption"),
    "agri_product": ("农产品", "agricultural products"),
    "city_level": ("市级", "city level"),
    "citywide": ("全市", "citywide"),
    "consistency": ("一致性", "consistency"),
    "count": ("数量", "count"),
    "county_level": ("县级", "county level"),
    "coverage": ("覆盖率", "coverage"),
    "evaluative_sampling": ("评价性抽检", "evaluative sampling"),
    "implementation": ("实施率", "implementation"),
    "index_score": ("百分制指数", "index score"),
    "mixed_levels": ("多级合计", "several levels"),
    "municipal": ("市级", "municipal"),
    "national": ("国家级", "national"),
    "overall": ("总体", "overall"),
    "protected_product": ("地理标志保护产品", "protected products"),
    "provincial": ("省级", "provincial"),
    "risk_monitoring": ("风险监测", "risk monitoring"),
    "routine_monitoring": ("例行监测", "routine monitoring"),
    "sampling_inspection": ("抽检", "sampling inspection"),
    "series": ("系列", "series"),
    "share_of_new_buildings": ("占新建建筑比例", "share of new buildings"),
    "supervision_spot_check": ("监督抽查", "supervision spot check"),
    "survey_percent": ("调查百分比", "survey %"),
    "trademark": ("商标", "trademarks"),
    "unspecified": ("口径未说明", "series not stated"),
}

#: English rendering of Chinese units (counts need no unit word in English).
_UNIT_EN = {"%": "%", "‰": "‰", "个百分点": " pp", "分": " points", "项": "", "个": "", "件": "", "家": " firms",
            "名": " persons", "人": " persons", "亩": " mu", "项次": "", "家次": "", "批": " batches"}
_COMPARATOR = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def _t(lang: str) -> dict:
    if lang not in _TEXT:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return _TEXT[lang]


# --------------------------------------------------------------------------------------------
# notebook glue: paths, loading, saving
# --------------------------------------------------------------------------------------------
def find_project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """Input: a folder (default: the cwd). Output: the repository root (nearest folder with
    ``pyproject.toml``), whether a notebook runs from ``notebooks/`` in JupyterLab or under papermill."""
    return find_root(start)


def resolve_path(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> Path:
    """Input: a path from a notebook parameter. Output: it as an absolute path; relative paths are
    taken relative to the project ``root`` (default: :func:`find_project_root`), never to the cwd."""
    return resolve(path, Path(root) if root is not None else find_root())


def _norm_list(cities: Sequence[str] | str | None) -> list[str]:
    if cities is None:
        return []
    if isinstance(cities, str):
        return [cities] if cities.strip() else []
    return [str(c) for c in cities if str(c).strip()]


def filter_cities(frame: pd.DataFrame, cities: Sequence[str] | str | None) -> pd.DataFrame:
    """Input: a frame with ``city`` (and usually ``city_en``) and a list of city names in Chinese or
    pinyin (empty/None = all). Output: the rows of those cities. Unknown names raise ValueError
    listing the known ones, so a typo in a parameter fails loudly instead of giving empty figures."""
    wanted = _norm_list(cities)
    if not wanted or frame.empty:
        return frame
    known_zh = set(frame["city"].dropna().astype(str))
    known_en = set(frame["city_en"].dropna().astype(str)) if "city_en" in frame.columns else set()
    unknown = [c for c in wanted if c not in known_zh and c not in known_en]
    if unknown:
        known = sorted(zip(frame["city"].astype(str), frame.get("city_en", frame["city"]).astype(str)))
        raise ValueError(f"unknown city name(s) {unknown}; known: {sorted(set(known))}")
    mask = frame["city"].astype(str).isin(wanted)
    if "city_en" in frame.columns:
        mask |= frame["city_en"].astype(str).isin(wanted)
    return frame[mask]


def load_processed(processed_dir: str | os.PathLike[str], cities: Sequence[str] | str | None = None,
                   raw_dir: str | os.PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """Input: the folder written by :func:`qualitylib.pipeline.write_tables`, optional city filter and
    optional raw folder. Output: dict ``documents, sentences, targets, indicator_table, codebook``
    (rows of other cities dropped). If the folder lacks the tables and ``raw_dir`` is given, the
    pipeline is run in memory (nothing is written), so a fresh checkout's notebooks still open."""
    folder = Path(processed_dir)
    missing = [t for t in PROCESSED_TABLES if not (folder / f"{t}.csv").is_file()]
    if missing:
        if raw_dir is None or not Path(raw_dir).exists():
            raise FileNotFoundError(
                f"{folder} lacks {', '.join(t + '.csv' for t in missing)}; run `qualitylib run` first")
        from .pipeline import codebook_export, run_pipeline

        print(f"note: {folder} has no processed tables; running the pipeline on {raw_dir} in memory")
        r = run_pipeline([raw_dir])
        tables = {"documents": r.documents, "sentences": r.sentences, "targets": r.targets,
                  "indicator_table": r.indicator_table, "codebook": codebook_export()}
        tables = {k: pd.read_csv(io.StringIO(v.to_csv(index=False))) for k, v in tables.items()}
    else:
        tables = {t: pd.read_csv(folder / f"{t}.csv") for t in PROCESSED_TABLES}
    # one filter on documents validates the names; the others follow by city
    docs = filter_cities(tables["documents"], cities)
    keep = set(docs["city"].astype(str))
    for name in ("documents", "sentences", "targets", "indicator_table"):
        frame = tables[name]
        tables[name] = frame[frame["city"].astype(str).isin(keep)].reset_index(drop=True)
    return tables


def policy_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Input: sentences.csv rows. Output: the rows used for policy emphasis -- ``role == 'policy'``
    with non-empty text (a sentence that was only a lead-agency note has empty text once the note
    is moved to ``agencies``; counting it would dilute every share)."""
    s = sentences[sentences["role"] == "policy"] if "role" in sentences.columns else sentences
    text = s["text"].fillna("").astype(str).str.strip()
    return s[text != ""].reset_index(drop=True)


def load_national(path: str | os.PathLike[str] | None) -> pd.DataFrame:
    """Input: path to ``national_targets.csv`` (may be missing). Output: its rows (columns at least
    ``NATIONAL_COLUMNS``), or an empty frame with those columns when the file does not exist --
    figures then say that there is no comparable national target."""
    if path is None or not Path(path).is_file():
        return pd.DataFrame(columns=list(NATIONAL_COLUMNS))
    nat = pd.read_csv(path)
    missing = [c for c in ("horizon", "code", "series", "value") if c not in nat.columns]
    if missing:
        raise ValueError(f"{path} lacks column(s) {missing}; it has {list(nat.columns)}")
    for c in NATIONAL_COLUMNS:
        if c not in nat.columns:
            nat[c] = pd.NA
    return nat


def city_slug(name: str) -> str:
    """File-name-safe form of a pinyin city name: ``Tai'an`` -> ``Taian``."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "", unicodedata.normalize("NFKD", str(name)))
    return slug or "city"


def save_and_show(fig: Figure, figures_dir: str | os.PathLike[str], name: str, lang: str,
                  formats: Sequence[str] = ("png", "svg"), show: bool = True) -> list[Path]:
    """Save ``fig`` as ``<figures_dir>/<name>_<lang>.<fmt>`` (deterministic, atomic, via
    :func:`qualitylib.style.save_figure`), display it in the notebook, close it.
    Output: the written paths."""
    _t(lang)
    paths = style.save_figure(fig, Path(figures_dir) / f"{name}_{lang}", formats)
    if show:
        try:
            from IPython import get_ipython
            from IPython.display import display

            if get_ipython() is not None:
                display(fig)
        except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
            pass
    plt.close(fig)
    return paths


# --------------------------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------------------------
def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "mwMW@":
        return 0.8
    if ch in "il.,;:'|!()[] ":
        return 0.3
    return 0.56


def _text_em(s: str) -> float:
    return sum(_char_em(c) for c in s)


_NO_LINE_START = set("，。、；：）」』》〉】！？…,.;:)!?%")


def _wrap(text: str, width_in: float, fontsize: float) -> list[str]:
    """Greedy line wrapping by estimated rendered width (CJK characters are ~1 em, Latin ~0.56 em).
    Latin words are kept whole; CJK text may break between any two characters."""
    limit = max(4.0, width_in * 72.0 / fontsize)
    lines: list[str] = []
    for para in str(text).split("\n"):
        tokens = re.findall(r"[A-Za-z0-9%‰.,;:'’()\-–/+≥≤=×±]+|\s+|.", para)
        line, w = "", 0.0
        for tok in tokens:
            tw = _text_em(tok)
            if line and w + tw > limit and tok in _NO_LINE_START:
                line += tok  # kinsoku: never start a line with closing punctuation
                w += tw
                continue
            if line and w + tw > limit and not tok.isspace():
                lines.append(line.rstrip())
                line, w = "", 0.0
            if not line and tok.isspace():
                continue
            line += tok
            w += tw
        lines.append(line.rstrip())
    return lines


def _fill(text: str, width_in: float, fontsize: float) -> str:
    return "\n".join(_wrap(text, width_in, fontsize))


def _shorten(text: str, width_in: float, fontsize: float, max_lines: int) -> str:
    lines = _wrap(text, width_in, fontsize)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return "\n".join(lines)


_TITLE_PT, _SUB_PT = 13.0, 9.0
_LINE = 1.45 / 72.0  # inches per point of font size, per line (Noto Sans SC line height)


def _header(fig: Figure, title: str, subtitle: str | None) -> float:
    """Draw a left-aligned title and a grey subtitle, wrapped to the figure width.
    Output: the top of the area left for axes, in figure fraction (pass to tight_layout rect)."""
    w_in, h_in = fig.get_size_inches()
    t_lines = _wrap(title, w_in - 0.7, _TITLE_PT * 1.06)
    s_lines = _wrap(subtitle, w_in - 0.7, _SUB_PT) if subtitle else []
    y = 1 - 0.08 / h_in
    fig.suptitle("\n".join(t_lines), x=0.01, y=y, ha="left", va="top", fontsize=_TITLE_PT)
    y -= (len(t_lines) * _TITLE_PT * _LINE + 0.06) / h_in
    if s_lines:
        fig.text(0.01, y, "\n".join(s_lines), ha="left", va="top", fontsize=_SUB_PT, color="0.3")
        y -= (len(s_lines) * _SUB_PT * _LINE + 0.08) / h_in
    return max(0.3, y)


def _tight(fig: Figure, rect: tuple[float, float, float, float], **kwargs) -> None:
    """``tight_layout`` inside ``rect`` -- the area below the header. tight_layout would reserve room
    for the suptitle a second time, so it is taken out of the layout while laying out (and put back,
    so that ``bbox_inches='tight'`` keeps it)."""
    st = fig._suptitle
    if st is not None:
        st.set_in_layout(False)
    fig.tight_layout(rect=rect, **kwargs)
    if st is not None:
        st.set_in_layout(True)


def _fig_height(body_in: float, width_in: float, title: str, subtitle: str | None) -> float:
    """Total height = plot body + room for the wrapped title and subtitle."""
    t = len(_wrap(title, width_in - 0.7, _TITLE_PT * 1.06)) * _TITLE_PT * _LINE
    s = len(_wrap(subtitle, width_in - 0.7, _SUB_PT)) * _SUB_PT * _LINE if subtitle else 0.0
    return body_in + t + s + 0.35


def _num(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    v = float(v)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}" if abs(v) >= 1000 else str(int(v))
    return f"{v:g}"


def _unit(unit: object, lang: str) -> str:
    if unit is None or (isinstance(unit, float) and math.isnan(unit)) or unit is pd.NA:
        return ""
    u = str(unit)
    if lang == "en":
        return _UNIT_EN.get(u, f" {u}")
    return u


def target_text(row: Mapping, lang: str = "zh") -> str:
    """``≥98%``, ``95–98%``, ``≥30,000`` (en) / ``≥30,000件`` (zh) from a table row."""
    comp = str(row.get("comparator", "") or "")
    unit = _unit(row.get("unit"), lang)
    value, hi = row.get("value"), row.get("value_hi")
    if comp == "range" and hi is not None and not (isinstance(hi, float) and math.isnan(hi)):
        return f"{_num(value)}–{_num(hi)}{unit}"
    return f"{_COMPARATOR.get(comp, '')}{_num(value)}{unit}"


def _series_label(series: object, lang: str) -> str:
    s = "" if series is None or (isinstance(series, float) and math.isnan(series)) else str(series)
    pair = SERIES_LABELS.get(s)
    if pair:
        return pair[0 if lang == "zh" else 1]
    return s.replace("_", " ")


def _label(row: Mapping, lang: str) -> str:
    v = row.get(f"label_{lang}")
    if v is None or (isinstance(v, float) and math.isnan(v)):
        v = row.get("code", "")
    return str(v)


def _city_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Unique cities with Chinese and pinyin names, sorted by pinyin (stable order in every figure)."""
    cols = [c for c in ("city", "city_en") if c in frame.columns]
    cities = frame[cols].drop_duplicates("city").copy()
    if "city_en" not in cities.columns:
        cities["city_en"] = cities["city"]
    cities["city_en"] = cities["city_en"].fillna(cities["city"]).astype(str)
    return cities.sort_values(["city_en", "city"], kind="mergesort").reset_index(drop=True)


def _name(city: str, city_en: str | None, lang: str) -> str:
    return style.city_label(city, lang, city_en=city_en if city_en else city)


def _city_colors(names: Sequence[str]) -> dict[str, tuple]:
    cmap = plt.get_cmap("tab10" if len(names) <= 10 else "tab20")
    return {n: cmap(i % cmap.N) for i, n in enumerate(names)}


def _plan(plan: object) -> str:
    return str(plan) if plan in ("multi_year", "annual") else "unknown"


def _empty_figure(title: str, message: str, width: float = 8.0) -> Figure:
    fig = plt.figure(figsize=(width, _fig_height(1.4, width, title, None)))
    top = _header(fig, title, None)
    fig.text(0.5, top / 2, _fill(message, width - 1, 11), ha="center", va="center", fontsize=11, color="0.3")
    return fig


# --------------------------------------------------------------------------------------------
# comparability
# --------------------------------------------------------------------------------------------
GROUP_KEY = ["code", "series", "unit", "kind"]


def _key_frame(table: pd.DataFrame) -> pd.DataFrame:
    t = table.copy()
    for c in GROUP_KEY:
        t[c] = t[c].fillna("").astype(str) if c in t.columns else ""
    return t


def comparable_groups(table: pd.DataFrame, min_cities: int = 2, by_plan: bool = False) -> pd.DataFrame:
    """Rows of the indicator table that can be compared across cities.

    Input: indicator table; ``min_cities``; ``by_plan`` (also require the same plan type).
    Output: the rows in groups of the same ``code, series, unit, kind`` (and ``plan_type``) set by
    at least ``min_cities`` different cities, with a ``group`` column (``code|series|unit|kind``)."""
    t = _key_frame(table)
    keys = GROUP_KEY + (["plan_type"] if by_plan else [])
    if by_plan:
        t["plan_type"] = t["plan_type"].map(_plan)
    if t.empty:
        t["group"] = pd.Series(dtype=str)
        return t
    t["group"] = t[GROUP_KEY].agg("|".join, axis=1)
    n = t.groupby(keys)["city"].transform("nunique")
    return t[n >= min_cities].reset_index(drop=True)


def match_national(table: pd.DataFrame, national: pd.DataFrame | None, window: int = NATIONAL_WINDOW) -> pd.DataFrame:
    """Attach the comparable national target to each city target, if there is one.

    A national row is comparable to a city row when ``code`` and ``series`` are equal, the units
    agree (or either is missing) and ``|horizon - target_year| <= window``. Among several, the
    nearest horizon wins, then the later one. Input: indicator table, national targets. Output: the
    table plus ``nat_value, nat_value_hi, nat_comparator, nat_unit, nat_horizon, nat_source_zh,
    nat_source_en, nat_checked`` (from ``checked_against_primary``; NA where nothing is comparable)."""
    out = table.copy().reset_index(drop=True)
    cols = ["nat_value", "nat_value_hi", "nat_comparator", "nat_unit", "nat_horizon", "nat_source_zh", "nat_source_en",
            "nat_checked"]
    for c in cols:
        out[c] = pd.Series([pd.NA] * len(out), dtype=object)
    if national is None or national.empty or out.empty:
        return out
    nat = national.copy()
    nat["_h"] = pd.to_numeric(nat["horizon"], errors="coerce")
    for i, row in out.iterrows():
        year = pd.to_numeric(pd.Series([row.get("target_year")]), errors="coerce").iloc[0]
        if pd.isna(year):
            continue
        cand = nat[(nat["code"].astype(str) == str(row["code"])) & (nat["series"].astype(str) == str(row["series"]))]
        if cand.empty:
            continue
        unit = row.get("unit")
        if isinstance(unit, str) and unit:
            cand = cand[cand["unit"].isna() | (cand["unit"].astype(str) == "") | (cand["unit"].astype(str) == unit)]
        cand = cand[(cand["_h"] - year).abs() <= window]
        if cand.empty:
            continue
        cand = cand.assign(_d=(cand["_h"] - year).abs()).sort_values(["_d", "_h"], ascending=[True, False], kind="mergesort")
        best = cand.iloc[0]
        out.at[i, "nat_value"] = float(best["value"])
        out.at[i, "nat_value_hi"] = best.get("value_hi", pd.NA) if "value_hi" in cand.columns else pd.NA
        out.at[i, "nat_comparator"] = best.get("comparator", pd.NA)
        out.at[i, "nat_unit"] = best.get("unit", pd.NA)
        out.at[i, "nat_horizon"] = int(best["_h"])
        out.at[i, "nat_source_zh"] = best.get("source_zh", pd.NA)
        out.at[i, "nat_source_en"] = best.get("source_en", pd.NA)
        out.at[i, "nat_checked"] = best.get("checked_against_primary", pd.NA)
    return out


def _ambition_value(row: Mapping) -> float:
    v = float(row["value"])
    hi = row.get("value_hi")
    if str(row.get("comparator")) == "range" and hi is not None and not pd.isna(hi):
        v = (v + float(hi)) / 2.0
    return -v if str(row.get("comparator")) in ("<=", "<") else v


def ambition_scores(table: pd.DataFrame, method: str = "rank", min_cities: int = 2) -> pd.DataFrame:
    """Scale each comparable indicator across cities so that rows are comparable.

    Groups are ``code, series, unit, kind`` *within one plan type* (annual plans and multi-year plans
    are never scaled together). ``method='rank'``: percentile rank, ``(rank - 1) / (n - 1)`` with
    average ranks for ties (0 = lowest target, 1 = highest; all tied -> 0.5). ``method='minmax'``:
    ``(v - min) / (max - min)`` (all equal -> 0.5). For ``<=`` targets lower values count as more
    ambitious; ranges use their midpoint. Output: the comparable rows plus ``group``, ``n_cities``
    and ``score``."""
    if method not in ("rank", "minmax"):
        raise ValueError(f"method must be 'rank' or 'minmax', got {method!r}")
    rows = comparable_groups(table, min_cities, by_plan=True)
    if rows.empty:
        rows["n_cities"] = pd.Series(dtype=int)
        rows["score"] = pd.Series(dtype=float)
        return rows
    rows["_amb"] = [_ambition_value(r) for r in rows.to_dict("records")]
    scores = []
    for _, g in rows.groupby(["plan_type", "group"], sort=False):
        v = g["_amb"].to_numpy(dtype=float)
        n = len(v)
        if method == "rank":
            from scipy.stats import rankdata

            s = (rankdata(v, method="average") - 1) / (n - 1) if n > 1 else np.full(n, 0.5)
            if np.ptp(v) == 0:
                s = np.full(n, 0.5)
        else:
            span = np.ptp(v)
            s = (v - v.min()) / span if span > 0 else np.full(n, 0.5)
        scores.append(pd.Series(s, index=g.index))
    rows["score"] = pd.concat(scores).sort_index()
    rows["n_cities"] = rows.groupby(["plan_type", "group"])["city"].transform("nunique")
    return rows.drop(columns="_amb")


def nearest_peers(shares_wide: pd.DataFrame, city: str) -> pd.DataFrame:
    """Cosine similarity of ``city``'s theme-share profile with every other city's.

    Input: city x theme matrix (:func:`qualitylib.emphasis.to_wide`), a city in its index.
    Output: DataFrame ``peer, cosine, rank`` sorted by similarity (most similar first; ties by name)."""
    if city not in shares_wide.index:
        raise ValueError(f"{city!r} is not in the share matrix; cities: {list(shares_wide.index)}")
    X = shares_wide.to_numpy(dtype=float)
    norms = np.linalg.norm(X, axis=1)
    me = X[list(shares_wide.index).index(city)]
    rows = []
    for name, x, n in zip(shares_wide.index, X, norms):
        if name == city:
            continue
        cos = float(x @ me / (n * np.linalg.norm(me))) if n > 0 and np.linalg.norm(me) > 0 else float("nan")
        rows.append((str(name), cos))
    out = pd.DataFrame(rows, columns=["peer", "cosine"])
    out = out.sort_values(["cosine", "peer"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


# --------------------------------------------------------------------------------------------
# 01: coverage and counts
# --------------------------------------------------------------------------------------------
def _city_plan_info(table: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """city, city_en, plan_type, year -- from documents when given, else from the table."""
    if documents is not None and not documents.empty:
        d = documents.copy()
        d["year"] = pd.to_numeric(d.get("horizon"), errors="coerce")
        src = d[["city", "city_en", "plan_type", "year"]]
    else:
        d = table.copy()
        d["year"] = pd.to_numeric(d.get("target_year"), errors="coerce")
        src = d[["city", "city_en", "plan_type", "year"]]
    src = src.drop_duplicates("city")
    names = _city_names(src)
    return names.merge(src.drop(columns="city_en"), on="city", how="left")


def _city_header(r: Mapping, lang: str) -> str:
    T = _t(lang)
    year = "" if pd.isna(r.get("year")) else T["year"].format(y=int(r["year"]))
    plan = T["plan_short"][_plan(r.get("plan_type"))]
    return f"{_name(r['city'], r['city_en'], lang)}\n{year} {plan}".rstrip()


def plot_coverage_matrix(table: pd.DataFrame, lang: str = "zh", *, codebook: pd.DataFrame | None = None,
                         documents: pd.DataFrame | None = None) -> Figure:
    """City x indicator matrix: which city sets a target for which codebook indicator.

    Input: indicator table; optional codebook (rows for every code, so indicators nobody sets are
    shown as gaps) and documents (columns for every city, with plan type and year). Output: Figure."""
    T = _t(lang)
    info = _city_plan_info(table, documents)
    if codebook is not None and not codebook.empty:
        codes = codebook[codebook["code"] != "other"][["code", "family", "label_zh", "label_en"]].drop_duplicates("code")
    else:
        codes = table[["code", "family", "label_zh", "label_en"]].drop_duplicates("code")
    codes = codes.assign(_f=codes["family"].map({f: i for i, f in enumerate(FAMILY_ORDER)}).fillna(len(FAMILY_ORDER)))
    codes = codes.sort_values(["_f", "code"], kind="mergesort").reset_index(drop=True)
    n_rows, n_cols = len(codes), len(info)
    if n_rows == 0 or n_cols == 0:
        return _empty_figure(T["coverage_title"], T["table_none"])
    counts = table.groupby(["code", "city"])["n_values"].sum() if "n_values" in table.columns else \
        table.groupby(["code", "city"]).size()
    width = min(14.0, 4.6 + 1.15 * n_cols)
    body = 0.9 + 0.27 * n_rows
    fig = plt.figure(figsize=(width, _fig_height(body, width, T["coverage_title"], T["coverage_sub"])))
    top = _header(fig, T["coverage_title"], T["coverage_sub"])
    ax = fig.add_subplot(111)
    img = np.ones((n_rows, n_cols, 4))
    img[:] = to_rgba("0.94")
    for i, r in codes.iterrows():
        for j, c in enumerate(info["city"]):
            n = counts.get((r["code"], c), 0)
            if n:
                img[i, j] = to_rgba(FAMILY_COLORS.get(r["family"], "#8c8c8c"))
                ax.text(j, i, str(int(n)), ha="center", va="center", fontsize=8, color="white")
    ax.imshow(img, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([_city_header(r, lang) for r in info.to_dict("records")], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([_shorten(_label(r, lang), 3.8, 8.5, 1) for r in codes.to_dict("records")], fontsize=8.5)
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="both", length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    fam_labels = _family_labels(lang)
    handles = [Patch(color=FAMILY_COLORS[f], label=fam_labels.get(f, f)) for f in FAMILY_ORDER if f in set(codes["family"])]
    handles.append(Patch(color="0.94", label=T["not_set"]))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    _tight(fig, rect=(0, 0, 1, top))
    return fig


def _family_labels(lang: str) -> dict[str, str]:
    from .codebook import load_families

    fam = load_families()
    return dict(zip(fam["family"], fam[f"label_{lang}"]))


def plot_family_counts(table: pd.DataFrame, lang: str = "zh", *, documents: pd.DataFrame | None = None) -> Figure:
    """Grouped bars: number of indicator codes with a target, per family (x) and city (colour).

    Input: indicator table (one row per city x code), optional documents (so cities without any
    coded target still appear with zero bars). Output: Figure."""
    T = _t(lang)
    info = _city_plan_info(table, documents)
    fams = [f for f in FAMILY_ORDER if f in set(table["family"].dropna())] or list(FAMILY_ORDER[:4])
    counts = table.groupby(["family", "city"])["code"].nunique()
    width = 9.0
    fig = plt.figure(figsize=(width, _fig_height(4.2, width, T["family_title"], T["family_sub"])))
    top = _header(fig, T["family_title"], T["family_sub"])
    ax = fig.add_subplot(111)
    n = max(len(info), 1)
    bw = 0.8 / n
    names = [_name(r["city"], r["city_en"], lang) for r in info.to_dict("records")]
    colors = _city_colors(names)
    for j, (r, name) in enumerate(zip(info.to_dict("records"), names)):
        x = np.arange(len(fams)) + (j - (n - 1) / 2) * bw
        y = [int(counts.get((f, r["city"]), 0)) for f in fams]
        bars = ax.bar(x, y, bw * 0.92, color=colors[name], label=name)
        for b, v in zip(bars, y):
            ax.text(b.get_x() + b.get_width() / 2, v + 0.08, str(v), ha="center", va="bottom", fontsize=8)
    fam_labels = _family_labels(lang)
    ax.set_xticks(range(len(fams)))
    ax.set_xticklabels([_fill(fam_labels.get(f, f), 1.5, 9) for f in fams], fontsize=9)
    ax.set_ylabel(T["family_y"])
    ax.set_xlabel(T["family_x"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(0, max([1] + [int(v) for v in counts.values]) * 1.15 + 0.5)
    ax.grid(axis="y", color="0.9")
    ax.set_axisbelow(True)
    _despine(ax)
    ax.legend(title=T["city"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _tight(fig, rect=(0, 0, 1, top))
    return fig


# --------------------------------------------------------------------------------------------
# 02: comparisons
# --------------------------------------------------------------------------------------------
def _national_note(rows: pd.DataFrame, lang: str, window: int) -> str:
    T = _t(lang)
    m = rows.dropna(subset=["nat_value"])
    if m.empty:
        return T["national_none"].format(w=window)
    notes = []
    for (h, v), g in m.groupby(["nat_horizon", "nat_value"], sort=True):
        first = g.iloc[0]
        src = first.get(f"nat_source_{lang}")
        src = "" if src is None or pd.isna(src) else str(src)
        if lang == "zh" and src and not src.startswith("《"):
            src = f"《{src}》"
        if str(first.get("nat_checked", "")).strip().lower() in ("no", "false", "0"):
            src += T["unchecked"]
        tgt = target_text({"comparator": first.get("nat_comparator"), "value": v, "unit": first.get("nat_unit"),
                           "value_hi": first.get("nat_value_hi")}, lang)
        cities = T["sep"].join(_name(c, e, lang) for c, e in zip(g["city"], g["city_en"]))
        notes.append(T["national_ref"].format(source=src, year=int(h), target=tgt, cities=cities).replace("  ", " "))
    return "\n".join(notes)


def plot_indicator_comparison(table: pd.DataFrame, national: pd.DataFrame | None = None, lang: str = "zh", *,
                              min_cities: int = 2, window: int = NATIONAL_WINDOW, codes: Sequence[str] | None = None,
                              ncols: int = 2) -> Figure:
    """Small multiples, one panel per comparable indicator: each city's target as a dot (circle =
    multi-year plan, square = annual plan, label = target and year), with the national target as a
    red line across the rows of the cities it is comparable to (see :func:`match_national`); each
    panel says which national target it shows, or that there is none.

    Input: indicator table, national targets (may be empty/None), ``lang``; ``min_cities`` per
    panel, ``window`` in years, optional ``codes`` subset. Output: Figure."""
    T = _t(lang)
    title = T["comparison_title"]
    sub = T["comparison_sub"].format(n=min_cities, w=window)
    rows = comparable_groups(table if codes is None else table[table["code"].isin(list(codes))], min_cities)
    if rows.empty:
        return _empty_figure(title, T["comparison_none"].format(n=min_cities))
    rows = match_national(rows, national, window)
    all_names = _city_names(table)
    colors = _city_colors([_name(c, e, lang) for c, e in zip(all_names["city"], all_names["city_en"])])
    groups = []
    for key, g in rows.groupby("group", sort=False):
        first = g.iloc[0]
        groups.append((str(first["family"]), _label(first, lang), key, g))
    fam_rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    groups.sort(key=lambda x: (fam_rank.get(x[0], 9), x[2]))
    ncols = max(1, min(ncols, len(groups)))
    nrows = math.ceil(len(groups) / ncols)
    panel_w = 5.6
    width = panel_w * ncols + 0.4
    notes = [_national_note(g, lang, window) for *_, g in groups]
    heights = []
    for r in range(nrows):
        hs = []
        for c in range(ncols):
            k = r * ncols + c
            if k < len(groups):
                g = groups[k][3]
                n_note = len(_wrap(notes[k], panel_w - 0.6, 8))
                hs.append(1.15 + 0.36 * g["city"].nunique() + 0.16 * n_note)
        heights.append(max(hs))
    fig = plt.figure(figsize=(width, _fig_height(sum(heights) + 0.3 * nrows, width, title, sub)))
    top = _header(fig, title, sub)
    gs = fig.add_gridspec(nrows, ncols, height_ratios=heights)
    for k, (fam, label, key, g) in enumerate(groups):
        ax = fig.add_subplot(gs[k // ncols, k % ncols])
        g = g.assign(_plan=g["plan_type"].map(_plan)).sort_values(["city_en", "city"], kind="mergesort").reset_index(drop=True)
        first = g.iloc[0]
        ys = np.arange(len(g))
        xs = g["value"].astype(float).to_numpy()
        his = pd.to_numeric(g.get("value_hi"), errors="coerce").to_numpy()
        vals = list(xs) + [v for v in his if not np.isnan(v)] + [float(v) for v in g["nat_value"].dropna()]
        for y, r, x, hi in zip(ys, g.to_dict("records"), xs, his):
            name = _name(r["city"], r["city_en"], lang)
            marker = "s" if r["_plan"] == "annual" else "o"
            if not np.isnan(hi):
                ax.hlines(y, x, hi, color=colors.get(name, "0.3"), lw=2)
            ax.plot([x], [y], marker, color=colors.get(name, "0.3"), ms=8, zorder=3)
            year = "" if pd.isna(r.get("target_year")) else f"{int(r['target_year'])}"
            ax.annotate(f"{target_text(r, lang)} ({year})", (x, y), xytext=(0, 7), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color="0.2", zorder=4,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.85))
        m = g.dropna(subset=["nat_value"])
        for y, v in zip(m.index, m["nat_value"]):  # only across the rows it is comparable to
            ax.vlines(float(v), y - 0.3, y + 0.3, color="#c00000", lw=2, zorder=2)
        lo, hi_ = min(vals), max(vals)
        pad = (hi_ - lo) * 0.25 if hi_ > lo else max(abs(hi_) * 0.05, 1.0)
        upper = hi_ + pad
        if str(first.get("unit")) == "%" and hi_ <= 100:  # a rate cannot exceed 100%
            upper = min(upper, 100.0 + max(pad * 0.3, 0.2))
        lower = lo - pad
        if lo >= 0 and lower < 0:  # counts and rates are never negative
            lower = -0.02 * (upper - 0)
        ax.set_xlim(lower, upper)
        ax.set_ylim(len(g) - 0.4, -0.75)
        ax.set_yticks(ys)
        ax.set_yticklabels([_name(c, e, lang) for c, e in zip(g["city"], g["city_en"])], fontsize=9)
        sub_bits = [_series_label(first["series"], lang), T["kind"].get(str(first["kind"]), str(first["kind"]))]
        unit = _unit(first.get("unit"), lang).strip()
        if unit:
            sub_bits.append(unit)
        ax.set_title(_fill(label, panel_w - 0.3, 10) + "\n" + " · ".join(b for b in sub_bits if b),
                     fontsize=10, loc="left")
        ax.set_xlabel(_fill(notes[k], panel_w - 0.6, 8), fontsize=8, color="#c00000" if not m.empty else "0.35",
                      loc="left")
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="0.92")
        ax.set_axisbelow(True)
        _despine(ax, ("top", "right", "left"))
    handles = [Line2D([], [], marker="o", ls="", color="0.4", label=T["plan"]["multi_year"]),
               Line2D([], [], marker="s", ls="", color="0.4", label=T["plan"]["annual"]),
               Line2D([], [], color="#c00000", lw=2, label=T["national_legend"])]
    fig.legend(handles=handles, loc="lower right", ncol=3, frameon=False, fontsize=8.5, bbox_to_anchor=(1.0, 0.0))
    _tight(fig, rect=(0, 0.03, 1, top), h_pad=2.2, w_pad=2.5)
    return fig


def plot_ambition_heatmap(table: pd.DataFrame, lang: str = "zh", *, method: str = "rank", min_cities: int = 2,
                          documents: pd.DataFrame | None = None) -> Figure:
    """Heatmap of relative ambition, city x comparable indicator, faceted by plan type.

    Each row is scaled across the cities that set it (:func:`ambition_scores`, ``method`` 'rank' or
    'minmax'; the method is named in the title); annual plans and multi-year plans are separate
    facets and are never scaled together. Cells show the target as written; grey = not set.
    Input: indicator table, ``lang``; optional documents to list every city of a plan type.
    Output: Figure."""
    T = _t(lang)
    scores = ambition_scores(table, method, min_cities)
    mname = T["heat_rank" if method == "rank" else "heat_minmax"]
    title = T["heat_title"].format(method=mname)
    sub = T["heat_sub"].format(n=min_cities, method_long=T["heat_rank_long" if method == "rank" else "heat_minmax_long"])
    info = _city_plan_info(table, documents)
    info["_plan"] = info["plan_type"].map(_plan)
    facets = [p for p in ("multi_year", "annual", "unknown") if (info["_plan"] == p).any()]
    if not facets:
        return _empty_figure(title, T["heat_empty"].format(n=min_cities))
    layout = []
    for p in facets:
        cities = info[info["_plan"] == p].reset_index(drop=True)
        s = scores[scores["plan_type"] == p] if not scores.empty else scores
        groups = []
        if not s.empty:
            order = s.drop_duplicates("group").assign(_f=lambda d: d["family"].map({f: i for i, f in enumerate(FAMILY_ORDER)}))
            order = order.sort_values(["_f", "group"], kind="mergesort")
            groups = list(order["group"])
        layout.append((p, cities, s, groups))
    n_city_max = max(len(c) for _, c, _, _ in layout)
    width = min(14.0, 5.2 + 1.35 * n_city_max)
    rows_per_facet = [max(len(gr), 1) for *_, gr in layout]
    body = sum(0.45 * n + 0.95 for n in rows_per_facet) + 0.75  # cells + facet title/ticks + colourbar
    fig = plt.figure(figsize=(width, _fig_height(body, width, title, sub)))
    top = _header(fig, title, sub)
    gs = fig.add_gridspec(len(layout), 1, height_ratios=rows_per_facet)
    cmap = plt.get_cmap("YlGnBu")
    for i, (p, cities, s, groups) in enumerate(layout):
        ax = fig.add_subplot(gs[i])
        ax.set_title(T["heat_facet"].format(plan=T["plan"][p], n=len(cities)), loc="left", fontsize=11)
        if not groups:
            ax.text(0.5, 0.5, _fill(T["heat_empty"].format(n=min_cities), width - 2, 9.5), ha="center", va="center",
                    transform=ax.transAxes, fontsize=9.5, color="0.35")
            ax.set_axis_off()
            continue
        mat = np.full((len(groups), len(cities)), np.nan)
        for gi, grp in enumerate(groups):
            sg = s[s["group"] == grp]
            for ci, c in enumerate(cities["city"]):
                hit = sg[sg["city"] == c]
                if not hit.empty:
                    r = hit.iloc[0]
                    mat[gi, ci] = float(r["score"])
                    color = "white" if r["score"] > 0.6 else "black"
                    ax.text(ci, gi, target_text(r, lang) + f"\n{int(r['target_year'])}" if pd.notna(r.get("target_year")) else target_text(r, lang),
                            ha="center", va="center", fontsize=7.5, color=color)
                else:
                    ax.text(ci, gi, T["not_set"], ha="center", va="center", fontsize=7, color="0.55")
        masked = np.ma.masked_invalid(mat)
        cm = cmap.with_extremes(bad="0.93")
        ax.imshow(masked, cmap=cm, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(cities)))
        ax.set_xticklabels([_city_header(r, lang) for r in cities.to_dict("records")], fontsize=8.5)
        ax.xaxis.tick_top()
        labels = []
        for grp in groups:
            r = s[s["group"] == grp].iloc[0]
            bits = [_series_label(r["series"], lang), T["kind"].get(str(r["kind"]), str(r["kind"]))]
            labels.append(_shorten(_label(r, lang), 3.0, 8.5, 1) + "\n" + " · ".join(bits))
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xticks(np.arange(-0.5, len(cities), 1), minor=True)
        ax.set_yticks(np.arange(-0.5, len(groups), 1), minor=True)
        ax.grid(which="minor", color="white", lw=2)
        ax.tick_params(which="both", length=0)
        for sp in ax.spines.values():
            sp.set_visible(False)
    _tight(fig, rect=(0, 0.75 / fig.get_size_inches()[1], 1, top), h_pad=1.5)
    # colourbar: short and centred under the facets, placed after the layout is fixed
    h_in = fig.get_size_inches()[1]
    last = [a for a in fig.axes][-1].get_position()
    cax = fig.add_axes([last.x0 + last.width * 0.25, 0.38 / h_in, last.width * 0.5, 0.12 / h_in])
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, 1))
    cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
    cb.set_label(T["heat_cbar"], fontsize=9)
    cb.ax.tick_params(labelsize=8)
    return fig


def _is_count_unit(unit: object) -> bool:
    u = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    return u not in NOT_COUNT_UNITS


def plot_counts_log(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """Dot plot of count targets for standards and brands on a log axis, one row per indicator
    (code and series), one colour per city; filled = stock level, hollow = increment. Rate targets
    (% growth) are left out and counted in the subtitle. Input: indicator table. Output: Figure."""
    T = _t(lang)
    fam = table[table["family"].isin(["standards", "brands"])]
    counts = fam[fam["unit"].map(_is_count_unit) & (pd.to_numeric(fam["value"], errors="coerce") > 0)]
    n_pct = len(fam) - len(counts)
    title, sub = T["counts_title"], T["counts_sub"].format(n_pct=n_pct)
    if counts.empty:
        return _empty_figure(title, T["counts_none"])
    all_names = _city_names(table)
    names = {c: _name(c, e, lang) for c, e in zip(all_names["city"], all_names["city_en"])}
    colors = _city_colors(list(names.values()))
    cities = list(all_names["city"])
    fam_labels = _family_labels(lang)
    panels = []
    for f in ("standards", "brands"):
        d = counts[counts["family"] == f].copy()
        if d.empty:
            continue
        d["_key"] = d["code"].astype(str) + "|" + d["series"].fillna("").astype(str)
        keys = sorted(d["_key"].unique())
        panels.append((f, d, keys))
    width = 10.0
    heights = [0.5 + 0.5 * len(k) for *_, k in panels]
    fig = plt.figure(figsize=(width, _fig_height(sum(heights) + 0.8, width, title, sub)))
    top = _header(fig, title, sub)
    gs = fig.add_gridspec(len(panels), 1, height_ratios=heights)
    vmin = float(counts["value"].min())
    vmax = float(counts["value"].max())
    first_ax = None
    for i, (f, d, keys) in enumerate(panels):
        ax = fig.add_subplot(gs[i], sharex=first_ax)
        first_ax = first_ax or ax
        n = len(cities)
        off = {c: (j - (n - 1) / 2) * (0.6 / max(n, 1)) for j, c in enumerate(cities)}
        for yi, key in enumerate(keys):
            if yi % 2 == 0:
                ax.axhspan(yi - 0.5, yi + 0.5, color="0.96", zorder=0)
            for r in d[d["_key"] == key].to_dict("records"):
                y = yi + off.get(r["city"], 0)
                col = colors[names[r["city"]]]
                filled = str(r["kind"]) == "level"
                ax.plot([float(r["value"])], [y], "o", ms=7, mec=col, mfc=col if filled else "white", mew=1.6, zorder=3)
                ax.annotate(_num(r["value"]), (float(r["value"]), y), xytext=(6, 0), textcoords="offset points",
                            va="center", fontsize=7, color="0.25")
        ylabels = []
        for key in keys:
            r = d[d["_key"] == key].iloc[0]
            ser = "" if str(r["series"]) in ("count", "unspecified", "nan") else "\n" + _series_label(r["series"], lang)
            ylabels.append(_shorten(_label(r, lang), 3.0, 8.5, 1) + ser)
        ax.set_yticks(range(len(keys)))
        ax.set_yticklabels(ylabels, fontsize=8.5)
        ax.set_ylim(len(keys) - 0.5, -0.5)
        ax.set_xscale("log")
        ax.set_title(fam_labels.get(f, f), loc="left", fontsize=11)
        ax.grid(axis="x", which="major", color="0.85")
        ax.set_axisbelow(True)
        _despine(ax, ("top", "right", "left"))
        ax.tick_params(axis="y", length=0)
    first_ax.set_xlim(max(vmin / 2.0, 0.5), vmax * 3.0)
    first_ax.xaxis.set_major_locator(LogLocator(base=10))
    first_ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _num(v)))
    first_ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(T["counts_x"])
    handles = [Line2D([], [], marker="o", ls="", color=colors[names[c]], label=names[c]) for c in cities
               if c in set(counts["city"])]
    handles += [Line2D([], [], marker="o", ls="", mfc="0.4", mec="0.4", label=T["kind_level"]),
                Line2D([], [], marker="o", ls="", mfc="white", mec="0.4", mew=1.6, label=T["kind_increment"])]
    fig.axes[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    _tight(fig, rect=(0, 0, 1, top))
    return fig


# --------------------------------------------------------------------------------------------
# 04: one city
# --------------------------------------------------------------------------------------------
def _pick_city(frame: pd.DataFrame, city: str) -> tuple[str, str]:
    sel = filter_cities(frame, [city]) if not frame.empty else frame
    if sel.empty:
        raise ValueError(f"no rows for city {city!r}")
    r = sel.iloc[0]
    return str(r["city"]), str(r.get("city_en", r["city"]))


def plot_city_targets(table: pd.DataFrame, city: str, lang: str = "zh", *,
                      documents: pd.DataFrame | None = None) -> Figure:
    """A table figure of one city's headline targets: indicator, series, target, kind and year, and
    the quote (with line number) the value was read from. Input: indicator table, city (Chinese or
    pinyin), ``lang``; optional documents for the source line. Output: Figure."""
    T = _t(lang)
    base = documents if documents is not None and not documents.empty else table
    zh, en = _pick_city(base, city)
    name = _name(zh, en, lang)
    rows = table[table["city"] == zh].copy()
    fam_rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    rows = rows.assign(_f=rows["family"].map(fam_rank).fillna(9)).sort_values(["_f", "code"], kind="mergesort")
    src = ""
    if documents is not None and not documents.empty:
        d = documents[documents["city"] == zh]
        if not d.empty:
            src = T["table_sub"].format(title=d.iloc[0].get("title", ""), issued=d.iloc[0].get("issued", ""))
    title = T["table_title"].format(city=name)
    if rows.empty:
        return _empty_figure(title, T["table_none"], width=11)
    widths = [2.6, 1.3, 1.2, 1.3, 4.6]  # inches per column
    fs = 8.5
    cells = []
    for r in rows.to_dict("records"):
        year = "" if pd.isna(r.get("target_year")) else str(int(r["target_year"]))
        kind = T["kind"].get(str(r["kind"]), str(r["kind"]))
        line = "" if pd.isna(r.get("line")) else f" ({int(r['line'])})"
        quote = _shorten(str(r.get("quote", "")) + line, widths[4] - 0.15, fs, 3)
        extra = "" if int(r.get("n_values", 1) or 1) <= 1 else (f" (+{int(r['n_values']) - 1})")
        cells.append([
            _shorten(_label(r, lang), widths[0] - 0.15, fs, 2),
            _shorten(_series_label(r["series"], lang), widths[1] - 0.1, fs, 2),
            target_text(r, lang) + extra,
            f"{kind} · {year}",
            quote,
        ])
    n_lines = [max(c.count("\n") + 1 for c in row) for row in cells]
    unit_in = fs * 1.6 / 72.0  # one data unit (a text line at linespacing 1.25, plus slack) in inches
    body = (1 + sum(n_lines) + 0.35 * len(cells)) * unit_in + 0.1
    width = sum(widths) + 0.3
    fig = plt.figure(figsize=(width, _fig_height(body, width, title, src or None)))
    top = _header(fig, title, src or None)
    ax = fig.add_axes([0.01, 0.01, 0.98, top - 0.02])
    ax.set_axis_off()
    total = 1 + sum(n_lines) + 0.35 * len(cells)
    ax.set_xlim(0, sum(widths))
    ax.set_ylim(total, 0)
    xs = np.cumsum([0] + widths[:-1]) + 0.05
    for x, head in zip(xs, T["table_cols"]):
        ax.text(x, 0.5, head, fontsize=fs + 0.5, va="center")
    ax.axhline(1.0, color="0.2", lw=1)
    y = 1.0
    for k, (row, n) in enumerate(zip(cells, n_lines)):
        h = n + 0.35
        if k % 2 == 1:
            ax.axhspan(y, y + h, color="0.96", zorder=0)
        for x, txt in zip(xs, row):
            ax.text(x, y + 0.18, txt, fontsize=fs, va="top", linespacing=1.25)
        y += h
    ax.axhline(y, color="0.2", lw=1)
    return fig


def plot_city_emphasis(boot: pd.DataFrame, city: str, lang: str = "zh") -> Figure:
    """One city's theme shares with bootstrap intervals, against the other cities' shares (grey).
    Input: :func:`qualitylib.emphasis.bootstrap_shares` output, a city. Output: Figure."""
    from .plots import theme_labels

    T = _t(lang)
    zh, en = _pick_city(boot, city)
    name = _name(zh, en, lang)
    labels = theme_labels(lang)
    themes = [t for t in labels if t in set(boot["theme"].astype(str))]
    me = boot[boot["city"] == zh].assign(theme=lambda d: d["theme"].astype(str)).set_index("theme").reindex(themes)
    others = boot[boot["city"] != zh].assign(theme=lambda d: d["theme"].astype(str))
    ci = float(boot["ci"].iloc[0]) if "ci" in boot.columns else 0.95
    n_boot = int(boot["n_boot"].iloc[0]) if "n_boot" in boot.columns else 0
    title = T["emph_title"].format(city=name)
    sub = T["emph_sub"].format(city=name, ci=ci, n_boot=n_boot)
    width = 9.0
    fig = plt.figure(figsize=(width, _fig_height(0.9 + 0.36 * len(themes), width, title, sub)))
    top = _header(fig, title, sub)
    ax = fig.add_subplot(111)
    ypos = {t: i for i, t in enumerate(themes)}
    for i in range(len(themes)):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="0.96", zorder=0)
    ax.plot(others["share"], others["theme"].map(ypos), "o", color="0.7", ms=5, label=T["others"], zorder=2)
    y = np.arange(len(themes))
    ax.hlines(y, me["lo"], me["hi"], color="#1f4e79", lw=2.2, zorder=3)
    ax.plot(me["share"], y, "o", color="#1f4e79", ms=8, label=name, zorder=4)
    ax.set_yticks(y)
    ax.set_yticklabels([labels[t] for t in themes], fontsize=9)
    ax.set_ylim(len(themes) - 0.5, -0.5)
    ax.set_xlim(left=0)
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(T["emph_x"])
    ax.grid(axis="x", color="0.88")
    ax.set_axisbelow(True)
    _despine(ax)
    ax.legend(loc="lower right", frameon=True, fontsize=9)
    _tight(fig, rect=(0, 0, 1, top))
    return fig


def plot_nearest_peers(peers: pd.DataFrame, city: str, lang: str = "zh", *,
                       city_en: Mapping[str, str] | None = None) -> Figure:
    """Lollipop chart of :func:`nearest_peers` (most similar on top). Input: peers frame, the city's
    Chinese name, ``lang``, Chinese -> pinyin map. Output: Figure."""
    T = _t(lang)
    city_en = dict(city_en or {})
    name = _name(city, city_en.get(city, city), lang)
    title = T["peers_title"].format(city=name)
    sub = T["peers_sub"].format(n=len(peers) + 1)
    width = 8.0
    fig = plt.figure(figsize=(width, _fig_height(1.0 + 0.45 * max(len(peers), 1), width, title, sub)))
    top = _header(fig, title, sub)
    ax = fig.add_subplot(111)
    if peers.empty:
        ax.set_axis_off()
        _tight(fig, rect=(0, 0, 1, top))
        return fig
    y = np.arange(len(peers))
    vals = peers["cosine"].to_numpy(dtype=float)
    lo = max(0.0, float(np.nanmin(vals)) - 0.05)
    ax.hlines(y, lo, vals, color="0.6", lw=2)
    ax.plot(vals, y, "o", color="#1f4e79", ms=9, zorder=3)
    for yy, v in zip(y, vals):
        ax.annotate(f"{v:.3f}", (v, yy), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels([_name(p, city_en.get(p, p), lang) for p in peers["peer"]], fontsize=10)
    ax.set_ylim(len(peers) - 0.5, -0.5)
    ax.set_xlim(lo, 1.0 + (1.0 - lo) * 0.12)
    ax.set_xlabel(T["peers_x"].format(city=name))
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    _despine(ax, ("top", "right", "left"))
    _tight(fig, rect=(0, 0, 1, top))
    return fig


def plot_jaccard_stability(jacc: pd.DataFrame, lang: str = "zh", *, k: int | None = None,
                           city_en: Mapping[str, str] | None = None) -> Figure:
    """Bars of mean bootstrap Jaccard per cluster (:func:`qualitylib.emphasis.bootstrap_jaccard`)
    with Hennig's 0.6 and 0.75 lines; each bar is labelled with its members and the reading.
    Output: Figure."""
    T = _t(lang)
    city_en = dict(city_en or {})
    n_boot = int(jacc["n_boot"].iloc[0]) if not jacc.empty else 0
    k = k if k is not None else len(jacc)
    title = T["jacc_title"].format(k=k)
    sub = T["jacc_sub"].format(n_boot=n_boot)
    width = 8.5
    fig = plt.figure(figsize=(width, _fig_height(1.2 + 0.55 * max(len(jacc), 1), width, title, sub)))
    top = _header(fig, title, sub)
    ax = fig.add_subplot(111)
    ax.axvspan(0.75, 1.0, color="#e5f2e5", zorder=0)
    ax.axvspan(0.6, 0.75, color="#f7f4e1", zorder=0)
    ax.axvspan(0.0, 0.6, color="#f8e5e5", zorder=0)
    labels = []
    for y, r in enumerate(jacc.to_dict("records")):
        v = float(r["mean_jaccard"])
        ax.barh(y, v, color="#1f4e79", height=0.55, zorder=2)
        ax.text(min(v, 0.98) + 0.01 if v < 0.85 else v - 0.01, y, f"{v:.2f} {T.get(r['reading'], r['reading'])}",
                va="center", ha="left" if v < 0.85 else "right", fontsize=9,
                color="black" if v < 0.85 else "white", zorder=3,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none", alpha=0.8) if v < 0.85 else None)
        members = [m for m in str(r["members"]).split("、") if m]
        names = T["sep"].join(sorted(_name(m, city_en.get(m, m), lang) for m in members))
        labels.append(_shorten(names, 2.4, 9, 3))
    ax.set_yticks(range(len(jacc)))
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_ylim(len(jacc) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.axvline(0.6, color="0.4", lw=0.8, ls="--")
    ax.axvline(0.75, color="0.4", lw=0.8, ls="--")
    ax.set_xlabel(T["jacc_x"])
    _despine(ax, ("top", "right"))
    _tight(fig, rect=(0, 0, 1, top))
    return fig

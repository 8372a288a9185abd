"""Words, labels and text layout shared by every figure: one place for each rule.

Input: a figure language (``'zh'`` or ``'en'``), table rows and city names. Output: strings -- the
translated figure texts (:func:`text`), theme/family/series/indicator labels, targets written out
(``≥98%``), CJK-aware wrapped or shortened text, city display names -- plus the city order and city
colours every figure shares, so a reader can follow one city across charts.

Cities are named in Chinese in Chinese figures and in pinyin (``city_en``) in English figures;
a city without a pinyin name keeps its Chinese name (the CJK font renders it), so one missing
mapping never blocks a figure.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import pandas as pd

from ..analysis.comparability import plan_kind
from ..analysis.themes import load_themes
from ..extract.codebook import load_families
from .style import check_lang

__all__ = [
    "FAMILY_ORDER",
    "FAMILY_COLORS",
    "SERIES_LABELS",
    "METHOD_ZH",
    "METRIC_ZH",
    "text",
    "theme_labels",
    "family_labels",
    "wrap_lines",
    "fill",
    "shorten",
    "number_text",
    "unit_text",
    "target_text",
    "series_label",
    "indicator_label",
    "city_name",
    "city_order",
    "city_table",
    "resolve_city",
    "city_colors",
    "city_plan_info",
    "PLAN_COLUMNS",
    "plan_columns",
    "city_header",
]

FAMILY_ORDER = ("pass_rate", "satisfaction", "standards", "brands", "other")
FAMILY_COLORS = {
    "pass_rate": "#4c72b0", "satisfaction": "#dd8452", "standards": "#55a868",
    "brands": "#c44e52", "other": "#8c8c8c",
}

# --------------------------------------------------------------------------------------------
# words: every figure text in both languages, looked up with text(lang)
# --------------------------------------------------------------------------------------------
_TEXT: dict[str, dict[str, Any]] = {
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
        "table_title": "{city}：本规划设定的质量指标目标（指标、口径、范围、类型各一行）",
        "table_sub": "来源：{title}（{issued}）。目标列：比较符、数值与单位，“(+n)”表示同一行另有 n 个目标值"
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
        "scope": {"jurisdiction": "全域", "sector": "部分领域", "per_unit": "每单位"},
        "year": "{y} 年",
        "sep": "，",
        # notebook 03
        "shares_title": "各城市“质量强市”政策文本的主题侧重",
        "shares_sub": "点：提及该主题的句子占比；横线：{ci:.0%} 自助法置信区间（城市内句子重抽样 {n_boot} 次）。"
                      "一句话可涉及多个主题，故各主题占比之和不为 1。",
        "shares_x": "提及该主题的句子占比",
        "shares_y": "政策主题",
        "dend_title": "城市主题侧重的层次聚类：{method_zh}（{method}），{metric_zh}距离（{metric}）",
        "dend_sub": "合并处的距离越小，两地主题侧重越相似。",
        "dend_sub_k": "颜色：切分为 {k} 类的结果。",
        "dend_x": "{metric_zh}距离",
        "sil_title": "不同聚类数 k 的平均轮廓系数",
        "sil_sub": "越高表示城市分组越清晰。经验读法（Kaufman & Rousseeuw）：> 0.5 结构合理，"
                   "0.25–0.5 结构较弱，< 0.25 无明显结构。城市数少时轮廓系数不稳，请结合自助法 Jaccard 稳定性一起看。",
        "sil_x": "聚类数 k",
        "sil_y": "平均轮廓系数",
        "sil_best": "最高：k = {k}",
        "sil_bands": ("结构合理", "结构较弱"),
        "sil_empty": "无法计算轮廓系数",
        "pca_title": "城市主题侧重的主成分分析双标图",
        "pca_sub": "点：城市得分；箭头：主题载荷（已按得分范围缩放，只看方向与相对长短）。"
                   "标注了最长的 {n} 个主题箭头，其余为浅灰色。",
        "pca_x": "第一主成分 PC1（解释 {v:.0%} 方差）",
        "pca_y": "第二主成分 PC2（解释 {v:.0%} 方差）",
        "tfidf_title": "各城市最具特色的字符 n 元组（TF-IDF，{lo}–{hi} 字）",
        "tfidf_sub": "每个城市的全部句子合为一篇文档；已去掉所有城市都出现的词串。得分越高，该词串越为该城市所特有。"
                     "字符 n 元组不分词，可能截断词语。",
        "tfidf_x": "TF-IDF 得分",
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
        "table_title": "{city}: this plan's targets for coded quality indicators (one row per indicator, series, scope and kind)",
        "table_sub": "Source: {title} ({issued}). Target: comparator, value and unit; '(+n)': the plan sets n more "
                     "values with exactly this row's key (all in targets.csv). Quote: the words around the number in the policy "
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
        "scope": {"jurisdiction": "whole area", "sector": "sector", "per_unit": "per unit"},
        "year": "{y}",
        "sep": ", ",
        # notebook 03
        "shares_title": "Policy-theme emphasis in each city's quality-strong-city texts",
        "shares_sub": "Dot: share of sentences mentioning the theme; bar: {ci:.0%} bootstrap interval "
                      "({n_boot} resamples of sentences within each city). A sentence can mention several "
                      "themes, so a city's shares do not sum to 1.",
        "shares_x": "Share of sentences mentioning the theme",
        "shares_y": "Policy theme",
        "dend_title": "Hierarchical clustering of cities by theme emphasis: {method} linkage, {metric} distance",
        "dend_sub": "The lower the distance at which two cities join, the more alike their theme profiles.",
        "dend_sub_k": "Colours: cut into {k} clusters.",
        "dend_x": "{metric} distance",
        "sil_title": "Mean silhouette width by number of clusters k",
        "sil_sub": "Higher = clearer grouping. Rule of thumb (Kaufman & Rousseeuw): > 0.5 reasonable structure, "
                   "0.25–0.5 weak, < 0.25 none. With few cities silhouettes are fragile; read them with the "
                   "bootstrap Jaccard stability.",
        "sil_x": "Number of clusters k",
        "sil_y": "Mean silhouette width",
        "sil_best": "highest: k = {k}",
        "sil_bands": ("reasonable", "weak"),
        "sil_empty": "Silhouette cannot be computed",
        "pca_title": "PCA biplot of cities' theme emphasis",
        "pca_sub": "Points: city scores; arrows: theme loadings (rescaled to the score range: read direction and "
                   "relative length only). The {n} longest theme arrows are labelled, the rest drawn in light grey.",
        "pca_x": "PC1 ({v:.0%} of variance)",
        "pca_y": "PC2 ({v:.0%} of variance)",
        "tfidf_title": "Most city-specific character n-grams (TF-IDF, {lo}–{hi} characters)",
        "tfidf_sub": "All sentences of a city form one document; n-grams found in every city are dropped. Higher "
                     "score = more specific to that city. Character n-grams ignore word boundaries and can cut words.",
        "tfidf_x": "TF-IDF score",
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

METHOD_ZH = {
    "average": "平均连接", "complete": "完全连接", "single": "单连接", "weighted": "加权平均连接",
    "ward": "Ward 最小方差", "centroid": "质心连接", "median": "中位数连接",
}
METRIC_ZH = {
    "cosine": "余弦", "euclidean": "欧氏", "correlation": "相关", "cityblock": "曼哈顿",
    "braycurtis": "Bray–Curtis ", "jensenshannon": "Jensen–Shannon ",
}


def text(lang: str) -> dict[str, Any]:
    """Input: ``'zh'`` or ``'en'``. Output: the figure texts in that language (titles, subtitles,
    axis labels; ``str.format`` templates where a number goes in). ValueError for another language."""
    return _TEXT[check_lang(lang)]


def theme_labels(lang: str = "zh") -> dict[str, str]:
    """Theme id -> display label in ``lang``, from ``themes.csv`` (file order)."""
    check_lang(lang)
    th = load_themes()
    return dict(zip(th["theme"], th[f"label_{lang}"]))


def family_labels(lang: str = "zh") -> dict[str, str]:
    """Indicator family id -> display label in ``lang``, from the codebook's ``families.csv``."""
    check_lang(lang)
    fam = load_families()
    return dict(zip(fam["family"], fam[f"label_{lang}"]))


# --------------------------------------------------------------------------------------------
# wrapping: textwrap counts characters and breaks only at spaces, which is wrong for Chinese (no
# spaces, double-width glyphs); here width is estimated in em and CJK text may break anywhere
# --------------------------------------------------------------------------------------------
def _char_em(ch: str) -> float:
    """Estimated advance width of one character, in em (CJK 1, narrow Latin 0.3, most Latin 0.56)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "mwMW@":
        return 0.8
    if ch in "il.,;:'|!()[] ":
        return 0.3
    return 0.56


def _text_em(s: str) -> float:
    return sum(_char_em(c) for c in s)


# closing punctuation never starts a line (kinsoku shori)
_NO_LINE_START = set("，。、；：）」』》〉】！？…”’,.;:)!?%")
# a Latin word, number or formula stays in one piece; any other character is a token of its own
_TOKEN = re.compile(r"[A-Za-z0-9%‰.,;:'’()\-–/+≥≤=×±]+|\s+|.")


def wrap_lines(text: str, width_in: float, fontsize: float) -> list[str]:
    """Greedy line wrapping by estimated rendered width.

    Input: text (``\\n`` starts a new paragraph), the width in inches, the font size in points.
    Output: the lines. Latin words are kept whole; CJK text may break between any two characters;
    closing punctuation stays at the end of the line before."""
    limit = max(4.0, width_in * 72.0 / fontsize)
    lines: list[str] = []
    for para in str(text).split("\n"):
        line, w = "", 0.0
        for tok in _TOKEN.findall(para):
            tw = _text_em(tok)
            if line and w + tw > limit and tok in _NO_LINE_START:
                line += tok
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


def fill(text: str, width_in: float, fontsize: float) -> str:
    """:func:`wrap_lines` joined with newlines, ready for a matplotlib text."""
    return "\n".join(wrap_lines(text, width_in, fontsize))


def shorten(text: str, width_in: float, fontsize: float, max_lines: int) -> str:
    """Wrapped text cut to ``max_lines`` lines, the last one ending in ``…`` when something was cut."""
    lines = wrap_lines(text, width_in, fontsize)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# numbers, units, targets, series
# --------------------------------------------------------------------------------------------
def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def number_text(v: float | None) -> str:
    """``30000`` -> ``30,000``; ``98.0`` -> ``98``; ``96.5`` -> ``96.5``; missing -> ``''``."""
    if _missing(v):
        return ""
    v = float(v)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}" if abs(v) >= 1000 else str(int(v))
    return f"{v:g}"


def unit_text(unit: object, lang: str) -> str:
    """The unit as written after a number: Chinese as is, English from ``_UNIT_EN`` (counts need
    no unit word in English; an unknown unit follows after a space)."""
    if _missing(unit):
        return ""
    u = str(unit)
    if lang == "en":
        return _UNIT_EN.get(u, f" {u}")
    return u


def target_text(row: Mapping, lang: str = "zh") -> str:
    """``≥98%``, ``95–98%``, ``≥30,000`` (en) / ``≥30,000件`` (zh) from a table row."""
    comp = str(row.get("comparator", "") or "")
    unit = unit_text(row.get("unit"), lang)
    value, hi = row.get("value"), row.get("value_hi")
    if comp == "range" and hi is not None and not (isinstance(hi, float) and math.isnan(hi)):
        return f"{number_text(value)}–{number_text(hi)}{unit}"
    return f"{_COMPARATOR.get(comp, '')}{number_text(value)}{unit}"


def series_label(series: object, lang: str) -> str:
    """Display name of a measurement series id (``supervision_spot_check`` -> ``监督抽查``)."""
    s = "" if _missing(series) else str(series)
    pair = SERIES_LABELS.get(s)
    if pair:
        return pair[0 if lang == "zh" else 1]
    return s.replace("_", " ")


def indicator_label(row: Mapping, lang: str) -> str:
    """The row's ``label_zh``/``label_en``, or its ``code`` when the label is missing."""
    v = row.get(f"label_{lang}")
    if _missing(v):
        v = row.get("code", "")
    return str(v)


# --------------------------------------------------------------------------------------------
# cities: one display name, one order, one colour each
# --------------------------------------------------------------------------------------------
def city_name(city: str, lang: str = "zh", city_en: str | Mapping[str, str] | None = None) -> str:
    """Display name of a city in the figure language.

    Input: the Chinese name, ``lang``, and the pinyin name -- either as a string or as a map
    Chinese -> pinyin. Output: the Chinese name for ``'zh'``; the pinyin name for ``'en'``, or the
    Chinese name when no pinyin is known."""
    check_lang(lang)
    if lang == "zh":
        return str(city)
    en = city_en.get(city) if isinstance(city_en, Mapping) else city_en
    return en if isinstance(en, str) and en else str(city)


def city_order(cities: Sequence[str], city_en: Mapping[str, str] | None = None) -> list[str]:
    """Unique cities sorted by pinyin when known (the usual order for Chinese city lists), else by
    name; the order of every figure."""
    en = city_en or {}
    return sorted(dict.fromkeys(cities), key=lambda c: (str(en.get(c, c)).lower(), str(c)))


def city_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Input: any frame with ``city`` (and usually ``city_en``). Output: one row per city with
    ``city, city_en`` (pinyin filled with the Chinese name where missing), in :func:`city_order`."""
    cols = [c for c in ("city", "city_en") if c in frame.columns]
    cities = frame[cols].drop_duplicates("city").copy()
    if "city_en" not in cities.columns:
        cities["city_en"] = cities["city"]
    cities["city_en"] = cities["city_en"].fillna(cities["city"]).astype(str)
    # 泰州 and 台州 are both Taizhou: a pinyin shared by several places names each with its Chinese name too
    shared = cities["city_en"].duplicated(keep=False)
    cities.loc[shared, "city_en"] = cities.loc[shared, "city_en"] + " (" + cities.loc[shared, "city"].astype(str) + ")"
    order = city_order(list(cities["city"]), dict(zip(cities["city"], cities["city_en"])))
    return cities.set_index("city").loc[order].reset_index()[["city", "city_en"]]


def resolve_city(frame: pd.DataFrame, city: str) -> tuple[str, str]:
    """Input: a frame with ``city``/``city_en`` and a city name in Chinese or pinyin. Output: its
    ``(Chinese, pinyin)`` names. Raises ValueError listing the known cities for an unknown name."""
    names = city_table(frame)
    hit = names[(names["city"] == city) | (names["city_en"] == city)]
    if hit.empty:
        known = sorted(zip(names["city"], names["city_en"]))
        raise ValueError(f"no rows for city {city!r}; known: {known}")
    return str(hit.iloc[0]["city"]), str(hit.iloc[0]["city_en"])


def city_colors(names: Sequence[str]) -> dict[str, tuple]:
    """Input: city names in figure order. Output: name -> RGBA, tab10 (tab20 beyond ten cities)."""
    cmap = matplotlib.colormaps["tab10" if len(names) <= 10 else "tab20"]
    return {n: cmap(i % cmap.N) for i, n in enumerate(names)}


#: the columns of ``documents.csv`` that charts taking ``documents=`` read (through :func:`city_plan_info`)
PLAN_COLUMNS = ("city", "city_en", "plan_type", "horizon")


def plan_columns(documents: pd.DataFrame) -> pd.DataFrame:
    """Input: documents. Output: only its :data:`PLAN_COLUMNS`, the ones a chart's place headers are
    made from. Give a chart this instead of the whole table: a chart drawn only when its inputs change
    (``nb.figure``) is then not redrawn because a document's checksum or sentence count changed."""
    return documents.loc[:, [c for c in PLAN_COLUMNS if c in documents.columns]]


def city_plan_info(table: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """``city, city_en, plan_type, year`` per city, in city order -- from documents (plan horizon)
    when given, else from the indicator table (target year)."""
    if documents is not None and not documents.empty:
        d = documents.copy()
        d["year"] = pd.to_numeric(d.get("horizon"), errors="coerce")
    else:
        d = table.copy()
        d["year"] = pd.to_numeric(d.get("target_year"), errors="coerce")
    src = d[["city", "city_en", "plan_type", "year"]].drop_duplicates("city")
    return city_table(src).merge(src.drop(columns="city_en"), on="city", how="left")


def city_header(row: Mapping, lang: str) -> str:
    """Two-line column header of a city: name, then target year and plan type."""
    T = text(lang)
    year = "" if pd.isna(row.get("year")) else T["year"].format(y=int(row["year"]))
    plan = T["plan_short"][plan_kind(row.get("plan_type"))]
    return f"{city_name(row['city'], lang, row['city_en'])}\n{year} {plan}".rstrip()

"""Generate the analysis notebooks from this file, so they are reviewed as code.

    .venv/bin/python notebooks/build_notebooks.py          # (re)write notebooks/*.ipynb
    .venv/bin/python notebooks/build_notebooks.py --check  # exit 1 if a notebook is out of date

The notebooks are thin: a ``parameters`` cell (papermill), a setup cell, then calls into
``qualitylib`` with a markdown cell before every figure saying what it shows and how to read it.
They are written without outputs and with fixed cell ids, so regenerating them gives the same
bytes and a diff only shows real changes. Executed copies go to ``reports/`` (``qualitylib run``).
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------------------------
# shared cells
# --------------------------------------------------------------------------------------------
PARAMS_COMMON = '''\
# Parameters (papermill overrides this cell; see notebooks/params/*.yaml).
# Relative paths are relative to the project root (the folder with pyproject.toml), not to this folder.
raw_dir = "data/raw"                  # raw policy texts, used only if processed_dir is empty
processed_dir = "data/processed"      # tables written by the pipeline
figures_dir = "figures"               # figures are saved here as <name>_<lang>.<format>
cities = []                           # Chinese or pinyin names; empty list: all cities
figure_formats = ["png", "svg"]
lang = "zh"                           # "zh" or "en": language of figure text
seed = 20240601                       # random seed (bootstrap)
'''

SETUP = '''\
import logging

import pandas as pd
from IPython.display import Markdown, display

from qualitylib import figures as F
from qualitylib import style

ROOT = F.find_project_root()
PROCESSED = F.resolve_path(processed_dir, ROOT)
FIGURES = F.resolve_path(figures_dir, ROOT)
style.use_cjk_style(lang)
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "no bold face" notices
pd.set_option("display.max_colwidth", 120)
pd.set_option("display.width", 200)


def save(fig, name):
    """Save the figure as FIGURES/<name>_<lang>.<fmt>, show it, close it."""
    return F.save_and_show(fig, FIGURES, name, lang, figure_formats)
'''

INTRO_RUN = (
    "Run it from JupyterLab (`make lab`, then open this file from `notebooks/`) or, with everything "
    "else, through `qualitylib run` (papermill; parameters in `notebooks/params/*.yaml`, executed "
    "copies in `reports/`). Edit the **parameters** cell to change cities, language or output folders."
)


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    return cell


def params(extra: str = "") -> object:
    return code(PARAMS_COMMON + extra, tags=["parameters"])


# --------------------------------------------------------------------------------------------
# 01 indicator table
# --------------------------------------------------------------------------------------------
def nb01():
    return [
        md(f"""
# 01 · Indicator table 指标总表

Which quantitative targets does each city's quality-strong-city (质量强市) policy set, and how do they
map onto the common indicator codebook? This notebook shows the corpus, a coverage matrix, target
counts per indicator family and every extracted target with the sentence it was read from.

{INTRO_RUN}
"""),
        params(),
        code(SETUP + '''
tables = F.load_processed(PROCESSED, cities, raw_dir=F.resolve_path(raw_dir, ROOT))
documents, targets, table = tables["documents"], tables["targets"], tables["indicator_table"]
print(f"{len(documents)} documents, {len(targets)} extracted targets, {len(table)} city x indicator rows")
'''),
        md("""
## The documents 文件

One policy document per city. `horizon` is the year the plan's targets are for; `plan_type` says
whether it is an **annual** plan (年度计划, targets for the issue year) or a **multi-year** plan
(多年规划). The two kinds are not comparable one-to-one: an annual plan's target is a step, a
multi-year plan's target is a destination.
"""),
        code('''
display(documents[["doc_id", "city", "city_en", "province", "issuer", "issued", "horizon", "plan_type",
                   "n_sentences", "n_targets"]])
'''),
        md("""
## Coverage matrix 覆盖矩阵

**What it shows.** Rows are the indicators of the codebook (grouped by family: pass rates,
satisfaction, standards, brands, other); columns are cities, with their plan type and target year.
A coloured cell means the city's text sets at least one numeric target for that indicator; the number
in the cell is how many values it sets (a city can, for example, set both a level and an increment).

**How to read it.** Read down a column for a city's profile and across a row for how common an
indicator is. Empty rows are codebook indicators no city in this selection sets. Absence means *the
text sets no number for it* — not that the city ignores the topic (it may be mentioned without a
target; see notebook 03 for what the texts talk about).
"""),
        code('''
fig = F.plot_coverage_matrix(table, lang, codebook=tables["codebook"], documents=documents)
save(fig, "01_coverage_matrix")
'''),
        md("""
## Targets per indicator family 各类指标数量

**What it shows.** For each city, how many distinct indicators in each family carry a target.

**How to read it.** Compare bar heights within a family. Documents differ a lot in length and format
(an annual action plan lists tasks; a multi-year opinion lists goals), so a longer bar means *more
quantified* goals, not more effort or ambition.
"""),
        code('''
fig = F.plot_family_counts(table, lang, documents=documents)
save(fig, "01_family_counts")
'''),
        md("""
## Every target with its quote 全部目标及原文

Each row is one number the extractor read as a target, with the indicator phrase, the code it was
mapped to, comparator, unit, kind (level to reach, increment, annual growth, increase by) and target
year, plus the quote and raw line number so every value can be checked against the source text.
Rows coded `other` stay here but are not in the indicator table.
"""),
        code('''
cols = ["city", "line", "indicator", "code", "family", "series", "value", "value_hi", "unit", "comparator",
        "kind", "target_year", "plan_type", "quote"]
with pd.option_context("display.max_rows", None):
    display(targets[cols])
'''),
        md("""
## The indicator table 指标表

One headline row per city and indicator code (a `level` target is preferred over increments; then the
latest target year; then the first in the text). `n_values`, `min_value` and `max_value` show how
many values the city set for the code, so the choice is visible. This is the table notebooks 02 and
04 compare.
"""),
        code('''
with pd.option_context("display.max_rows", None):
    display(table[["city", "code", "series", "label_zh", "value", "value_hi", "unit", "comparator", "kind",
                   "target_year", "plan_type", "n_values", "min_value", "max_value", "line"]])
'''),
    ]


# --------------------------------------------------------------------------------------------
# 02 compare ambitions
# --------------------------------------------------------------------------------------------
def nb02():
    return [
        md(f"""
# 02 · Comparing ambitions 目标比较

How high do cities set the bar for the same indicator, and how do their targets relate to the national
targets of the same period? Three views: per-indicator comparison with the national reference, a
heatmap of relative ambition, and the counts of standards and brands on a log scale.

{INTRO_RUN}
"""),
        params('national_targets = "data/external/national_targets.csv"  # national reference targets\n'),
        code(SETUP + '''
tables = F.load_processed(PROCESSED, cities, raw_dir=F.resolve_path(raw_dir, ROOT))
documents, table = tables["documents"], tables["indicator_table"]
national = F.load_national(F.resolve_path(national_targets, ROOT))
print(f"{len(documents)} cities, {len(table)} city x indicator rows, {len(national)} national reference targets")
'''),
        md("""
## When is a comparison fair? 可比性

Two city targets are compared only when they share the indicator **code**, the measurement **series**
(e.g. a pass rate from supervision spot checks 监督抽查 is not pooled with one from routine monitoring
例行监测), the **unit** and the **kind** (a level to reach is not an increment). A national target is
used as a reference only when it has the same code **and** series and its horizon is within
±3 years of the city's target year. The table lists every comparable city target and the national
target matched to it (empty = none).
"""),
        code('''
comparable = F.match_national(F.comparable_groups(table, min_cities=2), national)
display(comparable[["city", "code", "series", "unit", "kind", "comparator", "value", "target_year", "plan_type",
                    "nat_value", "nat_horizon", "nat_source_zh"]])
'''),
        md("""
## Per-indicator comparison 分指标比较

**What it shows.** One panel per comparable indicator. Each dot is one city's target (circle =
multi-year plan, square = annual plan; the label gives the target and its year). A red vertical line is
the national target, drawn only across the rows of the cities it is comparable to; the note under each
panel names the national target and its horizon, or says there is no comparable national target.

**How to read it.** Compare positions within a panel. Annual and multi-year targets can share a panel
(same indicator and series) but are marked differently: a 2014 annual target is a different promise
from a 2020 multi-year one. Axes do not start at zero: pass-rate targets differ by a few points.
"""),
        code('''
fig = F.plot_indicator_comparison(table, national, lang)
save(fig, "02_indicator_comparison")
'''),
        md("""
## Ambition heatmap 相对雄心热图

**What it shows.** For every comparable indicator (row), the cities (columns) that set it are placed
on a common 0–1 scale **within that indicator**: the percentile rank of their target value (0 = lowest
target among them, 1 = highest, ties share the average rank; for "at most" targets lower counts as more
ambitious). The cell text is the target as written. Annual plans and multi-year plans are separate
panels and are scaled separately — they are never mixed.

**How to read it.** Rank-scaling makes rows comparable but throws away distances: 96.5% vs 95% and
30,000 vs 2 both become 1 vs 0. With two or three cities per row, a row says only who is higher. Read
a column for a city's overall posture, but expect ties and gaps.
"""),
        code('''
scores = F.ambition_scores(table, method="rank")
display(scores[["plan_type", "group", "city", "comparator", "value", "unit", "target_year", "n_cities", "score"]])
fig = F.plot_ambition_heatmap(table, lang, method="rank", documents=documents)
save(fig, "02_ambition_heatmap")
'''),
        md("""
## Standards and brands: counts on a log scale 标准与品牌数量（对数坐标）

**What it shows.** Targets that count things (standards to be set, famous brands, trademarks,
awards), one row per indicator and series, one colour per city. Filled dots are stocks to reach by the
target year; hollow dots are numbers newly added during the plan. The axis is logarithmic because the
values run from 2 to tens of thousands.

**How to read it.** Compare within a row only: a registered-trademark stock and a count of new group
standards measure different things. On a log axis equal distances are equal ratios (10 → 100 is as far
as 100 → 1,000). Growth rates in % are left out (they are not counts).
"""),
        code('''
fig = F.plot_counts_log(table, lang)
save(fig, "02_counts_log")
'''),
        md("""
## Caveats 说明

* Targets are extracted automatically; check surprising values against the quote (notebook 01).
* A city that sets no number for an indicator is missing from its panel and row, not "zero".
* National references come from `data/external/national_targets.csv`; if that file is absent every
  panel says that there is no comparable national target.
"""),
    ]


# --------------------------------------------------------------------------------------------
# 03 policy emphasis
# --------------------------------------------------------------------------------------------
def nb03():
    return [
        md(f"""
# 03 · Policy emphasis 政策侧重

What do the texts talk about, beyond the numbers? Every policy sentence is coded against a
dictionary of policy themes (`qualitylib/data/themes.csv`); a city's emphasis on a theme is the share of
its sentences that mention it. We then ask which cities have similar profiles — and how much of that
the data can actually support.

{INTRO_RUN}
"""),
        params('''n_boot = 1000                         # bootstrap replicates (shares and cluster stability)
method = "average"                    # hierarchical linkage method
metric = "cosine"                     # distance between theme-share profiles
top_n = 12                            # TF-IDF terms per city
'''),
        code(SETUP + '''
from qualitylib import emphasis as E
from qualitylib import plots as P

tables = F.load_processed(PROCESSED, cities, raw_dir=F.resolve_path(raw_dir, ROOT))
sentences = F.policy_sentences(tables["sentences"])
city_en = E.city_en_map(sentences)
coded = E.code_sentences(sentences)
boot = E.bootstrap_shares(coded, n_boot=n_boot, seed=seed)
wide = E.to_wide(boot)
n_cities = wide.shape[0]
display(sentences.groupby(["city", "city_en"]).size().rename("policy sentences").to_frame())
'''),
        md("""
## Theme shares with bootstrap intervals 主题占比及置信区间

**What it shows.** For each theme (row) and city (colour), the dot is the share of the city's policy
sentences that contain at least one of the theme's keywords; the bar is a 95% percentile bootstrap
interval from resampling the city's sentences (`n_boot` times).

**How to read it.** Overlapping bars mean the data cannot tell the cities apart on that theme. A
sentence may mention several themes, so a city's shares do not add up to 100%. A share of exactly 0
has a degenerate interval: read it as "not observed", not "certainly absent".
"""),
        code('''
fig = P.plot_theme_shares(boot, lang)
save(fig, "03_theme_shares")
'''),
        md("""
## TF-IDF: a dictionary-free second opinion TF-IDF 对照

**What it shows.** The character n-grams (2–4 characters; Chinese has no spaces) most specific to
each city, when each city's text is one document: high TF-IDF = frequent in this city, rare in the
others.

**How to read it.** If the dictionary themes are right, the distinctive terms should echo the themes
where a city stands out above. Place names and document-specific jargon also show up here — that is
expected and harmless; it is a check, not a result.
"""),
        code('''
if n_cities >= 2:
    tfidf = E.tfidf_profile(sentences, top_n=top_n)
    fig = P.plot_tfidf_terms(tfidf, lang)
    save(fig, "03_tfidf_terms")
else:
    print("TF-IDF needs at least two cities")
'''),
        md("""
## Hierarchical clustering 层次聚类

**What it shows.** A dendrogram of cities by their theme-share profiles. The linkage method and the
distance are named in the title: by default **average linkage** on **cosine distance**, which compares
the *shape* of a profile (what a city emphasises relative to its other themes), not its level.

**How to read it.** Cities that join at a small distance (left) have similar emphasis. The tree
always produces groups, even from noise — the next two sections ask whether the groups are real.
"""),
        code('''
if n_cities >= 2:
    Z, labels = E.cluster_cities(wide, method=method, metric=metric)
    fig = P.plot_dendrogram(Z, labels, method=method, metric=metric, lang=lang, city_en=city_en)
    save(fig, "03_dendrogram")
else:
    print("clustering needs at least two cities")
'''),
        md("""
## How many clusters? Silhouette over k 轮廓系数

**What it shows.** The mean silhouette width of the k-cluster cut of the tree, for every k from 2 to
n − 1 cities.

**How to read it.** Higher is better; above 0.5 is a reasonable structure, 0.25–0.5 weak, below 0.25
no substantial structure. With a handful of cities a single city moving changes the silhouette a lot.
The best k is used for the stability check below.
"""),
        code('''
sil = E.silhouette_by_k(wide, method=method, metric=metric) if n_cities >= 3 else None
if sil is not None and not sil.dropna(subset=["silhouette"]).empty:
    display(sil)
    best_k = int(sil.loc[sil["silhouette"].idxmax(), "k"])
    fig = P.plot_silhouette(sil, lang)
    save(fig, "03_silhouette")
else:
    best_k = None
    print("silhouette needs at least three cities")
'''),
        md("""
## Is the grouping stable? Bootstrap Jaccard 聚类稳定性

**What it shows.** For the best-k solution, each cluster's mean Jaccard similarity with its best match
after resampling sentences within each city and re-clustering (`n_boot` times; Hennig 2007).

**How to read it.** **≥ 0.75: stable**; 0.6–0.75: doubtful; **< 0.6: not to be trusted** — a cluster
below 0.6 dissolves under resampling and should not be interpreted. A one-city cluster that always
stays alone scores 1; whether a one-city "cluster" means anything is a separate question.
"""),
        code('''
if best_k is not None:
    jac = E.bootstrap_jaccard(coded, best_k, n_boot=n_boot, seed=seed, method=method, metric=metric)
    display(jac)
    fig = F.plot_jaccard_stability(jac, lang, k=best_k, city_en=city_en)
    save(fig, "03_jaccard_stability")
    for r in jac.itertuples():
        display(Markdown(f"* cluster {r.cluster} ({r.members}): mean Jaccard {r.mean_jaccard:.2f} -> **{r.reading}**"))
else:
    jac = None
    print("cluster stability needs at least three cities")
'''),
        md("""
## PCA biplot 主成分双标图

**What it shows.** Cities (points) in the plane of the first two principal components of the
theme-share matrix; arrows are themes (loadings, rescaled), labelled for the longest ones. Axis labels
give the share of variance each component explains.

**How to read it.** Cities far along an arrow mention that theme more than the others. With n cities
there are at most n − 1 components, so the first two always "explain" a lot — that is arithmetic, not
a finding.
"""),
        code('''
if n_cities >= 3:
    pca = E.pca_biplot_data(wide)
    fig = P.plot_pca_biplot(pca.scores, pca.loadings, pca.explained_variance_ratio, lang, city_en=city_en)
    save(fig, "03_pca_biplot")
else:
    print("a biplot needs at least three cities")
'''),
        md("""
## How much can a handful of documents support? 五份文件能说明什么

Plainly: **very little, about cities in general.** We have one document per city, chosen from what was
available, written in different years (2014–2019) for different horizons and in different genres
(annual action plans vs multi-year implementation opinions). The bootstrap intervals above only
capture *which sentences* a share rests on, not *which document* a city happened to publish, nor the
drafting office's style. Clusters of five objects are descriptive at best; a silhouette or Jaccard
value from five cities can move with one document. Use these results to describe *these texts* and to
choose what to read closely, not to classify cities or infer policy priorities.
"""),
        code('''
per_city = sentences.groupby("city").size()
stable = [] if jac is None else [r.members for r in jac.itertuples() if r.reading == "stable"]
lines = [
    f"* cities: **{n_cities}** (one document each); policy sentences per city: "
    f"{per_city.min()}–{per_city.max()}",
    f"* themes: {wide.shape[1]}; bootstrap replicates: {n_boot}",
]
if best_k is not None:
    lines.append(f"* best k by silhouette: {best_k} (silhouette {sil['silhouette'].max():.2f}); "
                 f"clusters rated stable: {'; '.join(stable) if stable else 'none'} -- stable under resampling "
                 "*sentences*, which says nothing about what other documents of the same cities would give")
lines.append("* with this few documents, treat every grouping as a description of these texts, not of the cities")
display(Markdown("\\n".join(lines)))
'''),
    ]


# --------------------------------------------------------------------------------------------
# 04 city profile
# --------------------------------------------------------------------------------------------
def nb04():
    return [
        md(f"""
# 04 · City profile 城市画像

One city at a glance: its document, the targets it sets (with quotes and comparable national targets),
its policy-theme emphasis against the other cities, and the cities whose emphasis is most similar.
`qualitylib run` executes this notebook once per city (`reports/04_city_profile_<city>.ipynb`).

{INTRO_RUN}
"""),
        params('''city = ""                             # Chinese or pinyin name; empty: the first city by pinyin
national_targets = "data/external/national_targets.csv"
n_boot = 1000                         # bootstrap replicates for the theme shares
'''),
        code(SETUP + '''
from qualitylib import emphasis as E

tables = F.load_processed(PROCESSED, [], raw_dir=F.resolve_path(raw_dir, ROOT))
documents = tables["documents"]
if not str(city).strip():
    city = documents.sort_values(["city_en", "city"])["city"].iloc[0]
doc = F.filter_cities(documents, [city]).iloc[0]
CITY, CITY_EN = doc["city"], doc["city_en"]
SLUG = F.city_slug(CITY_EN)
# the comparison pool: the `cities` parameter (empty = all), always including this city
pool = sorted(set(F.filter_cities(documents, cities)["city"]) | {CITY}) if cities else sorted(documents["city"])
table = tables["indicator_table"]
national = F.load_national(F.resolve_path(national_targets, ROOT))
print(f"{CITY} ({CITY_EN}); comparison pool: {', '.join(pool)}")
'''),
        md("""
## The document 文件

Title, issuer, dates and how the text was processed (encoding, repairs of garbled characters).
`horizon` is the year the targets are for; `plan_type` is annual or multi-year.
"""),
        code('''
display(doc.to_frame(name=CITY))
'''),
        md("""
## Targets 目标

**What it shows.** One row per indicator of the codebook that the city sets a target for: the
indicator, its measurement series, the target (comparator, value, unit; "(+n)" = n more values for the
same indicator), its kind and year, and the quote with its line in the raw file.

**How to read it.** These are the headline targets used in the cross-city comparisons. The full list
below the figure adds targets coded `other` and the national target matched to each row (same code and
series, horizon within ±3 years), when there is one.
"""),
        code('''
fig = F.plot_city_targets(table, CITY, lang, documents=documents)
save(fig, f"04_city_{SLUG}_targets")
mine = F.match_national(table[table["city"] == CITY], national)
display(mine[["code", "series", "comparator", "value", "value_hi", "unit", "kind", "target_year", "n_values",
              "nat_value", "nat_horizon", "nat_source_zh", "quote"]])
others = tables["targets"][(tables["targets"]["city"] == CITY) & (tables["targets"]["code"] == "other")]
print(f"{len(others)} further targets are coded 'other' (no common indicator):")
with pd.option_context("display.max_rows", None):
    display(others[["line", "indicator", "family", "value", "unit", "comparator", "kind", "quote"]])
'''),
        md("""
## Policy-theme emphasis 政策主题侧重

**What it shows.** For each theme, the share of the city's policy sentences mentioning it (dark dot)
with a 95% bootstrap interval (bar), against the shares of the other cities in the pool (grey dots).

**How to read it.** A theme where the city's whole interval lies to the right of the grey dots is a
theme this text stresses more than the others; overlapping intervals mean no clear difference.
"""),
        code('''
sentences = F.policy_sentences(tables["sentences"])
sentences = sentences[sentences["city"].isin(pool)]
city_en = E.city_en_map(sentences)
coded = E.code_sentences(sentences)
boot = E.bootstrap_shares(coded, n_boot=n_boot, seed=seed)
fig = F.plot_city_emphasis(boot, CITY, lang)
save(fig, f"04_city_{SLUG}_emphasis")
'''),
        md("""
## Nearest peers 最相近的城市

**What it shows.** The other cities ranked by the cosine similarity of their theme-share profile with
this city's (1 = identical emphasis).

**How to read it.** Read the order, not the size of the gaps: all texts share a lot of common
vocabulary, so similarities are high. With a handful of cities "nearest" only means nearest *among
these*; see notebook 03 for whether any grouping is stable.
"""),
        code('''
wide = E.to_wide(E.theme_shares(coded))
if wide.shape[0] >= 2:
    peers = F.nearest_peers(wide, CITY)
    display(peers.assign(peer_en=peers["peer"].map(city_en)))
    fig = F.plot_nearest_peers(peers, CITY, lang, city_en=city_en)
    save(fig, f"04_city_{SLUG}_peers")
else:
    print("no other city in the pool to compare with")
'''),
    ]


# --------------------------------------------------------------------------------------------
NOTEBOOKS = {
    "01_indicator_table.ipynb": nb01,
    "02_compare_ambitions.ipynb": nb02,
    "03_policy_emphasis.ipynb": nb03,
    "04_city_profile.ipynb": nb04,
}


def build(name: str) -> str:
    """Output: the notebook ``name`` as JSON text (no outputs, fixed cell ids)."""
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (qualitylib)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = NOTEBOOKS[name]()
    stem = name.split("_")[0]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"nb{stem}-{i:02d}"
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name in NOTEBOOKS:
        text = build(name)
        path = HERE / name
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print(f"out of date (run notebooks/build_notebooks.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

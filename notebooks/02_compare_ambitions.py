# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (qualitylib)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Comparing ambitions 目标比较
#
# How high do cities set the bar for the same indicator, and how do their targets relate to the national
# targets of the same period? Three views: per-indicator comparison with the national reference, a
# heatmap of relative ambition, and the counts of standards and brands on a log scale.
#
# Run it from JupyterLab (`make lab`, then open this file from `notebooks/`) or, with everything else, through `qualitylib run` (papermill; parameters in `notebooks/params/*.yaml`, executed copies in `reports/`). Edit the **parameters** cell to change cities, language or output folders.

# %% tags=["parameters"]
# Parameters (papermill overrides this cell; see notebooks/params/*.yaml).
# Relative paths are relative to the project root (the folder with pyproject.toml), not to this folder.
processed_dir = "data/processed"      # tables written by the pipeline (`qualitylib run`)
figures_dir = "figures"               # figures are saved here as <name>_<lang>.<format>
cities = []                           # Chinese or pinyin names; empty list: all cities
figure_formats = ["png", "svg"]
lang = "zh"                           # "zh" or "en": language of figure text
seed = 20240601                       # random seed (bootstrap)
national_targets = "data/external/national_targets.csv"  # national reference targets

# %%
from IPython.display import display

from qualitylib import notebook, viz
from qualitylib.analysis.comparability import ambition_scores, comparable_groups, match_national
from qualitylib.analysis.indicator_table import comparison_view, latest_plans
from qualitylib.tables import load_national

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
tables = nb.load(cities)
documents = tables["documents"]
# whole-jurisdiction rows of each place's latest plan: a sector's target is not the place's target
table = comparison_view(tables["indicator_table"], documents)
national = load_national(nb.path(national_targets))
print(f"{len(documents)} plans, {len(table)} comparable indicator rows, {len(national)} national reference targets")

# %% [markdown]
# ## When is a comparison fair? 可比性
#
# Two city targets are compared only when they share the indicator **code**, the measurement **series**
# (e.g. a pass rate from supervision spot checks 监督抽查 is not pooled with one from routine monitoring
# 例行监测), the **unit**, the **kind** (a level to reach is not an increment) and the **scope**: only
# targets for the whole jurisdiction, from each place's latest plan (a sector's or each county's target
# is not the place's; an older plan of the same place is another promise). A national target is
# used as a reference only when it has the same code **and** series and its horizon is within
# ±3 years of the city's target year. The table lists every comparable city target and the national
# target matched to it (empty = none).

# %%
comparable = match_national(comparable_groups(table, min_cities=2), national)
display(comparable[["city", "code", "series", "unit", "kind", "comparator", "value", "target_year", "plan_type",
                    "nat_value", "nat_horizon", "nat_source_zh"]])

# %% [markdown]
# ## Per-indicator comparison 分指标比较
#
# **What it shows.** One panel per comparable indicator. Each dot is one city's target (circle =
# multi-year plan, square = annual plan; the label gives the target and its year). A red vertical line is
# the national target, drawn only across the rows of the cities it is comparable to; the note under each
# panel names the national target and its horizon, or says there is no comparable national target.
#
# **How to read it.** Compare positions within a panel. Annual and multi-year targets can share a panel
# (same indicator and series) but are marked differently: a 2014 annual target is a different promise
# from a 2020 multi-year one. Axes do not start at zero: pass-rate targets differ by a few points.

# %%
fig = viz.indicator_comparison_figure(table, national, lang=lang)
nb.save(fig, "02_indicator_comparison")

# %% [markdown]
# ## Ambition heatmap 相对雄心热图
#
# **What it shows.** For every comparable indicator (row), the cities (columns) that set it are placed
# on a common 0–1 scale **within that indicator**: the percentile rank of their target value (0 = lowest
# target among them, 1 = highest, ties share the average rank; for "at most" targets lower counts as more
# ambitious). The cell text is the target as written. Annual plans and multi-year plans are separate
# panels and are scaled separately — they are never mixed.
#
# **How to read it.** Rank-scaling makes rows comparable but throws away distances: 96.5% vs 95% and
# 30,000 vs 2 both become 1 vs 0. With two or three cities per row, a row says only who is higher. Read
# a column for a city's overall posture, but expect ties and gaps.

# %%
scores = ambition_scores(table, method="rank")
display(scores[["plan_type", "group", "city", "comparator", "value", "unit", "target_year", "n_cities", "score"]])
fig = viz.ambition_heatmap_figure(table, lang=lang, method="rank", documents=latest_plans(documents))
nb.save(fig, "02_ambition_heatmap")

# %% [markdown]
# ## Standards and brands: counts on a log scale 标准与品牌数量（对数坐标）
#
# **What it shows.** Targets that count things (standards to be set, famous brands, trademarks,
# awards), one row per indicator and series, one colour per city. Filled dots are stocks to reach by the
# target year; hollow dots are numbers newly added during the plan. The axis is logarithmic because the
# values run from 2 to tens of thousands.
#
# **How to read it.** Compare within a row only: a registered-trademark stock and a count of new group
# standards measure different things. On a log axis equal distances are equal ratios (10 → 100 is as far
# as 100 → 1,000). Growth rates in % are left out (they are not counts).

# %%
fig = viz.counts_log_figure(table, lang=lang)
nb.save(fig, "02_counts_log")

# %% [markdown]
# ## Caveats 说明
#
# * Targets are extracted automatically; check surprising values against the quote (notebook 01).
# * A city that sets no number for an indicator is missing from its panel and row, not "zero".
# * National references come from `data/external/national_targets.csv`; if that file is absent every
#   panel says that there is no comparable national target.

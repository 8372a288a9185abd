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
# How high do cities set the bar, measured against a reference rather than against each other? With two
# or three cities per indicator a rank says little (scores can only be 0, ½ or 1), so the main view puts
# each city target beside its **references**: the national target of the same indicator, the target of
# the parent jurisdiction (province or prefecture) when its plan is in the corpus, the national value
# actually reached (2023), and the city's own baseline where the text states one. Then the per-indicator
# comparison across cities and the counts of standards and brands on a log scale.
#
# Run it from JupyterLab (`make lab`, then open this file from `notebooks/`) or, with everything else, through `qualitylib run` (papermill; parameters in `notebooks/params/*.yaml`, executed copies in `reports/`). Edit the **parameters** cell to change cities, language or output folders.

# %% tags=["parameters"]
# Parameters (papermill overrides this cell; see notebooks/params/*.yaml).
# Relative paths are relative to the project root (the folder with pyproject.toml), not to this folder.
processed_dir = "data/processed"      # tables written by the pipeline (`qualitylib run`)
figures_dir = "figures"               # figures are saved here as <name>_<lang>.<format>
cities = []                           # Chinese or pinyin names; empty list: all cities
figure_formats = ["png"]                # add "svg" (or "pdf") for vector copies
lang = "zh"                           # "zh" or "en": language of figure text
seed = 20240601                       # random seed (bootstrap)
national_targets = "data/external/national_targets.csv"  # national reference targets
national_plans = "data/external/national_plans.csv"      # which national plan is which (文号, what it carries out)
national_actuals = "data/external/national_actuals.csv"  # national values actually reached (secondary source)
national_actuals_codes = "data/external/national_actuals_codes.csv"  # their indicator codes and series

# %%
from IPython.display import display

from qualitylib import notebook, viz
from qualitylib.analysis.comparability import comparable_groups, match_national
from qualitylib.analysis.indicator_table import comparison_view
from qualitylib.analysis.reference_gaps import (
    HORIZON_WINDOW,
    cited_plans,
    load_national_actuals,
    load_national_plans,
    reference_gaps,
)
from qualitylib.tables import load_national

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
tables = nb.load(cities)
documents = tables["documents"]
# whole-jurisdiction rows of each place's latest plan: a sector's target is not the place's target
table = comparison_view(tables["indicator_table"], documents)
national = load_national(nb.path(national_targets))
plans = load_national_plans(nb.path(national_plans))
actuals = load_national_actuals(nb.path(national_actuals), nb.path(national_actuals_codes))
print(f"{len(documents)} plans, {len(table)} whole-jurisdiction indicator rows of the latest plans, "
      f"{len(national)} national reference targets, {len(actuals)} national actuals")

# %% [markdown]
# ## Which national plan does each document implement? 所执行的国家规划
#
# A document that names the national plan it implements (by its 文号 or title) is matched to that plan's
# targets. When that plan has no numbers in our reference file but carries out another plan that has
# (`implements` in `data/external/national_plans.csv`), the latter's targets are used, and the table says
# so. Every national row says whether its number was checked against the primary text
# (`checked_against_primary`): none was, because the reference file was compiled without network access
# from secondary sources (see `data/external/README.md`).

# %%
citations = cited_plans(tables["sentences"], plans, national)
display(citations[["doc_id", "plan_title_zh", "doc_number", "targets_plan_title_zh", "note"]])
display(national[["source_zh", "horizon", "indicator_zh", "code", "series", "comparator", "value", "unit",
                  "checked_against_primary"]])

# %% [markdown]
# ## Gap to the reference 与参照值的差距
#
# **Comparability grades.** A reference is a target (or measured value) of the same indicator **code**,
# **unit** and **kind** (a level to reach; not an increment). Its grade:
#
# * **same**: the same measurement series (e.g. both supervision spot checks 监督抽查), and the years
#   differ by at most 2;
# * **related**: a different series listed as related in `qualitylib/data/related_series.csv` (e.g. a
#   spot-check pass rate against an overall product pass rate), years at most 2 apart;
# * **far**: same or related series, but the years are more than 2 apart (or unknown).
#
# Series that are not related (routine monitoring against an overall rate) are never compared. Among several
# national targets the document's own plan comes first, then the best grade, the same series, the nearest
# year. The parent jurisdiction's target is that of the nearest ancestor (county → prefecture → province)
# whose plan is in the corpus.
#
# **Gaps.** For rates, city target minus reference in **percentage points**; for pass rates also the
# **failure-rate ratio** (100 − city) / (100 − reference): 98% against 96% allows **half the failures**
# (×0.5), which the 2-point gap hides. It is undefined when the reference is 100% (there is nothing to
# halve). Scores (分) are compared in points, counts as a ratio. For "at most" targets the sign is flipped,
# so right of zero always means the city asks more.

# %%
gaps = reference_gaps(table, national=national, documents=documents, actuals=actuals, citations=citations)
nb.show_table(gaps[["city", "code", "series", "comparator", "value", "target_year", "ref_level", "ref_source_zh",
              "ref_series", "ref_value", "ref_year", "plan_cited", "ref_checked", "grade", "gap", "failure_ratio",
              "ambition", "note"]])
n_parent = int((gaps["ref_level"] == "parent").sum())
print(f"{gaps.drop_duplicates(['doc_id', 'code', 'series', 'kind', 'unit']).shape[0]} city targets have a reference; "
      f"{int((gaps['ref_level'] == 'national').sum())} a national target "
      f"({', '.join(f'{k}: {v}' for k, v in gaps[gaps['ref_level'] == 'national']['grade'].value_counts().items())}), "
      f"{n_parent} a parent jurisdiction's target, {int((gaps['ref_level'] == 'baseline').sum())} a stated baseline.")
if n_parent == 0:
    print("No parent jurisdiction's plan is in the corpus: no target has a provincial or prefectural reference.")

# %% [markdown]
# **What it shows.** One row per city target that has a reference. Left: city target minus reference
# (red diamond = national target, blue triangle = parent jurisdiction, black circle = national value
# actually reached in 2023, green square = own baseline); the label gives the reference value and year,
# `*` = national number not checked against the primary text, `†` = the national plan the document says it
# implements. Right, for pass rates: the failure-rate ratio on a log axis (×0.5 = half the failures of the
# reference). Filled markers are graded *same*, half-filled *related*, hollow *far*.
#
# **How to read it.** Trust filled markers most; a hollow marker compares promises made for years far
# apart. The national actual is context, not a target: a 2020 city target below the 2023 national value
# was not demanding by 2023 standards. National actuals come from a newspaper report (secondary source,
# `data/external/national_actuals.csv`).

# %%
nb.figure("02_reference_gaps", viz.reference_gaps_figures, gaps, lang=lang, window=HORIZON_WINDOW)

# %% [markdown]
# ## Per-indicator comparison 分指标比较
#
# **What it shows.** One panel per indicator that at least two places set with the same code, series,
# unit and kind. Each dot is one place's target (circle = multi-year plan, square = annual plan; the label
# gives the target and its year). A red vertical line is the national target of the **same** series within
# ±3 years, drawn only across the rows it applies to; the note under each panel names it, or says there is
# none (the gap figure above also shows related-series and distant references, graded).
#
# **How to read it.** Compare positions within a panel. Axes do not start at zero: pass-rate targets
# differ by a few points.

# %%
comparable = match_national(comparable_groups(table, min_cities=2), national)
nb.show_table(comparable[["city", "code", "series", "unit", "kind", "comparator", "value", "target_year", "plan_type",
                    "nat_value", "nat_horizon", "nat_source_zh", "nat_checked"]])
nb.figure("02_indicator_comparison", viz.indicator_comparison_figures, table, national, lang=lang)

# %% [markdown]
# ## Relative ambition heatmap 相对雄心热图
#
# A percentile rank within an indicator means something only when enough places share it; the heatmap is
# drawn only for indicators set by at least five places (same code, series, unit, kind and plan type).

# %%
shared = comparable_groups(table, min_cities=5, by_plan=True)
if shared.empty:
    print("No indicator is set by five or more places with the same series, unit, kind and plan type: "
          "no heatmap (the gap to the reference above is the comparison).")
else:
    nb.figure("02_ambition_heatmap", viz.ambition_heatmap_figures, table, lang=lang, method="rank",
              min_cities=5, documents=viz.plan_columns(documents))

# %% [markdown]
# ## Standards and brands: counts on a log scale 标准与品牌数量（对数坐标）
#
# **What it shows.** Whole-jurisdiction targets that count things (standards to be set, famous brands,
# trademarks, awards) from each place's latest plan, one row per indicator and series, one colour per
# place. Filled dots are stocks to reach by the target year; hollow dots are numbers newly added during
# the plan. The axis is logarithmic because the values run from 2 to tens of thousands.
#
# **How to read it.** Compare within a row only: a registered-trademark stock and a count of new group
# standards measure different things. On a log axis equal distances are equal ratios (10 → 100 is as far
# as 100 → 1,000). Growth rates in % are left out (they are not counts).

# %%
nb.figure("02_counts_log", viz.counts_log_figure, table, lang=lang)

# %% [markdown]
# ## Caveats 说明
#
# * Targets are extracted automatically; check surprising values against the quote (notebook 01).
# * A place that sets no number for an indicator is missing from its row, not "zero".
# * National targets come from `data/external/national_targets.csv` and none has been checked against
#   the primary text; national actuals are from a secondary source. Verify before citing.
# * Wenzhou's 2014 plan implements the State Council General Office's 2014 action plan for the quality
#   development outline; our file holds no numbers of that action plan, so Wenzhou is compared with the
#   2015 targets of the outline it carries out.

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
# # 01 · Indicator table 指标总表
#
# Which quantitative targets does each city's quality-strong-city (质量强市) policy set, and how do they
# map onto the common indicator codebook? This notebook shows the corpus, a coverage matrix, target
# counts per indicator family and every extracted target with the sentence it was read from.
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

# %%
from qualitylib import notebook, viz
from qualitylib.analysis.indicator_table import comparison_view, latest_plans

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
tables = nb.load(cities)
documents, targets, table = tables["documents"], tables["targets"], tables["indicator_table"]
# what the cross-city figures compare: whole-jurisdiction rows of each jurisdiction's latest plan
view = comparison_view(table, documents)
print(f"{len(documents)} plans, {len(targets)} extracted targets, {len(table)} indicator-table rows, "
      f"{len(view)} of them in the comparison view")

# %% [markdown]
# ## The documents 文件
#
# One row per plan (a policy document of one jurisdiction: a province, city, district or county). A place
# with several plans has several rows; they are never merged. `horizon` is the year the plan's targets are for; `plan_type` says
# whether it is an **annual** plan (年度计划, targets for the issue year) or a **multi-year** plan
# (多年规划). The two kinds are not comparable one-to-one: an annual plan's target is a step, a
# multi-year plan's target is a destination.

# %%
nb.show_table(documents[["doc_id", "city", "city_en", "province", "issuer", "issued", "horizon", "plan_type",
                    "n_sentences", "n_targets"]], csv="data/processed/documents.csv")

# %% [markdown]
# ## Coverage matrix 覆盖矩阵
#
# **What it shows.** Rows are the indicators of the codebook (grouped by family: pass rates,
# satisfaction, standards, brands, other); columns are places, with their plan type and target year.
# A coloured cell means the plan sets at least one numeric target for the whole place for that indicator;
# the number in the cell is how many values it sets (a plan can, for example, set both a level and an
# increment). Only each place's latest plan and only whole-jurisdiction targets are shown: a sector's or
# each county's target is in the table below but is not the place's target.
#
# **How to read it.** Read down a column for a city's profile and across a row for how common an
# indicator is. Empty rows are codebook indicators no city in this selection sets. Absence means *the
# text sets no number for it* — not that the city ignores the topic (it may be mentioned without a
# target; see notebook 03 for what the texts talk about).

# %%
nb.figure("01_coverage_matrix", viz.coverage_matrix_figures, view, lang=lang, codebook=tables["codebook"],
          documents=viz.plan_columns(latest_plans(documents)))

# %% [markdown]
# ## Targets per indicator family 各类指标数量
#
# **What it shows.** For each city, how many distinct indicators in each family carry a target.
#
# **How to read it.** Compare bar heights within a family. Documents differ a lot in length and format
# (an annual action plan lists tasks; a multi-year opinion lists goals), so a longer bar means *more
# quantified* goals, not more effort or ambition.

# %%
nb.figure("01_family_counts", viz.family_counts_figure, view, lang=lang,
          documents=viz.plan_columns(latest_plans(documents)))

# %% [markdown]
# ## Every target with its quote 全部目标及原文
#
# Each row is one number the extractor read as a target, with the indicator phrase, the code it was
# mapped to, comparator, unit, kind (level to reach, increment, annual growth, increase by) and target
# year, plus the quote and raw line number so every value can be checked against the source text.
# Rows coded `other` stay here but are not in the indicator table.

# %%
cols = ["city", "line", "indicator", "code", "family", "series", "value", "value_hi", "unit", "comparator",
        "kind", "target_year", "plan_type", "quote"]
nb.show_table(targets[cols], csv="data/processed/targets.csv")

# %% [markdown]
# ## The indicator table 指标表
#
# One row per plan, indicator code, measurement series, scope (whole jurisdiction, a sector, or each
# unit), kind (level, increment, growth, change) and unit: nothing in a row is pooled. When a plan states
# several values with exactly the same key, the row shows the one for the latest target year, then the
# first in the text; `n_values`, `min_value` and `max_value` show what the row holds. `baseline` is the
# starting value where the text states one. Notebooks 02 and 04 compare these rows.

# %%
nb.show_table(table[["city", "doc_id", "code", "series", "scope", "subject", "label_zh", "value", "value_hi", "unit",
                    "comparator", "kind", "target_year", "baseline", "plan_type", "n_values", "min_value", "max_value",
                    "line"]], csv="data/processed/indicator_table.csv")

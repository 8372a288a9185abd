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
# # 04 · City profile 城市画像
#
# One city at a glance: its document, the targets it sets (with quotes and comparable national targets),
# its policy-theme emphasis against the other cities, and the cities whose emphasis is most similar.
# `qualitylib run` executes this notebook once per city (`reports/04_city_profile_<city>.ipynb`).
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
plan = ""                             # doc_id of the plan to profile; empty: see `city`
city = ""                             # Chinese or pinyin name: its latest plan; both empty: the first plan by pinyin
national_targets = "data/external/national_targets.csv"
n_boot = 1000                         # bootstrap replicates for the theme shares

# %%
import pandas as pd
from IPython.display import display

from qualitylib import notebook, viz
from qualitylib.analysis import themes
from qualitylib.analysis.comparability import match_national, nearest_peers
from qualitylib.tables import filter_cities, load_national, pick_plan, plan_slugs, policy_sentences

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
tables = nb.load()
documents = tables["documents"]
doc = pick_plan(documents, plan=plan, city=city)
PLAN, CITY, CITY_EN = doc["doc_id"], doc["city"], doc["city_en"]
SLUG = plan_slugs(documents)[PLAN]
# the comparison pool: the `cities` parameter (empty = all), always including this city
pool = sorted(set(filter_cities(documents, cities)["city"]) | {CITY}) if cities else sorted(documents["city"])
table = tables["indicator_table"]
plan_table = table[table["doc_id"] == PLAN]  # this plan only: another plan of the same place is another plan
national = load_national(nb.path(national_targets))
print(f"{CITY} ({CITY_EN}), plan {PLAN} ({doc['plan_type']}, horizon {doc['horizon']}); comparison pool: {', '.join(pool)}")

# %% [markdown]
# ## The document 文件
#
# Title, issuer, dates and how the text was processed (encoding, repairs of garbled characters).
# `horizon` is the year the targets are for; `plan_type` is annual or multi-year.

# %%
display(doc.to_frame(name=CITY))

# %% [markdown]
# ## Targets 目标
#
# **What it shows.** One row per row of the indicator table for this plan: an indicator of the codebook,
# its measurement series, whose target it is (scope: the whole jurisdiction, a sector, or each unit), the
# target (comparator, value, unit; "(+n)" = n more values with exactly the same key), its kind and year,
# and the quote with its line in the raw file. Another plan of the same place has its own profile.
#
# **How to read it.** Jurisdiction-scope rows are the ones the cross-city comparisons use; sector and
# per-unit rows say what the plan promises for a part of the place. The full list below the figure adds
# the starting value where the text states one, the national target matched to each row (same code and
# series, horizon within ±3 years), and the targets coded `other`.

# %%
fig = viz.city_targets_figure(plan_table, CITY, lang=lang, documents=documents[documents["doc_id"] == PLAN])
nb.save(fig, f"04_city_{SLUG}_targets")
mine = match_national(plan_table, national)
display(mine[["code", "series", "scope", "subject", "comparator", "value", "value_hi", "unit", "kind", "target_year",
              "baseline", "n_values", "nat_value", "nat_horizon", "nat_source_zh", "quote"]])
others = tables["targets"][(tables["targets"]["doc_id"] == PLAN) & (tables["targets"]["code"] == "other")]
print(f"{len(others)} further targets are coded 'other' (no common indicator):")
with pd.option_context("display.max_rows", None):
    display(others[["line", "indicator", "family", "value", "unit", "comparator", "kind", "quote"]])

# %% [markdown]
# ## Policy-theme emphasis 政策主题侧重
#
# **What it shows.** For each theme, the share of the city's policy sentences about it (dark dot) with a 95%
# block-bootstrap interval (bar: whole sections resampled, since a section's sentences share a topic),
# against the shares of the other cities in the pool (grey dots). A grey dot ringed in black is a city whose
# difference from this one is credible after correcting for every city-pair × theme comparison
# (Benjamini–Hochberg, 5%; notebook 03 shows all of them).
#
# **How to read it.** Only the rings say that two texts differ; overlapping or separate bars do not. Title,
# document number, addressees, dates and lead-agency notes are not counted as policy sentences.

# %%
from qualitylib.analysis import differences  # noqa: E402

sentences = policy_sentences(tables["sentences"])
sentences = sentences[sentences["city"].isin(pool)]
city_en = themes.city_en_map(sentences)
coded = themes.code_sentences(sentences)
boot = themes.bootstrap_shares(coded, n_boot=n_boot, seed=seed)
diffs = differences.pairwise_differences(coded, seed=seed) if coded["city"].nunique() >= 2 else None
fig = viz.city_emphasis_figure(boot, CITY, lang=lang, differences=diffs)
nb.save(fig, f"04_city_{SLUG}_emphasis")

# %% [markdown]
# ## Nearest peers 最相近的城市
#
# **What it shows.** The other cities ranked by the cosine similarity of their theme-share profile with
# this city's (1 = identical emphasis).
#
# **How to read it.** Read the order, not the size of the gaps: all texts share a lot of common
# vocabulary, so similarities are high. With a handful of cities "nearest" only means nearest *among
# these*; notebook 03 says whether the documents can support any grouping of cities at all.

# %%
wide = themes.to_wide(themes.theme_shares(coded))
if wide.shape[0] >= 2:
    peers = nearest_peers(wide, CITY)
    display(peers.assign(peer_en=peers["peer"].map(city_en)))
    fig = viz.nearest_peers_figure(peers, CITY, lang=lang, city_en=city_en)
    nb.save(fig, f"04_city_{SLUG}_peers")
else:
    print("no other city in the pool to compare with")

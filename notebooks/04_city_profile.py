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
# `qualitylib run` makes the same profile for every plan, as an HTML page (`reports/04_city_profile_<plan>.html`)
# with the same figures, from tables it reads once (`qualitylib.profiles`); this notebook shows one of them.
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
plan = ""                             # doc_id of the plan to profile; empty: see `city`
city = ""                             # Chinese or pinyin name: its latest plan; both empty: the first plan by pinyin
national_targets = "data/external/national_targets.csv"
n_boot = 1000                         # bootstrap replicates for the theme shares

# %%
from IPython.display import display

from qualitylib import notebook, profiles
from qualitylib.tables import filter_cities, load_national, policy_sentences

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
tables = nb.load()
# the comparison pool: the `cities` parameter (empty = all); its statistics are the run's stored ones
# (data/processed/stats/) unless the pool or the parameters differ from the run's
stats = nb.statistics(dict(seed=seed, n_boot=n_boot), cities=cities,
                      sentences=lambda: policy_sentences(filter_cities(tables["sentences"], cities)))
profile = profiles.profile_inputs(tables, stats, load_national(nb.path(national_targets)), plan=plan, city=city,
                                  cities=cities)
doc, CITY = profile.doc, profile.city
figures = profiles.profile_figures(profile, lang)
print(f"{CITY} ({doc['city_en']}), plan {doc['doc_id']} ({doc['plan_type']}, horizon {doc['horizon']}); "
      f"comparison pool: {len(profile.pool)} cities")

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
nb.save(figures["targets"], profiles.figure_stem(profile.slug, "targets"))
nb.show_table(profile.with_national[[c for c in profiles.TARGET_COLUMNS if c in profile.with_national]],
              csv="data/processed/indicator_table.csv")
print(f"{len(profile.others)} further targets are coded 'other' (no common indicator):")
nb.show_table(profile.others[profiles.OTHER_COLUMNS], csv="data/processed/targets.csv")

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
if "emphasis" in figures:
    nb.save(figures["emphasis"], profiles.figure_stem(profile.slug, "emphasis"))
else:
    print("this plan has no policy sentences to code")

# %% [markdown]
# ## Nearest peers 最相近的城市
#
# **What it shows.** The cities whose theme-share profile is most similar to this city's (cosine
# similarity; 1 = identical emphasis), the closest ten at most.
#
# **How to read it.** Read the order, not the size of the gaps: all texts share a lot of common
# vocabulary, so similarities are high. "Nearest" only means nearest *among the cities in the corpus*;
# notebook 03 says whether the documents can support any grouping of cities at all.

# %%
if "peers" in figures:
    display(profile.peers.assign(peer_en=profile.peers["peer"].map(profile.city_en)))
    nb.save(figures["peers"], profiles.figure_stem(profile.slug, "peers"))
else:
    print("no other city in the pool to compare with")

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
# # 03 · Policy emphasis 政策侧重
#
# What do the texts talk about, beyond the numbers? Every policy sentence is coded against a
# dictionary of policy themes (`qualitylib/data/themes.csv`); a city's emphasis on a theme is the share of
# its sentences that mention it. We then ask which cities have similar profiles — and how much of that
# the data can actually support.
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
n_boot = 1000                         # bootstrap replicates (shares and cluster stability)
method = "average"                    # hierarchical linkage method
metric = "cosine"                     # distance between theme-share profiles
top_n = 12                            # TF-IDF terms per city

# %%
import pandas as pd
from IPython.display import Markdown, display

from qualitylib import notebook, viz
from qualitylib.analysis import clustering, themes, tfidf
from qualitylib.tables import policy_sentences

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
tables = nb.load(cities)
sentences = policy_sentences(tables["sentences"])
city_en = themes.city_en_map(sentences)
coded = themes.code_sentences(sentences)
boot = themes.bootstrap_shares(coded, n_boot=n_boot, seed=seed)
wide = themes.to_wide(boot)
n_cities = wide.shape[0]
display(sentences.groupby(["city", "city_en"]).size().rename("policy sentences").to_frame())

# %% [markdown]
# ## Theme shares with bootstrap intervals 主题占比及置信区间
#
# **What it shows.** For each theme (row) and city (colour), the dot is the share of the city's policy
# sentences that contain at least one of the theme's keywords; the bar is a 95% percentile bootstrap
# interval from resampling the city's sentences (`n_boot` times).
#
# **How to read it.** Overlapping bars mean the data cannot tell the cities apart on that theme. A
# sentence may mention several themes, so a city's shares do not add up to 100%. A share of exactly 0
# has a degenerate interval: read it as "not observed", not "certainly absent".

# %%
fig = viz.theme_shares_figure(boot, lang=lang)
nb.save(fig, "03_theme_shares")

# %% [markdown]
# ## TF-IDF: a dictionary-free second opinion TF-IDF 对照
#
# **What it shows.** The character n-grams (2–4 characters; Chinese has no spaces) most specific to
# each city, when each city's text is one document: high TF-IDF = frequent in this city, rare in the
# others.
#
# **How to read it.** If the dictionary themes are right, the distinctive terms should echo the themes
# where a city stands out above. Place names and document-specific jargon also show up here — that is
# expected and harmless; it is a check, not a result.

# %%
if n_cities >= 2:
    terms = tfidf.tfidf_profile(sentences, top_n=top_n)
    fig = viz.tfidf_terms_figure(terms, lang=lang)
    nb.save(fig, "03_tfidf_terms")
else:
    print("TF-IDF needs at least two cities")

# %% [markdown]
# ## Hierarchical clustering 层次聚类
#
# **What it shows.** A dendrogram of cities by their theme-share profiles. The linkage method and the
# distance are named in the title: by default **average linkage** on **cosine distance**, which compares
# the *shape* of a profile (what a city emphasises relative to its other themes), not its level.
#
# **How to read it.** Cities that join at a small distance (left) have similar emphasis. The tree
# always produces groups, even from noise — the next two sections ask whether the groups are real.

# %%
if n_cities >= 2:
    Z, labels = clustering.cluster_cities(wide, method=method, metric=metric)
    fig = viz.dendrogram_figure(Z, labels, method=method, metric=metric, lang=lang, city_en=city_en)
    nb.save(fig, "03_dendrogram")
else:
    print("clustering needs at least two cities")

# %% [markdown]
# ## How many clusters? Silhouette over k 轮廓系数
#
# **What it shows.** The mean silhouette width of the k-cluster cut of the tree, for every k from 2 to
# n − 1 cities.
#
# **How to read it.** Higher is better; above 0.5 is a reasonable structure, 0.25–0.5 weak, below 0.25
# no substantial structure. With a handful of cities a single city moving changes the silhouette a lot.
# The best k is used for the stability check below.

# %%
sil = clustering.silhouette_by_k(wide, method=method, metric=metric) if n_cities >= 3 else None
if sil is not None and not sil.dropna(subset=["silhouette"]).empty:
    display(sil)
    best_k = int(sil.loc[sil["silhouette"].idxmax(), "k"])
    fig = viz.silhouette_figure(sil, lang=lang)
    nb.save(fig, "03_silhouette")
else:
    best_k = None
    print("silhouette needs at least three cities")

# %% [markdown]
# ## Is the grouping stable? Bootstrap Jaccard 聚类稳定性
#
# **What it shows.** For the best-k solution, each cluster's mean Jaccard similarity with its best match
# after resampling sentences within each city and re-clustering (`n_boot` times; Hennig 2007).
#
# **How to read it.** **≥ 0.75: stable**; 0.6–0.75: doubtful; **< 0.6: not to be trusted** — a cluster
# below 0.6 dissolves under resampling and should not be interpreted. A one-city cluster that always
# stays alone scores 1; whether a one-city "cluster" means anything is a separate question.

# %%
if best_k is not None:
    jac = clustering.bootstrap_jaccard(coded, best_k, n_boot=n_boot, seed=seed, method=method, metric=metric)
    display(jac)
    fig = viz.jaccard_stability_figure(jac, lang=lang, k=best_k, city_en=city_en)
    nb.save(fig, "03_jaccard_stability")
    for r in jac.itertuples():
        display(Markdown(f"* cluster {r.cluster} ({r.members}): mean Jaccard {r.mean_jaccard:.2f} -> **{r.reading}**"))
else:
    jac = None
    print("cluster stability needs at least three cities")

# %% [markdown]
# ## PCA biplot 主成分双标图
#
# **What it shows.** Cities (points) in the plane of the first two principal components of the
# theme-share matrix; arrows are themes (loadings, rescaled), labelled for the longest ones. Axis labels
# give the share of variance each component explains.
#
# **How to read it.** Cities far along an arrow mention that theme more than the others. With n cities
# there are at most n − 1 components, so the first two always "explain" a lot — that is arithmetic, not
# a finding.

# %%
if n_cities >= 3:
    pca = clustering.pca_biplot_data(wide)
    fig = viz.pca_biplot_figure(pca.scores, pca.loadings, pca.explained_variance_ratio, lang=lang, city_en=city_en)
    nb.save(fig, "03_pca_biplot")
else:
    print("a biplot needs at least three cities")

# %% [markdown]
# ## How much can a handful of documents support? 五份文件能说明什么
#
# Plainly: **very little, about cities in general.** We have one document per city, chosen from what was
# available, written in different years (2014–2019) for different horizons and in different genres
# (annual action plans vs multi-year implementation opinions). The bootstrap intervals above only
# capture *which sentences* a share rests on, not *which document* a city happened to publish, nor the
# drafting office's style. Clusters of five objects are descriptive at best; a silhouette or Jaccard
# value from five cities can move with one document. Use these results to describe *these texts* and to
# choose what to read closely, not to classify cities or infer policy priorities.

# %%
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
display(Markdown("\n".join(lines)))

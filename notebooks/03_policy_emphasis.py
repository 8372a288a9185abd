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
# What do the texts talk about, beyond the numbers? Every policy sentence is coded with the policy themes
# it is about (`qualitylib/data/themes.csv`: keywords, exclusions, and rules for names, headings, agency
# notes and front matter); a city's emphasis on a theme is the share of its policy sentences about it. We
# first check the coding against a hand coding, then ask how precisely the shares are known, which
# differences between cities the texts support, and whether any grouping of cities can be defended.
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
seed = 20240601                       # random seed (bootstraps, cross-validation)
n_boot = 1000                         # bootstrap replicates (theme shares, cluster stability)
n_boot_diff = 20000                   # replicates for the differences (corrected levels reach far into the tails)
block_depth = 2                       # sections are resampled at this depth of the section path
correction = "bh"                     # multiple-comparison correction of the differences: "bh" or "holm"
alpha = 0.05                          # error rate that correction controls
method = "average"                    # hierarchical linkage method
metric = "cosine"                     # distance between theme-share profiles
top_n = 12                            # TF-IDF terms per city
theme_gold = "data/annotations/themes_dev.csv"  # hand-coded sentences the theme coding is checked against
cv_repeats = 10                       # repeats of 5-fold cross-validation of the supervised model

# %%
import pandas as pd
from IPython.display import Markdown, display

from qualitylib import notebook, viz
from qualitylib.analysis import clustering, theme_evaluation, themes
from qualitylib.tables import policy_sentences

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
# of the documents, only what the clusters are compared with: a run redoes this notebook when these
# columns, the sentences' themes or the statistics change, not when a target's number does
tables = nb.load(cities, columns={"documents": ["city", "plan_type", "issued", "horizon"]})
# computed once per run by `qualitylib run` (data/processed/stats/); computed here only when this
# notebook asks for other parameters or a subset of the cities
stats = nb.statistics(dict(seed=seed, n_boot=n_boot, n_boot_diff=n_boot_diff, block_depth=block_depth,
                           correction=correction, alpha=alpha, method=method, metric=metric, top_n=top_n),
                      cities=cities, sentences=lambda: policy_sentences(tables["sentences"]))
boot = stats["theme_shares"]
city_en = themes.city_en_map(boot)
wide = themes.to_wide(boot)
n_cities = wide.shape[0]
# the tree and its checks take the places with a sentence on some theme: an all-zero profile (a notice
# with no policy content, say) has no distance to anything
clustered, no_profile = clustering.clusterable(wide, metric)
if no_profile:
    print(f"left out of the clustering (no policy sentence on any theme): {', '.join(no_profile)}")
nb.show_table(stats["sentence_scope"].pivot_table(index=["city", "city_en"], columns="scope", values="n_sentences",
                                                  aggfunc="sum", fill_value=0))

# %% [markdown]
# ## Does the coding agree with a hand coding? 主题编码的准确度
#
# **What it shows.** `data/annotations/themes_dev.csv` holds sentences of the five seed documents coded by
# hand by two independent coders (rules in `THEMES.md`). The first table compares coding methods by
# cross-validation: `keywords` (every keyword as a plain substring — the coder as it was), the rules
# without and with section headings (`dictionary`), and a supervised model (character n-grams plus the
# dictionary's verdicts, logistic regression per theme) scored only on sentences it was not fitted on
# (5-fold CV stratified by document, repeated; and leave-one-document-out). The figure gives precision,
# recall and F1 per theme for the method in use.
#
# **How to read it.** F1 near 1 means the coding matches the hand coding. Rules have nothing to fit, so
# their score is the same in every fold — but they were written while reading this sample's
# disagreements, so it is optimistic; a second hand-coded sample, held back, measures them fairly. The
# method in use is the one with the best cross-validated macro F1; the model is kept only as a check.

# %%
gold_path = nb.path(theme_gold)
if gold_path.is_file():
    gold = theme_evaluation.load_theme_gold(gold_path)
    cv = nb.theme_check(gold_path, seed=seed, n_repeats=cv_repeats)  # stored by the run, shared with the release
    display(cv.summary.round(3))
    best = cv.summary.sort_values(["macro_f1", "fitted"], ascending=[False, True], kind="mergesort").iloc[0]
    chosen = theme_evaluation.CHOSEN_METHOD
    display(Markdown(
        f"Best cross-validated macro F1: **{best['method']}** ({best['macro_f1']:.3f}, {best['scheme']}); "
        f"method in use: **{chosen}**" + ("" if best["method"] == chosen else
                                          " — cross-validation now prefers another method: revisit the choice")))
    per_theme = cv.per_theme[(cv.per_theme["method"] == chosen) & (cv.per_theme["scheme"] == "kfold")]
    display(per_theme.drop(columns=["method", "scheme"]).round(3))
    nb.figure("03_theme_accuracy", viz.theme_accuracy_figure, per_theme, lang=lang, method=chosen,
              n_sentences=len(gold))
else:
    print(f"{gold_path} not found: the theme coding is not checked in this run")

# %% [markdown]
# ## Theme shares with block-bootstrap intervals 主题占比及置信区间
#
# **What it shows.** For each theme (row) and city (colour), the dot is the share of the city's policy
# sentences about the theme; the bar is a 95% percentile interval from a **block bootstrap**: whole sections
# (cut at `block_depth` levels of headings) are resampled within each city, `n_boot` times. Themes come in
# sections — a section on consumer goods is a run of consumer-goods sentences — so resampling single
# sentences would treat them as independent and make the intervals too narrow. The table below says by how
# much the blocks widen them.
#
# **How to read it.** A wide bar means the share rests on one or two sections. Whether two cities differ is
# *not* read from overlapping bars: that is the next section. A sentence may be about several themes, so a
# city's shares do not add up to 100%. A share of exactly 0 has a degenerate interval: "not observed", not
# "certainly absent".

# %%
nb.figure("03_theme_shares", viz.theme_shares_figure, boot, lang=lang)
naive = stats["theme_shares_sentence"]
width = boot.assign(block=boot["hi"] - boot["lo"], sentence=naive["hi"] - naive["lo"])
width = width[width["sentence"] > 0].assign(ratio=lambda d: d["block"] / d["sentence"])
nb.show_table(width.groupby(["city", "city_en"])
        .agg(blocks=("n_blocks", "first"), median_widening=("ratio", "median"), max_widening=("ratio", "max"))
        .round(2))
display(Markdown(f"Block-bootstrap intervals are **{width['ratio'].median():.1f}×** as wide as sentence-level ones "
                 f"(median over city × theme; middle half {width['ratio'].quantile(0.25):.1f}–"
                 f"{width['ratio'].quantile(0.75):.1f}×)."))

# %% [markdown]
# ## Which differences between cities are credible? 城市间差异
#
# **What it shows.** Every city pair × theme difference of shares, with a block-bootstrap interval (both
# cities' sections resampled `n_boot_diff` times) **corrected for the number of comparisons**: with five
# cities and fifteen themes there are 150, and at a 5% level seven or eight would look "significant" by chance.
# The default correction is Benjamini–Hochberg (false discovery rate `alpha`) with false-coverage-rate
# intervals (Benjamini & Yekutieli), so an interval excludes 0 exactly when the difference is credible;
# `correction = "holm"` controls the family-wise error instead (Bonferroni intervals).
#
# **How to read it.** Coloured: a credible difference, in the colour of the city that talks more about the
# theme. Hollow: a difference that would pass a single test at `alpha` but not the correction — these are the
# ones overlapping-bar reading gets wrong.

# %%
if n_cities >= 2:
    diffs = stats["theme_differences"]
    nb.figure("03_differences", viz.differences_figure, diffs, lang=lang, city_en=city_en)
    credible = diffs[diffs["credible"]]
    nominal = diffs[(diffs["p"] < alpha) & ~diffs["credible"]]
    display(Markdown(f"**{len(credible)}** of {len(diffs)} differences are credible after correction "
                     f"({correction}, {alpha:.0%}); {len(nominal)} more have p < {alpha} before it."))
    nb.show_table(pd.concat([credible, nominal])[["city_a", "city_b", "theme", "share_a", "share_b", "diff", "lo", "hi",
                                            "p", "p_adj", "credible"]].round(3))
else:
    diffs = None
    print("differences need at least two cities")

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
    terms = stats["tfidf_terms"]
    nb.figure("03_tfidf_terms", viz.tfidf_terms_figures, terms, lang=lang)
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
if len(clustered) >= 2:
    Z, labels = clustering.cluster_cities(clustered, method=method, metric=metric)
    nb.figure("03_dendrogram", viz.dendrogram_figure, Z, labels, method=method, metric=metric, lang=lang,
              city_en=city_en)
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
sil = stats["silhouette"] if len(clustered) >= 3 else None
if sil is not None and not sil.dropna(subset=["silhouette"]).empty:
    display(sil)
    best_k = int(sil.loc[sil["silhouette"].idxmax(), "k"])
    nb.figure("03_silhouette", viz.silhouette_figure, sil, lang=lang)
else:
    best_k = None
    print("silhouette needs at least three cities")

# %% [markdown]
# ## Can the data support a grouping? Stability against chance 聚类稳定性
#
# **What it shows.** Hennig's clusterboot for the best-k solution: the *documents* are drawn with
# replacement `n_boot` times and re-clustered; each cluster's mean Jaccard similarity with its best match is
# its stability. Beside it, the same statistic for **random partitions with the same cluster sizes** — the
# chance level, which with few documents is high.
#
# **How to read it.** A cluster means something only if it clearly beats the random partitions. Below
# eight documents no reading is given at all: a single document moves every number, and clusters are then a
# description of these texts, nothing more. The table after the figure asks whether the clusters simply
# reproduce the plan type (annual vs multi-year) or the year of issue.

# %%
verdict = "not supported"
if best_k is not None:
    stability = stats["cluster_stability"].drop(columns="k")
    display(stability.round(3))
    nb.figure("03_cluster_stability", viz.cluster_stability_figure, stability, lang=lang, k=best_k,
              city_en=city_en)
    verdict = clustering.clustering_verdict(stability)
    cut = dict(zip(labels, clustering.cut_clusters(Z, best_k)))
    docs = tables["documents"].drop_duplicates("city").set_index("city")
    agreement = pd.DataFrame({
        attribute: clustering.partition_agreement(cut, docs[column].astype(str).str[:4].to_dict()
                                                  if column == "issued" else docs[column].to_dict())
        for attribute, column in (("plan type", "plan_type"), ("year issued", "issued"), ("plan horizon", "horizon"))
    }).T
    display(agreement)
    lines = [f"* documents: **{n_cities}**; clustering: **{verdict}**"
             + (f" — below {clustering.MIN_DOCUMENTS} documents no cluster is graded, whatever the numbers"
                if n_cities < clustering.MIN_DOCUMENTS else "")]
    for attribute, r in agreement.iterrows():
        if r["same_partition"]:
            lines.append(f"* the {best_k} clusters **are** the {attribute} groups (adjusted Rand {r['adjusted_rand']:.2f})")
        elif r["pure"]:
            lines.append(f"* every cluster holds a single {attribute} (adjusted Rand {r['adjusted_rand']:.2f}; "
                         f"{r['p_random']:.0%} of random partitions agree as well): the grouping follows {attribute}")
        else:
            lines.append(f"* the clusters cut across {attribute} (adjusted Rand {r['adjusted_rand']:.2f})")
    display(Markdown("\n".join(lines)))
else:
    stability = None
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
    nb.figure("03_pca_biplot", viz.pca_biplot_figure, pca.scores, pca.loadings, pca.explained_variance_ratio,
              lang=lang, city_en=city_en)
else:
    print("a biplot needs at least three cities")

# %% [markdown]
# ## How much can a handful of documents support? 五份文件能说明什么
#
# Plainly: **very little, about cities in general.** We have one document per city, chosen from what was
# available, written in different years (2014–2019) for different horizons and in different genres
# (annual action plans vs multi-year implementation opinions). The block bootstrap captures *which
# sections* a share rests on, not *which document* a city happened to publish, nor the drafting office's
# style. Use these results to describe *these texts* and to choose what to read closely, not to classify
# cities or infer policy priorities.

# %%
scope_counts = stats["sentence_scope"]
per_city = scope_counts[scope_counts["scope"] == "policy sentence"].groupby("city")["n_sentences"].sum()
lines = [
    f"* cities: **{n_cities}** (one document each); policy sentences per city: {per_city.min()}–{per_city.max()}",
    f"* themes: {wide.shape[1]}; block-bootstrap replicates: {n_boot} (differences: {n_boot_diff})",
]
if diffs is not None:
    lines.append(f"* credible differences between cities after correction: {int(diffs['credible'].sum())} "
                 f"of {len(diffs)}")
if best_k is not None:
    lines.append(f"* best k by silhouette: {best_k} (silhouette {sil['silhouette'].max():.2f}); "
                 f"clustering: **{verdict}** — resampling the documents against random partitions of the same sizes")
lines.append("* with this few documents, treat every grouping as a description of these texts, not of the cities")
display(Markdown("\n".join(lines)))

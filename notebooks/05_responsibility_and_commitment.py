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
# # 05 · Responsibility and commitment 责任分工与承诺的具体程度
#
# Who is to do the work, and how checkable are the promises? Most tasks in these plans end with a
# responsible-agency note — `（市质监局牵头,市发改委、市经信委等按职责分工负责）` — which the text layer keeps
# in `sentences.csv` (`agencies`). This notebook reads those notes: it normalises agency names to a short
# canonical list (`qualitylib/data/agencies.csv`), tells the **lead** agency (牵头) from **co-responsible**
# ones (配合, 参与, 按职责分工负责) and from **blanket** assignments (各县(市、区), 各成员单位), and shows which
# agencies lead which policy themes. It then measures how concrete the commitments are — the share of task
# sentences with a number, a deadline and a named agency — the pledge-specificity measure of the manifesto
# literature applied to plans, and the mix of target kinds. Last, it asks how far local targets follow the
# level above: whether they copy, exceed or fall short of the parent's and the national number, and how
# one place's targets change from plan to plan.
#
# **The 2018 reform.** In 2018 the quality-supervision (质监), industry-and-commerce (工商) and food-and-drug
# (食药监) bureaus merged into market regulation (市场监管局), and 经信委, 农业局, 环保局, 国土局, 卫计委 and
# 检验检疫 got successors too. City bureaus changed between late 2018 and spring 2019, so the rule here is: a
# plan **issued before 2019-01-01** is pre-reform and keeps its names as written; a later plan is
# post-reform. The parameter `agency_names` says how agencies are grouped: `by_date` (as written before the
# cut-off, the successor after), `written` or `successor` (comparable across years).
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
seed = 20240601                       # random seed (bootstraps)
n_boot = 1000                         # bootstrap replicates (concreteness shares, target kinds)
block_depth = 2                       # sections are resampled at this depth of the section path
agency_names = "by_date"              # "by_date", "written" or "successor": how agency names are grouped
network_min_tasks = 5                 # network: agency-theme lines with at least this many tasks
network_agencies = 15                 # network: the agencies with most tasks
min_sentences = 5                     # concreteness figure: themes with at least this many sentences in a city
national_targets = "data/external/national_targets.csv"  # national reference targets (vertical alignment)

# %%
from IPython.display import Markdown, display

from qualitylib import notebook
from qualitylib.analysis import agencies, concreteness, themes
from qualitylib.tables import policy_sentences
from qualitylib.viz import responsibility as charts

nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir, figure_formats=figure_formats)
tables = nb.load(cities)
documents = tables["documents"]
sentences = policy_sentences(tables["sentences"])
# nb.computed: the result of an analysis step is stored by its inputs, so the other language's run (and the
# next run, for steps whose inputs did not change) reads it instead of computing it again
coded = nb.computed(themes.code_sentences, sentences)
tasks = nb.computed(agencies.task_table, sentences)
rows = nb.computed(agencies.agency_rows, tasks, documents, names=agency_names)
period = documents[["city", "city_en", "issued", "plan_type"]].assign(
    period=documents["issued"].map(agencies.reform_period))
nb.show_table(period)

# %% [markdown]
# ## How notes are read 责任说明的解析
#
# Every distinct note, with each agency as written, its canonical code, its post-2018 successor and its
# role. Rules: agencies in a clause with 牵头 lead; a note naming exactly one agency responsible
# (`市住建委负责`) makes it the lead; 配合/参与/按职责分工负责 and plain `A、B等部门负责` are co-responsible (no
# lead named — we do not assume that the first-listed agency leads, since no plan says so); 各县(市、区),
# 相关县(市、区)政府 and 各成员单位 are blanket assignments. A few notes with nested brackets that the text
# layer leaves inside the sentence are recovered here.

# %%
parsed = rows.drop_duplicates(["city", "written", "role"])[["city", "written", "code", "successor", "role", "period"]]
print(f"{rows['task_id'].nunique()} tasks with a note, {len(rows)} agency mentions, "
      f"{rows['written'].nunique()} distinct names -> {rows['code'].nunique()} canonical codes "
      f"({rows['successor'].nunique()} after the 2018 reform); unmatched names: "
      f"{sorted(rows.loc[rows['code'] == 'other', 'written'].unique()) or 'none'}")
changed = rows[rows["code"] != rows["successor"]].drop_duplicates(["city", "code"])
nb.show_table(changed[["city", "period", "written", "code", "successor"]].sort_values(["city", "code"]))

# %% [markdown]
# ## Lead, co-responsible, blanket 牵头、配合与笼统分派
#
# **What it shows.** Per city, the share of tasks (runs of policy sentences of one section sharing a note)
# that carry an agency note; of those, the share that name a lead agency; and the share handed in blanket
# to every county or to all member units.
#
# **How to read it.** These are counts of a whole document, not samples: a city at 0% named leads writes
# its notes without 牵头, it does not mean its agencies are idle. The style of the note is a drafting
# convention of each government (Tai'an lists `A、B等部门负责`; Yinchuan opens every note with
# 各县(市)区人民政府), so differences here are differences of drafting style first.

# %%
shares = nb.computed(agencies.lead_shares, tasks, rows)
nb.show_table(shares.round(3))
nb.figure("05_lead_shares", charts.lead_shares_figures, shares, lang=lang)

# %% [markdown]
# ## Which agencies lead which themes 牵头部门 × 主题
#
# **What it shows.** For each city whose notes name leads, rows are lead agencies and columns policy themes
# (`themes.csv`); a cell counts the tasks the agency leads that are about the theme. A task is about a theme
# when any of its sentences is coded with it, so one task can count in several columns.
#
# **How to read it.** Read along a row for an agency's portfolio and down a column for who carries a theme.
# With `agency_names = "by_date"`, 市质监局 of a pre-2019 plan stays the quality-supervision bureau; switch
# to `"successor"` to read it as market regulation.

# %%
lead_counts = nb.computed(agencies.agency_theme_counts, rows, tasks, coded, roles=("lead",))
labels = agencies.agency_labels(lang)
if not lead_counts.empty:
    by_city = lead_counts.groupby(["city", "agency"])["n_tasks"].sum().rename("lead_task_themes").reset_index()
    nb.show_table(by_city.assign(agency=by_city["agency"].map(lambda a: labels.get(a, a))))
nb.figure("05_agency_theme_matrix", charts.agency_theme_matrix_figures, lead_counts, lang=lang,
          names=agency_names)

# %% [markdown]
# ## Agency–theme network 部门—主题二部网络
#
# **What it shows.** A bipartite graph (networkx) of agencies and themes over all cities: a line joins an
# agency to a theme when the agency leads or shares tasks about it, its width the number of such tasks;
# dark lines include led tasks. Only lines with at least `network_min_tasks` tasks and the
# `network_agencies` agencies with most tasks are drawn.
#
# **How to read it.** Agencies and themes are sorted by weight, top to bottom. The market-regulation /
# quality bureau sits on nearly every theme; line-ministry bureaus (housing, agriculture, environment)
# attach to their own theme. Co-responsible lists are long, so most lines are co-responsibility.

# %%
all_counts = nb.computed(agencies.agency_theme_counts, rows, tasks, coded, roles=("lead", "co"))
graph = agencies.agency_theme_graph(all_counts, leads=lead_counts, min_tasks=network_min_tasks)
print(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} lines")
nb.figure("05_agency_theme_network", charts.agency_theme_network_figure, graph, lang=lang,
          names=agency_names, min_tasks=network_min_tasks, max_agencies=network_agencies)

# %% [markdown]
# ## Agencies that lead in one city and are absent in another 一地牵头、另一地缺席的部门
#
# One row per agency and city where the agency leads tasks somewhere (cities and counts in `leads_in`) and
# is named nowhere in that city's notes. Grouped by the post-2018 successor, so a renamed bureau is not
# mistaken for an absent one; with only three cities naming leads, most rows say more about drafting than
# about who does the work.

# %%
rows_successor = nb.computed(agencies.agency_rows, tasks, documents, names="successor")
presence = agencies.presence_table(rows_successor)
nb.show_table(presence.assign(agency=presence["agency"].map(lambda a: labels.get(a, a))))

# %% [markdown]
# ## How concrete the commitments are 承诺的具体程度
#
# **What it shows.** For each theme (rows; "all" first) and city (colour), the share of task sentences that
# carry a number (digits, a percentage, or a Chinese numeral with a measure word; not years, list numbers or
# 第三批), a deadline (a year of completion, 年底, 年内, 上半年 …) and a named responsible agency (the task's
# note names at least one agency that is not a blanket). Bars are 95% block-bootstrap intervals: whole
# sections are resampled within each city, as for the emphasis shares in notebook 03.
#
# **How to read it.** A sentence is concrete on a dimension when one could later check it: "raise the pass
# rate to 96% by 2020, led by the quality bureau" is concrete on all three. Annual plans (Wenzhou 2014,
# Yichang 2018) carry their deadline in the title, not in each sentence, so their deadline shares are low by
# construction. Wide bars rest on one or two sections.

# %%
flags = nb.computed(concreteness.sentence_flags, sentences, documents)
conc = nb.computed(concreteness.concreteness_shares, flags, coded, n_boot=n_boot, seed=seed, block_depth=block_depth)
overall = conc[conc["theme"] == "all"].pivot_table(index=["city", "city_en"], columns="measure", values="share")
display(overall.round(3))
nb.figure("05_concreteness", charts.concreteness_figure, conc, lang=lang, min_n=min_sentences)

# %% [markdown]
# ## The mix of target kinds 量化目标的类型
#
# **What it shows.** Of each city's extracted quantitative targets (`targets.csv`), the share that are
# levels (达到96%), increments (新增3项), changes (提高2个百分点) and annual growth rates (年均增长8%), with
# block-bootstrap intervals (targets resampled by section).
#
# **How to read it.** Levels can be checked against a statistic; increments need the base count too. A city
# with three targets (the legend gives the counts) has intervals that span almost everything.

# %%
mix = nb.computed(concreteness.kind_mix, tables["targets"], n_boot=n_boot, seed=seed, block_depth=block_depth)
nb.show_table(mix.pivot_table(index="city", columns="kind", values="n_targets", aggfunc="sum"))
nb.figure("05_target_kinds", charts.kind_mix_figure, mix, lang=lang)

# %% [markdown]
# ## Vertical alignment 上下级目标的衔接
#
# **What it shows.** For every whole-jurisdiction target of each place's latest plan: the same indicator's
# target one level up — the parent jurisdiction's plan when it is in the corpus (a county's city, a city's
# province), and the national target — and whether the local target **copies** it, **exceeds** it (asks more;
# for an "at most" target, lower) or **falls short**, with the gap in the target's unit and the comparability
# grade (same series and years within 2 / related series / years far apart; see notebook 02). Then, for a
# place with several plans, how each target changed from one plan to the next.
#
# **How to read it.** The share of local targets that simply repeat the parent's number is a measure of how
# much a plan is written from the level above. With no parent plan in the corpus only the national
# comparison can be made, and the summary says so by its count.

# %%
from qualitylib.analysis import vertical_alignment as va
from qualitylib.analysis.indicator_table import comparison_view
from qualitylib.analysis.reference_gaps import reference_gaps
from qualitylib.tables import load_national

view = comparison_view(tables["indicator_table"], documents)
alignment = va.vertical_alignment(reference_gaps(view, national=load_national(nb.path(national_targets)),
                                                 documents=documents))
summary = va.repetition_summary(alignment)
nb.show_table(summary)
n_parent = int(summary.set_index("ref_level").at["parent", "targets"])
display(Markdown(
    f"{n_parent} local target(s) could be compared with a parent jurisdiction's plan"
    + ("" if n_parent else " — no plan of a parent jurisdiction (a province for these cities) is in the corpus; "
       "add one to `data/raw/` and the comparison appears here")
    + f"; {int(summary.set_index('ref_level').at['national', 'targets'])} with a national target."))
nb.show_table(alignment)
changes = va.changes_over_time(tables["indicator_table"], documents)
display(Markdown(f"Places with more than one plan: {changes['place'].nunique()}."
                 + ("" if len(changes) else " Each place has one plan here, so no change over time can be read.")))
if len(changes):
    nb.show_table(changes)

# %% [markdown]
# ## What five documents can and cannot support 五份文件能说明什么
#
# * **Can:** describe each plan exactly — who it names as lead, how often it hands work to every county,
#   how many of its task sentences carry a number or a date. These are counts of whole documents, and the
#   parsing of every note is listed above for checking.
# * **Cannot:** say that one *city* assigns responsibility differently from another. Each city is one plan,
#   written by one drafting office in one year; the note style (牵头 or not, 各县(市、区) first or not) is a
#   drafting convention, and two of five plans name no lead at all. The bootstrap intervals cover the
#   variation between sections of a plan, not between plans or drafters.
# * **Cannot:** test the 2018 reform. Three plans are pre-reform and two post-reform, with different
#   provinces and plan types; any difference between the groups is confounded with everything else.
# * **Needs more data:** a larger sample of plans (several per city and year) before agency × theme
#   patterns or concreteness differences can be attributed to cities, regions or the reform.

# %%
n_lead_cities = int((shares["n_lead"] > 0).sum())
display(Markdown(
    f"In this run: {len(shares)} cities, {int(shares['n_tasks'].sum())} tasks; {n_lead_cities} of them name a lead "
    f"agency in at least one note; {int(period['period'].eq('pre_reform').sum())} plan(s) issued before the reform "
    f"cut-off ({agencies.REFORM_DATE})."))

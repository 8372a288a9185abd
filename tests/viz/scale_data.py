"""Synthetic inputs for the cross-city figures at scale: ``n`` places (default 300), deterministic for
``seed``, shaped like the real tables (``data/processed/*.csv``) and like what the notebooks build from
them (indicator table -> comparison view, theme shares, TF-IDF terms, clustering, differences, peers,
responsibility tables). Cheap analysis steps are run for real (clustering, PCA, peers, reference
gaps); expensive ones (bootstraps, pairwise differences) are drawn directly in their output shape.

Use::

    data = scale_inputs(300)      # dict of frames, cached per (n, seed)
"""
from __future__ import annotations

import functools
import itertools

import numpy as np
import pandas as pd

# (code, family, series, kind, unit, comparator, low, high): the shapes of the seeds' indicator rows
_TARGETS = [
    ("agri_product_pass_rate", "pass_rate", "routine_monitoring", "level", "%", ">=", 95, 99.5),
    ("agri_product_pass_rate", "pass_rate", "sampling_inspection", "level", "%", ">=", 95, 99),
    ("agri_standardization_rate", "other", "adoption", "level", "%", ">=", 50, 80),
    ("construction_acceptance_pass_rate", "pass_rate", "acceptance", "level", "%", ">=", 98, 100),
    ("consumer_goods_standard_consistency", "other", "consistency", "level", "%", ">=", 85, 98),
    ("drug_pass_rate", "pass_rate", "sampling_inspection", "level", "%", ">=", 96, 99.5),
    ("engineering_quality_award", "brands", "provincial", "increment", "个", ">=", 2, 40),
    ("famous_brand_products", "brands", "provincial", "level", "个", ">=", 20, 600),
    ("food_pass_rate", "pass_rate", "sampling_inspection", "level", "%", ">=", 95, 99),
    ("food_pass_rate", "pass_rate", "supervision_spot_check", "level", "%", ">=", 95, 99),
    ("food_safety_satisfaction", "satisfaction", "survey_percent", "level", "%", ">=", 75, 95),
    ("geographical_indications", "brands", "trademark", "level", "件", ">=", 5, 120),
    ("government_quality_award", "brands", "municipal", "level", "家", ">=", 2, 20),
    ("madrid_trademarks", "brands", "count", "level", "件", ">=", 10, 800),
    ("manufacturing_product_pass_rate", "pass_rate", "supervision_spot_check", "level", "%", ">=", 92, 98),
    ("manufacturing_product_pass_rate", "pass_rate", "overall", "level", "%", ">=", 90, 96),
    ("metrology_standards", "other", "citywide", "level", "个", ">=", 30, 400),
    ("prefab_building_share", "other", "share_of_new_buildings", "level", "%", ">=", 15, 50),
    ("public_service_satisfaction", "satisfaction", "survey_percent", "level", "%", ">=", 75, 92),
    ("registered_trademarks", "brands", "count", "level", "件", ">=", 5000, 200000),
    ("registered_trademarks", "brands", "count", "annual_growth", "%", ">=", 5, 15),
    ("service_satisfaction", "satisfaction", "index_score", "level", "分", ">=", 70, 88),
    ("service_satisfaction", "satisfaction", "survey_percent", "level", "%", ">=", 80, 95),
    ("standards_group", "standards", "count", "increment", "项", ">=", 5, 200),
    ("standards_international", "standards", "count", "increment", "项", ">=", 1, 20),
    ("standards_local", "standards", "count", "increment", "项", ">=", 5, 150),
    ("standards_mixed", "standards", "count", "increment", "项", ">=", 2, 60),
    ("standards_national_industry", "standards", "count", "increment", "项", ">=", 2, 80),
    ("well_known_trademarks", "brands", "count", "level", "件", ">=", 5, 300),
]

_PROVINCES = [("北京市", "Beijing"), ("天津市", "Tianjin"), ("河北省", "Hebei"), ("山西省", "Shanxi"),
              ("内蒙古自治区", "Inner Mongolia"), ("辽宁省", "Liaoning"), ("吉林省", "Jilin"),
              ("黑龙江省", "Heilongjiang"), ("上海市", "Shanghai"), ("江苏省", "Jiangsu"), ("浙江省", "Zhejiang"),
              ("安徽省", "Anhui"), ("福建省", "Fujian"), ("江西省", "Jiangxi"), ("山东省", "Shandong"),
              ("河南省", "Henan"), ("湖北省", "Hubei"), ("湖南省", "Hunan"), ("广东省", "Guangdong"),
              ("广西壮族自治区", "Guangxi"), ("海南省", "Hainan"), ("重庆市", "Chongqing"), ("四川省", "Sichuan"),
              ("贵州省", "Guizhou"), ("云南省", "Yunnan"), ("西藏自治区", "Tibet"), ("陕西省", "Shaanxi"),
              ("甘肃省", "Gansu"), ("青海省", "Qinghai"), ("宁夏回族自治区", "Ningxia"),
              ("新疆维吾尔自治区", "Xinjiang")]
_SYL = [("泰", "Tai"), ("安", "an"), ("温", "Wen"), ("州", "zhou"), ("宜", "Yi"), ("昌", "chang"), ("银", "Yin"),
        ("川", "chuan"), ("芜", "Wu"), ("湖", "hu"), ("长", "Chang"), ("沙", "sha"), ("南", "Nan"), ("宁", "ning"),
        ("佛", "Fo"), ("山", "shan"), ("无", "Wu"), ("锡", "xi"), ("嘉", "Jia"), ("兴", "xing"), ("绍", "Shao"),
        ("德", "de"), ("江", "jiang"), ("阳", "yang"), ("乌", "Wu"), ("鲁", "lu"), ("木", "mu"), ("齐", "qi")]
_TERMS = ["质量提升", "标准化", "品牌建设", "计量检测", "认证认可", "食品安全", "农产品", "工程质量", "服务质量",
          "知识产权", "商标注册", "地理标志", "检验检测", "质量基础", "先进制造", "绿色发展", "产业集群", "放心消费",
          "诚信体系", "质量奖", "名牌产品", "团体标准", "对标达标", "首席质量官", "质量追溯", "生态环境", "旅游服务"]


def place_names(n: int, seed: int = 0) -> pd.DataFrame:
    """``city, city_en, province, province_en`` for ``n`` made-up places: two or three syllables plus
    市/县/区, a few long autonomous-prefecture names (the widest labels real data has), unique names."""
    rng = np.random.default_rng(seed)
    rows, seen = [], set()
    suffixes = [("市", ""), ("县", " County"), ("区", " District")]
    while len(rows) < n:
        k = 3 if rng.random() < 0.25 else 2
        idx = rng.choice(len(_SYL), size=k, replace=False)
        zh = "".join(_SYL[i][0] for i in idx)
        en = "".join(_SYL[i][1] for i in idx)
        en = en[0].upper() + en[1:].lower()
        if rng.random() < 0.04:
            zh, en = zh + "蒙古族藏族自治州", en + " Mongol-Tibetan Autonomous Prefecture"
        else:
            s = suffixes[int(rng.choice(3, p=[0.6, 0.25, 0.15]))]
            zh, en = zh + s[0], en + s[1]
        if zh in seen:
            continue
        seen.add(zh)
        prov = _PROVINCES[int(rng.integers(len(_PROVINCES)))]
        rows.append((zh, en, prov[0], prov[1]))
    return pd.DataFrame(rows, columns=["city", "city_en", "province", "province_en"])


def documents(places: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 1)
    n = len(places)
    plan = np.where(rng.random(n) < 0.3, "annual", "multi_year")
    horizon = np.where(plan == "annual", rng.integers(2014, 2024, n), rng.choice([2020, 2025], n))
    return places.assign(doc_id=[f"{i:03d}_synthetic" for i in range(n)], level="prefecture",
                         adcode=[str(900000 + i) for i in range(n)], parent="", plan_type=plan,
                         horizon=horizon, issued=[f"{h - 2}-06-01" for h in horizon],
                         title=[f"{c}质量提升行动方案" for c in places["city"]])


def indicator_table(docs: pd.DataFrame, seed: int = 0, p_set: float = 0.35) -> pd.DataFrame:
    """One whole-jurisdiction headline row per place x target shape, each shape set with ``p_set``."""
    from qualitylib.extract.codebook import load_codebook

    labels = load_codebook().drop_duplicates("code").set_index("code")[["label_zh", "label_en"]]
    rng = np.random.default_rng(seed + 2)
    rows = []
    for d in docs.to_dict("records"):
        for code, fam, series, kind, unit, comp, lo, hi in _TARGETS:
            if rng.random() > p_set:
                continue
            v = float(rng.uniform(lo, hi))
            v = round(v, 1) if unit in ("%", "分") else float(round(v))
            rows.append(dict(doc_id=d["doc_id"], city=d["city"], city_en=d["city_en"], province=d["province"],
                             level="prefecture", adcode=d["adcode"], issued=d["issued"], horizon=d["horizon"],
                             plan_type=d["plan_type"], code=code, family=fam, series=series, scope="jurisdiction",
                             subject=None, label_zh=labels["label_zh"].get(code, code),
                             label_en=labels["label_en"].get(code, code), kind=kind, unit=unit, value=v,
                             value_hi=np.nan, comparator=comp, target_year=int(d["horizon"]),
                             baseline=(round(v * 0.9, 1) if rng.random() < 0.1 else np.nan),
                             baseline_year=np.nan, n_values=int(rng.choice([1, 1, 1, 2])), min_value=v, max_value=v,
                             line=int(rng.integers(1, 400)), quote=f"{labels['label_zh'].get(code, code)}达到{v:g}{unit}"))
    return pd.DataFrame(rows)


def theme_boot(places: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """A :func:`~qualitylib.analysis.themes.bootstrap_shares` frame."""
    from qualitylib.analysis.themes import load_themes

    themes = load_themes()["theme"].tolist()
    rng = np.random.default_rng(seed + 3)
    base = rng.uniform(0.02, 0.35, len(themes))
    rows = []
    for c, e in zip(places["city"], places["city_en"]):
        share = np.clip(base * rng.lognormal(0, 0.35, len(themes)), 0, 0.9)
        half = rng.uniform(0.01, 0.06, len(themes))
        for t, s, h in zip(themes, share, half):
            rows.append((c, e, t, float(s), float(max(0, s - h)), float(min(1, s + h))))
    boot = pd.DataFrame(rows, columns=["city", "city_en", "theme", "share", "lo", "hi"])
    return boot.assign(n_sentences=200, n_blocks=20, ci=0.95, n_boot=1000, block_depth=2)


def tfidf_terms(places: pd.DataFrame, seed: int = 0, top_n: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 4)
    rows = []
    for c, e in zip(places["city"], places["city_en"]):
        terms = rng.choice(len(_TERMS), size=top_n, replace=False)
        scores = np.sort(rng.uniform(0.02, 0.3, top_n))[::-1]
        rows += [(c, e, _TERMS[t], float(s), r + 1) for r, (t, s) in enumerate(zip(terms, scores))]
    return pd.DataFrame(rows, columns=["city", "city_en", "term", "tfidf", "rank"])


def differences(boot: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """A :func:`~qualitylib.analysis.differences.pairwise_differences` frame over every pair."""
    rng = np.random.default_rng(seed + 5)
    wide = boot.pivot(index="city", columns="theme", values="share")
    cities, themes = list(wide.index), list(wide.columns)
    a_i, b_i = np.array(list(itertools.combinations(range(len(cities)), 2))).T
    W = wide.to_numpy()
    diff = (W[a_i] - W[b_i]).ravel()
    half = rng.uniform(0.03, 0.12, diff.size)
    p = np.clip(np.exp(-np.abs(diff) / 0.03) * rng.uniform(0.5, 1.5, diff.size), 0, 1)
    p_adj = np.minimum(1, p * 20)
    en = dict(zip(boot["city"], boot["city_en"]))
    ca, cb = np.array(cities)[a_i], np.array(cities)[b_i]
    out = pd.DataFrame({
        "city_a": np.repeat(ca, len(themes)), "city_b": np.repeat(cb, len(themes)),
        "theme": np.tile(themes, len(a_i)), "diff": diff, "lo": diff - half, "hi": diff + half,
        "p": p, "p_adj": p_adj, "credible": p_adj <= 0.05, "level": 0.95, "alpha": 0.05,
    })
    out["share_a"] = 0.0
    out["share_b"] = 0.0
    out["city_a_en"] = out["city_a"].map(en)
    out["city_b_en"] = out["city_b"].map(en)
    return out.assign(n_comparisons=len(out), correction="bh", n_boot=500)


def reference_gap_rows(view: pd.DataFrame, national: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """A :func:`~qualitylib.analysis.reference_gaps.reference_gaps` frame: every target with a national
    target of the same code and series, a national actual for some pass rates, and its baseline where
    stated. (The real function takes ~30 s at 300 places, too slow for a drawing test.)"""
    from qualitylib.analysis.reference_gaps import _OUT, compare_values

    rng = np.random.default_rng(seed + 8)
    nat = {(r["code"], r["series"]): r for r in national.to_dict("records")}
    rows = []
    for r in view.to_dict("records"):
        refs = []
        n = nat.get((r["code"], r["series"]))
        if n is not None:
            refs.append(("national", float(n["value"]), int(n["horizon"]), str(n["source_zh"]), "no"))
        if r["family"] == "pass_rate" and rng.random() < 0.5:
            refs.append(("national_actual", float(min(99.9, r["value"] + rng.normal(0, 1))), 2023, "新闻报道", "no"))
        if not pd.isna(r.get("baseline")):
            refs.append(("baseline", float(r["baseline"]), int(r["target_year"]) - 5, "基数", ""))
        for level, ref, year, src, checked in refs:
            out = {c: r.get(c) for c in _OUT if c in r}
            out.update(ref_level=level, ref_place="national", ref_series=r["series"], ref_comparator=">=",
                       ref_value=ref, ref_year=year, ref_source_zh=src, ref_source_en=src, ref_checked=checked,
                       plan_cited=bool(rng.random() < 0.2), series_match="same", years_apart=abs(year - r["target_year"]),
                       grade=str(rng.choice(["same", "related", "far"])))
            out.update(compare_values(r["value"], ref, unit=r["unit"], family=r["family"], comparator=r["comparator"]))
            rows.append(out)
    return pd.DataFrame(rows, columns=_OUT)


def stability(wide: pd.DataFrame, k: int, seed: int = 0) -> pd.DataFrame:
    """A :func:`~qualitylib.analysis.clustering.clusterboot` frame for the k-cluster cut."""
    from qualitylib.analysis.clustering import cluster_cities, cut_clusters

    Z, labels = cluster_cities(wide)
    cut = cut_clusters(Z, k)
    rng = np.random.default_rng(seed + 6)
    rows = []
    for c in sorted(set(cut)):
        members = [n for n, x in zip(labels, cut) if x == c]
        mj, base = float(rng.uniform(0.3, 0.95)), float(rng.uniform(0.2, 0.5))
        rows.append(dict(cluster=int(c), size=len(members), members="、".join(members), mean_jaccard=mj,
                         baseline_mean=base, baseline_q95=base + 0.2, p_random=float(rng.uniform(0, 0.5)),
                         reading="stable" if mj > 0.75 else "doubtful", n_documents=len(labels), n_boot=100))
    return pd.DataFrame(rows)


def responsibility(places: pd.DataFrame, seed: int = 0) -> dict:
    """lead shares, lead/all agency x theme counts, the bipartite graph, concreteness and kind mix."""
    from qualitylib.analysis.agencies import agency_theme_graph, load_agencies
    from qualitylib.analysis.themes import load_themes

    rng = np.random.default_rng(seed + 7)
    n = len(places)
    n_tasks = rng.integers(20, 120, n)
    n_note = (n_tasks * rng.uniform(0.3, 1.0, n)).astype(int)
    n_lead = (n_note * rng.uniform(0, 0.8, n)).astype(int)
    n_blanket = (n_note * rng.uniform(0, 0.3, n)).astype(int)
    shares = places[["city", "city_en"]].assign(
        n_tasks=n_tasks, n_with_note=n_note, n_named=n_note, n_lead=n_lead, n_blanket=n_blanket,
        share_note=n_note / n_tasks, share_lead=n_lead / np.maximum(n_note, 1),
        share_lead_all=n_lead / n_tasks, share_blanket=n_blanket / np.maximum(n_note, 1))
    agencies = load_agencies()["code"].drop_duplicates().tolist()[:25]
    themes = load_themes()["theme"].tolist()
    counts = []
    for c, e in zip(places["city"], places["city_en"]):
        for a in rng.choice(agencies, size=int(rng.integers(2, 7)), replace=False):
            for t in rng.choice(themes, size=int(rng.integers(1, 5)), replace=False):
                counts.append((c, e, a, t, int(rng.integers(1, 6))))
    lead = pd.DataFrame(counts, columns=["city", "city_en", "agency", "theme", "n_tasks"])
    graph = agency_theme_graph(lead, leads=lead, min_tasks=5)
    conc, mix = [], []
    for c, e in zip(places["city"], places["city_en"]):
        for m in ("number", "deadline", "agency", "lead"):
            for t in ["all"] + themes:
                s = float(rng.uniform(0.05, 0.9))
                conc.append((c, e, t, m, int(rng.integers(3, 80)), 0, s, max(0, s - 0.1), min(1, s + 0.1)))
        k = rng.dirichlet(np.ones(4))
        nt = int(rng.integers(3, 60))
        for kind, s in zip(("level", "increment", "delta", "annual_growth"), k):
            mix.append((c, e, kind, int(round(s * nt)), nt, float(s), max(0.0, s - 0.15), min(1.0, s + 0.15), 10))
    conc = pd.DataFrame(conc, columns=["city", "city_en", "theme", "measure", "n_sentences", "n_hits", "share",
                                       "lo", "hi"]).assign(ci=0.95, n_boot=1000, block_depth=2)
    mix = pd.DataFrame(mix, columns=["city", "city_en", "kind", "n_targets", "n", "share", "lo", "hi",
                                     "n_blocks"]).assign(ci=0.95, n_boot=1000)
    return {"lead_shares": shares, "lead_counts": lead, "graph": graph, "concreteness": conc, "kind_mix": mix}


@functools.lru_cache(maxsize=4)
def scale_inputs(n: int = 300, seed: int = 20240601) -> dict:
    """Every input of the cross-city figures for ``n`` places, as the notebooks build them."""
    from qualitylib.analysis import clustering
    from qualitylib.analysis.comparability import nearest_peers
    from qualitylib.analysis.indicator_table import comparison_view
    from qualitylib.analysis.themes import to_wide
    from qualitylib.paths import find_root
    from qualitylib.tables import load_national

    places = place_names(n, seed)
    docs = documents(places, seed)
    table = indicator_table(docs, seed)
    view = comparison_view(table, docs)
    national = load_national(find_root() / "data" / "external" / "national_targets.csv")
    boot = theme_boot(places, seed)
    wide = to_wide(boot)
    Z, labels = clustering.cluster_cities(wide)
    k = 6
    city_en = dict(zip(places["city"], places["city_en"]))
    sil = pd.DataFrame({"k": np.arange(2, n), "silhouette": np.random.default_rng(seed).uniform(0.05, 0.4, n - 2)})
    return {
        "places": places, "documents": docs, "table": table, "view": view, "national": national,
        "codebook": load_codebook_frame(),
        "gaps": reference_gap_rows(view, national, seed),
        "boot": boot, "wide": wide, "Z": Z, "labels": labels, "k": k, "city_en": city_en, "sil": sil,
        "stability": stability(wide, k, seed), "pca": clustering.pca_biplot_data(wide),
        "tfidf": tfidf_terms(places, seed), "diffs": differences(boot, seed),
        "focus": places["city"].iloc[0], "peers": nearest_peers(wide, places["city"].iloc[0]),
        **responsibility(places, seed),
    }


def load_codebook_frame() -> pd.DataFrame:
    from qualitylib.extract.codebook import load_codebook

    cb = load_codebook()
    return cb[["code", "family", "series", "label_zh", "label_en"]].drop_duplicates("code")

"""Render every notebook figure outside the notebooks, and optionally compare with a baseline folder.

    .venv/bin/python benchmarks/render_figures.py --out /tmp/figures
    .venv/bin/python benchmarks/render_figures.py --out /tmp/figures --compare figures/

Input: ``data/processed/*.csv`` and ``data/external/national_targets.csv`` (project root found from
this file). Output: ``<out>/<notebook>_<name>_<lang>.png`` (and ``.svg``), the same names and
parameters as the notebooks (seed 20240601, n_boot 1000, average linkage, cosine distance, top_n 12,
both languages, notebook 04 once per city with all cities as the comparison pool). With
``--compare`` it lists which files differ byte for byte from the baseline and exits 1 if any does.

Why: a change to the plotting code should not change a figure by accident; this renders all of
them in under half a minute without papermill, so a refactor can be checked file by file.
"""
from __future__ import annotations

import argparse
import filecmp
import logging
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from qualitylib import tables as TB  # noqa: E402
from qualitylib import viz  # noqa: E402
from qualitylib.analysis import clustering as CL  # noqa: E402
from qualitylib.analysis import differences as DF  # noqa: E402
from qualitylib.analysis import theme_evaluation as TE  # noqa: E402
from qualitylib.analysis import themes as TH  # noqa: E402
from qualitylib.analysis.comparability import nearest_peers  # noqa: E402
from qualitylib.analysis.tfidf import tfidf_profile  # noqa: E402
from qualitylib.paths import NATIONAL_TARGETS, PROCESSED_DIR, find_root  # noqa: E402

# the notebooks' parameters (notebooks/params/default.yaml and the parameter cells)
SEED = 20240601
N_BOOT = 1000
METHOD = "average"
METRIC = "cosine"
TOP_N = 12
N_BOOT_DIFF = 20000
CV_REPEATS = 10
THEME_GOLD = "data/annotations/themes_dev.csv"
LANGS = ("zh", "en")


def analyse(root: Path) -> dict:
    """Everything the four notebooks compute before plotting, once (it is the same for both languages)."""
    tables = TB.load_processed(root / PROCESSED_DIR, [])
    sentences = TB.policy_sentences(tables["sentences"])
    coded = TH.code_sentences(sentences)
    boot = TH.bootstrap_shares(coded, n_boot=N_BOOT, seed=SEED)
    wide = TH.to_wide(boot)
    Z, labels = CL.cluster_cities(wide, method=METHOD, metric=METRIC)
    sil = CL.silhouette_by_k(wide, method=METHOD, metric=METRIC)
    best_k = int(sil.loc[sil["silhouette"].idxmax(), "k"])
    gold = TE.load_theme_gold(root / THEME_GOLD)
    cv = TE.cross_validate(gold, n_repeats=CV_REPEATS, seed=SEED).per_theme
    return {
        "tables": tables,
        "national": TB.load_national(root / NATIONAL_TARGETS),
        "city_en": TH.city_en_map(sentences),
        # notebook 04 runs with cities=[] so its pool is every city: the same sentences, seed and
        # n_boot as notebook 03, hence the same bootstrap shares
        "boot": boot,
        "wide": wide,
        "wide_observed": TH.to_wide(TH.theme_shares(coded)),
        "tfidf": tfidf_profile(sentences, top_n=TOP_N),
        "Z": Z, "labels": labels, "sil": sil, "best_k": best_k,
        "stability": CL.clusterboot(wide, best_k, n_boot=N_BOOT, seed=SEED, method=METHOD, metric=METRIC),
        "diffs": DF.pairwise_differences(coded, n_boot=N_BOOT_DIFF, seed=SEED),
        # notebook 04 computes its differences with the defaults (n_boot 20000) and the same seed
        "accuracy": cv[(cv["method"] == TE.CHOSEN_METHOD) & (cv["scheme"] == "kfold")],
        "n_gold": len(gold),
        "pca": CL.pca_biplot_data(wide),
    }


def figures(a: dict, lang: str):
    """Yield ``(name, make_figure)`` for every figure of the notebooks in ``lang``, called as the
    notebooks call them."""
    t, d = a["tables"]["indicator_table"], a["tables"]["documents"]
    yield "01_coverage_matrix", lambda: viz.coverage_matrix_figure(t, lang=lang, codebook=a["tables"]["codebook"],
                                                                   documents=d)
    yield "01_family_counts", lambda: viz.family_counts_figure(t, lang=lang, documents=d)
    yield "02_indicator_comparison", lambda: viz.indicator_comparison_figure(t, a["national"], lang=lang)
    yield "02_ambition_heatmap", lambda: viz.ambition_heatmap_figure(t, lang=lang, method="rank", documents=d)
    yield "02_counts_log", lambda: viz.counts_log_figure(t, lang=lang)
    yield "03_theme_accuracy", lambda: viz.theme_accuracy_figure(a["accuracy"], lang=lang, method=TE.CHOSEN_METHOD,
                                                                 n_sentences=a["n_gold"])
    yield "03_theme_shares", lambda: viz.theme_shares_figure(a["boot"], lang=lang)
    yield "03_differences", lambda: viz.differences_figure(a["diffs"], lang=lang, city_en=a["city_en"])
    yield "03_tfidf_terms", lambda: viz.tfidf_terms_figure(a["tfidf"], lang=lang)
    yield "03_dendrogram", lambda: viz.dendrogram_figure(a["Z"], a["labels"], method=METHOD, metric=METRIC, lang=lang,
                                                         city_en=a["city_en"])
    yield "03_silhouette", lambda: viz.silhouette_figure(a["sil"], lang=lang)
    yield "03_cluster_stability", lambda: viz.cluster_stability_figure(a["stability"], lang=lang, k=a["best_k"],
                                                                       city_en=a["city_en"])
    pca = a["pca"]
    yield "03_pca_biplot", lambda: viz.pca_biplot_figure(pca.scores, pca.loadings, pca.explained_variance_ratio,
                                                         lang=lang, city_en=a["city_en"])
    for doc in d.sort_values(["city_en", "city"]).to_dict("records"):
        city, slug = doc["city"], TB.city_slug(doc["city_en"])
        yield f"04_city_{slug}_targets", lambda city=city: viz.city_targets_figure(t, city, lang=lang, documents=d)
        yield f"04_city_{slug}_emphasis", lambda city=city: viz.city_emphasis_figure(a["boot"], city, lang=lang,
                                                                                          differences=a["diffs"])
        peers = nearest_peers(a["wide_observed"], city)
        yield f"04_city_{slug}_peers", lambda city=city, peers=peers: viz.nearest_peers_figure(
            peers, city, lang=lang, city_en=a["city_en"])


def render(out: Path, formats: list[str], only: str | None = None) -> list[Path]:
    """Render all figures into ``out``. Output: the written paths."""
    root = find_root(Path(__file__).resolve().parent)
    a = analyse(root)
    written: list[Path] = []
    for lang in LANGS:
        for name, make in figures(a, lang):
            if only and only not in name:
                continue
            fig = make()
            written += viz.save_figure(fig, out / f"{name}_{lang}", formats, lang=lang)
            plt.close(fig)
    return written


def compare(written: list[Path], baseline: Path) -> list[Path]:
    """Output: the written files that are missing from ``baseline`` or differ from it byte for byte."""
    return [p for p in written if not (baseline / p.name).is_file()
            or not filecmp.cmp(p, baseline / p.name, shallow=False)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="folder for the rendered figures")
    ap.add_argument("--formats", nargs="+", default=["png", "svg"])
    ap.add_argument("--compare", type=Path, help="baseline folder to compare with, file by file")
    ap.add_argument("--only", help="render only figures whose name contains this")
    args = ap.parse_args(argv)
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    start = time.perf_counter()
    written = render(args.out, args.formats, args.only)
    print(f"rendered {len(written)} files into {args.out} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    if args.compare is None:
        return 0
    differ = compare(written, args.compare)
    for kind in sorted({p.suffix for p in written}):
        n = sum(p.suffix == kind for p in written)
        d = sum(p.suffix == kind for p in differ)
        print(f"{kind}: {n - d} of {n} identical to {args.compare}")
    for p in differ:
        print(f"differs: {p.name}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""City profiles: one HTML page and one figure set per plan, for every plan of the corpus.

Notebook 04 shows one plan's profile in JupyterLab (or one papermill run); a whole run renders every
plan's page here instead, from tables read once: executing the notebook once per plan and language
started a kernel, imported everything and recomputed the cross-city statistics each time, so the
run grew with the square of the number of cities. Both use the same functions, so a profile looks
the same whichever way it was made:

- :func:`profile_inputs` picks one plan's rows out of the processed tables and the stored statistics;
- :func:`profile_figures` draws its three figures;
- :func:`profile_page` fills the page template (``qualitylib/data/profile_page.html``);
- :func:`write_profiles` does all of it for many plans and languages, side by side on ``jobs`` cores.

Outputs: ``<figures_dir>/04_city_<slug>_<figure>_<lang>.<format>`` and
``<reports_dir>/04_city_profile_<slug>[_<lang>].html`` (the first language has no suffix).
"""
from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import pandas as pd

from .analysis.comparability import match_national
from .analysis.themes import city_en_map
from .atomic import write_text_atomic
from .resources import data_text
from .tables import filter_cities, pick_plan, plan_slugs

__all__ = ["PROFILE_FIGURES", "Profile", "ProfileIndex", "profile_inputs", "profile_key", "profile_figures", "figure_stem", "page_name",
           "profile_page", "write_profile", "write_profiles", "TARGET_COLUMNS", "OTHER_COLUMNS"]

PROFILE_FIGURES = ("targets", "emphasis", "peers")
TARGET_COLUMNS = ["code", "series", "scope", "subject", "comparator", "value", "value_hi", "unit", "kind",
                  "target_year", "baseline", "n_values", "nat_value", "nat_horizon", "nat_source_zh", "quote"]
OTHER_COLUMNS = ["line", "indicator", "family", "value", "unit", "comparator", "kind", "quote"]
#: Rows of a table shown on a page; the CSVs hold them all.
MAX_ROWS = 60


@dataclass
class Profile:
    """One plan's share of the tables: what its page and figures are drawn from."""

    doc: pd.Series
    doc_rows: pd.DataFrame  # the same, as a one-row frame of documents.csv
    slug: str
    pool: list[str]
    plan_table: pd.DataFrame
    with_national: pd.DataFrame
    others: pd.DataFrame
    shares: pd.DataFrame
    differences: pd.DataFrame
    peers: pd.DataFrame
    city_en: dict[str, str]

    @property
    def city(self) -> str:
        return str(self.doc["city"])


def figure_stem(slug: str, figure: str) -> str:
    """File stem of a profile figure (the language and format are added when it is saved)."""
    return f"04_city_{slug}_{figure}"


def page_name(slug: str, lang: str, first_lang: str) -> str:
    """File name of a profile page: no language suffix for the run's first language."""
    return f"04_city_profile_{slug}{'' if lang == first_lang else '_' + lang}.html"


class ProfileIndex:
    """Where each plan's and each city's rows are in the big tables, found once for a run's hundreds of
    profiles: picking them out with a comparison over the whole table per plan (332,325 differences
    at 300 documents) took most of the time spent deciding which pages were out of date. Rows come
    out in table order with their index, exactly as the boolean selections give them."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], stats: Mapping[str, pd.DataFrame]) -> None:
        self.tables, self.stats = tables, stats
        self._positions: dict[tuple[str, str], dict[Any, Any]] = {}
        self._hashes: dict[str, tuple[bytes, Any]] = {}
        self._pools: dict[tuple[str, ...], tuple[pd.DataFrame, dict[str, str]]] = {}
        self._pool_digests: dict[tuple[str, ...], str] = {}

    def _where(self, frame: pd.DataFrame, name: str, column: str) -> dict[Any, Any]:
        key = (name, column)
        if key not in self._positions:
            self._positions[key] = frame.groupby(column, sort=False, dropna=True).indices if len(frame) else {}
        return self._positions[key]

    def positions(self, frame: pd.DataFrame, name: str, columns: Sequence[str], value: Any):
        """Positions (ascending) of the rows of ``frame`` (called ``name``) where any of ``columns``
        holds ``value``."""
        import numpy as np

        found = [self._where(frame, name, c)[value] for c in columns if value in self._where(frame, name, c)]
        return np.unique(np.concatenate(found)) if found else np.array([], dtype=int)

    def rows(self, frame: pd.DataFrame, name: str, columns: Sequence[str], value: Any) -> pd.DataFrame:
        """The rows of ``frame`` (called ``name``) where any of ``columns`` holds ``value``."""
        return frame.iloc[self.positions(frame, name, columns, value)]

    def rows_digest(self, frame: pd.DataFrame, name: str, columns: Sequence[str], value: Any) -> bytes:
        """An exact digest of :meth:`rows` (the same rows, their index, the columns and dtypes) from
        64-bit row hashes of the whole table, computed once: hashing each plan's rows on their own
        took as long as everything else of deciding which pages were out of date."""
        import hashlib

        from .records import exact_digest

        at = self.positions(frame, name, columns, value)
        if name not in self._hashes:
            try:
                hashes = pd.util.hash_pandas_object(frame, index=True).to_numpy()
            except TypeError:  # cells holding lists or dicts: each plan's rows are digested on their own
                hashes = None
            self._hashes[name] = (exact_digest(frame.iloc[0:0]).encode("ascii"), hashes)  # columns, dtypes, index
        header, hashes = self._hashes[name]
        if hashes is None:
            return exact_digest(frame.iloc[at]).encode("ascii")
        return hashlib.sha256(header + at.tobytes() + hashes[at].tobytes()).digest()

    def pool_digest(self, pool: list[str]) -> str:
        """:func:`~qualitylib.records.exact_digest` of a pool of cities (the same for every plan)."""
        from .records import exact_digest

        key = tuple(pool)
        if key not in self._pool_digests:
            self._pool_digests[key] = exact_digest(pool)
        return self._pool_digests[key]

    def pool_shares(self, shares: pd.DataFrame, pool: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
        """The theme shares of the pool's cities and their pinyin names (the same for every plan)."""
        key = tuple(pool)
        if key not in self._pools:
            kept = shares[shares["city"].isin(pool)] if not shares.empty else shares
            self._pools[key] = (kept, city_en_map(kept) if not kept.empty else {})
        return self._pools[key]


def profile_inputs(tables: Mapping[str, pd.DataFrame], stats: Mapping[str, pd.DataFrame], national: pd.DataFrame,
                   *, plan: str = "", city: str = "", cities: Sequence[str] = (),
                   slugs: Mapping[str, str] | None = None, index: ProfileIndex | None = None) -> Profile:
    """Input: processed tables (``documents, indicator_table, targets``), the cross-city statistics of
    the comparison pool (:mod:`qualitylib.stats_tables`), national targets, the plan (doc_id) or city
    to profile, and the pool's cities (empty: all); for many plans, a :class:`ProfileIndex` of the same
    tables and statistics (the result is the same). Output: :class:`Profile`."""
    documents = tables["documents"]
    doc = pick_plan(documents, plan=plan, city=city)
    doc_id, name = str(doc["doc_id"]), str(doc["city"])
    pool = _pool(documents, cities, name)
    index = index or ProfileIndex(tables, stats)
    table = tables["indicator_table"]
    plan_table = index.rows(table, "indicator_table", ["doc_id"], doc_id)
    of_plan = index.rows(tables["targets"], "targets", ["doc_id"], doc_id)
    others = of_plan[of_plan["code"] == "other"]
    shares, city_en = index.pool_shares(stats["theme_shares"], pool)
    diffs = stats["theme_differences"]
    if not diffs.empty:
        diffs = index.rows(diffs, "theme_differences", ["city_a", "city_b"], name)
    peers = stats["peers"]
    if not peers.empty:
        peers = index.rows(peers, "peers", ["city"], name).drop(columns="city").reset_index(drop=True)
    return Profile(doc=doc, doc_rows=documents[documents["doc_id"] == doc_id], slug=(slugs or plan_slugs(documents))[doc_id], pool=pool, plan_table=plan_table,
                   with_national=match_national(plan_table, national), others=others, shares=shares,
                   differences=diffs, peers=peers, city_en=dict(city_en))


def _pool(documents: pd.DataFrame, cities: Sequence[str], name: str) -> list[str]:
    """The places a plan of ``name`` is compared with: those of ``cities`` and its own, else all."""
    if cities:
        return sorted(set(filter_cities(documents, list(cities))["city"]) | {name})
    return sorted(set(documents["city"].astype(str)))


def profile_key(tables: Mapping[str, pd.DataFrame], stats: Mapping[str, pd.DataFrame], *, plan: str,
                cities: Sequence[str] = (), slugs: Mapping[str, str] | None = None,
                index: ProfileIndex | None = None) -> str:
    """What :func:`profile_inputs` picks out for ``plan``, as a digest, without picking it: the plan's
    rows of documents, the indicator table and the targets, its city's differences and peers, the pool
    and the slug. The tables shared by every plan (theme shares, national targets) are the caller's to
    add. Two plans' keys differ when their inputs do; a plan's key changes only when its own rows do.
    Output: hex SHA-256."""
    from .records import exact_digest

    documents = tables["documents"]
    index = index or ProfileIndex(tables, stats)
    doc_rows = index.rows_digest(documents, "documents", ["doc_id"], plan)
    name = str(documents["city"].iloc[index.positions(documents, "documents", ["doc_id"], plan)[0]])
    pool = _pool(documents, cities, name)
    parts = [(slugs or plan_slugs(documents))[plan], index.pool_digest(pool), doc_rows,
             index.rows_digest(tables["indicator_table"], "indicator_table", ["doc_id"], plan),
             index.rows_digest(tables["targets"], "targets", ["doc_id"], plan)]
    for table, columns in (("theme_differences", ["city_a", "city_b"]), ("peers", ["city"])):
        frame = stats[table]
        parts.append(b"" if frame.empty else index.rows_digest(frame, table, columns, name))
    return exact_digest("profile inputs", parts)


def profile_figures(profile: Profile, lang: str, which: Sequence[str] = PROFILE_FIGURES) -> dict[str, Any]:
    """Input: a profile, a language and the figures wanted. Output: figure name -> matplotlib Figure
    (``emphasis`` only when the plan has coded sentences, ``peers`` only when the pool has another
    city)."""
    from . import viz

    figures = {}
    if "targets" in which:
        figures["targets"] = viz.city_targets_figure(profile.plan_table, profile.city, lang=lang,
                                                     documents=profile.doc_rows)
    if "emphasis" in which and not profile.shares.empty and profile.city in set(profile.shares["city"]):
        diffs = profile.differences if not profile.differences.empty else None
        figures["emphasis"] = viz.city_emphasis_figure(profile.shares, profile.city, lang=lang, differences=diffs)
    if "peers" in which and not profile.peers.empty:
        figures["peers"] = viz.nearest_peers_figure(profile.peers, profile.city, lang=lang, city_en=profile.city_en,
                                                    n_places=_n_compared(profile))
    return figures


def _n_compared(profile: Profile) -> int:
    """How many places the peers were found among, the plan's own included: the places with theme
    shares (the stored peers table keeps only each place's nearest few), else the pool."""
    if not profile.shares.empty:
        return int(profile.shares["city"].nunique())
    return len(profile.pool)


_TEXT = {
    "zh": dict(
        title="城市画像：{city}（{city_en}）· {doc_id}",
        intro="由 qualitylib 从处理后的数据表生成；笔记本 04 在 JupyterLab 中逐项展示同样的内容。",
        h_document="文件", h_targets="目标", h_emphasis="政策主题侧重", h_peers="最相近的城市",
        about_document="标题、发文机关、日期与文本处理信息（编码、乱码修复）。horizon 为目标年份。",
        about_targets="指标表中该规划的每一行：指标、口径、范围、目标值、类型与年份，以及原文引文和行号；"
                      "可比的国家目标按相同指标与口径、年份相差不超过 3 年匹配。",
        others="另有 {n} 个目标编码为 other（无共同指标）。",
        about_emphasis="各主题在该市政策句中的占比（深色点）及 95% 区块自助法区间，灰点为比较池中其他城市；"
                       "黑圈表示经多重比较校正后差异可信的城市。",
        about_peers="按主题占比余弦相似度排列的最相近城市（前 {n} 名）。只看顺序，不看差距。",
        none="（无）", more="另有 {n} 行未显示（共 {total} 行），完整数据见 {csv}。",
        footer="数据：data/processed/（indicator_table.csv、targets.csv、stats/）。"),
    "en": dict(
        title="City profile: {city_en} ({city}) · {doc_id}",
        intro="Made by qualitylib from the processed tables; notebook 04 shows the same, step by step, in JupyterLab.",
        h_document="The document", h_targets="Targets", h_emphasis="Policy-theme emphasis", h_peers="Nearest peers",
        about_document="Title, issuer, dates and how the text was processed (encoding, repairs). "
                       "horizon is the year the targets are for.",
        about_targets="One row per indicator-table row of this plan: indicator, series, scope, target, kind and "
                      "year, with the quote and its line in the raw file; the comparable national target has the "
                      "same code and series and a horizon within 3 years.",
        others="{n} further targets are coded 'other' (no common indicator).",
        about_emphasis="The share of the city's policy sentences about each theme (dark dot) with a 95% block-"
                       "bootstrap interval, against the other cities of the pool (grey); a black ring marks a city "
                       "whose difference is credible after correcting for multiple comparisons.",
        about_peers="The {n} cities with the most similar theme profile (cosine similarity). Read the order, "
                    "not the gaps.",
        none="(none)", more="{n} more rows not shown ({total} in all); the whole table is {csv}.",
        footer="Data: data/processed/ (indicator_table.csv, targets.csv, stats/)."),
}


def _table(frame: pd.DataFrame, columns: Sequence[str], T: Mapping[str, str], csv: str) -> str:
    cols = [c for c in columns if c in frame.columns]
    if frame.empty:
        return f"<p>{html.escape(T['none'])}</p>"
    shown = frame[cols].head(MAX_ROWS).to_html(index=False, na_rep="", border=0, escape=True)
    if len(frame) > MAX_ROWS:
        shown += f"<p class=\"note\">{html.escape(T['more'].format(n=len(frame) - MAX_ROWS, total=len(frame), csv=csv))}</p>"
    return shown


def _img(src: str | None, alt: str) -> str:
    return f'<p><img src="{html.escape(src)}" alt="{html.escape(alt)}"></p>' if src else ""


def profile_page(profile: Profile, lang: str, figure_src: Mapping[str, str]) -> str:
    """Input: a profile, its language and figure name -> image address as the page should link it
    (a path relative to the page). Output: the HTML page."""
    T = _TEXT[lang]
    doc = profile.doc
    city_en = doc.get("city_en") if isinstance(doc.get("city_en"), str) else ""
    title = T["title"].format(city=profile.city, city_en=city_en or profile.city, doc_id=doc["doc_id"])
    doc_table = doc.to_frame(name=profile.city).to_html(na_rep="", border=0)
    fill = dict(
        lang="zh-Hans" if lang == "zh" else "en", title=html.escape(title), intro=html.escape(T["intro"]),
        h_document=T["h_document"], h_targets=T["h_targets"], h_emphasis=T["h_emphasis"], h_peers=T["h_peers"],
        about_document=html.escape(T["about_document"]), document_table=doc_table,
        about_targets=html.escape(T["about_targets"]), targets_figure=_img(figure_src.get("targets"), T["h_targets"]),
        targets_table=_table(profile.with_national, TARGET_COLUMNS, T, "indicator_table.csv"),
        others_line=html.escape(T["others"].format(n=len(profile.others))),
        others_table=_table(profile.others, OTHER_COLUMNS, T, "targets.csv"),
        about_emphasis=html.escape(T["about_emphasis"]),
        emphasis_figure=_img(figure_src.get("emphasis"), T["h_emphasis"]),
        about_peers=html.escape(T["about_peers"].format(n=len(profile.peers))),
        peers_figure=_img(figure_src.get("peers"), T["h_peers"]),
        peers_table=_table(profile.peers.assign(peer_en=profile.peers["peer"].map(profile.city_en))
                           if not profile.peers.empty else profile.peers,
                           ["rank", "peer", "peer_en", "cosine"], T, "stats/peers.csv"),
        footer=html.escape(T["footer"]),
    )
    return Template(data_text("profile_page.html")).substitute(fill)


#: figures whose margins are fitted to their labels when drawn: saved as they are, without the
#: extra layout pass of bbox_inches='tight' (the picture is the same)
_LAID_OUT = frozenset({"emphasis", "peers"})


def write_profile(profile: Profile, lang: str, *, figures_dir: Path, reports_dir: Path,
                  formats: Sequence[str] = ("png",), first_lang: str = "zh",
                  figures: Sequence[str] = PROFILE_FIGURES) -> list[Path]:
    """Input: a profile, a language and the output folders. Output: the written paths -- its figures
    (every format) and its page, which links the PNGs (or the first format) by relative path."""
    import matplotlib.pyplot as plt

    from .viz import save_figure

    written: list[Path] = []
    src: dict[str, str] = {}
    page = Path(reports_dir) / page_name(profile.slug, lang, first_lang)
    for name, fig in profile_figures(profile, lang, figures).items():
        try:  # save_figure draws the text from the process's caches (viz.text_cache)
            paths = save_figure(fig, Path(figures_dir) / f"{figure_stem(profile.slug, name)}_{lang}", formats,
                                lang=lang, bbox_inches=None if name in _LAID_OUT else "tight")
        finally:
            plt.close(fig)
        written += paths
        shown = next((p for p in paths if p.suffix == ".png"), paths[0])
        src[name] = Path(os.path.relpath(shown, page.parent)).as_posix()
    written.append(write_text_atomic(page, profile_page(profile, lang, src)))
    return written


# ----------------------------------------------------------------------------------------------
# many profiles, side by side
# ----------------------------------------------------------------------------------------------
_SHARED: dict[str, Any] = {}  # read once in the parent; forked workers inherit it


def _render(task: tuple[str, tuple[str, ...]]) -> list[tuple[str, str, list[str], str | None]]:
    """One plan in every language asked for: its share of the tables is picked out once, not once
    per language. Output: one (doc_id, lang, written paths, error or None) per language."""
    doc_id, langs = task
    s = _SHARED
    try:
        profile = profile_inputs(s["tables"], s["stats"], s["national"], plan=doc_id, cities=s["cities"],
                                 slugs=s["slugs"], index=s["index"])
    except Exception as exc:  # noqa: BLE001 - one plan's failure is reported, the others go on
        return [(doc_id, lang, [], f"{type(exc).__name__}: {exc}") for lang in langs]
    results = []
    for lang in langs:
        try:
            paths = write_profile(profile, lang, figures_dir=s["figures_dir"], reports_dir=s["reports_dir"],
                                  formats=s["formats"], first_lang=s["first_lang"], figures=s["figures"])
            results.append((doc_id, lang, [str(p) for p in paths], None))
        except Exception as exc:  # noqa: BLE001
            results.append((doc_id, lang, [], f"{type(exc).__name__}: {exc}"))
    return results


def _by_plan(tasks: Sequence[tuple[str, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """(doc_id, lang) tasks grouped per plan, plans in order of first appearance."""
    langs: dict[str, list[str]] = {}
    for doc_id, lang in tasks:
        langs.setdefault(doc_id, []).append(lang)
    return [(doc_id, tuple(ls)) for doc_id, ls in langs.items()]


def write_profiles(tables: Mapping[str, pd.DataFrame], stats: Mapping[str, pd.DataFrame], national: pd.DataFrame,
                   tasks: Sequence[tuple[str, str]], *, figures_dir: Path, reports_dir: Path,
                   formats: Sequence[str] = ("png",), first_lang: str = "zh", cities: Sequence[str] = (),
                   figures: Sequence[str] = PROFILE_FIGURES, jobs: int = 1, done: Callable[[tuple[str, str, list[str], str | None]], None] | None = None
                   ) -> list[tuple[str, str, list[str], str | None]]:
    """Input: the tables, statistics and national targets (read once), the (doc_id, lang) pages to
    make, output folders and ``jobs`` worker processes. Output: one (doc_id, lang, written paths,
    error or None) per task, in task order; ``done`` is called as each finishes (for progress)."""
    import matplotlib

    matplotlib.use("Agg")
    _SHARED.update(tables=tables, stats=stats, national=national, cities=list(cities), index=ProfileIndex(tables, stats),
                   slugs=plan_slugs(tables["documents"]), figures_dir=Path(figures_dir),
                   reports_dir=Path(reports_dir), formats=list(formats), first_lang=first_lang,
                   figures=list(figures))
    results: dict[tuple[str, str], tuple] = {}
    plans = _by_plan(tasks)

    def finished(batch: list[tuple[str, str, list[str], str | None]]) -> None:
        for result in batch:
            results[(result[0], result[1])] = result
            if done:
                done(result)

    try:
        if jobs <= 1 or len(plans) <= 1:
            for plan in plans:
                finished(_render(plan))
        else:
            import multiprocessing

            # fork: the workers inherit the tables instead of each reading them again
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for batch in pool.imap_unordered(_render, plans, chunksize=1):
                    finished(batch)
    finally:
        _SHARED.clear()
    return [results[t] for t in tasks]

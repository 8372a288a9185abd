"""The steps of a run, each redone only when what it is made from changed (see :mod:`qualitylib.records`):

1. :func:`pipeline_step`: raw files -> processed tables (``data/processed/*.csv``);
2. :func:`theme_check_step`: the theme coder's cross-validation against the hand coding (it does not
   depend on the corpus, so a changed document never redoes it);
3. :func:`release_step`: the citable release files (``datapackage.json``, ``README.md``, ``CITATION.cff``);
4. :func:`statistics_step`: the cross-city statistics (``data/processed/stats/``), once per run;
5. :func:`notebook_job`: one notebook (not 04) in one language;
6. :func:`profile_steps`: every plan's city profile (page + figures), once per language, side by side.

Steps 2-6 wait only for what they read and go side by side on the cores (:func:`run_jobs`): the
statistics are computed while notebooks that do not need them already run, and the profile pages are
drawn beside the last notebooks.

Each takes the run's configuration, its :class:`~qualitylib.records.BuildRecord` and a ``log`` function,
and says on the log what it did or that it was up to date.
"""
from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from .notebook_execution import NotebookRun, execute
from .progress import Progress
from .records import BuildRecord, code_fingerprint, digest
from .stats_tables import statistics_files, stats_dir
from .tables import filter_cities, plan_slugs

__all__ = ["PipelineSummary", "Job", "run_jobs", "pipeline_step", "theme_check_step", "release_step",
           "statistics_step", "notebook_job", "needs_statistics", "waits_for", "profile_steps", "measure_accuracy", "profile_plans"]

#: Beside the run record: what can be made again but is kept to save time (the documents' extractions).
CACHE_DIR = ".qualitylib-cache"
PROCESSED_CSVS = ("documents", "sentences", "targets", "indicator_table", "codebook", "failures")


@dataclass
class PipelineSummary:
    """What the rest of the run needs from the pipeline, whether it ran now or earlier."""

    documents: pd.DataFrame
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ran: bool = True


def _raw_files(config) -> list[Path]:
    from .text.corpus import discover

    return discover([config.raw_dir])


def pipeline_step(config, record: BuildRecord, log: Callable[[str], None]) -> PipelineSummary:
    """Raw folder -> processed tables, unless neither the raw files, the curated metadata nor the code
    changed since the tables were written. Input problems and warnings found when the tables were
    made are kept in the record and reported again, so a skipped pipeline cannot hide them."""
    from .pipeline import DocumentCache, run_pipeline, write_tables

    files = _raw_files(config)
    inputs = digest("pipeline", code_fingerprint(), [f.name for f in files], list(files),
                    Path(config.documents_csv) if config.documents_csv else None)
    if record.up_to_date("pipeline", inputs):
        kept = record.extra("pipeline")
        documents = pd.read_csv(Path(config.processed_dir) / "documents.csv")
        log(f"pipeline: up to date ({len(files)} raw files unchanged)")
        return PipelineSummary(documents, kept.get("counts", {}), kept.get("problems", []), kept.get("warnings", []),
                               ran=False)
    workers = max(1, min(config.workers or os.cpu_count() or 1, len(files) or 1))
    log(f"pipeline: {config.raw_dir} ({len(files)} raw files, {workers} worker(s))")
    bar = Progress(len(files), "documents", prefix="  ")
    # what earlier runs made of each file: after one document changed, only that one is cleaned again
    cache = DocumentCache(config.output_root() / CACHE_DIR / "documents", salt=code_fingerprint(),
                          read=not record.force)
    result = run_pipeline([config.raw_dir], documents_csv=config.documents_csv, jobs=workers,
                          progress=lambda i, n, name: bar.advance(i - bar.done), cache=cache)
    bar.close()
    cache.prune()
    if cache.hits:
        log(f"pipeline: {cache.hits} of {len(files)} files unchanged since the last run, taken from {cache.folder}")
    written = write_tables(result, config.processed_dir)
    counts = {"documents": len(result.documents), "targets": len(result.targets),
              "indicator rows": len(result.indicator_table), "failed files": len(result.failures),
              "warnings": len(result.warnings)}
    record.record("pipeline", inputs, written,
                  extra={"counts": counts, "problems": list(result.problems), "warnings": list(result.warnings)})
    log("pipeline: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" -> {config.processed_dir}")
    return PipelineSummary(result.documents, counts, list(result.problems), list(result.warnings))


def measure_accuracy(targets: pd.DataFrame, gold_path: Path | None) -> dict | None:
    """Input: extracted targets and the hand annotation's path (or None). Output: precision, recall,
    F1 and field agreement over the annotated documents, for the release README; None without gold.
    Only documents the gold covers are scored, so a corpus with extra cities is measured fairly."""
    if gold_path is None or not Path(gold_path).is_file():
        return None
    from .analysis.evaluation import evaluate, load_gold

    gold = load_gold(gold_path)
    scored = targets[targets["doc_id"].isin(set(gold["doc_id"]))]
    if scored.empty:
        return None
    report = evaluate(gold, scored)
    return {
        "annotated documents": int(gold["doc_id"].nunique()),
        "gold targets": report.n_gold,
        "precision": float(report.precision),
        "recall": float(report.recall),
        "f1": float(report.f1),
        "field agreement": {k: float(v) for k, v in report.field_agreement.items()},
        "rows scored per field": {k: int(v) for k, v in report.field_counts.items()},
    }


def _processed_files(config) -> list[Path]:
    return [Path(config.processed_dir) / f"{name}.csv" for name in PROCESSED_CSVS]


def in_child(work: Callable[..., Any], *args: Any) -> Any:
    """``work(*args)`` in a new Python process, and its result. The CPU-heavy steps (the theme check, the
    statistics) run there, not in the runner: in the runner they would hold the interpreter lock that the
    threads talking to notebook kernels need, and the notebooks beside them would crawl. The process is
    spawned, not forked (forking a process with threads can copy a lock some thread holds), so ``work``
    and its arguments must be picklable: a module-level function and plain values."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as child:
        return child.submit(work, *args).result()


def _theme_check_in_child(processed_dir: Path, gold: Path, seed: int, repeats: int) -> None:
    from .stats_tables import theme_check

    theme_check(processed_dir, gold, seed=seed, n_repeats=repeats, write=True)


def _statistics_in_child(processed_dir: Path, params: dict[str, Any]) -> tuple[list[str], list[Path]]:
    from .stats_tables import write_statistics

    said: list[str] = []
    written = write_statistics(processed_dir, params, progress=said.append)
    return said, written


def _release_in_child(processed_dir: Path, version: str, accuracy: dict | None, gold: Path | None,
                      citation_path: Path | None) -> tuple[dict | None, list[Path]]:
    from .release import write_release

    if accuracy is None and gold is not None:
        accuracy = measure_accuracy(pd.read_csv(Path(processed_dir) / "targets.csv"), gold)
    return accuracy, write_release(processed_dir, version, accuracy=accuracy, citation_path=citation_path)


def theme_check_path(config) -> Path:
    """The hand-coded theme sample the coder is checked against: the ``theme_gold`` parameter, or the
    project's ``data/annotations/themes_dev.csv``."""
    from .paths import ANNOTATIONS_DIR

    path = Path(str(config.params.get("theme_gold") or ANNOTATIONS_DIR / "themes_dev.csv"))
    return path if path.is_absolute() else Path(config.root) / path


def theme_check_step(config, record: BuildRecord, log: Callable[[str], None]) -> None:
    """The hand-coded theme sample -> the theme coder's cross-validation, stored in the statistics folder
    for the release README and notebook 03 (:func:`qualitylib.stats_tables.theme_check`). It reads no
    document of the corpus, so it is redone only when the sample, the seed, the repeats or the code change."""
    from .analysis.cross_city import DEFAULTS
    from .release import CV_REPEATS
    from .stats_tables import theme_check_files

    gold = theme_check_path(config)
    if not gold.is_file():
        log(f"theme check: no hand-coded theme sample at {gold}; the release says so")
        return
    seed = int(config.params.get("seed", DEFAULTS["seed"]))
    repeats = int(config.params.get("cv_repeats", CV_REPEATS))
    inputs = digest("theme_check", code_fingerprint(), gold, seed, repeats)
    if record.up_to_date("theme_check", inputs):
        log("theme check: up to date")
        return
    in_child(_theme_check_in_child, config.processed_dir, gold, seed, repeats)
    record.record("theme_check", inputs, theme_check_files(config.processed_dir))
    log(f"theme check: cross-validation of the theme coder against {gold.name} -> {stats_dir(config.processed_dir)}")


def release_step(config, record: BuildRecord, log: Callable[[str], None]) -> None:
    """Processed tables (and the stored theme check) -> ``datapackage.json``, ``README.md`` (with the
    accuracy against the hand annotation) and ``CITATION.cff``."""
    from . import __version__
    from .stats_tables import theme_check_files

    # CITATION.cff is not an input although the release reads it: the release rewrites it
    inputs = digest("release", code_fingerprint(), _processed_files(config),
                    Path(config.gold) if config.gold else None, config.accuracy,
                    theme_check_files(config.processed_dir))
    if record.up_to_date("release", inputs):
        log("release: up to date")
        return
    accuracy, written = in_child(_release_in_child, config.processed_dir, __version__, config.accuracy,
                                 Path(config.gold) if config.gold else None, config.citation_path)
    if accuracy:
        log(f"accuracy against {Path(config.gold).name if config.gold else 'given numbers'}: "
            f"precision {accuracy.get('precision', float('nan')):.3f}, recall {accuracy.get('recall', float('nan')):.3f}")
    record.record("release", inputs, written)
    log(f"release: {', '.join(p.name for p in written)}")


def statistics_step(config, record: BuildRecord, log: Callable[[str], None]) -> str | None:
    """Processed sentences -> the cross-city statistics (:mod:`qualitylib.stats_tables`), computed
    once for every notebook and profile of the run. Output: None, or what went wrong (bad parameters:
    the run goes on and fails where the statistics are needed, naming the notebook and cell)."""
    from .analysis.cross_city import statistics_parameters

    params = statistics_parameters(config.notebook_params())
    sentences = Path(config.processed_dir) / "sentences.csv"
    inputs = digest("statistics", code_fingerprint(), sentences, params)
    if record.up_to_date("statistics", inputs):
        log("statistics: up to date")
        return None
    log("statistics: theme shares, differences, TF-IDF, clustering, peers (once for all notebooks) ...")
    try:
        said, written = in_child(_statistics_in_child, config.processed_dir, params)
        for name in said:
            log(f"  statistics: {name}")
    except Exception as exc:  # noqa: BLE001 - reported; the notebooks then compute (and fail) in a named cell
        record.forget("statistics")
        message = f"statistics failed: {type(exc).__name__}: {exc}"
        log(f"FAILED: {message}")
        return message
    record.record("statistics", inputs, written)
    log(f"statistics: {len(written)} files -> {Path(config.processed_dir) / 'stats'}")
    return None


def _data_inputs(config, statistics: bool) -> list[Path]:
    """The files a notebook may read: the pipeline's tables, the statistics folder when it uses the
    stored statistics (``statistics``), ``data/external``, and every path-valued parameter that names a
    file. The release files beside the tables are left out: no notebook reads them, and the release is
    written while notebooks run."""
    processed = Path(config.processed_dir)
    files = sorted(p for p in processed.glob("*.csv") if not p.name.startswith("."))
    if statistics:
        files += sorted(p for p in stats_dir(processed).glob("*") if p.is_file() and not p.name.startswith("."))
    external = Path(config.root) / "data" / "external"
    files += sorted(p for p in external.rglob("*") if p.is_file()) if external.is_dir() else []
    for value in config.notebook_params().values():
        if isinstance(value, str) and value:
            path = Path(value) if Path(value).is_absolute() else Path(config.root) / value
            if path.is_file() and path not in files:
                files.append(path)
    return files


def needs_statistics(source: Path) -> bool:
    """Whether a notebook reads the stored cross-city statistics or theme check (``nb.statistics``,
    ``nb.theme_check``), or stored results (``nb.computed``: the statistics step stores the theme
    coding of every sentence): it then waits for the steps that write them (:func:`waits_for`)."""
    return bool(waits_for(source))


def waits_for(source: Path) -> tuple[str, ...]:
    """The steps a notebook waits for: ``"statistics"`` when it reads the stored statistics or stored
    results (``nb.statistics``, ``nb.computed``), ``"theme check"`` when it reads the theme check
    (``nb.theme_check``)."""
    text = Path(source).read_text(encoding="utf-8")
    needs = (("statistics", ("nb.statistics(", "nb.computed(")), ("theme check", ("nb.theme_check(",)))
    return tuple(step for step, calls in needs if any(call in text for call in calls))


def shares_results(source: Path) -> bool:
    """Whether a notebook stores analysis results for its run in the other language
    (``nb.computed``): that run then waits for the first language's, and reads them."""
    return "nb.computed(" in Path(source).read_text(encoding="utf-8")


def _figures_of(config, run: NotebookRun) -> list[Path]:
    prefix = run.notebook.split("_")[0] + "_"
    return sorted(p for p in Path(config.figures_dir).glob(f"{prefix}*_{run.lang}.*")
                  if not p.name.startswith(".") and not p.name.startswith("04_city_"))


def _external_inputs(config) -> list[Path]:
    """The files beside the processed tables a notebook may read without saying so: ``data/external``
    and every path-valued parameter that names a file (small; always part of a notebook's key)."""
    processed = set(_data_inputs(config, statistics=False)) - set(Path(config.processed_dir).glob("*.csv"))
    return sorted(processed)


def reads_log(config, run: NotebookRun) -> Path:
    """Where the notebook run notes what it reads (:mod:`qualitylib.notebook_reads`)."""
    return config.output_root() / CACHE_DIR / "reads" / f"{run.output.name}.jsonl"


def notebook_job(config, run: NotebookRun, record: BuildRecord, log: Callable[[str], None], source: Path,
                 kernel_manager) -> str:
    """Execute one notebook run unless its notebook, parameters, code and what it read last time (the
    tables, columns, statistics and files it noted: :mod:`qualitylib.notebook_reads`) are as they were.
    Output: ``"up to date"``, ``"done"`` or ``"failed"`` (the executed copy keeps the error and
    ``run.error`` says where)."""
    from .notebook_reads import EVERYTHING, READS_ENV, describe_reads, read_log

    step = f"notebook:{run.output.name}"
    fixed = digest("notebook", code_fingerprint(), source, run.params, config.export_html, _external_inputs(config))

    def key(reads: list[dict[str, Any]]) -> str:
        return digest(fixed, describe_reads(config.processed_dir, reads,
                                            lambda: digest(_data_inputs(config, needs_statistics(source)))))

    before = record.extra(step).get("reads")
    if before and record.up_to_date(step, key(before)):
        return "up to date"
    noted = reads_log(config, run)
    noted.parent.mkdir(parents=True, exist_ok=True)
    noted.unlink(missing_ok=True)
    execute(run, source, kernel_name=config.kernel_name, export=config.export_html, kernel_manager=kernel_manager,
            env={READS_ENV: str(noted)})
    if run.error:
        log(f"FAILED after {run.seconds:.1f}s: {run.label}: {run.error}")
        log(f"  executed copy with the error: {run.output}")
        record.forget(step)
        return "failed"
    # a run that noted nothing (its notebook does not use notebook.start) depends on every input
    reads = read_log(noted) or EVERYTHING
    outputs = [run.output] + ([run.output.with_suffix(".html")] if config.export_html else [])
    # how long it took orders the next run's notebooks (longest first)
    record.record(step, key(reads), outputs + _figures_of(config, run), save=False,
                  extra={"seconds": round(run.seconds, 1), "reads": reads})
    log(f"  {run.label} done in {run.seconds:.1f}s")
    return "done"


@dataclass
class Job:
    """One step of a run for :func:`run_jobs`: ``work()`` once every job named in ``after`` has finished.
    ``in_process``: the runner's own work (the theme check, the statistics, the release, each in a child
    process), not a notebook kernel; one at a time, so that notebooks always have the other cores."""

    name: str
    work: Callable[[], Any]
    after: tuple[str, ...] = ()
    in_process: bool = False


def run_jobs(jobs: Sequence[Job], workers: int, *, progress: Progress | None = None) -> dict[str, Any]:
    """Run ``jobs`` on ``workers`` threads, each as soon as what it waits for is done, in list order among
    the ready ones (put the long and the needed-by-others first), at most one ``in_process`` job at a time.
    Output: each job's result by name. A job that raises does not stop the others (those waiting for it
    still run, and find its outputs missing); its exception is raised at the end."""
    names = [j.name for j in jobs]
    unknown = sorted({a for j in jobs for a in j.after} - set(names))
    if unknown or len(set(names)) != len(names):
        raise ValueError(f"bad job list: unknown {unknown} or repeated names in {names}")
    waiting = list(jobs)
    running: dict[Future, Job] = {}
    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        while waiting or running:
            busy_in_process = any(j.in_process for j in running.values())
            for job in list(waiting):
                if len(running) >= max(1, workers):
                    break
                if any(a not in results for a in job.after) or (job.in_process and busy_in_process):
                    continue
                waiting.remove(job)
                running[pool.submit(job.work)] = job
                busy_in_process = busy_in_process or job.in_process
            if not running:  # cannot happen with a valid list: every job waits only for listed jobs
                raise RuntimeError(f"jobs waiting for each other: {[j.name for j in waiting]}")
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                job = running.pop(future)
                try:
                    results[job.name] = future.result()
                except BaseException as exc:  # noqa: BLE001 - raised after the others finished
                    results[job.name] = None
                    errors.append(exc)
                if progress is not None:
                    progress.advance()
    if errors:
        raise errors[0]
    return results


def profile_plans(documents: pd.DataFrame, wanted: Sequence[str] | None) -> list[tuple[str, str, str]]:
    """(doc_id, file-name slug, label) of every plan that gets a profile: the plans of the ``cities``
    parameter if given, else every plan, by slug. Slugs are unique (see :func:`tables.plan_slugs`)."""
    slugs = plan_slugs(documents)
    docs = filter_cities(documents, list(wanted or []))
    plans = [(str(d), slugs[d], f"{e if isinstance(e, str) and e else c} ({d})")
             for d, c, e in zip(docs["doc_id"], docs["city"], docs["city_en"])]
    return sorted(plans, key=lambda p: (p[1], p[0]))


def profile_steps(config, record: BuildRecord, log: Callable[[str], None]) -> list[str]:
    """Every plan's profile page and figures in every language (:mod:`qualitylib.profiles`), the
    changed ones only, ``config.workers`` processes side by side. Pages of plans that left the corpus
    are deleted. Output: one message per failed page."""
    params = config.notebook_params()
    cities = list(params.get("cities") or [])
    langs = config.effective_langs()
    formats = list(params.get("figure_formats") or ["png"])
    # all pages at once: when no input of any page changed (the usual scheduled run), the pages are up
    # to date without reading the tables and working out each plan's share of them
    # the statistics tables the pages are drawn from, not the whole folder: the theme check writes its
    # files there while the pages are drawn, and no page reads them
    everything = digest("profiles", code_fingerprint(), _processed_files(config),
                        statistics_files(config.processed_dir), params, langs, formats,
                        config.page_figures, str(Path(os.path.relpath(config.figures_dir, config.reports_dir))))
    if record.up_to_date("profiles", everything):
        log(f"profiles: up to date ({len(record.outputs('profiles'))} files)")
        return []
    # drawing pulls in Matplotlib: only when a page is to be checked or drawn
    from . import profiles
    from .stats_tables import statistics
    from .tables import load_national, load_processed, policy_sentences

    tables = load_processed(config.processed_dir)
    pool_sentences = (lambda: policy_sentences(filter_cities(tables["sentences"], cities))) if cities else None
    stats, source = statistics(config.processed_dir, params, cities=cities, sentences=pool_sentences)
    national_path = params.get("national_targets")
    national_file = (Path(national_path) if Path(str(national_path)).is_absolute() else Path(config.root) / national_path
                     ) if national_path else None
    national = load_national(national_file)
    plans = profile_plans(tables["documents"], cities)
    slugs = plan_slugs(tables["documents"])
    shared = digest("profile", code_fingerprint(), formats, langs[0], config.page_figures, stats["theme_shares"],
                    national, str(Path(os.path.relpath(config.figures_dir, config.reports_dir))))
    keys, stale = {}, []
    index = profiles.ProfileIndex(tables, stats)
    for doc_id, slug, _ in plans:
        plan_key = digest(shared, profiles.profile_key(tables, stats, plan=doc_id, cities=cities, slugs=slugs,
                                                       index=index))
        for lang in langs:
            step = f"profile:{slug}:{lang}"
            keys[step] = digest(plan_key, lang)
            if not record.up_to_date(step, keys[step]):
                stale.append((doc_id, lang, step))
    # a plan that left the corpus (or a language no longer made) leaves no page behind
    for step in record.steps_like("profile:"):
        if step not in keys:
            for path in record.outputs(step):
                path.unlink(missing_ok=True)
            record.forget(step)
    log(f"profiles: {len(plans)} plans x {len(langs)} language(s); {len(keys) - len(stale)} up to date"
        + (f"; {source}" if stale else ""))
    if not stale:
        _record_all_pages(record, everything, keys)
        return []
    workers = max(1, min(config.workers or os.cpu_count() or 1, len(stale)))
    bar = Progress(len(stale), "profiles", prefix="  ")
    step_of = {(d, lang): step for d, lang, step in stale}
    failures: list[str] = []

    def done(result: tuple[str, str, list[str], str | None]) -> None:
        doc_id, lang, paths, error = result
        step = step_of[(doc_id, lang)]
        if error:
            failures.append(f"profile of {doc_id} ({lang}) failed: {error}")
            log(f"FAILED: profile of {doc_id} ({lang}): {error}")
            record.forget(step)
        else:
            record.record(step, keys[step], paths, save=False)
        bar.advance()

    profiles.write_profiles(tables, stats, national, [(d, lang) for d, lang, _ in stale],
                            figures_dir=config.figures_dir, reports_dir=config.reports_dir, formats=formats,
                            first_lang=langs[0], cities=cities, figures=config.page_figures, jobs=workers,
                            done=done)
    bar.close()
    if failures:
        record.forget("profiles")
    else:
        _record_all_pages(record, everything, keys)
    record.save()
    log(f"profiles: {len(stale) - len(failures)} pages written on {workers} worker(s) -> {config.reports_dir}")
    return failures


def _record_all_pages(record: BuildRecord, everything: str, keys: dict[str, str]) -> None:
    outputs = [p for step in keys for p in record.outputs(step)]
    record.record("profiles", everything, outputs, save=False)

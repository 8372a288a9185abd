"""The runner: raw texts -> processed tables -> every notebook -> reports, in one locked, atomic run.

``qualitylib run [--params FILE] [--only NOTEBOOK...]`` calls ``run(load_config(FILE))``:

1. take a lock (``.qualitylib.lock`` in the output root, ``fcntl.flock`` non-blocking), so two
   scheduled runs can never write the same outputs at once; a second run exits with a message;
2. run the pipeline (:func:`qualitylib.pipeline.run_pipeline`, documents unchanged since the last run
   taken from its per-document cache) and write the tables to ``processed_dir``;
3. run the theme check, the release (:func:`qualitylib.release.write_release`), the cross-city
   statistics and every notebook (papermill, kernel ``python3``, cwd = the notebooks folder, the
   parameters of the YAML file, once per language in ``langs``) side by side on ``workers`` threads,
   each as soon as the files it reads exist (:func:`qualitylib.run_steps.run_jobs`). What runs is the
   notebook's percent-script source (``notebooks/NN_name.py``), not its ``.ipynb`` pair. Notebook 04
   is not executed per city: every plan's profile page is drawn by
   :func:`qualitylib.run_steps.profile_steps`, a job of the same kind that starts once the statistics
   are stored and a worker is free;
4. keep an executed copy of each notebook in ``reports/`` and an HTML export next to it.

Naming: ``reports/<notebook>.ipynb|.html`` for the first language, ``<notebook>_<lang>`` for the
others; profile pages are ``04_city_profile_<plan>`` (plus ``_<lang>``). Figures are written by the
notebooks to ``figures_dir`` as ``<name>_<lang>.<fmt>``.

Determinism: the pipeline and figures are deterministic (seeded bootstrap, fixed SVG hash salt, no
timestamps in PNG/SVG metadata); executed notebooks are stripped of execution timestamps, durations
and absolute paths before they are written, and the HTML export is made from the stripped notebook,
so rerunning on the same inputs gives byte-identical reports. Every file is written to a temporary
name and moved into place with ``os.replace``.

A failing notebook does not stop the run: the others still run, the executed copy keeps the error,
stderr names the notebook and the failing cell, and :func:`run` returns 1.
"""
from __future__ import annotations

import errno
import fcntl
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import yaml

from . import paths
from .kernel_zygote import Zygote
from .notebook_execution import NotebookRun, clean_notebook, export_html, local_kernel_manager
from .notebook_sources import declared_parameters
from .paths import find_root, resolve
from .run_params import RUNNER_KEYS, ParameterError, check_parameters
from .stats_tables import stats_dir

__all__ = [
    "NOTEBOOKS",
    "CITY_NOTEBOOK",
    "LOCK_NAME",
    "RunConfig",
    "LockHeld",
    "find_root",
    "load_config",
    "run",
    "run_lock",
    "clean_notebook",
    "export_html",
]

NOTEBOOKS = ("01_indicator_table", "02_compare_ambitions", "03_policy_emphasis", "04_city_profile",
             "05_responsibility_and_commitment")
CITY_NOTEBOOK = "04_city_profile"
LOCK_NAME = ".qualitylib.lock"
KERNEL = "python3"
LANGS = ("zh", "en")
#: Path-valued notebook parameters, resolved against the project root before they are passed on.
PATH_PARAMS = ("raw_dir", "processed_dir", "figures_dir", "national_targets")
QUICK_N_BOOT = 20
EXIT_OK, EXIT_FAILED, EXIT_LOCKED = 0, 1, 3


class LockHeld(RuntimeError):
    """Another run holds the lock on the output root."""


@dataclass
class RunConfig:
    """Everything one run needs. Paths are absolute (``load_config`` resolves them).

    ``params`` are the notebook parameters (cities, figure_formats, lang, seed, n_boot, ...);
    ``notebooks`` a subset of ``NOTEBOOKS`` (stems; empty = all); ``langs`` the figure languages
    (each notebook runs once per language); ``quick`` caps ``n_boot`` at 20 and keeps one figure
    format and one language -- for smoke runs and tests."""

    raw_dir: Path
    processed_dir: Path
    figures_dir: Path
    reports_dir: Path
    params_file: Path | None = None
    documents_csv: Path | None = None
    notebooks: list[str] = field(default_factory=lambda: list(NOTEBOOKS))
    langs: list[str] = field(default_factory=lambda: list(LANGS))
    quick: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    root: Path = field(default_factory=lambda: find_root())
    notebooks_dir: Path | None = None
    citation_path: Path | None = None
    lock_path: Path | None = None
    accuracy: dict | None = None
    gold: Path | None = None
    export_html: bool = True
    kernel_name: str = KERNEL
    #: strict (the default): a skipped or duplicate document or an unmatched curated row makes the run
    #: exit 1 although every output was written, so a scheduled run cannot hide it
    strict: bool = True
    #: leave the list of warnings out of the closing summary (their count stays)
    quiet: bool = False
    #: notebook runs and profile pages side by side (None: one per CPU core); ``-j N``
    workers: int | None = None
    #: redo every step, even those whose inputs did not change (``--force``)
    force: bool = False
    #: the figures of each city-profile page; the targets also appear as a table on the page, and drawing
    #: them as an image doubles the cost of a page (notebook 04 always draws all three)
    page_figures: list[str] = field(default_factory=lambda: ["emphasis", "peers"])
    #: kernels forked from one process that imported pandas, Matplotlib and qualitylib once
    #: (:mod:`qualitylib.kernel_zygote`); False starts every kernel the ordinary way
    fork_kernels: bool = True

    def __post_init__(self) -> None:
        for name in ("raw_dir", "processed_dir", "figures_dir", "reports_dir", "root"):
            setattr(self, name, Path(getattr(self, name)))
        if self.notebooks_dir is None:
            self.notebooks_dir = self.root / paths.NOTEBOOKS_DIR
        if self.citation_path is None:
            self.citation_path = self.root / paths.CITATION_FILE
        self.notebooks = normalise_notebooks(self.notebooks)
        bad = [lang for lang in self.langs if lang not in LANGS]
        if bad or not self.langs:
            raise ValueError(f"langs must be a non-empty subset of {list(LANGS)}, got {self.langs}")

    # what the run actually uses ------------------------------------------------------------
    def effective_langs(self) -> list[str]:
        return list(self.langs[:1] if self.quick else self.langs)

    def notebook_params(self) -> dict[str, Any]:
        """Notebook parameters with paths made absolute-or-root-relative and ``quick`` applied."""
        p = dict(self.params)
        p["raw_dir"] = self.raw_dir
        p["processed_dir"] = self.processed_dir
        p["figures_dir"] = self.figures_dir
        for key in PATH_PARAMS:
            if key in p and p[key] is not None:
                p[key] = _portable(resolve(p[key], self.root), self.root)
        if self.quick:
            p["n_boot"] = min(int(p.get("n_boot", QUICK_N_BOOT)), QUICK_N_BOOT)
            formats = p.get("figure_formats") or ["png"]
            p["figure_formats"] = list(formats)[:1]
        return p

    def output_root(self) -> Path:
        """The folder the lock lives in: the deepest folder containing all outputs."""
        if self.lock_path is not None:
            return Path(self.lock_path).parent
        outs = [self.processed_dir, self.figures_dir, self.reports_dir]
        common = Path(os.path.commonpath([str(p.resolve()) for p in outs]))
        return common if common != Path(common.anchor) else self.reports_dir


def _portable(path: Path, root: Path) -> str:
    """Root-relative string when inside the root (reports stay the same in another checkout),
    absolute otherwise."""
    try:
        return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix() \
            if path.resolve().is_relative_to(root.resolve()) else str(path)
    except ValueError:
        return str(path)


def normalise_notebooks(names: Sequence[str] | None) -> list[str]:
    """``['02', '04_city_profile.ipynb']`` -> ``['02_compare_ambitions', '04_city_profile']`` (in
    canonical order). Unknown names raise ValueError listing the known ones."""
    if not names:
        return list(NOTEBOOKS)
    chosen = set()
    for name in names:
        stem = Path(str(name)).name.removesuffix(".ipynb")
        hits = [nb for nb in NOTEBOOKS if nb == stem or nb.split("_")[0] == stem or nb.startswith(stem + "_")]
        if len(hits) != 1:
            raise ParameterError(f"unknown notebook {name!r}; choose from {list(NOTEBOOKS)} (or their numbers)")
        chosen.add(hits[0])
    return [nb for nb in NOTEBOOKS if nb in chosen]


def load_config(params_file: str | os.PathLike[str] | None = None, *, notebooks: Sequence[str] | None = None,
                quick: bool | None = None, **overrides: Any) -> RunConfig:
    """Read a papermill parameter file (YAML) into a :class:`RunConfig`.

    Input: the YAML path (default: ``notebooks/params/default.yaml`` of the project); optional
    ``notebooks`` subset (``--only``), ``quick`` and any other :class:`RunConfig` field to override.
    Relative paths in the file are relative to the project root (the folder with ``pyproject.toml``
    above the file). Keys in ``RUNNER_KEYS`` configure the run; all other keys are notebook
    parameters, passed to each notebook that declares them.
    """
    if params_file is None:
        root = find_root()
        params_file = root / paths.DEFAULT_PARAMS
    params_file = Path(params_file).resolve()
    if not params_file.is_file():
        raise FileNotFoundError(f"parameter file {params_file} does not exist")
    root = find_root(params_file.parent)
    try:
        data = yaml.safe_load(params_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{params_file}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{params_file}: expected a mapping of parameter names to values")
    check_parameters(data, params_file, resolve(data.get("notebooks_dir") or paths.NOTEBOOKS_DIR, root))
    lang = data.get("lang", "zh")
    langs = data.get("langs") or [lang]
    if lang in langs:  # the notebook's own language first: it gets the plain report name
        langs = [lang] + [x for x in langs if x != lang]
    cfg: dict[str, Any] = dict(
        raw_dir=resolve(data.get("raw_dir", paths.RAW_DIR), root),
        # absent: the project's curated file if there is one; null or empty: no curated metadata at all
        documents_csv=paths.default_documents_csv(root) if "documents_csv" not in data
        else (resolve(data["documents_csv"], root) if data["documents_csv"] else None),
        processed_dir=resolve(data.get("processed_dir", paths.PROCESSED_DIR), root),
        figures_dir=resolve(data.get("figures_dir", paths.FIGURES_DIR), root),
        reports_dir=resolve(data.get("reports_dir", paths.REPORTS_DIR), root),
        params_file=params_file,
        notebooks=normalise_notebooks(notebooks if notebooks else data.get("notebooks")),
        langs=list(langs),
        quick=bool(data.get("quick", False)) if quick is None else bool(quick),
        params={k: v for k, v in data.items() if k not in RUNNER_KEYS},
        root=root,
        accuracy=data.get("accuracy"),
        gold=resolve(data["gold"], root) if data.get("gold") else None,
        export_html=bool(data.get("export_html", True)),
        fork_kernels=bool(data.get("fork_kernels", True)),
        kernel_name=str(data.get("kernel_name", KERNEL)),
        workers=data.get("workers"),
    )
    if data.get("page_figures") is not None:
        cfg["page_figures"] = list(data["page_figures"])
    for key in ("notebooks_dir", "citation_path", "lock_path"):
        if data.get(key):
            cfg[key] = resolve(data[key], root)
    cfg.update(overrides)
    return RunConfig(**cfg)


# --------------------------------------------------------------------------------------------
# lock
# --------------------------------------------------------------------------------------------
@contextmanager
def run_lock(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold an exclusive, non-blocking ``flock`` on ``path`` for the duration of the block.
    Raises :class:`LockHeld` (naming the holder's pid when known) if another process holds it.
    The file itself is left in place (deleting a lock file others may be waiting on is a race)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        holder = ""
        try:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        except OSError:
            pass
        os.close(fd)
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise LockHeld(f"another qualitylib run{f' (pid {holder})' if holder else ''} holds {p}; "
                           "wait for it to finish (the lock is released when that process exits)") from None
        raise
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield p
    finally:
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _source(config: RunConfig, notebook: str) -> Path:
    """The percent-script source of a notebook; the runner executes it, never a possibly stale pair."""
    path = config.notebooks_dir / f"{notebook}.py"
    if not path.is_file():
        raise FileNotFoundError(f"notebook source {path} does not exist")
    return path



def _plan_runs(config: RunConfig) -> list[NotebookRun]:
    """Every (notebook, language) run but notebook 04's (city profiles are made by
    :func:`qualitylib.run_steps.profile_steps`), with its output path and parameters."""
    base = config.notebook_params()
    langs = config.effective_langs()
    runs = []
    for nb in config.notebooks:
        if nb == CITY_NOTEBOOK:
            continue
        declared = declared_parameters(_source(config, nb))
        for i, lang in enumerate(langs):
            suffix = "" if i == 0 else f"_{lang}"
            params = {k: v for k, v in {**base, "lang": lang}.items() if k in declared}
            runs.append(NotebookRun(nb, lang, config.reports_dir / f"{nb}{suffix}.ipynb", params))
    return runs


def run(config: RunConfig) -> int:
    """Run the pipeline, the release and every selected notebook (see the module docstring).
    Output: exit status -- 0 all good, 1 a notebook or the pipeline failed, 3 another run holds
    the lock. Progress and errors go to stderr."""
    t0 = time.monotonic()

    def log(msg: str) -> None:
        # one write per line: lines from runs side by side must not run into each other
        sys.stderr.write(f"[qualitylib {time.monotonic() - t0:6.1f}s] {msg}\n")
        sys.stderr.flush()

    lock = config.lock_path or (config.output_root() / LOCK_NAME)
    try:
        with run_lock(lock):
            return _run_locked(config, log)
    except LockHeld as exc:
        print(f"qualitylib run: refusing to start: {exc}", file=sys.stderr, flush=True)
        return EXIT_LOCKED


#: Names of the temporary files a run writes before moving them into place (atomic writes, executed
#: notebooks); a run killed with ``kill -9`` leaves them behind.
_LEFTOVER_PATTERNS = (".*.tmp", ".*.running.ipynb")


def clean_leftovers(folders: Sequence[Path]) -> list[Path]:
    """Input: output folders. Output: the temporary files of earlier, interrupted runs found there, now
    deleted. Safe only under the run lock: no other run can be writing them."""
    removed = []
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        for pattern in _LEFTOVER_PATTERNS:
            for path in sorted(Path(folder).glob(pattern)):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _run_locked(config: RunConfig, log) -> int:
    from . import run_steps
    from .records import RECORD_NAME, BuildRecord

    config.notebooks = normalise_notebooks(config.notebooks)  # also when set after load_config (--only)
    log(f"params {config.params_file or '(none)'}; notebooks {', '.join(config.notebooks)}; "
        f"langs {', '.join(config.effective_langs())}{'; quick' if config.quick else ''}"
        f"{'; --force: everything is redone' if config.force else ''}")
    if not config.raw_dir.exists():
        log(f"ERROR: raw folder {config.raw_dir} does not exist")
        return EXIT_FAILED
    leftovers = clean_leftovers([config.processed_dir, config.figures_dir, config.reports_dir,
                                 Path(config.citation_path).parent, stats_dir(config.processed_dir)])
    if leftovers:
        log(f"removed {len(leftovers)} temporary file(s) left by an interrupted run, e.g. {leftovers[0]}")
    if config.documents_csv is not None and not Path(config.documents_csv).is_file():
        log(f"ERROR: curated metadata file {config.documents_csv} does not exist")
        return EXIT_FAILED
    record = BuildRecord(config.output_root() / RECORD_NAME, root=config.output_root(), force=config.force)
    summary = run_steps.pipeline_step(config, record, log)
    for problem in summary.problems:
        log(f"  {problem}")
    if summary.documents.empty:
        log("ERROR: no document could be processed; notebooks not run")
        return EXIT_FAILED
    try:
        runs = _plan_runs(config)
        # checked before any work, so a misspelt city fails at once
        plans = run_steps.profile_plans(summary.documents, config.params.get("cities"))
    except ValueError as exc:
        log(f"ERROR: {exc}")
        return EXIT_FAILED
    failures, page_failures = _run_jobs(config, runs, record, log, profiles=bool(plans))
    if failures:
        log(f"{len(failures)} of {len(runs)} notebook runs failed:")
        for r in failures:
            print(f"  {r.error}", file=sys.stderr, flush=True)
    if not failures and not page_failures:
        log("up to date: nothing changed since the last run (--force redoes everything)" if record.ran == 0 else
            f"done: {record.ran} step(s) redone; figures in {config.figures_dir}, reports in {config.reports_dir}")
    return _summary(config, summary, failures, log, page_failures=page_failures)


def _run_jobs(config: RunConfig, runs: list[NotebookRun], record, log, *, profiles: bool = True
              ) -> tuple[list[NotebookRun], list[str]]:
    """The theme check, the release, the statistics, the notebook runs and (``profiles``, when notebook 04
    is chosen) the profile pages, side by side on ``config.workers`` threads
    (:func:`qualitylib.run_steps.run_jobs`): each waits only for the steps whose files it reads. Output:
    the failed notebook runs, and what went wrong with the statistics or the profile pages."""
    from . import run_steps
    from .progress import Progress
    from .run_steps import Job

    sources = {nb: _source(config, nb) for nb in {r.notebook for r in runs}}
    waits = {nb: run_steps.waits_for(src) for nb, src in sources.items()}
    with_stats = {nb for nb, steps in waits.items() if steps}
    with_profiles = profiles and CITY_NOTEBOOK in config.notebooks
    stats_failure: list[str] = []

    def statistics() -> None:
        failure = run_steps.statistics_step(config, record, log)
        stats_failure.extend([failure] if failure else [])

    def profile_pages() -> list[str]:
        # pages are drawn from the stored statistics: without them there is nothing to draw from
        return list(stats_failure) or run_steps.profile_steps(config, record, log)

    # the statistics first: notebook 05 and the profile pages need them, notebook 03 and the release also
    # the theme check (one child process at a time: the other cores stay with the notebooks)
    jobs = [Job("statistics", statistics, in_process=True)] if with_stats or with_profiles else []
    jobs.append(Job("theme check", lambda: run_steps.theme_check_step(config, record, log), in_process=True))
    # longest first (as long as last time), so that the last to finish is a short one
    last = {r.output.name: float(record.extra(f"notebook:{r.output.name}").get("seconds", 0.0)) for r in runs}
    order = sorted(runs, key=lambda r: (r.notebook not in with_stats, -last[r.output.name]))
    outcome: dict[str, str] = {}

    def notebook(run: NotebookRun):
        def work() -> None:
            outcome[run.output.name] = run_steps.notebook_job(config, run, record, log, sources[run.notebook],
                                                               kernel_manager)
        return work

    # a notebook whose results are stored by nb.computed: its run in a later language waits for the
    # first language's run, and reads what it computed instead of computing it again side by side
    sharing = {nb for nb, src in sources.items() if run_steps.shares_results(src)}
    first_lang = {}
    for r in runs:
        first_lang.setdefault(r.notebook, r)

    def after(r: NotebookRun) -> tuple[str, ...]:
        lead = first_lang[r.notebook]
        return waits[r.notebook] + ((lead.label,) if r.notebook in sharing and lead is not r else ())

    jobs += [Job(r.label, notebook(r), after=after(r)) for r in order]
    jobs.append(Job("release", lambda: run_steps.release_step(config, record, log), after=("theme check",),
                    in_process=True))
    # last in the list: the pages start when a worker is free after the statistics, beside the last
    # notebooks, instead of after all of them
    if with_profiles:
        jobs.append(Job("profiles", profile_pages, after=("statistics",)))
    workers = max(1, config.workers or os.cpu_count() or 1)
    log(f"{len(runs)} notebook run(s), theme check, statistics, release{', profile pages' if with_profiles else ''}: "
        f"on {workers} worker(s)")
    bar = Progress(len(jobs), "steps", prefix="  ")
    with tempfile.TemporaryDirectory(prefix="qualitylib-kernels-") as sockets:
        zygote = Zygote(sockets, config.notebooks_dir) if config.fork_kernels else None
        kernel_manager = local_kernel_manager(sockets, config.notebooks_dir, zygote=zygote)
        try:
            results = run_steps.run_jobs(jobs, workers, progress=bar)
        finally:
            if zygote is not None:
                zygote.close()
    bar.close()
    if any(v != "up to date" for v in outcome.values()):
        record.save()  # the notebook runs are recorded without saving, one save for all
    fresh = sum(1 for v in outcome.values() if v == "up to date")
    if runs and fresh:
        log(f"notebooks: {fresh} of {len(runs)} up to date")
    page_failures = results.get("profiles") if with_profiles else stats_failure
    return [r for r in runs if outcome.get(r.output.name) == "failed"], list(page_failures or [])


def _summary(config: RunConfig, result, failures: list, log, *, page_failures: Sequence[str] = ()) -> int:
    """The closing summary on stderr: every problem and warning of the run, and the exit status with its
    reason. Output: the exit status (1 for a failed notebook run, or failed statistics or profile pages;
    1 for a skipped or duplicate document or an unmatched curated row unless the run is lenient)."""
    if result.warnings:
        log(f"{len(result.warnings)} warning(s)" + (" (listing hidden by --quiet)" if config.quiet else ":"))
        if not config.quiet:
            for w in result.warnings:
                print(f"  {w}", file=sys.stderr, flush=True)
    if result.problems:
        log(f"{len(result.problems)} problem(s) with the input:")
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr, flush=True)
    reasons = []
    if failures:
        reasons.append(f"{len(failures)} notebook run(s) failed")
    if page_failures:
        reasons.append(f"{len(page_failures)} failure(s) of the statistics or the profile pages")
    if result.problems and config.strict:
        reasons.append(f"{len(result.problems)} input problem(s) (--lenient exits 0 for these)")
    if reasons:
        log(f"exit status {EXIT_FAILED}: " + "; ".join(reasons))
        return EXIT_FAILED
    if result.problems:
        log(f"exit status {EXIT_OK} although {len(result.problems)} input problem(s) were found (--lenient)")
    return EXIT_OK

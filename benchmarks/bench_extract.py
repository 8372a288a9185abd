"""Throughput and memory of target extraction on synthetic corpora (see benchmarks/README.md).

Measured, each in a fresh Python process so that peak memory belongs to that run alone:

* a batch of N generated documents (default 1,000 and 10,000) on ``--workers`` processes
  (multiprocessing pool, chunked); each worker cleans and extracts one file per task with
  ``clean_file`` + ``pipeline.process_documents`` (metadata inference, sentences, targets), the same
  per-document path as ``qualitylib extract``;
* the smallest N in one process without a pool (per-core throughput);
* ``qualitylib extract data/raw -o FILE`` as a whole command (best of 5), and bare ``import`` of the
  pipeline for comparison.

Prints a Markdown table. Usage:
``python benchmarks/bench_extract.py [--sizes 1000 10000] [--workers 2] [--keep] [--seed 0]``
"""
from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate_corpus  # noqa: E402  (a sibling script, not a package)


# --------------------------------------------------------------------------------------------------
# The measured work
# --------------------------------------------------------------------------------------------------

def _quiet() -> None:
    # Cleaning logs a warning per unrecoverable mojibake character; thousands of them would flood
    # stderr and their output would be timed too. The CLI does the same (log level ERROR unless -v).
    logging.getLogger("qualitylib").setLevel(logging.ERROR)


def process_file(path: str) -> tuple[str, int, int, int, str | None]:
    """Input: path of one raw document. Output: (name, raw bytes, targets, policy sentences, error).
    Cleans and extracts it as the pipeline does for one document (no curated documents.csv rows);
    a failure is returned, not raised, so one bad file never sinks the batch."""
    from qualitylib.text.clean import clean_file
    from qualitylib.pipeline import process_documents

    p = Path(path)
    size = p.stat().st_size
    try:
        doc = clean_file(p)
        _docs, sentences, targets, _warnings = process_documents([doc], {})
    except Exception as exc:  # noqa: BLE001 - reported per document
        return p.name, size, 0, 0, f"{type(exc).__name__}: {exc}"
    return p.name, size, len(targets), int((sentences["role"] == "policy").sum()), None


@dataclass
class BatchResult:
    """Counts and wall time of one batch."""

    n_docs: int = 0
    n_failed: int = 0
    raw_bytes: int = 0
    targets: int = 0
    sentences: int = 0
    seconds: float = 0.0
    workers: int = 1
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def docs_per_s(self) -> float:
        return self.n_docs / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.raw_bytes / 1e6 / self.seconds if self.seconds else 0.0


def _chunksize(n: int, workers: int) -> int:
    return max(1, min(64, n // (workers * 16)))


def _start_method() -> str:
    # fork: workers inherit the imported library (and its caches warmed in the parent) at no cost.
    return "fork" if "fork" in mp.get_all_start_methods() else mp.get_start_method()


def run_batch(paths: list[str | Path], workers: int = 2, chunksize: int | None = None) -> BatchResult:
    """Input: raw document paths, number of worker processes (1 = in this process, no pool).
    Output: ``BatchResult`` with counts, failures and wall time (pool start-up included)."""
    import qualitylib.pipeline  # noqa: F401  imported before forking, so workers share it

    _quiet()
    files = [str(p) for p in paths]
    res = BatchResult(workers=workers)
    t0 = time.perf_counter()
    if workers <= 1:
        rows = map(process_file, files)
        res = _collect(res, rows)
    else:
        ctx = mp.get_context(_start_method())
        with ctx.Pool(workers, initializer=_quiet) as pool:
            rows = pool.imap_unordered(process_file, files, chunksize=chunksize or _chunksize(len(files), workers))
            res = _collect(res, rows)
            pool.close()
            pool.join()
    res.seconds = time.perf_counter() - t0
    return res


def _collect(res: BatchResult, rows) -> BatchResult:
    for name, size, n_targets, n_sentences, error in rows:
        res.n_docs += 1
        res.raw_bytes += size
        res.targets += n_targets
        res.sentences += n_sentences
        if error:
            res.n_failed += 1
            res.failures.append((name, error))
    return res


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def _current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().split("\n"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _system_busy_s() -> float:
    """CPU seconds all processes of the machine have used since boot (Linux /proc/stat), or NaN."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _cpu_s(who: int) -> float:
    ru = resource.getrusage(who)
    return ru.ru_utime + ru.ru_stime


def measure(list_file: str, workers: int) -> dict:
    """Runs one batch in *this* process (meant to be a fresh one) and returns its numbers plus peak
    RSS of this process and of its largest worker."""
    t_import = time.perf_counter()
    import qualitylib.pipeline  # noqa: F401

    import_s = time.perf_counter() - t_import
    rss_after_import = _maxrss_mb(resource.RUSAGE_SELF)
    paths = Path(list_file).read_text(encoding="utf-8").split("\n")
    paths = [p for p in paths if p]
    load_before = os.getloadavg()[0]
    busy0 = _system_busy_s()
    cpu0 = _cpu_s(resource.RUSAGE_SELF)
    res = run_batch(paths, workers=workers)
    cpu_s = _cpu_s(resource.RUSAGE_SELF) - cpu0 + _cpu_s(resource.RUSAGE_CHILDREN)
    other_cpu_s = max(0.0, _system_busy_s() - busy0 - cpu_s)
    out = asdict(res)
    out.update(
        other_cpu_s=other_cpu_s,
        cpu_s=cpu_s,
        mb_per_cpu_s=res.raw_bytes / 1e6 / cpu_s if cpu_s else 0.0,
        loadavg_before=load_before,
        loadavg_after=os.getloadavg()[0],
        failures=res.failures[:20],
        docs_per_s=res.docs_per_s,
        mb_per_s=res.mb_per_s,
        import_s=import_s,
        rss_after_import_mb=rss_after_import,
        peak_rss_self_mb=_maxrss_mb(resource.RUSAGE_SELF),
        rss_end_mb=_current_rss_mb(),
        peak_rss_children_mb=_maxrss_mb(resource.RUSAGE_CHILDREN),
        start_method=_start_method() if workers > 1 else "-",
    )
    return out


def measure_in_subprocess(paths: list[Path], workers: int, tmp: Path) -> dict:
    list_file = tmp / f"list_{len(paths)}_{workers}.txt"
    list_file.write_text("\n".join(map(str, paths)), encoding="utf-8")
    proc = subprocess.run([sys.executable, __file__, "--_measure", str(list_file), "--workers", str(workers)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"measurement failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().split("\n")[-1])


# --------------------------------------------------------------------------------------------------
# Whole-command timing
# --------------------------------------------------------------------------------------------------

def _qualitylib_exe() -> list[str]:
    exe = Path(sys.executable).parent / "qualitylib"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("qualitylib")
    return [found] if found else [sys.executable, "-m", "qualitylib.cli"]


def best_of(cmd: list[str], repeats: int) -> tuple[float, int]:
    """Output: (best wall seconds, return code of the last run) over ``repeats`` runs of ``cmd``."""
    best, rc = float("inf"), 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
        best = min(best, time.perf_counter() - t0)
        rc = proc.returncode
    return best, rc


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------

def table_row(label: str, r: dict) -> str:
    cores = r["workers"]
    return (f"| {label} | {r['n_docs']:,} | {r['raw_bytes'] / 1e6:,.1f} | {r['seconds']:,.1f} | "
            f"{r['docs_per_s']:,.1f} | {r['mb_per_s']:.2f} | {r['mb_per_s'] / cores:.2f} | {r['cpu_s']:,.1f} | "
            f"{r['mb_per_cpu_s']:.2f} | {r['other_cpu_s']:,.0f} | {r['rss_end_mb']:,.0f} | "
            f"{r['peak_rss_self_mb']:,.0f} | {r['peak_rss_children_mb']:,.0f} | {r['targets']:,} | {r['n_failed']} |")


TABLE_HEAD = (
    "| run | docs | raw MB | wall s | docs/s | MB/s | MB/s per process | CPU s | MB per CPU-s "
    "| other processes' CPU s | RSS main at end (MB) | peak RSS main (MB) | peak RSS worker (MB) | targets | failed |\n"
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def _code_version() -> str:
    """Output: the commit of the measured code, with '+dirty' when qualitylib/ has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "qualitylib"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def report(batches: list[tuple[str, dict]], linearity: tuple[float, float] | None, cli: list[tuple[str, float, int]],
           gen: tuple[int, float, float], repeats: int = 5) -> str:
    """Output: the Markdown report (batch table, linearity, generation time, whole-command table)."""
    import pandas as pd

    lines = [f"Code {_code_version()}; machine: {os.cpu_count()} CPUs (os.cpu_count), Python {sys.version.split()[0]}, "
             f"pandas {pd.__version__}, pool start method {_start_method()}.", "", TABLE_HEAD]
    lines += [table_row(label, r) for label, r in batches]
    lines.append("")
    if linearity is not None:
        lines.append(f"Linearity (time per document at {batches[1][1]['n_docs']:,} / at {batches[0][1]['n_docs']:,} "
                     f"documents; 1.00 = linear): wall **{linearity[0]:.2f}**, CPU **{linearity[1]:.2f}**.")
    n, mb, s = gen
    lines.append(f"Corpus generation: {n:,} documents, {mb:,.1f} MB in {s:.1f} s (not included above).")
    lines.append("")
    lines.append(f"| whole command | best of {repeats} (s) | exit code |")
    lines.append("|---|--:|--:|")
    for label, secs, rc in cli:
        lines.append(f"| `{label}` | {secs:.2f} | {rc} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus in the temp dir")
    ap.add_argument("--repeats", type=int, default=5, help="runs of the whole-command timing")
    ap.add_argument("--json", help="also write all numbers to this JSON file")
    ap.add_argument("--_measure", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._measure:  # child mode: one measurement, JSON on stdout
        print(json.dumps(measure(args._measure, args.workers)))
        return 0

    sizes = sorted(set(args.sizes))
    tmp = Path(tempfile.mkdtemp(prefix="qualitylib-bench-"))
    try:
        corpus = tmp / "corpus"
        t0 = time.perf_counter()
        paths = generate_corpus.generate(max(sizes), corpus, seed=args.seed)
        gen_s = time.perf_counter() - t0
        gen_mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"generated {len(paths):,} documents ({gen_mb:.1f} MB) in {gen_s:.1f} s -> {corpus}", file=sys.stderr)

        batches: list[tuple[str, dict]] = []
        for n in sizes:
            r = measure_in_subprocess(paths[:n], args.workers, tmp)
            batches.append((f"pool, {args.workers} workers", r))
            print(f"  {n:>6,} docs, {args.workers} workers: {r['seconds']:.1f} s, {r['docs_per_s']:.1f} docs/s, "
                  f"{r['mb_per_s']:.2f} MB/s, {r['n_failed']} failed", file=sys.stderr)
        n1 = sizes[0]
        r = measure_in_subprocess(paths[:n1], 1, tmp)
        batches.append(("1 process, no pool", r))
        print(f"  {n1:>6,} docs, 1 process: {r['seconds']:.1f} s, {r['mb_per_s']:.2f} MB/s", file=sys.stderr)

        linearity = None
        if len(sizes) >= 2:
            small, large = batches[0][1], batches[len(sizes) - 1][1]
            linearity = ((large["seconds"] / large["n_docs"]) / (small["seconds"] / small["n_docs"]),
                         (large["cpu_s"] / large["n_docs"]) / (small["cpu_s"] / small["n_docs"]))

        out_csv = tmp / "x.csv"
        cli = []
        cmd = _qualitylib_exe() + ["extract", "data/raw", "-o", str(out_csv)]
        secs, rc = best_of(cmd, args.repeats)
        cli.append(("qualitylib extract data/raw -o x.csv", secs, rc))
        secs, rc = best_of([sys.executable, "-c", "import qualitylib.pipeline"], args.repeats)
        cli.append(("python -c 'import qualitylib.pipeline'", secs, rc))
        secs, rc = best_of([sys.executable, "-c", "pass"], args.repeats)
        cli.append(("python -c pass", secs, rc))

        text = report(batches, linearity, cli, (len(paths), gen_mb, gen_s), args.repeats)
        print(text)
        for label, r in batches:
            for name, err in r["failures"]:
                print(f"FAILED ({label}, {r['n_docs']} docs): {name}: {err}", file=sys.stderr)
        if args.json:
            Path(args.json).write_text(json.dumps({"batches": batches, "linearity": linearity, "cli": cli,
                                                   "generation": [len(paths), gen_mb, gen_s]}, indent=1),
                                       encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

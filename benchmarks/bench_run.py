"""Whole runs of ``qualitylib run`` (pipeline + every notebook + figures + reports), timed as a subprocess.

For each corpus size (5 = the seeds in ``data/raw`` with ``data/metadata/documents.csv``; any other N =
the first N documents of ``generate_corpus.py``) and each number of parallel notebook runs (``-j``),
the benchmark runs, in this order:

* ``cold``: empty output folders;
* ``unchanged``: the same command again, nothing changed;
* ``changed``: one number in one raw document edited (same encoding), then the command again.

Every run is measured: wall seconds, exit code, CPU seconds of the whole process tree (``wait4``),
CPU used by other processes meanwhile (``/proc/stat``), peak memory of the process tree (the RSS of
``qualitylib`` and all its descendants -- the kernels -- read from ``/proc`` every 0.2 s: the peak of
their sum, and the peak of the largest single process), notebook runs (from the log), files written,
the size of the outputs, and whether stderr said "up to date". After the cold runs of one corpus with
different ``-j``, every output file is compared byte for byte.

Everything goes to a temporary folder (``qualitylib-benchrun-*`` under ``$TMPDIR``), never into the
repo; the parameter file sits there too, with absolute paths. The Markdown table goes to stdout,
progress to stderr. Usage (see benchmarks/README.md)::

    python benchmarks/bench_run.py [--sizes 5 100 300] [--jobs 1 2] [--modes cold unchanged changed]
                                   [--formats png svg] [--keep DIR] [--json FILE] [--write-readme]
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"
DEFAULT_PARAMS = ROOT / "notebooks" / "params" / "default.yaml"
SEED_RAW = ROOT / "data" / "raw"
SEED_DOCUMENTS = ROOT / "data" / "metadata" / "documents.csv"
SEED_SIZE = 5  # size 5 means the real seed pages, not generated ones

MODES = ("cold", "unchanged", "changed")
MARK_START, MARK_END = "<!-- bench_run:start -->", "<!-- bench_run:end -->"
#: parameter-file keys holding paths (made absolute, against the project root, in the benchmark's file)
PATH_KEYS = ("raw_dir", "documents_csv", "processed_dir", "figures_dir", "reports_dir", "gold", "national_targets",
             "notebooks_dir", "citation_path", "lock_path")
LOCK_NAME = ".qualitylib.lock"
SAMPLE_S = 0.2
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def log(msg: str) -> None:
    print(f"[bench_run] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[5, 100, 300],
                    help="corpus sizes; 5 = the seeds (data/raw + documents.csv), others generated (default: 5 100 300)")
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2], help="values of -j (default: 1 2)")
    ap.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES),
                    help="cold, unchanged, changed (default: all; unchanged/changed always follow a cold run)")
    ap.add_argument("--formats", nargs="+", choices=("png", "svg", "pdf"),
                    help="figure_formats (default: those of notebooks/params/default.yaml)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated corpus (default 0)")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (outside the repo) and keep it: corpora, outputs, logs")
    ap.add_argument("--json", metavar="FILE", help="also write every number to this JSON file")
    ap.add_argument("--write-readme", action="store_true",
                    help=f"replace the section between {MARK_START} and {MARK_END} in benchmarks/README.md")
    ap.add_argument("--timeout", type=float, default=0, help="kill a run after this many seconds (default: never)")
    ap.add_argument("--qualitylib", help="the qualitylib command (default: next to this Python, else on PATH)")
    args = ap.parse_args(argv)
    if any(n < 1 for n in args.sizes) or any(j < 1 for j in args.jobs):
        ap.error("--sizes and --jobs must be at least 1")
    args.sizes = list(dict.fromkeys(args.sizes))
    args.jobs = list(dict.fromkeys(args.jobs))
    args.modes = [m for m in MODES if m in args.modes]  # always in run order
    if args.keep and Path(args.keep).resolve().is_relative_to(ROOT):
        ap.error(f"--keep {args.keep}: choose a folder outside the repository")
    return args


# --------------------------------------------------------------------------------------------------
# Changing one number in one raw document
# --------------------------------------------------------------------------------------------------

@dataclass
class Change:
    """One digit changed in a raw file: where (byte offset), what, and the text around it."""

    path: str
    encoding: str
    byte_offset: int
    old: str
    new: str
    before: str   # the number with some text around it, before and after the change
    after: str


_PERCENT = re.compile(r"(?<![\d.])(\d+)(?:\.\d+)?\s*(?=%|％|个百分点)")
_TARGET_VERB = re.compile(r"(达到|提高到|提升到|提高至|提升至|超过|不低于|不少于|保持在|稳定在|控制在|增长|提高|提升)[^，。；\n]{0,8}$")
_COUNT = re.compile(r"(?<![\d.第])(\d+)(?:\.\d+)?(?=\s*(?:万|亿|千)?(?:个|家|项|件|名|人|次|所|座|吨|公里|亩|元))")
_ANY = re.compile(r"(?<![\d.])(\d+)")


def sniff_encoding(data: bytes) -> tuple[str, int]:
    """Input: raw bytes. Output: (codec, length of the BOM): 'utf-8-sig' when there is a UTF-8 BOM, else
    'utf-8' when the bytes decode as UTF-8, else 'gb18030'. Raises UnicodeDecodeError otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        data[3:].decode("utf-8")
        return "utf-8-sig", 3
    try:
        data.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError:
        data.decode("gb18030")
        return "gb18030", 0


def _candidates(text: str) -> list[re.Match]:
    """Digit runs that look like targets, best first: percentages after a target verb, any percentage,
    counts and amounts, then any number that is not a year; within a kind, those below 99."""
    pct = list(_PERCENT.finditer(text))
    verbed = [m for m in pct if _TARGET_VERB.search(text[max(0, m.start() - 16):m.start()])]
    rest = [m for m in _ANY.finditer(text) if not re.fullmatch(r"(19|20)\d\d", m.group(1))]
    for group in (verbed, pct, list(_COUNT.finditer(text)), rest):
        below = [m for m in group if int(m.group(1)) < 99]  # stays plausible (no 101 %) after adding 1
        if below or group:
            return below or group
    return []


def change_one_number(path: str | os.PathLike[str]) -> Change:
    """Input: a raw document. Output: what was changed. Edits the file in place: the last digit of the
    integer part of one target-looking number (the middle one of the best kind found, below 99 if
    possible) goes up by one (9 goes down to 8). Only that one ASCII byte changes, so the file keeps its encoding and BOM."""
    p = Path(path)
    data = p.read_bytes()
    codec, bom = sniff_encoding(data)
    text = data[bom:].decode("utf-8" if codec == "utf-8-sig" else codec)
    found = _candidates(text)
    if not found:
        raise ValueError(f"{p}: no number to change")
    m = found[len(found) // 2]
    pos = m.end(1) - 1                                    # last digit of the integer part
    old = text[pos]
    new = str(int(old) + 1) if old != "9" else "8"
    enc = "utf-8" if codec == "utf-8-sig" else codec
    offset = bom + len(text[:pos].encode(enc))
    if data[offset:offset + 1] != old.encode("ascii"):   # would only happen with a broken codec round trip
        raise ValueError(f"{p}: byte {offset} is not the digit {old!r}")
    changed = data[:offset] + new.encode("ascii") + data[offset + 1:]
    p.write_bytes(changed)
    lo, hi = max(0, m.start() - 12), min(len(text), m.end() + 6)
    return Change(str(p), codec, offset, old, new, text[lo:hi],
                  text[lo:pos] + new + text[pos + 1:hi])


# --------------------------------------------------------------------------------------------------
# Measuring one subprocess: process-tree memory, CPU, wall time
# --------------------------------------------------------------------------------------------------

def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, RSS bytes) of every process (Linux /proc/PID/stat)."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # gone meanwhile
            continue
        rest = stat[stat.rfind(b")") + 2:].split()  # fields from 3 (state) on; comm may hold spaces
        try:
            table[int(entry.name)] = (int(rest[1]), int(rest[21]) * PAGE)
        except (IndexError, ValueError):
            continue
    return table


def _pss(pid: int) -> int:
    """Proportional set size of a process in bytes (``/proc/PID/smaps_rollup``): a page shared by n
    processes counts 1/n in each, so the sum over processes is the memory they occupy. 0 when unknown."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory(root_pid: int) -> tuple[int, int, int, int]:
    """Input: a pid. Output: (sum of RSS, largest single RSS, number of processes, sum of PSS) over that
    process and all its descendants, in bytes. Kernels forked from one process share its pages, which
    the RSS sum counts once per kernel and the PSS sum once."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    total = largest = count = pss = 0
    stack = [root_pid] if root_pid in table else []
    while stack:
        pid = stack.pop()
        rss = table[pid][1]
        total, largest, count = total + rss, max(largest, rss), count + 1
        pss += _pss(pid)
        stack.extend(children.get(pid, ()))
    return total, largest, count, pss


class TreeSampler(threading.Thread):
    """Reads the process tree's RSS every ``interval`` seconds until stopped; keeps the peaks."""

    def __init__(self, pid: int, interval: float = SAMPLE_S):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_sum = self.peak_single = self.peak_procs = self.samples = self.peak_pss = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            total, largest, count, pss = tree_memory(self.pid)
            if count:
                self.samples += 1
                self.peak_sum = max(self.peak_sum, total)
                self.peak_pss = max(self.peak_pss, pss)
                self.peak_single = max(self.peak_single, largest)
                self.peak_procs = max(self.peak_procs, count)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _system_busy_s() -> float:
    """CPU seconds used by the whole machine since boot (/proc/stat), or NaN."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    except (OSError, ValueError):
        return float("nan")
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _self_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


@dataclass
class Measured:
    exit_code: int
    wall_s: float
    cpu_s: float
    other_cpu_s: float
    peak_tree_rss_mb: float
    peak_single_rss_mb: float
    peak_processes: int
    samples: int
    timed_out: bool
    peak_tree_pss_mb: float = 0.0


def measure_command(cmd: list[str], cwd: Path, log_path: Path, timeout: float = 0,
                    env: dict[str, str] | None = None) -> Measured:
    """Runs ``cmd`` (stderr to ``log_path``, stdout to the same name with ``.out``) and measures it. The child gets its own process
    group so that a timeout can stop it and its kernels, and only them."""
    busy0, self0 = _system_busy_s(), _self_cpu_s()
    with open(log_path, "wb") as err, open(log_path.with_suffix(".out"), "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timed_out = False
        timer = None
        if timeout:
            def _kill():
                nonlocal timed_out
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            timer = threading.Timer(timeout, _kill)
            timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)  # rusage of the child and its waited-for descendants
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    cpu = usage.ru_utime + usage.ru_stime
    other = _system_busy_s() - busy0 - cpu - (_self_cpu_s() - self0)
    return Measured(proc.returncode, wall, cpu, max(0.0, other), sampler.peak_sum / 2**20,
                    sampler.peak_single / 2**20, sampler.peak_procs, sampler.samples, timed_out,
                    sampler.peak_pss / 2**20)


# --------------------------------------------------------------------------------------------------
# Output folders: what a run wrote, and byte identity
# --------------------------------------------------------------------------------------------------

def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != LOCK_NAME) if folder.is_dir() else []


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """relative path -> (inode, mtime_ns, size) of every output file: a file replaced or rewritten changes."""
    out = {}
    for p in _files(folder):
        st = p.stat()
        out[p.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


#: What a run keeps for the next one, not an output: the run record (it notes how long each notebook
#: took) and the caches in any ``.qualitylib-cache/`` folder: the pipeline's per-document cache (pickles
#: made in a worker and in the runner differ in bytes) and the stored analysis results beside the tables.
BOOKKEEPING = (".qualitylib-record.json", ".qualitylib-cache/")


def _bookkeeping(rel: str) -> bool:
    return rel.startswith(BOOKKEEPING) or "/.qualitylib-cache/" in f"/{rel}"


def digests(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every output file (bookkeeping aside, see :data:`BOOKKEEPING`)."""
    out = {}
    for p in _files(folder):
        rel = p.relative_to(folder).as_posix()
        if not _bookkeeping(rel):
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def compare(a: dict[str, str], b: dict[str, str], limit: int = 5) -> dict:
    """Input: two ``digests``. Output: identical (bool), the number of files, and the first differing
    files (in both with other bytes; in only one of them)."""
    differ = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    return {"identical": not (differ or only_a or only_b), "files": len(a.keys() | b.keys()),
            "n_differ": len(differ), "differ": differ[:limit], "only_first": only_a[:limit], "only_second": only_b[:limit]}


# --------------------------------------------------------------------------------------------------
# The runs
# --------------------------------------------------------------------------------------------------

@dataclass
class RunResult:
    """One ``qualitylib run`` of the benchmark."""

    docs: int
    mode: str
    jobs: int
    wall_s: float = float("nan")
    exit_code: int | None = None
    up_to_date: bool = False             # the run said "up to date" (a log line starting with it)
    notebook_runs: int | None = None     # notebooks executed ("... done in" lines of the log)
    notebooks_planned: int | None = None
    profile_pages: int | None = None     # city profile pages written ("profiles: N pages written")
    steps_redone: int | None = None      # "done: N step(s) redone" (0 when up to date)
    files_written: int = 0               # new or replaced output files
    output_files: int = 0
    output_mb: float = 0.0
    peak_tree_rss_mb: float = 0.0
    peak_tree_pss_mb: float = 0.0
    peak_single_rss_mb: float = 0.0
    peak_processes: int = 0
    cpu_s: float = float("nan")
    other_cpu_s: float = float("nan")
    jobs_via: str = "-j"                 # '-j', '--jobs' or 'workers (YAML)'
    timed_out: bool = False
    note: str = ""
    log: str = ""
    up_to_date_lines: list[str] = field(default_factory=list)
    code: str = ""                       # fingerprint of qualitylib/ and notebooks/ when the run started


def _qualitylib_cmd(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    exe = Path(sys.executable).parent / "qualitylib"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("qualitylib")
    return [found] if found else [sys.executable, "-m", "qualitylib.cli"]


def detect_options(help_text: str) -> dict[str, str | None]:
    """Input: the output of ``qualitylib run --help``. Output: the flag to use for parallel runs
    ('-j', '--jobs' or None) and for redoing everything ('--force' or None)."""
    jobs = "-j" if re.search(r"(^|[\s,\[])-j\b", help_text) else "--jobs" if "--jobs" in help_text else None
    return {"jobs": jobs, "force": "--force" if "--force" in help_text else None}


def params_for(raw_dir: Path, documents_csv: Path | None, out: Path, formats: list[str] | None,
               workers: int | None) -> dict:
    """The parameter file of one benchmark run: default.yaml with every path absolute, the corpus and
    output folders of the benchmark, ``quick: false``, both languages, and ``workers`` if given."""
    import yaml

    data = yaml.safe_load(DEFAULT_PARAMS.read_text(encoding="utf-8")) or {}
    for key in PATH_KEYS:
        if isinstance(data.get(key), str):
            p = Path(data[key]).expanduser()
            data[key] = str(p if p.is_absolute() else ROOT / p)
    data.update(raw_dir=str(raw_dir), documents_csv=str(documents_csv) if documents_csv else None,
                processed_dir=str(out / "processed"), figures_dir=str(out / "figures"),
                reports_dir=str(out / "reports"), citation_path=str(out / "CITATION.cff"),
                quick=False, langs=["zh", "en"])
    if data.get("gold") and not Path(data["gold"]).is_file():
        data["gold"] = None
    if formats:
        data["figure_formats"] = list(formats)
    if workers is not None:
        data["workers"] = int(workers)
    return data


_NB_DONE = re.compile(r"\.ipynb \(lang=\w+\) done in|\bnotebook \d+/\d+:")  # this runner's lines; the older runner's
_NB_PLANNED = re.compile(r"notebooks: (\d+) to run\b|\b(\d+) notebook runs? on\b")
_PAGES = re.compile(r"profiles: (\d+) pages? written")
_REDONE = re.compile(r"\bdone: (\d+) steps?(?:\(s\))? redone")
#: the run's own verdict, a log line that starts with "up to date" -- not a step's "0 of 8 up to date"
_UP_TO_DATE = re.compile(r"(?im)^(?:\[[^\]\n]*\]\s*)?(?:everything\s+(?:is\s+)?)?up to date\b")


def parse_log(text: str) -> dict:
    """Input: the stderr of one run. Output: notebooks executed and planned, profile pages written,
    steps redone (None when the log does not say), whether the run said it was up to date, and the
    lines that mention "up to date"."""
    planned = [int(a or b) for a, b in _NB_PLANNED.findall(text)]
    pages = _PAGES.findall(text)
    redone = _REDONE.findall(text)
    up_to_date = bool(_UP_TO_DATE.search(text))
    return {"notebook_runs": len(_NB_DONE.findall(text)), "notebooks_planned": sum(planned) if planned else None,
            "profile_pages": sum(map(int, pages)) if pages else 0,
            "steps_redone": int(redone[-1]) if redone else (0 if up_to_date else None),
            "up_to_date": up_to_date,
            "up_to_date_lines": [ln.strip() for ln in text.split("\n") if "up to date" in ln.lower()][:10]}


def _corpus(size: int, gen_dir: Path, seed: int) -> tuple[list[Path], Path | None]:
    """The raw files of one corpus size (generating as needed) and its curated documents.csv."""
    if size == SEED_SIZE:
        return sorted(SEED_RAW.glob("*.txt")), SEED_DOCUMENTS if SEED_DOCUMENTS.is_file() else None
    sys.path.insert(0, str(HERE))
    import generate_corpus  # a sibling script

    have = sorted(gen_dir.glob("*.txt")) if gen_dir.is_dir() else []
    if len(have) < size:
        t0 = time.perf_counter()
        have = generate_corpus.generate(size, gen_dir, seed=seed)
        log(f"generated {size} documents in {time.perf_counter() - t0:.1f} s -> {gen_dir}")
    return have[:size], None


def _restore(files: list[Path], raw: Path) -> None:
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    for p in files:
        shutil.copy2(p, raw / p.name)


def bench_size(size: int, args, work: Path, base_cmd: list[str], options: dict, results: list[RunResult],
               identity: dict, notes: list[str]) -> None:
    files, documents_csv = _corpus(size, work / "generated", args.seed)
    if not files:
        raise FileNotFoundError(f"no raw documents for size {size}")
    raw_mb = sum(p.stat().st_size for p in files) / 1e6
    label = "the seeds" if size == SEED_SIZE else "generated"
    log(f"=== {len(files)} documents ({label}, {raw_mb:.2f} MB)")
    # One folder per size, reused for every -j: the same absolute paths, so outputs can be compared byte
    # for byte (notebook parameters, and so the reports, contain the paths).
    base = work / f"{size}-docs"
    raw, out, logs = base / "raw", base / "out", base / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    cold_digests: dict[int, dict[str, str]] = {}
    for jobs in args.jobs:
        _restore(files, raw)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        flag = options["jobs"]
        params = params_for(raw, documents_csv, out, args.formats, None if flag else jobs)
        params_file = base / "params.yaml"
        import yaml

        params_file.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
        cmd = base_cmd + ["run", "--params", str(params_file)] + ([flag, str(jobs)] if flag else [])
        modes = args.modes if "cold" in args.modes else ["cold"] + args.modes
        for mode in modes:
            note = ""
            if mode == "cold" and "cold" not in args.modes:
                note = "base for the runs below (cold not asked for)"
            if mode == "changed":
                target = sorted(raw.glob("*.txt"))[len(files) // 2]
                ch = change_one_number(target)
                note = f"{target.name}: {ch.before!r} -> {ch.after!r} ({ch.encoding})"
                log(f"changed {note}")
            before = snapshot(out)
            log_path = logs / f"j{jobs}-{mode}.log"
            log(f"{size} docs, -j {jobs}, {mode} ...")
            code = code_fingerprint()
            m = measure_command(cmd, cwd=base, log_path=log_path, timeout=args.timeout)
            text = log_path.read_text(encoding="utf-8", errors="replace")
            after = snapshot(out)
            parsed = parse_log(text)
            r = RunResult(
                docs=len(files), mode=mode, jobs=jobs, wall_s=m.wall_s, exit_code=m.exit_code,
                **parsed,
                files_written=sum(1 for k, v in after.items() if before.get(k) != v),
                output_files=len(after), output_mb=sum(v[2] for v in after.values()) / 1e6,
                peak_tree_rss_mb=m.peak_tree_rss_mb, peak_tree_pss_mb=m.peak_tree_pss_mb,
                peak_single_rss_mb=m.peak_single_rss_mb,
                peak_processes=m.peak_processes, cpu_s=m.cpu_s, other_cpu_s=m.other_cpu_s,
                jobs_via=flag or "workers (YAML)", timed_out=m.timed_out, note=note, log=str(log_path), code=code)
            results.append(r)
            log(f"  {r.wall_s:.1f} s, exit {r.exit_code}{' (timed out)' if r.timed_out else ''}, "
                f"CPU {r.cpu_s:.1f} s, other CPU {r.other_cpu_s:.0f} s, peak tree {r.peak_tree_rss_mb:,.0f} MB RSS, {r.peak_tree_pss_mb:,.0f} MB PSS "
                f"(at most {r.peak_processes} processes), notebooks {r.notebook_runs}, profile pages {r.profile_pages}, "
                f"steps redone {r.steps_redone}, files written {r.files_written}, "
                f"up to date: {'yes' if r.up_to_date else 'no'}")
            if m.exit_code != 0:
                tail = text.strip().split("\n")[-3:]
                log("  last lines of the log: " + " | ".join(tail) + f" (whole log: {log_path})")
            if mode == "cold":
                cold_digests[jobs] = digests(out)
                if args.keep:  # for diffs against later runs (the runs replace files, so copy them)
                    shutil.rmtree(base / f"out-cold-j{jobs}", ignore_errors=True)
                    shutil.copytree(out, base / f"out-cold-j{jobs}")
            elif mode == "unchanged":
                same = compare(cold_digests[jobs], digests(out))
                identity.setdefault("unchanged_vs_cold", {})[f"{len(files)} docs, -j {jobs}"] = same
                if not same["identical"]:
                    notes.append(f"{len(files)} docs, -j {jobs}: the unchanged run changed output bytes: "
                                 f"{_differ_text(same)}")
                    log(f"  the unchanged run changed output bytes: {_differ_text(same)}"
                        + (f" (cold outputs kept in {base / f'out-cold-j{jobs}'})" if args.keep else ""))
    if len(cold_digests) >= 2:
        first, *others = list(cold_digests)
        for j in others:
            res = compare(cold_digests[first], cold_digests[j])
            identity.setdefault("cold_jobs", {})[f"{len(files)} docs: -j {first} vs -j {j}"] = res
            log(f"  byte identity {len(files)} docs, cold -j {first} vs -j {j}: "
                f"{'identical' if res['identical'] else 'DIFFERENT: ' + _differ_text(res)} ({res['files']} files)")


def _differ_text(res: dict) -> str:
    parts = []
    if res["differ"]:
        parts.append(f"{res['n_differ']} differ, e.g. " + ", ".join(res["differ"]))
    if res["only_first"]:
        parts.append("only in the first: " + ", ".join(res["only_first"]))
    if res["only_second"]:
        parts.append("only in the second: " + ", ".join(res["only_second"]))
    return "; ".join(parts) or "identical"


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------

TABLE_HEAD = (
    "| docs | mode | -j | wall s | exit | \"up to date\" | steps redone | notebook runs | profile pages "
    "| files written | output files | output MB | peak RSS tree (MB) | peak PSS tree (MB) | peak RSS 1 process (MB) "
    "| peak processes | CPU s | other processes' CPU s |\n"
    "|--:|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def _num(v, fmt: str) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    return format(v, fmt)


def table_row(r) -> str:
    r = asdict(r) if is_dataclass(r) else dict(r)
    exit_code = "timeout" if r.get("timed_out") else _num(r.get("exit_code"), "d")
    via = "" if r.get("jobs_via", "-j") in ("-j", "--jobs") else "*"
    return (f"| {r['docs']:,} | {r['mode']} | {r['jobs']}{via} | {_num(r.get('wall_s'), ',.1f')} | {exit_code} | "
            f"{'yes' if r.get('up_to_date') else 'no'} | {_num(r.get('steps_redone'), ',d')} | "
            f"{_num(r.get('notebook_runs'), ',d')} | {_num(r.get('profile_pages'), ',d')} | "
            f"{_num(r.get('files_written'), ',d')} | {_num(r.get('output_files'), ',d')} | "
            f"{_num(r.get('output_mb'), ',.1f')} | {_num(r.get('peak_tree_rss_mb'), ',.0f')} | "
            f"{_num(r.get('peak_tree_pss_mb'), ',.0f')} | "
            f"{_num(r.get('peak_single_rss_mb'), ',.0f')} | {_num(r.get('peak_processes'), 'd')} | "
            f"{_num(r.get('cpu_s'), ',.1f')} | {_num(r.get('other_cpu_s'), ',.0f')} |")


def markdown_table(results) -> str:
    """Input: RunResults (or their dicts). Output: the Markdown results table."""
    return "\n".join([TABLE_HEAD] + [table_row(r) for r in results])


def identity_lines(identity: dict) -> list[str]:
    lines = []
    for key, res in identity.get("cold_jobs", {}).items():
        lines.append(f"- Byte identity, cold runs, {key}: **{'yes' if res['identical'] else 'no'}** "
                     f"({res['files']} files{'' if res['identical'] else '; ' + _differ_text(res)}).")
    unchanged = identity.get("unchanged_vs_cold", {})
    if unchanged:
        bad = [k for k, v in unchanged.items() if not v["identical"]]
        lines.append(f"- Unchanged re-runs left every output byte as the cold run wrote it: "
                     f"**{'yes' if not bad else 'no'}**" + (f" (not: {', '.join(bad)})" if bad else "") + ".")
    return lines


def machine_info() -> dict:
    info = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "commit": _code_version(),
            "date": _dt.date.today().isoformat()}
    try:
        for line in Path("/proc/cpuinfo").read_text().split("\n"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().split("\n"):
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
                break
        info["loadavg"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    return info


def code_fingerprint() -> str:
    """Output: a short digest of every file under qualitylib/ and notebooks/ (bytecode caches aside). The
    runner redoes every step when the package's code changed, so runs measured across a code change
    cannot be compared."""
    h = hashlib.sha256()
    for folder in (ROOT / "qualitylib", ROOT / "notebooks"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                h.update(path.relative_to(ROOT).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\1")
    return h.hexdigest()[:12]


def _code_version() -> str:
    """The commit, with '+dirty' when qualitylib/ or notebooks/ have uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "qualitylib", "notebooks"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def report(results, identity: dict, notes: list[str], info: dict, command: str, corpora: list[str]) -> str:
    """Output: the Markdown report: how it was made, the table, byte identity and notes."""
    lines = [f"Measured with `{command}` on {info.get('date', '?')}; code {info.get('commit', '?')}; machine: "
             f"{info.get('cpus', '?')} CPUs ({info.get('cpu', 'unknown CPU')}), {info.get('memory_gb', '?')} GB, "
             f"Python {info.get('python', '?')}, load average {info.get('loadavg', '?')} at the start.", ""]
    if corpora:
        lines += ["Corpora: " + "; ".join(corpora) + ".", ""]
    lines.append(markdown_table(results))
    lines.append("")
    if any(
        (asdict(r) if is_dataclass(r) else r).get("jobs_via") == "workers (YAML)" for r in results
    ):
        lines.append("\\* `qualitylib run` had no `-j` option yet: the number of parallel notebook runs was set "
                     "with `workers: N` in the parameter file instead.")
    lines += identity_lines(identity)
    changed = [(asdict(r) if is_dataclass(r) else r) for r in results]
    for r in changed:
        if r["mode"] == "changed" and r.get("note"):
            lines.append(f"- Changed run, {r['docs']:,} docs, -j {r['jobs']}: {r['note']}.")
            break
    lines += [f"- {n}" for n in notes]
    codes = list(dict.fromkeys(r.get("code") for r in changed if r.get("code")))
    if len(codes) > 1:
        lines.append(f"- **Warning: the code in qualitylib/ or notebooks/ changed during the benchmark** "
                     f"({len(codes)} versions: {', '.join(codes)}); the runner redoes every step after a code "
                     "change, so these runs are not comparable.")
    return "\n".join(lines).rstrip() + "\n"


def replace_section(text: str, body: str) -> str:
    """Input: README text and the new section body. Output: the text with everything between the
    bench_run markers replaced by ``body``. Raises ValueError when the markers are missing."""
    start, end = text.find(MARK_START), text.find(MARK_END)
    if start < 0 or end < start:
        raise ValueError(f"markers {MARK_START} ... {MARK_END} not found")
    return text[:start + len(MARK_START)] + "\n" + body.strip("\n") + "\n" + text[end:]


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base_cmd = _qualitylib_cmd(args.qualitylib)
    helptext = subprocess.run(base_cmd + ["run", "--help"], capture_output=True, text=True, check=False)
    if helptext.returncode != 0:
        log(f"`{' '.join(base_cmd)} run --help` failed:\n{helptext.stderr}")
        return 2
    options = detect_options(helptext.stdout)
    notes: list[str] = []
    if options["jobs"]:
        log(f"qualitylib run supports {options['jobs']}: runs use `{options['jobs']} N`")
    else:
        log("qualitylib run has no -j/--jobs option yet: falling back to `workers: N` in the parameter file")
    if not options["force"]:
        notes.append("`qualitylib run` had no `--force` option when measured.")
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="qualitylib-benchrun-"))
    work.mkdir(parents=True, exist_ok=True)
    log(f"work folder: {work}")
    info = machine_info()
    results: list[RunResult] = []
    identity: dict = {}
    corpora = []
    t0 = time.perf_counter()
    try:
        for size in args.sizes:
            bench_size(size, args, work, base_cmd, options, results, identity, notes)
            raw = work / f"{size}-docs" / "raw"
            mb = sum(p.stat().st_size for p in raw.glob("*.txt")) / 1e6
            corpora.append(f"{size:,} docs = {'the seeds (data/raw + documents.csv)' if size == SEED_SIZE else 'generated, seed ' + str(args.seed)}, "
                           f"{mb:.2f} MB")
    except KeyboardInterrupt:
        log("interrupted: reporting the runs so far")
    finally:
        shown = ["python benchmarks/bench_run.py"] + (argv if argv is not None else sys.argv[1:])
        text = report(results, identity, notes, info, " ".join(shown), corpora)
        print(text)
        log(f"total {time.perf_counter() - t0:.0f} s")
        if args.json:
            Path(args.json).write_text(json.dumps({"machine": info, "options": options, "runs": [asdict(r) for r in results],
                                                   "identity": identity, "notes": notes, "corpora": corpora},
                                                  indent=1, ensure_ascii=False), encoding="utf-8")
        if args.write_readme and results:
            README.write_text(replace_section(README.read_text(encoding="utf-8"), text), encoding="utf-8")
            log(f"wrote the results into {README}")
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    failed = [r for r in results if r.exit_code != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

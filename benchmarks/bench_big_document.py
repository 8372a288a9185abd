"""Cost of one big document: seconds and peak memory against document size (see benchmarks/README.md).

A single raw file of N MB is made by concatenating generated documents (``generate_corpus.document``,
decoded and written as UTF-8) until it reaches N * 10^6 bytes. Each size is measured in a fresh Python
process (so its peak RSS belongs to that run alone) doing what ``qualitylib extract`` does for one
file: ``clean.clean_file``, then ``pipeline.process_documents`` (metadata, sentences, targets) and the
indicator table. Time per stage is printed too, so a stage that stops being linear shows itself.

Prints a Markdown table. Usage:
``python benchmarks/bench_big_document.py [--sizes 1 2 4 8 16 50] [--seed 0] [--keep DIR] [--json FILE]``
"""
from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate_corpus  # noqa: E402  (a sibling script, not a package)


def make_document(path: Path, megabytes: float, seed: int = 0) -> Path:
    """Input: output path, size in MB (10^6 bytes), corpus seed. Output: the path of one UTF-8 file
    made of generated documents one after the other, cut at a line end once the size is reached."""
    target = int(megabytes * 1e6)
    written, i = 0, 0
    with open(path, "wb") as out:
        while written < target:
            _name, data = generate_corpus.document(i, seed, encodings=("utf-8",))
            chunk = data + b"\n"
            if written + len(chunk) > target:  # the last piece: cut at a line end (or a char end)
                cut = chunk[: target - written]
                chunk = cut[: cut.rfind(b"\n") + 1] or cut.decode("utf-8", "ignore").encode("utf-8")
                out.write(chunk)
                break
            out.write(chunk)
            written += len(chunk)
            i += 1
    return path


def measure(path: str) -> dict:
    """Input: a raw file. Output: seconds per stage, targets, sentences and peak RSS of this process."""
    logging.getLogger("qualitylib").setLevel(logging.ERROR)
    from qualitylib.analysis.indicator_table import build_indicator_table
    from qualitylib.pipeline import process_documents
    from qualitylib.text.clean import clean_file

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    doc = clean_file(path)
    t1 = time.perf_counter()
    documents, sentences, targets, warnings = process_documents([doc], {})
    t2 = time.perf_counter()
    table = build_indicator_table(targets, documents)
    t3 = time.perf_counter()
    return {
        "bytes": Path(path).stat().st_size,
        "clean_s": t1 - t0,
        "process_s": t2 - t1,
        "table_s": t3 - t2,
        "seconds": t3 - t0,
        "sentences": len(sentences),
        "targets": len(targets),
        "table_rows": len(table),
        "warnings": len(warnings),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_after_import_mb": rss_before,
    }


def measure_in_subprocess(path: Path, timeout: float | None) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--_measure", str(path)], capture_output=True, text=True,
                          check=False, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"measurement failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().split("\n")[-1])


def report(rows: list[dict]) -> str:
    lines = [
        "| MB | seconds | s per MB | clean s | sentences + targets s | table s | sentences | targets | peak RSS (MB) |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        mb = r["bytes"] / 1e6
        lines.append(f"| {mb:,.1f} | {r['seconds']:,.1f} | {r['seconds'] / mb:,.2f} | {r['clean_s']:,.1f} | "
                     f"{r['process_s']:,.1f} | {r['table_s']:,.1f} | {r['sentences']:,} | {r['targets']:,} | "
                     f"{r['peak_rss_mb']:,.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", type=float, default=[1, 2, 4, 8, 16])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", help="write the generated files to this folder and keep them")
    ap.add_argument("--timeout", type=float, default=None, help="give up on a size after this many seconds")
    ap.add_argument("--json", help="also write the numbers to this JSON file")
    ap.add_argument("--_measure", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._measure:
        print(json.dumps(measure(args._measure)))
        return 0
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="qualitylib-big-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for mb in sorted(args.sizes):
            path = folder / f"big_{mb:g}MB.txt"
            if not path.exists():
                make_document(path, mb, args.seed)
            r = measure_in_subprocess(path, args.timeout)
            rows.append(r)
            print(f"  {r['bytes'] / 1e6:,.1f} MB: {r['seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB, "
                  f"{r['targets']:,} targets", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            for p in folder.glob("big_*.txt"):
                p.unlink()
            folder.rmdir()
    print(report(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``qualitylib clean | inspect | extract | evaluate | themes | notebooks | run``.

Messages and progress go to stderr, data to stdout or the named file, so the commands compose in
shell pipelines and cron jobs. Exit codes: 0 success, 1 a processing failure (a bad document, an
accuracy bar missed, a failing notebook), 2 a usage error (missing file, bad option).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .paths import DEFAULT_PARAMS, default_documents_csv

EXIT_FAILURE = 1
EXIT_USAGE = 2


def _err(msg: str) -> None:
    print(f"qualitylib: {msg}", file=sys.stderr)


def cmd_clean(args) -> int:
    from .text.clean import clean_file
    from .text.decode import DecodeError

    try:
        doc = clean_file(args.file)
    except DecodeError as exc:
        _err(str(exc))
        return EXIT_FAILURE
    sys.stdout.write(doc.full_text if args.full else doc.body)
    sys.stdout.write("\n")
    return 0


def cmd_inspect(args) -> int:
    from .pipeline import document_metadata
    from .text.corpus import clean_corpus, progress_printer
    from .text.structure import sentences_frame

    result = clean_corpus(args.paths, progress=progress_printer() if args.progress else None)
    overrides = {}
    documents_csv = args.documents or default_documents_csv()
    if documents_csv:
        from .extract.documents_csv import load_documents_csv

        overrides = load_documents_csv(documents_csv)
    for doc in result.documents:
        meta = document_metadata(doc, overrides)
        sentences = sentences_frame(doc.doc_id, doc.body)
        print(f"== {doc.doc_id}  ({doc.raw.path}, {doc.raw.encoding}, {doc.script})")
        for key in ("city", "city_en", "province", "level", "adcode", "parent", "issuer", "issued", "horizon", "plan_type",
                    "doc_number", "title"):
            print(f"  {key:<11} {getattr(meta, key) if getattr(meta, key) is not None else '?'}")
        print(f"  sections    {(sentences['role'] == 'heading').sum()}")
        print(f"  sentences   {(sentences['role'] == 'policy').sum()}  (+{(sentences['agencies'] != '').sum()} with an agency note)")
        print(f"  body        lines {doc.selection.first + 1}-{doc.selection.last + 1} of the cleaned page; "
              f"{len(doc.selection.dropped)} furniture line(s) dropped inside it")
        print(f"  repairs     {len(doc.repairs)}")
        for r in doc.repairs:
            note = f"  WARNING: {r.warning}" if r.warning else ""
            print(f"    raw line {r.raw_line:>4}  {r.step:<13} {r.before!r} -> {r.after!r}{note}")
        for w in meta.warnings:
            print(f"  warning     {w}")
    for f in result.failures:
        print(f"== SKIPPED {f.path}: {f.problem}")
    return EXIT_FAILURE if result.failures else 0


def cmd_extract(args) -> int:
    from .atomic import write_csv_atomic
    from .pipeline import run_pipeline
    from .text.corpus import progress_printer

    result = run_pipeline(args.paths, documents_csv=args.documents or default_documents_csv(), progress=progress_printer() if not args.quiet else None,
                          jobs=args.jobs)
    if args.output == "-":
        result.targets.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        write_csv_atomic(result.targets, args.output)
        _err(f"{len(result.targets)} targets from {len(result.documents)} document(s) -> {args.output}")
    for f in result.failures:
        _err(f"skipped {f.path}: {f.problem}")
    return EXIT_FAILURE if result.failures else 0


def cmd_evaluate(args) -> int:
    import pandas as pd

    from .analysis.evaluation import evaluate, format_report, load_gold

    gold = load_gold(args.gold)
    pred = pd.read_csv(args.pred, dtype=str, keep_default_na=False)
    report = evaluate(gold, pred)
    print(format_report(report, max_rows=args.max_rows))
    if args.fail_under is not None and min(report.precision, report.recall) < args.fail_under:
        _err(f"precision {report.precision:.3f} / recall {report.recall:.3f} below {args.fail_under}")
        return EXIT_FAILURE
    return 0


def cmd_themes(args) -> int:
    import pandas as pd

    from .analysis.theme_evaluation import averages, label_matrix, load_theme_gold, score_labels
    from .analysis.themes import label_sentences, load_themes
    from .atomic import write_csv_atomic

    path = Path(args.sentences) if args.sentences != "-" else Path("<stdin>")
    if args.sentences != "-" and not path.is_file():
        _err(f"{path}: no such file")
        return EXIT_USAGE
    if args.output != "-" and not Path(args.output).resolve().parent.is_dir():
        _err(f"{args.output}: its folder does not exist")
        return EXIT_USAGE
    try:
        frame = pd.read_csv(sys.stdin if args.sentences == "-" else path, dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        _err(f"{path}: not a readable UTF-8 CSV ({type(exc).__name__}: {str(exc).strip()})")
        return EXIT_FAILURE
    if "text" not in frame.columns:
        _err(f"{path}: no 'text' column (columns: {', '.join(frame.columns) or 'none'}); "
             "put the sentences to code in a column named text")
        return EXIT_USAGE
    coded = label_sentences(frame)
    out = frame.copy()
    if "themes" in out.columns:  # keep the input's own themes (e.g. a hand coding) under another name
        kept = next(f"themes_input{i or ''}" for i in range(len(out.columns) + 1)
                    if f"themes_input{i or ''}" not in out.columns)
        out = out.rename(columns={"themes": kept})
        _err(f"{path} already has a 'themes' column: kept as '{kept}'")
    out["themes"] = coded["themes"]
    if args.evidence:
        out["theme_evidence"] = coded["theme_evidence"]
    if args.output == "-":
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        write_csv_atomic(out, args.output)
        _err(f"{len(out)} sentence(s), {int((coded['themes'] != '').sum())} with a theme -> {args.output}")
    if args.score:
        if "themes" not in frame.columns:
            _err(f"--score needs the hand coding in a 'themes' column of {path}")
            return EXIT_USAGE
        theme_ids = load_themes()["theme"].tolist()
        gold = frame if args.sentences == "-" else load_theme_gold(path)  # checks the codes, naming the file
        scores = score_labels(label_matrix(gold["themes"], theme_ids), label_matrix(out["themes"], theme_ids),
                              theme_ids)
        avg = averages(scores)
        print(scores.to_string(index=False, float_format=lambda v: f"{v:.3f}"), file=sys.stderr)
        print(f"macro F1 {avg['macro_f1']:.3f}  micro F1 {avg['micro_f1']:.3f}  "
              f"(macro P {avg['macro_precision']:.3f}, macro R {avg['macro_recall']:.3f})", file=sys.stderr)
    return 0


def cmd_run(args) -> int:
    from . import runner
    from .run_params import ParameterError

    try:
        config = runner.load_config(args.params, notebooks=args.only or None)
        config.strict = not args.lenient
        config.quiet = args.quiet
        config.force = args.force
        if args.jobs is not None:
            config.workers = args.jobs
    except ParameterError as exc:  # a usage error: nothing has been written
        _err(str(exc))
        return EXIT_USAGE
    try:
        return runner.run(config)
    except OSError as exc:  # read-only folder, full disk: one line naming the file, not a traceback
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        _err(f"cannot write{where}: {exc.strerror or exc}")
        return EXIT_FAILURE


def cmd_notebooks(args) -> int:
    from .notebook_sources import drifted, notebook_sources, write_pairs
    from .paths import NOTEBOOKS_DIR, find_root

    folder = Path(args.folder) if args.folder else find_root() / NOTEBOOKS_DIR
    sources = notebook_sources(folder)
    if not sources:
        _err(f"{folder}: no notebook sources (NN_name.py)")
        return EXIT_USAGE
    if args.check:
        problems = [m for m in map(drifted, sources) if m]
        for m in problems:
            _err(m)
        return EXIT_FAILURE if problems else 0
    for path in write_pairs(folder):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Output: the argument parser (kept separate so tests and docs can inspect it)."""
    from . import __version__

    parser = argparse.ArgumentParser(prog="qualitylib", description="Compare Chinese cities' quality-strong-city policy targets.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log repairs and warnings as they happen")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("clean", help="print the cleaned Simplified text of one raw file")
    p.add_argument("file")
    p.add_argument("--full", action="store_true", help="print the whole cleaned page, not only the policy body")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("inspect", help="metadata, structure counts and repairs of raw documents")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--documents", help="curated documents.csv whose rows override inferred metadata "
                   "(default: the project's data/metadata/documents.csv)")
    p.add_argument("--progress", action="store_true")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("extract", help="extract every quantitative target into one CSV")
    p.add_argument("paths", nargs="+", metavar="PATH", help="raw .txt files or folders (any supported encoding)")
    p.add_argument("-o", "--output", required=True, help="output CSV ('-' for stdout)")
    p.add_argument("--documents", help="curated documents.csv (default: the project's data/metadata/documents.csv)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    p.add_argument("-j", "--jobs", type=_positive_int, default=1, metavar="N",
                   help="documents cleaned and extracted side by side (default 1; the output does not depend on it)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("evaluate", help="score extracted targets against a hand annotation")
    p.add_argument("--gold", required=True)
    p.add_argument("pred", metavar="PRED.csv")
    p.add_argument("--max-rows", type=int, default=50, help="misses/false alarms to list")
    p.add_argument("--fail-under", type=float, help="exit 1 when precision or recall is below this")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("themes", help="code the policy themes of every sentence of a CSV (column text)")
    p.add_argument("sentences", metavar="SENTENCES.csv",
                   help="UTF-8 CSV ('-' for stdin) with a 'text' column (and optionally 'section_path'); "
                   "other columns are copied")
    p.add_argument("-o", "--output", required=True, help="output CSV ('-' for stdout): every input column plus "
                   "'themes' ('|'-joined theme codes, empty for none)")
    p.add_argument("--evidence", action="store_true", help="add 'theme_evidence': the words each theme rests on")
    p.add_argument("--score", action="store_true", help="print per-theme precision/recall/F1 against the input's "
                   "own 'themes' column (a hand coding) to stderr")
    p.set_defaults(func=cmd_themes)

    p = sub.add_parser("notebooks", help="write each notebook's .ipynb pair from its percent-script source")
    p.add_argument("folder", nargs="?", help="notebooks folder (default: the project's notebooks/)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when a pair differs from its source")
    p.set_defaults(func=cmd_notebooks)

    p = sub.add_parser("run", help="the whole job: pipeline, notebooks, figures, release files")
    p.add_argument("--params", default=str(DEFAULT_PARAMS), help="YAML parameters file")
    p.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="run only these notebooks (names without .ipynb)")
    p.add_argument("--lenient", action="store_true",
                   help="exit 0 when documents were skipped or duplicated (they are still listed); default: exit 1")
    p.add_argument("-q", "--quiet", action="store_true", help="count warnings in the closing summary without listing them")
    p.add_argument("-j", "--jobs", type=_positive_int, metavar="N",
                   help="notebook runs and profile pages side by side (default: one per CPU core)")
    p.add_argument("--force", action="store_true",
                   help="redo every step, also those whose inputs did not change since the last run")
    p.set_defaults(func=cmd_run)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``qualitylib`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    for attr in ("file", "gold", "pred", "documents"):
        value = getattr(args, attr, None)
        if value and value != "-" and not Path(value).is_file():
            _err(f"{value}: no such file")
            return EXIT_USAGE
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:  # `qualitylib ... | head` closed the pipe: not an error
        sys.stderr.close()
        return 0
    except ValueError as exc:  # malformed documents.csv / gold file: the message names the file
        _err(str(exc))
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())

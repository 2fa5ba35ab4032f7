"""Command line: argument parsing only; the work is in runtime/, output/ and devtools/."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from pipeline.core.config import DEFAULT

EPILOG = """exit codes: 0 all inputs processed; 1 some inputs skipped (named on stderr and in
run.json), the rest written; 2 no usable input or a configuration error."""



def earlier_output(parser: argparse.ArgumentParser) -> None:
    """--out and --reviews of the commands that read an earlier extract's output folder."""
    parser.add_argument("--out", type=Path, default=Path("outputs"),
                        help="output folder of an earlier extract (default: outputs/)")
    parser.add_argument("--reviews", type=Path, default=None, metavar="PATH",
                        help="reviews CSV (default: the one recorded in run.json by extract)")

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract coalition facts from English and Hindi articles and flag where "
                    "they disagree.", epilog=EPILOG)
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="run the pipeline on files or folders of .txt/.md",
                        description="Run all stages on the inputs and write the tables and "
                                    "reports of SCHEMA.md: for one subject, or, when the "
                                    "articles are about several coalitions, one folder per "
                                    "subject with subjects.csv and index.html on top "
                                    "(--subject makes the run one subject).",
                        epilog=EPILOG)
    ex.add_argument("paths", nargs="*", type=Path, default=[Path("seeds")],
                    help="input files or folders (default: seeds/)")
    ex.add_argument("--out", type=Path, default=Path("outputs"),
                    help="output folder (default: outputs/)")
    ex.add_argument("--backend", choices=["spacy", "stanza"], default=DEFAULT.backend,
                    help="NER backend (stanza needs `pip install .[stanza]` and its models)")
    ex.add_argument("--subject", default=None, metavar="NAME",
                    help="the coalition the articles are about: a name or an acronym in either "
                         "script (default: found in the text, per document, and a folder on "
                         "several coalitions is split by subject; see also aliases.yaml beside "
                         "the inputs). Makes the run one subject. Warns when the name occurs in "
                         "no input")
    ex.add_argument("--alias", action="append", default=[], metavar="NAME",
                    help="another name of the subject, in either script (repeatable): "
                         "--alias \"आईएसए\" --alias \"अंतरराष्ट्रीय सौर गठबंधन\"")
    ex.add_argument("--no-parquet", action="store_true", help="write CSV only")
    ex.add_argument("--quiet", action="store_true", help="no progress on stderr")
    ex.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="where language detection and NER run: in this process (default) or "
                         "on Dask workers (a local 2-process cluster unless --scheduler is given)")
    ex.add_argument("--workers", type=int, default=DEFAULT.workers, metavar="N",
                    help="local engine: processes for NER (default 0: one per core, up to "
                         f"{DEFAULT.max_auto_workers}, for inputs of "
                         f"{DEFAULT.parallel_min_chars:,} characters or more; 1: this process "
                         "only)")
    ex.add_argument("--scheduler", metavar="ADDR", default=None,
                    help="address of a running Dask scheduler (e.g. tcp://host:8786); "
                         "implies --engine dask")
    ex.add_argument("--reviews", type=Path, default=None, metavar="PATH",
                    help="analyst decisions on conflicts (default: <first input folder>/"
                         "reviews.csv, if it exists; a run of several subjects reads "
                         "reviews-<subject folder>.csv beside it, or in PATH if a folder)")
    rp = sub.add_parser("report", help="re-apply reviews.csv and re-render report.html from an "
                                       "output folder (no NER)",
                        description="Re-apply the review decisions to fact_table.csv and "
                                    "re-render report.html and reviews_template.csv from the "
                                    "CSV files of an output folder.")
    earlier_output(rp)
    # --- review app and exports (issue 15: output/app.py, output/export.py) ---
    rv = sub.add_parser("review", help="review conflicts and facts in the browser (a local app)",
                        description="Serve the report of an output folder with a control per "
                                    "conflict and per fact; each decision is written at once to "
                                    "the reviews file and the outputs are re-rendered (no NER).")
    earlier_output(rv)
    rv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only)")
    rv.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    rv.add_argument("--allow-remote", action="store_true",
                    help="allow a --host other machines can reach (the app has no login)")
    xp = sub.add_parser("export", help="write accepted and agreed facts for a knowledge base",
                        description="Write the facts the documents agree on or a reviewer "
                                    "accepted, as Wikidata QuickStatements, JSON lines, or a "
                                    "gold file for `evaluate`.")
    earlier_output(xp)
    xp.add_argument("--format", choices=["quickstatements", "jsonl", "gold"],
                    default="quickstatements", dest="fmt")
    xp.add_argument("--wikidata", type=Path, default=None, metavar="CSV",
                    help="kb_id,qid pairs: the Wikidata items of entities (others keep their "
                         "label and a comment line says so)")
    xp.add_argument("--to", type=Path, default=None, metavar="FILE",
                    help="file to write (default: <out>/export.<qs|jsonl> or <out>/gold.yaml)")
    # --- end review app and exports ---
    ev = sub.add_parser("evaluate", help="score an output folder against a gold YAML",
                        add_help=False)
    ev.add_argument("rest", nargs=argparse.REMAINDER)
    ea = sub.add_parser("eval-all", help="run and score the seeds and every development case",
                        add_help=False)
    ea.add_argument("rest", nargs=argparse.REMAINDER)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "evaluate":
        from pipeline.devtools.evaluate import main_evaluate

        return main_evaluate(argv[1:])
    if argv and argv[0] == "eval-all":
        from pipeline.devtools.evaluate import main_eval_all

        return main_eval_all(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return extract(args)
    if args.command == "report":
        from pipeline.output.refresh import refresh_outputs

        return refresh_outputs(args.out, args.reviews)
    if args.command == "review":
        from pipeline.output.app import serve

        return serve(args.out, args.reviews, args.host, args.port, args.allow_remote)
    if args.command == "export":
        from pipeline.output.export import main_export

        return main_export(args.out, args.fmt, args.reviews, args.wikidata, args.to)
    return 2


def extract(args: argparse.Namespace) -> int:
    # start-up time: the models and the stages load only for a command that runs them
    from pipeline.core.errors import ConfigurationError
    from pipeline.runtime.run import EXIT_NOTHING, run

    if args.workers < 0:
        print("error: --workers must be 0 (automatic) or more", file=sys.stderr)
        return EXIT_NOTHING
    settings = replace(DEFAULT, backend=args.backend, write_parquet=not args.no_parquet,
                       subject=args.subject, workers=args.workers,
                       subject_aliases=tuple(args.alias))
    try:
        res = run(list(args.paths), args.out, settings, quiet=args.quiet,
                  reviews_path=args.reviews, engine="dask" if args.scheduler else args.engine,
                  scheduler=args.scheduler)
    except ConfigurationError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_NOTHING
    if not res.documents:
        print("error: no usable input documents; nothing written", file=sys.stderr)
        return res.exit_code
    n_conf = sum(r.conflict for r in res.rows)
    if not args.quiet:
        where = (f"{len(res.groups)} subject folders and index.html in {args.out}/"
                 if res.groups else f"{args.out}/")
        print(f"{len(res.documents)} document(s), {len(res.facts)} facts, {len(res.rows)} fact "
              f"rows, {n_conf} conflict(s) → {where}", file=sys.stderr)
    return res.exit_code

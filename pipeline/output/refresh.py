"""``python -m pipeline report`` (and the review app after each decision): the outputs
re-rendered from an output folder's files with the review decisions applied, without running
NER. It sits above the writers it calls (reviews, decisions, conflicts.md, the page)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

from pipeline.output import conflicts_md
from pipeline.output.atomic import write_json_atomic, write_text_atomic
from pipeline.output.decisions import Rebuilt, ReviewFileError, decisions_markdown, rebuild
from pipeline.output.html import ReportError, load_inputs, render_report
from pipeline.output.index import subject_folders, subject_reviews_path
from pipeline.output.reviews import Reviewed, review, write_template
from pipeline.output.tables import fact_values_frame, read_table, write_csv, write_parquet


def refresh_outputs(out_dir: Path, reviews_path: Path | None = None) -> int:
    """``python -m pipeline report``: re-apply the reviews and re-render, without re-running NER.

    Rewrites fact_table.csv with its review columns and fact_values.csv (both rebuilt without
    rejected facts; their Parquet copies when there are any), the ``reviews`` entry of run.json,
    reviews_template.csv, conflicts.md and report.html. Without ``--reviews``
    the reviews file recorded in run.json by the last extract is used. Returns an exit code.
    """
    out_dir = Path(out_dir)
    folders = subject_folders(out_dir)
    if folders:
        # a run of several subjects: each subject folder, with its own decisions
        return max(refresh_outputs(out_dir / f, subject_reviews_path(reviews_path, f))
                   for f in folders)
    table_path = out_dir / "fact_table.csv"
    if not table_path.exists():
        print(f"error: {table_path} not found; run `python -m pipeline extract --out {out_dir}` "
              "first", file=sys.stderr)
        return 2
    run_path = out_dir / "run.json"
    try:
        info = json.loads(run_path.read_text(encoding="utf-8")) if run_path.exists() else {}
    except (OSError, ValueError) as err:
        print(f"error: {run_path}: cannot be read ({err})", file=sys.stderr)
        return 2
    required = reviews_path is not None
    if reviews_path is None:
        recorded = info.get("reviews") or {}
        reviews_path = Path(recorded["path"]) if recorded.get("path") else None
        required = bool(recorded.get("required", False))
    # --- fact rejections (decisions.py): the table is rebuilt from facts.csv without them ---
    try:
        rebuilt = rebuild(out_dir, reviews_path)
        # accepted values are checked against the typed values of the rebuilt rows
        reviewed = review(rebuilt.table, reviews_path, required, fact_values_frame(rebuilt.rows))
    except (OSError, ValueError, KeyError, ReviewFileError, pd.errors.ParserError) as err:
        print(f"error: {table_path}: cannot be read ({err})", file=sys.stderr)
        return 2
    for p in rebuilt.problems:
        print(f"{p.path}: note: {p.problem}", file=sys.stderr, flush=True)
    try:
        page = _write_all(out_dir, table_path, run_path, info, rebuilt, reviewed)
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {err.filename or out_dir}: cannot be written ({err.strerror or err})",
              file=sys.stderr)
        return 2
    print(f"wrote {page}", file=sys.stderr)
    return 0


def _write_all(out_dir: Path, table_path: Path, run_path: Path, info: dict[str, object],
               rebuilt: Rebuilt, reviewed: Reviewed) -> Path:
    """Write every re-rendered output; returns the page's path."""
    entity_table = (read_table(out_dir / "entity_table.csv")
                    if (out_dir / "entity_table.csv").exists() else None)
    # conflicts.md shows the decisions as the page does
    write_text_atomic(out_dir / "conflicts.md", conflicts_md.render(
        rebuilt.rows, rebuilt.doc_ids, entity_table, str(info.get("subject", "")),
        reviewed.table) + "\n" + decisions_markdown(reviewed.table, rebuilt.rejected,
                                                    rebuilt.facts))
    write_csv(table_path, reviewed.table)
    values = fact_values_frame(rebuilt.rows)  # the tidy table of the same (rebuilt) rows
    write_csv(out_dir / "fact_values.csv", values)
    if (out_dir / "parquet" / "fact_table.parquet").exists():
        write_parquet(out_dir / "parquet" / "fact_table.parquet", reviewed.table)
        write_parquet(out_dir / "parquet" / "fact_values.parquet", values)
    if info:
        info["reviews"] = {**reviewed.info, "rejected": rebuilt.info}
        write_json_atomic(run_path, info)
    write_template(out_dir, reviewed.table)
    page = render_report(out_dir, inputs=replace(
        load_inputs(out_dir), fact_table=reviewed.table, facts=rebuilt.kept, rows=rebuilt.rows))
    return page

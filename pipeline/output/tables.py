"""Tidy tables (pandas) for every output file of SCHEMA.md, written as CSV and Parquet."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.core.records import Document, Entity, Fact, FactRow, Mention
from pipeline.output.atomic import write_atomic, write_json_atomic, write_text_atomic

DOCUMENT_COLUMNS = ["doc_id", "path", "sha256", "lang", "lang_confidence", "chars", "encoding",
                    "segments", "segment_langs", "subject", "subject_confidence"]
ENTITY_COLUMNS = ["doc_id", "lang", "start", "end", "text", "label", "kb_id", "canonical",
                  "source", "role"]
FACT_COLUMNS = ["fact_id", "doc_id", "lang", "subject", "predicate", "object_kb_id", "value",
                "when", "role", "derived", "evidence", "start", "end", "note"]
# fact_table.csv: the fixed columns before and after the one value column per doc_id.
FACT_TABLE_KEY_COLUMNS = ["conflict_id", "key", "subject", "predicate", "object_kb_id", "when",
                          "role"]
FACT_TABLE_STATUS_COLUMNS = ["status", "conflict", "explanation"]
# The columns reviews.apply_reviews adds after those (defined here, not there, so that
# ingest and reviews both import this module and nothing imports in a circle).
FACT_TABLE_REVIEW_COLUMNS = ["review_decision", "review_note", "reviewer", "review_date",
                             "resolved"]
# A doc_id equal to one of these would overwrite that column of fact_table.csv, so ingest never
# gives a document one of them (it appends a suffix instead).
RESERVED_DOC_IDS = frozenset([*FACT_TABLE_KEY_COLUMNS, *FACT_TABLE_STATUS_COLUMNS,
                              *FACT_TABLE_REVIEW_COLUMNS])


def is_true(cell: object) -> bool:
    """A true/false cell read back from a CSV: a spreadsheet saving it writes TRUE."""
    return str(cell).strip().lower() == "true"


def documents_frame(docs: list[Document],
                    subjects: dict[str, tuple[str, float]] | None = None) -> pd.DataFrame:
    """One row per document; ``subjects``: doc_id -> (the organisation it is about, confidence)
    (facts/subject.py)."""
    subjects = subjects or {}
    rows = [{
        "doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "lang": d.lang,
        "lang_confidence": d.lang_confidence, "chars": len(d.text), "encoding": d.encoding,
        "segments": len(d.segments),
        "segment_langs": ",".join(sorted({s.lang for s in d.segments})),
        "subject": subjects.get(d.doc_id, ("", 0.0))[0],
        "subject_confidence": subjects.get(d.doc_id, ("", 0.0))[1],
    } for d in docs]
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)


def entities_frame(mentions: list[Mention]) -> pd.DataFrame:
    rows = [{c: getattr(m, c) for c in ENTITY_COLUMNS} for m in mentions]
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS)


def entity_table_frame(entities: list[Entity], doc_ids: list[str]) -> pd.DataFrame:
    rows = []
    for e in entities:
        counts = {d: 0 for d in doc_ids}
        for m in e.mentions:
            counts[m.doc_id] = counts.get(m.doc_id, 0) + 1
        present = [d for d in doc_ids if counts[d]]
        status = "all" if len(present) == len(doc_ids) else "only:" + ",".join(present)
        surfaces = sorted({m.text for m in e.mentions})
        rows.append({"kb_id": e.kb_id, "label": e.label, "canonical": e.canonical,
                     **{f"mentions_{d}": counts[d] for d in doc_ids}, "status": status,
                     "surface_forms": " | ".join(surfaces)})
    cols = ["kb_id", "label", "canonical", *[f"mentions_{d}" for d in doc_ids], "status",
            "surface_forms"]
    return pd.DataFrame(rows, columns=cols)


def facts_frame(facts: list[Fact]) -> pd.DataFrame:
    rows = []
    for f in facts:
        row = {c: getattr(f, c) for c in FACT_COLUMNS if c != "fact_id"}
        row["fact_id"] = f.fact_id
        row["derived"] = "true" if f.derived else "false"
        rows.append(row)
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def fact_table_frame(rows: list[FactRow], doc_ids: list[str]) -> pd.DataFrame:
    out = []
    for r in rows:
        out.append({
            "conflict_id": r.conflict_id, "key": r.key, "subject": r.subject,
            "predicate": r.predicate, "object_kb_id": r.object_kb_id, "when": r.when,
            "role": r.role, **{d: r.values_by_doc.get(d, "") for d in doc_ids},
            "status": r.status, "conflict": "true" if r.conflict else "false",
            "explanation": r.explanation,
        })
    cols = [*FACT_TABLE_KEY_COLUMNS, *doc_ids, *FACT_TABLE_STATUS_COLUMNS]
    return pd.DataFrame(out, columns=cols)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    write_text_atomic(path, buf.getvalue())


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    def write(fh: Any) -> None:
        # pandas 3 keeps text columns as its string dtype already: no conversion needed.
        frame.to_parquet(fh, index=False)

    write_atomic(path, write)


def write_parquet_all(out_dir: Path, frames: dict[str, pd.DataFrame]) -> None:
    """``parquet/<table>.parquet`` for every table."""
    for name, frame in frames.items():
        write_parquet(out_dir / "parquet" / f"{name}.parquet", frame)


def write_all(out_dir: Path, frames: dict[str, pd.DataFrame], run_info: dict[str, Any],
              conflicts_md: str, parquet: bool = True) -> None:
    """Write every table (CSV, optional Parquet), conflicts.md and run.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        write_csv(out_dir / f"{name}.csv", frame)
    if parquet:
        write_parquet_all(out_dir, frames)
    write_text_atomic(out_dir / "conflicts.md", conflicts_md)
    write_json_atomic(out_dir / "run.json", run_info)

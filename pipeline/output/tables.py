"""Tidy tables (pandas) for every output file of SCHEMA.md, written as CSV and Parquet.

Frames hold typed columns: booleans are booleans and dates (``when``, ``as_of``) strings at their
written precision, so the Parquet copies keep those types; only the CSV writer turns booleans into
``true``/``false``. Read the CSV files back with ``dtype=str`` (``read_table``), or ``when``
becomes the float 2015.0.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from pipeline.core.records import Document, Entity, Fact, FactRow, Mention
from pipeline.core.schema import (
    FACT_TABLE_KEY_COLUMNS,
    FACT_TABLE_STATUS_COLUMNS,
)
from pipeline.output.atomic import write_atomic, write_json_atomic, write_text_atomic
from pipeline.output.titles import date_line, document_title

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Record = TypeVar("_Record", bound="DataclassInstance")

DOCUMENT_COLUMNS = ["doc_id", "path", "sha256", "lang", "lang_confidence", "chars", "encoding",
                    "segments", "segment_langs", "subject", "subject_confidence", "title",
                    "date", "date_source", "date_line", "duplicate_of"]
ENTITY_COLUMNS = ["doc_id", "lang", "start", "end", "text", "label", "kb_id", "canonical",
                  "source", "role"]
FACT_COLUMNS = ["fact_id", "doc_id", "lang", "subject", "predicate", "object_kb_id", "value",
                "when", "role", "derived", "evidence", "start", "end", "note", "as_of",
                "as_of_source", "tense", "complete"]
# fact_values.csv: the fact table in tidy form, one row per (row, document, value).
FACT_VALUE_COLUMNS = ["conflict_id", "key", "predicate", "status", "doc_id", "value", "when",
                      "as_of", "as_of_source", "derived", "lower_bound", "role", "fact_ids"]
# Columns holding true/false: booleans in the frames and Parquet, "true"/"false" in the CSVs.
BOOL_COLUMNS = frozenset({"derived", "complete", "conflict", "lower_bound", "resolved"})


def is_true(cell: object) -> bool:
    """A true/false cell: a boolean, or text read back from a CSV (a spreadsheet writes TRUE)."""
    if isinstance(cell, bool):
        return cell
    return str(cell).strip().lower() == "true"


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its true/false columns as booleans (e.g. after reading a CSV as text)."""
    cols = [c for c in frame.columns if c in BOOL_COLUMNS and frame[c].dtype != bool]
    if not cols:
        return frame
    return frame.assign(**{c: frame[c].map(is_true).astype(bool) for c in cols})


def documents_frame(docs: list[Document],
                    subjects: dict[str, tuple[str, float]] | None = None,
                    duplicate_of: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per document; ``subjects``: doc_id -> (the organisation it is about, confidence)
    (facts/subject.py); ``date``: the article's own date (ingest); ``duplicate_of``: doc_id of
    a copy -> doc_id of its original (pipeline/duplicates.py; a copy is not processed further,
    so it has no language, subject or column in the fact table)."""
    subjects = subjects or {}
    duplicate_of = duplicate_of or {}
    rows = [{
        "doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "lang": d.lang,
        "lang_confidence": d.lang_confidence, "chars": len(d.text), "encoding": d.encoding,
        "segments": len(d.segments),
        "segment_langs": ",".join(sorted({s.lang for s in d.segments})),
        "subject": subjects.get(d.doc_id, ("", 0.0))[0],
        "subject_confidence": subjects.get(d.doc_id, ("", 0.0))[1],
        # How reviewers recognise the article (output/titles.py); the article's own date and
        # where it was read (ingest).
        "title": document_title(d.text), "date": d.date, "date_source": d.date_source,
        "date_line": date_line(d.text), "duplicate_of": duplicate_of.get(d.doc_id, ""),
    } for d in docs]
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)


def counted_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """The rows of documents.csv that were processed: not copies of another document."""
    if "duplicate_of" not in documents.columns:
        return documents
    return documents[documents["duplicate_of"].fillna("").astype(str) == ""]


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
                     "surface_forms": " | ".join(surfaces), "person_link": e.person_link})
    cols = ["kb_id", "label", "canonical", *[f"mentions_{d}" for d in doc_ids], "status",
            "surface_forms", "person_link"]
    return pd.DataFrame(rows, columns=cols)


def facts_frame(facts: list[Fact]) -> pd.DataFrame:
    rows = []
    for f in facts:
        row = {c: getattr(f, c) for c in FACT_COLUMNS if c != "fact_id"}
        row["fact_id"] = f.fact_id
        rows.append(row)
    return typed(pd.DataFrame(rows, columns=FACT_COLUMNS).astype(
        {"derived": bool, "complete": bool}))


def fact_table_frame(rows: list[FactRow], doc_ids: list[str]) -> pd.DataFrame:
    """fact_table.csv: per document only its bare values, several joined by "; " (SCHEMA.md);
    how each was derived and when it holds are in fact_values.csv."""
    out = []
    for r in rows:
        cells: dict[str, list[str]] = {}
        for c in r.cells:
            shown = cells.setdefault(c.doc_id, [])
            if c.value not in shown:
                shown.append(c.value)
        out.append({
            "conflict_id": r.conflict_id, "key": r.key, "subject": r.subject,
            "predicate": r.predicate, "object_kb_id": r.object_kb_id, "when": r.when,
            "role": r.role, **{d: "; ".join(cells.get(d, [])) for d in doc_ids},
            "status": r.status, "conflict": bool(r.conflict), "explanation": r.explanation,
        })
    cols = [*FACT_TABLE_KEY_COLUMNS, *doc_ids, *FACT_TABLE_STATUS_COLUMNS]
    return pd.DataFrame(out, columns=cols).astype({"conflict": bool})


def fact_values_frame(rows: list[FactRow]) -> pd.DataFrame:
    """fact_values.csv: one row per (fact-table row, document, value), typed: what programs
    read instead of the display text of the report."""
    out = [{"conflict_id": r.conflict_id, "key": r.key, "predicate": r.predicate,
            "status": r.status, "doc_id": c.doc_id, "value": c.value, "when": c.when,
            "as_of": c.as_of, "as_of_source": c.as_of_source, "derived": c.derived,
            "lower_bound": c.lower_bound, "role": c.role, "fact_ids": "; ".join(c.fact_ids)}
           for r in rows for c in r.cells]
    return pd.DataFrame(out, columns=FACT_VALUE_COLUMNS).astype(
        {"derived": bool, "lower_bound": bool})


def read_table(path: Path) -> pd.DataFrame:
    """An output CSV with every column as text (empty cells '', never NaN; ``when`` stays
    '2015', not 2015.0) and its true/false columns as booleans."""
    return typed(pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8"))


def record_of(cls: type[_Record], record: dict[str, Any]) -> _Record:
    """A ``cls`` made from the dataclass fields found in a CSV record (text, or booleans from
    ``read_table``), each converted to the field's type."""
    out: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        if f.name not in record:
            continue
        raw = record[f.name]
        kind = str(f.type)
        if kind == "bool":
            out[f.name] = is_true(raw)
        elif kind == "int":
            out[f.name] = int(raw or 0)
        elif kind == "float":
            out[f.name] = float(raw or 0)
        elif kind == "str":
            out[f.name] = str(raw)
    return cls(**out)


def facts_of(frame: pd.DataFrame) -> list[Fact]:
    """facts.csv read back as Fact records, in file order (the one reader of that file)."""
    return [record_of(Fact, r) for r in frame.to_dict("records")]


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as SCHEMA's true/false."""
    bools = [c for c in frame.columns if frame[c].dtype == bool]
    if not bools:
        return frame
    return frame.assign(**{c: frame[c].map({True: "true", False: "false"}) for c in bools})


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    buf = io.StringIO()
    _csv_ready(frame).to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    write_text_atomic(path, buf.getvalue())


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    def write(fh: Any) -> None:
        # pandas 3 keeps text columns as its string dtype already; booleans stay booleans.
        typed(frame).to_parquet(fh, index=False)

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

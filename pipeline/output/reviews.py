"""Analyst review decisions on conflicts: a plain CSV an analyst edits, applied to the fact table.

Why a CSV beside the inputs: the decisions belong to the articles being reviewed, not to one
output folder (which is rebuilt on every run), and a spreadsheet is the tool analysts already use.

``reviews.csv`` (default ``<first input folder>/reviews.csv``; a file input counts as its parent
folder; ``--reviews PATH`` overrides) has the columns

    conflict_id, decision, note, reviewer, date

- ``conflict_id``: the ``conflict_id`` column of ``fact_table.csv`` (stable: a hash of the row key
  only, so unrelated inputs never change it);
- ``decision``: ``accepted:<doc_id or value>`` (that document or value is right; values are
  compared with the typed values of ``fact_values.csv``, never read out of display text),
  ``both_true`` (both hold, at a different scope or time) or ``dismissed`` (not a real conflict);
- ``note``, ``reviewer``: free text; ``date``: ISO 8601 ``YYYY-MM-DD``.

A row with an empty ``conflict_id`` and a ``fact_id`` rejects one extracted fact (decisions.py
reads those). Extra columns (such as ``summary`` from ``reviews_template.csv``) are ignored;
rows with an empty decision are open, not errors. A malformed row is reported naming the file
and line, and the other rows still apply. Conflicts and possible conflicts can be reviewed. A
decision whose conflict is gone, is no longer a (possible) conflict, or accepts a value no
document gives any more is *stale*: listed on stderr, in run.json and in report.html, never
silently dropped.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.core.records import Problem
from pipeline.core.schema import FACT_TABLE_REVIEW_COLUMNS, Status
from pipeline.output.tables import (
    is_true,
    typed,
    write_csv,
)

REVIEW_COLUMNS = ["conflict_id", "decision", "note", "reviewer", "date"]
REQUIRED = ("conflict_id", "decision")
# Columns apply_reviews adds to the fact table.
ADDED_COLUMNS = FACT_TABLE_REVIEW_COLUMNS
STALE_COLUMNS = ["conflict_id", "decision", "note", "reviewer", "date", "line", "reason"]
TEMPLATE_COLUMNS = [*REVIEW_COLUMNS, "summary"]
DECISION_HELP = "accepted:<doc_id or value>, both_true or dismissed"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def default_reviews_path(paths: Sequence[Path], file_name: str = "reviews.csv") -> Path | None:
    """``<first input folder>/reviews.csv``: beside the articles the decisions are about."""
    if not paths:
        return None
    first = Path(paths[0])
    return (first if first.is_dir() else first.parent) / file_name


@dataclass
class ReviewCsv:
    """A reviews file as written: its header (lower case), its rows with the line each ends on,
    up to the first CSV error, the delimiter, and that error ((line, message) or None)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str = ","
    error: tuple[int, str] | None = None


def read_review_csv(text: str) -> ReviewCsv:
    """The one reader of reviews.csv text, for ``load_reviews`` (decisions) and
    ``decisions`` (rejections, the app's writes). A spreadsheet in some locales saves with
    ';': the delimiter is the one the first line has more of."""
    if not text.strip():
        return ReviewCsv([], [])
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as err:
        return ReviewCsv([], [], delimiter, (1, str(err)))
    rows: list[tuple[int, list[str]]] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            return ReviewCsv(header, rows, delimiter, (reader.line_num, str(err)))
        rows.append((reader.line_num, cells))
    return ReviewCsv(header, rows, delimiter)


def _empty_reviews() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in [*REVIEW_COLUMNS, "line"]})


def normalise_decision(raw: str) -> str | None:
    """The canonical spelling of a decision, or None when it is not one of the three forms."""
    text = raw.strip()
    low = text.lower()
    if low in ("both_true", "both true", "both-true"):
        return "both_true"
    if low == "dismissed":
        return "dismissed"
    if low.startswith("accepted:") and text[len("accepted:"):].strip():
        return "accepted:" + text[len("accepted:"):].strip()
    return None


def load_reviews(path: Path, problems: list[Problem] | None = None) -> pd.DataFrame:
    """Read a reviews CSV; malformed rows become problems (file and line named), never tracebacks.

    Problems are appended to ``problems``; when it is None they are printed on stderr, so a bad
    row is never dropped without a word. The frame has REVIEW_COLUMNS plus ``line`` (the line in
    the file, for messages). A later row for the same conflict overrides an earlier one.
    """
    found: list[Problem] = []

    def problem(text: str) -> None:
        found.append(Problem(str(path), text, skipped=False))

    frame = _empty_reviews()
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problem("reviews file not found")
        text = None
    except UnicodeDecodeError as err:
        problem(f"reviews file is not UTF-8 (byte {err.start}); save it as CSV UTF-8")
        text = None
    except OSError as err:
        problem(f"reviews file cannot be read: {err.strerror or err}")
        text = None
    if text is not None:
        frame = _parse(text, problem)
    if problems is None:
        for p in found:
            print(f"{p.path}: note: {p.problem}", file=sys.stderr, flush=True)
    else:
        problems.extend(found)
    return frame


def _parse(text: str, problem: Any) -> pd.DataFrame:
    parsed = read_review_csv(text)
    header = parsed.header
    if not header:
        if parsed.error:
            problem(f"line 1: not a CSV header ({parsed.error[1]})")
        return _empty_reviews()
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problem(f"line 1: header lacks column(s) {', '.join(missing)}; expected "
                f"{','.join(REVIEW_COLUMNS)}")
        return _empty_reviews()
    rows: dict[str, dict[str, Any]] = {}
    for line, cells in parsed.rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problem(f"line {line}: {len(cells)} fields but the header has {len(header)} "
                    "(an unquoted comma in a note?); row ignored")
            continue
        rec = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        cid, raw = rec.get("conflict_id", ""), rec.get("decision", "")
        if not raw:
            continue  # an open conflict (e.g. an unfilled template row)
        if not cid and rec.get("fact_id", ""):
            continue  # a fact rejection: read by decisions.load_rejections
        if not cid:
            problem(f"line {line}: decision {raw!r} without a conflict_id; row ignored")
            continue
        decision = normalise_decision(raw)
        if decision is None:
            problem(f"line {line}: decision {raw!r} for {cid} is not one of {DECISION_HELP}; "
                    "row ignored")
            continue
        day = rec.get("date", "")
        if day:
            try:
                ok = bool(_ISO_DAY.match(day)) and date.fromisoformat(day) is not None
            except ValueError:
                ok = False
            if not ok:
                problem(f"line {line}: date {day!r} for {cid} is not YYYY-MM-DD; row ignored")
                continue
        if cid in rows:
            problem(f"line {line}: a second decision for {cid} (first on line "
                    f"{rows[cid]['line']}); the later one is used")
        rows[cid] = {"conflict_id": cid, "decision": decision, "note": rec.get("note", ""),
                     "reviewer": rec.get("reviewer", ""), "date": day, "line": line}
    if parsed.error:
        problem(f"line {parsed.error[0]}: not valid CSV ({parsed.error[1]}); the rest of the "
                "file is ignored")
    if not rows:
        return _empty_reviews()
    return pd.DataFrame(list(rows.values()), columns=[*REVIEW_COLUMNS, "line"])


Values = Mapping[str, Mapping[str, Sequence[str]]]  # conflict_id → doc_id → its bare values
REVIEWABLE = (Status.CONFLICT, Status.POSSIBLE_CONFLICT)


def values_by_row(fact_values: pd.DataFrame | None) -> dict[str, dict[str, list[str]]]:
    """conflict_id → doc_id → the bare values that document gives (from fact_values.csv)."""
    out: dict[str, dict[str, list[str]]] = {}
    if fact_values is None or not len(fact_values):
        return out
    for cid, doc, value in fact_values[["conflict_id", "doc_id", "value"]].itertuples(
            index=False, name=None):
        out.setdefault(str(cid), {}).setdefault(str(doc), []).append(str(value))
    return out


def accepts(decision: str, doc_id: str, values: Sequence[str]) -> bool:
    """Does ``accepted:<target>`` name this document (with a value here) or one of its values?"""
    if not decision.startswith("accepted:") or not values:
        return False
    target = decision[len("accepted:"):]
    return target == doc_id or target in values


def is_reviewable(row: Mapping[str, Any]) -> bool:
    """A conflict or a possible conflict: what a reviewer decides on."""
    return is_true(row.get("conflict", "")) or str(row.get("status", "")) in REVIEWABLE


def doc_columns(fact_table: pd.DataFrame) -> list[str]:
    """The per-document value columns: between ``role`` and ``status`` (SCHEMA.md order)."""
    cols = list(fact_table.columns)
    if "role" in cols and "status" in cols:
        return cols[cols.index("role") + 1:cols.index("status")]
    return []


def apply_reviews(fact_table: pd.DataFrame, reviews: pd.DataFrame,
                  fact_values: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fact table with the review columns added, and the stale decisions with a reason.

    Only conflicts and possible conflicts are resolved; a decision on anything else is stale,
    because what the reviewer judged is no longer what the table says. ``fact_values`` (the
    fact_values.csv frame) holds the values an ``accepted:<value>`` decision may name.
    """
    table = typed(fact_table.drop(columns=[c for c in ADDED_COLUMNS if c in fact_table.columns]))
    values = values_by_row(fact_values)
    n = len(table)
    added: dict[str, list[Any]] = {c: [""] * n for c in ADDED_COLUMNS}
    added["resolved"] = [False] * n
    position = {cid: i for i, cid in enumerate(table.get("conflict_id", pd.Series(dtype=str))
                                              .astype(str))}
    stale: list[dict[str, Any]] = []
    for rec in reviews.to_dict("records"):
        cid = str(rec.get("conflict_id", ""))
        i = position.get(cid)
        reason = ""
        if i is None:
            reason = "conflict_id no longer in the fact table"
        else:
            row = table.iloc[i]
            if not is_reviewable(row):
                reason = f"no longer a conflict (status now {row.get('status', '?')})"
            elif str(rec["decision"]).startswith("accepted:"):
                target = str(rec["decision"])[len("accepted:"):]
                given = values.get(cid, {})
                if not any(accepts(str(rec["decision"]), d, v) for d, v in given.items()):
                    reason = f"accepted {target!r} is no longer a document or value of this row"
        if reason or i is None:
            stale.append({**{c: rec.get(c, "") for c in STALE_COLUMNS}, "reason": reason})
            continue
        added["review_decision"][i] = str(rec["decision"])
        added["review_note"][i] = str(rec.get("note", ""))
        added["reviewer"][i] = str(rec.get("reviewer", ""))
        added["review_date"][i] = str(rec.get("date", ""))
        added["resolved"][i] = True
    for c in ADDED_COLUMNS:
        table[c] = added[c]
    table["resolved"] = table["resolved"].astype(bool)
    return table, pd.DataFrame(stale, columns=STALE_COLUMNS)


@dataclass
class Reviewed:
    """The outcome of applying a reviews file: what write_outputs and report.html need."""

    table: pd.DataFrame
    stale: pd.DataFrame
    path: Path | None = None
    required: bool = True
    problems: list[Problem] = field(default_factory=list)

    @property
    def info(self) -> dict[str, Any]:
        """The ``reviews`` entry of run.json (the path is absolute so ``report`` finds it)."""
        conflict = self.table.get("conflict", pd.Series("", index=self.table.index)).map(is_true)
        n_conflicts = int(conflict.sum())
        resolved = int((conflict & self.table["resolved"].map(is_true)).sum())
        possible = self.table.get("status", pd.Series("", index=self.table.index)).astype(str) \
            == Status.POSSIBLE_CONFLICT
        return {
            "path": str(Path(self.path).resolve()) if self.path else None,
            "required": self.required,
            "found": bool(self.path and Path(self.path).is_file()),
            "resolved": resolved,
            "open": n_conflicts - resolved,
            "possible_conflicts": int(possible.sum()),
            "possible_open": int((possible & ~self.table["resolved"].map(is_true)).sum()),
            "stale": [{k: (int(v) if k == "line" and str(v).isdigit() else str(v))
                       for k, v in r.items()} for r in self.stale.to_dict("records")],
            "problems": [p.problem for p in self.problems],
        }


def review(fact_table: pd.DataFrame, path: Path | None, required: bool = True,
           fact_values: pd.DataFrame | None = None) -> Reviewed:
    """Load (when a path is given) and apply decisions; problems and stale ones go to stderr.

    ``required=False`` is for the default location: no reviews file there yet just means that
    every conflict is open, which is not worth a message.
    """
    problems: list[Problem] = []
    if path is None or (not required and not Path(path).exists()):
        decisions = _empty_reviews()
    else:
        decisions = load_reviews(path, problems)
    table, stale = apply_reviews(fact_table, decisions, fact_values)
    for p in problems:
        print(f"{p.path}: note: {p.problem}", file=sys.stderr, flush=True)
    for r in stale.to_dict("records"):
        print(f"{path}: stale review decision (line {r['line']}) {r['decision']} for "
              f"{r['conflict_id']}: {r['reason']}", file=sys.stderr, flush=True)
    return Reviewed(table=table, stale=stale, path=path, required=required, problems=problems)


def summary(row: Mapping[str, Any], docs: list[str]) -> str:
    """One line a reviewer can read without the report: predicate, what about, each value."""
    about = " ".join(str(row.get(c, "")) for c in ("object_kb_id", "role", "when")
                     if str(row.get(c, "")))
    values = "; ".join(f"{d}={row[d]}" for d in docs if str(row.get(d, "")).strip())
    grade = str(row.get("status", "")).replace("_", " ")
    return (f"{row.get('predicate', '')}{' ' + about if about else ''}: {values}"
            + (f" ({grade})" if grade == "possible conflict" else ""))


def template_frame(fact_table: pd.DataFrame) -> pd.DataFrame:
    """One empty decision row per open conflict or possible conflict, with its id and a
    summary to decide on."""
    docs = doc_columns(fact_table)
    blank = pd.Series("", index=fact_table.index)
    reviewable = fact_table.get("conflict", blank).map(is_true) | \
        fact_table.get("status", blank).astype(str).isin(list(REVIEWABLE))
    open_ = reviewable & ~fact_table.get("resolved", blank).map(is_true)
    cols = [c for c in ("conflict_id", "predicate", "object_kb_id", "role", "when", "status",
                        *docs) if c in fact_table.columns]
    records = (dict(zip(cols, values, strict=True))
               for values in fact_table.loc[open_, cols].itertuples(index=False, name=None))
    rows = [{"conflict_id": row["conflict_id"], "decision": "", "note": "", "reviewer": "",
             "date": "", "summary": summary(row, docs)} for row in records]
    return pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)


def write_template(out_dir: Path, fact_table: pd.DataFrame) -> Path:
    """``reviews_template.csv``: copy its rows into reviews.csv and fill in ``decision``."""
    path = Path(out_dir) / "reviews_template.csv"
    write_csv(path, template_frame(fact_table))
    return path

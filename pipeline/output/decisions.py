"""Writing review decisions and fact rejections into reviews.csv, safely from several tabs.

The review app (app.py) records each click at once in the same ``reviews.csv`` that ``extract``
and ``report`` read (reviews.py). Two tabs, or the app and an analyst's script, may write at the
same moment: every change is a read-modify-write of the whole file under a file lock
(``<reviews.csv>.lock``, filelock), written through a temporary file and ``os.replace``, so a
reader never sees half a file and no writer loses another's row.

Besides conflict decisions the file holds **fact rejections**: a row with an empty
``conflict_id``, the ``fact_id`` of one extracted fact (facts.csv, ``Fact.fact_id``: a hash of
the document, predicate, object, value, time, role and offset, so it survives re-runs),
``decision`` = ``rejected`` and the reason in ``note``. A rejected fact is left out of the fact
table, conflicts.md, the report and the exports on the next render; deleting the row brings it
back. facts.csv itself always lists every extracted fact, so nothing is lost.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from pipeline.core.records import Entity, Fact, FactRow, Mention, Problem
from pipeline.output.atomic import write_text_atomic
from pipeline.output.reviews import read_review_csv
from pipeline.output.tables import (
    counted_documents,
    fact_table_frame,
    facts_of,
    is_true,
    record_of,
)
from pipeline.output.text import md_cell
from pipeline.reconcile import reconcile

# The columns this module writes; an analyst's extra columns (e.g. ``summary``) are kept.
FILE_COLUMNS = ["conflict_id", "fact_id", "decision", "note", "reviewer", "date"]
REJECTED = "rejected"
LOCK_TIMEOUT_S = 15.0
# A cell a spreadsheet would run as a formula (OWASP "CSV injection").
_FORMULA = re.compile(r"^[=+\-@\t\r]")


class ReviewFileError(Exception):
    """The reviews file cannot be read or written (message names the file)."""


@dataclass(frozen=True)
class Rejection:
    fact_id: str
    reason: str
    reviewer: str
    date: str
    line: int


def lock_for(path: Path) -> FileLock:
    """The lock every writer of ``path`` takes (a sibling ``.lock`` file)."""
    return FileLock(str(Path(path)) + ".lock", timeout=LOCK_TIMEOUT_S)


def clean_cell(text: str, limit: int = 2000) -> str:
    """One line of free text, safe to open in a spreadsheet."""
    text = " ".join(str(text).split())[:limit]
    return "'" + text if _FORMULA.match(text) else text


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]], str]:
    """Header, rows and delimiter of the file as it is ("" cells for short rows)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return list(FILE_COLUMNS), [], ","
    except UnicodeDecodeError as err:
        raise ReviewFileError(f"{path}: not UTF-8 (byte {err.start}); save it as CSV UTF-8 "
                              "before reviewing in the app") from err
    except OSError as err:
        raise ReviewFileError(f"{path}: cannot be read ({err.strerror or err})") from err
    parsed = read_review_csv(text)
    if parsed.error:
        raise ReviewFileError(f"{path}: not valid CSV ({parsed.error[1]}); fix it before "
                              "reviewing in the app")
    if not parsed.header:
        return list(FILE_COLUMNS), [], ","
    header = parsed.header
    rows = [dict(zip(header, [*cells, *[""] * (len(header) - len(cells))], strict=False))
            for _, cells in parsed.rows if any(c.strip() for c in cells)]
    header += [c for c in FILE_COLUMNS if c not in header]
    return header, rows, parsed.delimiter


def _write_rows(path: Path, header: list[str], rows: list[dict[str, str]], delimiter: str) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, delimiter=delimiter, lineterminator="\n",
                            extrasaction="ignore", restval="")
    writer.writeheader()
    writer.writerows(rows)
    try:
        write_text_atomic(path, buf.getvalue())
    except OSError as err:
        raise ReviewFileError(f"{path}: cannot be written ({err.strerror or err})") from err


def _key(row: dict[str, str]) -> tuple[str, str]:
    cid = row.get("conflict_id", "").strip()
    return ("conflict", cid) if cid else ("fact", row.get("fact_id", "").strip())


def change(path: Path, *, conflict_id: str = "", fact_id: str = "", decision: str = "",
           note: str = "", reviewer: str = "", day: str | None = None,
           then: Callable[[], object] | None = None) -> None:
    """Record (or, with an empty ``decision``, remove) the decision on one conflict or fact.

    Every other row, including an analyst's own columns and comments in notes, is kept. A new
    decision replaces the earlier ones for the same conflict or fact, where it stood. ``then``
    runs before the lock is released (the app re-renders the outputs there), so renders happen
    one at a time and the last one sees every decision.
    """
    if bool(conflict_id) == bool(fact_id):
        raise ValueError("exactly one of conflict_id and fact_id")
    path = Path(path)
    key = ("conflict", conflict_id) if conflict_id else ("fact", fact_id)
    try:
        with lock_for(path):
            header, rows, delimiter = _read_rows(path)
            kept: list[dict[str, str]] = []
            placed = False
            new = {"conflict_id": conflict_id, "fact_id": fact_id, "decision": decision,
                   "note": clean_cell(note), "reviewer": clean_cell(reviewer, 200),
                   "date": day or date.today().isoformat()}
            for row in rows:
                if _key(row) != key:
                    kept.append(row)
                elif decision and not placed:
                    kept.append({**row, **new})
                    placed = True
            if decision and not placed:
                kept.append(new)
            _write_rows(path, header, kept, delimiter)
            if then is not None:
                then()
    except Timeout as err:
        raise ReviewFileError(f"{path}: another writer holds {path}.lock for more than "
                              f"{LOCK_TIMEOUT_S:.0f} s; try again") from err


def ensure_file(path: Path) -> None:
    """Create the reviews file with its header when it does not exist yet (the app's start)."""
    path = Path(path)
    with lock_for(path):
        if not path.exists():
            _write_rows(path, list(FILE_COLUMNS), [], ",")


def load_rejections(path: Path | None, problems: list[Problem] | None = None
                    ) -> dict[str, Rejection]:
    """The fact rejections in a reviews file, by fact_id (absent file: none)."""
    if path is None or not Path(path).is_file():
        return {}
    try:
        _, rows, _ = _read_rows(Path(path))
    except ReviewFileError as err:
        _note(problems, Problem(str(path), str(err), skipped=False))
        return {}
    found: dict[str, Rejection] = {}
    for line, row in enumerate(rows, start=2):
        fid = row.get("fact_id", "").strip()
        if not fid or row.get("conflict_id", "").strip():
            continue
        decision = row.get("decision", "").strip().lower()
        if not decision:
            continue  # an open row
        if decision != REJECTED:
            _note(problems, Problem(str(path), f"row {line}: decision {decision!r} for fact "
                                    f"{fid} is not {REJECTED!r}; row ignored", skipped=False))
            continue
        found[fid] = Rejection(fid, row.get("note", ""), row.get("reviewer", ""),
                               row.get("date", ""), line)
    return found


def _note(problems: list[Problem] | None, p: Problem) -> None:
    if problems is None:
        print(f"{p.path}: note: {p.problem}", file=sys.stderr, flush=True)
    else:
        problems.append(p)


def without_rejected(facts: Iterable[Fact], rejected: dict[str, Rejection]) -> list[Fact]:
    return [f for f in facts if f.fact_id not in rejected]


def reconcile_kept(facts: list[Fact], doc_ids: list[str], subject: str) -> list[FactRow]:
    """reconcile() on the facts left after rejections, with the run's subject (so that the
    rows are the ones extract made)."""
    return reconcile(facts, doc_ids, subject=subject)


# --- Reading an output folder back as typed records (for `report`, the app and the exports) ---

def read_facts(out_dir: Path) -> list[Fact]:
    """facts.csv as Fact records (every column that is a Fact field, typed), in file order."""
    path = Path(out_dir) / "facts.csv"
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        return []
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise ReviewFileError(f"{path}: cannot be read as CSV ({err})") from err
    try:
        return facts_of(frame)
    except (TypeError, ValueError) as err:
        raise ReviewFileError(f"{path}: a row is not a fact ({err})") from err


def read_entities(out_dir: Path) -> list[Entity]:
    """entities.csv grouped back into Entity records (by kb_id and label), as
    link/persons.py makes them."""
    path = Path(out_dir) / "entities.csv"
    if not path.exists():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    groups: dict[tuple[str, str], list[Mention]] = {}
    for r in frame.to_dict("records"):
        m = record_of(Mention, r)
        groups.setdefault((m.kb_id, m.label), []).append(m)
    return [Entity(kb_id=k, label=lab, canonical=ms[0].canonical or k, mentions=tuple(ms))
            for (k, lab), ms in groups.items() if k]


@dataclass
class Rebuilt:
    """The fact table of an output folder made again from facts.csv, less the rejected facts."""

    doc_ids: list[str]
    facts: list[Fact]  # every extracted fact (facts.csv)
    kept: list[Fact]  # those not rejected
    rejected: dict[str, Rejection]
    rows: list[FactRow]
    table: pd.DataFrame
    problems: list[Problem]

    @property
    def info(self) -> list[dict[str, object]]:
        """run.json ``reviews.rejected``: each rejection and whether its fact still exists."""
        known = {f.fact_id for f in self.facts}
        return [{"fact_id": r.fact_id, "reason": r.reason, "reviewer": r.reviewer,
                 "date": r.date, "found": r.fact_id in known} for r in self.rejected.values()]


def rebuild(out_dir: Path, reviews_path: Path | None) -> Rebuilt:
    """Reconcile facts.csv again without the rejected facts (no NER: the facts are read back)."""
    out_dir = Path(out_dir)
    docs = pd.read_csv(out_dir / "documents.csv", dtype=str, keep_default_na=False)
    doc_ids = list(counted_documents(docs).get("doc_id", []))
    facts = read_facts(out_dir)
    problems: list[Problem] = []
    rejected = load_rejections(reviews_path, problems)
    known = {f.fact_id for f in facts}
    for r in rejected.values():
        if r.fact_id not in known:
            problems.append(Problem(str(reviews_path), f"row {r.line}: rejected fact {r.fact_id} "
                                    "is not in facts.csv any more (stale)", skipped=False))
    kept = without_rejected(facts, rejected)
    run_path = out_dir / "run.json"
    try:
        subject = str(json.loads(run_path.read_text(encoding="utf-8")).get("subject", "")) \
            if run_path.exists() else ""
    except (OSError, ValueError) as err:
        raise ReviewFileError(f"{run_path}: cannot be read ({err})") from err
    rows = reconcile_kept(kept, doc_ids, subject)
    return Rebuilt(doc_ids, facts, kept, rejected, rows, fact_table_frame(rows, doc_ids),
                   problems)


def decisions_markdown(table: pd.DataFrame, rejected: dict[str, Rejection],
                       facts: list[Fact]) -> str:
    """conflicts.md's closing sections: the review decisions and the rejected facts."""
    lines = ["## Review decisions", ""]
    decided = [r for r in table.to_dict("records") if is_true(r.get("resolved", ""))]
    if decided:
        lines += ["| conflict | predicate | decision | reviewer | date | note |",
                  "|---|---|---|---|---|---|"]
        for r in decided:
            cells: tuple[object, ...] = (r.get("conflict_id", ""), r.get("predicate", ""),
                     r.get("review_decision", ""), r.get("reviewer", ""),
                     r.get("review_date", ""), r.get("review_note", ""))
            lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    else:
        lines.append("No conflict has been decided yet.")
    lines += ["", "## Rejected facts", ""]
    by_id = {f.fact_id: f for f in facts}
    if rejected:
        lines += ["| fact | document | predicate | value | reason | reviewer | date |",
                  "|---|---|---|---|---|---|---|"]
        for r in rejected.values():
            f = by_id.get(r.fact_id)
            what = (f.object_kb_id or f.value) if f else "(no longer extracted)"
            cells = (r.fact_id, f.doc_id if f else "", f.predicate if f else "", what,
                     r.reason, r.reviewer, r.date)
            lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    else:
        lines.append("No extracted fact has been rejected.")
    lines.append("")
    return "\n".join(lines)

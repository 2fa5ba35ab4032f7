"""report.html: one self-contained page an analyst reviews conflicts on (works from file://).

Rendered with Jinja2 (autoescape on) from the CSV files of an output folder only, so
``python -m pipeline report`` re-renders it without re-running NER. No network: CSS and JS are
inline and a Content-Security-Policy forbids every other source.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from babel import Locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from pipeline.core.config import DEFAULT
from pipeline.core.records import COUNTRY, LOC, ORG, PERSON, Fact, FactRow
from pipeline.core.schema import CellValue, Status
from pipeline.normalize.devanagari import is_devanagari
from pipeline.normalize.script import written_in_devanagari
from pipeline.output.atomic import write_text_atomic
from pipeline.output.chart import render_chart
from pipeline.output.reviews import accepts, doc_columns, review
from pipeline.output.tables import (
    counted_documents,
    fact_values_frame,
    facts_of,
    is_true,
    read_table,
)
from pipeline.output.text import grade_text, how_text, time_text, value_text
from pipeline.reconcile import cells_of, reconcile

TEMPLATES = Path(__file__).resolve().parent / "templates"

# displaCy's colour convention (spacy.displacy.render.DEFAULT_LABEL_COLORS), mapped onto our
# labels: COUNTRY is spaCy's GPE, NUMBER its CARDINAL.
LABEL_COLORS = {
    "COUNTRY": "#feca74",  # GPE
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "LOC": "#ff9561",
    "DATE": "#bfe1d9",
    "NUMBER": "#e4e7d2",  # CARDINAL
}
OTHER_COLOR = "#ddd"
# The labels the entity section (and conflicts.md's "only one document" table) leads with.
NAMED = (COUNTRY, PERSON, ORG, LOC)
STATUS_ORDER = ("conflict", "possible_conflict", "refines", "agree", "single_source")
# The grades a reviewer is shown, most certain first.
GRADES = (Status.CONFLICT, Status.POSSIBLE_CONFLICT)


@lru_cache(maxsize=64)
def lang_name(code: str) -> str:
    """A language's English name from CLDR (Babel), so a new language needs no table here."""
    return str(Locale("en").languages.get(code, code)) if code else ""


class ReportError(Exception):
    """An output folder the report cannot be rendered from (message names the file)."""


@dataclass(frozen=True)
class Span:
    """A piece of evidence text; ``label`` is set when it is an entity mention."""

    text: str
    label: str = ""
    kb_id: str = ""
    canonical: str = ""
    focus: bool = False  # the entity the conflict is about (outlined among the others)

    @property
    def color(self) -> str:
        return LABEL_COLORS.get(self.label, OTHER_COLOR)


def highlight(evidence: str, start: int, mentions: list[dict[str, Any]],
              focus: frozenset[str] = frozenset()) -> list[Span]:
    """Split the evidence sentence into plain and entity spans by the mentions' offsets.

    Offsets are into the normalised document text; the evidence starts at ``start``. A mention
    whose offsets do not land on its text (e.g. an evidence string edited after extraction) is
    left plain rather than highlighting the wrong characters; overlapping mentions keep the
    first (longest) one.
    """
    picked: list[tuple[int, int, dict[str, Any]]] = []
    for m in sorted(mentions, key=lambda m: (int(m["start"]), -int(m["end"]))):
        a, b = int(m["start"]) - start, int(m["end"]) - start
        if a < 0 or b > len(evidence) or a >= b or evidence[a:b] != m["text"]:
            continue
        if picked and a < picked[-1][1]:
            continue
        picked.append((a, b, m))
    spans: list[Span] = []
    pos = 0
    for a, b, m in picked:
        if a > pos:
            spans.append(Span(evidence[pos:a]))
        kb_id = str(m.get("kb_id", ""))
        spans.append(Span(evidence[a:b], str(m["label"]), kb_id, str(m.get("canonical", "")),
                          kb_id in focus))
        pos = b
    if pos < len(evidence) or not spans:
        spans.append(Span(evidence[pos:]))
    return spans


@lru_cache(maxsize=4096)
def romanize(text: str) -> str:
    """Devanagari → IAST (a standard, reversible romanisation); other scripts pass through."""
    if not is_devanagari(text):
        return text
    # imported here: 0.15 s of start-up that only a report with Devanagari text needs (this
    # module is imported by every writer)
    from indic_transliteration import sanscript

    text = text.replace("॥", ".").replace("।", ".")
    return str(sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.IAST))


def romanize_spans(spans: list[Span]) -> list[Span]:
    """The same spans romanised, so the highlights line up under the Devanagari."""
    return [Span(romanize(s.text), s.label, s.kb_id, s.canonical, s.focus) for s in spans]


def _read(out_dir: Path, name: str, required: bool = True) -> pd.DataFrame:
    path = out_dir / name
    if not path.exists():
        if required:
            raise ReportError(f"{path}: not found; run `python -m pipeline extract --out "
                              f"{out_dir}` first")
        return pd.DataFrame()
    try:
        return read_table(path)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise ReportError(f"{path}: cannot be read as CSV ({err})") from err


def _pct(value: str) -> str:
    try:
        return f"{float(value):.0%}"
    except ValueError:
        return value or "–"


COMPACT_TABLE_DOCS = 12  # above this many documents the fact table lists values per row


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts; plain tuples are several times faster than to_dict on wide tables."""
    cols = list(frame.columns)
    return [dict(zip(cols, row, strict=True)) for row in frame.itertuples(index=False, name=None)]


@dataclass
class ReportInputs:
    """What the page is made from: the output tables, the facts and run.json's contents.

    ``load_inputs`` reads them back from an output folder (``python -m pipeline report``);
    extract hands over the ones it holds in memory, so it does not parse what it just wrote.
    ``rows`` are the reconciled rows when known (else reconciled again from ``facts``).
    """

    documents: pd.DataFrame
    fact_table: pd.DataFrame
    entities: pd.DataFrame
    entity_table: pd.DataFrame
    facts: list[Fact]
    info: dict[str, Any]
    rows: list[FactRow] | None = None
    chart_max_documents: int = DEFAULT.chart_max_documents  # Settings of the run that wrote it


def load_inputs(out_dir: Path) -> ReportInputs:
    """The report's inputs from an output folder's CSV files and run.json."""
    out_dir = Path(out_dir)
    run_path = out_dir / "run.json"
    try:
        info: dict[str, Any] = (json.loads(run_path.read_text(encoding="utf-8"))
                                if run_path.exists() else {})
    except ValueError as err:
        raise ReportError(f"{run_path}: not valid JSON ({err})") from err
    documents, fact_table = _read(out_dir, "documents.csv"), _read(out_dir, "fact_table.csv")
    try:
        facts = facts_of(_read(out_dir, "facts.csv"))
    except (TypeError, ValueError) as err:
        raise ReportError(f"{out_dir / 'facts.csv'}: a row is not a fact ({err})") from err
    doc_ids = [d for d in documents.get("doc_id", []) if d in fact_table.columns] or \
        doc_columns(fact_table)
    return ReportInputs(
        documents=documents,
        fact_table=fact_table,
        entities=_read(out_dir, "entities.csv", required=False),
        entity_table=_read(out_dir, "entity_table.csv", required=False),
        facts=facts,
        info=info,
        rows=reconcile(facts, doc_ids, str(info.get("subject", ""))),
    )


def build_context(inputs: ReportInputs | Path,
                  reviews_path: Path | None = None) -> dict[str, Any]:
    """Everything the template shows, from an output folder or inputs held in memory."""
    if not isinstance(inputs, ReportInputs):
        inputs = load_inputs(inputs)
    documents, fact_table, info = inputs.documents, inputs.fact_table, inputs.info
    entities, entity_table, facts = inputs.entities, inputs.entity_table, inputs.facts
    # copies of another input (pipeline/duplicates.py) are listed apart, not as documents
    copies = [(str(d["doc_id"]), str(d["path"]), str(d["duplicate_of"]))
              for d in documents.to_dict("records") if d.get("duplicate_of")]
    documents = counted_documents(documents)

    doc_ids = [d for d in documents.get("doc_id", []) if d in fact_table.columns] or \
        doc_columns(fact_table)
    # The typed rows: reconciled by extract, or again from facts.csv (same keys, same ids).
    rows_in = inputs.rows if inputs.rows is not None else reconcile(
        facts, doc_ids, str(info.get("subject", "")))
    typed_rows = {r.conflict_id: r for r in rows_in}

    # Reviews: apply the file when given, else show what extract recorded.
    review_info = dict(info.get("reviews") or {})
    if reviews_path is not None or "resolved" not in fact_table.columns:
        reviewed = review(fact_table, reviews_path, fact_values=fact_values_frame(rows_in))
        fact_table = reviewed.table
        if reviews_path is not None:
            review_info = reviewed.info
    stale = list(review_info.get("stale") or [])
    review_problems = list(review_info.get("problems") or [])

    canonical = dict(zip(entity_table["kb_id"], entity_table["canonical"], strict=True)) \
        if len(entity_table) else {}
    # Mentions are needed only for the evidence of conflicts: grouped once, turned into dicts
    # only for the documents a conflict shows.
    groups = entities.groupby("doc_id", sort=False).indices if len(entities) else {}
    cache: dict[str, list[dict[str, Any]]] = {}

    def mentions_of(d: str) -> list[dict[str, Any]]:
        if d not in cache:
            idx = groups.get(d)
            cache[d] = [] if idx is None else _records(entities.iloc[idx])
        return cache[d]

    lang_of = dict(zip(documents.get("doc_id", []), documents.get("lang", []), strict=False))

    def about(r: dict[str, Any]) -> str:
        obj = r.get("object_kb_id", "")
        name = canonical.get(obj, "")
        parts = [f"{name} ({obj})" if name and name != obj else obj, r.get("role", ""),
                 r.get("when", "")]
        return " · ".join(p for p in parts if p)

    rows, conflicts = [], []
    # With many documents one column per document makes an unreadable (and slow) page: the
    # table then lists, per row, only the documents that state something.
    compact = len(doc_ids) > COMPACT_TABLE_DOCS
    base = _records(fact_table[[c for c in fact_table.columns if c not in set(doc_ids)]])
    for r in base:
        typed_row = typed_rows.get(str(r.get("conflict_id", "")))
        by_doc: dict[str, list[CellValue]] = {}
        for c in typed_row.cells if typed_row is not None else ():
            by_doc.setdefault(c.doc_id, []).append(c)
        shown = {d: "; ".join(dict.fromkeys(value_text(c, r.get("predicate", "")) for c in cs))
                 for d, cs in by_doc.items()}
        with_value = [d for d in doc_ids if d in by_doc]
        status = str(r.get("status", ""))
        row = {**r, "about": about(r), "docs": "|".join(with_value),
               "values": [] if compact else [shown.get(d, "") for d in doc_ids],
               "present": [(d, shown[d]) for d in with_value] if compact else [],
               "grade": grade_text(status),
               "is_conflict": is_true(r.get("conflict")),
               "is_flagged": status in GRADES or is_true(r.get("conflict")),
               "resolved": is_true(r.get("resolved"))}
        rows.append(row)
        if not row["is_flagged"]:
            continue
        sides = []
        row_facts = typed_row.facts if typed_row is not None else ()
        shown_docs = with_value
        also: dict[str, list[str]] = {}
        if compact:
            # Many documents: one side per distinct value, its first document's evidence shown
            # and the other documents that give the same value named beneath.
            first_of: dict[tuple[object, ...], str] = {}
            for d in with_value:
                v = tuple((c.value, c.as_of, c.lower_bound) for c in by_doc[d])
                if v in first_of:
                    also.setdefault(first_of[v], []).append(d)
                else:
                    first_of[v] = d
            shown_docs = list(first_of.values())
        for d in shown_docs:
            fs = [f for f in row_facts if f.doc_id == d]
            items = []
            for f in fs:
                focus = frozenset(x for x in (r.get("object_kb_id", ""), f.object_kb_id,
                                              f.value if f.predicate == "member_count" else "")
                                  if x)
                spans = highlight(f.evidence, f.start, [
                    m for m in mentions_of(d)
                    if f.start <= int(m["start"]) and int(m["end"]) <= f.end], focus)
                hindi = written_in_devanagari(f.lang) or is_devanagari(f.evidence)
                claim = cells_of([f])[0]
                items.append({"value": value_text(claim, f.predicate), "when": time_text(claim),
                              "derived": f.derived, "note": f.note,
                              "lang": f.lang, "spans": spans, "hindi": hindi,
                              "roman": romanize_spans(spans) if hindi else []})
            parts = [{"main": value_text(c, r.get("predicate", "")),
                      "tags": " · ".join((how_text(c), time_text(c)))} for c in by_doc[d]]
            sides.append({"doc_id": d, "also": also.get(d, []),
                          "lang": lang_name(lang_of.get(d, "")),
                          "value": shown.get(d, ""), "parts": parts, "claims": items,
                          "accepted": accepts(str(r.get("review_decision", "")), d,
                                              [c.value for c in by_doc[d]])})
        conflicts.append({**row, "sides": sides})
    # Conflicts first, then possible conflicts; within a grade in table order.
    conflicts.sort(key=lambda c: 0 if c["is_conflict"] else 1)

    status_counts = Counter(r.get("status", "") for r in rows)
    if len(entity_table):
        # Only the few columns shown: the table has one mention column per document.
        slim = entity_table[[c for c in ("kb_id", "label", "canonical", "status", "surface_forms")
                             if c in entity_table.columns]]
        slim = slim[slim["status"].astype(str).str.startswith("only:")]
        only_one = slim.to_dict("records")
    else:
        only_one = []
    for r in only_one:
        r["only_in"] = r["status"][len("only:"):].replace(",", ", ")
        forms = str(r.get("surface_forms", ""))
        r["surface_roman"] = romanize(forms) if is_devanagari(forms) else ""
    only_one.sort(key=lambda r: (r["only_in"], NAMED.index(r["label"]) if r["label"] in NAMED
                                 else len(NAMED), r.get("canonical", "")))
    # Dates and numbers found once are mostly noise to a reviewer: listed apart, folded.
    only_named = [r for r in only_one if r["label"] in NAMED]
    only_other = [r for r in only_one if r["label"] not in NAMED]
    facts_per_doc = Counter(f.doc_id for f in facts)
    docs = []
    for d in documents.to_dict("records"):
        docs.append({**d, "lang_name": lang_name(d.get("lang", "")),
                     "confidence": _pct(d.get("lang_confidence", "")),
                     "facts": facts_per_doc.get(d["doc_id"], 0),
                     "conflicts": sum(1 for c in conflicts if d["doc_id"] in c["docs"].split("|"))})
    n_resolved = sum(1 for c in conflicts if c["resolved"])
    # The table leads with what a reviewer must look at: conflicts, then possible conflicts.
    rows.sort(key=lambda r: STATUS_ORDER.index(r["status"]) if r.get("status") in STATUS_ORDER
              else len(STATUS_ORDER))
    # --- titles and the membership chart (issue 15; output/titles.py, output/chart.py) ---
    titles = {d["doc_id"]: str(d.get("title") or d["doc_id"]) for d in docs}
    datelines = {d["doc_id"]: str(d.get("date_line") or d.get("date") or "") for d in docs}
    chart = render_chart(facts, rows_in, doc_ids, {d: t[:40] for d, t in titles.items()},
                         {r["conflict_id"]: r["resolved"] for r in rows if r["is_conflict"]},
                         max_documents=inputs.chart_max_documents)
    # --- end titles and chart ---
    return {
        "subject": info.get("subject", ""),
        "info": info,
        "doc_ids": doc_ids,
        "compact": compact,
        "documents": docs,
        "copies": copies,
        "rows": rows,
        "conflicts": conflicts,
        "predicates": sorted({r.get("predicate", "") for r in rows} - {""}),
        "status_counts": [(s, status_counts.get(s, 0)) for s in STATUS_ORDER]
        + [(s, n) for s, n in sorted(status_counts.items()) if s not in STATUS_ORDER],
        "grades": [(g, grade_text(g)) for g in GRADES],
        "counts": {"documents": len(docs), "facts": len(facts), "rows": len(rows),
                   "conflicts": sum(1 for c in conflicts if c["is_conflict"]),
                   "possible": sum(1 for c in conflicts if not c["is_conflict"]),
                   "flagged": len(conflicts), "resolved": n_resolved,
                   "open": len(conflicts) - n_resolved, "entities": len(entity_table),
                   "only_one": len(only_one), "stale": len(stale)},
        "only_named": only_named,
        "only_other": only_other,
        "stale": stale,
        "review_path": review_info.get("path"),
        "review_problems": review_problems,
        "problems": info.get("problems", []),
        "titles": titles,
        "datelines": datelines,
        "chart": chart,
        "label_colors": LABEL_COLORS,
        "other_color": OTHER_COLOR,
    }


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Jinja2 with autoescape on for every template: evidence text is untrusted input.
    One per process, so the template is compiled once."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["footnotes"] = footnotes
    return env


# A footnote mark left in copied text: "Qatar (1) Saudi Arabia", "members[2]".
FOOTNOTE = re.compile(r"\(\d{1,3}\)|\[\d{1,3}\]")


def footnotes(text: str) -> Markup:
    """Escaped text with footnote marks set apart (small, raised), so that a reader does not
    take "(1)" for part of the names around it."""
    out, pos = [], 0
    for m in FOOTNOTE.finditer(text):
        out += [escape(text[pos:m.start()]), Markup('<sup class="fn">%s</sup>') % m.group()]
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def render_report(out_dir: Path, reviews_path: Path | None = None,
                  inputs: ReportInputs | None = None) -> Path:
    """Render ``out_dir/report.html`` (atomically) from the output CSVs, or from ``inputs`` when
    the caller holds them; returns its path.

    With ``reviews_path`` the decisions in that file are applied afresh; without it the review
    columns already in fact_table.csv (and the stale list in run.json) are shown.
    """
    out_dir = Path(out_dir)
    context = build_context(inputs if inputs is not None else out_dir, reviews_path)
    html = environment().get_template("report.html.j2").render(**context)
    path = out_dir / "report.html"
    write_text_atomic(path, html)
    return path

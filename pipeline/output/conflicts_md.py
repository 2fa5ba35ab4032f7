"""conflicts.md: every conflict and possible conflict with each document's value, when it holds
and why, the evidence sentence, the reason, and the review decision (as report.html shows it)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.core.records import FactRow
from pipeline.core.schema import Status
from pipeline.output.html import NAMED
from pipeline.output.tables import is_true
from pipeline.output.text import grade_text, how_text, md_cell, time_text, value_text

GRADES = (Status.CONFLICT, Status.POSSIBLE_CONFLICT)


def _decisions(fact_table: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """conflict_id → its review columns, for the rows a decision resolved."""
    if fact_table is None or "resolved" not in fact_table.columns:
        return {}
    cols = ["conflict_id", "review_decision", "review_note", "reviewer", "review_date",
            "resolved"]
    return {str(r["conflict_id"]): r for r in fact_table[cols].to_dict("records")
            if is_true(r["resolved"])}


def _review_line(cid: str, decisions: dict[str, dict[str, Any]]) -> str:
    d = decisions.get(cid)
    if d is None:
        return (f"**Review:** open. Record a decision in reviews.csv: conflict_id `{cid}`, "
                "decision `accepted:<doc_id or value>`, `both_true` or `dismissed`.")
    by = f" by {d['reviewer']}" if d.get("reviewer") else ""
    on = f" on {d['review_date']}" if d.get("review_date") else ""
    note = f" — {md_cell(d['review_note'])}" if d.get("review_note") else ""
    return f"**Review:** resolved, `{d['review_decision']}`{by}{on}{note}."


def render(rows: list[FactRow], doc_ids: list[str], entity_table: pd.DataFrame | None = None,
           subject: str = "", fact_table: pd.DataFrame | None = None) -> str:
    """The Markdown report; ``fact_table`` (with review columns) supplies the decisions."""
    shown = sorted((r for r in rows if r.status in GRADES),
                   key=lambda r: (GRADES.index(Status(r.status)), r.key))
    n_conflicts = sum(1 for r in rows if r.conflict)
    n_possible = sum(1 for r in rows if r.status == Status.POSSIBLE_CONFLICT)
    decisions = _decisions(fact_table)
    lines = [f"# Conflict report{': ' + subject if subject else ''}", "",
             f"{n_conflicts} conflict(s) and {n_possible} possible conflict(s) among {len(rows)} "
             f"fact rows from {len(doc_ids)} document(s): {', '.join(doc_ids)}.", "",
             "A *conflict* is two stated values at compatible times that cannot both be true. A "
             "*possible conflict* is a difference to look at that may not be a contradiction: "
             "one side is counted from a partial list, or no time is known for it.", ""]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("Statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lines.append("")
    for r in shown:
        about = " ".join(x for x in (r.object_kb_id, r.role, r.when) if x)
        lines.append(f"## {grade_text(r.status).capitalize()}: {r.predicate}"
                     f"{' — ' + about if about else ''} (id {r.conflict_id})")
        lines.append("")
        lines.append(f"**Why:** {md_cell(r.explanation)}")
        lines.append("")
        lines.append(_review_line(r.conflict_id, decisions))
        lines.append("")
        lines.append("| document | value | how | when it holds | evidence |")
        lines.append("|---|---|---|---|---|")
        by_fact = {f.fact_id: f for f in r.facts}
        for c in r.cells:
            evidence = " / ".join(dict.fromkeys(by_fact[i].evidence for i in c.fact_ids
                                                if i in by_fact))
            cells = (c.doc_id, value_text(c, r.predicate), how_text(c), time_text(c), evidence)
            lines.append("| " + " | ".join(md_cell(x) for x in cells) + " |")
        lines.append("")
    if entity_table is not None and len(entity_table) and len(doc_ids) > 1:
        lines.append("## Mentioned in only one document")
        lines.append("")
        lines.append("| entity | label | canonical | document | surface forms |")
        lines.append("|---|---|---|---|---|")
        for e in entity_table.to_dict("records"):
            status = str(e.get("status", ""))
            if status.startswith("only:") and "," not in status and e["label"] in NAMED:
                cells = (e["kb_id"], e["label"], e["canonical"], status[len("only:"):],
                         e.get("surface_forms", ""))
                lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)

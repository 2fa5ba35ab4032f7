"""conflicts.md: every conflict with each document's value, evidence sentence and the reason."""

from __future__ import annotations

from pipeline.core.records import Entity, FactRow
from pipeline.output.html import NAMED
from pipeline.reconcile import display_value


def _cell(text: object) -> str:
    """A Markdown table cell: a ``|`` or line break in an evidence or name would split the row."""
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def render(rows: list[FactRow], doc_ids: list[str], entities: list[Entity] | None = None,
           subject: str = "") -> str:
    conflicts = [r for r in rows if r.conflict]
    lines = [f"# Conflict report{': ' + subject if subject else ''}", "",
             f"{len(conflicts)} conflict(s) among {len(rows)} fact rows from {len(doc_ids)} "
             f"document(s): {', '.join(doc_ids)}.", ""]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("Statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lines.append("")
    for r in conflicts:
        about = " ".join(x for x in (r.object_kb_id, r.role, r.when) if x)
        lines.append(f"## {r.predicate}{' — ' + about if about else ''} (id {r.conflict_id})")
        lines.append("")
        lines.append(f"**Why:** {r.explanation}")
        lines.append("")
        lines.append("| document | value | evidence |")
        lines.append("|---|---|---|")
        for f in r.facts:
            val = display_value(f) + (f" — {f.note}" if f.derived and f.note else "")
            lines.append(f"| {_cell(f.doc_id)} | {_cell(val)} | {_cell(f.evidence)} |")
        lines.append("")
    if entities is not None and len(doc_ids) > 1:
        lines.append("## Mentioned in only one document")
        lines.append("")
        lines.append("| entity | label | canonical | document | surface forms |")
        lines.append("|---|---|---|---|---|")
        for e in entities:
            docs = sorted({m.doc_id for m in e.mentions})
            if len(docs) == 1 and e.label in NAMED:
                forms = ", ".join(sorted({m.text for m in e.mentions}))
                cells = (e.kb_id, e.label, e.canonical, docs[0], forms)
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)

"""Facts of all documents → consolidated fact table rows with status and reasons.

Facts are grouped by key with a dictionary (a hash join, linear in the number of facts), never
compared all-pairs. The key is (subject, predicate, what the fact is about):

- member: the country, and for ``left``/``suspended`` the role (events at their own times);
  founding / joined / plain membership share one row so that they can be compared;
- non_member: the country; member facts of other documents about that country join the row,
  so "member here, non-member there" is visible side by side;
- member_count: the year it is about ("" for undated counts, which are compared only with each
  other, never with dated ones);
- founded: the role (founding, re-established, launched); founder, headquarters: none;
  leader: the role.

Statuses (SCHEMA.md): ``agree`` (same values), ``refines`` (same at different precisions),
``conflict`` (cannot both be true), ``single_source``.
"""

from __future__ import annotations

from collections import defaultdict

from pipeline.core.records import Fact, FactRow
from pipeline.core.schema import DEPARTURE_ROLES

STATUSES = ("agree", "refines", "conflict", "single_source")



def date_relation(a: str, b: str) -> str:
    """'same', 'refines' (one is a prefix at coarser precision), 'differ' or 'unknown'."""
    if not a or not b:
        return "unknown"
    if a == b:
        return "same"
    if a.startswith(b + "-") or b.startswith(a + "-"):
        return "refines"
    return "differ"


def fact_key(f: Fact) -> tuple[str, str, str, str, str]:
    """(subject, predicate, object, when-bucket, role) of the row this fact belongs to."""
    if f.predicate == "member":
        role = f.role if f.role in DEPARTURE_ROLES else ""
        return (f.subject, "member", f.object_kb_id, "", role)
    if f.predicate == "non_member":
        return (f.subject, "non_member", f.object_kb_id, "", "")
    if f.predicate == "member_count":
        return (f.subject, "member_count", "", f.when[:4], "")
    if f.predicate in ("founded", "leader"):
        return (f.subject, f.predicate, "", "", f.role)
    return (
        f.subject,
        f.predicate,
        f.object_kb_id if f.predicate not in ("founder", "headquarters") else "",
        "",
        "",
    )


def display_value(f: Fact) -> str:
    """The value shown in a document's column of the fact table."""
    if f.predicate == "member":
        label = f.role or "member"
        return f"{label} ({f.when})" if f.when else label
    if f.predicate == "non_member":
        return f"non-member ({f.role})" if f.role else "non-member"
    if f.predicate == "member_count":
        shown = f.value + (" (derived)" if f.derived else "")
        return f"{shown} @{f.when}" if f.when else shown
    if f.predicate == "founded":
        return f"{f.when} ({f.role})" if f.role else f.when
    return f.object_kb_id or f.value


def reconcile(facts: list[Fact], doc_ids: list[str]) -> list[FactRow]:
    """One row per fact key, in a stable order, with status and explanation."""
    groups: dict[tuple[str, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        groups[fact_key(f)].append(f)
    # A document whose only founding event is a launch ("launched on 25 March 2015") is compared
    # with the founding dates of the others too: for it, the launch is the founding.
    plain_docs = {(f.subject, f.doc_id) for f in facts if f.predicate == "founded" and not f.role}
    for f in facts:
        if (
            f.predicate == "founded"
            and f.role == "launched"
            and (f.subject, f.doc_id) not in plain_docs
        ):
            groups[(f.subject, "founded", "", "", "")].append(f)
    # Membership facts also join the non_member row of the same country (side by side).
    for k in list(groups):
        subject, pred, obj, _, _ = k
        if pred == "non_member":
            groups[k].extend(g for g in groups.get((subject, "member", obj, "", ""), []))
    position = {d: i for i, d in enumerate(doc_ids)}
    rows = []
    for k in sorted(groups):
        subject, pred, obj, when, role = k
        fs = sorted(groups[k], key=lambda f: (position.get(f.doc_id, len(position)), f.start))
        status, explanation = judge(pred, fs)
        values: dict[str, str] = {}
        for f in fs:
            v = display_value(f)
            if v not in values.get(f.doc_id, "").split("; "):
                values[f.doc_id] = "; ".join(x for x in (values.get(f.doc_id), v) if x)
        key_text = "|".join(k)
        rows.append(
            FactRow(
                key=key_text,
                subject=subject,
                predicate=pred,
                object_kb_id=obj,
                when=when,
                role=role,
                values_by_doc=values,
                facts=tuple(fs),
                status=status,
                conflict=status == "conflict",
                explanation=explanation,
            )
        )
    return rows


def judge(pred: str, fs: list[Fact]) -> tuple[str, str]:
    """Status and reason for the facts of one row."""
    docs = sorted({f.doc_id for f in fs})
    if len(docs) < 2:
        return "single_source", f"only {docs[0]} states this" if docs else ""
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in fs:
        by_doc[f.doc_id].append(f)
    if pred == "member_count":
        return _judge_counts(by_doc)
    if pred in ("founded", "member"):
        return _judge_dates(pred, by_doc)
    if pred == "non_member":
        return _judge_non_member(by_doc)
    if pred in ("founder", "leader", "headquarters"):
        return _judge_sets(pred, by_doc)
    return "agree", ""


def _describe(f: Fact) -> str:
    return f"{f.doc_id}: {display_value(f)}"


def _judge_counts(by_doc: dict[str, list[Fact]]) -> tuple[str, str]:
    values = {d: sorted({f.value for f in fs}) for d, fs in by_doc.items()}
    distinct = {v for vs in values.values() for v in vs}
    if len(distinct) == 1:
        return "agree", f"all documents give {distinct.pop()} at compatible times"
    parts = []
    for d, fs in sorted(by_doc.items()):
        for f in fs:
            how = f.note if f.derived and f.note else ("stated" if not f.derived else "derived")
            parts.append(f"{d} gives {f.value}" + (f" at {f.when}" if f.when else "") + f" ({how})")
    return "conflict", "different member counts for the same time: " + "; ".join(parts)


def _judge_dates(pred: str, by_doc: dict[str, list[Fact]]) -> tuple[str, str]:
    # For membership, roles must agree first: a founding member is not a later joiner.
    if pred == "member":
        roles = {
            d: {f.role for f in fs if f.role in ("founding", "joined")} for d, fs in by_doc.items()
        }
        founding = [d for d, r in roles.items() if r == {"founding"}]
        joined = [d for d, r in roles.items() if r == {"joined"}]
        if founding and joined:
            jw = [f.when for d in joined for f in by_doc[d] if f.role == "joined" and f.when]
            fw = [f.when for d in founding for f in by_doc[d] if f.role == "founding" and f.when]
            if not (
                jw
                and fw
                and all(date_relation(a, b) in ("same", "refines") for a in jw for b in fw)
            ):
                return "conflict", (
                    f"{', '.join(founding)} call it a founding member; "
                    f"{', '.join(joined)} say it joined later"
                )
    dated = [(d, f.when) for d, fs in sorted(by_doc.items()) for f in fs if f.when]
    if len({d for d, _ in dated}) < 2:
        return "agree", "the documents agree; at most one gives a date"
    whens = sorted({w for _, w in dated})
    rels = {date_relation(a, b) for a in whens for b in whens if a < b}
    if "differ" in rels:
        # Within a document several dates can be stated; a conflict needs two documents whose
        # dates cannot be the same event.
        docs_dates = defaultdict(set)
        for d, w in dated:
            docs_dates[d].add(w)
        items = sorted(docs_dates.items())
        for i, (_d1, w1) in enumerate(items):
            for _d2, w2 in items[i + 1 :]:
                if not any(date_relation(a, b) in ("same", "refines") for a in w1 for b in w2):
                    what = (
                        "founding dates" if pred == "founded" else "dates for this membership event"
                    )
                    return "conflict", (
                        f"{what} that cannot be the same day: "
                        + "; ".join(f"{d}: {', '.join(sorted(w))}" for d, w in items)
                    )
    if "refines" in rels:
        return "refines", "the same date at different precisions: " + ", ".join(whens)
    return "agree", f"all documents give {whens[0]}"


def _judge_non_member(by_doc: dict[str, list[Fact]]) -> tuple[str, str]:
    # Observer status usually precedes admission: without dates it is not a contradiction.
    non = sorted(
        d
        for d, fs in by_doc.items()
        if any(f.predicate == "non_member" and f.role != "observer" for f in fs)
    )
    observers = sorted(d for d, fs in by_doc.items() if any(f.role == "observer" for f in fs))
    mem = sorted(
        d
        for d, fs in by_doc.items()
        if any(f.predicate == "member" and f.role not in DEPARTURE_ROLES for f in fs)
        and d not in non
    )
    if non and mem:
        return "conflict", (
            f"{', '.join(mem)} call it a member; {', '.join(non)} say it is not "
            "(no dates separate the two claims)"
        )
    if observers and mem:
        return "agree", (
            f"{', '.join(observers)} call it an observer, {', '.join(mem)} a member: "
            "observer status precedes admission, so both can be true at their times"
        )
    return "agree", "all documents that mention it call it a non-member"


def _judge_sets(pred: str, by_doc: dict[str, list[Fact]]) -> tuple[str, str]:
    sets = {d: {f.object_kb_id or f.value for f in fs} for d, fs in by_doc.items()}
    union = set().union(*sets.values())
    if all(s == union for s in sets.values()):
        return "agree", f"all documents name {', '.join(sorted(union))}"
    docs = sorted(sets)
    for i, d1 in enumerate(docs):
        for d2 in docs[i + 1 :]:
            if not sets[d1] & sets[d2]:
                return "conflict", f"different {pred}: " + "; ".join(
                    f"{d}: {', '.join(sorted(s))}" for d, s in sorted(sets.items())
                )
    return "refines", "overlapping names: " + "; ".join(
        f"{d}: {', '.join(sorted(s))}" for d, s in sorted(sets.items())
    )

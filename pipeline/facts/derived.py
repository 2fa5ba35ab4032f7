"""Counts derived from listed sets of members (and the running total after joins)."""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.config import DEFAULT, FactLimits
from pipeline.core.records import Fact
from pipeline.core.schema import DEPARTURE_ROLES


def derived_counts(facts: list[Fact], founded_when: str,
                   limits: FactLimits = DEFAULT.facts) -> list[Fact]:
    """A listed set of members yields a count: the number of distinct countries in the list.

    A founding list followed by dated joins also yields the count after each join ("32 founding
    members; Afghanistan and Oman joined in 2016" → 34 in 2016), unless the document also reports
    departures, which would make the running total a guess. Facts are indexed once, so the cost
    stays linear in the number of facts.
    """
    by_sentence: dict[tuple[int, str, str], list[Fact]] = {}
    stated: set[tuple[int, str]] = set()
    departed: set[str] = set()
    joins_of: dict[str, dict[str, Fact]] = {}
    for f in facts:
        if f.predicate == "member" and f.listed and f.role in ("", "founding"):
            by_sentence.setdefault((f.start, f.role, f.subject), []).append(f)
        elif f.predicate == "member_count":
            # a count the sentence states, or one it implies ("the EU plus 19 nations: ...")
            stated.add((f.start, f.value))
        elif f.predicate == "member" and f.role in DEPARTURE_ROLES:
            departed.add(f.subject)
        elif f.predicate == "member" and f.role == "joined" and f.when:
            joins_of.setdefault(f.subject, {}).setdefault(f.object_kb_id, f)
    out = []
    for (_start, role, subj), members in sorted(by_sentence.items()):
        listed = sorted({f.object_kb_id for f in members})
        n = len(listed)
        if n >= limits.min_derived_list:
            # the list's items, with the places among its states that give no member fact
            n = max(n, max(f.listed for f in members))
        f = members[0]
        if n < limits.min_derived_list or any(start == f.start for start, _v in stated):
            # too short, or the sentence states its own count ("by six states: ..."): a list
            # that counts otherwise is a list the rules read in part, not another claim
            continue
        when = (f.when or founded_when) if role == "founding" else f.when
        note = f"{n} {role or 'listed'} members counted ({', '.join(listed)})"
        out.append(
            replace(
                f,
                predicate="member_count",
                object_kb_id="",
                value=str(n),
                when=when,
                role="",
                derived=True,
                note=note,
            )
        )
        if role != "founding" or subj in departed:
            continue
        joins = {k: x for k, x in joins_of.get(subj, {}).items() if k not in listed}
        for jwhen in sorted({x.when for x in joins.values()}):
            upto = sorted(k for k, x in joins.items() if x.when <= jwhen)
            last = next(x for x in joins.values() if x.when == jwhen)
            note = f"{n} founding members plus {', '.join(upto)} joined by {jwhen}"
            out.append(
                replace(
                    last,
                    predicate="member_count",
                    object_kb_id="",
                    value=str(n + len(upto)),
                    when=jwhen,
                    role="",
                    derived=True,
                    note=note,
                )
            )
    return out


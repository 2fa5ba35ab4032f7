"""Leaders: a leader title next to a person."""

from __future__ import annotations

from pipeline.core.records import DATE, ORG, PERSON, Fact
from pipeline.facts.clause import mood_at
from pipeline.facts.context import (
    Ctx,
    make_fact,
    nearest,
)
from pipeline.facts.cues import Cue, key, load_roles
from pipeline.facts.subject import subject_for


def leader_facts(ctx: Ctx) -> list[Fact]:
    titles = ctx.has("leader_title")
    persons = ctx.of(PERSON)
    if not titles or not persons:
        return []
    roles = load_roles()
    order = list(dict.fromkeys(roles.values()))

    def rank(c: Cue) -> tuple[int, int]:
        role = roles.get(key(c.text), "head")
        return (order.index(role) if role in order else 99, c.start)

    best = min(titles, key=rank)
    role = roles.get(key(best.text), "head")
    if role == "head" and not (
        ctx.has("appointment") and any(m.label == ORG and m.kb_id == ctx.subject for m in ctx.ments)
    ):
        return []
    person = min(persons, key=lambda m: (abs(m.start - best.start), m.start))
    date = nearest(ctx.ments, DATE, best.start)
    return [
        make_fact(
            ctx,
            subject_for(ctx, best, "founded"),
            "leader",
            object_kb_id=person.kb_id,
            value=person.kb_id,
            role=role,
            when=date.kb_id if date else "",
            tense=mood_at(ctx, best.start, best.end).tense,
        )
    ]


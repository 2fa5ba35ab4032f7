"""Headquarters: a headquarters cue next to a place."""

from __future__ import annotations

from pipeline.core.records import LOC, Fact
from pipeline.facts.context import (
    Ctx,
    make_fact,
    nearest,
)
from pipeline.facts.subject import subject_for


def headquarters_facts(ctx: Ctx) -> list[Fact]:
    cues = ctx.has("headquarters")
    if not cues:
        return []
    place = nearest(ctx.ments, LOC, cues[0].start)
    if place is None:
        return []
    return [
        make_fact(
            ctx,
            subject_for(ctx, cues[0], "founded"),
            "headquarters",
            object_kb_id=place.kb_id,
            value=place.kb_id,
        )
    ]


"""Headquarters: a headquarters cue next to a place."""

from __future__ import annotations

from pipeline.core.records import DATE, LOC, Fact
from pipeline.facts.context import (
    FOUNDED_CUES,
    Ctx,
    make_fact,
    marked,
    nearest,
)
from pipeline.facts.subject import subject_for
from pipeline.normalize import places


def headquarters_facts(ctx: Ctx) -> list[Fact]:
    """A headquarters cue and the city nearest to it (a region is no seat: "based in Southeast
    Asia"). When the sentence establishes the seat ("The Secretariat was established in Dhaka in
    2014"), its date is when the seat was set up."""
    cues = ctx.has("headquarters")
    if not cues:
        return []
    cities = [m for m in ctx.ments if m.label == LOC and m.kb_id
              and places.place_kind(m.kb_id) == "city"]
    # a seat moved "from Lima to Quito" ("लीमा से क्विटो") is now at the destination
    moved = [m for m in cities if not marked(ctx, m, "origin_before", "origin_after")]
    place = nearest(moved or cities, LOC, cues[0].start)
    if place is None:
        return []
    dates = ctx.of(DATE) if ctx.has(*FOUNDED_CUES) else []
    when = nearest(dates, DATE, cues[0].start)
    return [
        make_fact(
            ctx,
            subject_for(ctx, cues[0], "founded"),
            "headquarters",
            object_kb_id=place.kb_id,
            value=place.kb_id,
            when=when.kb_id if when else "",
        )
    ]

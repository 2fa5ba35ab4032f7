"""Headquarters: a headquarters cue next to a place."""

from __future__ import annotations

from pipeline.core.records import COUNTRY, DATE, LOC, ORG, PERSON, Cue, Fact
from pipeline.core.schema import Tense
from pipeline.facts.clause import mood_at
from pipeline.facts.context import (
    FOUNDED_CUES,
    Ctx,
    clause_head,
    make_fact,
    marked,
    nearest,
    same_clause,
    unlisted_place,
)
from pipeline.facts.subject import subject_for
from pipeline.ner.cues import key
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
    seat = place.kb_id if place is not None else _unlisted_seat(ctx, cues[0])
    if not seat:
        return []
    # in text read without a parse, a date of its own clause ("स्थापना 1949 में हुई थी और
    # इसका मुख्यालय ब्रसेल्स में है": the seat is not of 1949; a parsed sentence may date its
    # seat from a phrase: "Following a decision in 2014, the secretariat was established in
    # Dhaka in that same year"); a seat stated in the present holds now ("Founded in 1985, it
    # is headquartered in Kathmandu")
    present = mood_at(ctx, cues[0].start, cues[0].end).tense == Tense.PRESENT
    parsed = clause_head(ctx, cues[0].start) is not None
    dates = ([d for d in ctx.of(DATE) if parsed or same_clause(ctx, d.start, cues[0].start)]
             if ctx.has(*FOUNDED_CUES) and not present else [])
    when = nearest(dates, DATE, cues[0].start)
    return [
        make_fact(
            ctx,
            subject_for(ctx, cues[0], "founded"),
            "headquarters",
            object_kb_id=seat,
            value=seat,
            when=when.kb_id if when else "",
        )
    ]


def _unlisted_seat(ctx: Ctx, cue: Cue) -> str:
    """In a language that marks a place with a postposition, the name between a headquarters
    noun and that postposition ("सचिवालय सुवा में है": Suva), when no list knows the city and no
    state or other name stands there."""
    after = {key(w) for w in ctx.grammar.get("venue_after", []) or []}
    if not after:
        return ""
    words = ctx.text[cue.end : ctx.sent.end].split()
    name = []
    for w in words[:4]:
        if key(w) in after:
            break
        name.append(w)
    else:
        return ""
    end = cue.end + len(" ".join(name)) + 1
    if not name or any(m.label in (COUNTRY, PERSON, ORG, DATE) and cue.end <= m.start < end
                       for m in ctx.ments):
        return ""
    if any(key(w) in ctx.grammar["gap_words"] for w in name):
        return ""
    return unlisted_place(" ".join(name))

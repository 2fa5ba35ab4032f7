"""Membership statements: member and non-member facts from membership cues."""

from __future__ import annotations

from pipeline.core.config import (
    MIN_DERIVED_LIST,
)
from pipeline.core.records import Fact, Mention
from pipeline.facts.context import (
    EVENT_CUES,
    MEMBERSHIP_CUES,
    Ctx,
    agent_states,
    country_groups,
    gap_ok,
    grammar_patterns,
    group_dates,
    is_qualifier,
    make_fact,
)
from pipeline.facts.cues import Cue
from pipeline.facts.founding import founding_states
from pipeline.facts.subject import subject_for


def _attached(ctx: Ctx, groups: list[list[Mention]], cues: list[Cue]) -> list[list[Mention]]:
    """Groups that are the subject or object of a membership-event verb, and those chained
    after them ("followed by ...", "उसके बाद ...")."""
    gap = ctx.grammar["gap_words"]
    chosen = []
    for g in groups:
        for c in cues:
            if (
                g[-1].end <= c.start and gap_ok(ctx, g[-1].end, c.start, gap)
            ) or grammar_patterns().of_after_cue.match(
                ctx.text[c.end : g[0].start] if c.end <= g[0].start else "x"
            ):
                chosen.append(g)
                break
    if not chosen:
        return []
    conts = ctx.has("continuation")
    out = []
    for g in groups:
        if g in chosen:
            out.append(g)
        elif out:
            prev = out[-1][-1].end
            if any(prev <= c.start and c.end <= g[0].start for c in conts) or gap_ok(
                ctx, prev, g[0].start, gap, skip=cues
            ):
                out.append(g)
    return out


def member_facts(ctx: Ctx) -> list[Fact]:
    kinds = {c.name for c in ctx.cues}
    cue = next((n for n in MEMBERSHIP_CUES if n in kinds), None)
    if cue is None:
        return founding_states(ctx)
    cues = ctx.has(cue)
    groups = [g for g in country_groups(ctx) if not is_qualifier(ctx, g, cues)]
    if cue in EVENT_CUES:
        groups = _attached(ctx, groups, cues)
        if not groups:
            states = {c.kb_id: c for cu in cues for c in agent_states(ctx, cu)}
            groups = [[c] for _, c in sorted(states.items())]
    if not groups:
        return []
    subj = subject_for(ctx, cues[0], "membership")
    when_of = group_dates(ctx, groups)
    examples = ctx.has("examples")
    out = []
    if cue in ("non_member", "declined", "observer"):
        role = "" if cue == "non_member" else cue
        for i, g in enumerate(groups):
            for m in g:
                out.append(
                    make_fact(
                        ctx,
                        subj,
                        "non_member",
                        object_kb_id=m.kb_id,
                        value=m.kb_id,
                        role=role,
                        when=when_of.get(i, ""),
                    )
                )
        return out
    role = {
        "founding": "founding",
        "joined": "joined",
        "left": "left",
        "suspended": "suspended",
    }.get(cue, "")
    listed = max(groups, key=len)
    as_examples = any(
        listed[0].start - 25 <= c.end <= listed[0].start
        or listed[-1].end <= c.start <= listed[-1].end + 12
        for c in examples
    )
    for i, g in enumerate(groups):
        when = when_of.get(i, "")
        if role == "founding" and not when:
            when = ctx.founded_when
        for m in g:
            note = (
                f"list of {len(listed)}"
                if g is listed and len(listed) >= MIN_DERIVED_LIST and not as_examples
                else ""
            )
            out.append(
                make_fact(
                    ctx,
                    subj,
                    "member",
                    object_kb_id=m.kb_id,
                    value=role or "member",
                    role=role,
                    when=when,
                    note=note,
                )
            )
    return out


"""Membership statements: member and non-member facts from membership cues."""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.config import (
    MIN_DERIVED_LIST,
)
from pipeline.core.records import DATE, Fact, Mention
from pipeline.facts.clause import argument_of, mood_at
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
    word_keys,
)
from pipeline.facts.cues import Cue, key
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
                (g[-1].end <= c.start and gap_ok(ctx, g[-1].end, c.start, gap))
                or grammar_patterns().of_after_cue.match(
                    ctx.text[c.end : g[0].start] if c.end <= g[0].start else "x")
                or argument_of(ctx, g[0].start, c.start, g[0].end)
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


# Cue kinds that state a membership, which a negation turns into a non-membership and a future
# or intent into an application.
STATING_CUES = ("founding", "signed", "joined", "participation", "member_list")


def _adjacent(ctx: Ctx, g: list[Mention], c: Cue) -> bool:
    """A list group that a descriptive cue names directly: "the founding members Peru, Bolivia
    and Ecuador", "Founding member Ireland", "A, B and C are members"."""
    gap = ctx.grammar["gap_words"]
    if c.end <= g[0].start:
        return gap_ok(ctx, c.end, g[0].start, gap)
    return g[-1].end <= c.start and gap_ok(ctx, g[-1].end, c.start, gap)


def member_facts(ctx: Ctx) -> list[Fact]:
    found = [c for c in ctx.cues if c.name in MEMBERSHIP_CUES]
    # a cue inside a longer cue of another kind is part of it ("declined to join")
    present = [c for c in found if not any(
        o.name != c.name and o.start <= c.start and c.end <= o.end
        and (o.end - o.start) > (c.end - c.start) for o in found)]
    if not present:
        return founding_states(ctx)
    groups = [g for g in country_groups(ctx) if not is_qualifier(ctx, g, present)]
    kinds = sorted({c.name for c in present}, key=MEMBERSHIP_CUES.index)
    # an event verb counts when finite, or when it is prospective ("the possibility of
    # joining": an applicant)
    moods = {c: mood_at(ctx, c.start, c.end) for c in present if c.name in EVENT_CUES}
    finite_events = [k for k in kinds if k in EVENT_CUES
                     and any(m.finite or m.prospective for c, m in moods.items() if c.name == k)]
    descriptors = [k for k in kinds if k not in EVENT_CUES]
    events = sorted((c for c in present if c.name in EVENT_CUES
                     and (moods[c].finite or moods[c].prospective)), key=lambda c: c.start)
    if len({(c.start, c.end) for c in events}) >= 2:
        return [*_event_chain_facts(ctx, groups, events),
                *[f for k in descriptors for f in _kind_facts(
                    ctx, k, [g for g in groups if any(_adjacent(ctx, g, c) for c in ctx.has(k))],
                    ctx.has(k))]]
    if len(kinds) == 1 or not (finite_events and descriptors):
        kind = finite_events[0] if finite_events else descriptors[0] if descriptors else ""
        # an event verb only in a non-finite form ("सभी देशों को शामिल करने वाली प्रक्रिया":
        # a process including all countries) states no event
        return _kind_facts(ctx, kind, groups, ctx.has(kind)) if kind else []
    # One cue per clause: each event verb takes the groups attached to it and those chained
    # after it ("X joined on ..., followed by Y on ..."); a descriptive cue ("founding
    # members") the groups it names directly. "In 1999 Chile joined the founding members Peru,
    # Bolivia and Ecuador": Chile joined in 1999; the three are founders, undated here.
    out: list[Fact] = []
    for kind in finite_events:
        claimed = _attached(ctx, groups, ctx.has(kind))
        out.extend(_kind_facts(ctx, kind, claimed, ctx.has(kind), attached=True))
    for kind in descriptors:
        cues = ctx.has(kind)
        named = [g for g in groups if any(_adjacent(ctx, g, c) for c in cues)]
        out.extend(_kind_facts(ctx, kind, named, cues))
    return out


def _cue_date(ctx: Ctx, cue: Cue, events: list[Cue]) -> str:
    """The date of one event verb among several: on the language's date side, between it and
    the neighbouring event verb ("joined in 1973, left in 1992, and rejoined in 2007")."""
    i = events.index(cue)
    dates = sorted(ctx.of(DATE), key=lambda d: d.start)
    if ctx.grammar.get("date_side", "after") == "after":
        hi = events[i + 1].start if i + 1 < len(events) else ctx.sent.end
        found = [d for d in dates if cue.end <= d.start < hi]
        return found[0].kb_id if found else ""
    lo = events[i - 1].end if i else ctx.sent.start
    found = [d for d in dates if lo <= d.start and d.end <= cue.start]
    return found[-1].kb_id if found else ""


def _event_chain_facts(ctx: Ctx, groups: list[list[Mention]], events: list[Cue]) -> list[Fact]:
    """Several event verbs in one sentence: each takes the groups attached to it, or those of
    the verb before it when it has none (coordinated verbs share their subject: "Ecuador
    joined in 1973, left in 1992, and rejoined in 2007"), each with its own date."""
    out: list[Fact] = []
    previous: list[list[Mention]] = []
    for cue in events:
        own = _attached(ctx, groups, [cue])
        mine = own or previous
        previous = mine
        if not mine:
            continue
        facts = _kind_facts(ctx, cue.name, mine, [cue], attached=True)
        if own:  # its own groups keep the dates beside them ("followed by Y on ...")
            out.extend(facts)
            continue
        when = _cue_date(ctx, cue, events)  # a shared subject takes each verb's own date
        out.extend(replace(f, when=when or f.when) for f in facts)
    return out


def _since(ctx: Ctx, date: Mention) -> bool:
    """A date introduced as the start of a state: "since 1961", "1961 से"."""
    before = {key(w) for w in ctx.grammar.get("since_before", []) or []}
    after = {key(w) for w in ctx.grammar.get("since_after", []) or []}
    prev = word_keys(ctx.text[max(ctx.sent.start, date.start - 12) : date.start])[-1:]
    nxt = word_keys(ctx.text[date.end : min(ctx.sent.end, date.end + 8)])[:1]
    return bool((prev and prev[0] in before) or (nxt and nxt[0] in after))


def _kind_facts(ctx: Ctx, cue: str, groups: list[list[Mention]], cues: list[Cue],
                attached: bool = False) -> list[Fact]:
    """The facts of the groups one kind of membership cue is about (``attached``: the groups
    of an event cue were already chosen as attached to it)."""
    if cue in EVENT_CUES:
        groups = groups if attached else _attached(ctx, groups, cues)
        if not groups:
            states = {c.kb_id: c for cu in cues for c in agent_states(ctx, cu)}
            groups = [[c] for _, c in sorted(states.items())]
    if not groups or not cues:
        return []
    subj = subject_for(ctx, cues[0], "membership")
    when_of = group_dates(ctx, groups)
    dates = {d.kb_id: d for d in ctx.of(DATE)}
    mood = mood_at(ctx, cues[0].start, cues[0].end)
    examples = ctx.has("examples")
    out = []
    non_member_role = {"non_member": "", "declined": "declined", "observer": "observer"}
    if cue in STATING_CUES and mood.negated:
        cue, non_member_role[cue] = "non_member", ""
    elif cue in STATING_CUES and mood.prospective:
        cue, non_member_role[cue] = "non_member", "candidate"
    elif cue in ("left", "suspended") and (mood.negated or (mood.prospective and not when_of)):
        return []
    if cue in non_member_role:
        role = non_member_role[cue]
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
                        tense=mood.tense,
                    )
                )
        return out
    role = {
        "founding": "founding",
        "joined": "joined",
        "left": "left",
        "suspended": "suspended",
    }.get(cue, "")
    if cue == "signed":
        # the signatories of the founding treaty found the body; a later signature is a join
        dated = [d.kb_id for d in ctx.of(DATE)]
        founding = not dated or any(
            ctx.founded_when and (d.startswith(ctx.founded_when[:4])) for d in dated)
        role = "founding" if founding else "joined"
    listed = max(groups, key=len)
    as_examples = any(
        listed[0].start - 25 <= c.end <= listed[0].start
        or listed[-1].end <= c.start <= listed[-1].end + 12
        for c in examples
    )
    # "Initially its members were A, B, C and D": the members at the founding
    initially = not role and bool(ctx.has("announcement_ref"))
    for i, g in enumerate(groups):
        when = when_of.get(i, "")
        g_role = "founding" if initially else role
        if not g_role and when and when in dates and _since(ctx, dates[when]):
            g_role = "joined"  # "a member since 1961": it joined then
        if g_role == "founding" and not when:
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
                    value=g_role or "member",
                    role=g_role,
                    when=when,
                    note=note,
                    tense=mood.tense,
                )
            )
    return out

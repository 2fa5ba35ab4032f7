"""Membership statements: member and non-member facts from membership cues."""

from __future__ import annotations

from dataclasses import replace

from spacy.strings import get_string_id

from pipeline.core.data import list_introducers
from pipeline.core.records import COUNTRY, DATE, LOC, ORG, PERSON, Cue, Fact, Mention
from pipeline.core.schema import Role
from pipeline.facts.clause import argument_of, mood_at, object_lemmas
from pipeline.facts.context import (
    EVENT_CUES,
    GLOSS,
    MEMBERSHIP_CUES,
    Ctx,
    agent_states,
    country_groups,
    gap_ok,
    grammar_patterns,
    group_dates,
    is_qualifier,
    known_org,
    make_fact,
    period_dates,
    relative_clauses,
    since_date,
    word_keys,
)
from pipeline.facts.founding import founding_states
from pipeline.facts.subject import subject_for
from pipeline.ner.cues import key
from pipeline.normalize.orgs import is_generic


def _verb_final_subject(ctx: Ctx, g: list[Mention], c: Cue) -> bool:
    """In a verb-final language read without a parse, a state shortly before the event verb,
    with at most one word besides particles and postpositions between, is its subject."""
    if ctx.grammar.get("word_order") != "SOV":
        return False
    between = ctx.text[g[-1].end : c.start]
    if any(m.label in (COUNTRY, PERSON) and g[-1].end <= m.start < c.start for m in ctx.ments):
        return False
    cut = [(m.start, m.end) for m in ctx.ments if g[-1].end <= m.start and m.end <= c.start
           and m.label in (ORG, DATE)]
    for s, e in sorted(cut, reverse=True):
        between = between[: s - g[-1].end] + " " + between[e - g[-1].end :]
    words = [w for w in word_keys(GLOSS.sub(" ", between)) if w not in {",", ";"}]
    foreign = [w for w in words if w not in ctx.grammar["gap_words"]]
    # words other than particles and postpositions between a subject and its verb in a
    # verb-final language without a parse ("अफगानिस्तान सार्क का नवीनतम सदस्य बना": newest)
    limits = ctx.limits
    return len(words) <= limits.max_gap_words and len(foreign) <= limits.max_foreign_gap_words


def _attached(ctx: Ctx, groups: list[list[Mention]], cues: list[Cue]) -> list[list[Mention]]:
    """Groups that are the subject or object of a membership-event verb, and those chained
    after them ("followed by ...", "उसके बाद ...")."""
    gap = ctx.grammar["gap_words"]
    chosen = _direct(ctx, groups, cues)
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
    if ctx.grammar.get("word_order") == "SOV" and out:
        # verb-final: the items before the one next to the verb, each with its date ("1995
        # में वियतनाम, 1997 में लाओस और 1999 में कंबोडिया शामिल हुए")
        for g in reversed(groups[: groups.index(out[0])]):
            if not gap_ok(ctx, g[-1].end, out[0][0].start, gap, skip=cues):
                break
            out.insert(0, g)
    return out


def _direct(ctx: Ctx, groups: list[list[Mention]], cues: list[Cue]) -> list[list[Mention]]:
    """Groups that are themselves the subject or object of one of the verbs ``cues``."""
    gap = ctx.grammar["gap_words"]
    return [g for g in groups if any(
        (g[-1].end <= c.start and (gap_ok(ctx, g[-1].end, c.start, gap)
                                   or _verb_final_subject(ctx, g, c)))
        or grammar_patterns().of_after_cue.match(
            ctx.text[c.end : g[0].start] if c.end <= g[0].start else "x")
        or argument_of(ctx, g[0].start, c.start, g[0].end)
        # ...or of the cue's last verb ("expanded to include Vietnam")
        or argument_of(ctx, g[0].start, c.end - 1, g[0].end)
        # ...or right after a cue that ends in its preposition ("the accession of Croatia")
        or _of_cue(ctx, c, g)
        # ...or the list a colon or dash introduces a few words after the cue ("शामिल होने वाले
        # देश: A (1952), B (1982)")
        or _introduced_by(ctx, c, g)
        for c in cues)]


def _introduced_by(ctx: Ctx, c: Cue, g: list[Mention]) -> bool:
    """A list that a colon or dash (``data/punctuation.yaml``) introduces a few words after
    the cue, with no other name between."""
    if c.end > g[0].start:
        return False
    marks = list_introducers()
    between = ctx.text[c.end : g[0].start].rstrip()
    if not between or between[-1] not in marks:
        return False
    if any(m.label in (COUNTRY, PERSON) and c.end <= m.start < g[0].start for m in ctx.ments):
        return False
    return len(word_keys(between.rstrip(marks))) <= ctx.limits.max_gap_words


def _of_cue(ctx: Ctx, c: Cue, g: list[Mention]) -> bool:
    preps = {key(w) for w in ctx.grammar.get("qualifier_prepositions", []) or []}
    articles = {key(w) for w in ctx.grammar.get("articles", []) or []}
    last = word_keys(ctx.text[c.start : c.end])[-1:]
    return (c.end <= g[0].start and bool(last) and last[0] in preps
            and all(w in articles for w in word_keys(ctx.text[c.end : g[0].start])))


# Cue kinds that state a membership, which a negation turns into a non-membership and a future
# or intent into an application.
STATING_CUES = ("founding", "signed", "joined", "participation", "member_list")


def _antecedent(ctx: Ctx, g: list[Mention], c: Cue) -> bool:
    """Whether the cue stands in a relative clause right after the group ("Bolivia, which had
    joined in 1999, ..."; "इक्वाडोर, जो एक संस्थापक सदस्य था, ...")."""
    return any(s <= c.start and c.end <= e and not ctx.text[g[-1].end : s].strip()
               for s, e in relative_clauses(ctx))


def _adjacent(ctx: Ctx, g: list[Mention], c: Cue) -> bool:
    """A list group that a descriptive cue names directly: "the founding members Peru, Bolivia
    and Ecuador", "Founding member Ireland", "A, B and C are members"."""
    gap = ctx.grammar["gap_words"]
    if _antecedent(ctx, g, c):
        return True  # "Ecuador, which was a founding member, ...": the clause's antecedent
    lo, hi = (c.end, g[0].start) if c.end <= g[0].start else (g[-1].end, c.start)
    # a semicolon ends the clause that names them ("A and B are founding members; C joined")
    return lo <= hi and ";" not in ctx.text[lo:hi] and gap_ok(ctx, lo, hi, gap)


def member_facts(ctx: Ctx) -> list[Fact]:
    found = [c for c in ctx.cues if c.name in MEMBERSHIP_CUES]
    # a cue inside a longer cue is part of it: of another kind ("declined to join"), or of its
    # own ("अलग हो" in "अलग हो गया": one event, not two)
    present = [c for c in found if not any(
        o.start <= c.start and c.end <= o.end
        and (o.end - o.start) > (c.end - c.start) for o in found)]
    # a departure verb with another object is no departure ("the withdrawal of X left 27
    # members", "withdrew its troops"): it takes no states from the real cue
    present = [c for c in present if not (c.name in ("left", "suspended")
                                          and _withdraws_something_else(ctx, c))]
    if not present:
        return founding_states(ctx)
    groups = [g for g in country_groups(ctx) if not is_qualifier(ctx, g, present)]
    kinds = sorted({c.name for c in present}, key=MEMBERSHIP_CUES.index)
    # an event verb counts when finite, or when it is prospective ("the possibility of
    # joining": an applicant)
    moods = {c: mood_at(ctx, c.start, c.end) for c in present if c.name in EVENT_CUES}
    finite_events = [k for k in kinds if k in EVENT_CUES
                     and any(m.finite or m.prospective or _genitive_event(ctx, c, groups)
                             for c, m in moods.items() if c.name == k)]
    descriptors = [k for k in kinds if k not in EVENT_CUES]
    events = sorted((c for c in present if c.name in EVENT_CUES
                     and (moods[c].finite or moods[c].prospective
                          or _genitive_event(ctx, c, groups))), key=lambda c: c.start)
    if len({(c.start, c.end) for c in events}) >= 2:
        return [*_event_chain_facts(ctx, groups, events),
                *[f for k in descriptors for f in _kind_facts(
                    ctx, k, [g for g in groups if any(_adjacent(ctx, g, c) for c in ctx.has(k))],
                    ctx.has(k))]]
    outside = {"non_member", "declined", "observer"}
    if (not finite_events and set(descriptors) & outside
            and set(descriptors) - outside):
        # a status outside and one inside, each naming its own states ("Mexico has observer
        # status, while Panama is a full member"): each takes the groups it names directly
        return [f for k in descriptors for f in _kind_facts(
            ctx, k, [g for g in groups if any(_adjacent(ctx, g, c) for c in ctx.has(k))],
            ctx.has(k))]
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
        # the dates of this sentence belong to its event verbs ("Founding member Ireland left
        # ... in 1949"): a founder named beside them keeps the founding date
        out.extend(_undated(f, ctx) for f in _kind_facts(ctx, kind, named, cues))
    return out


def _undated(f: Fact, ctx: Ctx) -> Fact:
    return replace(f, when=ctx.founded_when) if f.role == "founding" else f


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
    last_end = ctx.sent.start
    gap = ctx.grammar["gap_words"]
    # the subject standing right before a verb is that verb's, not chained to or shared with
    # another ("Venezuela quit in 2006, and Mexico was suspended in 2012")
    before = {(c.start, c.end): [g for g in groups if (g[-1].end <= c.start
                                 and gap_ok(ctx, g[-1].end, c.start, gap))
                                 or _antecedent(ctx, g, c)] for c in events}
    for cue in events:
        theirs = [g for k, gs in before.items() if k != (cue.start, cue.end) for g in gs
                  if g not in before[(cue.start, cue.end)]]
        own = [g for g in _attached(ctx, groups, [cue]) if g not in theirs]
        # a verb with a state of its own before it, not attached, has another subject
        others = any(last_end <= g[0].start and g[-1].end <= cue.start for g in groups)
        # coordinated verbs share one subject ("joined in 1973, left in 1992"); in a verb-final
        # language only across a clause coordinator ("... छोड़ दिया, लेकिन 2023 में वापस लौट
        # आया": grammar ``clause_coordinators``), since it otherwise repeats its subjects
        coordinators = {key(w) for w in ctx.grammar.get("clause_coordinators", []) or []}
        shares = not others and (ctx.grammar.get("word_order") == "SVO" or bool(
            coordinators & set(word_keys(ctx.text[last_end : cue.start]))))
        mine = own or (previous if shares else [])
        last_end = cue.end
        previous = mine
        if not mine:
            continue
        facts = _kind_facts(ctx, cue.name, mine, [cue], attached=True)
        # a date after the next verb is that verb's ("Guyana joined later, and Bolivia joined
        # in 2019"), in a language that puts dates after the verb
        k = events.index(cue)
        if k + 1 < len(events) and ctx.grammar.get("date_side", "after") == "after":
            later = {d.kb_id for d in ctx.of(DATE) if d.start >= events[k + 1].end}
            mine_dates = {d.kb_id for d in ctx.of(DATE) if d.start < events[k + 1].start}
            facts = [replace(f, when="") if f.when in later - mine_dates else f for f in facts]
        shared = not own or all(any(g[-1].end <= e.start < cue.start for e in events)
                                for g in own)
        if not shared:  # its own groups keep the dates beside them ("followed by Y on ...")
            out.extend(facts)
            continue
        when = _cue_date(ctx, cue, events)  # a shared subject takes each verb's own date
        out.extend(replace(f, when=when or f.when) for f in facts)
    return out


def _withdraws_something_else(ctx: Ctx, cue: Cue) -> bool:
    """A departure verb whose object is neither the organisation nor a membership ("withdrew
    financial support", "withdrew its troops"): no departure from the coalition."""
    objects = object_lemmas(ctx, cue.start)
    if not objects:
        return False
    allowed = {get_string_id(w) for w in ctx.grammar.get("departure_objects", []) or []}
    orgs = [m for m in ctx.ments if m.label == "ORG"]
    return not any(lemma in allowed or any(m.start <= pos < m.end for m in orgs)
                   for lemma, pos in objects)


def _period(ctx: Ctx) -> tuple[str, str] | None:
    """The (start, end) dates of a period the sentence gives ("from D1 until D2", "D1 से D2
    तक"), or None."""
    found = period_dates(ctx)
    return (found[0].kb_id, found[1].kb_id) if found else None


def _introduces_all(ctx: Ctx, cue: Cue, g: list[Mention]) -> bool:
    """A list the cue introduces as the whole set: after a colon ("The founding members are:
    A, B, C"), or as what the members are ("The founding members of the bloc are A, B and C",
    "A, B और C इसके संस्थापक सदस्य थे")."""
    copulas = {key(w) for w in ctx.grammar.get("list_copulas", []) or []}
    if cue.end <= g[0].start:
        gap = ctx.text[cue.end : g[0].start]
        return ":" in gap or bool(set(word_keys(gap)) & copulas)
    if g[-1].end <= cue.start:
        after = word_keys(ctx.text[cue.end : ctx.sent.end])[:1]
        return bool(after) and after[0] in copulas
    return False


def _genitive_event(ctx: Ctx, cue: Cue, groups: list[list[Mention]]) -> bool:
    """An event told as a verbal noun with its subject in the genitive ("2008 में ऑस्ट्रेलिया के
    हटने के बाद": after Australia's withdrawal in 2008): the event happened."""
    gen = grammar_patterns().genitive_after
    return any(g[-1].end <= cue.start and gen.match(ctx.text[g[-1].end : cue.start])
               and len(word_keys(ctx.text[g[-1].end : cue.start])) <= 1 for g in groups)


def _joining_orgs(ctx: Ctx, cues: list[Cue]) -> list[Mention]:
    """Organisations that join another ("the AU became a member of the G20"): a named,
    non-generic organisation that the parse makes an argument of the joining verb, other than
    the organisation joined, and in an SVO language standing before the verb. Only where there
    is a parse."""
    joined = subject_for(ctx, cues[0], "membership")
    out = []
    for o in ctx.of(ORG):
        if o.kb_id == joined or not known_org(o) or is_generic(o.kb_id):
            continue
        # in an SVO language a body after the verb is the one joined ("All three members
        # joined the Schengen Area and sit in the EU"), not a joiner
        after = [c for c in cues if ctx.grammar.get("word_order") == "SVO" and c.end <= o.start]
        if any(argument_of(ctx, o.start, c.start, o.end) for c in cues if c not in after):
            out.append(o)
    return out


def _items(ctx: Ctx, group: list[Mention]) -> int:
    """How many items a list has: its states, and the places no gazetteer calls a state that
    stand among them ("Canada, Newfoundland and South Africa": three members, two states)."""
    inside = {m.kb_id for m in ctx.ments if m.label == LOC and m.kb_id
              and group[0].end <= m.start and m.end <= group[-1].start}
    return len({m.kb_id for m in group}) + len(inside)


def _verb_dates(ctx: Ctx, groups: list[list[Mention]], cues: list[Cue],
                when_of: dict[int, str]) -> dict[int, str]:
    """In a language that dates an event after its verb, a subject before the verb takes the
    date after it, not one of a clause between ("X was added ... on 13 November 2005, and
    became a member on 3 April 2007": 2007)."""
    if ctx.grammar.get("date_side", "after") != "after":
        return when_of
    out = dict(when_of)
    first = min(cues, key=lambda c: c.start)
    dates = sorted(ctx.of(DATE), key=lambda d: d.start)
    for i, g in enumerate(groups):
        if g[-1].end > first.start or i not in out:
            continue
        later = [h[0].start for h in groups if h[0].start > first.end]
        stop = min(later) if later else ctx.sent.end
        after = [d for d in dates if first.end <= d.start < stop]
        between = [d for d in dates if g[-1].end <= d.start < first.start]
        if after and between and out[i] == between[0].kb_id:
            out[i] = after[0].kb_id
    return out


def _kind_facts(ctx: Ctx, cue: str, groups: list[list[Mention]], cues: list[Cue],
                attached: bool = False) -> list[Fact]:
    """The facts of the groups one kind of membership cue is about (``attached``: the groups
    of an event cue were already chosen as attached to it)."""
    if cue in EVENT_CUES:
        groups = groups if attached else _attached(ctx, groups, cues)
        if not groups:
            states = {c.kb_id: c for cu in cues for c in agent_states(ctx, cu)}
            groups = [[c] for _, c in sorted(states.items())]
        if not groups and cue == "joined" and cues:
            groups = [[o] for o in _joining_orgs(ctx, cues)]
    if not groups or not cues:
        return []
    subj = subject_for(ctx, cues[0], "membership")
    when_of = group_dates(ctx, groups)
    if cue in EVENT_CUES:
        when_of = _verb_dates(ctx, groups, cues, when_of)
    dates = {d.kb_id: d for d in ctx.of(DATE)}
    mood = mood_at(ctx, cues[0].start, cues[0].end)
    examples = ctx.has("examples")
    out = []
    non_member_role = {"non_member": "", "declined": "declined", "observer": "observer"}
    if cue in STATING_CUES and mood.negated:
        cue, non_member_role[cue] = "non_member", ""
    elif cue in STATING_CUES and mood.prospective:
        cue, non_member_role[cue] = "non_member", Role.CANDIDATE
    elif cue in ("left", "suspended") and (mood.negated or (mood.prospective and not when_of)):
        return []
    elif cue in ("left", "suspended") and _withdraws_something_else(ctx, cues[0]):
        return []  # "France withdrew financial support": not its membership
    elif cue == "observer" and (mood.negated or mood.intent):
        return []  # "requested observer status": not an observer yet ("will be granted" is)
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
    period = _period(ctx)
    for i, g in enumerate(groups):
        when = when_of.get(i, "")
        if role in ("suspended", "left") and period:
            when = period[0]  # "from December 1992 until October 2007, X suspended ..."
        g_role = "founding" if initially else role
        if not g_role and when and when in dates and since_date(ctx, dates[when]):
            g_role = "joined"  # "a member since 1961": it joined then
        if g_role == "founding" and not when:
            when = ctx.founded_when
        # "The founding members are: A, B, C": a list introduced with a colon is the whole set
        complete = not as_examples and any(_introduces_all(ctx, c, g) for c in cues)
        for m in g:
            note = (
                f"list of {len(listed)}"
                if g is listed and len(listed) >= ctx.limits.min_derived_list and not as_examples
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
                    listed=_items(ctx, listed) if note else 0,
                    tense=mood.tense,
                    complete=complete,
                )
            )
    if role == "suspended" and period:
        # ...and at the end of the period the membership was restored
        out.extend(replace(f, role="joined", value="joined", when=period[1],
                           note="membership restored at the end of a suspension")
                   for f in list(out) if f.role == "suspended")
    return out

"""Leaders: a leader title next to a person."""

from __future__ import annotations

from functools import lru_cache

from pipeline.core.records import DATE, ORG, PERSON, Cue, Fact
from pipeline.facts.clause import mood_at
from pipeline.facts.context import (
    Ctx,
    gap_ok,
    make_fact,
    nearest,
    own_clause_dates,
    period_dates,
    relative_clauses,
    word_keys,
)
from pipeline.facts.subject import subject_for
from pipeline.ner.cues import key, load_raw_grammar, load_roles
from pipeline.normalize import numbers


@lru_cache(maxsize=4)
def _title_gap_words(lang: str) -> frozenset[str]:
    """Words that may stand between a title and its holder: articles, title modifiers ("the
    then"), the title's own words (a two-word title matched in part), the words of a period
    and punctuation."""
    g = load_raw_grammar(lang)
    words = {key(w) for w in [*g.get("articles", []), *g.get("title_modifiers", [])]}
    words |= {key(w) for t in load_roles() for w in word_keys(t)}
    words |= {key(w) for w in g.get("title_gap_words", []) or []}
    words |= {key(w) for w in g.get("appointment_adverbs", []) or []}
    # a relative pronoun on the holder ("X, who was elected secretary general", "X, जिन्हें
    # 2021 में महासचिव चुना गया था")
    words |= {key(w) for w in g.get("appositive_openers", []) or []}
    # the words of a period of office ("2014 से 2024 तक महासचिव रहे"; its dates are cut)
    words |= {key(w) for k in ("period_start_after", "period_end_after") for w in g.get(k, [])}
    return frozenset(words | {",", "'s", "’s"})


def _office_of_subject(ctx: Ctx, title: Cue) -> str | None:
    """A generic title followed by the subject's name ("Head of the Commonwealth", "प्रमुख"
    after "राष्ट्रमंडल के" in Hindi order): the office as written, or None. A head *of the
    subject* leads it; a bare "head" names nothing."""
    preps = {key(w) for w in load_raw_grammar(ctx.sent.lang).get("qualifier_prepositions", [])}
    articles = {key(w) for w in load_raw_grammar(ctx.sent.lang).get("articles", [])}
    for m in ctx.ments:
        if m.label != ORG or m.kb_id != ctx.subject or m.start < title.end:
            continue
        between = word_keys(ctx.text[title.end : m.start])
        if between and between[0] in preps and all(w in articles for w in between[1:]):
            return ctx.text[title.start : m.end]
    return None


def _of_another(ctx: Ctx, title: Cue) -> bool:
    """A title followed by a qualifier preposition ("head of ..."): the head of whatever
    follows, which ``_office_of_subject`` found is not the subject."""
    preps = {key(w) for w in load_raw_grammar(ctx.sent.lang).get("qualifier_prepositions", [])}
    nxt = word_keys(ctx.text[title.end : min(ctx.sent.end, title.end + 8)])[:1]
    return bool(nxt) and nxt[0] in preps


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
    office_of = _office_of_subject(ctx, best) if role == "head" else None
    if office_of is not None:
        role = office_of  # "the Head of the Commonwealth": the office as the text names it
    elif role == "head" and _of_another(ctx, best):
        return []  # "the head of the armed forces": another body's head
    elif role == "head" and not (
        ctx.has("appointment") and any(m.label == ORG and m.kb_id == ctx.subject for m in ctx.ments)
    ):
        return []
    # The person the title names: next to it ("Secretary-General X", "X, the OIC's
    # Secretary-General", "महासचिव X"), with at most the words of a title between; a person
    # elsewhere in the sentence ("in the presence of Y") holds no office by it.
    allowed = ctx.grammar["gap_words"] | _title_gap_words(ctx.sent.lang)
    # the verb of holding or taking the office may stand between ("X has served as ...",
    # "X was appointed ...")
    office = ctx.has("appointment")
    # ...and an ordinal ("the twelfth Secretary-General")
    office = office + [Cue("ordinal", ctx.sent.start + s, ctx.sent.start + e, "")
                       for s, e, _v in numbers.find_ordinals(ctx.sent.text, ctx.sent.lang)]
    named = [m for m in persons
             if (best.end <= m.start and gap_ok(ctx, best.end, m.start, allowed, skip=office))
             or (m.end <= best.start and gap_ok(ctx, m.end, best.start, allowed, skip=office))]
    if not named:
        return []
    person = min(named, key=lambda m: (abs(m.start - best.start), m.start))
    # a date of its own clause ("X became Secretary-General in 2019"), not of a clause run on
    # before it ("स्थापना 1994 में हुई थी और इसके महासचिव X हैं")
    own = own_clause_dates(ctx, best.start)
    date = nearest(own, DATE, best.start)
    period = period_dates(ctx)
    if period is not None and period[0] in own:
        date = period[0]  # a term of office is dated by its start ("2014 से 2024 तक")
    if date is None:
        # a relative clause on the holder that tells when the office was taken ("Rosa Quispe,
        # who took office in 2021")
        for lo, hi in relative_clauses(ctx):
            if (not ctx.text[person.end : lo].strip()
                    and any(lo <= c.start < hi for c in ctx.has("appointment"))):
                date = nearest([d for d in ctx.of(DATE) if lo <= d.start < hi], DATE, lo)
                break
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


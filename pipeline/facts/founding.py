"""Founding events, founders, and the states that founded the organisation."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.strings import get_string_id
from spacy.symbols import NOUN

from pipeline.core.records import DATE, ORG, PERSON, Cue, Fact, Mention
from pipeline.facts.clause import object_lemmas, parse_at, subject_of
from pipeline.facts.context import (
    FOUNDED_CUES,
    Ctx,
    country_groups,
    gap_ok,
    grammar_patterns,
    make_fact,
    nearest,
    period_dates,
    person_country,
    same_event,
    word_keys,
)
from pipeline.facts.subject import names_org_noun, subject_for
from pipeline.ner.cues import key, load_raw_grammar
from pipeline.normalize import names, numbers

_AGENT = get_string_id("agent")
_DOBJ = get_string_id("dobj")
_NOUN_CLAUSES = frozenset(get_string_id(d) for d in ("acl", "relcl"))



def _dateless_noun(ctx: Ctx, cue: Cue) -> bool:
    """A founding noun (not a verb) with no date within a few words on the language's date
    side: a reference to the founding, not its report."""
    found = parse_at(ctx, cue.start)
    if found is None or not found[0].has_deps or found[0].pos(found[1]) != NOUN:
        return False
    p, i = found
    verb = p.start_of(p.head(i))
    if p.dep(i) == _DOBJ and any(a.start <= verb < a.end for a in ctx.has("announced")):
        return False  # "On 15 December 2015 X announced the formation of ...": reported
    after = ctx.grammar.get("date_side", "after") == "after"
    window = ctx.limits.noun_date_window
    return not any((0 <= d.start - cue.end <= window) if after
                   else (0 <= cue.start - d.end <= window) for d in ctx.of(DATE))




def announces_body(ctx: Ctx, c: Cue) -> bool:
    """Whether an announcement is of the body itself: its object is an organisation (named,
    or an organisation noun: "announced the coalition") or its founding ("announced the
    formation of"); without an object ("the coalition was announced on ...") it may be. "X
    announced the plan" founds nothing. In text read without a parse, the words of the
    sentence before a Hindi announcement ("गठबंधन के गठन की घोषणा") must name the body, a
    pronoun for it, or its founding."""
    objects = object_lemmas(ctx, c.start)
    if objects is None:
        # the object stands before the verb, anywhere in the clause; a possessive or relative
        # pronoun takes up the body named before ("इसकी रचना ... घोषित की", "जिसकी घोषणा")
        lo = ctx.sent.start
        window = ctx.text[lo : c.start]
        pronouns = {key(w) for k in ("possessive_pronouns", "appositive_openers")
                    for w in ctx.grammar.get(k, []) or []}
        return (names_org_noun(window) or bool(pronouns & set(word_keys(window)))
                or any(m.label == ORG and lo <= m.start < c.start for m in ctx.ments)
                or any(f.name in FOUNDED_CUES and lo <= f.start < c.start for f in ctx.cues))
    if not objects:
        return True
    for _lemma, pos in objects:
        word = ctx.text[pos:].split(maxsplit=1)[0] if ctx.text[pos:].strip() else ""
        if (names_org_noun(word)
                or any(m.label == ORG and m.start <= pos < m.end for m in ctx.ments)
                or any(f.name in FOUNDED_CUES and f.start <= pos < f.end for f in ctx.cues)):
            return True
    return False


def founded_facts(ctx: Ctx, announced: bool = False) -> list[Fact]:
    """Founding events of a sentence. ``announced``: read announcements of the coalition as its
    founding instead (for a document that names no other founding)."""
    founded = ([Cue("founded", c.start, c.end, c.text) for c in ctx.has("announced", "signed")
                if c.name == "signed" or announces_body(ctx, c)]
               if announced else ctx.has(*FOUNDED_CUES))
    if not founded:
        return []
    # One event per cue span; a span matched by a role cue ("launched") takes that role.
    spans: dict[tuple[int, int], Cue] = {}
    for c in founded:
        k = (c.start, c.end)
        if k not in spans or ":" in c.name:
            spans[k] = c
    events = sorted(spans.values(), key=lambda c: c.start)
    # a founding noun without a date of its own ("Since its founding, states have joined ...
    # (1961)") names no founding event
    events = [c for c in events if not _dateless_noun(ctx, c)]
    # a cue inside a longer one is part of it: of a longer founding cue, or of a description
    # of members ("founding members" names founders, not the founding event)
    described = ctx.has("founding")
    events = [
        c
        for c in events
        if not any(
            o is not c
            and o.start <= c.start
            and c.end <= o.end
            and (o.end - o.start) > (c.end - c.start)
            for o in [*events, *described]
        )
    ]
    # "The Secretariat was established in Kathmandu": an organ's seat was set up, not the
    # organisation founded (the headquarters rule reads it)
    organs = ctx.has("headquarters")
    events = [c for c in events
              if not any(0 <= c.start - o.end <= ctx.limits.organ_window for o in organs)]
    # the end of a period ("1955 से 1977 तक", "until 1977") is no founding date
    ends = {key(w) for w in ctx.grammar.get("period_end_after", []) or []}

    def period_end(d: Mention) -> bool:
        nxt = word_keys(ctx.text[d.end : d.end + 8])[:1]
        return bool(nxt) and nxt[0] in ends

    dates = sorted((d for d in ctx.of(DATE) if not period_end(d)), key=lambda m: m.start)
    # a period "1955 से 1977 तक" is how long the body existed; its start is the founding date
    # only when the sentence gives no other ("… ८ सितम्बर १९५४ को हस्ताक्षर किए")
    period = period_dates(ctx)
    if period is not None and any(d is not period[0] for d in dates):
        dates = [d for d in dates if d is not period[0]]
    after = ctx.grammar.get("date_side", "after") == "after"
    out: list[Fact] = []
    for i, cue in enumerate(events):
        lo = events[i - 1].end if i else ctx.sent.start
        hi = events[i + 1].start if i + 1 < len(events) else ctx.sent.end
        if after:
            cands = [d for d in dates if cue.end <= d.start < hi] or [
                d for d in dates if lo <= d.end <= cue.start
            ][-1:]
        else:
            cands = [d for d in dates if lo <= d.end <= cue.start][-1:] or [
                d for d in dates if cue.end <= d.start < hi
            ]
        if not cands and len(events) == 1:
            near = nearest(ctx.ments, DATE, cue.start)
            cands = [near] if near else []
        role = cue.name.split(":", 1)[1] if ":" in cue.name else ""
        subj = subject_for(ctx, cue, "founded")
        date = cands[0] if cands else None
        if date is not None:
            out.append(
                make_fact(ctx, subj, "founded", value=date.kb_id, when=date.kb_id, role=role)
            )
        out.extend(founder_facts(ctx, subj, date, cue))
    return out


@lru_cache(maxsize=2)
def _title_words(lang: str) -> frozenset[str]:
    """Words that may stand between "by" and a founder's name: the titles of titles.yaml
    ("Prime Minister", "King"), the articles and "then" ("by the then Prime Minister")."""
    words = {w for t in names.titles(lang) for w in word_keys(t)}
    words |= {key(w) for w in load_raw_grammar(lang).get("articles", [])}
    return frozenset(words | {key(w) for w in load_raw_grammar(lang).get("title_modifiers", [])})


def _agent_of_other_verb(ctx: Ctx, agent: Cue, cue: Cue | None) -> bool:
    """Whether the parse attaches an agent marker ("by") to a verb that describes a noun, not
    to the founding: "formed a coalition ... to restore the government represented by
    President X" (X represents; he founded nothing). Without a parse, False."""
    if cue is None:
        return False
    marker, verb = parse_at(ctx, agent.start), parse_at(ctx, cue.start)
    if marker is None or verb is None or marker[0] is not verb[0] or not marker[0].has_deps:
        return False
    p, i = marker
    if p.dep(i) != _AGENT:
        return False
    v, w = verb[1], p.head(i)
    # the marker's verb describes a noun ("the government represented by X"); a clause that
    # tells how the founding came about ("established after it was suggested by X") is kept
    return w not in {v, p.head(v)} and p.dep(w) in _NOUN_CLAUSES


def founder_facts(ctx: Ctx, subj: str, date: Mention | None,
                  cue: Cue | None = None) -> list[Fact]:
    """A person right after an agent cue ("by X"), or right before one ("X ने"), when the
    agent is the founding verb's own (``cue``: that verb); in a subject-verb-object language
    also the person the parse makes the subject of the founding verb ("X and Y founded the
    pact"). Persons listed with the first ("X and Y", "X, Prime Minister Y") found with it."""
    persons = ctx.of(PERSON)
    chosen: list[Mention] = []
    for agent in ctx.has("founder_agent"):
        if _agent_of_other_verb(ctx, agent, cue):
            continue
        if ctx.grammar.get("agent_side") == "after":
            pick = [
                m
                for m in persons
                if 0 <= m.start - agent.end <= 20
                and gap_ok(ctx, agent.end, m.start, _title_words(ctx.sent.lang))
            ]
        else:
            # "शिंजो अबे ने", also with a gloss between: "शिंजो अबे (Shinzō Abe) ने"
            pick = [
                m
                for m in persons
                if 0 <= agent.start - m.end <= 3
                or (
                    m.end <= agent.start
                    and grammar_patterns().agent_after.match(ctx.text[m.end : agent.end])
                )
            ]
        if pick:
            after = ctx.grammar.get("agent_side") == "after"
            chosen += _with_listed(ctx, persons, pick[0],
                                   forward=after or pick[0].start > agent.start)
    if not chosen and cue is not None and ctx.grammar.get("word_order") == "SVO":
        subjects = [m for m in persons if m.end <= cue.start
                    and subject_of(ctx, m.start, m.end, cue.start)]
        if subjects:
            chosen = _with_listed(ctx, persons, subjects[-1], forward=False)
    return [make_fact(ctx, subj, "founder", object_kb_id=p.kb_id, value=p.kb_id,
                      when=date.kb_id if date else "")
            for p in sorted(set(chosen), key=lambda m: m.start)]


def founder_noun_facts(ctx: Ctx) -> list[Fact]:
    """Persons a founder noun names, with no founding verb ("its founders were X and Y", "X, a
    co-founder of the pact", "संस्थापक X और Y थे", "संस्थापकों में X और Y शामिल थे"): the person
    nearest the noun with only a copula's, a list's, a title's or the owner's words between
    (``founder_gap_words``, ``gap_words``, titles), and the persons listed with it. The noun of
    founding members or states (a longer ``founding`` cue) names states; a founder of another
    body ("the founder of Microsoft", "माइक्रोसॉफ्ट के संस्थापक") founded nothing here."""
    persons = ctx.of(PERSON)
    if not persons or not ctx.has("founder_noun"):
        return []
    g = load_raw_grammar(ctx.sent.lang)
    own = {key(w) for k in ("founder_gap_words", "list_copulas", "articles") for w in g.get(k, [])}

    def of_states(n: Cue) -> bool:
        """Inside a longer founding cue with a word of its own ("founder members"), not only
        a copula ("founders were")."""
        return any(c.start <= n.start and n.end <= c.end and c.end - c.start > n.end - n.start
                   and not all(w in own for w in word_keys(ctx.text[c.start:n.start]
                                                            + " " + ctx.text[n.end:c.end]))
                   for c in ctx.has("founding"))

    nouns = [n for n in ctx.has("founder_noun") if not of_states(n)]
    extra = ("founder_gap_words", "list_copulas", "possessive_pronouns", "title_gap_words")
    allowed = (ctx.grammar["gap_words"] | _title_words(ctx.sent.lang)
               | {key(w) for k in extra for w in g.get(k, [])})
    owners = {key(w) for w in [*g.get("qualifier_prepositions", []),
                               *g.get("genitive_postpositions", []), *g.get("articles", []),
                               *g.get("possessive_suffixes", [])]}
    out: list[Fact] = []
    for noun in nouns:
        if _founder_of_another(ctx, noun, owners):
            continue
        near = [m for m in persons
                if (noun.end <= m.start and gap_ok(ctx, noun.end, m.start, allowed))
                or (m.end <= noun.start and gap_ok(ctx, m.end, noun.start, allowed))]
        if not near:
            continue
        first = min(near, key=lambda m: (min(abs(m.start - noun.end), abs(noun.start - m.end)),
                                         m.start))
        subj = subject_for(ctx, noun, "founded")
        listed = _with_listed(ctx, persons, first, forward=first.start > noun.start)
        out += [make_fact(ctx, subj, "founder", object_kb_id=p.kb_id, value=p.kb_id)
                for p in sorted(set(listed), key=lambda m: m.start)]
    return out


def _founder_of_another(ctx: Ctx, noun: Cue, owners: frozenset[str] | set[str]) -> bool:
    """Whether an organisation other than the subject owns the founder noun: "founder of X"
    or "X's founder" in English, "X के संस्थापक" in Hindi, with only owner words between."""
    for m in ctx.ments:
        if m.label != ORG or m.kb_id == ctx.subject:
            continue
        lo, hi = (noun.end, m.start) if noun.end <= m.start else (m.end, noun.start)
        if lo > hi:
            continue
        between = word_keys(ctx.text[lo:hi])
        if between and len(between) <= 2 and all(w in owners for w in between):
            return True
    return False


def _with_listed(ctx: Ctx, persons: list[Mention], first: Mention,
                 forward: bool) -> list[Mention]:
    """``first`` and the persons listed with it, going forward or back ("X and Y", "X,
    Prime Minister Y"); titles may stand between them."""
    chosen = [first]
    listed = sorted(persons, key=lambda m: m.start)
    k = listed.index(first)
    step = 1 if forward else -1
    joins = {key(w) for w in load_raw_grammar(ctx.sent.lang).get(
        "list_conjunctions", [])} | {","}
    j = k + step
    while 0 <= j < len(listed):
        a, b = sorted((listed[j - step], listed[j]), key=lambda m: m.start)
        between = word_keys(ctx.text[a.end : b.start])
        if not between or not any(w in joins for w in between) or not all(
                w in joins or w in _title_words(ctx.sent.lang) for w in between):
            break
        chosen.append(listed[j])
        j += step
    return chosen


def founding_states(ctx: Ctx) -> list[Fact]:
    """States that found the organisation, in a sentence with a founding cue:

    - those whose leaders started it ("initiated by Prime Minister Shinzo Abe of Japan, with
      the support of ... John Howard of Australia");
    - a state as the subject of the founding verb ("Saudi Arabia formed a coalition"), when it
      opens the sentence (dates aside) before any founding verb;
    - a list introduced by its count ("foreign ministers of five countries, Indonesia, ...");
    - a list right after the agent cue ("founded ... by six states: A, B and C") or, in Hindi,
      right before it ("A, B और C ने ... स्थापना की").
    """
    # an announcement on the founding date is the founding told another way
    announcing = bool(ctx.has("announced")) and bool(ctx.founded_when) and any(
        same_event(d.kb_id, ctx.founded_when) for d in ctx.of(DATE))
    if not ctx.has(*FOUNDED_CUES) and not announcing:
        return []
    gap = ctx.grammar["gap_words"] | {key(c.text) for c in ctx.has("founder_states")}
    found: list[list[Mention]] = []
    if founder_facts(ctx, ctx.subject, None):
        states = {c.kb_id: c for p in ctx.of(PERSON) if (c := person_country(ctx, p))}
        found += [[states[kb]] for kb in sorted(states)]
    plain = [c for c in ctx.has("founded") if not ctx.has("founded:re-established")]
    nouns = ctx.has("count_noun")
    for g in country_groups(ctx):
        first = not any(m.start < g[0].start and m.label != DATE for m in ctx.ments) and not any(
            c.start < g[0].start for c in ctx.has(*FOUNDED_CUES)
        )
        subject_of_verb = (
            first
            and ctx.grammar.get("word_order") == "SVO"
            and any(
                g[-1].end <= c.start and gap_ok(ctx, g[-1].end, c.start, ctx.grammar["gap_words"])
                for c in plain
            )
        )
        after_count = len(g) >= 2 and any(
            n.end <= g[0].start and re.fullmatch(r"[\s,:;–-]*", ctx.text[n.end : g[0].start])
            for n in nouns
        )
        if subject_of_verb or after_count:
            found.append(g)
    for agent in ctx.has("founder_agent"):
        for g in (g for g in country_groups(ctx) if len(g) >= 2):
            if ctx.grammar.get("agent_side") == "after":
                words = (
                    word_keys(ctx.text[agent.end : g[0].start]) if agent.end <= g[0].start else None
                )
                # "by six states:", "by the 6 founding states:"; or any short agent phrase that
                # introduces the list with a colon ("by the founders of the bloc: A, B, C")
                colon = ctx.text[agent.end : g[0].start].rstrip().endswith(":")
                near = words is not None and (
                    (len(words) <= 4 and all(
                        w in gap or numbers.parse_number(w, ctx.sent.lang) is not None
                        for w in words))
                    or (colon and len(words) <= ctx.limits.max_agent_phrase_words))
            else:
                words = (
                    word_keys(ctx.text[g[-1].end : agent.start])
                    if g[-1].end <= agent.start
                    else None
                )
                # "A, B और C ने", "A, B और C समेत 20 देशों ने": the list, or the list that
                # gives examples of the counted agents, right before the agent marker
                examples = {key(c.text) for c in ctx.has("examples")}
                most = ctx.limits.max_agent_phrase_words
                near = words is not None and len(words) <= most and all(
                    w in gap or w in examples
                    or numbers.parse_number(w, ctx.sent.lang) is not None for w in words)
            if near:
                found.append(g)
    out = []
    for g in found:
        note = f"list of {len(g)}" if len(g) >= ctx.limits.min_derived_list else ""
        for m in g:
            out.append(
                make_fact(
                    ctx,
                    ctx.subject,
                    "member",
                    object_kb_id=m.kb_id,
                    value="founding",
                    role="founding",
                    when=ctx.founded_when,
                    note=note,
                    listed=len(g) if note else 0,
                )
            )
    return out

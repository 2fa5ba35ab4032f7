"""Member counts: a number with its count noun, or an ordinal of a joining member."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from pipeline.core.data import dash_class
from pipeline.core.records import COUNTRY, DATE, NUMBER, ORG, PERSON, Cue, Fact, Mention
from pipeline.core.schema import Tense, TimeSource
from pipeline.facts.clause import Mood, mood_at, number_head
from pipeline.facts.context import (
    EVENT_CUES,
    FOUNDED_CUES,
    Ctx,
    clause_head,
    country_groups,
    grammar_patterns,
    make_fact,
    nearest,
    period_dates,
    same_clause,
    semicolon_between,
    since_date,
    word_keys,
)
from pipeline.facts.subject import names_org_noun, subject_for
from pipeline.ner.cues import key, load_raw_grammar
from pipeline.normalize import countries, numbers
from pipeline.normalize.orgs import is_generic


def _count_noun_follows(ctx: Ctx, m: Mention, nouns: list[Cue]) -> bool:
    """'41 members', '54 अफ्रीकी देशों', 'nine Arab states', 'nine-country'."""
    mods = ctx.grammar["count_modifiers"]
    head = number_head(ctx, m.start)
    if head is not None and any(n.start <= head < n.end for n in nouns):
        return True  # the parse makes the number count that noun ("21 Pacific island states")
    for n in nouns:
        if 0 <= n.start - m.end <= ctx.limits.count_noun_window:
            return True
        if 0 <= n.start - m.end <= 30:
            words = word_keys(ctx.text[m.end : n.start])
            if 0 < len(words) <= ctx.limits.max_count_modifiers and all(
                w in mods or countries.demonym_code(w) for w in words
            ):
                return True
    return False


def _former(ctx: Ctx, m: Mention, nouns: list[Cue]) -> bool:
    """"Two former members", "तीन पूर्व सदस्य": a count of those who left; "an additional 37
    countries", "पांच अन्य देश": a count of others beside the members. Neither counts the members
    (grammar ``former_words``, ``addition_words``)."""
    g = load_raw_grammar(ctx.sent.lang)
    former = {key(w) for w in [*(g.get("former_words") or []), *(g.get("addition_words") or [])]}
    span = ctx.limits.count_phrase_chars
    before = word_keys(ctx.text[max(ctx.sent.start, m.start - span) : m.start])[-1:]
    if before and before[0] in former:
        return True  # "an additional 37 countries", "another 12 states"
    noun = min((n for n in nouns if 0 <= n.start - m.end <= span), key=lambda n: n.start,
               default=None)
    return noun is not None and bool(set(word_keys(ctx.text[m.end : noun.start])) & former)


def _ranked_among(ctx: Ctx, m: Mention) -> bool:
    """A number owned by a common noun that is no organisation ("the world's seven leading
    economies", "दुनिया के सात देश"): a rank among all such things, not a count of members. An
    organisation ("NATO's 32 members", "the bloc's") or a named place may own a count. The
    possessive endings and genitive postpositions are grammar data."""
    g = load_raw_grammar(ctx.sent.lang)
    members = {key(w) for w in g.get("member_nouns", []) or []}
    span = ctx.limits.count_phrase_chars
    if set(word_keys(ctx.text[m.end : m.end + span])[:ctx.limits.max_count_modifiers + 1]
           ) & members:
        return False  # "the treaty's 12 members", "संधि के 12 सदस्य": what it has, not a rank
    before = ctx.text[max(0, m.start - span) : m.start]
    marks = [rf"(\w+)(?:{re.escape(s)})\s+$" for s in g.get("possessive_suffixes", []) or []]
    marks += [rf"(\S+)\s+{re.escape(p)}\s+$" for p in g.get("genitive_postpositions", []) or []]
    for mark in marks:
        hit = re.search(mark, before)
        if hit is None:
            continue
        word = hit.group(1)
        at = m.start - len(before) + hit.start(1)
        # a named owner, also one a common noun completes ("अफ्रीका महाद्वीप के 55 देश")
        if any(x.start <= at < x.end or 0 <= at - x.end <= 1 for x in ctx.ments):
            return False
        if names_org_noun(word):
            return False
        return word[:1].isalpha() and not word[0].isupper()
    return False


def _added_orgs(ctx: Ctx, m: Mention, nouns: list[Cue]) -> list[Mention]:
    """Organisations added to a count of states: "the EU plus 19 nations", "19 देशों और यूरोपीय
    संघ". Only conjunctions (grammar ``list_conjunctions``, ``count_addition_words``) and
    articles may stand between the organisation and the count phrase."""
    g = load_raw_grammar(ctx.sent.lang)
    joins = {key(w) for w in [*g.get("list_conjunctions", []), *g.get("count_addition_words", [])]
             } - {""}
    articles = {key(w) for w in g.get("articles", []) or []}
    noun = min((n for n in nouns if 0 <= n.start - m.end <= 30),
               key=lambda n: (n.start, -n.end), default=None)  # the longest: "member countries"
    end = noun.end if noun is not None else m.end
    out = []
    for o in ctx.of(ORG):
        if o.kb_id == ctx.subject or is_generic(o.kb_id):
            continue  # the body counted is not one of its own members
        if o.end <= m.start:
            gap = word_keys(ctx.text[o.end : m.start])
        elif end <= o.start:
            gap = word_keys(ctx.text[end : o.start])
        else:
            continue
        # punctuation keys to "": a semicolon or a parenthesis joins nothing
        if gap and "" not in gap and set(gap) & joins and all(w in joins | articles for w in gap):
            out.append(o)
    return out


def _count_when(ctx: Ctx, m: Mention, tense: str = "") -> tuple[str, str]:
    """The time a count holds and where it comes from: a date of its own clause (stated), or
    for a count in a founding or announcement clause the founding date (SCHEMA.md "Time")."""
    every = ctx.of(DATE)
    if tense == Tense.PRESENT:
        # a present count takes no date of a founding told beside it ("2001 में स्थापित इस
        # संगठन में 57 सदस्य हैं", "Established in 2001, the body now has 57 members")
        founding = ctx.has(*FOUNDED_CUES)
        every = [d for d in every if not any(
            len(word_keys(ctx.text[min(d.end, c.end) : max(d.start, c.start)]))
            <= ctx.limits.founding_date_words
            for c in founding)]
    dates = every
    head = clause_head(ctx, m.start)
    if head is not None:
        dates = [d for d in dates if clause_head(ctx, d.start) == head]
        if (not dates and len(every) == 1 and tense == Tense.PAST
                and not ctx.has(*FOUNDED_CUES)):
            # a past count and the sentence's one date, in a clause on the count's subject
            # ("The list released in March 2003 included 46 members"): the time of what is
            # counted. A present count keeps its own time ("The league, founded in 1945, has
            # 22 members")
            dates = every
    else:
        dates = [d for d in dates if same_clause(ctx, d.start, m.start)]
    # a semicolon ends a clause whatever the parse joined ("In 2015 it had 34 members; by
    # 2017 it had grown to 41": 34 is of 2015)
    dates = [d for d in dates if not semicolon_between(ctx, d.start, m.start)] or dates
    date = nearest(dates, DATE, m.start)
    if date is not None:
        return date.kb_id, TimeSource.STATED
    if ctx.founded_when and any(same_clause(ctx, c.start, m.start)
                                for c in ctx.has("announcement_ref", "founding")):
        return ctx.founded_when, TimeSource.FOUNDING
    # a count in a when-clause on the founding ("… का गठन 2017 में हुआ था, जब 12 देशों ने …"):
    # at the founding (grammar ``temporal_subordinators``)
    when_words = {key(w) for w in ctx.grammar.get("temporal_subordinators", []) or []}
    if ctx.founded_when and when_words:
        lead = ctx.text[ctx.sent.start : m.start]
        cut = max(lead.rfind(","), lead.rfind(";"))
        opener = word_keys(lead[cut + 1 :])[:1] if cut >= 0 else []
        if (opener and opener[0] in when_words
                and any(c.end <= ctx.sent.start + cut for c in ctx.has(*FOUNDED_CUES))):
            return ctx.founded_when, TimeSource.FOUNDING
    # a count in the clause of the founding event itself ("…, when the ministers of five
    # states signed its charter"): at the founding (SCHEMA.md "Time"); by the parse only, so a
    # participle on the name ("The league, founded in 1945, has 22 members") is no such clause
    if head is not None and ctx.founded_when and tense != Tense.PRESENT and any(
            clause_head(ctx, c.start) == head for c in ctx.has(*FOUNDED_CUES, "signed")):
        return ctx.founded_when, TimeSource.FOUNDING
    return "", TimeSource.NONE


def _ends_count(ctx: Ctx, m: Mention) -> bool:
    """A number that ends its phrase ("has since grown to 15.", "पंद्रह हो गई है"): nothing
    or a verb of being (grammar ``count_after_words``) follows it, so it is the count the lead
    words announced, not a number of something else ("during more than four decades")."""
    after = word_keys(ctx.text[m.end : ctx.sent.end])[:1]
    verbs = {key(w) for w in load_raw_grammar(ctx.sent.lang).get("count_after_words", []) or []}
    rest = ctx.text[m.end : ctx.sent.end].lstrip()
    return not after or not rest or not rest[0].isalnum() or after[0] in verbs


Count = tuple[Mention, int, Mood, list[Mention], str]


def sentence_counts(ctx: Ctx) -> list[Count]:
    """The member counts of a sentence, found once for the rules that read them (count_facts,
    counted_list_facts, states_alone)."""
    return list(_counts(ctx))


def _counts(ctx: Ctx) -> Iterator[Count]:
    """Each member count of a sentence: its number, value, mood, the organisations counted with
    the states ("the EU plus 19 nations") and the organisation counted."""
    nouns = ctx.has("count_noun")
    befores = ctx.has("count_before")
    if not nouns and not befores:
        return
    for m in ctx.of(NUMBER):
        try:
            value = float(m.kb_id)
        except ValueError:
            continue
        if not (2 <= value <= ctx.limits.max_member_count) or value != int(value):
            continue
        after = ctx.text[m.end : m.end + 12].lower().lstrip()
        if after.startswith(grammar_patterns().percent_words):
            continue  # "60%", "60 percent": a share, not a count
        after_cue = any(0 <= m.start - b.end <= ctx.limits.count_before_window
                        or (b.end <= m.start and _ends_count(ctx, m)
                            and len(word_keys(ctx.text[b.end : m.start]))
                            <= ctx.limits.count_before_words
                            and not any(b.end <= x.start < m.start for x in ctx.ments))
                        for b in befores)
        if not (after_cue or _count_noun_follows(ctx, m, nouns)):
            continue
        mood = mood_at(ctx, m.start, m.end)
        if mood.negated or _ranked_among(ctx, m) or _former(ctx, m, nouns):
            continue  # "does not have 30 members": no count the text asserts
        added = _added_orgs(ctx, m, nouns)
        # the organisations counted with the states are members, not what the count is about
        about = replace(ctx, ments=[x for x in ctx.ments if x not in added]) if added else ctx
        subject = subject_for(about, Cue("count", m.start, m.end, m.text), "founded")
        yield m, int(value), mood, added, subject


def _counted_act(ctx: Ctx, m: Mention) -> bool:
    """A counted noun that acts in a membership event of its own clause ("All three members
    joined the Schengen Area between 1997 and 2007", "तीनों सदस्य 1995 में ... शामिल हुए"): the
    clause's dates are that event's, not the time of the count."""
    head = clause_head(ctx, m.start)

    def actor_between(c: Cue) -> bool:  # "... 41 हो गई जब ओमान ... शामिल हुआ": Oman acts
        return any(m.end <= x.start and x.end <= c.start for x in ctx.ments
                   if x.label in (COUNTRY, ORG, PERSON))

    return any(c.start > m.end and not actor_between(c)
               and (clause_head(ctx, c.start) == head if head is not None
                    else same_clause(ctx, m.start, c.start))
               for c in ctx.has(*EVENT_CUES))


def _range_end(ctx: Ctx, m: Mention) -> Mention | None:
    """The other end of a range a count opens ("from 5 to 12", "5 से बढ़कर 12"): the next number
    within a few words, across the language's range word (grammar ``range_to_words``)."""
    to = {key(w) for w in ctx.grammar.get("range_to_words", []) or []}
    for n in ctx.of(NUMBER):
        if n.start <= m.end or not n.kb_id.isdigit():
            continue
        words = word_keys(ctx.text[m.end : n.start])
        if len(words) <= ctx.limits.count_before_words and set(words) & to and not any(
                m.end <= x.start < n.start for x in ctx.ments if x.label != NUMBER):
            value = int(n.kb_id)
            return n if 2 <= value <= ctx.limits.max_member_count else None
        return None
    return None


def _range_start(ctx: Ctx, m: Mention) -> Mention | None:
    """The first end of a range a count closes ("from 12 to 16 members": 12): the number just
    before the language's range word before the count."""
    to = {key(w) for w in ctx.grammar.get("range_to_words", []) or []}
    before = [n for n in ctx.of(NUMBER) if n.end <= m.start and n.kb_id.isdigit()]
    if not before:
        return None
    n = before[-1]
    words = word_keys(ctx.text[n.end : m.start])
    if len(words) == 1 and words[0] in to and 2 <= int(n.kb_id) <= ctx.limits.max_member_count:
        return n
    return None


def _range_times(ctx: Ctx, start: Mention, end: Mention, when: str) -> tuple[str, str]:
    """The times of a range's two ends: a period's own ends ("between 1952 and 1982"), else a
    since-date dates its start ("from 5 to 12 since 1994") and any other date its end, the
    change ("from six to nine in 1973", "2011 में 10 से बढ़कर 11": the later count then, the
    earlier one before)."""
    period = period_dates(ctx)
    if period is not None and end.end <= period[0].start:
        return period[0].kb_id, period[1].kb_id
    dated = [d for d in ctx.of(DATE) if d.kb_id == when]
    if dated and not since_date(ctx, dated[0]):
        return "", when
    return when, ""


def count_facts(ctx: Ctx, found: list[Count]) -> list[Fact]:
    """A fact per count of the sentence (``found``: ``sentence_counts``)."""
    # "grew from 5 to 12 members since 1994": 5 at the start, 12 now; the since-date is when
    # the growth began, not the time of the range's end
    ends = {m.start: _range_end(ctx, m) for m, *_rest in found}
    end_starts = {e.start for e in ends.values() if e is not None}
    counted = {m.start for m, *_rest in found}
    starts = {m.start: _range_start(ctx, m) for m, *_rest in found}
    out = []
    for m, value, mood, added, subject in found:
        when, source = _count_when(ctx, m, mood.tense)
        if source == TimeSource.STATED and (
                _counted_act(ctx, m) or (m.start in end_starts and _since_dated(ctx, when))):
            when, source = "", TimeSource.NONE
        first = starts[m.start]
        if first is not None and first.start not in counted and not added:
            # "grew from 12 to 16 members": the first end too, each end with its own time
            t0, t1 = _range_times(ctx, first, m, when)
            out.append(make_fact(ctx, subject, "member_count", value=first.kb_id, when=t0,
                                 tense=mood.tense, as_of=t0,
                                 as_of_source=TimeSource.STATED if t0 else TimeSource.NONE))
            when, source = t1, (TimeSource.STATED if t1 else TimeSource.NONE)
        end = ends[m.start]
        if end is not None and end.start not in counted and not added:
            t0, t1 = _range_times(ctx, m, end, when)
            when, source = t0, (TimeSource.STATED if t0 else TimeSource.NONE)
        out.append(
            make_fact(
                ctx,
                subject,
                "member_count",
                value=str(value + len(added)),
                derived=bool(added),  # a sum the text implies, not a number it states
                complete=bool(added),  # ...of every member it names: no lower bound
                note=(f"{value} counted with {', '.join(x.kb_id for x in added)}"
                      if added else ""),
                when=when,
                tense=mood.tense,
                as_of=when,
                as_of_source=source,
            )
        )
        if end is not None and end.start not in counted:
            t1 = _range_times(ctx, m, end, _count_when(ctx, m, mood.tense)[0])[1] \
                if not added else ""
            out.append(make_fact(ctx, subject, "member_count", value=end.kb_id, when=t1,
                                 tense=mood.tense, as_of=t1,
                                 as_of_source=TimeSource.STATED if t1 else TimeSource.NONE))
    return out


def _since_dated(ctx: Ctx, when: str) -> bool:
    """Whether the date ``when`` stands in the sentence as a since-date ("since 1994")."""
    return any(d.kb_id == when and since_date(ctx, d) for d in ctx.of(DATE))


def counted_list_facts(ctx: Ctx, found: list[Count]) -> list[Fact]:
    """A list introduced by its own count after a colon or a dash ("an alliance of four
    countries: A, B, C and D", "चार देशों - A, B, C और D - का गठबंधन"): when the list has as
    many states as the count says, each is a member and the list is the complete set. A count
    that holds at the founding (an announcement) makes them founders."""
    if ctx.has(*FOUNDED_CUES):
        return []  # a founding sentence's counted list is its founders (founding_states)
    nouns = ctx.has("count_noun")
    articles = {key(w) for w in load_raw_grammar(ctx.sent.lang).get("articles", []) or []}
    groups = country_groups(ctx)
    out: list[Fact] = []
    for m, value, mood, added, subject in found:
        noun = min((n for n in nouns
                    if 0 <= n.start - m.end <= ctx.limits.count_phrase_chars),
                   key=lambda n: n.start,
                   default=None)
        if noun is None or added or mood.prospective:
            continue
        for g in groups:
            gap = ctx.text[noun.end : g[0].start] if noun.end <= g[0].start else ""
            marks = re.sub(r"\w+", "", gap)
            if (len(g) != value or not re.fullmatch(rf"\s*(?::|{dash_class()})\s*", marks)
                    or any(w not in articles for w in word_keys(gap) if w)):
                continue
            when, source = _count_when(ctx, m, mood.tense)
            role = "founding" if source == TimeSource.FOUNDING else ""
            out.extend(make_fact(ctx, subject, "member", object_kb_id=x.kb_id,
                                 value=role or "member", role=role,
                                 when=when if role else "", tense=mood.tense, complete=True,
                                 note=f"list of {value}", listed=value) for x in g)
    return out


def states_alone(found: list[Count]) -> set[tuple[str, int, int]]:
    """(organisation, number of states, total) of the counts that add bodies to a number of
    states ("19 देशों और यूरोपीय संघ": 19 states, 20 members)."""
    return {(subject, value, value + len(added))
            for _m, value, _mood, added, subject in found if added}


def drop_state_counts(facts: list[Fact], counted: set[tuple[str, int, int]]) -> list[Fact]:
    """An undated count, stated or listed, equal to the number of states alone of a count that
    adds bodies in the same document ("the 19 countries are A, B, ..." where it also says "19
    countries and the EU") is that document's count of its states, not of its members."""
    totals = {(s, str(t)) for s, _n, t in counted}
    bases = {(s, str(n)) for s, n, _t in counted} - totals
    return [f for f in facts if not (
        f.predicate == "member_count" and not f.when and (f.subject, f.value) in bases)]


def ordinal_count_facts(ctx: Ctx) -> list[Fact]:
    """ "Finland became the 31st member", "स्वीडन ... 32वां सदस्य बना": the join makes the count."""
    if not ctx.has("joined") or not ctx.has("count_noun"):
        return []
    nouns = ctx.has("count_noun")
    out = []
    rel = ctx.sent.start
    for s, e, value in numbers.find_ordinals(ctx.sent.text, ctx.sent.lang):
        m = Mention(
            ctx.a.doc.doc_id,
            ctx.sent.lang,
            rel + s,
            rel + e,
            ctx.sent.text[s:e],
            NUMBER,
            str(value),
        )
        if not (2 <= value <= ctx.limits.max_member_count) or not _count_noun_follows(
                ctx, m, nouns):
            continue
        date = nearest(ctx.ments, DATE, m.start)
        out.append(
            make_fact(
                ctx,
                ctx.subject,
                "member_count",
                value=str(value),
                when=date.kb_id if date else "",
                derived=True,
                note=f"member number {value} to join",
            )
        )
    return out


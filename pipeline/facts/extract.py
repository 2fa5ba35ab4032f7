"""Sentences + mentions + cues → Facts.

The rules here are language-independent: they react to cue names (from the pattern files), to
entity labels and to a few word-order facts of each language (the ``grammar`` section of the
pattern files: on which side of its verb a date or an organisation stands). Per sentence:

- ``founded`` cue + its date → founded (role from ``founded:<role>`` cues); a person introduced
  by a ``founder_agent`` cue ("by", "ने") → founder. Each founding cue takes the date on its
  grammatical side ("founded on 26 May 2001 ... launched on 9 July 2002" gives two facts).
- a membership cue + countries → one member or non_member fact per country. For membership events
  (joined, left, suspended) only the countries attached to the verb count ("Oman joined",
  "withdrawal of Australia", "ओमान ... में शामिल हुआ") and those chained after them ("followed by
  Viet Nam on ..., Lao PDR and Myanmar on ..."); each list item takes the date next to it.
  Countries that only qualify something else ("Abe of Japan", "जापान के प्रधानमंत्री") are left
  out unless they stand in a list.
- a number followed by a ``count_noun`` (or after a ``count_before`` cue) → member_count; its
  time is the date of the same clause, or the document's founding date when the sentence refers to
  the founding ("when it was announced").
- a ``leader_title`` + a person → leader with the canonical role of roles.yaml.
- a ``headquarters`` cue + a place → headquarters.
- a listed set of three or more members, not introduced as examples ("such as", "जैसे") →
  a derived member_count (derived=true).

A fact is about the run's subject unless a known organisation stands where the language puts
the organisation a cue is about ("The OAU, established in 1963" → subject OAU).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from spacy import symbols as spacy_symbols
from spacy.strings import get_string_id

from pipeline.core.config import (
    COUNT_BEFORE_WINDOW,
    COUNT_NOUN_WINDOW,
    MAX_COUNT_MODIFIERS,
    MAX_MEMBER_COUNT,
    MIN_DERIVED_LIST,
    ORG_WINDOW,
)
from pipeline.core.records import COUNTRY, DATE, LOC, NUMBER, ORG, PERSON, Fact, Mention, Sentence
from pipeline.facts.cues import Cue, key, load_grammar, load_raw_grammar, load_roles
from pipeline.ner.base import Annotated
from pipeline.normalize import countries, names, numbers
from pipeline.reconcile import DEPARTURE_ROLES

MEMBERSHIP_CUES = (
    "non_member",
    "declined",
    "observer",
    "left",
    "suspended",
    "founding",
    "joined",
    "participation",
    "member_list",
)
EVENT_CUES = ("joined", "left", "suspended")
FOUNDED_CUES = ("founded", "founded:re-established", "founded:launched")
WORD = re.compile(r"[\w\u0900-\u097F'’-]+|[,;]")


@dataclass(frozen=True)
class Grammar:
    """Regular expressions built from the word lists of both languages' grammar sections (texts
    mix scripts, so a Hindi sentence may hold an English list and the other way round)."""

    list_gap: re.Pattern[str]  # text between two items of one list
    genitive_after: re.Pattern[str]  # "जापान के ..." right after a country
    of_before: re.Pattern[str]  # "... of (the)" right before a country
    of_after_cue: re.Pattern[str]  # "withdrawal of (the)" between a cue and a country
    qualified_hi: re.Pattern[str]  # "के प्रधानमंत्री " between a country and a person
    qualified_en_before: re.Pattern[str]  # "'s Prime Minister " between a country and a person
    agent_after: re.Pattern[str]  # "(gloss) ने" right after a person
    group_nouns: frozenset[str]
    percent_words: tuple[str, ...]
    ordinal: re.Pattern[str]  # "31st", "32वां" as one word


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=1)
def grammar_patterns() -> Grammar:
    raw: dict[str, list[str]] = {}
    for lang in ("en", "hi"):
        for k, v in load_raw_grammar(lang).items():
            if isinstance(v, list):
                raw.setdefault(k, []).extend(str(x) for x in v)
    conj, gen = _alt(raw.get("list_conjunctions", [])), _alt(raw.get("genitive_postpositions", []))
    prep, agent = _alt(raw.get("qualifier_prepositions", [])), _alt(raw.get("agent_markers", []))
    art, poss = _alt(raw.get("articles", [])), _alt(raw.get("possessive_suffixes", []))
    end = r"(?=\s|$|[,.;।])"
    return Grammar(
        list_gap=re.compile(rf"^[\s,;:、]*(?:\(\d+\)|\[\d+\])?[\s,;]*(?:{conj})?[\s,;]*$"),
        genitive_after=re.compile(rf"^\s*(?:{gen}){end}"),
        of_before=re.compile(rf"\b(?:{prep})\s+(?:(?:{art})\s+)?$"),
        of_after_cue=re.compile(rf"^\s+(?:{prep})\s+(?:(?:{art})\s+)?$"),
        qualified_hi=re.compile(rf"^\s*(?:{gen})\s+(?:\S+\s+){{0,3}}$"),
        qualified_en_before=re.compile(rf"^(?:{poss})?\s+(?:[A-Z][\w.-]*\s+){{0,3}}$"),
        agent_after=re.compile(rf"^\s*(?:\([^)]*\)\s*)?(?:{agent}){end}"),
        group_nouns=frozenset(key(w) for w in raw.get("group_nouns", [])),
        percent_words=tuple(w.lower() for w in raw.get("percent_words", [])),
        ordinal=re.compile(
            rf"[0-9०-९]+(?:{_alt([key(w) for w in raw.get('ordinal_suffixes', [])])})"
        ),
    )


@dataclass
class Ctx:
    """What the rules of one sentence see."""

    a: Annotated
    sent: Sentence
    ments: list[Mention]
    cues: list[Cue]
    subject: str
    grammar: dict[str, Any]
    founded_when: str = ""
    parse_starts: list[int] = field(default_factory=list)  # offsets of a.parses, for bisect

    @property
    def text(self) -> str:
        return self.a.doc.text

    def has(self, *names: str) -> list[Cue]:
        return [c for c in self.cues if c.name in names]

    def of(self, label: str) -> list[Mention]:
        return [m for m in self.ments if m.label == label and m.kb_id]


def run_subject(annotated: list[Annotated]) -> str:
    """The run's subject: the organisation named in most documents, then the one most often
    named just before a founding, membership or count cue, then the one named most often."""
    docs_with: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    agent: Counter[str] = Counter()
    for a in annotated:
        orgs = sorted((m for m in a.mentions if m.label == ORG and m.kb_id), key=lambda m: m.end)
        ends = [m.end for m in orgs]
        mentions.update(m.kb_id for m in orgs)
        docs_with.update({m.kb_id for m in orgs})
        for c in a.cues:
            if c.name in (*FOUNDED_CUES, *MEMBERSHIP_CUES, "count_noun"):
                lo = bisect.bisect_left(ends, c.start - ORG_WINDOW)
                hi = bisect.bisect_right(ends, c.start)
                agent.update({m.kb_id for m in orgs[lo:hi]})
    if not mentions:
        return "subject"
    # An organisation never named near such a cue (an adversary, a venue) is not the subject
    # when another one is.
    cands = sorted(k for k in mentions if agent[k]) or sorted(mentions)
    return max(cands, key=lambda k: (docs_with[k], agent[k], mentions[k]))


def extract_facts(annotated: list[Annotated], subject: str) -> list[Fact]:
    """Facts of every document, in document order, deduplicated within a document."""
    facts: list[Fact] = []
    for a in annotated:
        facts.extend(_document_facts(a, subject))
    return facts


def _document_facts(a: Annotated, subject: str) -> list[Fact]:
    cues = a.cues
    mentions = sorted(a.mentions, key=lambda m: (m.start, m.end))
    m_starts, c_starts = [m.start for m in mentions], [c.start for c in cues]
    parse_starts = [p.offset for p in a.parses]
    ctxs = [
        Ctx(a, s, _within(mentions, m_starts, s), _within(cues, c_starts, s), subject,
            load_grammar(s.lang), parse_starts=parse_starts)
        for s in a.sentences
    ]
    out: list[Fact] = []
    # Pass 1: founding events, so that later sentences can refer to "when it was announced".
    for ctx in ctxs:
        out.extend(_founded(ctx))
    own = [f for f in out if f.predicate == "founded" and f.subject == subject and f.when]
    founded_when = next((f.when for f in own if not f.role), own[0].when if own else "")
    for ctx in ctxs:
        ctx.founded_when = founded_when
        out.extend(_members(ctx))
        out.extend(_counts(ctx))
        out.extend(_ordinal_counts(ctx))
        out.extend(_leaders(ctx))
        out.extend(_headquarters(ctx))
    out.extend(_derived_counts(out, founded_when))
    return _dedupe(out)


def _within(items: list[Any], starts: list[int], sent: Sentence) -> list[Any]:
    """Items (sorted by start; ``starts`` their starts) inside a sentence: a bisect, not a scan
    of the whole document."""
    lo = bisect.bisect_left(starts, sent.start)
    hi = bisect.bisect_left(starts, sent.end)
    return [x for x in items[lo:hi] if x.end <= sent.end]


def _fact(ctx: Ctx, subject: str, predicate: str, **kw: Any) -> Fact:
    sent = ctx.sent
    evidence = sent.text.strip()
    lead = len(sent.text) - len(sent.text.lstrip())
    return Fact(
        doc_id=ctx.a.doc.doc_id,
        lang=sent.lang,
        subject=subject,
        predicate=predicate,
        evidence=evidence,
        start=sent.start + lead,
        end=sent.start + lead + len(evidence),
        **kw,
    )


def _nearest(ments: list[Mention], label: str, pos: int) -> Mention | None:
    cands = [m for m in ments if m.label == label and m.kb_id]
    if not cands:
        return None
    return min(cands, key=lambda m: (abs(m.start - pos), m.start))


def _words(text: str) -> list[str]:
    return [key(w) for w in WORD.findall(text)]


def _gap_ok(
    ctx: Ctx, start: int, end: int, allowed: frozenset[str], skip: list[Cue] | None = None
) -> bool:
    """True when text[start:end], without dates, organisations, ordinals ("32वां", "31st") and
    the ``skip`` cues, holds only allowed words."""
    if end < start:
        return False
    cut = [(m.start, m.end) for m in ctx.ments if m.label in (DATE, ORG)]
    cut += [(c.start, c.end) for c in skip or ()]
    if any(m.label in (COUNTRY, PERSON) and start <= m.start < end for m in ctx.ments):
        return False
    pieces, pos = [], start
    for s, e in sorted(cut):
        if start <= s and e <= end and s >= pos:
            pieces.append(ctx.text[pos:s])
            pos = e
    pieces.append(ctx.text[pos:end])
    ordinal = grammar_patterns().ordinal
    return all(w in allowed or ordinal.fullmatch(w) for w in _words(" ".join(pieces)))


def _known_org(m: Mention) -> bool:
    return m.label == ORG and bool(m.kb_id) and m.source.startswith("gazetteer")


def _subject_for(ctx: Ctx, cue: Cue, kind: str) -> str:
    """The organisation a cue is about: a known organisation on the language's side of the cue."""
    side = ctx.grammar.get("org_side", {}).get(kind, "before")
    orgs = [m for m in ctx.ments if _known_org(m)]
    before = [m for m in orgs if 0 <= cue.start - m.end <= ORG_WINDOW]
    after = [m for m in orgs if 0 <= m.start - cue.end <= ORG_WINDOW // 2]
    picks: list[Mention] = []
    if side.startswith("after"):
        picks = sorted(after, key=lambda m: m.start)[:1]
    if not picks and side.endswith("before"):
        picks = sorted(before, key=lambda m: -m.end)[:1]
    if not picks:
        return ctx.subject
    m = picks[0]
    # "GCC states", "GCC and regional countries": a group of states, not the organisation acting.
    if set(_words(ctx.text[m.end : m.end + 30])[:3]) & grammar_patterns().group_nouns:
        return ctx.subject
    return m.kb_id


def _founded(ctx: Ctx) -> list[Fact]:
    founded = ctx.has(*FOUNDED_CUES)
    if not founded:
        return []
    # One event per cue span; a span matched by a role cue ("launched") takes that role.
    spans: dict[tuple[int, int], Cue] = {}
    for c in founded:
        k = (c.start, c.end)
        if k not in spans or ":" in c.name:
            spans[k] = c
    events = sorted(spans.values(), key=lambda c: c.start)
    events = [
        c
        for c in events
        if not any(
            o is not c
            and o.start <= c.start
            and c.end <= o.end
            and (o.end - o.start) > (c.end - c.start)
            for o in events
        )
    ]
    dates = sorted(ctx.of(DATE), key=lambda m: m.start)
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
            near = _nearest(ctx.ments, DATE, cue.start)
            cands = [near] if near else []
        role = cue.name.split(":", 1)[1] if ":" in cue.name else ""
        subj = _subject_for(ctx, cue, "founded")
        date = cands[0] if cands else None
        if date is not None:
            out.append(_fact(ctx, subj, "founded", value=date.kb_id, when=date.kb_id, role=role))
        out.extend(_founders(ctx, subj, date))
    return out


@lru_cache(maxsize=2)
def _title_words(lang: str) -> frozenset[str]:
    """Words that may stand between "by" and a founder's name: the titles of titles.yaml
    ("Prime Minister", "King"), the articles and "then" ("by the then Prime Minister")."""
    words = {w for t in names.titles(lang) for w in _words(t)}
    words |= {key(w) for w in load_raw_grammar(lang).get("articles", [])}
    return frozenset(words | {key(w) for w in load_raw_grammar(lang).get("title_modifiers", [])})


def _founders(ctx: Ctx, subj: str, date: Mention | None) -> list[Fact]:
    """A person right after an agent cue ("by X"), or right before one ("X ने")."""
    out = []
    persons = ctx.of(PERSON)
    for agent in ctx.has("founder_agent"):
        if ctx.sent.lang == "en":
            pick = [
                m
                for m in persons
                if 0 <= m.start - agent.end <= 20
                and _gap_ok(ctx, agent.end, m.start, _title_words("en"))
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
        for p in pick[:1]:
            out.append(
                _fact(
                    ctx,
                    subj,
                    "founder",
                    object_kb_id=p.kb_id,
                    value=p.kb_id,
                    when=date.kb_id if date else "",
                )
            )
    return out


def _groups(ctx: Ctx) -> list[list[Mention]]:
    """Countries of a sentence grouped into lists ("A, B and C" is one list)."""
    found = [m for m in ctx.of(COUNTRY) if m.source != "gazetteer:demonym"]
    groups: list[list[Mention]] = []
    for m in sorted(found, key=lambda m: m.start):
        if groups and grammar_patterns().list_gap.match(ctx.text[groups[-1][-1].end : m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _qualifier(ctx: Ctx, g: list[Mention], cues: list[Cue]) -> bool:
    """A lone country that only qualifies a noun: "Abe of Japan", "जापान के प्रधानमंत्री"."""
    if len(g) > 1:
        return False
    m = g[0]
    if grammar_patterns().genitive_after.match(ctx.text[m.end : m.end + 4]):
        # ...unless the noun is the membership itself ("ऑस्ट्रेलिया के हटने", "सीरिया की
        # सदस्यता निलंबित").
        gap = ctx.grammar["gap_words"]
        return not any(m.end <= c.start and _gap_ok(ctx, m.end, c.start, gap) for c in cues)
    if grammar_patterns().of_before.search(ctx.text[max(0, m.start - 8) : m.start]):
        return not any(
            grammar_patterns().of_after_cue.match(ctx.text[c.end : m.start]) for c in cues
        )
    return False


def _attached(ctx: Ctx, groups: list[list[Mention]], cues: list[Cue]) -> list[list[Mention]]:
    """Groups that are the subject or object of a membership-event verb, and those chained
    after them ("followed by ...", "उसके बाद ...")."""
    gap = ctx.grammar["gap_words"]
    chosen = []
    for g in groups:
        for c in cues:
            if (
                g[-1].end <= c.start and _gap_ok(ctx, g[-1].end, c.start, gap)
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
            if any(prev <= c.start and c.end <= g[0].start for c in conts) or _gap_ok(
                ctx, prev, g[0].start, gap, skip=cues
            ):
                out.append(g)
    return out


def _group_dates(ctx: Ctx, groups: list[list[Mention]]) -> dict[int, str]:
    """The date of each list group. On the language's date side first: English "Cambodia on
    30 April 1999" (the first date after the group, before the next group); Hindi "1995 में
    वियतनाम" (a date just before the group). Then the other side; then the sentence's only date."""
    dates = sorted(ctx.of(DATE), key=lambda m: m.start)
    lead = ctx.grammar["date_lead_gap"]
    out: dict[int, str] = {}
    used: set[int] = set()

    def leading(i: int, g: list[Mention]) -> None:
        for d in dates:
            if d.start in used or d.end > g[0].start:
                continue
            if all(w in lead for w in _words(ctx.text[d.end : g[0].start])) and not any(
                d.end <= h[0].start < g[0].start for h in groups if h is not g
            ):
                out[i] = d.kb_id
                used.add(d.start)

    def following(i: int, g: list[Mention]) -> None:
        nxt = groups[i + 1][0].start if i + 1 < len(groups) else ctx.sent.end
        after = [d for d in dates if g[-1].end <= d.start < nxt and d.start not in used]
        if after:
            out[i] = after[0].kb_id
            used.add(after[0].start)

    order = (
        (following, leading) if ctx.grammar.get("date_side") == "after" else (leading, following)
    )
    for rule in order:
        for i, g in enumerate(groups):
            if i not in out:
                rule(i, g)
    if len(dates) == 1:
        for i in range(len(groups)):
            out.setdefault(i, dates[0].kb_id)
    return out


def _person_country(ctx: Ctx, p: Mention) -> Mention | None:
    """The state a person acts for: "जापान के प्रधानमंत्री शिंजो अबे", "Prime Minister Shinzo Abe
    of Japan", "Australian Prime Minister Kevin Rudd" (a head of government or minister acts for
    the state, so the state joins, leaves or founds through them)."""
    for c in ctx.of(COUNTRY):
        if c.end <= p.start:
            gap = ctx.text[c.end : p.start]
            if grammar_patterns().qualified_hi.match(gap) or (
                ctx.sent.lang == "en" and grammar_patterns().qualified_en_before.match(gap)
            ):
                return c
        elif p.end <= c.start and grammar_patterns().of_after_cue.match(ctx.text[p.end : c.start]):
            return c
    return None


def _agent_states(ctx: Ctx, cue: Cue) -> list[Mention]:
    """States acting through a person who is the agent of ``cue``: in Hindi the person marked
    by ने/द्वारा before the cue, in English the person just before the verb."""
    persons = [m for m in ctx.of(PERSON) if m.end <= cue.start]
    out = []
    for p in persons:
        if ctx.sent.lang == "hi":
            if not grammar_patterns().agent_after.match(ctx.text[p.end : p.end + 30]):
                continue
        elif any(p.end <= q.start < cue.start for q in persons if q is not p):
            continue
        c = _person_country(ctx, p)
        if c is not None:
            out.append(c)
    return out


def _founding_states(ctx: Ctx) -> list[Fact]:
    """States that found the organisation, in a sentence with a founding cue:

    - those whose leaders started it ("initiated by Prime Minister Shinzo Abe of Japan, with
      the support of ... John Howard of Australia");
    - a state as the subject of the founding verb ("Saudi Arabia formed a coalition"), when it
      opens the sentence (dates aside) before any founding verb;
    - a list introduced by its count ("foreign ministers of five countries, Indonesia, ...");
    - a list right after the agent cue ("founded ... by six states: A, B and C") or, in Hindi,
      right before it ("A, B और C ने ... स्थापना की").
    """
    if not ctx.has(*FOUNDED_CUES):
        return []
    gap = ctx.grammar["gap_words"] | {key(c.text) for c in ctx.has("founder_states")}
    found: list[list[Mention]] = []
    if _founders(ctx, ctx.subject, None):
        states = {c.kb_id: c for p in ctx.of(PERSON) if (c := _person_country(ctx, p))}
        found += [[states[kb]] for kb in sorted(states)]
    plain = [c for c in ctx.has("founded") if not ctx.has("founded:re-established")]
    nouns = ctx.has("count_noun")
    for g in _groups(ctx):
        first = not any(m.start < g[0].start and m.label != DATE for m in ctx.ments) and not any(
            c.start < g[0].start for c in ctx.has(*FOUNDED_CUES)
        )
        subject_of_verb = (
            first
            and ctx.sent.lang == "en"
            and any(
                g[-1].end <= c.start and _gap_ok(ctx, g[-1].end, c.start, ctx.grammar["gap_words"])
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
        for g in (g for g in _groups(ctx) if len(g) >= 2):
            if ctx.sent.lang == "en":
                words = (
                    _words(ctx.text[agent.end : g[0].start]) if agent.end <= g[0].start else None
                )
                # "by six states:", "by the 6 founding states:"
                near = (
                    words is not None
                    and len(words) <= 4
                    and all(w in gap or numbers.parse_number(w, "en") is not None for w in words)
                )
            else:
                words = (
                    _words(ctx.text[g[-1].end : agent.start]) if g[-1].end <= agent.start else None
                )
                near = words is not None and len(words) <= 2 and all(w in gap for w in words)
            if near:
                found.append(g)
    out = []
    for g in found:
        note = f"list of {len(g)}" if len(g) >= MIN_DERIVED_LIST else ""
        for m in g:
            out.append(
                _fact(
                    ctx,
                    ctx.subject,
                    "member",
                    object_kb_id=m.kb_id,
                    value="founding",
                    role="founding",
                    when=ctx.founded_when,
                    note=note,
                )
            )
    return out


def _members(ctx: Ctx) -> list[Fact]:
    kinds = {c.name for c in ctx.cues}
    cue = next((n for n in MEMBERSHIP_CUES if n in kinds), None)
    if cue is None:
        return _founding_states(ctx)
    cues = ctx.has(cue)
    groups = [g for g in _groups(ctx) if not _qualifier(ctx, g, cues)]
    if cue in EVENT_CUES:
        groups = _attached(ctx, groups, cues)
        if not groups:
            states = {c.kb_id: c for cu in cues for c in _agent_states(ctx, cu)}
            groups = [[c] for _, c in sorted(states.items())]
    if not groups:
        return []
    subj = _subject_for(ctx, cues[0], "membership")
    when_of = _group_dates(ctx, groups)
    examples = ctx.has("examples")
    out = []
    if cue in ("non_member", "declined", "observer"):
        role = "" if cue == "non_member" else cue
        for i, g in enumerate(groups):
            for m in g:
                out.append(
                    _fact(
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
                _fact(
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


def _count_noun_follows(ctx: Ctx, m: Mention, nouns: list[Cue]) -> bool:
    """'41 members', '54 अफ्रीकी देशों', 'nine Arab states', 'nine-country'."""
    mods = ctx.grammar["count_modifiers"]
    for n in nouns:
        if 0 <= n.start - m.end <= COUNT_NOUN_WINDOW:
            return True
        if 0 <= n.start - m.end <= 30:
            words = _words(ctx.text[m.end : n.start])
            if 0 < len(words) <= MAX_COUNT_MODIFIERS and all(
                w in mods or countries.demonym_code(w) for w in words
            ):
                return True
    return False


def _clause_head(ctx: Ctx, pos: int) -> tuple[int, int] | None:
    """The finite verb governing the token at ``pos`` (English parses only), as (parse offset,
    token index), or None.

    Adverbial and complement clauses and present participles ("spearheading a coalition of nine
    states, began ...") belong to their main verb; relative clauses and past participles ("the
    OIC, founded in 1969, has 57 members") do not.
    """
    parses = ctx.a.parses
    k = bisect.bisect_right(ctx.parse_starts, pos) - 1
    if k < 0 or not (pos < parses[k].end and parses[k].has_deps):
        return None
    p = parses[k]
    i = p.token_at(pos)
    if i is None:
        return None
    # Python ints from the arrays, one token at a time: a paragraph may be long, the walk short.
    def head(j: int) -> int:
        return int(p.ints[j, 3])

    def upos(j: int) -> int:
        return int(p.ints[j, 4])

    def dep(j: int) -> int:
        return int(p.labels[j, 0])

    def tag(j: int) -> int:
        return int(p.labels[j, 1])

    while True:
        while head(i) != i and upos(i) not in _VERBISH:
            i = head(i)
        if head(i) == i:
            return p.offset, i
        if dep(i) in _CLAUSE_DEPS and upos(head(i)) in _VERBISH:
            i = head(i)
        elif dep(i) == _ACL and tag(i) == _VBG:
            # a present participle on a noun happens at the time of the main verb:
            # "Saudi Arabia, spearheading a coalition of nine states, began ... on 25 March"
            i = head(i)
        else:
            return p.offset, i


# spaCy's ids of the POS tags, dependency labels and tag _clause_head walks by.
_VERBISH = frozenset({int(spacy_symbols.VERB), int(spacy_symbols.AUX)})
_CLAUSE_DEPS = frozenset(get_string_id(d) for d in ("advcl", "xcomp", "ccomp", "conj"))
_ACL = get_string_id("acl")
_VBG = get_string_id("VBG")


def _count_when(ctx: Ctx, m: Mention) -> str:
    dates = ctx.of(DATE)
    head = _clause_head(ctx, m.start)
    if head is not None:
        dates = [d for d in dates if _clause_head(ctx, d.start) == head]
    date = _nearest(dates, DATE, m.start)
    if date is not None:
        return date.kb_id
    if ctx.has("announcement_ref", "founding"):
        return ctx.founded_when
    return ""


def _counts(ctx: Ctx) -> list[Fact]:
    nouns = ctx.has("count_noun")
    befores = ctx.has("count_before")
    if not nouns and not befores:
        return []
    out = []
    for m in ctx.of(NUMBER):
        try:
            value = float(m.kb_id)
        except ValueError:
            continue
        if not (2 <= value <= MAX_MEMBER_COUNT) or value != int(value):
            continue
        after = ctx.text[m.end : m.end + 12].lower().lstrip()
        if after.startswith(grammar_patterns().percent_words):
            continue  # "60%", "60 percent": a share, not a count
        after_cue = any(0 <= m.start - b.end <= COUNT_BEFORE_WINDOW for b in befores)
        if not (after_cue or _count_noun_follows(ctx, m, nouns)):
            continue
        cue = Cue("count", m.start, m.end, m.text)
        out.append(
            _fact(
                ctx,
                _subject_for(ctx, cue, "founded"),
                "member_count",
                value=str(int(value)),
                when=_count_when(ctx, m),
            )
        )
    return out


def _ordinal_counts(ctx: Ctx) -> list[Fact]:
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
        if not (2 <= value <= MAX_MEMBER_COUNT) or not _count_noun_follows(ctx, m, nouns):
            continue
        date = _nearest(ctx.ments, DATE, m.start)
        out.append(
            _fact(
                ctx,
                ctx.subject,
                "member_count",
                value=str(value),
                when=date.kb_id if date else "",
                derived=True,
                note=f"derived: member number {value} to join",
            )
        )
    return out


def _leaders(ctx: Ctx) -> list[Fact]:
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
    date = _nearest(ctx.ments, DATE, best.start)
    return [
        _fact(
            ctx,
            _subject_for(ctx, best, "founded"),
            "leader",
            object_kb_id=person.kb_id,
            value=person.kb_id,
            role=role,
            when=date.kb_id if date else "",
        )
    ]


def _headquarters(ctx: Ctx) -> list[Fact]:
    cues = ctx.has("headquarters")
    if not cues:
        return []
    place = _nearest(ctx.ments, LOC, cues[0].start)
    if place is None:
        return []
    return [
        _fact(
            ctx,
            _subject_for(ctx, cues[0], "founded"),
            "headquarters",
            object_kb_id=place.kb_id,
            value=place.kb_id,
        )
    ]


def _derived_counts(facts: list[Fact], founded_when: str) -> list[Fact]:
    """A listed set of members yields a count: the number of distinct countries in the list.

    A founding list followed by dated joins also yields the count after each join ("32 founding
    members; Afghanistan and Oman joined in 2016" → 34 in 2016), unless the document also reports
    departures, which would make the running total a guess. Facts are indexed once, so the cost
    stays linear in the number of facts.
    """
    by_sentence: dict[tuple[int, str, str], list[Fact]] = {}
    stated: set[tuple[int, str]] = set()
    departed: set[str] = set()
    joins_of: dict[str, dict[str, Fact]] = {}
    for f in facts:
        if f.predicate == "member" and f.note.startswith("list of") and f.role in ("", "founding"):
            by_sentence.setdefault((f.start, f.role, f.subject), []).append(f)
        elif f.predicate == "member_count" and not f.derived:
            stated.add((f.start, f.value))
        elif f.predicate == "member" and f.role in DEPARTURE_ROLES:
            departed.add(f.subject)
        elif f.predicate == "member" and f.role == "joined" and f.when:
            joins_of.setdefault(f.subject, {}).setdefault(f.object_kb_id, f)
    out = []
    for (_start, role, subj), members in sorted(by_sentence.items()):
        listed = sorted({f.object_kb_id for f in members})
        n = len(listed)
        f = members[0]
        if n < MIN_DERIVED_LIST or (f.start, str(n)) in stated:
            continue  # too short, or the sentence states the count itself ("by six states: ...")
        when = (f.when or founded_when) if role == "founding" else f.when
        note = f"derived: {n} {role or 'listed'} members counted ({', '.join(listed)})"
        out.append(
            replace(
                f,
                predicate="member_count",
                object_kb_id="",
                value=str(n),
                when=when,
                role="",
                derived=True,
                note=note,
            )
        )
        if role != "founding" or subj in departed:
            continue
        joins = {k: x for k, x in joins_of.get(subj, {}).items() if k not in listed}
        for jwhen in sorted({x.when for x in joins.values()}):
            upto = sorted(k for k, x in joins.items() if x.when <= jwhen)
            last = next(x for x in joins.values() if x.when == jwhen)
            note = f"derived: {n} founding members plus {', '.join(upto)} joined by {jwhen}"
            out.append(
                replace(
                    last,
                    predicate="member_count",
                    object_kb_id="",
                    value=str(n + len(upto)),
                    when=jwhen,
                    role="",
                    derived=True,
                    note=note,
                )
            )
    return out


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per claim within a document; a dated duplicate replaces an undated one."""
    seen: dict[tuple[str, ...], int] = {}
    out: list[Fact] = []
    for f in facts:
        k = (
            f.subject,
            f.predicate,
            f.object_kb_id,
            f.value if f.predicate != "leader" else "",
            f.role,
            str(f.derived),
        )
        if f.predicate in ("member_count", "founded"):
            k = (*k, f.when)
        if k in seen:
            i = seen[k]
            if not out[i].when and f.when:
                out[i] = f
            continue
        seen[k] = len(out)
        out.append(f)
    return out

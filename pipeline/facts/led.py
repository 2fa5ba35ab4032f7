"""Coalitions named after the state that leads them ("the Saudi-led coalition").

Many coalitions in the news have no proper name: the articles call them by their leader, in
either language ("Saudi-led coalition", "a coalition led by France", "X formed a coalition",
"सऊदी नीत गठबंधन", "अमेरिका के नेतृत्व वाला गठबंधन"). Each such construction in a document is a vote
for "<State>-led <noun>"; ``facts/subject.descriptive_subject`` counts the votes with the other
descriptions. The constructions are read from the grammar data (``led_markers``, ``lead_lemmas``)
and, in a language with a parser, from the dependency parse, so no wording is listed.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.strings import get_string_id

from pipeline.core.config import DEFAULT, NAME_LANGUAGE, FactLimits
from pipeline.core.data import dashes
from pipeline.core.records import COUNTRY, ORG, Fact, Mention, Parse
from pipeline.core.schema import Role
from pipeline.facts.context import Ctx, make_fact
from pipeline.ner.base import Annotated
from pipeline.ner.cues import load_raw_grammar
from pipeline.normalize.countries import english_adjective
from pipeline.normalize.devanagari import fold
from pipeline.normalize.orgs import head_words, translate_words
from pipeline.normalize.script import written_in_devanagari

_ACL = get_string_id("acl")
_AGENT = get_string_id("agent")
_POBJ = get_string_id("pobj")
_DOBJ = get_string_id("dobj")
_NSUBJ = frozenset(get_string_id(d) for d in ("nsubj", "nsubjpass"))
_NSUBJPASS = frozenset({get_string_id("nsubjpass")})
_NOUN_MODIFIERS = frozenset(get_string_id(d) for d in ("acl", "relcl"))
_ADVCL = get_string_id("advcl")


def _key(lang: str, word: str) -> str:
    return fold(word) if written_in_devanagari(lang) else word.lower()


@lru_cache(maxsize=4)
def _nouns(lang: str) -> frozenset[str]:
    """The one-word organisation nouns of a language (coalition, alliance, गठबंधन ...)."""
    return frozenset(h[0] for h in head_words(lang) if len(h) == 1)


@lru_cache(maxsize=4)
def _marker_pattern(lang: str, between: int) -> re.Pattern[str] | None:
    """A state's end, a leader marker, then up to ``between`` words (an adjective:
    "multinational", "सैन्य") and a word."""
    markers = load_raw_grammar(lang).get("led_markers") or []
    if not markers:
        return None
    alts = "|".join(r"\s+".join(re.escape(w) for w in m.split())
                    for m in sorted(markers, key=len, reverse=True))
    return re.compile(rf"\s*(?:{alts})((?:\s+\S+){{1,{between + 1}}})")


@lru_cache(maxsize=8)
def _lemma_ids(lang: str, name: str) -> frozenset[int]:
    return frozenset(get_string_id(w) for w in load_raw_grammar(lang).get(name) or [])


@dataclass(frozen=True)
class Led:
    """One construction: the state, the coalition noun (folded) and where it stands, and
    whether it says the state leads (not only that it formed the coalition)."""

    state: Mention
    noun: str
    noun_start: int
    leads: bool


def _surface(a: Annotated, states: list[Mention], limits: FactLimits) -> Iterable[Led]:
    """"<state> <marker> [adjective] <noun>": "Saudi-led coalition", "सऊदी नीत गठबंधन"."""
    lang = a.doc.lang
    pattern = _marker_pattern(lang, limits.max_words_before_noun)
    if pattern is None:
        return
    nouns = _nouns(lang)
    for m in states:
        found = pattern.match(a.doc.text, m.end, m.end + 80)
        if found is None:
            continue
        pos = found.start(1)
        for w in found.group(1).split():
            pos = a.doc.text.index(w, pos)
            if _key(lang, w.strip(".,;:!?।")) in nouns:
                yield Led(m, _key(lang, w.strip(".,;:!?।")), pos, True)
                break


def _parsed(a: Annotated, p: Parse, state_at: dict[int, Mention]) -> Iterable[Led]:
    """From the parse: "N (was) led by <state>", "<state> led/formed/spearheads N"."""
    lang, text = a.doc.lang, a.doc.text
    nouns = _nouns(lang)
    leads, forms = _lemma_ids(lang, "lead_lemmas"), _lemma_ids(lang, "former_lemmas")
    if not (leads or forms) or not p.has_deps:
        return

    def state(i: int) -> Mention | None:
        return state_at.get(p.start_of(i))

    def agents_of(v: int) -> Iterable[Mention]:
        for ag in p.children(v):
            if p.dep(ag) == _AGENT:
                for ob in p.children(ag):
                    if p.dep(ob) == _POBJ and (s := state(ob)):
                        yield s

    for i in range(len(p)):
        noun = _key(lang, text[p.start_of(i) : p.end_of(i)])
        if noun not in nouns:
            continue
        for v in p.children(i):  # "a coalition led by Saudi Arabia"
            if p.dep(v) == _ACL and p.lemma(v) in leads:
                for s in agents_of(v):
                    yield Led(s, noun, p.start_of(i), True)
        v = p.head(i)
        if p.dep(i) in _NSUBJPASS and p.lemma(v) in leads:  # "the coalition was led by X"
            for s in agents_of(v):
                yield Led(s, noun, p.start_of(i), True)
        if p.dep(i) == _DOBJ and p.lemma(v) in leads | forms:  # "Saudi Arabia formed a coalition"
            agents = [c for c in p.children(v) if p.dep(c) in _NSUBJ]
            if not agents and p.dep(v) in _NOUN_MODIFIERS:
                agents = [p.head(v)]  # "Saudi Arabia, spearheading a coalition of ..."
            elif not agents and p.dep(v) == _ADVCL:  # "Heading a coalition, Kenya sent ..."
                agents = [c for c in p.children(p.head(v)) if p.dep(c) in _NSUBJ]
            for ag in agents:
                if who := state(ag):
                    yield Led(who, noun, p.start_of(i), p.lemma(v) in leads)


def constructions(a: Annotated, start: int = 0, end: int | None = None,
                  limits: FactLimits = DEFAULT.facts) -> list[Led]:
    """Every leader construction of a document (or of its stretch ``start:end``)."""
    stop = len(a.doc.text) if end is None else end
    states = [m for m in a.mentions if m.label == COUNTRY and m.kb_id
              and start <= m.start and m.end <= stop]
    state_at: dict[int, Mention] = {}
    starts = sorted(m.start for m in states)
    by_start = {m.start: m for m in states}
    out = list(_surface(a, states, limits))
    for p in a.parses:
        if p.end <= start or p.offset >= stop:
            continue
        for i in range(len(p)):
            pos = p.start_of(i)
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos < by_start[starts[k]].end:
                state_at[pos] = by_start[starts[k]]
        out.extend(x for x in _parsed(a, p, state_at) if start <= x.noun_start < stop)
    return out


def leader_member_facts(ctx: Ctx, led: list[Led], named: bool) -> list[Fact]:
    """The state that leads the coalition is its member, with the role ``leader`` ("The
    coalition was led by the United States", "सऊदी नीत गठबंधन"). Only for the run's subject:
    its own name when the document names it (``named``), else a bare coalition noun (an
    unnamed coalition is what the text's coalition nouns are about); never a noun inside
    another organisation's name. ``led``: the document's constructions (``constructions``,
    found once per document), sorted by where their noun stands."""
    orgs = [m for m in ctx.ments if m.label == ORG]
    lo = bisect.bisect_left(led, ctx.sent.start, key=lambda x: x.noun_start)
    hi = bisect.bisect_left(led, ctx.sent.end, key=lambda x: x.noun_start)
    out = []
    for x in led[lo:hi]:
        if not x.leads:
            continue
        # an organisation phrase made of the construction itself ("नीत गठबंधन") names nothing
        inside = [m for m in orgs if m.start <= x.noun_start < m.end
                  and not x.state.start <= m.start]
        if (inside and inside[0].kb_id != ctx.subject) or (named and not inside):
            continue
        out.append(make_fact(ctx, ctx.subject, "member", object_kb_id=x.state.kb_id,
                             value=x.state.kb_id, role=Role.LEADER))
    return out


def led_votes(annotated: list[Annotated], limits: FactLimits = DEFAULT.facts) -> Counter[str]:
    """How often the run's documents describe each "<State>-led <noun>" (the noun in English:
    as an English text writes it, else the lexicon's equivalent)."""
    votes: list[tuple[str, str, str]] = []  # (state, noun, lang)
    written: defaultdict[str, Counter[str]] = defaultdict(Counter)  # "Peru-led" as written
    for a in annotated:
        for x in constructions(a, limits=limits):
            votes.append((x.state.kb_id, x.noun, a.doc.lang))
            after = a.doc.text[x.state.end : x.state.end + 1]
            if a.doc.lang == NAME_LANGUAGE and x.leads and after and after in dashes():
                written[x.state.kb_id][x.state.text] += 1  # "Peru-led" as written
    english: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for s, n, lang in votes:
        if lang == NAME_LANGUAGE:
            english[s][n] += 1
    out: Counter[str] = Counter()
    for s, n, _ in votes:
        if english[s]:
            noun = english[s].most_common(1)[0][0]
        else:
            noun = next((t[-1] for t in translate_words(n) if t),
                        str(load_raw_grammar(NAME_LANGUAGE).get("description_noun", n)))
        name = written[s].most_common(1)[0][0] if written[s] else english_adjective(s)
        out[f"{name}-led {noun}"] += 1
    return out

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
from functools import lru_cache

from spacy.strings import get_string_id

from pipeline.core.records import COUNTRY, Mention, Parse
from pipeline.ner.base import Annotated
from pipeline.ner.cues import load_raw_grammar
from pipeline.normalize.countries import english_adjective
from pipeline.normalize.devanagari import fold
from pipeline.normalize.orgs import head_words, translate_words

# Words (an adjective: "multinational", "सैन्य") that may stand between the marker and the noun.
MAX_WORDS_BEFORE_NOUN = 1
# The noun an English description uses when only another language's text names the coalition
# and the lexicon has no equivalent.
DEFAULT_NOUN = "coalition"
# The language of the names the pipeline gives (kb_ids and canonical names are English).
NAME_LANG = "en"

_ACL = get_string_id("acl")
_AGENT = get_string_id("agent")
_POBJ = get_string_id("pobj")
_DOBJ = get_string_id("dobj")
_NSUBJ = frozenset(get_string_id(d) for d in ("nsubj", "nsubjpass"))
_NOUN_MODIFIERS = frozenset(get_string_id(d) for d in ("acl", "relcl"))
_ADVCL = get_string_id("advcl")


def _key(lang: str, word: str) -> str:
    return fold(word) if lang == "hi" else word.lower()


@lru_cache(maxsize=4)
def _nouns(lang: str) -> frozenset[str]:
    """The one-word organisation nouns of a language (coalition, alliance, गठबंधन ...)."""
    return frozenset(h[0] for h in head_words(lang) if len(h) == 1)


@lru_cache(maxsize=4)
def _marker_pattern(lang: str) -> re.Pattern[str] | None:
    """A state's end, a leader marker, then up to MAX_WORDS_BEFORE_NOUN words and a word."""
    markers = load_raw_grammar(lang).get("led_markers") or []
    if not markers:
        return None
    alts = "|".join(r"\s+".join(re.escape(w) for w in m.split())
                    for m in sorted(markers, key=len, reverse=True))
    return re.compile(rf"\s*(?:{alts})((?:\s+\S+){{1,{MAX_WORDS_BEFORE_NOUN + 1}}})")


@lru_cache(maxsize=4)
def _lead_ids(lang: str) -> frozenset[int]:
    return frozenset(get_string_id(w) for w in load_raw_grammar(lang).get("lead_lemmas") or [])


def _surface_votes(a: Annotated, states: list[Mention]) -> Iterable[tuple[str, str, str]]:
    """(state, noun, the state as written) for "<state> <marker> [adjective] <noun>"."""
    lang = a.doc.lang
    pattern = _marker_pattern(lang)
    if pattern is None:
        return
    nouns = _nouns(lang)
    for m in states:
        found = pattern.match(a.doc.text, m.end, m.end + 80)
        if found is None:
            continue
        for w in found.group(1).split():
            if _key(lang, w.strip(".,;:!?।")) in nouns:
                yield m.kb_id, _key(lang, w.strip(".,;:!?।")), m.text
                break


def _parse_votes(a: Annotated, p: Parse, state_at: dict[int, str]) -> Iterable[tuple[str, str]]:
    """(state, noun) from the parse: "N led by <state>", "<state> formed/spearheads N"."""
    lang, text = a.doc.lang, a.doc.text
    nouns, leads = _nouns(lang), _lead_ids(lang)
    if not leads or not p.has_deps:
        return

    def state(i: int) -> str | None:
        return state_at.get(p.start_of(i))

    for i in range(len(p)):
        noun = _key(lang, text[p.start_of(i) : p.end_of(i)])
        if noun not in nouns:
            continue
        for v in p.children(i):  # "a coalition led by Saudi Arabia"
            if p.dep(v) == _ACL and p.lemma(v) in leads:
                for ag in p.children(v):
                    if p.dep(ag) == _AGENT:
                        for ob in p.children(ag):
                            if p.dep(ob) == _POBJ and (s := state(ob)):
                                yield s, noun
        v = p.head(i)
        if p.dep(i) == _DOBJ and p.lemma(v) in leads:  # "Saudi Arabia formed a coalition"
            agents = [c for c in p.children(v) if p.dep(c) in _NSUBJ]
            if not agents and p.dep(v) in _NOUN_MODIFIERS:
                agents = [p.head(v)]  # "Saudi Arabia, spearheading a coalition of ..."
            elif not agents and p.dep(v) == _ADVCL:  # "Heading a coalition, Kenya sent ..."
                agents = [c for c in p.children(p.head(v)) if p.dep(c) in _NSUBJ]
            for ag in agents:
                if s := state(ag):
                    yield s, noun


def led_votes(annotated: list[Annotated]) -> Counter[str]:
    """How often the run's documents describe each "<State>-led <noun>" (the noun in English:
    as an English text writes it, else the lexicon's equivalent)."""
    votes: list[tuple[str, str, str]] = []  # (state, noun, lang)
    written: defaultdict[str, Counter[str]] = defaultdict(Counter)  # "Peru-led" as written
    for a in annotated:
        states = [m for m in a.mentions if m.label == COUNTRY and m.kb_id]
        state_at: dict[int, str] = {}
        starts = sorted(m.start for m in states)
        by_start = {m.start: m for m in states}
        for p in a.parses:
            for i in range(len(p)):
                pos = p.start_of(i)
                k = bisect.bisect_right(starts, pos) - 1
                if k >= 0 and pos < by_start[starts[k]].end:
                    state_at[pos] = by_start[starts[k]].kb_id
        found = []
        for s, n, as_written in _surface_votes(a, states):
            found.append((s, n))
            if a.doc.lang == NAME_LANG:
                written[s][as_written] += 1
        for p in a.parses:
            found.extend(_parse_votes(a, p, state_at))
        votes.extend((s, n, a.doc.lang) for s, n in found)
    english: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for s, n, lang in votes:
        if lang == NAME_LANG:
            english[s][n] += 1
    out: Counter[str] = Counter()
    for s, n, _ in votes:
        if english[s]:
            noun = english[s].most_common(1)[0][0]
        else:
            noun = next((t[-1] for t in translate_words(n) if t), DEFAULT_NOUN)
        name = written[s].most_common(1)[0][0] if written[s] else english_adjective(s)
        out[f"{name}-led {noun}"] += 1
    return out

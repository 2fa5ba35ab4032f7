"""The mood of the clause a cue stands in: negated, prospective (future, intent, application)
and its tense. A negated membership gives a non-member; a prospective one an applicant, never a
member; the tense tells an undated present-tense statement (which holds at the article's date)
from a past one.

English is read from the dependency parse (the cue's verb, its negation and auxiliary children,
the verbs and nouns governing it); Hindi, which has no parser here, from the few words after the
cue. The words are data: the ``grammar`` sections of ``data/<lang>/fact_patterns.yaml``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from spacy.strings import get_string_id

from pipeline.core.data import clause_marks, gloss_brackets, list_introducers
from pipeline.core.records import Parse
from pipeline.core.schema import Tense
from pipeline.facts.context import VERBISH, Ctx, word_keys
from pipeline.ner.cues import key, load_grammar


@dataclass(frozen=True)
class Mood:
    negated: bool = False
    prospective: bool = False  # future, intent or application: not (yet) so
    intent: bool = False  # intent or application ("applied to join", "requested observer status")
    tense: str = Tense.UNKNOWN
    # False for a verb that only modifies a noun ("शामिल होने के शुरुआती सदस्य": the initial
    # members to join), which is not the clause's statement.
    finite: bool = True


@lru_cache(maxsize=4)
def _words(lang: str) -> dict[str, frozenset[str]]:
    g = load_grammar(lang)
    names = ("negation_words", "future_auxiliaries", "prospective_auxiliaries", "intent_lemmas",
             "present_tags", "past_tags", "future_suffixes", "intent_words",
             "present_auxiliaries", "past_auxiliaries", "event_prepositions", "decision_lemmas",
             "inflection_suffixes")
    return {n: frozenset(str(w) for w in g.get(n, []) or []) for n in names}


@lru_cache(maxsize=4)
def _ids(lang: str) -> dict[str, frozenset[int]]:
    """The same words as spaCy string ids, to compare with a Parse's lemma and tag columns."""
    return {n: frozenset(get_string_id(w) for w in ws) for n, ws in _words(lang).items()}


_NEG = get_string_id("neg")
_APPOS = get_string_id("appos")
_CONJ = get_string_id("conj")
_SUBJECTS = frozenset(get_string_id(d) for d in ("nsubj", "nsubjpass"))
_SUBJECT_MARKS = frozenset(get_string_id(d) for d in ("det", "preconj", "cc"))
_AUX = frozenset(get_string_id(d) for d in ("aux", "auxpass"))
_AUXPASS = get_string_id("auxpass")
_VBN = get_string_id("VBN")
_PREP = get_string_id("prep")
_PCOMP = get_string_id("pcomp")
_COMPLEMENT_DEPS = frozenset(get_string_id(d) for d in (
    "xcomp", "pcomp", "pobj", "prep", "dobj", "ccomp", "advcl", "acl"))
_MODIFIER_DEPS = frozenset(get_string_id(d) for d in ("acl", "amod", "compound", "pcomp"))
_NONFINITE_TAGS = frozenset(get_string_id(t) for t in ("VBG", "VBN", "VB"))


def parse_at(ctx: Ctx, pos: int) -> tuple[Parse, int] | None:
    """The parse and token index at document offset ``pos``, or None."""
    parses = ctx.a.parses
    k = bisect.bisect_right(ctx.parse_starts, pos) - 1
    if k < 0 or not pos < parses[k].end:
        return None
    i = parses[k].token_at(pos)
    return None if i is None else (parses[k], i)


def _predicate_of_verbless(p: Parse, i: int) -> bool:
    """A participle on the root of a sentence the parser left without a verb ("Ecuador, a
    founding member, left in 2020": root Ecuador, "left" its modifier) is the sentence's verb:
    a past form read as a participle for want of another predicate."""
    root = p.head(i)
    return (p.head(root) == root and p.pos(root) not in VERBISH
            and p.tag(i) == _VBN and p.start_of(i) > p.start_of(root))


def mood_at(ctx: Ctx, start: int, end: int) -> Mood:
    """The mood of the clause of the cue (or number, or title) at ``start:end``."""
    # a cue that opens with punctuation (", a member of ...") is read from its first word
    opening = " " + clause_marks() + list_introducers() + gloss_brackets()
    lead = len(ctx.text[start:end]) - len(ctx.text[start:end].lstrip(opening))
    found = parse_at(ctx, start + lead if start + lead < end else start)
    if found is not None and found[0].has_deps:
        return _parsed_mood(ctx, *found)
    return _window_mood(ctx, start, end)


def _parsed_mood(ctx: Ctx, p: Parse, i: int) -> Mood:
    lang = ctx.sent.lang
    words, ids = _words(lang), _ids(lang)
    v = i
    for _ in range(ctx.limits.max_governor_steps + 2):
        if p.pos(v) in VERBISH or p.head(v) == v:
            break
        if p.dep(v) == _APPOS:
            break  # "Romania, a member of NATO, has applied to join": the appositive's own
        v = p.head(v)

    def text(j: int) -> str:
        return ctx.text[p.start_of(j) : p.end_of(j)].lower()

    if p.dep(v) == _APPOS and p.pos(v) not in VERBISH:
        # an appositive noun states what its noun is, now, whatever the main verb says
        own = set(p.children(v)) | set(p.children(i))
        return Mood(negated=any(p.dep(j) == _NEG or text(j) in words["negation_words"]
                                for j in own),
                    prospective=False, tense=Tense.PRESENT, finite=True, intent=False)
    kids = sorted(set(p.children(v)) | set(p.children(i)))

    negated = any(p.dep(j) == _NEG or text(j) in words["negation_words"] for j in kids)
    # a negated subject ("Neither A nor B is a member", "No state has joined")
    negated = negated or any(
        text(k) in words["negation_words"] and p.dep(k) in _SUBJECT_MARKS
        for j in kids if p.dep(j) in _SUBJECTS for k in p.children(j))
    auxes = [j for j in kids if p.dep(j) in _AUX]
    future = any(text(j) in words["future_auxiliaries"] for j in auxes)
    prospective = future or any(text(j) in words["prospective_auxiliaries"] for j in auxes)
    # an intent noun as the verb's own argument ("requests to be granted observer status")
    intent = any(p.lemma(j) in ids["intent_lemmas"] for j in kids
                 if p.dep(j) in _ARGUMENT_DEPS)
    prospective = prospective or intent
    # Governors through complements only ("plans to join", "the possibility of joining"), not
    # from a subject to its verb ("the alliance, consisting of A and B, is set to expand").
    suffixes = sorted(words["inflection_suffixes"], key=len, reverse=True)

    def intent_word(j: int) -> bool:
        """An intent lemma by the parse, or by the word without a regular ending (a small
        model's lemma can be wrong: "hopes" -> "hop")."""
        w = text(j)
        stems = {w[: -len(x)] for x in suffixes if w.endswith(x) and len(w) > len(x) + 2}
        return p.lemma(j) in ids["intent_lemmas"] or bool(
            ({w} | stems | {s + "e" for s in stems}) & words["intent_lemmas"])

    g = v
    for _ in range(ctx.limits.max_governor_steps):
        if intent_word(g) or p.lemma(i) in ids["intent_lemmas"]:
            prospective = intent = True
            break
        if p.lemma(g) in ids["decision_lemmas"]:
            prospective = True  # "agreed to admit X": decided, not yet done
            break
        if p.head(g) == g or p.dep(g) not in _COMPLEMENT_DEPS:
            break
        g = p.head(g)
    tags = [p.tag(j) for j in auxes] + [p.tag(v)]
    # a present passive states a present state ("is headquartered in", "is made up of")
    passive_now = any(p.dep(j) == _AUXPASS and p.tag(j) in ids["present_tags"] for j in auxes)
    if future:
        tense = Tense.FUTURE
    elif any(t in ids["present_tags"] for t in tags) and not (
        p.tag(v) == _VBN and any(t in ids["past_tags"] for t in tags)
    ):
        # "is a member", "has 57 members"; "has joined" reports a past event
        tense = Tense.PAST if p.tag(v) == _VBN and not passive_now else Tense.PRESENT
    elif any(t in ids["past_tags"] for t in tags) or p.tag(v) == _VBN:
        tense = Tense.PAST
    else:
        tense = Tense.UNKNOWN
    # a gerund after a preposition of time happened ("after leaving in 1966")
    event_gerund = p.dep(i) == _PCOMP and p.lemma(p.head(i)) in ids["event_prepositions"]
    nonfinite = (p.dep(i) in _MODIFIER_DEPS and p.tag(i) in _NONFINITE_TAGS
                 and not _predicate_of_verbless(p, i) and not event_gerund)
    return Mood(negated=negated, prospective=prospective, tense=tense, finite=not nonfinite,
                intent=intent)


def _window_mood(ctx: Ctx, start: int, end: int) -> Mood:
    """Hindi (and any unparsed text): the words after the cue, to the sentence's end."""
    lang = ctx.sent.lang
    words = _words(lang)
    g = load_grammar(lang)
    n = int(g.get("mood_window", 4) or 4)
    after = word_keys(ctx.text[end : ctx.sent.end])[:n]
    before = word_keys(ctx.text[ctx.sent.start : start])[-2:]
    folded = {k: frozenset(key(w) for w in ws) for k, ws in words.items()}
    negated = any(w in folded["negation_words"] for w in [*before, *after])
    # "न तो नॉर्वे और न ही स्विट्ज़रलैंड इसका सदस्य है": neither ... nor, before the subjects
    ahead = " ".join(word_keys(ctx.text[ctx.sent.start : start]))
    negated = negated or any(f" {' '.join(word_keys(p))} " in f" {ahead} "
                             for p in g.get("correlative_negation", []) or [])
    suffixes = tuple(key(s) for s in words["future_suffixes"])
    # the cue's own last word may carry the future ("शामिल होगा")
    own = word_keys(ctx.text[start:end])[-1:]
    future = bool(suffixes) and any(len(w) > 3 and w.endswith(suffixes) for w in [*own, *after])
    near = [*word_keys(ctx.text[ctx.sent.start : start])[-n:], *word_keys(ctx.text[start:end]),
            *after]
    intent = any(w in folded["intent_words"] for w in near)
    modal = any(w in folded["prospective_auxiliaries"] for w in after)
    prospective = future or intent or modal
    tense = Tense.UNKNOWN
    if future:
        tense = Tense.FUTURE
    else:
        for w in after:
            if w in folded["present_auxiliaries"]:
                tense = Tense.PRESENT
                break
            if w in folded["past_auxiliaries"]:
                tense = Tense.PAST
                break
    # an oblique infinitive ("शामिल होने के", "सदस्य बनने की") is a verbal noun; a light verb
    # after the cue ("प्रदान की गई") is finite, though की is also a genitive
    cue_words = word_keys(ctx.text[start:end])
    infinitive = tuple(key(w) for w in g.get("oblique_infinitive_endings", []) or [])
    # a stem of at least two letters before the ending: बनने, होने, देने are infinitives, the
    # past बने is not
    last = cue_words[-1] if cue_words else ""
    agentive = {key(w) for w in g.get("agentive_participle_words", []) or []}
    transitive = {key(w) for w in g.get("transitive_infinitives", []) or []}
    nonfinite = (any(last.endswith(e) and len(last) - len(e) >= 2 for e in infinitive)
                 and not (after[:1] and after[0] in agentive and last not in transitive))
    return Mood(negated=negated, prospective=prospective, tense=tense, finite=not nonfinite,
                intent=intent)


# How a name stands to its verb: as its subject or object (through prepositions and the words
# of a name or a list: "the Philippines", "Peru, Chile and Ecuador").
_ARGUMENT_DEPS = frozenset(get_string_id(d) for d in (
    "nsubj", "nsubjpass", "dobj", "pobj", "attr", "agent"))
_INSIDE_DEPS = frozenset(get_string_id(d) for d in (
    "compound", "conj", "cc", "appos", "det", "amod", "prep", "punct", "poss"))
_CHAIN_DEPS = frozenset(get_string_id(d) for d in ("xcomp", "conj"))
_MODIFIER_OF_NOUN = frozenset(get_string_id(d) for d in ("compound", "amod", "nmod", "npadvmod"))


def argument_of(ctx: Ctx, name_start: int, cue_start: int, name_end: int | None = None
                ) -> bool | None:
    """Whether the name at ``name_start`` is an argument (subject or object) of the verb of the
    cue at ``cue_start``, or of a verb whose complement that verb is ("Georgia applied to
    join", "Ukraine will join", "the admission of Myanmar"). None without a parse."""
    # the name's last token: the head of a name of several words
    found = parse_at(ctx, (name_end or name_start + 1) - 1)
    cue = parse_at(ctx, cue_start)
    if found is None or cue is None or found[0] is not cue[0] or not found[0].has_deps:
        return None
    p, i = found
    if p.dep(cue[1]) == _RELCL and p.head(cue[1]) == i:
        return True  # "Bolivia, which had joined in 1999, ...": the relative's antecedent
    if p.head(cue[1]) == i and _predicate_of_verbless(p, cue[1]):
        return True  # "Ecuador, a founding member, left in 2020": the parse made it verbless
    if p.dep(i) in _MODIFIER_OF_NOUN and p.head(i) != cue[1]:
        return False  # "the Bangladesh Liberation War": a name that modifies another noun
    v = cue[1]
    # the cue's verb, from a noun cue ("admission of")
    for _ in range(ctx.limits.max_governor_steps):
        if p.pos(v) in VERBISH or p.head(v) == v:
            break
        v = p.head(v)
    verbs = {v, cue[1]}
    g = v
    for _ in range(ctx.limits.max_governor_steps):
        if p.head(g) == g or p.dep(g) not in _CHAIN_DEPS:
            break
        if p.dep(g) == _CONJ and any(p.dep(k) in _SUBJECTS for k in p.children(g)):
            break  # a coordinated clause with its own subject ("X followed in 2014, and Y
            # joined in 2019") borrows none from the clause before
        g = p.head(g)
        verbs.add(g)
    j = i
    for _ in range(2 * ctx.limits.max_governor_steps):
        if p.head(j) == j:
            return j in verbs
        if p.dep(j) in _ARGUMENT_DEPS and (p.head(j) in verbs or (
                p.dep(p.head(j)) == _PREP and p.head(p.head(j)) in verbs)):
            return True
        if p.dep(j) in _ARGUMENT_DEPS and p.head(j) == cue[1]:
            return True  # "the admission of Myanmar": an argument of the cue noun
        if p.dep(j) not in _INSIDE_DEPS and p.dep(j) not in _ARGUMENT_DEPS:
            return False
        j = p.head(j)
    return False


_NSUBJ = get_string_id("nsubj")
_SUBJECT_INSIDE = frozenset(get_string_id(d) for d in ("conj", "appos", "compound"))
_CCOMP = get_string_id("ccomp")


def subject_of(ctx: Ctx, name_start: int, name_end: int, cue_start: int) -> bool | None:
    """Whether the name is the active subject of the cue's verb, also as a later item of a
    coordinated subject ("X and Y founded"); a name in a prepositional phrase ("in the presence
    of X") or in another clause is not. None without a parse."""
    found = parse_at(ctx, name_end - 1)
    cue = parse_at(ctx, cue_start)
    if found is None or cue is None or found[0] is not cue[0] or not found[0].has_deps:
        return None
    p, i = found
    while p.dep(i) in _SUBJECT_INSIDE and p.head(i) != i:
        i = p.head(i)  # "Presidents X and Y": Y conj of X, X in apposition to the title
    return p.dep(i) == _NSUBJ and p.head(i) == cue[1]


def reports_clause(ctx: Ctx, cue_start: int) -> bool:
    """Whether the cue's verb reports a clause ("announced that Uruguay had joined"): what is
    announced is that clause's event, not the organisation."""
    found = parse_at(ctx, cue_start)
    if found is None or not found[0].has_deps:
        return False
    p, v = found
    return any(p.dep(j) == _CCOMP for j in p.children(v))


def object_lemmas(ctx: Ctx, cue_start: int) -> list[tuple[int, int]] | None:
    """(lemma id, document offset) of the direct objects of the cue's verb ("withdrew
    financial support": support), or None without a parse."""
    found = parse_at(ctx, cue_start)
    if found is None or not found[0].has_deps:
        return None
    p, v = found
    return [(p.lemma(j), p.start_of(j)) for j in p.children(v) if p.dep(j) == _DOBJ]


_DOBJ = get_string_id("dobj")
_RELCL = get_string_id("relcl")
_NUMMOD = get_string_id("nummod")
_NUMBER_PARTS = frozenset(get_string_id(d) for d in ("compound", "quantmod"))


def number_head(ctx: Ctx, pos: int) -> int | None:
    """Document offset of the noun a number counts (its ``nummod`` head), or None without a
    parse or when the number counts nothing."""
    found = parse_at(ctx, pos)
    if found is None or not found[0].has_deps:
        return None
    p, i = found
    while p.dep(i) in _NUMBER_PARTS and p.head(i) != i:
        i = p.head(i)  # "twenty - one": the number's own words
    if p.dep(i) != _NUMMOD:
        return None
    return p.start_of(p.head(i))

"""Which organisation a run, each document, and each cue is about.

The subject is decided from the text (issue 14): every organisation of a document scores for its
mentions, for standing in the title or the first sentence, and for standing where the language
puts the organisation a founding, membership, count or leadership cue is about. Generic bodies
(the UN, its agencies, conventions: ``orgs.is_generic``) are the subject only when nothing else
scores. ``document_subject`` is a pure function of one annotated document (issue 16 splits a
corpus by it); ``decide_subject`` combines the documents of a run and says how sure it is.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from pipeline.core.config import (
    DEFAULT,
    FactLimits,
)
from pipeline.core.data import clause_marks
from pipeline.core.records import ORG, Cue, Mention
from pipeline.facts.context import (
    FOUNDED_CUES,
    GLOSS,
    MEMBERSHIP_CUES,
    WORD,
    Ctx,
    grammar_patterns,
    known_org,
    list_orgs,
    word_keys,
)
from pipeline.facts.led import led_votes
from pipeline.ner.base import Annotated
from pipeline.ner.cues import key, load_grammar, load_raw_grammar
from pipeline.normalize.devanagari import fold
from pipeline.normalize.orgs import head_words, is_generic


@dataclass(frozen=True)
class SubjectChoice:
    """The organisation a document (or run) is about, how sure that is (0-1), whether it is a
    generic body chosen for want of another, and every candidate's score."""

    kb_id: str = ""
    confidence: float = 0.0
    generic: bool = False
    scores: dict[str, float] = field(default_factory=dict)
    # whether the text names it as an organisation (listed, found by its organisation words,
    # or an acronym), not only as a model's guess ("the White House")
    named: bool = True


@dataclass(frozen=True)
class RunSubject:
    """The run's subject and each document's (doc_id -> SubjectChoice)."""

    kb_id: str
    confidence: float
    documents: dict[str, SubjectChoice]
    given: bool = False  # named by the user (--subject, --alias, aliases.yaml)
    generic: bool = False  # a generic body, chosen for want of another
    mixed_share: float = DEFAULT.facts.subject_mixed_share  # see ``disagreeing``

    @property
    def disagreeing(self) -> dict[str, str]:
        """doc_id -> subject of the documents that point to another organisation: their own
        subject differs and the run's scores less than ``mixed_share`` of it there (an
        article about the AU that names the G20 once is about the AU; one that names the G20
        throughout but the EU more often is still a G20 article)."""
        out = {}
        for d, c in sorted(self.documents.items()):
            if not c.kb_id or c.kb_id == self.kb_id:
                continue
            top = c.scores.get(c.kb_id, 0.0)
            if c.scores.get(self.kb_id, 0.0) < self.mixed_share * top:
                out[d] = c.kb_id
        return out


def _generic(m: Mention) -> bool:
    return is_generic(m.kb_id) or is_generic(m.canonical) or is_generic(m.text)


_CUE_KINDS = {**{c: "membership" for c in MEMBERSHIP_CUES},
              **{c: "founded" for c in (*FOUNDED_CUES, "count_noun", "leader_title",
                                        "headquarters")}}


def _cue_org(orgs: list[Mention], cue: Cue, side: str, window: int) -> Mention | None:
    """The organisation on the language's side of a cue (as ``subject_for`` reads it)."""
    before = [m for m in orgs if 0 <= cue.start - m.end <= window]
    after = [m for m in orgs if 0 <= m.start - cue.end <= window // 2]
    if side.startswith("after") and after:
        return min(after, key=lambda m: m.start)
    if side.endswith("before") and before:
        return max(before, key=lambda m: m.end)
    return None


def opposed(text: str, m: Mention, lang: str, gap: int = DEFAULT.facts.opponent_gap_words
            ) -> bool:
    """Whether the organisation at ``m`` is what a coalition acts against (grammar
    ``opponent_markers``): the other side, not the subject."""
    grammar = load_raw_grammar(lang)
    markers = [word_keys(w) for w in grammar.get("opponent_markers") or []]
    if not markers:
        return False
    if grammar.get("opponent_side", "before") == "before":
        words = word_keys(text[max(0, m.start - 60) : m.start])
        return any(_contains(words[-(len(k) + gap):], k) for k in markers)
    words = word_keys(text[m.end : m.end + 60])
    return any(_contains(words[: len(k) + gap], k) for k in markers)


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def subject_scores(a: Annotated, limits: FactLimits = DEFAULT.facts
                   ) -> tuple[dict[str, float], set[str]]:
    """Each organisation's score in one document (weights: ``limits.subject_*``), and the ids
    that are generic bodies."""
    orgs = sorted((m for m in a.mentions if m.label == ORG and m.kb_id
                   and not opposed(a.doc.text, m, m.lang, limits.opponent_gap_words)),
                  key=lambda m: m.start)
    scores: defaultdict[str, float] = defaultdict(float)
    generic = {m.kb_id for m in orgs if _generic(m)}
    if not orgs:
        return scores, generic
    # "the group" after "Danube Lantern Group": a mention of it, also as a cue's organisation
    orgs = sorted(orgs + _descriptions(a, orgs), key=lambda m: m.start)
    for m in orgs:
        scores[m.kb_id] += limits.subject_mention_weight
    text = a.doc.text
    body = len(text) - len(text.lstrip())
    first_line = text[body:].split("\n", 1)[0]
    title_end = -1
    if len(first_line.strip()) <= limits.title_max_chars and "\n" in text[body:]:
        title_end = body + len(first_line)
        for kb in {m.kb_id for m in orgs if m.end <= title_end}:
            scores[kb] += limits.subject_title_weight
    # the first sentence of prose: a page's site line ("From Wikipedia, the free
    # encyclopedia") or a dateline is too short to be one
    first = next((s for s in a.sentences if s.start >= title_end
                  and len(s.text.split()) >= limits.first_sentence_min_words), None)
    if first is not None:
        for kb in {m.kb_id for m in orgs if first.start <= m.start and m.end <= first.end}:
            scores[kb] += limits.subject_first_sentence_weight
    for c in a.cues:
        kind = _CUE_KINDS.get(c.name)
        if kind is None:
            continue
        sent_lang = a.doc.lang
        for p in a.parses:
            if p.offset <= c.start < p.end:
                sent_lang = p.lang
                break
        side = load_grammar(sent_lang).get("org_side", {}).get(kind, "before")
        org = _cue_org(orgs, c, side, limits.org_window)
        if org is not None:
            scores[org.kb_id] += limits.subject_cue_weight
    return scores, generic


def bodies_by_head(mentions: list[Mention]) -> dict[str, set[str]]:
    """The named bodies by the head noun their name ends in ("group" → {"Tisza Beacon Group"}),
    for definite descriptions that take one up ("the group", "इस समूह")."""
    heads = {h[0] for lang in DEFAULT.languages for h in head_words(lang) if len(h) == 1}
    by_head: defaultdict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = m.text.split()
        if m.label == ORG and known_org(m) and len(words) > 1 and key(words[-1]) in heads:
            by_head[key(words[-1])].add(m.kb_id)
    return by_head


def _descriptions(a: Annotated, orgs: list[Mention]) -> list[Mention]:
    """Definite descriptions that take up a named organisation by the head noun of its name
    ("the group", "इस समूह" after "Danube Lantern Group", "दक्षिण एशियाई समूह"), as mentions
    of it, when exactly one organisation of the document has that head; a name's own head
    ("the Danube Lantern Group") is not one."""
    by_head = bodies_by_head(orgs)
    if not by_head:
        return []
    determiners = {key(w) for lang in DEFAULT.languages
                   for w in load_raw_grammar(lang).get("anaphor_determiners", []) or []}
    inside = [(m.start, m.end) for m in orgs]
    tokens = list(WORD.finditer(a.doc.text))
    out = []
    for prev, word in itertools.pairwise(tokens):
        kbs = by_head.get(key(word.group()))
        if key(prev.group()) in determiners and kbs and len(kbs) == 1 and \
                not any(s <= word.start() < e for s, e in inside):
            kb = next(iter(kbs))
            out.append(Mention(a.doc.doc_id, a.doc.lang, prev.start(), word.end(),
                               a.doc.text[prev.start() : word.end()], ORG, kb, kb,
                               "rule:description", 0.5))
    return out


def choice_confidence(top: float, second: float, limits: FactLimits = DEFAULT.facts) -> float:
    """How sure a choice with score ``top`` is: half its strength (up to
    ``limits.subject_strong_score``), half its lead over the runner-up's ``second``."""
    return 0.5 * min(1.0, top / limits.subject_strong_score) + 0.5 * (top - second) / top


def _choose(scores: dict[str, float], generic: set[str],
            limits: FactLimits = DEFAULT.facts) -> SubjectChoice:
    """The best non-generic candidate (a generic one only when there is no other), with a
    confidence from how strong it is and how far ahead of the runner-up."""
    specific = {k: v for k, v in scores.items() if k not in generic and v > 0}
    pool = specific or {k: v for k, v in scores.items() if v > 0}
    if not pool:
        return SubjectChoice()
    ranked = sorted(pool, key=lambda k: (-pool[k], k))
    top = pool[ranked[0]]
    second = pool[ranked[1]] if len(ranked) > 1 else 0.0
    confidence = choice_confidence(top, second, limits)
    is_generic = not specific
    if is_generic:
        confidence *= 0.5
    return SubjectChoice(ranked[0], round(confidence, 3), is_generic,
                         {k: float(v) for k, v in sorted(scores.items())})


def document_subject(a: Annotated, limits: FactLimits = DEFAULT.facts) -> SubjectChoice:
    """The organisation one annotated document is about (module docstring)."""
    choice = _choose(*subject_scores(a, limits), limits)
    named = any(known_org(m) for m in a.mentions if m.kb_id == choice.kb_id)
    return replace(choice, named=named) if choice.kb_id and not named else choice


def decide_subject(annotated: list[Annotated], given: str | None = None,
                   limits: FactLimits = DEFAULT.facts) -> RunSubject:
    """The run's subject: ``given`` (a kb_id the user named) or the organisation the documents
    are most about, each document voting with its share of the scores. Its confidence is the
    mean of the documents' confidence in it (a document about another organisation gives 0)."""
    docs = {a.doc.doc_id: document_subject(a, limits) for a in annotated}
    if given:
        return RunSubject(given, 1.0, docs, given=True, mixed_share=limits.subject_mixed_share)
    votes: defaultdict[str, float] = defaultdict(float)
    generic: set[str] = set()
    present: Counter[str] = Counter()
    for a in annotated:
        scores, gen = subject_scores(a, limits)
        generic |= gen
        total = sum(scores.values())
        for k, v in scores.items():
            votes[k] += v / total
            present[k] += 1
    specific = {k for k in votes if k not in generic}
    pool = specific or set(votes)
    if not pool:
        return RunSubject("subject", 0.0, docs, mixed_share=limits.subject_mixed_share)
    kb = max(sorted(pool), key=lambda k: (votes[k], present[k]))
    voters = [c for c in docs.values() if c.kb_id]
    confidence = (sum(c.confidence for c in voters if c.kb_id == kb) / len(voters)
                  if voters else 0.0)
    if kb in generic:
        confidence *= 0.5
    return RunSubject(kb, round(confidence, 3), docs, generic=kb in generic,
                      mixed_share=limits.subject_mixed_share)


def run_subject(annotated: list[Annotated]) -> str:
    """The run's subject (``decide_subject``)."""
    return decide_subject(annotated).kb_id


def subject_for(ctx: Ctx, cue: Cue, kind: str) -> str:
    """The organisation a cue is about: a known organisation on the language's side of the cue."""
    side = ctx.grammar.get("org_side", {}).get(kind, "before")
    listed = {(m.start, m.end) for m in list_orgs(ctx)}
    orgs = [m for m in ctx.ments if known_org(m) and (m.start, m.end) not in listed
            and not opposed(ctx.text, m, ctx.sent.lang, ctx.limits.opponent_gap_words)]
    window = ctx.limits.org_window
    before = [m for m in orgs if 0 <= cue.start - m.end <= window]
    after = [m for m in orgs if 0 <= m.start - cue.end <= window // 2]
    relative = _relative_owner(ctx, before, cue)
    if relative:
        return relative[0].kb_id
    picks: list[Mention] = []
    if side.startswith("after"):
        picks = sorted(after, key=lambda m: m.start)[:1]
    if not picks and side.endswith("before"):
        picks = sorted(before, key=lambda m: -m.end)[:1]
    if not picks:
        return _anaphor_owner(ctx) or ctx.subject
    m = picks[0]
    # "GCC states", "GCC and regional countries": a group of states, not the organisation acting.
    # "OPEC के सदस्य देशों में ...": the members of the organisation (a genitive), not a group
    words = word_keys(ctx.text[m.end : m.end + 30])[:3]
    genitive = {key(w) for w in ctx.grammar.get("genitive_postpositions", []) or []}
    if (set(words) & grammar_patterns().group_nouns
            and not (words and words[0] in genitive)):
        return ctx.subject
    # "Speaking at the United Nations, the delegate said the alliance now has 14 members": a
    # generic body is a venue when an organisation noun stands between it and the cue.
    if _generic(m) and m.end <= cue.start and names_org_noun(ctx.text[m.end : cue.start]):
        return ctx.subject
    # "The OIC is the second largest organisation after the United Nations, with 57 members":
    # a generic body in a sentence that names the subject is what the subject is compared with
    if _generic(m) and m.kb_id != ctx.subject and any(
            x.label == ORG and x.kb_id == ctx.subject for x in ctx.ments):
        return ctx.subject
    return m.kb_id


def _anaphor_owner(ctx: Ctx) -> str:
    """The organisation a sentence opening with a definite organisation noun ("The organisation
    represents 55 states", "यह संगठन ...") takes up: the one the previous sentence opens with
    (or, when that one's name does not end in the noun, the one named body whose name does),
    its grammatical subject, when that is a named body other than the run's subject (the
    subject itself needs no resolving; a generic body such as the UN is rather a comparison).
    The determiners are grammar data (``anaphor_determiners``)."""
    words = word_keys(ctx.sent.text)[:2]
    determiners = {key(w) for w in ctx.grammar.get("anaphor_determiners", []) or []}
    if len(words) < 2 or words[0] not in determiners or not names_org_noun(words[1]):
        return ""
    k = bisect.bisect_right(ctx.a.sentences, ctx.sent.start, key=lambda s: s.end)
    if k == 0:
        return ""
    last = ctx.a.sentences[k - 1]
    opening = [m for m in ctx.a.mentions
               if last.start <= m.start < last.start + ctx.limits.anaphor_opening_chars
               and m.end <= last.end]
    first = min(opening, key=lambda m: m.start, default=None)
    if (first is None or not known_org(first) or first.kb_id == ctx.subject
            or _generic(first)):
        return ""
    if key(first.text.split()[-1]) != words[1]:
        # a body whose name does not end in the noun ("SZEGED, 3 May 2019 - The Tisza Beacon
        # Group ...", then "The group ..."): the one named body whose name does, if any
        same_head = bodies_by_head(ctx.a.mentions).get(words[1], set())
        if len(same_head) == 1:
            return next(iter(same_head))
    return first.kb_id


def _relative_owner(ctx: Ctx, before: list[Mention], cue: Cue) -> list[Mention]:
    """The organisation whose relative or appositive clause holds the cue ("The AU, which
    counts 55 states, joined the G20"; "the ASA, a group consisting of A, B and C"; "अफ्रीकी
    संघ जो 55 देशों का प्रतिनिधित्व करता है, जी-20 का सदस्य बना"): the
    nearest one before the cue that a relative pronoun (grammar ``appositive_openers``) follows
    directly, with no clause break between that pronoun and the cue."""
    relative = {key(w) for w in ctx.grammar.get("appositive_openers", []) or []}
    for m in sorted(before, key=lambda m: -m.end):
        gap = GLOSS.sub(" ", ctx.text[m.end : cue.start]).lstrip(" )],")
        words = word_keys(gap)
        if words and words[0] in relative:
            return [m] if not any(c in gap for c in clause_marks()) else []
    return []


def names_org_noun(text: str) -> bool:
    """Whether a stretch of text holds an organisation noun ("the alliance", "गठबंधन")."""
    words = {w.lower() for w in text.split()} | {fold(w) for w in text.split()}
    return any(len(h) == 1 and h[0] in words for lang in DEFAULT.languages
               for h in head_words(lang))



def text_before(a: Annotated, pos: int) -> bool:
    """Whether the word at ``pos`` opens a sentence after "The" (capitalised only for that;
    the articles of the document's grammar)."""
    articles = load_raw_grammar(a.doc.lang).get("articles") or []
    return any(a.doc.text[max(0, pos - len(w) - 1) : pos].lower() == w.lower() + " "
               for w in articles)


def _description_pattern(lang: str) -> re.Pattern[str] | None:
    """An unnamed coalition's description in ``lang`` ("the coalition of the willing": a head
    noun and its grammar's ``description_complement``), or None for a language that has none.
    Descriptions by the leading state are read by ``facts/led.py``."""
    complement = load_raw_grammar(lang).get("description_complement")
    heads = "|".join(re.escape(" ".join(h)) for h in head_words(lang) if len(h) == 1)
    if not (complement and heads):
        return None
    after = "".join(rf"\s+{re.escape(w)}" for w in complement)
    return re.compile(rf"\b((?:{heads})(?:{after}\s+[a-z]+)?)\b", re.IGNORECASE)


def descriptive_subject(annotated: list[Annotated], limits: FactLimits = DEFAULT.facts
                        ) -> str | None:
    """The description of an unnamed coalition most repeated in the run ("coalition of the
    willing" in a language with a ``description_complement``; "Saudi-led coalition" from
    facts/led.py in any language), found at least ``limits.min_description_count`` times, or
    None. A fallback for a subject found with low confidence: it names what the articles are
    about when no organisation does."""
    counts: Counter[str] = led_votes(annotated, limits)  # "the Saudi-led coalition" (facts/led.py)
    for a in annotated:
        pattern = _description_pattern(a.doc.lang)
        if pattern is None:
            continue
        for m in pattern.finditer(a.doc.text):
            phrase = " ".join(m.group(1).split())
            if len(phrase.split()) >= 2 and (phrase[0].islower() or text_before(a, m.start())):
                counts[phrase[0].lower() + phrase[1:]] += 1  # "the coalition of the willing"
    if not counts:
        return None
    best, n = max(sorted(counts.items()), key=lambda kv: kv[1])
    return best if n >= limits.min_description_count else None

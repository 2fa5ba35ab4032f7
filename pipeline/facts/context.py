"""What every fact rule sees of one sentence (``Ctx``) and the helpers they share: the
cue classes, the grammar patterns built from the pattern files, fact construction, list groups
of countries, the clause head of a token."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from spacy import symbols as spacy_symbols
from spacy.strings import get_string_id

from pipeline.core.config import DEFAULT, FactLimits
from pipeline.core.data import clause_marks, dashes, gloss_brackets
from pipeline.core.records import COUNTRY, DATE, LOC, ORG, PERSON, Cue, Fact, Mention, Sentence
from pipeline.ner.base import Annotated
from pipeline.ner.cues import key, load_raw_grammar
from pipeline.ner.hindi_words import function_words
from pipeline.normalize import names
from pipeline.normalize.devanagari import fold, is_devanagari
from pipeline.normalize.orgs import head_words, latin_acronym, name_articles
from pipeline.normalize.script import LATIN_GLOSS, written_in_devanagari

MEMBERSHIP_CUES = (
    "non_member",
    "declined",
    "observer",
    "left",
    "suspended",
    "founding",
    "signed",
    "joined",
    "participation",
    "member_list",
)


EVENT_CUES = ("joined", "left", "suspended")


FOUNDED_CUES = ("founded", "founded:re-established", "founded:launched")


GLOSS = re.compile(r"\([^()]*\)")
GLOSS_OPENERS = frozenset(gloss_brackets())  # what opens a gloss after a name
# A Latin-script gloss in brackets ("(Peru)", "(UK)": normalize/script.LATIN_GLOSS) is part of
# the item before it, unlike a bracketed year, which ends a list part.
CLOSING = re.compile(r"^\s*[)\]]")  # the end of a gloss an item stood in
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


def alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=1)
def grammar_patterns() -> Grammar:
    raw: dict[str, list[str]] = {}
    for lang in DEFAULT.languages:
        for k, v in load_raw_grammar(lang).items():
            if isinstance(v, list):
                raw.setdefault(k, []).extend(str(x) for x in v)
    conj, gen = (
        alternation(raw.get("list_conjunctions", [])),
        alternation(raw.get("genitive_postpositions", [])),
    )
    prep, agent = (
        alternation(raw.get("qualifier_prepositions", [])),
        alternation(raw.get("agent_markers", [])),
    )
    art, poss = (
        alternation(raw.get("articles", [])),
        alternation(raw.get("possessive_suffixes", [])),
    )
    adv = alternation(raw.get("list_adverbs", []))
    end = r"(?=\s|$|[,.;।])"
    return Grammar(
        list_gap=re.compile(
            rf"^[\s,;:、]*(?:\(\d{{1,3}}\)|\[\d+\])?[\s,;]*(?:{conj})?[\s,;]*"
            rf"(?:(?:{adv})[\s,;]+)?(?:(?:{art})\s+)?$"),
        genitive_after=re.compile(rf"^\s*(?:{gen}){end}"),
        of_before=re.compile(rf"\b(?:{prep})\s+(?:(?:{art})\s+)?$"),
        of_after_cue=re.compile(rf"^\s+(?:{prep})\s+(?:(?:{art})\s+)?$"),
        qualified_hi=re.compile(rf"^\s*(?:{gen})\s+(?:\S+\s+){{0,3}}$"),
        qualified_en_before=re.compile(rf"^(?:{poss})?\s+(?:[A-Z][\w.-]*\s+){{0,3}}$"),
        agent_after=re.compile(rf"^\s*(?:\([^)]*\)\s*)?(?:{agent}){end}"),
        group_nouns=frozenset(key(w) for w in raw.get("group_nouns", [])),
        percent_words=tuple(w.lower() for w in raw.get("percent_words", [])),
        ordinal=re.compile(
            rf"[0-9०-९]+(?:{alternation([key(w) for w in raw.get('ordinal_suffixes', [])])})"
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
    limits: FactLimits = field(default_factory=FactLimits)  # Settings.facts
    relatives: list[tuple[int, int]] | None = None  # relative_clauses, found once

    @property
    def text(self) -> str:
        return self.a.doc.text

    def has(self, *names: str) -> list[Cue]:
        return [c for c in self.cues if c.name in names]

    def of(self, label: str) -> list[Mention]:
        return [m for m in self.ments if m.label == label and m.kb_id]


def same_event(a: str, b: str) -> bool:
    """Two ISO dates that may name one day: equal, or one a coarser precision of the other."""
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


class _Spanned(Protocol):
    """Anything that ends at a document offset (a mention, a cue)."""

    @property
    def end(self) -> int: ...


_Item = TypeVar("_Item", bound=_Spanned)


def within(items: list[_Item], starts: list[int], sent: Sentence) -> list[_Item]:
    """Items (sorted by start; ``starts`` their starts) inside a sentence: a bisect, not a scan
    of the whole document."""
    lo = bisect.bisect_left(starts, sent.start)
    hi = bisect.bisect_left(starts, sent.end)
    return [x for x in items[lo:hi] if x.end <= sent.end]


def make_fact(ctx: Ctx, subject: str, predicate: str, **kw: Any) -> Fact:
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


def nearest(ments: list[Mention], label: str, pos: int) -> Mention | None:
    cands = [m for m in ments if m.label == label and m.kb_id]
    if not cands:
        return None
    return min(cands, key=lambda m: (abs(m.start - pos), m.start))


def word_keys(text: str) -> list[str]:
    return [key(w) for w in WORD.findall(text)]


def relative_clauses(ctx: Ctx) -> list[tuple[int, int]]:
    """Relative and appositive clauses set off by commas ("इक्वाडोर, जो एक संस्थापक सदस्य था,
    2020 में अलग हो गया"; "Peru, which had joined in 1999, left"): from the comma before the
    opener (grammar ``appositive_openers``) to the comma that closes it, or the sentence's end.
    They stand between a name and its verb without breaking the link."""
    if ctx.relatives is None:
        openers = {key(w) for w in ctx.grammar.get("appositive_openers", []) or []}
        found = []
        text = ctx.sent.text
        # each comma followed by an opener, to the next clause mark (or the sentence's end)
        marks = re.escape(clause_marks())
        for m in re.finditer(rf",\s*(\S+)[^{marks}]*", text):
            if key(m.group(1)) in openers:
                found.append((ctx.sent.start + m.start(), ctx.sent.start + m.end()))
        ctx.relatives = found
    return ctx.relatives


def gap_ok(
    ctx: Ctx, start: int, end: int, allowed: frozenset[str], skip: list[Cue] | None = None
) -> bool:
    """True when text[start:end], without dates, organisations, ordinals ("32वां", "31st") and
    the ``skip`` cues, holds only allowed words."""
    if end < start:
        return False
    cut = [(m.start, m.end) for m in ctx.ments if m.label in (DATE, ORG)]
    cut += [(c.start, c.end) for c in skip or ()]
    cut += relative_clauses(ctx)
    if any(m.label in (COUNTRY, PERSON) and start <= m.start < end for m in ctx.ments):
        return False
    pieces, pos = [], start
    for s, e in sorted(cut):
        if start <= s and e <= end and s >= pos:
            pieces.append(ctx.text[pos:s])
            pos = e
    pieces.append(ctx.text[pos:end])
    ordinal = grammar_patterns().ordinal
    # a bracketed gloss is transparent ("OPEC (Organization of the Petroleum ...) से बाहर")
    text = GLOSS.sub(" ", " ".join(pieces))
    return all(w in allowed or ordinal.fullmatch(w) or not any(ch.isalnum() for ch in w)
               for w in word_keys(text))


# Sources of organisations found in the text, not in orgs.yaml (issue 14): a noun phrase or a
# form found again by organisation linking, the user's names.
TEXT_ORG_SOURCES = ("rule:org", "user")


def known_org(m: Mention) -> bool:
    """An organisation a cue may be about: listed in orgs.yaml, or found in the text and given
    an id by organisation linking (link/orgs.py). A statistical model's ORG counts
    only when linking named it by an acronym: the model also calls governments, offices and
    meetings organisations ("पाक सरकार", "Conference of Foreign Ministers")."""
    if m.label != ORG or not m.kb_id:
        return False
    if m.source.startswith("gazetteer") or m.source in TEXT_ORG_SOURCES:
        return True
    return m.source == "model" and (latin_acronym(m.kb_id) == m.kb_id or named_by_head(m))


def named_by_head(m: Mention) -> bool:
    """A name of two or more words that ends with an organisation noun ("Visegrad Group",
    "Lima Group"): the shape of a body's name, whoever tagged it (data/org_words.yaml)."""
    words = m.text.split()
    if words and words[0].lower() in name_articles(m.lang):
        words = words[1:]
    devanagari = written_in_devanagari(m.lang)
    keys = tuple(fold(w) if devanagari else w.lower() for w in words)
    return len(keys) >= 2 and any(len(h) < len(keys) and keys[-len(h):] == h
                                  for h in head_words(m.lang))


def hyphen_glued(text: str, m: Mention, ends: frozenset[int] = frozenset()) -> bool:
    """A name glued by a hyphen or dash to the next word ("Saudi-led", "India–Pakistan
    talks", "Bangladesh-India-Sri Lanka-Thailand Economic Cooperation"), or to a name before it
    (``ends``: where the other names end), is part of a compound, not an item of a list. A dash
    after a noun ("founding members–Indonesia, ...") still introduces a list."""
    before = text[max(0, m.start - 2) : m.start]
    after = text[m.end : m.end + 2]
    glued_after = len(after) == 2 and after[0] in HYPHENS and not after[1].isspace()
    glued_before = (len(before) == 2 and before[1] in HYPHENS and not before[0].isspace()
                    and m.start - 1 in ends)
    return glued_after or glued_before


HYPHENS = dashes()  # data/punctuation.yaml


def country_groups(ctx: Ctx) -> list[list[Mention]]:
    """Countries of a sentence grouped into lists ("A, B and C" is one list). A bracketed year
    between two items ends a list ("A and B (1961); C (1974)": each part has its own year);
    a footnote number does not."""
    ends = frozenset(m.end for m in ctx.of(COUNTRY))
    found = [m for m in ctx.of(COUNTRY)
             if m.source != "gazetteer:demonym" and not hyphen_glued(ctx.text, m, ends)]
    groups: list[list[Mention]] = []
    # A place the gazetteers do not call a state may stand among the items ("Canada,
    # Newfoundland and South Africa"): it does not end the list.
    places = sorted((m for m in ctx.ments if m.label == LOC), key=lambda m: m.start)
    gap = grammar_patterns().list_gap
    for m in sorted(found, key=lambda m: m.start):
        if groups:
            prev = groups[-1][-1].end
            between = [p for p in places if prev <= p.start and p.end <= m.start]
            pos, ok = prev, True
            for p in between:
                ok = ok and bool(gap.match(ctx.text[pos : p.start]))
                pos = p.end
            rest = ctx.text[pos : m.start]
            # a gloss in brackets of the item before is the same item ("पेरू (Peru)"); after
            # it, its closing bracket stands before the separator
            gloss = groups[-1][-1].kb_id == m.kb_id and rest.strip() in GLOSS_OPENERS
            if gloss or (ok and gap.match(CLOSING.sub("", rest))):
                groups[-1].append(m)
                continue
        groups.append([m])
    # An organisation listed with states is an item too ("the US, South Korea and the European
    # Union"; "the EU plus 19 nations"), never the subject itself.
    for org in list_orgs(ctx):
        for g in groups:
            if g[-1].end <= org.start and grammar_patterns().list_gap.match(
                    ctx.text[g[-1].end : org.start]):
                g.append(org)
                break
            if org.end <= g[0].start and grammar_patterns().list_gap.match(
                    ctx.text[org.end : g[0].start]) and len(g) > 1:
                g.insert(0, org)
                break
    return groups


def list_orgs(ctx: Ctx) -> list[Mention]:
    """Organisations (not the subject) that stand in a list of states in this sentence, also
    after another listed organisation ("..., the United States, the EU and now the AU")."""
    anchors = [m for m in ctx.of(COUNTRY) if m.source != "gazetteer:demonym"]
    gap = grammar_patterns().list_gap
    # a listed body only: a name found in the text may be a list's own name
    left = sorted((o for o in ctx.of(ORG)
                   if o.kb_id != ctx.subject and o.source.startswith("gazetteer")),
                  key=lambda o: o.start)
    def listed(between: str) -> bool:
        # a separator, or a line break of a laid-out list; a bare space is no list
        # ("स्विट्ज़रलैंड नाटो का सदस्य": the state, then the body it belongs to)
        return bool(gap.match(between)) and (bool(between.strip()) or "\n" in between)

    out: list[Mention] = []
    while True:
        found = [org for org in left if any(
            (s.end <= org.start and listed(ctx.text[s.end : org.start]))
            or (org.end <= s.start and listed(ctx.text[org.end : s.start]))
            for s in anchors)]
        if not found:
            return sorted(out, key=lambda o: o.start)
        out += found
        anchors += found
        left = [o for o in left if o not in found]


def _institution_of(ctx: Ctx, m: Mention) -> bool:
    """Whether a lone country names the state through one of its institutions (grammar
    ``institution_nouns``): "X की संसद", "X's government", "the parliament of X"."""
    nouns = {key(w) for w in ctx.grammar.get("institution_nouns", []) or []}
    if not nouns:
        return False
    after = word_keys(ctx.text[m.end : min(ctx.sent.end, m.end + 24)])[:2]
    before = word_keys(ctx.text[max(ctx.sent.start, m.start - 24) : m.start])[-3:]
    genitive = grammar_patterns().genitive_after.match(ctx.text[m.end : m.end + 4])
    possessive = any(ctx.text.startswith(str(p), m.end)
                     for p in ctx.grammar.get("possessive_suffixes", []) or [])
    if (genitive or possessive) and len(after) == 2 and after[1] in nouns:
        return True
    if after[:1] and after[0] in nouns:
        return True  # "भारत सरकार", "the Chilean government" is read by the NER
    of = grammar_patterns().of_before.search(ctx.text[max(0, m.start - 8) : m.start])
    return bool(of) and any(w in nouns for w in before[-3:-1])


def is_qualifier(ctx: Ctx, g: list[Mention], cues: list[Cue]) -> bool:
    """A lone country that only qualifies a noun: "Abe of Japan", "जापान के प्रधानमंत्री"."""
    if len(g) > 1:
        return False
    m = g[0]
    if _institution_of(ctx, m):
        return False  # "पाकिस्तान की संसद ने", "the parliament of Chile": the state acting
    # a Latin gloss after the name does not stand between it and its genitive ("चीन (China) का")
    unglossed = LATIN_GLOSS.sub("", ctx.text[m.end : m.end + 40])
    if grammar_patterns().genitive_after.match(unglossed[:4]):
        # ...unless the noun is the membership itself ("ऑस्ट्रेलिया के हटने", "सीरिया की
        # सदस्यता निलंबित").
        gap = ctx.grammar["gap_words"]
        return not any(m.end <= c.start and gap_ok(ctx, m.end, c.start, gap) for c in cues)
    lo = max(0, m.start - 8)
    of = grammar_patterns().of_before.search(ctx.text[lo : m.start])
    if of:
        # ...unless the "of" is a cue's own ("accession of") or follows one ("withdrawal of")
        return not any(
            grammar_patterns().of_after_cue.match(ctx.text[c.end : m.start])
            or c.start <= lo + of.start() + 1 < c.end for c in cues
        )
    # "a meeting in Thailand", "मनीला, फिलीपींस में": a lone country as the place of something
    before = word_keys(ctx.text[max(ctx.sent.start, m.start - 12) : m.start])[-1:]
    after = word_keys(ctx.text[m.end : min(ctx.sent.end, m.end + 8)])[:1]
    venue_before = {key(w) for w in ctx.grammar.get("venue_before", []) or []}
    venue_after = {key(w) for w in ctx.grammar.get("venue_after", []) or []}
    if (before and before[0] in venue_before) or (after and after[0] in venue_after):
        # ...unless it is what a membership verb is about ("X में शामिल": X is the body)
        gap = ctx.grammar["gap_words"]
        return not any(m.end <= c.start and gap_ok(ctx, m.end, c.start, gap) for c in cues)
    return False


def person_country(ctx: Ctx, p: Mention) -> Mention | None:
    """The state a person acts for: "जापान के प्रधानमंत्री शिंजो अबे", "Prime Minister Shinzo Abe
    of Japan", "Australian Prime Minister Kevin Rudd" (a head of government or minister acts for
    the state, so the state joins, leaves or founds through them)."""
    for c in ctx.of(COUNTRY):
        if c.end <= p.start:
            gap = ctx.text[c.end : p.start]
            if grammar_patterns().qualified_hi.match(gap) or (
                grammar_patterns().qualified_en_before.match(gap)
            ):
                return c
        elif p.end <= c.start and grammar_patterns().of_after_cue.match(ctx.text[p.end : c.start]):
            return c
    return None


def agent_states(ctx: Ctx, cue: Cue) -> list[Mention]:
    """States acting through a person who is the agent of ``cue``: in Hindi the person marked
    by ने/द्वारा before the cue, in English the person just before the verb."""
    persons = [m for m in ctx.of(PERSON) if m.end <= cue.start]
    out = []
    for p in persons:
        if ctx.grammar.get("agent_side") == "before":
            if not grammar_patterns().agent_after.match(ctx.text[p.end : p.end + 30]):
                continue
        elif any(p.end <= q.start < cue.start for q in persons if q is not p):
            continue
        c = person_country(ctx, p)
        if c is not None:
            out.append(c)
    return out


def marked(ctx: Ctx, m: Mention, before: str, after: str = "") -> bool:
    """Whether the word right before ``m`` is one of the grammar's list ``before`` (a
    preposition: "since 1961", "from Lima") or the word right after it one of ``after`` (a
    postposition: "1961 से", "लीमा से")."""
    words_before = {key(w) for w in ctx.grammar.get(before, []) or []}
    words_after = {key(w) for w in ctx.grammar.get(after, []) or []} if after else set()
    prev = word_keys(ctx.text[ctx.sent.start : m.start])[-1:]
    nxt = word_keys(ctx.text[m.end : ctx.sent.end])[:1]
    return bool((prev and prev[0] in words_before) or (nxt and nxt[0] in words_after))


def since_date(ctx: Ctx, date: Mention) -> bool:
    """A date introduced as the start of a state: "since 1961", "1961 से"."""
    return marked(ctx, date, "since_before", "since_after")


def group_dates(ctx: Ctx, groups: list[list[Mention]]) -> dict[int, str]:
    """The date of each list group. On the language's date side first: English "Cambodia on
    30 April 1999" (the first date after the group, before the next group); Hindi "1995 में
    वियतनाम" (a date just before the group). Then the other side; then the sentence's only date
    when no group took it as its own."""
    dates = sorted(ctx.of(DATE), key=lambda m: m.start)
    lead = ctx.grammar["date_lead_gap"]
    out: dict[int, str] = {}
    used: set[int] = set()

    def leading(i: int, g: list[Mention]) -> None:
        for d in dates:
            if d.start in used or d.end > g[0].start:
                continue
            if all(w in lead for w in word_keys(ctx.text[d.end : g[0].start])) and not any(
                d.end <= h[0].start < g[0].start for h in groups if h is not g
            ):
                out[i] = d.kb_id
                used.add(d.start)

    def opens_next(d: Mention, nxt: int) -> bool:
        """"..., Colombia and, since 2011, Panama": a since-date right before the next group
        is that group's."""
        return (marked(ctx, d, "since_before")
                and all(w in lead for w in word_keys(ctx.text[d.end : nxt])))

    def following(i: int, g: list[Mention]) -> None:
        nxt = groups[i + 1][0].start if i + 1 < len(groups) else ctx.sent.end
        after = [d for d in dates if g[-1].end <= d.start < nxt and d.start not in used
                 and not (i + 1 < len(groups) and opens_next(d, nxt))]
        if after:
            out[i] = after[0].kb_id
            used.add(after[0].start)

    def bracketed(i: int, g: list[Mention]) -> None:
        """"ग्रीस (1952), तुर्की (1952)": a year in brackets right after an item is the item's,
        on either date side."""
        for d in dates:
            if d.start not in used and g[-1].end <= d.start and \
                    ctx.text[g[-1].end : d.start].strip() == "(" and \
                    ctx.text[d.end : d.end + 2].lstrip().startswith(")"):
                out[i] = d.kb_id
                used.add(d.start)
                return

    order = (
        (following, leading) if ctx.grammar.get("date_side") == "after" else (leading, following)
    )
    for rule in (bracketed, *order):
        for i, g in enumerate(groups):
            if i not in out:
                rule(i, g)
    # the sentence's only date, unless a group has claimed it as its own ("Guyana and Saint
    # Lucia joined later, and Bolivia signed on in 2019")
    if len(dates) == 1 and dates[0].start not in used:
        for i in range(len(groups)):
            out.setdefault(i, dates[0].kb_id)
    return out


def clause_head(ctx: Ctx, pos: int) -> tuple[int, int] | None:
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

    head, upos, dep, tag = p.head, p.pos, p.dep, p.tag

    while True:
        while head(i) != i and upos(i) not in VERBISH:
            i = head(i)
        if head(i) == i:
            return p.offset, i
        if dep(i) in _CLAUSE_DEPS and upos(head(i)) in VERBISH:
            i = head(i)
        elif dep(i) == _ACL and tag(i) == _VBG:
            # a present participle on a noun happens at the time of the main verb:
            # "Saudi Arabia, spearheading a coalition of nine states, began ... on 25 March"
            i = head(i)
        else:
            return p.offset, i


# spaCy's ids of the POS tags, dependency labels and tag clause_head walks by.


_CLAUSE_DEPS = frozenset(get_string_id(d) for d in ("advcl", "xcomp", "ccomp", "conj"))


# Verbs and auxiliaries: where a clause has its head (clause.py uses the same set).
VERBISH = frozenset({int(spacy_symbols.VERB), int(spacy_symbols.AUX)})
_ACL = get_string_id("acl")


_VBG = get_string_id("VBG")


def period_dates(ctx: Ctx) -> tuple[Mention, Mention] | None:
    """The start and end dates of a period the sentence gives ("from D1 until D2", "D1 से D2
    तक"; grammar ``period_*``), or None."""
    g = ctx.grammar
    marks = {k: {key(w) for w in g.get(k, []) or []} for k in (
        "period_start_before", "period_end_before", "period_start_after", "period_end_after")}
    start: Mention | None = None
    end: Mention | None = None
    for d in sorted(ctx.of(DATE), key=lambda d: d.start):
        prev = word_keys(ctx.text[max(ctx.sent.start, d.start - 12) : d.start])[-1:]
        nxt = word_keys(ctx.text[d.end : min(ctx.sent.end, d.end + 8)])[:1]
        if (prev and prev[0] in marks["period_start_before"]) or (
                nxt and nxt[0] in marks["period_start_after"]):
            start = start or d
        elif start and ((prev and prev[0] in marks["period_end_before"]) or (
                nxt and nxt[0] in marks["period_end_after"])):
            end = end or d
    return (start, end) if start and end else None


def own_clause_dates(ctx: Ctx, pos: int) -> list[Mention]:
    """The dates of the clause of the word at document offset ``pos``: by the parse's clause
    heads where there is one, else by the language's clause-final auxiliaries."""
    head = clause_head(ctx, pos)
    return [d for d in ctx.of(DATE) if (clause_head(ctx, d.start) == head if head is not None
                                        else same_clause(ctx, d.start, pos))]


def unlisted_place(name: str) -> str:
    """A seat no place list knows ("मुख्यालय: सुवा, फ़िजी", "सचिवालय सुवा में है"): the name as
    written (romanised from Devanagari), when it is a short name."""
    words = name.strip(" ।.").split()
    if not 1 <= len(words) <= 3 or any(ch.isdigit() for ch in name):
        return ""
    if any(is_devanagari(w) for w in words):
        # a clause is no name ("मुख्यालय में बैठक हुई": the meeting was at the headquarters)
        if any(w in function_words() for w in words):
            return ""
        return names.romanize(" ".join(words))
    return name if all(w[:1].isupper() for w in words) else ""


def semicolon_between(ctx: Ctx, a: int, b: int) -> bool:
    """Whether a semicolon (which ends a clause in either language) stands between document
    offsets ``a`` and ``b``."""
    lo, hi = sorted((a, b))
    return ";" in ctx.text[lo:hi]


def same_clause(ctx: Ctx, a: int, b: int) -> bool:
    """Whether document offsets ``a`` and ``b`` are in one clause by the language's
    clause-final auxiliaries (grammar ``clause_final_auxiliaries``): none between them. For
    languages without a parser, where clauses run on without a danda; True when the grammar
    lists none (a parsed language: ``clause_head`` reads its clauses)."""
    finals = {key(w) for w in ctx.grammar.get("clause_final_auxiliaries", []) or []}
    if not finals:
        return True
    # compared as written: folding would make कि (that) the genitive की
    openers = set(ctx.grammar.get("clause_openers", []) or [])
    lo, hi = sorted((a, b))
    words = WORD.findall(ctx.text[lo:hi])
    # the last word of the stretch may be the first one's own auxiliary; one between closes it;
    # a complementiser ("ने कहा कि ...") opens another
    return not any(key(w) in finals for w in words[1:-1]) and not any(
        w in openers for w in words[1:])

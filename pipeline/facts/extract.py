"""Sentences + mentions + cues → Facts.

The rules here are language-independent: they react to cue names (from the pattern files) and to
entity labels, never to words. Per sentence:

- ``founded`` cue + a date → founded (role from ``founded:<role>`` cues); a person introduced by a
  ``founder_agent`` cue ("by", "ने") → founder.
- a membership cue (founding / joined / left / suspended / declined / observer / non_member /
  member_list / participation) + countries → one member or non_member fact per country; countries
  that only qualify something else ("Abe of Japan", "जापान के प्रधानमंत्री") are left out unless
  they stand in a list.
- a number followed by a ``count_noun`` → member_count; its time is the date in the sentence, or
  the document's founding date when the sentence refers to the founding ("when it was announced").
- a ``leader_title`` + a person → leader with the canonical role of roles.yaml.
- a ``headquarters`` cue + a place → headquarters.
- a listed set of three or more members → a derived member_count (derived=true).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from pipeline.facts.cues import Cue, find_cues, key, load_roles
from pipeline.ner.base import Annotated
from pipeline.records import COUNTRY, DATE, LOC, NUMBER, ORG, PERSON, Fact, Mention, Sentence

MEMBERSHIP_CUES = ("non_member", "declined", "observer", "left", "suspended", "founding",
                   "joined", "participation", "member_list")
# Text allowed between two items of one list: separators, conjunctions, footnote marks.
LIST_GAP = re.compile(r"^[\s,;:、]*(?:\(\d+\)|\[\d+\])?[\s,;]*(?:and|&|और|तथा|एवं|व)?[\s,;]*$")
GENITIVE_AFTER = re.compile(r"^\s*(?:के|की|का)(?=\s|$|[,.;।])")
OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$")
MIN_DERIVED_LIST = 3
MAX_MEMBER_COUNT = 250
COUNT_NOUN_WINDOW = 3  # characters allowed between a number and its count noun (spaces)
COUNT_BEFORE_WINDOW = 8  # "सदस्यों की संख्या 41", "membership rose to 57"


def run_subject(annotated: list[Annotated]) -> str:
    """The run's subject: the organisation named in most documents, then most often."""
    docs_with: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for a in annotated:
        kbs = [m.kb_id for m in a.mentions if m.label == ORG and m.kb_id]
        mentions.update(kbs)
        docs_with.update(set(kbs))
    if not mentions:
        return "subject"
    return max(sorted(mentions), key=lambda k: (docs_with[k], mentions[k]))


def extract_facts(annotated: list[Annotated], subject: str) -> list[Fact]:
    """Facts of every document, in document order, deduplicated within a document."""
    facts: list[Fact] = []
    for a in annotated:
        facts.extend(_document_facts(a, subject))
    return facts


def _document_facts(a: Annotated, subject: str) -> list[Fact]:
    cues: list[Cue] = []
    for offset, sdoc in a.parses:
        lang = "hi" if sdoc.lang_ == "hi" else "en"
        cues.extend(find_cues(lang, sdoc, offset))
    sentences = [
        (s, [m for m in a.mentions if s.start <= m.start and m.end <= s.end],
         [c for c in cues if s.start <= c.start and c.end <= s.end])
        for s in a.sentences
    ]
    out: list[Fact] = []
    # Pass 1: founding events, so that later sentences can refer to "when it was announced".
    for sent, ments, scues in sentences:
        out.extend(_founded(a, sent, ments, scues, subject))
    founded_when = next((f.when for f in out if f.predicate == "founded" and not f.role and f.when), "")
    if not founded_when:
        founded_when = next((f.when for f in out if f.predicate == "founded" and f.when), "")
    for sent, ments, scues in sentences:
        out.extend(_members(a, sent, ments, scues, subject, founded_when))
        out.extend(_counts(a, sent, ments, scues, subject, founded_when))
        out.extend(_leaders(a, sent, ments, scues, subject))
        out.extend(_headquarters(a, sent, ments, scues, subject))
    out.extend(_derived_counts(out, founded_when))
    return _dedupe(out)


def _fact(a: Annotated, sent: Sentence, subject: str, predicate: str, **kw: object) -> Fact:
    evidence = sent.text.strip()
    lead = len(sent.text) - len(sent.text.lstrip())
    return Fact(doc_id=a.doc.doc_id, lang=sent.lang, subject=subject, predicate=predicate,
                evidence=evidence, start=sent.start + lead, end=sent.start + lead + len(evidence),
                **kw)  # type: ignore[arg-type]


def _nearest(ments: list[Mention], label: str, pos: int) -> Mention | None:
    cands = [m for m in ments if m.label == label and m.kb_id]
    if not cands:
        return None
    return min(cands, key=lambda m: (abs(m.start - pos), m.start))


def _has(scues: list[Cue], *names: str) -> list[Cue]:
    return [c for c in scues if c.name in names]


def _sentence_subject(ments: list[Mention], first_cue: int, subject: str) -> str:
    """Another organisation named before the cue (and the subject not named) is the subject."""
    orgs = [m for m in ments if m.label == ORG and m.kb_id and m.start < first_cue]
    if not orgs or any(m.kb_id == subject for m in orgs):
        return subject
    return orgs[0].kb_id


def _founded(a: Annotated, sent: Sentence, ments: list[Mention], scues: list[Cue],
             subject: str) -> list[Fact]:
    founded = _has(scues, "founded", "founded:re-established", "founded:launched")
    if not founded:
        return []
    role = ""
    special = [c for c in founded if ":" in c.name]
    if special:
        role = special[0].name.split(":", 1)[1]
    cue = special[0] if special else founded[0]
    subj = _sentence_subject(ments, cue.start, subject)
    out = []
    date = _nearest(ments, DATE, cue.start)
    if date is not None:
        out.append(_fact(a, sent, subj, "founded", value=date.kb_id, when=date.kb_id, role=role))
    # Founder: a person right after an agent cue ("by X"), or right before one ("X ने").
    for agent in _has(scues, "founder_agent"):
        persons = [m for m in ments if m.label == PERSON and m.kb_id]
        after = [m for m in persons if 0 <= m.start - agent.end <= 2]
        before = [m for m in persons if 0 <= agent.start - m.end <= 2]
        pick = after if agent.text.lower() in ("by",) or a.doc.lang == "en" else before
        for p in pick[:1]:
            out.append(_fact(a, sent, subj, "founder", object_kb_id=p.kb_id, value=p.kb_id,
                             when=date.kb_id if date else ""))
    return out


def _country_candidates(a: Annotated, ments: list[Mention]) -> list[list[Mention]]:
    """Countries of a sentence grouped into lists ("A, B and C" is one list)."""
    text = a.doc.text
    countries = [m for m in ments if m.label == COUNTRY and m.kb_id
                 and m.source != "gazetteer:demonym"]
    groups: list[list[Mention]] = []
    for m in countries:
        if groups and LIST_GAP.match(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    kept = []
    for g in groups:
        if len(g) == 1:
            m = g[0]
            if GENITIVE_AFTER.match(text[m.end:m.end + 4]) and a.doc.lang == "hi":
                continue
            if OF_BEFORE.search(text[max(0, m.start - 8):m.start]):
                continue
        kept.append(g)
    return kept


def _members(a: Annotated, sent: Sentence, ments: list[Mention], scues: list[Cue],
             subject: str, founded_when: str) -> list[Fact]:
    kinds = {c.name for c in scues}
    cue = next((n for n in MEMBERSHIP_CUES if n in kinds), None)
    if cue is None:
        return []
    groups = _country_candidates(a, ments)
    if not groups:
        return []
    first = min(c.start for c in scues if c.name == cue)
    subj = _sentence_subject(ments, first, subject)
    date = _nearest(ments, DATE, first)
    when = date.kb_id if date else ""
    out = []
    members = [m for g in groups for m in g]
    if cue in ("non_member", "declined", "observer"):
        role = "" if cue == "non_member" else cue
        for m in members:
            out.append(_fact(a, sent, subj, "non_member", object_kb_id=m.kb_id, value=m.kb_id,
                             role=role, when=when))
        return out
    role = {"founding": "founding", "joined": "joined", "left": "left",
            "suspended": "suspended"}.get(cue, "")
    if role == "founding" and not when:
        when = founded_when
    if role == "joined" and "founding" in kinds:
        role = "founding"
    listed = max(groups, key=len)
    for m in members:
        note = f"list of {len(listed)}" if m in listed and len(listed) >= MIN_DERIVED_LIST else ""
        out.append(_fact(a, sent, subj, "member", object_kb_id=m.kb_id, value=role or "member",
                         role=role, when=when, note=note))
    return out


def _counts(a: Annotated, sent: Sentence, ments: list[Mention], scues: list[Cue],
            subject: str, founded_when: str) -> list[Fact]:
    nouns = _has(scues, "count_noun")
    befores = _has(scues, "count_before")
    if not nouns and not befores:
        return []
    text = a.doc.text
    out = []
    for m in ments:
        if m.label != NUMBER or not m.kb_id:
            continue
        try:
            value = float(m.kb_id)
        except ValueError:
            continue
        if not (2 <= value <= MAX_MEMBER_COUNT) or value != int(value):
            continue
        tail = text[m.end:m.end + 2]
        if tail[:1] in ("%",) or text[m.end:m.end + 8].lower().startswith((" percent", " per cent", " प्रतिशत")):
            continue
        after_noun = any(0 <= n.start - m.end <= COUNT_NOUN_WINDOW for n in nouns)
        after_cue = any(0 <= m.start - b.end <= COUNT_BEFORE_WINDOW for b in befores)
        if not (after_noun or after_cue):
            continue
        date = _nearest(ments, DATE, m.start)
        when = date.kb_id if date else ""
        if not when and _has(scues, "announcement_ref", "founding"):
            when = founded_when
        out.append(_fact(a, sent, _sentence_subject(ments, m.start, subject), "member_count",
                         value=str(int(value)), when=when))
    return out


def _leaders(a: Annotated, sent: Sentence, ments: list[Mention], scues: list[Cue],
             subject: str) -> list[Fact]:
    titles = _has(scues, "leader_title")
    persons = [m for m in ments if m.label == PERSON and m.kb_id]
    if not titles or not persons:
        return []
    roles = load_roles()
    order = list(dict.fromkeys(roles.values()))
    ranked = sorted(titles, key=lambda c: (order.index(roles.get(key(c.text), "head"))
                                           if roles.get(key(c.text), "head") in order else 99, c.start))
    best = ranked[0]
    role = roles.get(key(best.text), "head")
    if role == "head" and not (_has(scues, "appointment") and any(
            m.label == ORG and m.kb_id == subject for m in ments)):
        return []
    person = min(persons, key=lambda m: (abs(m.start - best.start), m.start))
    date = _nearest(ments, DATE, best.start)
    return [_fact(a, sent, subject, "leader", object_kb_id=person.kb_id, value=person.kb_id,
                  role=role, when=date.kb_id if date else "")]


def _headquarters(a: Annotated, sent: Sentence, ments: list[Mention], scues: list[Cue],
                  subject: str) -> list[Fact]:
    cues = _has(scues, "headquarters")
    if not cues:
        return []
    place = _nearest(ments, LOC, cues[0].start)
    if place is None:
        return []
    return [_fact(a, sent, _sentence_subject(ments, cues[0].start, subject), "headquarters",
                  object_kb_id=place.kb_id, value=place.kb_id)]


def _derived_counts(facts: list[Fact], founded_when: str) -> list[Fact]:
    """A listed set of members yields a count: the number of distinct countries in the list."""
    out = []
    by_sentence: dict[tuple[int, str], list[Fact]] = {}
    for f in facts:
        if f.predicate == "member" and f.note.startswith("list of") and f.role in ("", "founding"):
            by_sentence.setdefault((f.start, f.role), []).append(f)
    for (_start, role), members in sorted(by_sentence.items()):
        n = len({f.object_kb_id for f in members})
        if n < MIN_DERIVED_LIST:
            continue
        f = members[0]
        when = (f.when or founded_when) if role == "founding" else f.when
        names = ", ".join(m.object_kb_id for m in members)
        out.append(replace(f, predicate="member_count", object_kb_id="", value=str(n), when=when,
                           role="", derived=True,
                           note=f"derived: {n} {role or 'listed'} members counted ({names})"))
    return out


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per claim within a document; a dated duplicate replaces an undated one."""
    seen: dict[tuple[str, ...], int] = {}
    out: list[Fact] = []
    for f in facts:
        k = (f.subject, f.predicate, f.object_kb_id, f.value if f.predicate != "leader" else "",
             f.role, str(f.derived))
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

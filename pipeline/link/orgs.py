"""Organisations across the documents and scripts of a run, listed in orgs.yaml or not (issue 14).

``link`` gives a listed organisation its id and leaves an unlisted one its surface text. This
step, run on the whole run after it, groups the forms of each organisation:

* the same listed id (orgs.yaml), the same surface, the same acronym (a Devanagari acronym read
  as its Latin letters: आईएसए = ISA);
* an acronym defined in the text: "International Solar Alliance (ISA)", "ISA, the International
  Solar Alliance", "ISA (International Solar Alliance)", "अंतरराष्ट्रीय सौर गठबंधन (आईएसए)";
* an acronym that is the initials of a long form of the run ("Coastal Mangrove Alliance", CMA);
* a Hindi long form and an English one whose words correspond one to one, through the lexicon of
  organisation words (``data/org_words.yaml``: गठबंधन = alliance) or the same romanisation
  (मैंग्रोव ~ mangrove);
* the names the user gave for the run's subject (``--alias``, aliases.yaml).

Two groups with different listed ids, or with different acronyms, are never joined. Each group's
forms are then found again wherever they occur in the run (an acronym the NER missed, a model's
PERSON "सीएमए"), so the fact rules see the organisation in every sentence that names it. Junk
(“101st”, "Tropics of Cancer and") is dropped, and so is a one-qualifier Hindi phrase ("सैन्य
गठबंधन") that nothing ties to a name. The id of a group: its listed id, else its acronym, else
its English name, else the romanised Hindi name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.core.data import dashes
from pipeline.core.records import COUNTRY, DATE, NUMBER, ORG, Entity, Mention
from pipeline.link.persons import build_entities
from pipeline.ner.hindi_words import function_words
from pipeline.normalize import countries, name_sound, names, orgs
from pipeline.normalize.devanagari import fold, is_devanagari
from pipeline.normalize.script import (
    DEVANAGARI,
    language_by_script,
    text_script,
    written_in_devanagari,
)
from pipeline.normalize.surface import clean_surface

USER_SOURCE = "user"  # mentions of a name the user gave (--alias, aliases.yaml)
FOUND_SOURCE = "rule:org"  # an organisation phrase, or a form found again by this step
# A romanised Hindi word and an English word are the same word from this rapidfuzz ratio.
WORD_MATCH_RATIO = 70.0
# ...and their sound keys (names.phonetic_key).
SOUND_MATCH_RATIO = 80.0
_EDGE = "\"'“”‘’()[]{},;:।.!? " + dashes()
_BOUNDARY = r"\w\u0900-\u097F"
_DEVANAGARI_WORD = re.compile(
    r"(?<![\w\u0900-\u097F])[\u0900-\u097F][\u0900-\u097F.\-0-9०-९]*[\u0900-\u097F0-9०-९]")


def _clean(text: str) -> str:
    return clean_surface(text, _EDGE)


def _key(text: str) -> str:
    return fold(_clean(text)).casefold()


def is_junk(m: Mention) -> bool:
    """A model's or rule's ORG span that cannot be a name: no letters, a leading number
    ("101st"), a dangling function word at either end ("Tropics of Cancer and"), English text
    without a capital, a single letter."""
    if m.label != ORG or m.source.startswith("gazetteer") or m.source == USER_SOURCE:
        return False
    t = _clean(m.text)
    if (len(t) < 2 or not any(ch.isalpha() for ch in t) or t[0].isdigit()
            or re.search(r"[\[\]{}<>|]", t)):
        return True
    words = t.split()
    if is_devanagari(t):
        stop = function_words()
        return words[-1] in stop or words[0] in stop
    links = orgs.link_words("en")
    if words[-1].lower() in links or (len(words) > 1 and words[0].lower() in links):
        return True
    return not any(ch.isupper() for ch in t)


def _trim(m: Mention) -> Mention:
    """A model's ORG span cut at an opening bracket it does not close: "South Asian Association
    for Regional Cooperation (SAARC" -> the name, "Operation Decisive Storm[14" -> the name."""
    if m.label != ORG or m.source.startswith("gazetteer"):
        return m
    for open_, close in (("(", ")"), ("[", "]")):
        cut = m.text.find(open_)
        if cut > 0 and close not in m.text[cut:]:
            text = m.text[:cut].rstrip()
            return replace(m, text=text, end=m.start + len(text))
    return m


@dataclass
class _Node:
    """One distinct form (folded surface) of an organisation in the run."""

    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    listed: str = ""  # orgs.yaml id
    acronym: str = ""  # Latin acronym the form is written as
    latin: bool = True
    weak: bool = True  # every mention a one-qualifier Hindi phrase
    user: bool = False
    defined: bool = False  # a short form the text defines ("Quadrilateral ... (Quad)")

    @property
    def surface(self) -> str:
        return min(self.surfaces, key=lambda s: (-self.surfaces[s], s))

    @property
    def words(self) -> list[str]:
        return [w for w in self.surface.split() if w.lower() not in orgs.link_words("en")]

    @property
    def long(self) -> bool:
        return not self.acronym and len(self.surface.split()) >= 2


class _Groups:
    """Union-find over nodes that never joins two listed ids or two different acronyms."""

    def __init__(self, nodes: list[_Node]) -> None:
        self.parent = list(range(len(nodes)))
        self.listed = [{n.listed} - {""} for n in nodes]
        self.acronyms = [{n.acronym} - {""} for n in nodes]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if self.listed[a] and self.listed[b] and self.listed[a] != self.listed[b]:
            return False
        if (self.acronyms[a] and self.acronyms[b] and not self.acronyms[a] & self.acronyms[b]
                and not (self.listed[a] and self.listed[a] == self.listed[b])):
            return False
        a, b = min(a, b), max(a, b)
        self.parent[b] = a
        self.listed[a] |= self.listed[b]
        self.acronyms[a] |= self.acronyms[b]
        return True


def initials(words: Sequence[str]) -> str:
    """'Coastal Mangrove Alliance' -> 'CMA' (capitalised words only; hyphenated ones give each
    part: 'Counter-Terrorism' -> 'CT')."""
    out = []
    for w in words:
        for part in w.split("-"):
            if part[:1].isupper():
                out.append(part[0])
    return "".join(out)


def _words_correspond(hindi: Sequence[str], english: Sequence[str]) -> bool:
    """Each Hindi word is one English word, one to one, in any order (Hindi puts "X of Y" as
    "Y X"): through the lexicon, else through its romanisation. A Hindi phrase may have taken
    a word or two too many on its left ("अर्थ दक्षिण एशियाई ..."): its tail may match."""
    extra = len(hindi) - len(english)
    if len(english) >= 3 and 0 < extra <= 2:
        hindi = hindi[extra:]
    if not hindi or len(hindi) != len(english):
        return False
    eng = [w.lower() for w in english]
    free = set(range(len(eng)))
    for w, meanings in zip(hindi, orgs.translate_words(" ".join(hindi)), strict=True):
        roman = names.romanize(w).lower()
        hit = next((i for i in sorted(free) if eng[i] in meanings), None)
        if hit is None:
            hit = next((i for i in sorted(free) if _same_word(roman, eng[i])), None)
        if hit is None:
            return False
        free.discard(hit)
    return True


def _short_form(long: str, short: str) -> bool:
    """An acronym, or a short name that opens a word of the long one ("Quad" of
    "Quadrilateral Security Dialogue")."""
    if orgs.acronym_of(short):
        return True
    if is_devanagari(long) and is_devanagari(short):
        return " " not in short  # "दक्षिण एशियाई क्षेत्रीय सहयोग संगठन (सार्क)"
    return (short[:1].isupper() and short.isalpha() and len(short) >= 3
            and any(w.startswith(short) and w != short for w in long.split()))


def _same_word(roman: str, english: str) -> bool:
    """A romanised Hindi loan word and an English word: close in spelling, or in sound key
    (``names.phonetic_key``: "intarneshnal" ~ "international", "alayans" ~ "alliance")."""
    if fuzz.ratio(roman, english) >= WORD_MATCH_RATIO:
        return True
    return fuzz.ratio(names.phonetic_key(roman), names.phonetic_key(english)) >= SOUND_MATCH_RATIO


def _sounds_like(roman: str, short: str) -> bool:
    """A romanised Devanagari word and an acronym or short name said as a word: "asiyan" ~
    "asean", "nato", "sark" ~ "saarc" (same first sound; close spelling or the same sound key:
    a short word has too few letters for a looser test, "koriya" is not "coral")."""
    if not name_sound.first_sounds(roman) & name_sound.first_sounds(short):
        return False
    return (fuzz.ratio(roman, short) >= WORD_MATCH_RATIO
            or names.phonetic_key(roman) == names.phonetic_key(short))


def _definitions(text: str, ments: list[Mention]) -> Iterable[tuple[str, str]]:
    """(long form, short form) pairs a document defines around its ORG mentions."""
    for m in ments:
        long = _clean(m.text)
        if len(long.split()) < 2:
            continue
        after = re.match(r"\s*\(\s*([^()\s,;]{2,20})\s*\)", text[m.end:m.end + 40])
        if after and _short_form(long, after.group(1)):
            yield long, after.group(1)
        before = re.search(r"(?:^|[\s(])([^()\s,;]{2,20})\s*(?:,\s*(?:the\s+)?|\(\s*(?:the\s+)?)$",
                           text[max(0, m.start - 40):m.start])
        if before and orgs.acronym_of(before.group(1)):
            yield long, before.group(1)


@dataclass
class OrgIndex:
    """The run's organisations after linking: their ids, names and forms, for the subject
    stage and the user's --subject."""

    ids: dict[str, str] = field(default_factory=dict)  # folded form or acronym -> kb_id
    canonical: dict[str, str] = field(default_factory=dict)  # kb_id -> name
    user_id: str = ""  # the group of the user's aliases, if any

    def find(self, name: str) -> str | None:
        """The kb_id a name, an acronym or an id stands for in this run, or None."""
        if not name:
            return None
        acr = orgs.acronym_of(name)
        for k in (_key(name), f"acr:{acr}" if acr else "", f"id:{name}"):
            if k and k in self.ids:
                return self.ids[k]
        return None


def link_orgs(texts: Mapping[str, str], mentions: list[Mention], aliases: Sequence[str] = (),
              orgs_file: Path | None = None) -> tuple[list[Mention], list[Entity], OrgIndex]:
    """Group the run's organisations (module docstring); return the mentions (organisations
    found again added, junk removed, every ORG with its group's id), the entities and the
    index of names. ``orgs_file``: ``Settings.orgs_file`` (None: the package's orgs.yaml)."""

    mentions = [m for m in (_trim(m) for m in mentions) if not is_junk(m)]
    nodes: list[_Node] = []
    node_of: dict[str, int] = {}

    def node(surface: str, listed: str = "") -> int:
        k = _key(surface)
        if k not in node_of:
            node_of[k] = len(nodes)
            nodes.append(_Node(k, acronym=orgs.acronym_of(_clean(surface)) or "",
                               latin=not is_devanagari(surface)))
        n = nodes[node_of[k]]
        n.surfaces[_clean(surface)] += 1
        if listed and not n.listed:
            n.listed = listed
        return node_of[k]

    for m in mentions:
        if m.label == ORG and _clean(m.text):
            i = node(m.text, orgs.org_id(m.text, m.lang, orgs_file) or "")
            if not (m.source == FOUND_SOURCE and m.score < 1):
                nodes[i].weak = False
    for acr in _bare_acronyms(texts, mentions):
        nodes[node(acr)].weak = False
    for a in aliases:
        if _clean(a):
            i = node(a, orgs.org_id(a, orgs_file=orgs_file) or "")
            nodes[i].user = True
            nodes[i].weak = False
    by_doc: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.label == ORG:
            by_doc.setdefault(m.doc_id, []).append(m)
    defined = [(node_of[_key(long)], node(short))
               for doc_id, ms in sorted(by_doc.items())
               for long, short in _definitions(texts.get(doc_id, ""), ms)]
    groups = _Groups(nodes)
    # 1. one listed id, one acronym
    by: dict[str, int] = {}
    for i, n in enumerate(nodes):
        buckets = (f"id:{n.listed}" if n.listed else "",
                   f"acr:{n.acronym}" if n.acronym else "")
        for bucket in buckets:
            if bucket:
                groups.union(by.setdefault(bucket, i), i)
    # 2. the user's names are one organisation
    users = [i for i, n in enumerate(nodes) if n.user]
    for i in users[1:]:
        groups.union(users[0], i)
    # 3. acronyms and short names defined in the text
    for i, j in defined:
        nodes[j].defined = True
        nodes[j].weak = nodes[i].weak
        groups.union(i, j)
    # 4. an acronym that is the initials of a long form
    acronyms = {n.acronym: i for i, n in enumerate(nodes) if n.acronym}
    for i, n in enumerate(nodes):
        if n.long and n.latin:
            ini = initials(n.words)
            if len(ini) >= 2 and ini in acronyms:
                groups.union(acronyms[ini], i)
    # 5. a Hindi long form and an English one, word for word
    english = [i for i, n in enumerate(nodes) if n.long and n.latin]
    for i, n in enumerate(nodes):
        if n.long and not n.latin:
            for j in english:
                if _words_correspond(n.surface.split(), nodes[j].words):
                    groups.union(i, j)
                    break
    # 6. a Devanagari name said as a word ("आसियान", "नाटो") and a Latin acronym that sounds
    # the same
    latin_acrs = [i for i, n in enumerate(nodes) if (n.acronym or n.defined) and n.latin]
    for i, n in enumerate(nodes):
        if not n.latin and not n.acronym and len(n.surface.split()) == 1:
            roman = names.romanize(n.surface).lower()
            said = {j: (nodes[j].acronym or nodes[j].surface).lower() for j in latin_acrs}
            alike = [j for j in latin_acrs if _sounds_like(roman, said[j])]
            if alike:  # the closest: नाटो is NATO, not NAFTA, when a run names both
                groups.union(i, max(alike, key=lambda j: (fuzz.ratio(roman, said[j]), -j)))
    # ...or a one-word name the lexicon translates: राष्ट्रमंडल = Commonwealth
    latin_words = {n.surface.lower(): i for i, n in enumerate(nodes)
                   if n.latin and len(n.surface.split()) == 1}
    for i, n in enumerate(nodes):
        if not n.latin and len(n.surface.split()) == 1:
            hit = next((latin_words[w] for w in orgs.translate_words(n.surface)[0]
                        if w in latin_words), None)
            if hit is not None:
                groups.union(i, hit)
    # 7. an acronym and a head noun: "Aukus pact", "the AUKUS alliance"
    by_acr = {n.acronym.lower(): i for i, n in enumerate(nodes) if n.acronym and n.latin}
    heads = {h[0] for h in orgs.head_words("en") if len(h) == 1}
    for i, n in enumerate(nodes):
        words = n.surface.split()
        if (n.latin and len(words) == 2 and words[1].lower() in heads
                and words[0].lower() in by_acr):
            groups.union(by_acr[words[0].lower()], i)
    members: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        members.setdefault(groups.find(i), []).append(i)
    weak_roots = {r for r, ms in members.items() if len(ms) == 1 and nodes[ms[0]].weak}
    mentions = [m for m in mentions
                if not (m.label == ORG and _key(m.text) in node_of
                        and groups.find(node_of[_key(m.text)]) in weak_roots)]
    mentions = _find_again(texts, mentions, nodes, groups, weak_roots)

    counts: Counter[int] = Counter()
    for m in mentions:
        if m.label == ORG and _key(m.text) in node_of:
            counts[node_of[_key(m.text)]] += 1
    index = OrgIndex()
    ids: dict[int, tuple[str, str]] = {}
    for root, ms in members.items():
        kb, name = _group_id([nodes[i] for i in ms], [counts[i] for i in ms], orgs_file)
        ids[root] = (kb, name)
        index.canonical[kb] = name
        for i in ms:
            index.ids[nodes[i].key] = kb
            if nodes[i].acronym:
                index.ids.setdefault(f"acr:{nodes[i].acronym}", kb)
            if nodes[i].listed:
                index.ids.setdefault(f"id:{nodes[i].listed}", kb)
            if nodes[i].user:
                index.user_id = kb
        index.ids.setdefault(f"id:{kb}", kb)
    out = []
    for m in mentions:
        if m.label == ORG:
            k = _key(m.text)
            found_acronym = orgs.acronym_of(m.text)
            if k in node_of:
                kb, name = ids[groups.find(node_of[k])]
                m = replace(m, kb_id=kb, canonical=name)
            elif found_acronym and f"acr:{found_acronym}" in index.ids:
                # a Devanagari acronym found again
                kb = index.ids[f"acr:{found_acronym}"]
                m = replace(m, kb_id=kb, canonical=index.canonical.get(kb, kb))
        out.append(m)
    return out, build_entities(out), index


_ACRONYM_WORD = re.compile(r"(?<![\w\-])[A-Z][A-Z0-9]{2,9}(?![\w\-])")


def _bare_acronyms(texts: Mapping[str, str], mentions: list[Mention]) -> list[str]:
    """Acronyms the NER missed ("AUKUS"): an all-capital word of three or more letters, outside
    any mention, written at least twice in the run, in a line that is not itself in capitals."""
    covered: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        covered.setdefault(m.doc_id, []).append((m.start, m.end))
    seen: Counter[str] = Counter()
    for doc_id, text in texts.items():
        spans = covered.get(doc_id, [])
        for h in _ACRONYM_WORD.finditer(text):
            if any(s <= h.start() < e for s, e in spans):
                continue
            line_start = text.rfind("\n", 0, h.start()) + 1
            line_end = text.find("\n", h.end())
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            if sum(ch.islower() for ch in line) < sum(ch.isupper() for ch in line):
                continue
            seen[h.group()] += 1
    return sorted(a for a, n in seen.items() if n >= 2 and latin_ok(a))


def latin_ok(acronym: str) -> bool:
    """Not a country's code or name ("USA", "UAE"): those are countries, not organisations."""

    return not countries.resolve(acronym, "en")


def _group_id(group: list[_Node], counts: list[int], orgs_file: Path | None = None
              ) -> tuple[str, str]:
    """(kb_id, canonical name) of a group: its listed id and name; else its most used acronym
    and its English name; else its English name; else its romanised Hindi name."""
    listed = Counter(n.listed for n in group if n.listed)
    if listed:
        kb = min(listed, key=lambda k: (-listed[k], k))
        return kb, orgs.org_name(kb, orgs_file)
    weight = {id(n): c + (100 if n.user else 0) for n, c in zip(group, counts, strict=True)}

    def best(cands: list[_Node]) -> _Node:
        return min(cands, key=lambda n: (-weight[id(n)], -len(n.surface), n.surface))

    longs = [n for n in group if n.long and n.latin]
    name = best(longs).surface if longs else ""
    acrs = [n for n in group if n.acronym]
    shorts = [n for n in group if n.defined and n.latin and not n.acronym]
    if acrs:
        kb = best(acrs).acronym
    elif shorts:  # a short name the text defines: "Quadrilateral Security Dialogue (Quad)"
        kb = best(shorts).surface
    elif name:
        kb = name
    else:
        hindi = best(group).surface
        kb = names.romanize(hindi) if is_devanagari(hindi) else hindi
    return kb, name or kb


def _find_again(texts: Mapping[str, str], mentions: list[Mention], nodes: list[_Node],
                groups: _Groups, weak_roots: set[int]) -> list[Mention]:
    """Add a mention wherever a form of a known group occurs and no mention stands: acronyms
    (a Devanagari one also by its letters), names of two or more words and the user's names."""
    forms: dict[str, str] = {}  # surface -> group key (the root's key)
    acronyms: set[str] = set()
    for i, n in enumerate(nodes):
        root = groups.find(i)
        if root in weak_roots or n.weak:
            continue
        if n.acronym or len(n.surface.split()) >= 2 or n.user or n.listed or n.defined:
            for s in n.surfaces:
                forms[s] = nodes[root].key
        if n.acronym and n.latin:
            acronyms.add(n.acronym)
    if not forms:
        return mentions
    alternation = "|".join(re.escape(s) for s in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![{_BOUNDARY}])(?:{alternation})(?![{_BOUNDARY}])")
    by_doc: dict[str, list[Mention]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc_id, []).append(m)
    langs = {m.doc_id: m.lang for m in mentions}
    added: list[Mention] = []
    dropped: set[int] = set()
    for doc_id, text in sorted(texts.items()):
        ms = by_doc.get(doc_id, [])
        spans = [(h.start(), h.end()) for h in pattern.finditer(text)]
        spans += [(h.start(), h.end()) for h in _DEVANAGARI_WORD.finditer(text)
                  if orgs.decode_acronym(h.group()) in acronyms and len(h.group()) >= 3]
        taken: list[tuple[int, int]] = []
        for lo, hi in sorted(spans, key=lambda se: (-(se[1] - se[0]), se[0])):
            if any(lo < te and ts < hi for ts, te in taken):
                continue
            over = [m for m in ms if m.start < hi and lo < m.end and id(m) not in dropped]
            if any(m.label == ORG and m.start <= lo and hi <= m.end for m in over):
                continue  # already an organisation (or part of a longer one)
            if any(m.start < lo or m.end > hi for m in over):
                continue  # another entity runs across it
            if any(m.label in (COUNTRY, DATE, NUMBER) and m.source.startswith(("gazetteer",
                                                                                "rule:date"))
                   and (m.start, m.end) == (lo, hi) for m in over):
                continue  # exactly a country or a date
            dropped.update(id(m) for m in over)
            taken.append((lo, hi))
            # the document's language (Latin names stand in Hindi text too); a Devanagari form
            # is read in the language written in Devanagari
            lang = langs.get(doc_id, "")
            if not lang or (text_script(text[lo:hi]) == DEVANAGARI
                            and not written_in_devanagari(lang)):
                lang = language_by_script(text[lo:hi])
            added.append(Mention(doc_id, lang, lo, hi, text[lo:hi], ORG, "", "", FOUND_SOURCE, 1.0))
    kept = [m for m in mentions if id(m) not in dropped]
    order = {d: i for i, d in enumerate(texts)}
    return sorted(kept + added, key=lambda m: (order.get(m.doc_id, len(order)), m.start, m.end))

"""Entity linking for one run: give every mention its kb_id and canonical name (SCHEMA.md).

All documents of a run are linked together, so a person named in English in one text and in
Devanagari in another gets one id, spelled as the English text spells it.

* COUNTRY: ``countries.country_code`` then ``demonym_code`` -> ISO alpha-3.
* ORG: ``orgs.org_id`` (also through a decoded Devanagari acronym); unknown bodies keep their
  surface text (a decoded acronym, if any) as id.
* LOC: ``places.place_id``; unknown places keep a romanised/cleaned surface text.
* DATE, NUMBER: untouched (their kb_id comes from the normaliser upstream).
* PERSON: titles are stripped into ``Mention.role``. Full names (two words or more) of one script
  join when ``name_sound.same_script_person`` holds: the family names are spellings of one word
  and the given names are compatible (same, an initial, a nickname, or absent on one side); one
  shared word is never enough. A cluster written only in Devanagari then joins the one
  Latin-spelled cluster whose name sounds like it (``name_sound.name_score`` >=
  ``cross_threshold`` / 100, the same family/given rule), unless another comes within
  ``Settings.person_link_margin``: then it stays unlinked and ``Entity.person_link`` names the
  candidates.
  A partial name ("Abe", "King Salman", "अबे") joins the one full name of the run it fits (same
  document first). The cluster is named by its fullest Latin-script spelling (an English text's,
  as written, or a Latin gloss in parentheses after a Hindi name: "शिंजो अबे (Shinzō Abe)" ->
  "Shinzo Abe", transliteration marks removed); else by the English spelling of a listed
  well-known person (``names.known_person``); else by the romanisation of its Hindi spelling.
  ``Entity.person_link`` records which (``english``, ``known``, ``romanised``, ``ambiguous: ...``).

A mention whose label the lookups contradict is relabelled when the other lookup is exact: a
"COUNTRY" that is only a city becomes LOC ("Riyadh"), a LOC or ORG that is exactly a country name
becomes COUNTRY. Unresolvable COUNTRY mentions keep an empty kb_id and are left out of entities.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from pipeline.core.config import DEFAULT, Settings
from pipeline.core.data import dashes
from pipeline.core.records import COUNTRY, LOC, ORG, PERSON, Entity, Mention
from pipeline.normalize import countries, name_sound, names, orgs, places
from pipeline.normalize.devanagari import is_devanagari, strip_accents
from pipeline.normalize.script import LATIN_GLOSS, written_in_devanagari
from pipeline.normalize.surface import clean_surface

# A Latin gloss right after a Hindi name: "शिंजो अबे (Shinzō Abe)".
_GLOSS = LATIN_GLOSS
# How a person's canonical name was found (entity_table.csv, column person_link).
LINK_ENGLISH = "english"      # a Latin spelling in the run's texts (English text or a gloss)
LINK_KNOWN = "known"          # the English spelling of a listed person (data/people.yaml)
LINK_ROMANISED = "romanised"  # no English spelling matched: the romanisation of the Hindi name
LINK_AMBIGUOUS = "ambiguous:"  # two English spellings about equally close: left unlinked
# rapidfuzz ratio of sound keys below which two names are not compared in full (a name whose
# family name sounds alike scores far higher: 80+)
PREFILTER_RATIO = 50.0
_EDGE_PUNCT = "\"'“”‘’()[]{},;:।.!?" + dashes()


def _clean_surface(text: str) -> str:
    return clean_surface(text, _EDGE_PUNCT)


# ---------------------------------------------------------------------------- non-persons
def _link_country(m: Mention, orgs_file: Path | None = None) -> Mention:
    # a state the Hindi NER found by its romanised name keeps the code it was found with
    code = countries.resolve(m.text, m.lang) or (m.kb_id if m.source == "rule:romanised"
                                                 else None)
    if code:
        return replace(m, kb_id=code, canonical=countries.country_name(code))
    place = places.place_id(m.text, m.lang)
    if place:
        return _link_loc(replace(m, label=LOC), orgs_file)
    oid = orgs.org_id(m.text, m.lang, orgs_file)
    if oid:
        return _link_org(replace(m, label=ORG), orgs_file)
    return replace(m, kb_id="", canonical=_clean_surface(m.text))


def _link_org(m: Mention, orgs_file: Path | None = None) -> Mention:
    oid = orgs.org_id(m.text, m.lang, orgs_file)
    if oid:
        return replace(m, kb_id=oid, canonical=orgs.org_name(oid, orgs_file))
    if countries.is_country_name(m.text):
        return _link_country(replace(m, label=COUNTRY), orgs_file)
    surface = _clean_surface(m.text)
    decoded = orgs.decode_acronym(surface) if is_devanagari(surface) else None
    kb = decoded or surface
    return replace(m, kb_id=kb, canonical=kb)


def _link_loc(m: Mention, orgs_file: Path | None = None) -> Mention:
    place = places.place_id(m.text, m.lang)
    if place:
        return replace(m, kb_id=place, canonical=place)
    if countries.is_country_name(m.text):
        return _link_country(replace(m, label=COUNTRY), orgs_file)
    surface = _clean_surface(m.text)
    kb = names.romanize(surface) if is_devanagari(surface) else strip_accents(surface)
    return replace(m, kb_id=kb, canonical=kb)


# -------------------------------------------------------------------------------- persons
@dataclass
class _Node:
    """One distinct (document, name) spelling of a person."""

    doc_id: str
    name: str
    latin: bool
    tokens: list[str]
    glosses: list[str] = field(default_factory=list)
    count: int = 0
    in_hindi: bool = False  # a Latin spelling inside a Hindi text is a gloss, not English prose


def _signature(node: _Node) -> tuple[object, ...]:
    """What the comparisons read of a node: its spellings and scripts, not its document."""
    return (node.name, tuple(node.glosses), node.latin, node.in_hindi)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _gloss_after(m: Mention, texts: Mapping[str, str] | None) -> str:
    if not texts or m.doc_id not in texts or not is_devanagari(m.text):
        return ""
    hit = _GLOSS.match(texts[m.doc_id][m.end:m.end + 80])
    if not hit:
        return ""
    gloss = strip_accents(hit.group(1)).strip()
    return gloss if len(gloss.split()) <= 6 else ""


def _spellings(node: _Node) -> list[str]:
    return [node.name, *node.glosses]


def _latin_spellings(node: _Node) -> list[str]:
    return ([node.name] if node.latin else []) + node.glosses


def _words(spelling: str) -> list[str]:
    return name_sound.name_words(spelling)


def _full(node: _Node) -> bool:
    return any(len(_words(s)) > 1 for s in _spellings(node))


def _same_script(a: _Node, b: _Node) -> bool:
    """One person in one script: ``name_sound.same_script_person`` on any pair of spellings of
    one script (a Latin gloss of a Hindi name counts as Latin)."""
    return any(is_devanagari(x) == is_devanagari(y) and name_sound.same_script_person(x, y)
               for x in _spellings(a) for y in _spellings(b))


def _block_keys(node: _Node) -> set[str]:
    """Coarse sound keys of the family name (the last word) of each spelling: two spellings of
    one person in one script share one."""
    keys = set()
    for spelling in _spellings(node):
        words = _words(spelling)
        if words:
            key = names.phonetic_key(words[-1])
            if key:
                keys.add(key)
    return keys or {node.name}


def _partial_fit(short: _Node, full: _Node, threshold: float,
                 word_link_min: float = DEFAULT.person_word_link_min) -> float:
    """How well a one-word name fits a full name: in one script a spelling of its first or last
    word ("Abe" of "Shinzo Abe", "Salman" of "Salman bin Abdulaziz", not the patronymic
    "Abdulaziz"); across scripts the same by sound (``Settings.person_word_link_min``). 0 if it
    does not."""
    best = 0.0
    for x in _spellings(short):
        wx = _words(x)
        if len(wx) != 1:
            continue
        for y in _spellings(full):
            wy = _words(y)
            if len(wy) < 2:
                continue
            if is_devanagari(x) == is_devanagari(y):
                if names.token_match(wx[0], wy[-1], threshold) or names.token_match(
                        wx[0], wy[0], threshold):
                    best = max(best, 1.0)
            else:
                score = name_sound.partial_score(x, y, word_link_min)
                best = max(best, score)
    return best


def _pick(counts: Counter[str]) -> str:
    """A full name over a partial, then the most used spelling, then the longer, then A-Z."""
    def key(s: str) -> tuple[int, int, int, str]:
        n = len(names.name_tokens(s))
        return (0 if n > 1 else 1, -counts[s], -n, s)
    return min(counts, key=key)


def _canonical(nodes: list[_Node], allow_known: bool = True) -> tuple[str, str]:
    """(canonical name, how it was found): ``english`` (a Latin spelling of the run), ``known``
    (data/people.yaml; not for a name tied between two people of the run, whose listed spelling
    could be one of theirs) or ``romanised`` (no English spelling matched)."""
    latin: Counter[str] = Counter()
    for n in nodes:
        if n.latin:
            # an English text's spelling as written; a Latin name inside a Hindi text is a gloss
            latin[strip_accents(n.name) if n.in_hindi else n.name] += n.count
        for g in n.glosses:
            latin[g] += n.count
    if latin:
        return _pick(latin), LINK_ENGLISH
    deva: Counter[str] = Counter()
    for n in nodes:
        deva[n.name] += n.count
    for spelling in sorted(deva, key=lambda s: (-deva[s], -len(s), s)):
        known = names.known_person(spelling) if allow_known else None
        if known:
            return known, LINK_KNOWN
    return names.romanize(_pick(deva)), LINK_ROMANISED


def _coarse_keys(spelling: str) -> tuple[tuple[str, ...], str]:
    """(sound keys of the family name and the first word, the whole name's first keys joined):
    a cheap pre-filter so that the full comparison runs only on names that could match."""
    words = _words(spelling)
    return name_sound.sound_keys(words[-1]) + name_sound.sound_keys(words[0]), "".join(
        (name_sound.sound_keys(w) or ("",))[0] for w in words)


def _cross_score(deva: str, latin: str,
                 word_link_min: float = DEFAULT.person_word_link_min) -> float:
    """0-1: a Devanagari spelling against a Latin one. Full names: ``name_sound.name_score``;
    one word against one word or against a full name's first or last word: its sound, counted
    only from ``Settings.person_word_link_min`` (one word is weak evidence)."""
    n_deva, n_latin = len(_words(deva)), len(_words(latin))
    if n_deva > 1:
        return name_sound.name_score(deva, latin) if n_latin > 1 else 0.0
    if n_latin > 1:
        return name_sound.partial_score(deva, latin, word_link_min)
    score = name_sound.name_score(deva, latin)
    return score if score >= word_link_min else 0.0


def _may_match(a: tuple[tuple[str, ...], str], b: tuple[tuple[str, ...], str]) -> bool:
    return (fuzz.ratio(a[1], b[1]) >= PREFILTER_RATIO
            or any(fuzz.ratio(x, y) >= PREFILTER_RATIO for x in a[0] for y in b[0]))


_Id = TypeVar("_Id")


@dataclass(frozen=True)
class EnglishCandidate(Generic[_Id]):
    """A person spelled in Latin script that a Devanagari-only name may link to: its id, its
    spellings and their coarse sound keys (a cheap filter before scoring)."""

    id: _Id
    names: tuple[str, ...]
    keys: tuple[tuple[tuple[str, ...], str], ...]


def english_candidate(id_: _Id, spellings: Sequence[str]) -> EnglishCandidate[_Id]:
    return EnglishCandidate(id_, tuple(spellings), tuple(_coarse_keys(y) for y in spellings))


def cross_script_choice(spellings: Sequence[str], candidates: Sequence[EnglishCandidate[_Id]],
                        link_min: float, settings: Settings = DEFAULT) -> list[_Id]:
    """The linker's rule for a name written only in Devanagari (its ``spellings``): the ids of
    the candidates it sounds like (``_cross_score`` >= ``link_min``) within
    ``Settings.person_link_margin`` of the best, best first. One id: it links; several: a tie,
    it stays unlinked; none: nobody is close enough."""
    keys = [_coarse_keys(x) for x in spellings]
    scored = []
    for pos, cand in enumerate(candidates):
        if not any(_may_match(a, b) for a in keys for b in cand.keys):
            continue
        best = max((_cross_score(x, y, settings.person_word_link_min)
                    for x in spellings for y in cand.names), default=0.0)
        if best >= link_min:
            scored.append((best, pos))
    scored.sort(key=lambda t: (-t[0], t[1]))
    if not scored:
        return []
    return [candidates[pos].id for score, pos in scored
            if score > scored[0][0] - settings.person_link_margin]


def _cross_script(nodes: list[_Node], uf: _UnionFind, link_min: float,
                  settings: Settings = DEFAULT) -> dict[int, list[int]]:
    """Link each cluster written only in Devanagari to the one English-spelled cluster whose
    name sounds like it (``_cross_score`` >= ``link_min``: family names matching and given names
    compatible; a one-word name by its sound), if no other English-spelled cluster comes within
    ``Settings.person_link_margin``. Returns {Devanagari root: tied English roots} for the names
    left unlinked because two candidates were about equally close."""
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        members[uf.find(i)].append(i)
    latin_roots = sorted(r for r, ms in members.items()
                         if any(_latin_spellings(nodes[i]) for i in ms))
    deva_roots = sorted(r for r in members if r not in set(latin_roots))
    # each distinct spelling once: a name repeated in many documents is compared once
    latin_names = {r: list(dict.fromkeys(s for i in members[r] for s in _latin_spellings(nodes[i])
                                         if _words(s)))
                   for r in latin_roots}
    candidates = [english_candidate(r, latin_names[r]) for r in latin_roots]
    ties: dict[int, list[int]] = {}
    joins: list[tuple[int, int]] = []
    for root in deva_roots:
        # a cluster with a full name is compared by it; one of one-word names by those
        spellings = list(dict.fromkeys(
            [nodes[i].name for i in members[root] if len(_words(nodes[i].name)) > 1] or [
                nodes[i].name for i in members[root] if _words(nodes[i].name)]))
        near = cross_script_choice(spellings, candidates, link_min, settings)
        if not near:
            continue
        if len(near) == 1:
            joins.append((root, near[0]))
        else:
            ties[root] = near
    for root, lr in joins:
        uf.union(root, lr)
    return {uf.find(r): lrs for r, lrs in ties.items()}


def _link_same_script(nodes: list[_Node], order: list[int], rank: dict[int, int],
                      buckets: dict[str, list[int]], uf: _UnionFind) -> None:
    """Join full names of one script that are one person, without chains: a name that fits two
    people who are not one ("George Bush" of "George W. Bush" and "George H. W. Bush") joins
    neither, and two clusters join only if none of their names are two different people."""
    full = [i for i in order if _full(nodes[i])]
    fits: dict[int, set[int]] = defaultdict(set)
    apart: set[tuple[int, int]] = set()
    for i in full:
        found = {j for k in _block_keys(nodes[i]) for j in buckets[k] if rank[j] > rank[i]}
        for j in sorted(found, key=rank.__getitem__):
            if not _full(nodes[j]):
                continue
            if _same_script(nodes[i], nodes[j]):
                fits[i].add(j)
                fits[j].add(i)
            elif _comparable(nodes[i], nodes[j]):
                apart.add((min(i, j), max(i, j)))
    # spellings of the same words (Jaber al-Ahmad al-Sabah / Jaber Al-Ahmad Al-Sabah, राहील शरीफ /
    # रहेल शरीफ) are one name whatever else they fit
    for i in full:
        for j in sorted(fits[i], key=rank.__getitem__):
            if rank[j] > rank[i] and _variants(nodes[i], nodes[j]):
                uf.union(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in full:
        members[uf.find(i)].append(i)
    ambiguous = {i for i, js in fits.items()
                 if any((min(a, b), max(a, b)) in apart for a in js for b in js if a < b)}
    for i in full:
        if i in ambiguous:
            continue
        for j in sorted(fits[i] - ambiguous, key=rank.__getitem__):
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj or any((min(a, b), max(a, b)) in apart
                               for a in members[ri] for b in members[rj]):
                continue
            uf.union(ri, rj)
            root = uf.find(ri)
            members[root] = members.pop(ri if root != ri else rj) + members[root]


def _variants(a: _Node, b: _Node) -> bool:
    """True when two names of one script have the same words, each a spelling of the other's."""
    for x in _spellings(a):
        for y in _spellings(b):
            wx, wy = _words(x), _words(y)
            if is_devanagari(x) == is_devanagari(y) and len(wx) == len(wy) and all(
                    names.token_match(p, q) for p, q in zip(wx, wy, strict=True)):
                return True
    return False


def _comparable(a: _Node, b: _Node) -> bool:
    """True when two full names share a script (so that not being one person is known)."""
    return any(is_devanagari(x) == is_devanagari(y) for x in _spellings(a) for y in _spellings(b))


def _link_persons(persons: list[tuple[int, Mention]], threshold: float, link_min: float,
                  settings: Settings,
                  texts: Mapping[str, str] | None) -> tuple[dict[int, Mention], dict[str, str]]:
    nodes: list[_Node] = []
    node_of: dict[tuple[str, str], int] = {}
    mention_node: dict[int, tuple[int, str]] = {}
    for idx, m in persons:
        core, role = names.strip_title(_clean_surface(m.text), m.lang)
        core = names.trim_name(_clean_surface(core)) or _clean_surface(m.text)
        key = (m.doc_id, core)
        if key not in node_of:
            node_of[key] = len(nodes)
            nodes.append(_Node(m.doc_id, core, not is_devanagari(core), names.name_tokens(core),
                               in_hindi=written_in_devanagari(m.lang)))
        node = nodes[node_of[key]]
        node.count += 1
        gloss = _gloss_after(m, texts)
        if gloss and gloss not in node.glosses:
            node.glosses.append(gloss)
        # a title the NER already split off (its own surface or English) becomes the English role
        mention_node[idx] = (node_of[key], role or names.title_role(m.role) or m.role)

    order = sorted(range(len(nodes)), key=lambda i: (nodes[i].doc_id, nodes[i].name))
    rank = {i: r for r, i in enumerate(order)}
    # The same spelling in many documents (syndicated news, a corpus of one coalition) is one
    # name: the comparisons run once per distinct spelling (its first node stands for all), so
    # the work grows with the distinct names, not with the documents that repeat them.
    rep_of: dict[tuple[object, ...], int] = {}
    copies: dict[int, list[int]] = defaultdict(list)
    for i in order:
        rep = rep_of.setdefault(_signature(nodes[i]), i)
        copies[rep].append(i)
    reps = [i for i in order if rep_of[_signature(nodes[i])] == i]
    # Blocking: spellings of one person in one script share the coarse sound key of their family
    # name, so only nodes sharing a key are compared (thousands of names would otherwise need
    # millions of comparisons).
    buckets: dict[str, list[int]] = defaultdict(list)
    for i in reps:
        for k in sorted(_block_keys(nodes[i])):
            buckets[k].append(i)

    uf = _UnionFind(len(nodes))
    # 1. full names in one script (a Latin gloss counts as Latin): family name and given names;
    # the copies of a full spelling are one name
    _link_same_script(nodes, reps, rank, buckets, uf)
    for rep, same in copies.items():
        if _full(nodes[rep]):
            for j in same:
                uf.union(rep, j)
    # 2. names written only in Devanagari -> the one English spelling that sounds like them
    ties = _cross_script(nodes, uf, link_min, settings)
    # 3. partial names: join the only cluster they fit (same document first, then the run)
    full_reps = [j for j in reps if _full(nodes[j])]
    docs_of = {j: {nodes[c].doc_id for c in copies[j]} for j in full_reps}
    fitting: dict[tuple[object, ...], list[int]] = {}
    for i in order:
        short = nodes[i]
        if _full(short):
            continue
        sig = _signature(short)
        if sig not in fitting:
            fitting[sig] = [j for j in full_reps if _partial_fit(
                short, nodes[j], threshold, settings.person_word_link_min) > 0]
        candidates = fitting[sig]
        if not candidates:
            continue
        same_doc = {uf.find(j) for j in candidates if short.doc_id in docs_of[j]}
        run = {uf.find(j) for j in candidates}
        target = same_doc if same_doc else run
        if len(target) == 1:
            uf.union(i, next(iter(target)))

    clusters: dict[int, list[_Node]] = defaultdict(list)
    for i in order:
        clusters[uf.find(i)].append(nodes[i])
    canonical = {root: _canonical(members, allow_known=root not in ties)
                 for root, members in clusters.items()}
    notes: dict[str, str] = {}
    for root, (name, how) in canonical.items():
        tied = ties.get(root)
        if tied and how != LINK_ENGLISH:
            how = LINK_AMBIGUOUS + " " + " | ".join(sorted(canonical[uf.find(t)][0] for t in tied))
        notes[name] = how

    out: dict[int, Mention] = {}
    for idx, m in persons:
        n, role = mention_node[idx]
        name = canonical[uf.find(n)][0]
        out[idx] = replace(m, kb_id=name, canonical=name, role=role)
    return out, notes


# ------------------------------------------------------------------------------------ API
def link(mentions: list[Mention], threshold: float = 85.0, cross_threshold: float = 80.0,
         texts: Mapping[str, str] | None = None, orgs_file: Path | None = None,
         settings: Settings = DEFAULT) -> tuple[list[Mention], list[Entity]]:
    """Fill kb_id/canonical (and role for persons) for every mention of a run.

    ``threshold`` is ``Settings.person_match_threshold`` (letters of two spellings of a one-word
    name in one script); ``cross_threshold`` is ``Settings.cross_script_match_threshold``, the
    sound score (0-100) from which a Devanagari-only name links to an English spelling.
    ``texts`` (doc_id -> normalised text), when given, lets a Latin gloss in parentheses after a
    Hindi name name the person. ``orgs_file``: ``Settings.orgs_file``; ``settings``: the person
    link margin and one-word minimum (``Settings.person_link_margin``, ``person_word_link_min``).
    Returns the mentions in input
    order and one Entity per (kb_id, label), sorted by label then kb_id, mentions by position.
    """
    linked: dict[int, Mention] = {}
    persons: list[tuple[int, Mention]] = []
    for idx, m in enumerate(mentions):
        if m.label == COUNTRY:
            linked[idx] = _link_country(m, orgs_file)
        elif m.label == ORG:
            linked[idx] = _link_org(m, orgs_file)
        elif m.label == LOC:
            linked[idx] = _link_loc(m, orgs_file)
        elif m.label == PERSON:
            persons.append((idx, m))
        else:
            linked[idx] = m
    person_links, notes = _link_persons(persons, threshold, cross_threshold / 100.0, settings,
                                        texts)
    linked.update(person_links)
    result = [m for i in range(len(mentions)) if not _lone_word_person(m := linked[i])]
    return result, build_entities(result, notes)


def _lone_word_person(m: Mention) -> bool:
    """A one-word "person" from a statistical model, with no title and not linked to any fuller
    name in the run ("Secretariat", "Commission"): more often a mislabelled noun than a person.
    A surname that links to a full name ("Abe" → Shinzo Abe) or a titled one ("King Salman")
    stays."""
    return (m.label == PERSON and m.source == "model" and not m.role
            and " " not in m.text.strip() and " " not in m.kb_id)


def build_entities(mentions: list[Mention], person_links: Mapping[str, str] | None = None
                   ) -> list[Entity]:
    """One Entity per (kb_id, label) over mentions with a kb_id; deterministic order.
    ``person_links`` (person kb_id -> how its name was found) fills ``Entity.person_link``."""
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.kb_id:
            groups[(m.label, m.kb_id)].append(m)
    entities = []
    for (label, kb_id), ms in sorted(groups.items()):
        ms.sort(key=lambda m: (m.doc_id, m.start, m.end, m.text))
        canon = Counter(m.canonical for m in ms if m.canonical)
        name = min(canon, key=lambda c: (-canon[c], c)) if canon else kb_id
        link_note = (person_links or {}).get(kb_id, "") if label == PERSON else ""
        entities.append(Entity(kb_id=kb_id, label=label, canonical=name, mentions=tuple(ms),
                               person_link=link_note))
    return entities

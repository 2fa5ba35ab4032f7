"""Matching person names by sound across scripts, and the rule that keeps two people apart.

A Hindi text writes a foreign name as it sounds ("क्रेग यंग"); one romanisation of it ("Kreg
Yang") rarely equals the English spelling ("Craig Young"). So both spellings are reduced to sound
keys in one small alphabet (``data/name_sounds.yaml``): Devanagari through a letter table, with
the inherent vowel both kept and dropped; English through ordered spelling rules with
alternatives (c = k/s, g = g/j, ch = ch/k/sh, j = j/y/h, a silent final e, ph, th, gh, ck ...).
Two words are compared by a weighted edit distance over their keys in which vowels, h and
voicing pairs cost little and different consonants cost much.

Two names are the same person only when their family names (last words) match and their given
names are compatible: a lone given name matches one of the other's, several match the other's
in place (same sound, an initial, or a nickname from the ``nicknames`` package); a middle name
present on one side only is allowed. One shared word is never enough ("Imran Khan" / "Hassan Khan",
"X Rashid" / "Rashid Y").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import product
from typing import TypedDict, cast

from nicknames import name_triplets

from pipeline.core.config import (
    PERSON_FAMILY_WEIGHT,
    PERSON_GIVEN_MIN,
    PERSON_INITIAL_SCORE,
    PERSON_JOINED_MIN,
    PERSON_NICKNAME_SCORE,
    PERSON_WORD_MIN,
)
from pipeline.core.data import dash_class, load_yaml
from pipeline.normalize import names
from pipeline.normalize.devanagari import is_devanagari, strip_accents, strip_nukta

_WORD_SPLIT = re.compile(rf"(?:\s|_|{dash_class()})+")
_ROMAN = re.compile(r"^[IVXLC]+$")
_NON_LETTER = re.compile(r"[^\w\u0900-\u097f]+")


# ------------------------------------------------------------------------------- data
class _DevanagariTables(TypedDict):
    """Devanagari consonants, vowels and matras, and signs -> sound key."""

    consonants: dict[str, str]
    vowels: dict[str, str]
    signs: dict[str, str]


class _Costs(TypedDict):
    """The weights of the edit distance between two sound keys."""

    vowel_substitution: float
    vowel_indel: float
    weak_indel: float
    weak: list[str]
    near_substitution: float
    near: list[list[str]]


class _SoundData(TypedDict):
    """The shape of ``name_sounds.yaml``; ``english`` rules are [pattern, key, alternative
    keys...]."""

    vowels: list[str]
    devanagari: _DevanagariTables
    english: list[list[str]]
    max_keys: int
    costs: _Costs


@lru_cache(maxsize=1)
def _data() -> _SoundData:
    return cast(_SoundData, load_yaml("name_sounds.yaml"))


@lru_cache(maxsize=1)
def _deva_table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(consonant -> key, vowel or matra -> key, sign -> key), keys NFD-normalised so that a
    precomposed nukta letter (क़) and letter + nukta (क + ़) read the same."""
    d = _data()["devanagari"]

    def nfd(table: dict[str, str]) -> dict[str, str]:
        return {unicodedata.normalize("NFD", k): v for k, v in table.items()}
    return nfd(d["consonants"]), nfd(d["vowels"]), nfd(d["signs"])


@lru_cache(maxsize=1)
def _english_rules() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    return tuple((re.compile(rule[0]), tuple(rule[1:])) for rule in _data()["english"])


@lru_cache(maxsize=1)
def _costs() -> tuple[frozenset[str], float, float, float, frozenset[str], float,
                      frozenset[frozenset[str]]]:
    c = _data()["costs"]
    near = frozenset(frozenset(p) for p in c["near"])
    return (frozenset(_data()["vowels"]), c["vowel_substitution"], c["vowel_indel"],
            c["weak_indel"], frozenset(c["weak"]), c["near_substitution"], near)


@lru_cache(maxsize=1)
def _letter_names() -> dict[str, str]:
    """Devanagari spelling of a Latin letter's name -> the letter (के -> K, एल -> L)."""
    out: dict[str, str] = {}
    for letter, spellings in load_yaml("hi/devanagari_letters.yaml")["letters"].items():
        for s in spellings:
            out.setdefault(unicodedata.normalize("NFC", s), letter)
    return out


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Lower-case given name -> the names it is a nickname or full form of (Dan <-> Daniel).

    Source: the ``nicknames`` package (C. Northern and N. Crews, hand-curated English given names
    and their nicknames, Apache-2.0). Two short forms of one full name are related too (Dan and
    Danny, both of Daniel)."""
    groups: dict[str, set[str]] = {}
    for t in name_triplets():
        full, short = t.name1.lower(), t.name2.lower()
        groups.setdefault(full, {full}).add(short)
    related: dict[str, set[str]] = {}
    for members in groups.values():
        for m in members:
            related.setdefault(m, set()).update(members)
    return {k: frozenset(v - {k}) for k, v in related.items()}


# --------------------------------------------------------------------------------- words
def name_words(name: str) -> list[str]:
    """The words of a name without particles (bin, al, von, बिन) and punctuation, in order.
    An initial keeps its letter: "K. L. Rahul" -> ["K", "L", "Rahul"]."""
    return list(_name_words(name))


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    latin_particles, deva_particles = names._particles()
    words = []
    for raw in _WORD_SPLIT.split(unicodedata.normalize("NFC", name)):
        w = _NON_LETTER.sub("", raw)
        if not w:
            continue
        if w.lower() in latin_particles or w in deva_particles \
                or strip_nukta(w) in deva_particles:
            continue
        words.append(w)
    # a name whose every word is a particle ("Al") keeps its words
    return tuple(words or [w for w in (_NON_LETTER.sub("", r) for r in _WORD_SPLIT.split(name))
                           if w])


def _has_initial(words: list[str]) -> bool:
    return any(initial_of(w) for w in words)


def initial_of(word: str) -> str:
    """The Latin letter a word stands for when it is an initial ("K", "के" -> "K"), else ''."""
    if is_devanagari(word):
        return _letter_names().get(word, "")
    w = strip_accents(word)
    return w.upper() if len(w) == 1 and w.isalpha() else ""


# ---------------------------------------------------------------------------------- keys
def _deva_keys(word: str) -> tuple[str, ...]:
    """Sound keys of a Devanagari word: inherent vowels as Hindi drops them, and all kept
    (English names written in Hindi keep more of them: "मॉरिसन" = Morrison)."""
    cons, vows, signs = _deva_table()
    w = unicodedata.normalize("NFD", word)
    keys = []
    for deleted in (names._delete_schwas(w), w):
        out: list[str] = []
        for u in names._syllables(deleted):
            if "other" in u:
                continue
            out.extend(cons.get(c, "") for c in u["cons"])
            v = u["vowel"]
            if v == names.INHERENT:
                out.append("a")
            elif v:
                out.append(vows.get(v, ""))
            out.extend(signs.get(s, "") for s in u["sign"])
        key = re.sub(r"n(?=[pbmfv])", "m", "".join(out))  # anusvara before a labial
        keys.append(key)
    # a word-final inherent vowel is silent (सलमान); the all-kept variant keeps only medial ones
    if keys[1].endswith("a") and not w.endswith(tuple(vows)) and len(keys[1]) > 1:
        keys[1] = keys[1][:-1]
    return tuple(dict.fromkeys(k for k in keys if k))


def _english_keys(word: str) -> tuple[str, ...]:
    """Every likely sound key of an English spelling (the ordered rules, branching on each
    alternative, capped at ``max_keys``)."""
    base = re.sub(r"[^a-z]", "", strip_accents(word).lower())
    if not base:
        return ()
    cap = int(_data()["max_keys"])
    keys = [base]
    for pattern, repls in _english_rules():
        nxt: list[str] = []
        for k in keys:
            if not pattern.search(k):
                nxt.append(k)
                continue
            for r in repls:
                nxt.append(pattern.sub(r, k))
        keys = list(dict.fromkeys(nxt))[:cap]
    # lower-case, then doubled letters are one sound (Rudd, Mattis, Morrison)
    out = (re.sub(r"(.)\1+", r"\1", k.lower()) for k in keys)
    return tuple(dict.fromkeys(k for k in out if k))


@lru_cache(maxsize=65536)
def sound_keys(word: str) -> tuple[str, ...]:
    """Sound keys of one name word in either script ("Craig" and "क्रेग" share "kreg")."""
    return _deva_keys(word) if is_devanagari(word) else _english_keys(word)


def first_sounds(word: str) -> frozenset[str]:
    """The sounds a word can begin with ("Quad" and "kuad": k; "Cecil": s or c)."""
    return frozenset(k[:1] for k in sound_keys(word))


@lru_cache(maxsize=1)
def _cost_tables() -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """(indel cost per sound, substitution cost per pair of sounds) for the key alphabet."""
    vowels, v_sub, v_indel, w_indel, weak, near_sub, near = _costs()
    alphabet = set(vowels) | set(weak) | {c for pair in near for c in pair} | set(
        "".join(_deva_table()[0].values()))
    indel = {ch: v_indel if ch in vowels else w_indel if ch in weak else 1.0 for ch in alphabet}
    sub: dict[tuple[str, str], float] = {}
    for x in alphabet:
        for y in alphabet:
            sub[(x, y)] = 0.0 if x == y else v_sub if x in vowels and y in vowels else (
                near_sub if frozenset((x, y)) in near else 1.0)
    return indel, sub


@lru_cache(maxsize=262144)
def _key_distance(a: str, b: str) -> float:
    """Weighted edit distance of two sound keys (vowels, h and y cheap; near consonants half)."""
    indel, sub = _cost_tables()
    prev = [0.0]
    for ch in b:
        prev.append(prev[-1] + indel.get(ch, 1.0))
    for x in a:
        dx = indel.get(x, 1.0)
        cur = [prev[0] + dx]
        left = cur[0]
        for j, y in enumerate(b, 1):
            left = min(prev[j] + dx, left + indel.get(y, 1.0),
                       prev[j - 1] + sub.get((x, y), 0.0 if x == y else 1.0))
            cur.append(left)
        prev = cur
    return prev[-1]


def _key_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return max(0.0, 1.0 - _key_distance(a, b) / max(len(a), len(b)))


@lru_cache(maxsize=131072)
def word_similarity(a: str, b: str) -> float:
    """0-1: how alike two name words sound, in any scripts (the best pair of their keys)."""
    ka, kb = sound_keys(a), sound_keys(b)
    if not ka or not kb:
        return 0.0
    return max(_key_similarity(x, y) for x, y in product(ka, kb))


# ----------------------------------------------------------------------------- given names
def _nickname_forms(word: str) -> frozenset[str]:
    return _nicknames().get(strip_accents(word).lower(), frozenset())


@lru_cache(maxsize=65536)
def given_compatible(a: str, b: str, word_min: float = PERSON_GIVEN_MIN) -> float:
    """0 when two given names cannot be one person's, else how well they agree: the same sound,
    an initial of the other (K / Kannaur, के / Kannaur), or a nickname (Dan / Daniel, also when
    one side is in Devanagari: "डैन" / Daniel)."""
    ia, ib = initial_of(a), initial_of(b)
    if ia or ib:
        if ia and ib:
            return PERSON_INITIAL_SCORE if ia == ib else 0.0
        letter, word = (ia, b) if ia else (ib, a)
        return PERSON_INITIAL_SCORE if _starts_like(word, letter) else 0.0
    sim = word_similarity(a, b)
    if sim >= word_min:
        return sim
    for x, y in ((a, b), (b, a)):
        if is_devanagari(y):
            continue
        forms = _nickname_forms(y)
        if (not is_devanagari(x) and strip_accents(x).lower() in forms) or (
                is_devanagari(x) and any(word_similarity(x, f) >= word_min for f in forms)):
            return PERSON_NICKNAME_SCORE
    return 0.0


def _starts_like(word: str, letter: str) -> bool:
    """True when ``word`` can begin with the sound of the Latin ``letter`` (C: Craig or Cecil)."""
    if not is_devanagari(word):
        return strip_accents(word)[:1].upper() == letter
    firsts = {k[:1] for k in sound_keys(word)}
    return any(k[:1] in firsts for k in _english_keys(letter.lower()))


# ---------------------------------------------------------------------------------- names
def person_score(a: str, b: str, word_min: float = PERSON_WORD_MIN,
                 given_min: float = PERSON_GIVEN_MIN) -> float:
    """0-1: how likely two full names (2+ words each, any scripts) are one person; 0 unless the
    family names match (>= ``word_min``) and the given names are compatible (a lone given name
    with any of the other's, several with the other's in place). The score weighs the family
    name by ``PERSON_FAMILY_WEIGHT`` and the given names by the rest."""
    return _structure_score(name_words(a), name_words(b), lambda x, y: word_similarity(x, y),
                            lambda x, y: given_compatible(x, y, given_min), word_min)


def _spelling_match(a: str, b: str) -> float:
    """1 when two words of one script are one spelling's variants (``names.token_match``)."""
    return 1.0 if names.token_match(a, b) else 0.0


def _spelling_given(a: str, b: str) -> float:
    if initial_of(a) or initial_of(b):
        return given_compatible(a, b)
    if names.token_match(a, b):
        return 1.0
    forms = _nickname_forms(a) | _nickname_forms(b)
    low_a, low_b = strip_accents(a).lower(), strip_accents(b).lower()
    return PERSON_NICKNAME_SCORE if low_a in forms or low_b in forms else 0.0


def same_script_person(a: str, b: str) -> bool:
    """True when two full names in one script are one person: the family names are spellings
    of one word (Rahil / Raheel, strict sound key or nearly the same letters), every given name
    of the shorter name matches one of the other's in order (a spelling, an initial, a
    nickname); or the two are one name written as one word or two (Abdulaziz / Abdul Aziz)."""
    wa, wb = name_words(a), name_words(b)
    if len(wa) < 2 or len(wb) < 2:
        return False
    if len(wa) != len(wb) and not _has_initial(wa + wb) and \
            names.strict_key("".join(wa)) == names.strict_key("".join(wb)):
        return True
    return _structure_score(wa, wb, _spelling_match, _spelling_given, 1.0) > 0


def _structure_score(wa: list[str], wb: list[str], family_fn: Callable[[str, str], float],
                     given_fn: Callable[[str, str], float], family_min: float) -> float:
    if len(wa) < 2 or len(wb) < 2 or initial_of(wa[-1]) or initial_of(wb[-1]):
        return 0.0
    if (_ROMAN.match(wa[-1]) or _ROMAN.match(wb[-1])) and wa[-1] != wb[-1]:
        return 0.0  # regnal numbers: Charles II is not Charles III
    family = family_fn(wa[-1], wb[-1])
    if family < family_min:
        return 0.0
    ga, gb = wa[:-1], wb[:-1]
    short, long_ = (ga, gb) if len(ga) <= len(gb) else (gb, ga)
    scores: list[float] = []
    if len(short) > 1:
        # both write middle names: they must agree in place, more only at the end (George W. Bush
        # is not George H. W. Bush; John F. Kennedy is John Fitzgerald Kennedy)
        scores = [given_fn(g, h) for g, h in zip(short, long_, strict=False)]
        if not all(scores):
            return 0.0
    else:
        # one given name on one side: any of the other's ("Tayyip Erdogan" of "Recep Tayyip
        # Erdogan", "लूला दा सिल्वा" of "Luiz Inacio Lula da Silva")
        scores = [max((given_fn(short[0], h) for h in long_), default=0.0)]
        if not scores[0]:
            return 0.0
    given = sum(scores) / len(scores)
    # a given name the other side leaves out weighs a little against (two candidates that differ
    # only there are then about equally close: the name is left unlinked)
    extra = 0.02 * (len(long_) - len(short))
    return round(PERSON_FAMILY_WEIGHT * family + (1 - PERSON_FAMILY_WEIGHT) * given - extra, 4)


def name_score(a: str, b: str) -> float:
    """0-1 for any two names: ``word_similarity`` for two one-word names, ``person_score`` for two
    longer ones, and, when the word counts differ, the sound of the names written as one word
    ("Abdulaziz" / "Abdul Aziz") if at least ``PERSON_JOINED_MIN``. A one-word name against a
    longer one is a partial name (``partial_score``): 0 here."""
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return 0.0
    if len(wa) == len(wb) == 1:
        return word_similarity(wa[0], wb[0])
    score = person_score(a, b) if len(wa) > 1 and len(wb) > 1 else 0.0
    if len(wa) != len(wb) and not _has_initial(wa + wb):
        joined = word_similarity("".join(wa), "".join(wb))
        if joined >= PERSON_JOINED_MIN:
            score = max(score, joined)
    return score


def partial_score(word: str, full: str, word_min: float = PERSON_WORD_MIN) -> float:
    """0-1: how well a one-word name fits a full name's family name (its last word) or first
    word ("Abe" of "Shinzo Abe", "Salman" of "Salman bin Abdulaziz"); 0 below ``word_min``."""
    ws = name_words(word)
    wf = name_words(full)
    if len(ws) != 1 or len(wf) < 2:
        return 0.0
    best = max(word_similarity(ws[0], wf[-1]), word_similarity(ws[0], wf[0]))
    return best if best >= word_min else 0.0

"""Organisations, alliances and armed groups -> canonical short name (SCHEMA.md ORG kb_id).

``data/orgs.yaml`` lists each body's canonical id (its acronym when it has one: IMCTC, OIC, UN),
English full name and English/Hindi surface forms. Lookups compare ``devanagari.fold`` keys.

Hindi writes most acronyms as the names of their Latin letters (आईएमसीटीसी = I-M-C-T-C,
ओआईसी = O-I-C, एससीओ = S-C-O). ``decode_acronym`` reads such a token with the letter-name table
in ``data/hi/devanagari_letters.yaml`` (dynamic programming over the token: it succeeds only when
the whole token is a sequence of letter names and digits), so acronyms missing from orgs.yaml are
still linked to their Latin form and to the same id as the English text's "(SCO)".
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.config import DEFAULT
from pipeline.core.data import dash_class, load_yaml, surface_forms
from pipeline.normalize.devanagari import fold, is_devanagari, strip_nukta
from pipeline.normalize.numbers import to_ascii_digits
from pipeline.normalize.script import written_in_devanagari
from pipeline.normalize.surface import clean_surface

# Devanagari acronyms may be dotted or hyphenated: "यू.एन.", "जी-20".
_ACRONYM_PUNCT = re.compile(rf"[.\s\u0970]|{dash_class()}")


# Every reader of the organisations list takes its path (``Settings.orgs_file``; None: the
# package's data/orgs.yaml) and caches per path, so no run changes what another reads.
# orgs.yaml is a convenience, not a precondition: an empty file leaves every organisation to be
# found in the text (issue 14). A missing or unreadable file is an error naming it.


@lru_cache(maxsize=4)
def _data(path: Path | None = None) -> dict[str, dict[str, Any]]:
    path = Path(path) if path is not None else DEFAULT.orgs_file
    if not path.is_file():
        raise ValueError(f"{path}: organisations file not found")
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ValueError(f"{path}: cannot read the organisations file: {err}") from err
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of organisation ids")
    return data


def check_orgs_file(path: Path | None) -> None:
    """Raise ValueError (naming the file) when ``path`` cannot be read as an organisations
    list: checked when a run starts, before any stage reads it."""
    _data(path)


@lru_cache(maxsize=4)
def _index(path: Path | None = None) -> dict[str, str]:
    idx: dict[str, str] = {}
    for oid in _data(path):
        idx.setdefault(fold(oid), oid)
    for oid, entry in _data(path).items():
        for s in surface_forms(entry):
            idx.setdefault(fold(s), oid)
    return idx


@lru_cache(maxsize=8192)
def org_id(text: str, lang: str | None = None, orgs_file: Path | None = None) -> str | None:
    """Canonical id of a known organisation ("ओआईसी", "Organisation of Islamic Cooperation" ->
    "OIC"), also through a spelled-out Devanagari acronym; None when unknown."""
    t = clean_surface(text)
    if not t:
        return None
    index = _index(orgs_file)
    oid = index.get(fold(t))
    if oid:
        return oid
    if is_devanagari(t):
        latin = decode_acronym(t)
        if latin:
            return index.get(fold(latin))
    elif re.fullmatch(r"[A-Za-z][A-Za-z.\-]*[A-Za-z0-9.]", t):  # "U.N.", "G-20"
        return index.get(fold(t.replace(".", "").replace("-", "")))
    return None


def org_name(kb_id: str, orgs_file: Path | None = None) -> str:
    """English full name for an id ("OIC" -> "Organisation of Islamic Cooperation"); an unknown
    id is its own name."""
    entry = _data(orgs_file).get(kb_id)
    return entry.get("name", kb_id) if entry else kb_id


@lru_cache(maxsize=8)
def gazetteer(lang: str, include_ambiguous: bool = False, orgs_file: Path | None = None
              ) -> dict[str, str]:
    """Surface form -> org id in ``lang`` (and the ids themselves for English), for a rule NER."""
    out: dict[str, str] = {}
    for oid, entry in sorted(_data(orgs_file).items()):
        amb = set(entry.get("ambiguous") or [])
        forms = list(entry.get(lang) or [])
        if not written_in_devanagari(lang) and oid.replace(" ", "").replace("-", "").isalnum():
            forms.insert(0, oid)
        for s in forms:
            if s in amb and not include_ambiguous:
                continue
            out.setdefault(s, oid)
            if written_in_devanagari(lang):
                out.setdefault(strip_nukta(s), oid)
    return out


# ------------------------------------------------------------------------- acronym decoding
@lru_cache(maxsize=1)
def _letters() -> dict[str, str]:
    """Letter name without nukta (ज़ेड and जेड are one letter) -> Latin letter."""
    names: dict[str, str] = {}
    for latin, spellings in load_yaml("hi/devanagari_letters.yaml")["letters"].items():
        for sp in spellings:
            names.setdefault(strip_nukta(sp), latin)
    return names


@lru_cache(maxsize=8192)
def decode_acronym(text: str) -> str | None:
    """'आईएमसीटीसी' -> 'IMCTC', 'एससीओ' -> 'SCO', 'जी-20' -> 'G20'; None unless the whole token
    is letter names (and digits).

    Dynamic programming over the token picks the segmentation with the fewest letters, so a
    longer letter name (डब्ल्यू, एक्स) wins over a split into shorter ones; ties keep the earliest
    split, which makes the result deterministic. A single letter ("के", "ए") is not an acronym.
    """
    names = _letters()
    s = _ACRONYM_PUNCT.sub("", strip_nukta(text.strip()))
    if not s or not is_devanagari(s):
        return None
    n = len(s)
    max_len = max(len(k) for k in names)
    # best[i]: (letters used, decoded text) for the prefix s[:i], or None if it cannot be read
    best: list[tuple[int, str] | None] = [None] * (n + 1)
    best[0] = (0, "")

    def offer(j: int, cand: tuple[int, str]) -> None:
        current = best[j]
        if current is None or cand[0] < current[0]:
            best[j] = cand

    for i in range(n):
        state = best[i]
        if state is None:
            continue
        count, acc = state
        digit = to_ascii_digits(s[i])  # "जी-२०" reads as "G20"
        if digit.isascii() and digit.isdigit():
            offer(i + 1, (count, acc + digit))
            continue
        for j in range(i + 1, min(n, i + max_len) + 1):
            letter = names.get(s[i:j])
            if letter is not None:
                offer(j, (count + 1, acc + letter))
    result = best[n]
    if result is None or result[0] < 1 or len(result[1]) < 2:
        return None
    return result[1]


# ------------------------------------------------------------- organisations found in the text
@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    return load_yaml("org_words.yaml")


@lru_cache(maxsize=4)
def head_words(lang: str) -> tuple[tuple[str, ...], ...]:
    """The head nouns of organisation names in ``lang`` as word tuples, longest first
    ("Treaty Organisation" before "Organisation"); Hindi ones folded."""
    heads = _words()["heads"].get(lang) or []
    key = fold if written_in_devanagari(lang) else str.lower
    out = {tuple(key(w) for w in h.split()) for h in heads}
    return tuple(sorted(out, key=lambda t: (-len(t), t)))


@lru_cache(maxsize=4)
def weak_qualifiers(lang: str) -> frozenset[str]:
    """Qualifiers that describe rather than name ("नया गठबंधن", "New Alliance")."""
    words = _words().get("weak_qualifiers", {}).get(lang) or []
    return frozenset(fold(w) if written_in_devanagari(lang) else w.lower() for w in words)


def _word_set(section: str, lang: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in _words().get(section, {}).get(lang) or [])


@lru_cache(maxsize=4)
def link_words(lang: str) -> frozenset[str]:
    """Function words inside a name ("of", "and", "the"): they never end a name and do not
    tell two names apart (lower case)."""
    return _word_set("link_words", lang)


@lru_cache(maxsize=4)
def complement_words(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words that open a name's complement after its head, articles that may follow them,
    words that join its words)."""
    return (_word_set("complement_openers", lang), _word_set("complement_articles", lang),
            _word_set("complement_links", lang))


@lru_cache(maxsize=4)
def name_articles(lang: str) -> frozenset[str]:
    """Articles before a name, never its qualifiers ("The", "A")."""
    return _word_set("articles", lang)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, ...]]:
    return {fold(k): tuple(v) for k, v in (_words().get("lexicon") or {}).items()}


def translate_words(text: str) -> list[list[str]]:
    """Per word of a Hindi name, its English equivalents from the lexicon, or [] when the
    word is not in it (a loan word such as मैंग्रोव, compared by its romanisation instead)."""
    return [list(_lexicon().get(fold(w), ())) for w in text.split()]


@lru_cache(maxsize=4096)
def is_generic(name: str) -> bool:
    """The UN, its organs and agencies, conventions: bodies many articles name in passing."""
    g = _words().get("generic") or {}
    t = clean_surface(name)
    if not t:
        return False
    bare = t.replace(".", "")
    if bare.upper() in {a.upper() for a in g.get("acronyms") or []}:
        return True
    if bare.isupper() and any(bare.startswith(p.replace(".", "")) and len(bare) > len(p)
                              for p in g.get("acronym_prefixes") or []):
        return True
    low = t.casefold()
    return any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", low)
               for w in g.get("words") or [])


_LATIN_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&.\-]*[A-Z0-9]\.?")


def latin_acronym(text: str) -> str | None:
    """'ISA' -> 'ISA', 'N.A.T.O.' -> 'NATO', 'G-20' -> 'G20'; None for a word that is not written
    as an acronym (at least two capitals, no lower-case run of more than one letter)."""
    t = clean_surface(text)
    if not t or " " in t or not _LATIN_ACRONYM.fullmatch(t):
        return None
    bare = t.replace(".", "").replace("-", "")
    capitals = sum(ch.isupper() for ch in bare)
    digits = sum(ch.isdigit() for ch in bare)
    if (capitals < 2 and not (capitals and digits)) or re.search(r"[a-z]{2}", bare):
        return None
    return bare


def acronym_of(text: str) -> str | None:
    """The Latin acronym a surface form is written as: a Latin acronym, or a Devanagari one
    spelled with letter names (आईएसए -> ISA)."""
    t = clean_surface(text)
    if not t:
        return None
    if is_devanagari(t):
        return decode_acronym(t) if " " not in t else None
    return latin_acronym(t)

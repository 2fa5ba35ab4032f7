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

from pipeline.core.data import load_yaml, surface_forms
from pipeline.normalize.devanagari import fold, is_devanagari, strip_nukta
from pipeline.normalize.numbers import to_ascii_digits
from pipeline.normalize.surface import clean_surface

# Devanagari acronyms may be dotted or hyphenated: "यू.एन.", "जी-20".
_ACRONYM_PUNCT = re.compile(r"[.\-\u2010-\u2013\s\u0970]")


@lru_cache(maxsize=1)
def _data() -> dict[str, dict]:
    return load_yaml("orgs.yaml")


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for oid in _data():
        idx.setdefault(fold(oid), oid)
    for oid, entry in _data().items():
        for s in surface_forms(entry):
            idx.setdefault(fold(s), oid)
    return idx


@lru_cache(maxsize=8192)
def org_id(text: str, lang: str | None = None) -> str | None:
    """Canonical id of a known organisation ("ओआईसी", "Organisation of Islamic Cooperation" ->
    "OIC"), also through a spelled-out Devanagari acronym; None when unknown."""
    t = clean_surface(text)
    if not t:
        return None
    oid = _index().get(fold(t))
    if oid:
        return oid
    if is_devanagari(t):
        latin = decode_acronym(t)
        if latin:
            return _index().get(fold(latin))
    elif re.fullmatch(r"[A-Za-z][A-Za-z.\-]*[A-Za-z0-9.]", t):  # "U.N.", "G-20"
        return _index().get(fold(t.replace(".", "").replace("-", "")))
    return None


def org_name(kb_id: str) -> str:
    """English full name for an id ("OIC" -> "Organisation of Islamic Cooperation"); an unknown
    id is its own name."""
    entry = _data().get(kb_id)
    return entry.get("name", kb_id) if entry else kb_id


def gazetteer(lang: str, include_ambiguous: bool = False) -> dict[str, str]:
    """Surface form -> org id in ``lang`` (and the ids themselves for English), for a rule NER."""
    out: dict[str, str] = {}
    for oid, entry in sorted(_data().items()):
        amb = set(entry.get("ambiguous") or [])
        forms = list(entry.get(lang) or [])
        if lang == "en" and oid.replace(" ", "").replace("-", "").isalnum():
            forms.insert(0, oid)
        for s in forms:
            if s in amb and not include_ambiguous:
                continue
            out.setdefault(s, oid)
            if lang == "hi":
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

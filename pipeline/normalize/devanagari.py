"""A spelling-insensitive matching key for names written in Devanagari (and in Latin script).

Hindi spells foreign names in many ways: with or without nukta (अफ़ग़ानिस्तान / अफगानिस्तान),
with candrabindu or anusvara (हाँगकाँग / हांगकांग), with a nasal consonant + virama or an anusvara
(हिन्दी / हिंदी), with long or short i/u (ब्रूनेई / ब्रुनेई), with व or ब, with or without the
candra o of English loans (ऑस्ट्रेलिया / ओस्ट्रेलिया), and with invisible joiners. ``fold`` maps
all of these to one key so that a gazetteer lookup does not depend on the writer's habits.

Why ``unicodedata``: precomposed nukta letters (U+0958..U+095F, e.g. क़) are canonically
equivalent to the base letter + U+093C NUKTA; NFD makes both spellings the same sequence, after
which the nukta is simply dropped. For Latin text NFKD splits accented letters (ô, ü, ō) into a
base letter and combining marks (category Mn), which are dropped, and folds compatibility forms
(ligatures, full-width letters); ``casefold`` removes case.

The equivalence table itself is language data and lives in ``data/hi/devanagari_fold.yaml``.
Differences that remain (इथोपिया vs इथियोपिया, an inserted or dropped letter) are left to a
fuzzy comparison of folded keys (see ``countries.country_code``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.core.data import dash_class, load_yaml

VIRAMA = "\u094d"
ANUSVARA = "\u0902"
NUKTA = "\u093c"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(dash_class() + "+")
# Punctuation and symbols (Unicode categories P* and S*) become spaces; the apostrophe is dropped
# so that "d'Ivoire" and "d Ivoire" and "dIvoire" do not differ by a token boundary.
_SPACES = re.compile(r"\s+")


def is_devanagari(text: str) -> bool:
    """True when the text contains at least one Devanagari letter (U+0900..U+097F)."""
    return any("\u0900" <= ch <= "\u097f" for ch in text)


def is_latin(text: str) -> bool:
    """True when the text has Latin letters and no Devanagari."""
    return not is_devanagari(text) and any(
        ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u024f") for ch in text)


@lru_cache(maxsize=1)
def _table() -> tuple[frozenset[str], dict[int, str], frozenset[str]]:
    data = load_yaml("hi/devanagari_fold.yaml")
    drop = frozenset(data["drop"])
    replace = {ord(k): v for k, v in data["replace"].items()}
    for ch in drop:
        replace[ord(ch)] = ""
    return drop, replace, frozenset(data["nasals"])


def strip_accents(text: str) -> str:
    """Latin text without diacritics: 'Shinzō' -> 'Shinzo', 'Côte' -> 'Cote' (Devanagari kept).

    Only combining marks that follow a Latin base letter are removed, so Devanagari vowel signs
    (also category Mn/Mc) survive.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.category(ch) == "Mn" and out and not is_devanagari(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_nasals(text: str, nasals: frozenset[str]) -> str:
    """Nasal consonant + virama before another consonant -> anusvara (हिन्दी -> हिंदी)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if (ch in nasals and i + 2 < len(text) and text[i + 1] == VIRAMA
                and "\u0915" <= text[i + 2] <= "\u0939"):
            out.append(ANUSVARA)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching key: case-, accent-, nukta-, nasal-, vowel-length- and punctuation-insensitive.

    Hyphens and punctuation become single spaces; the key is stripped. Examples:
    fold("अफ़ग़ानिस्तान") == fold("अफगानिस्तान"); fold("Côte d’Ivoire") == fold("cote d'ivoire").
    """
    _, replace, nasals = _table()
    s = unicodedata.normalize("NFD", text.translate(_APOSTROPHES))
    s = strip_accents(s) if not is_devanagari(s) else s
    s = _fold_nasals(s, nasals)
    s = s.translate(replace)
    s = _DASHES.sub(" ", s)
    chars: list[str] = []
    for ch in s:
        if ch == "'":
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "PSZ" or cat == "Cc":
            chars.append(" ")
        elif cat == "Mn" and not is_devanagari(ch):
            continue  # a Latin combining accent left over after NFD
        else:
            chars.append(ch)
    s = "".join(chars).casefold()
    s = _SPACES.sub(" ", s).strip()
    return unicodedata.normalize("NFC", s)


def strip_nukta(text: str) -> str:
    """NFC text without the nukta: ज़ेड -> जेड, क़तर -> कतर (the usual typed variant).

    NFD first, so that precomposed nukta letters (U+0958..U+095F) lose their nukta too.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).replace(NUKTA, ""))

"""Person names: title stripping, romanisation of Hindi names, script-independent matching.

* ``strip_title`` removes titles and honorifics (``data/titles.yaml``) and returns the office as
  the mention's role: "जनरल रहेल शरीफ" -> ("रहेल शरीफ", "General").
* ``romanize`` writes a Devanagari name in Latin letters the way English-language press spells
  Indian and foreign names: Hindi schwa deletion first (मोहम्मद -> Mohammad, not Mohammada;
  सलमान -> Salman, not Salamana), then indic-transliteration's ITRANS, then a clean-up to plain
  letters (``data/hi/romanization.yaml``).
* ``phonetic_key`` reduces any spelling to a coarse sound key (vowel runs -> one vowel, aspiration
  dropped, z/j and v/w merged), so Raheel/Rahil/Rahel or Hussein/Husain meet.
* ``name_similarity`` (0-100) compares two names in any scripts on romanisation and key.
* ``known_person`` spells a Hindi-only name as English sources do when it is one of the
  well-known office-holders of ``data/people.yaml`` (exact Hindi spelling, or a close match).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NotRequired, TypedDict, cast

from indic_transliteration import sanscript
from rapidfuzz import fuzz, process

from pipeline.core.config import DEFAULT
from pipeline.core.config import KNOWN_PERSON_MARGIN as KNOWN_MARGIN
from pipeline.core.config import KNOWN_PERSON_THRESHOLD as KNOWN_THRESHOLD
from pipeline.core.data import dash_class, dashes, load_yaml, surface_forms
from pipeline.normalize import countries
from pipeline.normalize.devanagari import fold, is_devanagari, strip_accents, strip_nukta

VIRAMA = "\u094d"
NUKTA = "\u093c"
INHERENT = "a"
_NASAL_SIGNS = frozenset("\u0901\u0902\u0903")  # candrabindu, anusvara, visarga
_JOINERS = str.maketrans("", "", "\u200c\u200d\u00ad")


# ------------------------------------------------------------------------------- data
class _Romanization(TypedDict):
    """The shape of ``hi/romanization.yaml`` (its comments say what each part is for);
    ``cleanup``, ``phonetic`` and ``phonetic_final`` are ordered [pattern, replacement] pairs."""

    premap: dict[str, str]
    final_cluster_keeps_schwa: list[str]
    final_cluster_drops_after_r: list[str]
    cleanup: list[list[str]]
    words: dict[str, str]
    phonetic: list[list[str]]
    strict_vowel_classes: dict[str, str]
    phonetic_final: list[list[str]]


@lru_cache(maxsize=1)
def _roman_data() -> _Romanization:
    return cast(_Romanization, load_yaml("hi/romanization.yaml"))


@lru_cache(maxsize=1)
def _particles() -> tuple[frozenset[str], dict[str, str]]:
    data = load_yaml("name_particles.yaml")
    return frozenset(data["latin"]), dict(data["devanagari"])


_Title = tuple[int, str, str, bool, bool]


@lru_cache(maxsize=1)
def _titles() -> tuple[list[_Title], frozenset[str], frozenset[str]]:
    """([(word count, folded title, role, honorific, also_name)], folded suffixes, modifiers)."""
    data = load_yaml("titles.yaml")
    titles: list[_Title] = []
    for t in data["titles"]:
        for s in surface_forms(t):
            titles.append((len(s.split()), fold(s), t["role"], bool(t.get("honorific")),
                           bool(t.get("also_name"))))
    # longest first, so "प्रधान मंत्री" is tried before "मंत्री"
    titles.sort(key=lambda x: (-x[0], -len(x[1]), x[1]))
    suffixes = frozenset(fold(s) for s in surface_forms(data["suffixes"]))
    modifiers = frozenset(fold(s) for s in surface_forms(data["modifiers"]))
    return titles, suffixes, modifiers


# ------------------------------------------------------------------------------- titles
@lru_cache(maxsize=4)
def _title_surfaces(lang: str) -> tuple[tuple[str, str], ...]:
    data = load_yaml("titles.yaml")
    return tuple((s, t["role"]) for t in data["titles"] for s in t.get(lang) or [])


def titles(lang: str) -> list[str]:
    """Title and honorific surface forms written before names in ``lang`` (for a rule NER)."""
    return sorted({s for s, _ in _title_surfaces(lang)})


def title_role(title: str) -> str:
    """English role for a title surface in either language ("जनरल" -> "General"), or ''."""
    key = fold(title)
    for lang in DEFAULT.languages:
        for s, role in _title_surfaces(lang):
            if fold(s) == key:
                return role
    return ""


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"\s+", name.strip()) if t]


def strip_title(name: str, lang: str = "") -> tuple[str, str]:
    """(name without titles, role): "Prime Minister Shinzo Abe" -> ("Shinzo Abe", "Prime Minister").

    Leading modifiers ("then", "तत्कालीन"), a demonym or country before a title ("Indian Prime
    Minister", "अमेरिकी रक्षा सचिव") and trailing Hindi honorifics (जी, साहब) go too. Titles that
    are also names (Sheikh, अमीर) are removed only when two name words remain, and a name is never
    stripped to nothing. The role is the first office named, else the first honorific.
    """
    titles, suffixes, modifiers = _titles()
    toks = _tokens(name)
    folded = [fold(t) for t in toks]
    offices: list[str] = []
    honorifics: list[str] = []
    i = 0
    while i < len(toks):
        if folded[i] in modifiers and i + 1 < len(toks):
            i += 1
            continue
        matched = False
        for k, ftitle, role, honorific, also_name in titles:
            if i + k >= len(toks) or fold(" ".join(toks[i:i + k])) != ftitle:
                continue
            if also_name and len(toks) - (i + k) < 2:
                continue
            (honorifics if honorific else offices).append(role)
            i += k
            matched = True
            break
        if matched:
            continue
        # a demonym / country qualifying the title that follows: "Indian Prime Minister"
        if i + 1 < len(toks) and _starts_with_title(toks[i + 1:], titles) and (
                countries.demonym_code(toks[i]) or countries.is_country_name(toks[i])):
            i += 1
            continue
        break
    rest = toks[i:] if i < len(toks) else toks
    while len(rest) > 1 and fold(rest[-1]) in suffixes:
        rest = rest[:-1]
    role = offices[0] if offices else (honorifics[0] if honorifics else "")
    return " ".join(rest), role


def _starts_with_title(toks: list[str], titles: list[_Title]) -> bool:
    return any(k < len(toks) and fold(" ".join(toks[:k])) == ftitle
               for k, ftitle, _, _, _ in titles)


# -------------------------------------------------------------------------- romanisation
def _is_consonant(ch: str) -> bool:
    return "\u0915" <= ch <= "\u0939" or "\u0958" <= ch <= "\u095f" or "\u0978" <= ch <= "\u097f"


def _is_matra(ch: str) -> bool:
    return "\u093e" <= ch <= "\u094c" or ch in "\u0962\u0963\u0955\u0956\u0957"


def _is_vowel(ch: str) -> bool:
    return "\u0904" <= ch <= "\u0914" or ch in "\u0960\u0961\u0972\u0973\u0974\u0975\u0976\u0977"


class _Unit(TypedDict):
    """One syllable of a Devanagari word: its consonants, its vowel (None after a virama), its
    nasal signs; a character that is neither is a unit of its own under ``other``."""

    cons: list[str]
    vowel: str | None
    sign: str
    other: NotRequired[str]


def _syllables(word: str) -> list[_Unit]:
    """Split a Devanagari word into syllable units (``_Unit``)."""
    units: list[_Unit] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if _is_vowel(ch):
            unit: _Unit = {"cons": [], "vowel": ch, "sign": ""}
            i += 1
        elif _is_consonant(ch):
            cons = [ch]
            i += 1
            if i < n and word[i] == NUKTA:
                cons[-1] += NUKTA
                i += 1
            while i + 1 < n and word[i] == VIRAMA and _is_consonant(word[i + 1]):
                cons.append(word[i + 1])
                i += 2
                if i < n and word[i] == NUKTA:
                    cons[-1] += NUKTA
                    i += 1
            if i < n and _is_matra(word[i]):
                vowel: str | None = word[i]
                i += 1
            elif i < n and word[i] == VIRAMA:
                vowel = None
                i += 1
            else:
                vowel = INHERENT
            unit = {"cons": cons, "vowel": vowel, "sign": ""}
        else:
            units.append({"cons": [], "vowel": None, "sign": "", "other": ch})
            i += 1
            continue
        while i < n and word[i] in _NASAL_SIGNS:
            unit["sign"] += word[i]
            i += 1
        units.append(unit)
    return units


def _delete_schwas(word: str) -> str:
    """Hindi schwa deletion: returns the word with a virama where an inherent 'a' is silent.

    Word-final schwa is silent (सलमान = salmān) unless it closes a conjunct ending in a liquid,
    nasal or semivowel (नरेंद्र = narendra) or the word has one syllable. A medial schwa in the
    context V C _ C V (single consonants on both sides, the next vowel pronounced) is silent,
    scanning right to left (मनमोहन = manmohan, अहमद = ahmad, रहमान = rahmān).
    """
    units = _syllables(word)
    keep_final = frozenset(_roman_data()["final_cluster_keeps_schwa"])
    after_r = frozenset(_roman_data()["final_cluster_drops_after_r"])
    syl = [u for u in units if "other" not in u]
    if len(syl) < 2:
        return word
    deleted = [False] * len(syl)

    def has_vowel(j: int) -> bool:
        return 0 <= j < len(syl) and syl[j]["vowel"] is not None and not deleted[j]

    last = syl[-1]
    cons = [c.replace(NUKTA, "") for c in last["cons"]]
    after_reph = len(cons) == 2 and cons[0] == "र" and cons[1] in after_r
    if last["vowel"] == INHERENT and last["cons"] and not last["sign"] and (
            after_reph or not (len(cons) >= 2 and cons[-1] in keep_final)):
        deleted[-1] = True
    for j in range(len(syl) - 2, 0, -1):
        u = syl[j]
        if (u["vowel"] == INHERENT and len(u["cons"]) == 1 and not u["sign"]
                and has_vowel(j - 1) and has_vowel(j + 1) and len(syl[j + 1]["cons"]) == 1):
            deleted[j] = True
    out = []
    k = 0
    for u in units:
        if "other" in u:
            out.append(u["other"])
            continue
        s = VIRAMA.join(u["cons"])
        if u["vowel"] is None:
            s += VIRAMA if u["cons"] else ""
        elif u["vowel"] == INHERENT:
            s += VIRAMA if deleted[k] else ""
        else:
            s += u["vowel"]
        out.append(s + u["sign"])
        k += 1
    return "".join(out)


def _cleanup(itrans: str) -> str:
    for pattern, repl in _roman_data()["cleanup"]:
        itrans = re.sub(pattern, repl, itrans)
    return itrans


@lru_cache(maxsize=16384)
def _romanize_word(word: str) -> str:
    data = _roman_data()
    w = unicodedata.normalize("NFC", word.translate(_JOINERS))
    if w in data["words"]:
        return data["words"][w]
    for src, dst in data["premap"].items():
        w = w.replace(src, dst)
    w = unicodedata.normalize("NFD", w)  # precomposed nukta letters -> letter + nukta
    w = _delete_schwas(w)
    latin = sanscript.transliterate(w, sanscript.DEVANAGARI, sanscript.ITRANS)
    return _cleanup(latin)


@lru_cache(maxsize=16384)
def romanize(name: str) -> str:
    """Readable Latin spelling of a (Hindi) name, without diacritics.

    "मोहम्मद बिन सलमान" -> "Mohammad bin Salman"; "उर्सुला वॉन डेर लेन" -> "Ursula von der Len".
    Latin input only loses its diacritics ("Shinzō Abe" -> "Shinzo Abe").
    """
    if not is_devanagari(name):
        return re.sub(r"\s+", " ", strip_accents(name)).strip()
    _, deva_particles = _particles()
    family = frozenset(load_yaml("name_particles.yaml").get("family_particles") or [])
    tokens = _tokens(name)
    words = []
    for idx, word in enumerate(tokens):
        parts = re.split(f"({dash_class()})", word)
        out_parts = []
        for part in parts:
            if (part and part in dashes()) or not is_devanagari(part):
                out_parts.append("-" if part and part in dashes() else part)
                continue
            bare = strip_nukta(part)
            particle = deva_particles.get(part) or deva_particles.get(bare)
            if particle and (idx > 0 or len(out_parts) > 0):
                if particle in family and len(parts) == 1 and idx == len(tokens) - 2:
                    particle = particle.capitalize()  # "Al Thani": the family, not "al-"
                out_parts.append(particle)
                continue
            r = _romanize_word(part)
            out_parts.append(r[:1].upper() + r[1:] if r else r)
        words.append("".join(out_parts))
    return " ".join(w for w in words if w)


# ------------------------------------------------------------------------- matching
@lru_cache(maxsize=65536)
def _latin_lower(name: str) -> str:
    s = romanize(name).lower()
    s = re.sub(f"{dash_class()}|[_.]", " ", s)
    s = re.sub(r"[^a-z\s]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def _key_tokens(name: str, strict: bool) -> list[str]:
    data = _roman_data()
    classes = data["strict_vowel_classes"]
    tokens = []
    for tok in _latin_lower(name).split():
        for pattern, repl in data["phonetic"]:
            tok = re.sub(pattern, repl, tok)
        if strict:
            tok = re.sub(r"[aeiou]+", lambda m: classes[m.group(0)[-1]], tok)
        else:
            tok = re.sub(r"[aeiou]+", "a", tok)
        for pattern, repl in data["phonetic_final"]:
            tok = re.sub(pattern, repl, tok)
        if tok:
            tokens.append(tok)
    return tokens


@lru_cache(maxsize=16384)
def phonetic_key(name: str) -> str:
    """Script-independent sound key: romanise, lower-case, then merge interchangeable letters
    and collapse vowel runs and doubled consonants ("Raheel Sharif", "राहील शरीफ" and
    "रहेल शरीफ" all give "rahal saraf")."""
    return " ".join(_key_tokens(name, strict=False))


@lru_cache(maxsize=16384)
def strict_key(name: str) -> str:
    """Like ``phonetic_key`` but vowels keep their class (a / e-i / o-u): "Raheel" and "Rahil"
    meet ("rahil"), "Rahul" ("rahul") does not."""
    return " ".join(_key_tokens(name, strict=True))


def trim_name(name: str) -> str:
    """A name without dangling particles at its end ("मोहम्मद बिन सलमान अल" -> "मोहम्मद बिन
    सलमान"): a particle always precedes a name word, so a final one was cut from its word."""
    latin_particles, deva_particles = _particles()
    toks = _tokens(name)
    while len(toks) > 1 and (toks[-1].lower() in latin_particles or toks[-1] in deva_particles
                             or strip_nukta(toks[-1]) in deva_particles):
        toks = toks[:-1]
    return " ".join(toks)


def name_tokens(name: str) -> list[str]:
    """Lower-case romanised tokens of a name without particles (for surname matching)."""
    latin_particles, _ = _particles()
    return [t for t in _latin_lower(name).split() if t not in latin_particles]


def _aligned_ratio(a: list[str], b: list[str]) -> float:
    """Token-aligned similarity: tokens paired greedily by fuzzy ratio (each used once), scored
    by character weight; unpaired tokens count as 0. Unlike token_sort_ratio it does not depend
    on alphabetical order ("Hussein Ibrahim Taha" / "Hissein Brahim Taha")."""
    if not a or not b:
        return 0.0
    pairs = sorted(((fuzz.ratio(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
                   key=lambda p: (-p[0], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    total = sum(map(len, a)) + sum(map(len, b))
    got = 0.0
    for score, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        got += score * (len(a[i]) + len(b[j]))
    return got / total


def _ratio(a: str, b: str) -> float:
    return max(fuzz.ratio(a, b), _aligned_ratio(a.split(), b.split()))


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    """0-100: how likely two spellings (any scripts) name the same person.

    The mean of a fuzzy ratio on the romanisations and one on the phonetic keys (each the better
    of a whole-string and a token-aligned comparison), but never more than the romanisation score
    + 15 (keys alone are too coarse: Rahul/Rohil) and never less than the romanisation score.
    """
    ra, rb = _latin_lower(a), _latin_lower(b)
    if not ra or not rb:
        return 0.0
    s_rom = _ratio(ra, rb)
    s_key = _ratio(phonetic_key(a), phonetic_key(b))
    score = max(s_rom, min((s_rom + s_key) / 2.0, s_rom + 15.0))
    return round(float(score), 2)


# ------------------------------------------------------------------------ known people
# name_similarity above which a name is taken for a listed person, and the margin by which that
# person must beat the next one (two listed people with similar names: no guess).


@lru_cache(maxsize=1)
def _people() -> tuple[dict[str, str], tuple[tuple[str, tuple[str, ...]], ...]]:
    data = load_yaml("people.yaml")
    exact: dict[str, str] = {}
    entries = []
    for p in data["people"]:
        spellings = tuple(p.get("hi") or [])
        for s in (p["name"], *spellings):
            exact.setdefault(fold(s), p["name"])
        entries.append((p["name"], spellings))
    return exact, tuple(entries)


@lru_cache(maxsize=1)
def _people_romanised() -> tuple[list[str], list[str]]:
    spellings, owners = [], []
    for en, hi in _people()[1]:
        for s in (en, *hi):
            spellings.append(_latin_lower(s))
            owners.append(en)
    return spellings, owners


@lru_cache(maxsize=8192)
def known_person(name: str, threshold: float = KNOWN_THRESHOLD) -> str | None:
    """English spelling of a listed well-known person ("नवाज शरीफ" -> "Nawaz Sharif"), or None.

    Exact (folded) spellings first; otherwise the best ``name_similarity`` against each
    person's English name and Hindi spellings, if >= ``threshold`` and clear of the runner-up.
    Names of one word are never guessed (a surname alone fits too many people).
    """
    exact, entries = _people()
    hit = exact.get(fold(name))
    if hit:
        return hit
    if len(name_tokens(name)) < 2:
        return None
    # a fast C pre-filter on romanised spellings picks the few people worth a full comparison
    spellings, owners = _people_romanised()
    near = process.extract(_latin_lower(name), spellings, scorer=fuzz.token_sort_ratio,
                           limit=12, score_cutoff=50)
    candidates = sorted({owners[i] for _, _, i in near})
    by_name = dict(entries)
    scored = sorted(((max(name_similarity(name, s) for s in (en, *by_name[en])), en)
                     for en in candidates), key=lambda x: (-x[0], x[1]))
    if scored and scored[0][0] >= threshold:
        if len(scored) > 1 and scored[1][0] > scored[0][0] - KNOWN_MARGIN:
            return None
        en = scored[0][1]
        if any(_same_words(name, s) for s in (en, *by_name[en])):
            return en
        return None
    # a full formal name around the usual one: "Yousef bin Ahmad ... Al-Othaimeen"
    toks = name_tokens(name)
    fits = {en for en, _ in entries if _short_form_of(name_tokens(en), toks)}
    return fits.pop() if len(fits) == 1 else None


def token_match(a: str, b: str, threshold: float = 90.0) -> bool:
    """One name word spelled two ways: same strict key, or nearly the same letters."""
    return strict_key(a) == strict_key(b) or fuzz.ratio(a, b) >= threshold


def _same_words(a: str, b: str) -> bool:
    """Every word of ``a`` pairs, in order, with a word of ``b`` (same count, particles aside)."""
    ta, tb = name_tokens(a), name_tokens(b)
    if len(ta) == len(tb):
        return all(token_match(x, y) for x, y in zip(ta, tb, strict=True))
    # one name written as one word or two: "Abdulaziz" / "Abdul Aziz"
    return token_match("".join(ta), "".join(tb))


def _short_form_of(short: list[str], full: list[str]) -> bool:
    """True when ``short`` (2+ words) is ``full`` with middle words left out: same first and
    last word, the others in order."""
    if len(short) < 2 or len(short) >= len(full):
        return False
    if not (token_match(short[0], full[0]) and token_match(short[-1], full[-1])):
        return False
    j = 1
    for tok in short[1:-1]:
        while j < len(full) - 1 and not token_match(tok, full[j]):
            j += 1
        if j >= len(full) - 1:
            return False
        j += 1
    return True

"""Country names and demonyms (English and Hindi) -> ISO 3166-1 alpha-3.

Names come from Unicode CLDR territory names (Babel ``Locale('en'/'hi').territories``), mapped to
alpha-3 with pycountry (plus Kosovo XK -> XKX, which ISO leaves user-assigned), pycountry's English
official and common names, and ``data/country_aliases.yaml`` (colloquial names, abbreviations and
Hindi spelling variants). Lookups compare ``devanagari.fold`` keys, so nukta, candrabindu, vowel
length, case, accents and punctuation do not matter; for Devanagari only, a fuzzy fallback
(rapidfuzz ratio on folded keys, ``FUZZY_THRESHOLD``, same first letter and word count)
catches the remaining spelling variants
(इथोपिया ~ इथियोपिया) while refusing close calls between two countries (ईरान / इराक).

Demonyms (``data/demonyms.yaml``, plus a suffix rule for unlisted Hindi/English adjectives such
as सीरियाई -> सीरिया, Kenyan -> Kenya) resolve to the state they belong to. A demonym *names the
state* when it qualifies the state or its institutions and acts: "Saudi-Gulf initiative",
"Saudi-led coalition", "पाकिस्तानी सेना", "मलेशियाई रक्षा मंत्री", "the Chinese government",
"Yemeni president", "सऊदी किंग". The project's gold counts those as country mentions; a demonym
for people or a language ("Arab states", "Chinese speakers") is the NER's to leave out. Cities
are never countries here: "रियाद" and "Riyadh" resolve only through ``places.place_id``.

Display names (``country_name``) are CLDR's English short names ("Saudi Arabia", "Côte d'Ivoire",
"Türkiye"), with ``display`` overrides in the alias file where CLDR's form is not a name
("Palestinian Territories" -> "Palestine", "Myanmar (Burma)" -> "Myanmar").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache

import pycountry
from babel import Locale

from pipeline.core.config import COUNTRY_FUZZY_MARGIN as FUZZY_MARGIN
from pipeline.core.config import COUNTRY_FUZZY_MIN_LEN as FUZZY_MIN_LEN
from pipeline.core.config import COUNTRY_FUZZY_THRESHOLD as FUZZY_THRESHOLD
from pipeline.core.config import DEFAULT
from pipeline.core.data import dash_class, dashes, load_yaml, surface_forms
from pipeline.normalize.devanagari import fold, is_devanagari, strip_nukta
from pipeline.normalize.fuzzy import fuzzy_key_match
from pipeline.normalize.script import (
    DEVANAGARI,
    language_by_script,
    language_of_script,
    written_in_devanagari,
)
from pipeline.normalize.surface import clean_surface

# rapidfuzz ratio (0-100) on folded keys above which an unknown Devanagari spelling is taken for
# a country name; and the margin by which the best country must beat a different runner-up.
# ISO 3166-1 leaves Kosovo user-assigned; CLDR uses XK, the EU and SCHEMA.md use XKX.
_SPECIAL_ALPHA3 = {"XK": "XKX"}



def _alpha3(alpha2: str) -> str | None:
    if alpha2 in _SPECIAL_ALPHA3:
        return _SPECIAL_ALPHA3[alpha2]
    if not alpha2.isalpha():
        return None
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


def _strip_nukta(text: str) -> str:
    """The typed variant of a Hindi name: no nukta, candrabindu written as anusvara."""
    return strip_nukta(text.replace("\u0901", "\u0902"))


def _cldr_variants(name: str) -> list[str]:
    """'Myanmar (Burma)' -> the name, 'Myanmar', 'Burma'; '&' also as 'and', 'St.' as 'Saint'."""
    out = [name]
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", name)
    if m:
        out += [m.group(1), m.group(2)]
    if "&" in name:
        out.append(name.replace("&", "and").replace("  ", " "))
    if name.startswith("St. "):
        out.append("Saint " + name[4:])
    return [o.strip() for o in out if o.strip()]


@lru_cache(maxsize=1)
def _aliases() -> dict[str, dict[str, list[str]]]:
    """ISO alpha-3 -> its alias lists (language -> surface forms, and ``ambiguous``)."""
    return {code: {k: v for k, v in entry.items() if k != "display"}
            for code, entry in load_yaml("country_aliases.yaml").items()}


@lru_cache(maxsize=1)
def _displays() -> dict[str, str]:
    """ISO alpha-3 -> the display name the alias file sets in place of CLDR's."""
    return {code: entry["display"] for code, entry in load_yaml("country_aliases.yaml").items()
            if entry.get("display")}


@lru_cache(maxsize=1)
def _demonym_data() -> dict[str, dict[str, list[str]]]:
    """ISO alpha-3 -> demonym entry (the file's ``suffix_rules`` left out)."""
    return {k: v for k, v in load_yaml("demonyms.yaml").items() if k != "suffix_rules"}


def english_adjective(code: str) -> str:
    """The state's first English adjective ("Saudi" for SAU), or its display name: what an
    English description such as "the Saudi-led coalition" calls it."""
    plural = _suffix_rules()[1]  # "Saudis" is the people, not the adjective
    listed = [w for w in (_demonym_data().get(code, {}).get("en") or [])
              if not set(w) & set(dashes())]
    # a plural of another listed form is the people; "Swiss" ends in s and is no plural
    forms = [w for w in listed if not (w.endswith(plural) and w[: -len(plural)] in listed)]
    return forms[0] if forms else country_name(code)


@lru_cache(maxsize=1)
def _suffix_rules() -> tuple[dict[str, tuple[tuple[str, str], ...]], str]:
    """({'hi'/'en': ((suffix, replacement), ...)}, English plural suffix) from demonyms.yaml."""
    rules = load_yaml("demonyms.yaml")["suffix_rules"]
    by_script = {lang: tuple((suffix, repl) for suffix, repl in rules.get(lang) or [])
                 for lang in DEFAULT.languages}
    return by_script, rules["en_plural"]


@lru_cache(maxsize=4)
def _surfaces(lang: str) -> tuple[tuple[str, str, bool], ...]:
    """All (surface, alpha3, ambiguous) names of countries in one language, aliases first."""
    out: list[tuple[str, str]] = []
    ambiguous: set[str] = set()
    for code, entry in sorted(_aliases().items()):
        ambiguous.update(entry.get("ambiguous") or [])
        out += [(s, code) for s in entry.get(lang) or []]
        out += [(s, code) for s in entry.get("ambiguous") or []
                if is_devanagari(s) == written_in_devanagari(lang)]
    for alpha2, name in sorted(Locale(lang).territories.items()):
        alpha3 = _alpha3(alpha2)
        if alpha3:
            out += [(v, alpha3) for v in _cldr_variants(name)]
    if lang == "en":
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(c, attr, None)
                if v and "," not in v:
                    out.append((v, c.alpha_3))
    return tuple((s, code, s in ambiguous) for s, code in out)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """fold(surface) -> alpha3 over both languages; the first (alias file) assignment wins."""
    idx: dict[str, str] = {}
    for lang in DEFAULT.languages:
        for surface, code, _ in _surfaces(lang):
            idx.setdefault(fold(surface), code)
    return idx


@lru_cache(maxsize=1)
def _hindi_keys() -> tuple[list[str], list[str]]:
    keys, codes = [], []
    for surface, code, amb in _surfaces(language_of_script(DEVANAGARI)):
        k = fold(surface)
        if not amb and len(k) >= FUZZY_MIN_LEN and k not in keys:
            keys.append(k)
            codes.append(code)
    return keys, codes


def _fuzzy(key: str) -> str | None:
    """A close Hindi country spelling, refused when another country is nearly as close."""
    keys, codes = _hindi_keys()
    return fuzzy_key_match(key, keys, codes, FUZZY_THRESHOLD, FUZZY_MIN_LEN, FUZZY_MARGIN)


@lru_cache(maxsize=16384)
def country_code(text: str, lang: str | None = None) -> str | None:
    """ISO 3166-1 alpha-3 for a country name in English or Hindi, or None.

    ``lang`` only decides whether the Devanagari fuzzy fallback may run (it runs for Devanagari
    text whatever ``lang`` says). Demonyms are not names: see ``demonym_code``.
    """
    t = clean_surface(text)
    if not t:
        return None
    key = fold(t)
    code = _index().get(key)
    if code:
        return code
    if is_devanagari(t):
        return _fuzzy(key)
    return None


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Short English display name for an alpha-3 code (CLDR's, or the alias file's display)."""
    display = _displays().get(code)
    if display:
        return display
    en: Mapping[str, str] = Locale("en").territories
    for alpha2, alpha3 in _SPECIAL_ALPHA3.items():
        if alpha3 == code and alpha2 in en:
            return en[alpha2]
    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        return code
    name = en.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
    return name.replace(" & ", " and ").replace("’", "'")


def gazetteer(lang: str, include_ambiguous: bool = False) -> dict[str, str]:
    """Surface form -> alpha-3 for a rule-based NER (EntityRuler) in ``lang`` ('en' or 'hi').

    Hindi forms are given as written and without nukta/candrabindu, the usual typed variants.
    Forms that are also common words (पाक, "Jordan") are left out unless asked for.
    """
    return dict(_gazetteer(lang, include_ambiguous))


@lru_cache(maxsize=8)
def _gazetteer(lang: str, include_ambiguous: bool) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for surface, code, amb in _surfaces(lang):
        if amb and not include_ambiguous:
            continue
        forms = [surface]
        if written_in_devanagari(lang):
            forms.append(_strip_nukta(surface))
        elif surface.startswith("the "):
            forms.append(surface[4:])
        for f in forms:
            out.setdefault(f, code)
    return tuple(sorted(out.items()))


# ----------------------------------------------------------------------------------- demonyms
@lru_cache(maxsize=1)
def _demonym_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for code, entry in sorted(_demonym_data().items()):
        for s in surface_forms(entry):
            idx.setdefault(fold(s), code)
    return idx


@lru_cache(maxsize=8192)
def demonym_code(text: str, lang: str | None = None) -> str | None:
    """ISO alpha-3 of the state a demonym/adjective belongs to ("Saudi", "पाकिस्तानी"), or None.

    Listed forms first; then a hyphenated compound's first part ("Saudi-led", "Saudi-Gulf");
    then the suffix rule, accepted only when the stem is exactly a known country name.
    """
    t = clean_surface(text)
    if not t:
        return None
    key = fold(t)
    code = _demonym_index().get(key)
    if code:
        return code
    head = re.split(dash_class(), t, maxsplit=1)[0]  # "Saudi-led": the demonym before a dash
    if head and head != t:
        return demonym_code(head, lang) or _exact_country(head)
    rules, plural = _suffix_rules()
    if key.endswith(plural) and not is_devanagari(t):
        code = _demonym_index().get(key[: -len(plural)])
        if code:
            return code
    for suffix, repl in rules.get(language_by_script(t), ()):
        if t.endswith(suffix) and len(t) > len(suffix) + 2:
            code = _exact_country(t[: len(t) - len(suffix)] + repl)
            if code:
                return code
    return None


def _exact_country(text: str) -> str | None:
    return _index().get(fold(clean_surface(text)))


def is_country_name(text: str) -> bool:
    """True when the text is exactly (after folding) a known country name; no fuzzy match."""
    return _exact_country(text) is not None


def resolve(text: str, lang: str | None = None) -> str | None:
    """A country name or a demonym -> alpha-3 (name first)."""
    return country_code(text, lang) or demonym_code(text, lang)


def demonym_gazetteer(lang: str, include_ambiguous: bool = False) -> dict[str, str]:
    """Demonym surface form -> alpha-3 for a rule-based NER (listed forms only)."""
    out: dict[str, str] = {}
    for code, entry in sorted(_demonym_data().items()):
        amb = set(entry.get("ambiguous") or [])
        for s in entry.get(lang) or []:
            if s in amb and not include_ambiguous:
                continue
            out.setdefault(s, code)
            if written_in_devanagari(lang):
                out.setdefault(_strip_nukta(s), code)
    return out


def collisions() -> dict[str, list[str]]:
    """Folded keys that two countries share (a data check used by the tests)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for lang in DEFAULT.languages:
        for surface, code, amb in _surfaces(lang):
            if not amb:
                seen[fold(surface)].add(code)
    return {k: sorted(v) for k, v in seen.items() if len(v) > 1}

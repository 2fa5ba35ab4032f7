"""Cities and regions (English and Hindi) -> canonical English name (SCHEMA.md LOC kb_id).

Two sources, both bilingual: the Unicode CLDR exemplar cities of time zones (Babel
``Locale('hi').time_zones``; the English name is the one CLDR derives from the zone id), about 400
cities from Riyadh/रियाद to Addis Ababa/अदीस अबाबा, and the hand-built ``data/places.yaml`` for
capitals without a zone of their own (New Delhi, Islamabad, Abuja, Sanaa, Abu Dhabi...), holy
and conflict cities, regions and seas, and the Hindi news spellings where CLDR's differs.

A name that is a country name (Kuwait, Djibouti, Singapore: zones named after their country) is
left to ``countries``: in running text it names the state.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import get_timezone_location
from rapidfuzz import fuzz, process

from pipeline.config import DATA_DIR
from pipeline.config import PLACE_FUZZY_MIN_LEN as FUZZY_MIN_LEN
from pipeline.config import PLACE_FUZZY_THRESHOLD as FUZZY_THRESHOLD
from pipeline.normalize import countries
from pipeline.normalize.devanagari import fold, is_devanagari

_LEADING_THE = re.compile(r"^(the)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")


@lru_cache(maxsize=1)
def _data() -> dict[str, dict]:
    return yaml.safe_load(Path(DATA_DIR, "places.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _cldr_cities() -> tuple[tuple[str, str, str], ...]:
    """(English name, Hindi name, kind) for CLDR exemplar cities, country names excluded."""
    out = []
    for tz, names in sorted(Locale("hi").time_zones.items()):
        hi = names.get("city") if hasattr(names, "get") else None
        if not hi:
            continue
        try:
            en = get_timezone_location(tz, locale="en", return_city=True)
        except (LookupError, ValueError):
            continue
        if not en or countries.is_country_name(en) or countries.is_country_name(hi):
            continue
        out.append((en, hi, "city"))
    return tuple(out)


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, str, str, str], ...]:
    """(surface, lang, canonical, kind): places.yaml first, then CLDR."""
    out: list[tuple[str, str, str, str]] = []
    for canonical, entry in _data().items():
        kind = entry.get("kind", "city")
        for lang in ("en", "hi"):
            for s in entry.get(lang) or []:
                out.append((s, lang, canonical, kind))
    for en, hi, kind in _cldr_cities():
        out.append((en, "en", en, kind))
        out.append((hi, "hi", en, kind))
    return tuple(out)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for surface, _, canonical, _ in _entries():
        if countries.is_country_name(surface):
            continue  # a country's name is not a city's alias
        idx.setdefault(fold(surface), canonical)
    return idx


@lru_cache(maxsize=1)
def _hindi_keys() -> tuple[list[str], list[str]]:
    keys, canon = [], []
    for surface, lang, canonical, _ in _entries():
        k = fold(surface)
        if lang == "hi" and len(k) >= FUZZY_MIN_LEN and k not in keys:
            keys.append(k)
            canon.append(canonical)
    return keys, canon


def _clean(text: str) -> str:
    t = text.strip().strip("\"'“”‘’()[]")
    return _POSSESSIVE.sub("", _LEADING_THE.sub("", t))


@lru_cache(maxsize=8192)
def place_id(text: str, lang: str | None = None) -> str | None:
    """Canonical English name of a city or region ("रियाद" -> "Riyadh", "दिल्ली" -> "New
    Delhi"), or None. Devanagari spellings get a strict fuzzy fallback (same first letter and
    word count, ratio >= FUZZY_THRESHOLD)."""
    t = _clean(text)
    if not t:
        return None
    key = fold(t)
    hit = _index().get(key)
    if hit or not is_devanagari(t) or len(key) < FUZZY_MIN_LEN:
        return hit
    keys, canon = _hindi_keys()
    best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if best and best[0][0] == key[0] and best[0].count(" ") == key.count(" "):
        return canon[best[2]]
    return None


def place_kind(canonical: str) -> str:
    """'city' or 'region' for a canonical place name (unknown names count as cities)."""
    entry = _data().get(canonical)
    return entry.get("kind", "city") if entry else "city"


def gazetteer(lang: str) -> dict[str, str]:
    """Surface form -> canonical English place name in ``lang``, for a rule-based NER."""
    out: dict[str, str] = {}
    for surface, slang, canonical, _ in _entries():
        if slang != lang or countries.is_country_name(surface):
            continue
        out.setdefault(surface, canonical)
    return out

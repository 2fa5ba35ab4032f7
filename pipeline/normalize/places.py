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

from functools import lru_cache
from typing import TypedDict, cast

from babel import Locale
from babel.dates import get_timezone_location

from pipeline.core.config import DEFAULT
from pipeline.core.config import PLACE_FUZZY_MIN_LEN as FUZZY_MIN_LEN
from pipeline.core.config import PLACE_FUZZY_THRESHOLD as FUZZY_THRESHOLD
from pipeline.core.data import load_yaml
from pipeline.normalize import countries
from pipeline.normalize.devanagari import fold, is_devanagari
from pipeline.normalize.fuzzy import fuzzy_key_match
from pipeline.normalize.script import written_in_devanagari
from pipeline.normalize.surface import clean_surface


class _Place(TypedDict, total=False):
    """One entry of ``places.yaml``: its English and Hindi names, and ``city`` or ``region``."""

    en: list[str]
    hi: list[str]
    kind: str


@lru_cache(maxsize=1)
def _data() -> dict[str, _Place]:
    return cast(dict[str, _Place], load_yaml("places.yaml"))


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
        for lang in DEFAULT.languages:
            for s in cast(list[str], entry.get(lang) or []):
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
        if written_in_devanagari(lang) and len(k) >= FUZZY_MIN_LEN and k not in keys:
            keys.append(k)
            canon.append(canonical)
    return keys, canon


@lru_cache(maxsize=8192)
def place_id(text: str, lang: str | None = None) -> str | None:
    """Canonical English name of a city or region ("रियाद" -> "Riyadh", "दिल्ली" -> "New
    Delhi"), or None. Devanagari spellings get a strict fuzzy fallback (same first letter and
    word count, ratio >= FUZZY_THRESHOLD)."""
    t = clean_surface(text)
    if not t:
        return None
    key = fold(t)
    hit = _index().get(key)
    if hit or not is_devanagari(t):
        return hit
    keys, canon = _hindi_keys()
    return fuzzy_key_match(key, keys, canon, FUZZY_THRESHOLD, FUZZY_MIN_LEN)


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

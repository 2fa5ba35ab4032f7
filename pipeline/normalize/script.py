"""The language a stretch of text is read in when only its script can tell (a date line, a
mention found again by its spelling): the configured language written in that script.

Each language's script comes from Unicode CLDR's likely subtags (Babel: hi → hi_Deva_IN,
en → en_Latn_US), so adding a language needs no edit here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from babel.core import get_global

from pipeline.core.config import DEFAULT
from pipeline.normalize.devanagari import is_devanagari

DEVANAGARI = "Deva"  # ISO 15924 script codes, as CLDR writes them
# A Latin-script gloss in brackets right after a name ("राहील शरीफ (Raheel Sharif)", "चीन (China)"):
# group 1 is the gloss. Latin letters with their accents (Unicode Latin-1 Supplement, Latin
# Extended-A/B and Additional), no Devanagari inside.
LATIN_GLOSS = re.compile(
    r"^\s*\(\s*([A-Za-z\u00c0-\u024f\u1e00-\u1eff][^()\u0900-\u097f]{1,60}?)\s*\)")
LATIN = "Latn"


@lru_cache(maxsize=16)
def script_of(lang: str) -> str:
    """The ISO 15924 script ``lang`` is usually written in (CLDR), or ''."""
    likely = str(get_global("likely_subtags").get(lang, ""))
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 else ""


def text_script(text: str) -> str:
    """Devanagari or Latin: the two scripts the pipeline tells apart."""
    return DEVANAGARI if is_devanagari(text) else LATIN


def language_of_script(script: str, languages: Sequence[str] = DEFAULT.languages) -> str:
    """The first of ``languages`` written in ``script``, or '' when none is."""
    return next((lang for lang in languages if script_of(lang) == script), "")


def language_by_script(text: str, languages: Sequence[str] = DEFAULT.languages) -> str:
    """The first of ``languages`` written in the script of ``text`` (else the first language)."""
    return language_of_script(text_script(text), languages) or languages[0]


def written_in_devanagari(lang: str) -> bool:
    """Whether ``lang`` is written in Devanagari (Hindi): its names are compared by sound."""
    return script_of(lang) == DEVANAGARI

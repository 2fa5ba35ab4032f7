"""One cleaner for entity-mention surfaces before a gazetteer lookup.

Countries, organisations, places and the linker all drop edge quotes/brackets, a leading English
article and a trailing English possessive; the article and possessive forms are language data
(``data/en/surface.yaml``). Devanagari text keeps its ending (no English possessive there).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.core.data import load_yaml
from pipeline.normalize.devanagari import is_devanagari

# Quotes and brackets around a mention: "'OIC'", "(Riyadh)".
QUOTES = "\"'“”‘’()[]"
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_yaml("en/surface.yaml")
    articles = "|".join(re.escape(a) for a in data["articles"])
    possessive = "|".join(re.escape(s) for s in data["possessive_suffixes"])
    return (re.compile(rf"^(?:{articles})\s+", re.IGNORECASE),
            re.compile(rf"(?:{possessive})$"))


def clean_surface(text: str, edge: str = QUOTES) -> str:
    """Mention text without outer spaces and ``edge`` characters, a leading article ("the") and,
    for Latin text, a trailing possessive ("Saudi Arabia's" -> "Saudi Arabia")."""
    article, possessive = _patterns()
    t = _SPACES.sub(" ", text).strip().strip(edge).strip()
    t = article.sub("", t)
    return possessive.sub("", t) if not is_devanagari(t) else t

"""Hindi word classes the rules share: what a name token looks like and the function words that
end a name. Apart from ``ner.hindi`` so that the organisation phrases (called by ``ner.base``,
on which the Hindi backend builds) and the linker read them without an import cycle.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.hi.stop_words import STOP_WORDS

from pipeline.core.data import load_yaml

# A Devanagari word (letters and signs, ZWNJ/ZWJ; no danda, digits or abbreviation sign).
NAME_TOKEN = re.compile(r"[\u0900-\u0963\u0971-\u097F][\u0900-\u0963\u0971-\u097F\u200c\u200d]*")


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words that end a name: our postpositions, conjunctions and auxiliaries, plus spaCy's
    Hindi stop words (pronouns and adverbs such as इस, केवल)."""
    data = load_yaml("hi/function_words.yaml")
    return frozenset(w for words in data.values() for w in words) | frozenset(STOP_WORDS)

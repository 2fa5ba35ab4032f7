"""The strict fuzzy fallback for Devanagari spellings missing from a gazetteer.

Countries and places both accept an unknown Hindi spelling when its folded key is close to a known
folded key (rapidfuzz ratio) and keeps the known key's first letter and word count: spelling
variants keep those ("इथोपिया" ~ "इथियोपिया"), different names often do not ("शिया" is not
"रशिया", "एयू के" is not "यूके").
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process


def fuzzy_key_match(key: str, keys: Sequence[str], values: Sequence[str], threshold: float,
                    min_len: int, margin: float | None = None) -> str | None:
    """The value of the known key closest to ``key`` (ratio >= ``threshold``), or None.

    Keys shorter than ``min_len`` are never guessed. With a ``margin``, a different value that
    scores within ``margin`` of the best also means no guess (two names nearly as close).
    """
    if len(key) < min_len:
        return None
    if margin is None:
        hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=threshold)
        hits = [hit] if hit else []
    else:
        hits = process.extract(key, keys, scorer=fuzz.ratio, limit=5, score_cutoff=threshold - 10)
    if not hits or hits[0][1] < threshold:
        return None
    best = keys[hits[0][2]]
    if best[0] != key[0] or best.count(" ") != key.count(" "):
        return None
    value = values[hits[0][2]]
    if margin is not None:
        for _, score, i in hits[1:]:
            if values[i] != value and score > hits[0][1] - margin:
                return None
    return value

"""Language of each document and of each paragraph: langdetect, guarded by the script ratio.

langdetect is unreliable on short text and on Hindi written with many English loan words, so the
share of Devanagari letters decides short segments and overrides langdetect when it is clear.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import lru_cache

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from pipeline.config import DEFAULT, Settings
from pipeline.ingest import iter_paragraphs
from pipeline.records import Document, Segment


def script_counts(text: str) -> tuple[int, int, int]:
    """(Devanagari letters, Latin letters, other letters)."""
    deva = latin = other = 0
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF:
            deva += 1
        elif cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
            latin += 1
        else:
            other += 1
    # Devanagari vowel signs are not isalpha() in every Python build; count combining marks too.
    deva += sum(1 for ch in text if 0x0900 <= ord(ch) <= 0x097F and not ch.isalpha()
                and unicodedata.category(ch).startswith("M"))
    return deva, latin, other


@lru_cache(maxsize=1)
def _seed(seed: int) -> None:
    DetectorFactory.seed = seed


def detect(text: str, settings: Settings = DEFAULT) -> tuple[str, float]:
    """Language code and confidence of one piece of text ('' when no letters)."""
    _seed(settings.langdetect_seed)
    deva, latin, other = script_counts(text)
    letters = deva + latin + other
    if letters == 0:
        return "", 0.0
    ratio = deva / letters
    # Hindi prose often embeds English names and terms; English prose rarely carries much
    # Devanagari. So a clear Devanagari share decides, whatever langdetect would say.
    if ratio >= settings.devanagari_ratio_hi:
        return "hi", round(min(1.0, 0.5 + ratio / 2), 3)
    if letters < settings.short_segment_letters and latin / letters > 0.9:
        return "en", round(latin / letters * 0.9, 3)
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return ("hi", ratio) if ratio >= 0.5 else ("", 0.0)
    best = ranked[0]
    lang, prob = best.lang, best.prob
    # Devanagari text that langdetect calls Marathi/Nepali/Sanskrit is Hindi for our purposes when
    # it is mostly Devanagari: those languages are out of scope and the confusion is common.
    if ratio >= settings.devanagari_ratio_hi and lang in ("mr", "ne", "sa", "bh", "mai"):
        lang = "hi"
    return lang, round(prob, 3)


def detect_document(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Language per paragraph and for the whole document (the language of most letters)."""
    segments: list[Segment] = []
    weight: dict[str, float] = {}
    for start, end in iter_paragraphs(doc.text):
        lang, conf = detect(doc.text[start:end], settings)
        if not lang:
            continue
        segments.append(Segment(start, end, lang, conf))
        letters = sum(1 for ch in doc.text[start:end] if ch.isalpha())
        weight[lang] = weight.get(lang, 0.0) + letters
    if not weight:
        return replace(doc, lang="", lang_confidence=0.0, segments=tuple(segments))
    total = sum(weight.values())
    lang = max(sorted(weight), key=lambda k: weight[k])
    # Confidence: the share of letters in that language times the mean segment confidence.
    same = [s.confidence for s in segments if s.lang == lang]
    conf = round(weight[lang] / total * (sum(same) / len(same)), 3)
    return replace(doc, lang=lang, lang_confidence=conf, segments=tuple(segments))

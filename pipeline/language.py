"""Language of each document and of each paragraph: langdetect, guarded by the script ratio.

langdetect is unreliable on short text and on Hindi written with many English loan words, so the
share of Devanagari letters decides short segments and overrides langdetect when it is clear.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS

from pipeline.core.config import (
    DEFAULT,
    Settings,
)
from pipeline.core.data import load_yaml
from pipeline.core.records import Document, Segment
from pipeline.normalize.script import DEVANAGARI, LATIN, language_of_script


def script_counts(text: str) -> tuple[int, int, int]:
    """(Devanagari letters, Latin letters, other letters)."""
    deva, latin, other, _alpha = _letter_counts(text)
    return deva, latin, other


@lru_cache(maxsize=65536)
def _char_class(ch: str) -> tuple[int, int, int, int]:
    """(Devanagari, Latin, other, isalpha) contribution of one character."""
    cp = ord(ch)
    if not ch.isalpha():
        # Devanagari vowel signs are not isalpha() in every Python build; count combining marks.
        mark = 0x0900 <= cp <= 0x097F and unicodedata.category(ch).startswith("M")
        return (1 if mark else 0), 0, 0, 0
    if 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF:
        return 1, 0, 0, 1
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
        return 0, 1, 0, 1
    return 0, 0, 1, 1


def _letter_counts(text: str) -> tuple[int, int, int, int]:
    """(Devanagari, Latin, other, isalpha) counts in one C-speed pass (Counter) over the text.

    Classifying each distinct character once instead of every character keeps language
    detection cheap on large documents (a 20 MB text has a few hundred distinct characters).
    """
    deva = latin = other = alpha = 0
    for ch, n in Counter(text).items():
        d, la, o, a = _char_class(ch)
        deva += d * n
        latin += la * n
        other += o * n
        alpha += a * n
    return deva, latin, other, alpha


@lru_cache(maxsize=1)
def _seed(seed: int) -> None:
    DetectorFactory.seed = seed


def detect(text: str, settings: Settings = DEFAULT) -> tuple[str, float]:
    """Language code and confidence of one piece of text ('' when no letters)."""
    lang, conf, _by_script = _detect(text, settings)
    return lang, conf


def _detect(text: str, settings: Settings) -> tuple[str, float, bool]:
    """detect() plus whether a short Latin segment was decided by its script alone."""
    deva, latin, other, _alpha = _letter_counts(text)
    decided = _by_script(deva, latin, other, settings)
    if decided is not None:
        return decided
    lang, conf = _langdetect(text, deva / (deva + latin + other), settings)
    return lang, conf, False


def _by_script(
    deva: int, latin: int, other: int, settings: Settings
) -> tuple[str, float, bool] | None:
    """The decisions the script alone makes (no letters, clear Devanagari, short Latin); else
    None: langdetect must judge."""
    letters = deva + latin + other
    if letters == 0:
        return "", 0.0, False
    ratio = deva / letters
    # Hindi prose often embeds English names and terms; English prose rarely carries much
    # Devanagari. So a clear Devanagari share decides, whatever langdetect would say.
    if ratio >= settings.devanagari_ratio_hi:
        return (language_of_script(DEVANAGARI, settings.languages),
                round(min(1.0, 0.5 + ratio / 2), 3), False)
    if letters < settings.short_segment_letters and latin / letters > 0.9:
        return language_of_script(LATIN, settings.languages), round(latin / letters * 0.9, 3), True
    return None


def _langdetect(text: str, ratio: float, settings: Settings) -> tuple[str, float]:
    """langdetect's best language for ``text`` (``ratio``: its share of Devanagari letters)."""
    _seed(settings.langdetect_seed)
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        deva_lang = language_of_script(DEVANAGARI, settings.languages)
        return (deva_lang, ratio) if ratio >= 0.5 else ("", 0.0)
    best = ranked[0]
    lang, prob = best.lang, best.prob
    # Devanagari text that langdetect calls Marathi/Nepali/Sanskrit is Hindi for our purposes when
    # it is mostly Devanagari: those languages are out of scope and the confusion is common.
    if ratio >= settings.devanagari_ratio_hi and lang in devanagari_languages():
        lang = language_of_script(DEVANAGARI, settings.languages)
    return lang, round(prob, 3)


@lru_cache(maxsize=1)
def devanagari_languages() -> frozenset[str]:
    """Languages whose likely script is Devanagari (CLDR via Babel, plus the codes CLDR lacks in
    data/hi/devanagari_languages.yaml): langdetect confuses Hindi with them."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    cldr = {k for k, v in likely.items() if "_" not in k and v.split("_")[1:2] == ["Deva"]}
    data = load_yaml("hi/devanagari_languages.yaml")
    return frozenset(cldr) | frozenset(data["extra"])


@lru_cache(maxsize=1)
def sentence_punct() -> tuple[str, ...]:
    """Characters that end a sentence (data/hi/sentence_punct.yaml): shared by the Hindi
    sentencizer and chunk_spans, so a paragraph is cut where a sentence ends."""
    data = load_yaml("hi/sentence_punct.yaml")
    return tuple(data["punct"])


@lru_cache(maxsize=1)
def english_markers() -> frozenset[str]:
    """Words plainly English prose must contain a share of (data/en/english_markers.yaml)."""
    data = load_yaml("en/english_markers.yaml")
    return frozenset(data["words"])


# Where a long paragraph may be cut: after a sentence end, else at whitespace.
_SENTENCE_END = re.compile("[" + "".join(re.escape(c) for c in sentence_punct()) + r"](?=\s)")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+")


def chunk_spans(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut text[start:end] into spans of at most ``limit`` chars at sentence or word ends.

    spaCy refuses texts over nlp.max_length (10^6 chars) and its memory grows with the text, so
    a huge paragraph becomes several segments; offsets stay offsets into the whole text.
    """
    limit = max(limit, 2)
    while end - start > limit:
        lo, hi = start + limit // 2, start + limit
        cut = 0
        for m in _SENTENCE_END.finditer(text, lo, hi):
            cut = m.end()
        if not cut:
            for m in _SPACE.finditer(text, lo, hi):
                cut = m.start()
        if not cut or cut <= start:
            cut = hi  # one unbroken run of characters: cut anywhere
        yield start, cut
        nxt = _SPACE.match(text, cut)
        start = nxt.end() if nxt else cut
    if end > start:
        yield start, end


def detect_document(doc: Document, settings: Settings = DEFAULT) -> Document:
    """Language per paragraph and for the whole document (the language of most letters).

    The script decides most paragraphs (Devanagari → Hindi, short Latin lines → English). The
    others are judged by langdetect together, one call per script (Latin, other) per document:
    langdetect costs milliseconds per call, which per paragraph was a third of the NER time, and
    more text makes it more accurate, not less.

    Paragraphs longer than ``settings.chunk_chars`` are split into several segments. A document
    made only of short Latin-script lines (judged English by script alone) is judged again as a
    whole, so that a few French or Spanish lines are not taken for English.
    """
    text = doc.text
    spans: list[tuple[int, int]] = []
    decided: list[tuple[str, float, bool] | None] = []
    alphas: list[int] = []
    pending: dict[str, list[int]] = {}  # script group → indices into spans
    for pstart, pend in iter_paragraphs(text):
        for start, end in chunk_spans(text, pstart, pend, settings.chunk_chars):
            deva, latin, other, alpha = _letter_counts(text[start:end])
            if deva + latin + other == 0:
                continue
            verdict = _by_script(deva, latin, other, settings)
            if verdict is None:
                pending.setdefault("latin" if latin >= other else "other", []).append(len(spans))
            spans.append((start, end))
            decided.append(verdict)
            alphas.append(alpha)
    for group, idxs in sorted(pending.items()):
        joined = "\n".join(text[spans[i][0] : spans[i][1]] for i in idxs)
        joined = joined[: settings.langdetect_chars]  # langdetect settles long before
        if group == "latin" and plainly_english(joined, settings):
            lang, conf = "en", 1.0
        else:
            deva, latin, other, _alpha = _letter_counts(joined)
            lang, conf = _langdetect(joined, deva / max(1, deva + latin + other), settings)
        for i in idxs:
            decided[i] = (lang, conf, False)
    segments: list[Segment] = []
    weights: list[int] = []
    short: list[int] = []
    for (start, end), verdict, alpha in zip(spans, decided, alphas, strict=True):
        lang, conf, by_script = verdict or ("", 0.0, False)
        if not lang:
            continue
        if by_script:
            short.append(len(segments))
        segments.append(Segment(start, end, lang, conf))
        weights.append(alpha)
    if short and len(short) == len(segments):
        _rejudge_short(text, segments, settings)
    weight: dict[str, float] = {}
    for seg, w in zip(segments, weights, strict=True):
        weight[seg.lang] = weight.get(seg.lang, 0.0) + w
    total = sum(weight.values())
    if not total:  # no letters at all (a lone vowel sign): no language to tell
        return replace(doc, lang="", lang_confidence=0.0, segments=tuple(segments))
    lang = max(sorted(weight), key=lambda k: weight[k])
    # Confidence: the share of letters in that language times the mean segment confidence.
    same = [s.confidence for s in segments if s.lang == lang]
    conf = round(weight[lang] / total * (sum(same) / len(same)), 3)
    return replace(doc, lang=lang, lang_confidence=conf, segments=tuple(segments))


# English function words: spaCy's English stop-word list (spacy/lang/en/stop_words.py); the
# words required besides (english_markers: "the") are data, with the reason.
_ENGLISH_WORDS = EN_STOP_WORDS


def plainly_english(text: str, settings: Settings = DEFAULT) -> bool:
    """Ordinary English prose, recognised by its function words without calling langdetect.

    On such text langdetect answers English with probability 0.9999+, so skipping it changes no
    result; it only saves its milliseconds per call (langdetect stays the judge of the rest).
    """
    words = _WORD.findall(text.lower())
    if len(words) < 20:
        return False
    markers = english_markers()
    the = sum(1 for w in words if w in markers)
    common = sum(1 for w in words if w in _ENGLISH_WORDS)
    return (the >= settings.plainly_english_the_share * len(words)
            and common >= settings.plainly_english_common_share * len(words))


def _rejudge_short(text: str, segments: list[Segment], settings: Settings) -> None:
    """All segments were short Latin lines: let langdetect judge them together."""
    joined = "\n".join(text[s.start : s.end] for s in segments)[:10_000]
    if _letter_counts(joined)[3] < settings.short_segment_letters:
        return
    # Lines of names ("Saudi Arabia / Pakistan / Egypt") are no language at all, and langdetect
    # calls them Indonesian or Somali: only lines with ordinary (lower-case) words are judged.
    words = _WORD.findall(joined)
    if sum(w[0].islower() for w in words) < 0.3 * len(words):
        return
    _seed(settings.langdetect_seed)
    try:
        best = detect_langs(joined)[0]
    except LangDetectException:
        return
    if best.lang != "en" and best.prob >= settings.min_lang_confidence:
        conf = round(best.prob, 3)
        segments[:] = [replace(s, lang=best.lang, confidence=conf) for s in segments]


def iter_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Non-empty lines as (start, end) spans: the unit of language detection."""
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            yield m.start(), m.end()

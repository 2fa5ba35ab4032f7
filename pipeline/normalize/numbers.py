"""Cardinal numbers in English and Hindi text: digits (ASCII and Devanagari) and number words.

The SCHEMA's NUMBER kb_id is the value as a decimal number ("41", "४१", "forty-one",
"इकतालीस" → 41). Everything is a small regex grammar built from the data files
``pipeline/data/{en,hi}/numbers.yaml``, so offsets are exact and nothing is guessed.

Decisions (see the module functions for details):

* ``find_numbers`` returns *every* cardinal, including the parts of dates ("15" and "2015" in
  "15 December 2015"); callers drop those by passing the date spans as ``skip_spans`` (or by
  subtracting ``dates.find_dates`` themselves). A year is a number too; only the caller knows
  whether it wants it.
* Not returned: numbers glued to letters ("G20", "A380", "55th", "11वां", "1960s"), numbers after
  a letter and a hyphen ("G-20", "F-16", "जी-20": names), footnote markers (anything inside
  short square brackets "[1]", "[note 3]", and a number alone in parentheses "(1)"), and the
  parts of clock times "20:15".
* Hindi "एक" is also the indefinite article ("एक संगठन" = "an organisation") and English "one"
  is often a pronoun ("one of the members"). They are returned; ``is_ambiguous_one(surface)``
  (and the wider ``is_ambiguous``) lets callers skip them. ``find_numbers(...,
  include_ambiguous=False)`` does that directly.
* "अरब" is a scale (10^9) only after a fraction ("1.8 अरब"), before a money or population
  word ("दो अरब डॉलर", "दो अरब लोग") or at the end of the string; elsewhere it is "Arab"
  ("22 अरब देश" = 22 Arab countries) or part of "सऊदी अरब".
* Ordinals ("55th", "sixth", "11वां", "छठा") are not cardinals; ``find_ordinals`` finds them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.core.data import load_yaml

Number = int | float

# --- script helpers shared with dates.py -------------------------------------------------------

DEVANAGARI_DIGITS = "०१२३४५६७८९"
_TO_ASCII = str.maketrans(DEVANAGARI_DIGITS, "0123456789")

# Devanagari letters and combining signs (not digits U+0966-096F, not the dandas U+0964/0965,
# not the abbreviation sign U+0970), plus ZWNJ/ZWJ and Latin combining accents: Python's \w
# does not include vowel signs such as "ा", so \b would cut Hindi words apart.
_MARKS = "\u0900-\u0963\u0971-\u097f\u200c\u200d\u0300-\u036f"
NOT_LETTER_BEFORE = rf"(?<![^\W\d_])(?<![{_MARKS}])"
NOT_LETTER_AFTER = rf"(?![^\W\d_])(?![{_MARKS}])"
NOT_DIGIT_BEFORE = r"(?<!\d)"
NOT_DIGIT_AFTER = r"(?!\d)"

_NUKTA = "\u093c"
_CONSONANTS = range(0x0915, 0x093A)
# Precomposed nukta letters (क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़) by their base consonant.
_PRECOMPOSED = {unicodedata.normalize("NFD", chr(c))[0]: chr(c) for c in range(0x0958, 0x0960)}


def to_ascii_digits(text: str) -> str:
    """Devanagari digits → ASCII digits (other characters unchanged, length kept)."""
    return text.translate(_TO_ASCII)


def fold(text: str) -> str:
    """Lookup key: case-folded, nukta dropped, chandrabindu = anusvara (spelling variants meet)."""
    text = unicodedata.normalize("NFD", text).replace(_NUKTA, "").replace("\u0901", "\u0902")
    return unicodedata.normalize("NFC", text).casefold()


def word_pattern(word: str) -> str:
    """Regex for a word that tolerates the common Hindi spelling variants and case variants.

    Devanagari: an optional nukta after every consonant (and the precomposed nukta letters),
    anusvara and chandrabindu interchangeable. Latin: the word as given, Capitalised and UPPER
    (explicit variants rather than IGNORECASE, whose Unicode folding would let "K" (Kelvin sign)
    match "k" and break dictionary lookups).
    """
    if not any("\u0900" <= ch <= "\u097f" for ch in word):
        variants = sorted({word, word[:1].upper() + word[1:], word.upper()}, key=len, reverse=True)
        return "(?:" + "|".join(re.escape(v) for v in variants) + ")"
    out = []
    for ch in unicodedata.normalize("NFD", word):
        if ch == _NUKTA:
            continue
        if ch in "\u0901\u0902":
            out.append("[\u0901\u0902]")
        elif ord(ch) in _CONSONANTS:
            pre = _PRECOMPOSED.get(ch)
            base = re.escape(ch) + _NUKTA + "?"
            out.append(f"(?:{base}|{pre})" if pre else base)
        else:
            out.append(re.escape(ch))
    return "".join(out)


def alternation(words: Iterable[str]) -> str:
    """Longest-first alternation of ``word_pattern``s (so "सितम्बर" wins over a prefix)."""
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(word_pattern(w) for w in uniq) + ")"


# --- lexicon -----------------------------------------------------------------------------------

# Token kinds in the word grammar.
_UNIT, _TENS, _HUNDRED, _SCALE = "unit", "tens", "hundred", "scale"
_DOZEN, _A, _AND = "dozen", "a", "and"


@dataclass(frozen=True)
class _Lexicon:
    """Every number word of both languages, keyed by ``fold``; regexes compiled once."""

    words: dict[str, tuple[str, Number]]  # fold(word) -> (kind, value)
    ambiguous: frozenset[str]
    lone_one: frozenset[str]  # fold(word) of a lone "one"/"एक" (often an article or pronoun)
    special: dict[str, tuple[str, Number]]  # fold(joiner / indefinite article) -> (kind, value)
    ambiguous_scales: frozenset[str]
    scale_context_words: frozenset[str]
    number_re: re.Pattern[str]
    ordinal_re: re.Pattern[str]
    ordinals: dict[str, int]  # fold(ordinal word) -> value
    ordinal_suffixes: tuple[str, ...]
    count_nouns: frozenset[str]
    label_words: frozenset[str]
    year_cues: frozenset[str]


def _digits_pattern() -> str:
    """Digit numbers with Western (1,200) or Indian (1,00,000) grouping and decimals, per script."""
    alts = []
    for d in ("[0-9]", "[०-९]"):
        alts.append(
            rf"{d}{{1,2}}(?:,{d}{{2}})+,{d}{{3}}(?:\.{d}+)?"  # Indian grouping: 12,34,567
            rf"|{d}{{1,3}}(?:,{d}{{3}})+(?:\.{d}+)?"  # Western grouping: 1,234,567
            rf"|{d}+(?:\.{d}+)?"
        )
    return "(?:" + "|".join(alts) + r")(?!\d)(?![.,]\d)"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    en = load_yaml("en/numbers.yaml")
    hi = load_yaml("hi/numbers.yaml")
    words: dict[str, tuple[str, Number]] = {}

    def put(word: str, kind: str, value: Number) -> None:
        words.setdefault(fold(word), (kind, value))

    for w in en["hundred"]:
        put(w, _HUNDRED, 100)
    for w, v in en["units"].items():
        put(w, _UNIT, v)
    for w, v in en["tens"].items():
        put(w, _TENS, v)
    for w, v in en["scales"].items():
        put(w, _SCALE, v)
    for w in en["dozen"]:
        put(w, _DOZEN, 12)
    for w in hi["hundred"]:
        put(w, _HUNDRED, 100)
    for v, ws in hi["cardinals"].items():
        for w in ws:
            put(w, _UNIT, int(v))
    for w, v in hi["fractions"].items():
        put(w, _UNIT, v)
    for w, v in hi["scales"].items():
        put(w, _SCALE, v)

    word_forms = [w for lang in (en, hi) for w in _surface_words(lang)]
    word = NOT_LETTER_BEFORE + alternation(word_forms) + NOT_LETTER_AFTER
    scale_forms = list(en["scales"]) + list(en["hundred"]) + list(hi["scales"]) + hi["hundred"]
    scale = NOT_LETTER_BEFORE + alternation(scale_forms) + NOT_LETTER_AFTER
    mult = alternation(list(en["scales"]) + en["hundred"] + en["dozen"])
    a_prefix = alternation(en["indefinite_one"]) + rf"\s+(?={mult}{NOT_LETTER_AFTER})"
    joiner = rf"(?:[ \t\u00a0]*-[ \t\u00a0]*|\s+(?:{alternation(en['joiners'])}\s+)?)"
    # not glued to a letter ("G20", "55th") nor after letter + hyphen ("G-20", "F-16", "जी-20")
    digits = (
        NOT_DIGIT_BEFORE
        + NOT_LETTER_BEFORE
        + rf"(?<!\d[.,])(?<![^\W\d_]-)(?<![{_MARKS}]-)"
        + _digits_pattern()
        + NOT_LETTER_AFTER
    )
    number_re = re.compile(
        rf"(?P<dig>{digits}(?:\s+{scale})*)"
        rf"|(?P<words>{NOT_LETTER_BEFORE}(?:{a_prefix})?{word}(?:{joiner}{word})*)"
    )

    ordinals: dict[str, int] = {}
    for w, v in en["ordinals_irregular"].items():
        ordinals[fold(w)] = v
    for w, v in list(en["units"].items()) + list(en["tens"].items()):
        if fold(w) in ordinals or v == 0:
            continue
        if v in en["ordinals_irregular"].values():
            continue
        ordinals[fold(w[:-1] + "ieth" if w.endswith("y") else w + "th")] = v
    for w in en["hundred"]:
        ordinals[fold(w + "th")] = 100
    for v, ws in hi["ordinals_irregular"].items():
        for w in ws:
            ordinals[fold(w)] = int(v)
    hi_suffixes = tuple(hi["ordinal_suffixes"])
    for v, ws in hi["cardinals"].items():
        if int(v) in hi["ordinals_irregular"] or int(v) == 0:
            continue
        for w in ws:
            for suf in hi_suffixes:
                ordinals[fold(w + suf)] = int(v)
    en_units_ord = alternation(w for w, v in ordinals.items() if v < 10 and w.isascii())
    tens_forms = alternation(en["tens"])
    en_suffix = alternation(en["ordinal_digit_suffixes"])
    ord_words = (
        alternation(w for w in ordinals if not w.isascii())
        + "|"
        + alternation(w for w in ordinals if w.isascii())
    )
    ordinal_re = re.compile(
        NOT_LETTER_BEFORE
        + r"(?<![^\W\d_]-)"
        + "(?:"
        + rf"(?P<odig>{NOT_DIGIT_BEFORE}(?:[0-9]+|[०-९]+))"
        + rf"(?P<osuf>{en_suffix}|{alternation(hi_suffixes)})"
        + rf"|(?P<ocomp>{tens_forms}[ \t\u00a0]*-[ \t\u00a0]*{en_units_ord})"
        + rf"|(?P<oword>{ord_words})"
        + ")"
        + NOT_LETTER_AFTER
    )

    def folded(items: Iterable[str]) -> frozenset[str]:
        return frozenset(fold(x) for x in items)

    return _Lexicon(
        words=words,
        ambiguous=folded(list(en["ambiguous"]) + list(hi["ambiguous"])),
        lone_one=folded(list(en["lone_one"]) + list(hi["lone_one"])),
        special={**{fold(w): (_AND, 0) for w in en["joiners"]},
                 **{fold(w): (_A, 1) for w in en["indefinite_one"]}},
        ambiguous_scales=folded(hi.get("ambiguous_scales", [])),
        scale_context_words=folded(hi.get("scale_context_words", [])),
        number_re=number_re,
        ordinal_re=ordinal_re,
        ordinals=ordinals,
        ordinal_suffixes=tuple(en["ordinal_digit_suffixes"]) + hi_suffixes,
        count_nouns=folded(list(en["count_nouns"]) + list(hi["count_nouns"])),
        label_words=folded(list(en["label_words"]) + list(hi["label_words"])),
        year_cues=folded(list(en["year_cues"]) + list(hi["year_cues"])),
    )


def _surface_words(data: dict[str, Any]) -> list[str]:
    """All cardinal-grammar words of one language's data file."""
    out: list[str] = []
    for key in ("units", "tens", "scales", "fractions"):
        out.extend(data.get(key, {}) or {})
    for key in ("hundred", "dozen"):
        out.extend(data.get(key, []) or [])
    for ws in (data.get("cardinals") or {}).values():
        out.extend(ws)
    return out


# --- context lists used by dates.py -------------------------------------------------------------


def count_nouns() -> frozenset[str]:
    """Folded words after which a 4-digit number is a count, not a year ("2015 members")."""
    return _lexicon().count_nouns


def label_words() -> frozenset[str]:
    """Folded words before which a 4-digit number is a label or price ("Resolution 2216")."""
    return _lexicon().label_words


def year_cues() -> frozenset[str]:
    """Folded words that keep a following 4-digit number a year ("in 2015 members met")."""
    return _lexicon().year_cues


# --- word grammar ----------------------------------------------------------------------------


def _group(toks: Sequence[tuple[str, Number]], i: int) -> tuple[Number, int] | None:
    """Longest number below 1000 starting at token ``i``: 'forty one', 'two hundred and six',
    'दो सौ पचास', 'सौ'. Returns (value, next index) or None."""
    n = len(toks)
    if i >= n:
        return None
    kind, val = toks[i]
    j = i + 1
    if kind == _A:  # "a hundred", "a million", "a dozen"
        if not (j < n and toks[j][0] in (_HUNDRED, _SCALE, _DOZEN)):
            return None
        value: Number = 1
    elif kind == _HUNDRED:  # bare "सौ" / "hundred" = 100
        value = 100
    elif kind == _UNIT:
        value = val
    elif kind == _TENS:
        value = val
        if j < n and _is_digit_word(toks[j]):
            value += toks[j][1]
            j += 1
    else:
        return None
    if kind != _HUNDRED and j < n and toks[j][0] == _HUNDRED and 0 < value < 100:
        value *= 100
        j += 1
    if value >= 100 and value % 100 == 0 and value < 1000:
        k = j + 1 if j < n and toks[j][0] == _AND else j
        rest = _below_hundred(toks, k)
        if rest is not None:
            value += rest[0]
            j = rest[1]
    return value, j


def _is_digit_word(tok: tuple[str, Number]) -> bool:
    """A unit word 1-9, the only thing that may follow a tens word ("forty-one")."""
    return tok[0] == _UNIT and isinstance(tok[1], int) and 1 <= tok[1] <= 9


def _below_hundred(toks: Sequence[tuple[str, Number]], i: int) -> tuple[int, int] | None:
    """1-99 after a hundred: 'six', 'twenty-one', 'पचास'."""
    if i >= len(toks):
        return None
    kind, val = toks[i]
    if kind == _UNIT and isinstance(val, int) and 1 <= val <= 99:
        return val, i + 1
    if kind == _TENS:
        if i + 1 < len(toks) and _is_digit_word(toks[i + 1]):
            return int(val) + int(toks[i + 1][1]), i + 2
        return int(val), i + 1
    return None


def _number(toks: Sequence[tuple[str, Number]], i: int) -> tuple[Number, int] | None:
    """Longest valid number starting at token ``i``: groups times decreasing scales."""
    if i < len(toks) and toks[i][0] == _UNIT and toks[i][1] == 0:
        return 0, i + 1  # "zero" / "शून्य" stands alone
    total: Number = 0
    last_scale = float("inf")
    j = i
    found = False
    while True:
        g = _group(toks, j)
        if g is None or (found and g[0] == 0):
            break
        value, k = g
        if k < len(toks) and toks[k][0] == _DOZEN:
            total += value * 12
            j = k + 1
            found = True
            break
        mult = 1
        while k < len(toks) and toks[k][0] == _SCALE and toks[k][1] > mult:
            mult = int(toks[k][1]) if mult == 1 else mult * int(toks[k][1])
            k += 1
        if mult > 1 and mult < last_scale:
            total += value * mult
            last_scale = mult
            j = k
            found = True
            if j < len(toks) and toks[j][0] == _AND:  # "two thousand and six" ends here
                nxt = _group(toks, j + 1)
                scaled = nxt is not None and nxt[1] < len(toks) and toks[nxt[1]][0] == _SCALE
                if nxt is not None and nxt[0] < 100 and not scaled:
                    total += nxt[0]
                    j = nxt[1]
                break
            continue
        if mult > 1:  # a larger scale after a smaller one ends the number
            break
        if value >= last_scale:
            break
        total += value
        j = k
        found = True
        break
    if not found or (toks[i][0] == _A and j == i + 1):
        return None
    return total, j


def _tokenise(run: str, offset: int) -> list[tuple[int, int, str]]:
    """Split a matched word run into (start, end, surface) tokens (joiners are dropped)."""
    return [
        (offset + m.start(), offset + m.end(), m.group()) for m in re.finditer(r"[^\s\-]+", run)
    ]


def _kinds(toks: list[tuple[int, int, str]]) -> list[tuple[str, Number]]:
    """Grammar kind of each token; "and" joins, "a"/"an" is the 1 of "a hundred"."""
    lex = _lexicon()
    return [lex.words.get(fold(w)) or lex.special.get(fold(w), (_AND, 0)) for _, _, w in toks]


def _clean_value(v: float | int) -> Number:
    """1200000.0 → 1200000; 1.5 stays 1.5 (rounded to shed binary noise)."""
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        return round(v, 9)
    return v


def _parse_digits(surface: str) -> Number | None:
    s = to_ascii_digits(surface).replace(",", "")
    try:
        return int(s) if "." not in s else float(s)
    except ValueError:
        return None


# --- public API ------------------------------------------------------------------------------


def find_numbers(
    text: str,
    lang: str = "en",
    *,
    skip_spans: Iterable[tuple[int, int]] = (),
    include_ambiguous: bool = True,
) -> list[tuple[int, int, Number]]:
    """Cardinal numbers in running text as (start, end, value), sorted by start.

    Both scripts are searched whatever ``lang`` is (Hindi text quotes Latin digits, English text
    may quote Hindi). ``skip_spans`` (e.g. the spans of ``dates.find_dates``) removes numbers that
    overlap them; ``include_ambiguous=False`` drops a lone "एक"/"one" (see module docstring).
    """
    del lang  # the grammar is the same for both languages
    lex = _lexicon()
    blocked = _Spans(_blocked_spans(text))
    skips = _Spans(skip_spans)
    out: list[tuple[int, int, Number]] = []
    for m in lex.number_re.finditer(text):
        for s, e, v in _values(text, m):
            if blocked.contains(s, e) or _is_bare_marker(text, s, e) or _is_clock(text, s, e):
                continue
            if skips.overlaps(s, e):
                continue
            if not include_ambiguous and is_ambiguous(text[s:e]):
                continue
            out.append((s, e, v))
    return out


def _values(text: str, m: re.Match[str]) -> list[tuple[int, int, Number]]:
    """The number(s) in one regex match: digits (+ scales), or a word run split into numbers."""
    lex = _lexicon()
    if m.group("dig") is not None:
        s = m.start("dig")
        parts = re.split(r"\s+", m.group("dig"))
        value = _parse_digits(parts[0])
        if value is None:
            return []
        end = s + len(parts[0])
        pos = end
        for p in parts[1:]:
            pos = text.index(p, pos)
            mult = lex.words[fold(p)][1]
            if not _scale_allowed(text, p, pos + len(p), fractional=_is_fraction(value)):
                break
            value = value * mult
            end = pos + len(p)
            pos = end
        return [(s, end, _clean_value(value))]
    toks = _tokenise(m.group("words"), m.start("words"))
    kinds = _kinds(toks)

    def _frac(i: int, j: int) -> bool:
        return any(_is_fraction(v) for _, v in kinds[i:j])

    out = []
    i = 0
    while i < len(toks):
        r = _number(kinds, i)
        if r is None:
            i += 1
            continue
        value, j = r
        # drop a trailing ambiguous scale ("बाईस अरब देश": Arab, not billion)
        while (
            j - 1 > i
            and kinds[j - 1][0] == _SCALE
            and not _scale_allowed(text, toks[j - 1][2], toks[j - 1][1], fractional=_frac(i, j))
        ):
            j -= 1
            sub = _number(kinds[:j], i)
            if sub is None:
                break
            value, j = sub
        last = toks[j - 1]
        if kinds[j - 1][0] == _SCALE and not _scale_allowed(
            text, last[2], last[1], fractional=_frac(i, j)
        ):
            i += 1
            continue
        out.append((toks[i][0], toks[j - 1][1], _clean_value(value)))
        i = j
    return out


def _is_fraction(v: Number) -> bool:
    return isinstance(v, float) and not v.is_integer()


def _scale_allowed(text: str, word: str, end: int, *, fractional: bool) -> bool:
    """An ambiguous scale ('अरब': billion or Arab) counts after a fraction, before a money or
    population word, or at the very end of the string (so that ``parse_number("2 अरब")`` reads
    what ``find_numbers`` found in "2 अरब डॉलर"). Other scales always count."""
    lex = _lexicon()
    if fold(word) not in lex.ambiguous_scales or fractional or not text[end:].strip():
        return True
    nxt = re.match(r"\s+(\S+)", text[end : end + 40])
    return nxt is not None and fold(nxt.group(1).rstrip(".,;:!?।")) in lex.scale_context_words


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Short square-bracketed stretches: footnote and note markers such as "[1]", "[note 3]"."""
    return [m.span() for m in re.finditer(r"\[[^\[\]\n]{0,40}\]", text)]


class _Spans:
    """A set of character spans merged into disjoint sorted intervals, for O(log n) tests
    (a Wikipedia text can have hundreds of footnotes and dates)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def _last_starting_before(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def contains(self, s: int, e: int) -> bool:
        k = self._last_starting_before(s)
        return k >= 0 and e <= self.ends[k]

    def overlaps(self, s: int, e: int) -> bool:
        k = self._last_starting_before(e - 1)
        return k >= 0 and self.ends[k] > s


def _is_bare_marker(text: str, s: int, e: int) -> bool:
    """A number alone in parentheses, "(1)": a list or footnote marker, not a quantity."""
    return bool(
        re.search(r"\(\s*$", text[max(0, s - 3) : s]) and re.match(r"\s*\)", text[e : e + 3])
    )


def _is_clock(text: str, s: int, e: int) -> bool:
    """Parts of "20:15" (clock times, ratios, verse numbers) are not counts."""
    return bool(re.match(r":\d", text[e : e + 2]) or re.search(r"\d:$", text[max(0, s - 2) : s]))


def parse_number(text: str, lang: str = "en") -> Number | None:
    """The value of a string that is exactly one number ("41", "४१", "1,200", "forty-one",
    "चौंतीस", "सौ", "दस लाख", "a dozen"), else None. Surrounding whitespace is ignored."""
    t = text.strip()
    if not t:
        return None
    found = find_numbers(t, lang)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(t):
        return found[0][2]
    return None


def is_ambiguous(surface: str) -> bool:
    """True for a single number word that is often not a number: एक/one (article, pronoun),
    पहले (before), दो (give), नौ (नौ सेना, navy), second (time)."""
    return fold(surface.strip()) in _lexicon().ambiguous


def is_ambiguous_one(surface: str) -> bool:
    """True for a lone "एक" or "one" (also "a/an" and the pronoun "one")."""
    return fold(surface.strip()) in _lexicon().lone_one


def format_number(value: Number) -> str:
    """The NUMBER kb_id: the value as a plain decimal ("41", "1.5", "1200000"; no exponent)."""
    value = _clean_value(value)
    if isinstance(value, int):
        return str(value)
    return format(value, "f").rstrip("0").rstrip(".")


# --- ordinals ----------------------------------------------------------------------------------


def find_ordinals(text: str, lang: str = "en") -> list[tuple[int, int, int]]:
    """Ordinals as (start, end, value): "55th", "sixth", "twenty-first", "11वां", "छठा".

    Kept apart from cardinals: "the sixth member" gives a count only to a caller that knows the
    list is in order. "second" and "पहले" (also "before") are ambiguous: see ``is_ambiguous``.
    """
    del lang
    lex = _lexicon()
    out = []
    for m in lex.ordinal_re.finditer(text):
        if m.group("odig") is not None:
            value = int(to_ascii_digits(m.group("odig")))
        elif m.group("ocomp") is not None:
            tens, unit = re.split(r"\s*-\s*", m.group("ocomp"))
            value = int(lex.words[fold(tens)][1]) + lex.ordinals[fold(unit)]
        else:
            got = lex.ordinals.get(fold(m.group("oword")))
            if got is None:
                continue
            value = got
        out.append((m.start(), m.end(), value))
    return out


def parse_ordinal(text: str, lang: str = "en") -> int | None:
    """The value of a string that is exactly one ordinal ("55th", "sixth", "11वां"), else None."""
    t = text.strip()
    found = find_ordinals(t, lang)
    if len(found) == 1 and found[0][:2] == (0, len(t)):
        return found[0][2]
    return None

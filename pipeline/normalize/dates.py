"""Dates in English and Hindi text → ISO 8601 at the precision written (SCHEMA: DATE kb_id).

"2015" → "2015", "दिसंबर 2016" → "2016-12", "15 December 2015" → "2015-12-15": a missing day or
month is never filled in.

Why a grammar and not dateparser: ``dateparser.search.search_dates`` returns no character
offsets and fills a missing day/month from today's date unless told otherwise; its
``get_date_data(...).period`` keeps the precision but only for a string already cut out of the
text, and it is slow on long documents. We need exact spans in running text, Devanagari digits
and control over what counts as a year, so dates are matched by a small regex grammar built from
CLDR month names (Babel) plus the variants in ``pipeline/data/hi/months.yaml``, and validated
with ``calendar``. Anything the grammar does not cover returns None rather than a guess.

Decisions:

* Relative dates ("today", "आज", "last year", weekdays) → None: they need the publication date.
* Decades ("the 1990s", "mid-1970s", "1990 के दशक") → None / not found: not expressible as ISO.
* A 4-digit number stands alone as a year only in 1800-2100, not glued to letters or other
  digits, not a price or label ("$2015", "Rs 2000", "Resolution 2216", "No. 2015"), not a clock
  time ("20:15"), and not followed by a count noun or scale ("2015 members", "1800 hours",
  "2000 km", "2000 करोड़") unless a year cue precedes it ("in 2015 members met" is a year). The
  lists are in ``pipeline/data/{en,hi}/numbers.yaml``.
* "in 2016", "2016 में", "सन 1969", "late 2007", "2017–present": the span is the year alone.
* Year ranges: "1997–98" / "2015-16" give the first year; "1997–1998" gives both years.
* Day ranges ("9–11 September 2023") give the month ("2023-09"): no single day is written.
* All-numeric dates: "2015-12-15" (ISO, also with "/" or "."), and D-M-Y "15-12-2015" /
  "15/12/2015" / "15.12.2015". When both of the first two numbers are ≤ 12 and differ the
  order is ambiguous (D/M or M/D): Hindi text (lang="hi") reads them D/M/Y (the Indian
  convention); English text returns nothing rather than guess. "2015-12" in running text is not
  read as a month: it is usually a fiscal-year range (2015-16 style); ``parse_date("2015-12")``
  does accept it as ISO.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from babel.dates import get_day_names, get_month_names

from pipeline.core.config import DEFAULT
from pipeline.core.data import dash_class, load_yaml
from pipeline.normalize.numbers import (
    NOT_DIGIT_AFTER,
    NOT_DIGIT_BEFORE,
    NOT_LETTER_AFTER,
    NOT_LETTER_BEFORE,
    alternation,
    count_nouns,
    fold,
    label_words,
    to_ascii_digits,
    year_cues,
)

YEAR_MIN, YEAR_MAX = 1800, 2100  # standalone 4-digit years outside this range are not dates

# CLDR locales whose month names we accept: en_GB and hi_Latn add "Sept" to English.
_LATIN_LOCALES = ("en", "en_GB", "hi_Latn")
# CLDR's two contexts of a month name (in a date, and standing alone as a heading).
_MONTH_CONTEXTS: tuple[Literal["format", "stand-alone"], ...] = ("format", "stand-alone")

_D2 = r"(?:[0-9]{1,2}|[०-९]{1,2})"
_D4 = r"(?:[0-9]{4}|[०-९]{4})"
_YEAR_DIGITS = re.compile(_D4)
_DASH = dash_class()  # hyphen, en/em dashes, minus (data/punctuation.yaml)
_PUNCT_STRIP = " \t\r\n\u00a0,;:()[]{}\"'“”‘’«»।॥.!?"


@dataclass(frozen=True)
class _Grammar:
    months: dict[str, int]  # fold(name) -> month number
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    fillers: frozenset[str]
    decade_markers: frozenset[str]
    decade_linkers: frozenset[str]
    count_nouns: frozenset[str]
    label_words: frozenset[str]
    year_cues: frozenset[str]


def _month_names() -> tuple[dict[str, int], list[str], list[str], list[str]]:
    """(fold → month, Latin full names, Latin abbreviations, Hindi names) from CLDR + data."""
    months: dict[str, int] = {}
    full: set[str] = set()
    abbr: set[str] = set()
    hindi: set[str] = set()
    for loc in _LATIN_LOCALES:
        for ctx in _MONTH_CONTEXTS:
            for n, name in get_month_names("wide", ctx, loc).items():
                full.add(name)
                months[fold(name)] = n
            for n, name in get_month_names("abbreviated", ctx, loc).items():
                name = name.rstrip(".")
                abbr.add(name)
                months[fold(name)] = n
    for ctx in _MONTH_CONTEXTS:
        for width in ("wide", "abbreviated"):
            for n, name in get_month_names(width, ctx, "hi").items():
                hindi.add(name)  # abbreviations keep their sign: "जन॰" (bare "जन" is "people")
                months[fold(name)] = n
    for n, names in load_yaml("hi/months.yaml")["month_variants"].items():
        for name in names:
            hindi.add(name)
            months[fold(name)] = int(n)
    return months, sorted(full), sorted(abbr - full), sorted(hindi)


def _latin_alt(names: list[str], *, lower: bool) -> str:
    """Title, UPPER and (for unambiguous full names) lower case, longest first."""
    # lower-case forms that are ordinary English words ("may", "march") need a capital
    homographs = frozenset(load_yaml("en/numbers.yaml")["lowercase_ambiguous_months"])
    forms: set[str] = set()
    for n in names:
        forms.update({n, n.upper()})
        if lower and n.lower() not in homographs:
            forms.add(n.lower())
    alts = sorted(forms, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(a) for a in alts) + ")"


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    months, full, abbr, hindi = _month_names()
    # Abbreviations may carry a dot ("Dec. 2016"); full names may not, so "December." ends a
    # sentence rather than a date.
    month = (
        NOT_LETTER_BEFORE
        + "(?P<mon>"
        + _latin_alt(full, lower=True)
        + NOT_LETTER_AFTER
        + "|"
        + _latin_alt(abbr, lower=False)
        + NOT_LETTER_AFTER
        + r"\.?"
        + "|"
        + alternation(hindi)  # no "." after a Hindi name: there it ends a sentence
        + NOT_LETTER_AFTER
        + ")"
    )
    day_one = rf"{NOT_DIGIT_BEFORE}(?<![0-9०-९][.,:]){_D2}{NOT_DIGIT_AFTER}"
    suffixes = load_yaml("en/numbers.yaml")["ordinal_digit_suffixes"]
    ordsuf = "(?:" + "|".join(re.escape(s) for s in [*suffixes, *(s.upper() for s in suffixes)])
    ordsuf += ")?"  # "5th", "5TH" (lower or upper case, as the month names)
    day = (
        rf"(?P<d>{day_one}){ordsuf}"
        rf"(?:\s*{_DASH}\s*(?P<d2>{_D2}{NOT_DIGIT_AFTER}){ordsuf})?"
    )
    year = rf"(?P<y>{_D4}){NOT_DIGIT_AFTER}"
    dm_sep = r"(?:\s+of\s+|\s*[-/]\s*|\s+)"
    my_sep = r"(?:\s*,\s*|\s*[-/]\s*|\s+(?:of\s+)?|(?<=[.\u0970]))"
    md_sep = r"(?:\s+|\s*[-/]\s*)"
    dy_sep = r"(?:\s*,\s*|\s+)"
    num = r"(?:[0-9]{1,2}|[०-९]{1,2})"
    patterns = (
        (
            "iso",
            rf"{NOT_DIGIT_BEFORE}(?<![0-9०-९][.,/-])(?P<y>{_D4})(?P<sep>[-/.])"
            rf"(?P<m>(?:[0-9]{{2}}|[०-९]{{2}}))(?P=sep)(?P<d>(?:[0-9]{{2}}|[०-९]{{2}}))"
            rf"{NOT_DIGIT_AFTER}(?![.,/-][0-9०-९])",
        ),
        (
            "numeric",
            rf"{NOT_DIGIT_BEFORE}(?<![0-9०-९][.,/:-])(?P<a>{num})(?P<sep>[-/.])(?P<b>{num})"
            rf"(?P=sep)(?P<y>{_D4}){NOT_DIGIT_AFTER}(?![.,/-][0-9०-९])",
        ),
        ("dmy", rf"{day}{dm_sep}{month}{my_sep}{year}"),
        ("mdy", rf"{month}{md_sep}{day}{dy_sep}{year}"),
        ("my", rf"{month}{my_sep}{year}"),
        (
            "year",
            rf"{NOT_DIGIT_BEFORE}{NOT_LETTER_BEFORE}(?<![0-9०-९][.,:/])(?<![$€£₹¥#])"
            rf"(?P<y>{_D4}){NOT_DIGIT_AFTER}{NOT_LETTER_AFTER}"
            r"(?![.,:/][0-9०-९])(?!['’][sS]\b)(?!\s*%)",
        ),
    )
    hi = load_yaml("hi/months.yaml")
    en = load_yaml("en/numbers.yaml")
    weekdays = [
        name
        for loc in DEFAULT.languages
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, "format", loc).values()
    ]
    fillers = frozenset(_tok(w) for w in [*hi["fillers"], *en["date_fillers"], *weekdays])
    return _Grammar(
        months=months,
        patterns=tuple((name, re.compile(p)) for name, p in patterns),
        fillers=fillers,
        decade_markers=frozenset(_tok(w) for w in hi["decade_markers"]),
        decade_linkers=frozenset(_tok(w) for w in hi["decade_linkers"]),
        count_nouns=frozenset(_tok(w) for w in count_nouns()),
        label_words=frozenset(_tok(w) for w in label_words()),
        year_cues=frozenset(_tok(w) for w in year_cues()),
    )


def _tok(word: str) -> str:
    """Comparison key for a context word: folded, without trailing dots/commas."""
    return fold(word).rstrip(".,;:\u0970")


def _valid(y: int, m: int | None = None, d: int | None = None) -> str | None:
    """ISO string at the given precision, or None if the parts are not a real date."""
    if not 1 <= y <= 9999:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _int(s: str) -> int:
    return int(to_ascii_digits(s))


def _month_of(surface: str) -> int | None:
    months = _grammar().months
    return months.get(fold(surface)) or months.get(fold(surface.rstrip(".")))


def _iso(kind: str, m: re.Match[str], lang: str) -> str | None:
    """The ISO value of one grammar match (None when invalid or ambiguous)."""
    y = _int(m.group("y"))
    if kind == "iso":
        return _valid(y, _int(m.group("m")), _int(m.group("d")))
    if kind == "numeric":
        a, b = _int(m.group("a")), _int(m.group("b"))
        if a > 12 >= b:
            return _valid(y, b, a)
        if b > 12 >= a:
            return _valid(y, a, b)
        if a == b or _day_first(lang):
            return _valid(y, b, a)
        return None
    if kind == "year":
        return _valid(y) if YEAR_MIN <= y <= YEAR_MAX else None
    mon = _month_of(m.group("mon"))
    if mon is None:
        return None
    if kind == "my":
        return _valid(y, mon)
    d1 = _int(m.group("d"))
    if m.group("d2") is not None:  # a day range: the month is what is written
        d2 = _int(m.group("d2"))
        if _valid(y, mon, d1) is None or _valid(y, mon, d2) is None or d2 <= d1:
            return None
        return _valid(y, mon)
    return _valid(y, mon, d1)


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"(\S+)\s*$", text[max(0, start - 40) : start])
    return _tok(m.group(1)) if m else ""


def _is_year(text: str, s: int, e: int) -> bool:
    """Context test for a standalone 4-digit number (see the module docstring)."""
    g = _grammar()
    prev = _prev_word(text, s)
    if prev in g.label_words:
        return False
    after = text[e : e + 60]
    nxt = re.match(r"[ \t\u00a0]+([^\s,;:.!?()\[\]।]+)(?:\s+(\S+))?", after)
    if nxt:
        w1 = _tok(nxt.group(1))
        w2 = _tok(nxt.group(2) or "")
        if w1 in g.decade_markers or (w1 in g.decade_linkers and w2 in g.decade_markers):
            return False
        if w1 in g.count_nouns and prev not in g.year_cues:
            return False
    return True


def _candidates(text: str, lang: str) -> list[tuple[int, int, str]]:
    """Every valid match of every pattern, overlapping ones included."""
    out = []
    for kind, pat in _grammar().patterns:
        pos = 0
        while (m := pat.search(text, pos)) is not None:
            pos = m.start() + 1
            iso = _iso(kind, m, lang)
            if iso is None:
                continue
            s, e = m.span()
            if kind == "year" and not _is_year(text, s, e):
                continue
            out.append((s, e, iso))
    return out


def find_dates(text: str, lang: str = "en") -> list[tuple[int, int, str]]:
    """Every date in running text as (start, end, iso), sorted by start, non-overlapping.

    ``text[start:end]`` is the date itself (no "on", "में", "को"). Where matches overlap the
    longest wins ("15 December 2015" over "December 2015" over "2015"). Both scripts are searched
    in either language; ``lang`` only decides ambiguous all-numeric dates (see module docstring).
    """
    if not _YEAR_DIGITS.search(text):
        return []  # every pattern has a four-digit year: most paragraphs end here
    chosen: list[tuple[int, int, str]] = []
    for s, e, iso in sorted(_candidates(text, lang), key=lambda c: (c[0] - c[1], c[0])):
        if all(e <= cs or ce <= s for cs, ce, _ in chosen):
            chosen.append((s, e, iso))
    return sorted(chosen)


_ISO_RE = re.compile(
    r"(?P<y>[0-9]{4}|[०-९]{4})(?:-(?P<m>[0-9]{2}|[०-९]{2})(?:-(?P<d>[0-9]{2}|[०-९]{2}))?)?"
)


def _strip_fillers(text: str) -> str:
    """Drop words at either edge that do not change a date: 'in', 'on', 'में', 'को', 'सन',
    weekdays, a leading 'mid-'; and surrounding punctuation."""
    g = _grammar()
    t = text.strip(_PUNCT_STRIP)
    while True:
        before = t
        m = re.match(r"(\S+?)[\s,]+", t)
        if m and _tok(m.group(1)) in g.fillers:
            t = t[m.end() :]
        if re.match(r"(?i:mid)\s*-\s*(?=\d|[०-९])", t):
            t = t[t.index("-") + 1 :]
        m = re.search(r"[\s,]+(\S+)$", t)
        if m and _tok(m.group(1)) in g.fillers:
            t = t[: m.start()]
        t = t.strip(_PUNCT_STRIP)
        if t == before:
            return t


def parse_date(text: str, lang: str = "en") -> str | None:
    """ISO 8601 at the written precision for a string that is one date, else None.

    "2015" → "2015"; "Dec. 2016" / "दिसंबर 2016" → "2016-12"; "15 December 2015" / "December 15,
    2015" / "१५ दिसंबर २०१५" / "2015-12-15" → "2015-12-15"; "1 जनवरी 2024 से" → "2024-01-01";
    "in 2016" / "2016 में" → "2016". Relative dates ("today", "आज"), decades ("the 1990s"),
    impossible dates (month 13, 30 February, year 0) and strings holding more than one date →
    None. A bare 4-digit year is accepted in any range 0001-9999 here (the caller says it is a
    date); ``find_dates`` only takes standalone years in 1800-2100.
    """
    t = _strip_fillers(text)
    if not t:
        return None
    m = _ISO_RE.fullmatch(t)
    if m:
        y = _int(m.group("y"))
        mo = _int(m.group("m")) if m.group("m") else None
        d = _int(m.group("d")) if m.group("d") else None
        return _valid(y, mo, d)
    found = find_dates(t, lang)
    if len(found) == 1 and found[0][:2] == (0, len(t)):
        return found[0][2]
    return _dateparser_fallback(t, lang)


_PERIOD_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


@lru_cache(maxsize=8)
def _day_first(lang: str) -> bool:
    """Whether ``lang`` reads an ambiguous numeric date day first (data/<lang>/date_lines.yaml)."""
    try:
        return bool(load_yaml(f"{lang}/date_lines.yaml").get("numeric_day_first"))
    except FileNotFoundError:
        return False


@lru_cache(maxsize=4)
def _dateparser(lang: str) -> Any:
    from dateparser.date import DateDataParser

    langs = [lang] + [x for x in DEFAULT.languages if x != lang]
    return DateDataParser(languages=langs, settings={"REQUIRE_PARTS": ["year"]})


def _dateparser_fallback(text: str, lang: str) -> str | None:
    """Forms our grammar does not know ("December the 15th, 2015") go to dateparser, whose
    ``period`` says a day was written, so no day or month is invented. Only strings that
    spell out the year are accepted: relative dates ("2 days ago") never reach an ISO value."""
    years = re.findall(r"(?<![0-9])[0-9]{4}(?![0-9])", to_ascii_digits(text))
    if len(years) != 1 or not re.search(r"[^\W\d_]", text):
        return None
    try:
        known = lang if lang in DEFAULT.languages else DEFAULT.languages[0]
        data = _dateparser(known).get_date_data(text)
    except Exception:  # dateparser raises on odd input; a non-date is simply not a date
        return None
    # Only full dates: month-year forms are the grammar's, which knows that "may 2015" and
    # "जन 2016" are not months.
    if data.date_obj is None or data.period != "day":
        return None
    day: datetime = data.date_obj  # dateparser has no type hints
    if day.year != int(years[0]):
        return None
    return day.strftime(_PERIOD_FORMAT[data.period])

"""Date and number normalisers: real forms from the seeds and cases, edge cases, properties.

The oracles here (English spell-out, Hindi 0-100 words, month names) are written in this file,
independently of the data files and code under test, so a typo in either shows up as a failure.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.normalize.dates import find_dates, parse_date
from pipeline.normalize.numbers import (
    find_numbers,
    find_ordinals,
    format_number,
    is_ambiguous,
    is_ambiguous_one,
    parse_number,
    parse_ordinal,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEVA = str.maketrans("0123456789", "०१२३४५६७८९")


def words(text: str) -> list[str]:
    """Whitespace-separated words (keeps the word tables below readable)."""
    return text.split()


EN_MONTHS = words(
    "January February March April May June July August September October November December"
)
EN_ABBR = words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
# Hindi month names with the common variant spellings, as printed in Hindi news.
HI_MONTHS = [
    ["जनवरी"],
    ["फ़रवरी", "फरवरी"],
    ["मार्च"],
    ["अप्रैल"],
    ["मई"],
    ["जून"],
    ["जुलाई"],
    ["अगस्त"],
    ["सितंबर", "सितम्बर"],
    ["अक्टूबर", "अक्तूबर"],
    ["नवंबर", "नवम्बर"],
    ["दिसंबर", "दिसम्बर"],
]

# Hindi cardinals 0-100 (Wikipedia, "Hindustani numerals"), one standard spelling each.
HI_WORDS = words("""
शून्य एक दो तीन चार पाँच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह
उन्नीस बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस तीस इकतीस बत्तीस
तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस चालीस इकतालीस बयालीस तैंतालीस चवालीस
पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास पचास इक्यावन बावन तिरेपन चौवन पचपन छप्पन
सत्तावन अट्ठावन उनसठ साठ इकसठ बासठ तिरेसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर सत्तर
इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उन्यासी अस्सी इक्यासी
बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी नब्बे इक्यानबे बानबे तिरानबे
चौरानबे पंचानबे छियानबे सत्तानबे अट्ठानबे निन्यानबे सौ
""")
assert len(HI_WORDS) == 101

_ONES = words("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen
""")
_TENS = words("""
_ _ twenty thirty forty fifty sixty seventy eighty ninety
""")


def spell_en(n: int, *, hyphen: bool = True, use_and: bool = False) -> str:
    """English words for 0-999 (the test's own oracle)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (("-" if hyphen else " ") + _ONES[unit] if unit else "")
    hundreds, rest = divmod(n, 100)
    head = _ONES[hundreds] + " hundred"
    if not rest:
        return head
    return head + (" and " if use_and else " ") + spell_en(rest, hyphen=hyphen)


def ordinal_suffix(d: int) -> str:
    if 11 <= d % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


# --- parse_date: examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "iso"),
    [
        ("2015", "en", "2015"),
        ("December 2016", "en", "2016-12"),
        ("दिसंबर 2016", "hi", "2016-12"),
        ("Dec. 2016", "en", "2016-12"),
        ("Nov 2017", "en", "2017-11"),
        ("15 December 2015", "en", "2015-12-15"),
        ("December 15, 2015", "en", "2015-12-15"),
        ("15 दिसंबर 2015", "hi", "2015-12-15"),
        ("15-12-2015", "en", "2015-12-15"),
        ("15/12/2015", "hi", "2015-12-15"),
        ("2015-12-15", "en", "2015-12-15"),
        ("2015-12", "en", "2015-12"),
        ("1 जनवरी 2024 से", "hi", "2024-01-01"),
        ("2016 में", "hi", "2016"),
        ("in 2016", "en", "2016"),
        ("late 2007", "en", "2007"),
        ("mid-2015", "en", "2015"),
        ("सन 1969 में", "hi", "1969"),
        ("१५ दिसंबर २०१५", "hi", "2015-12-15"),
        ("२२ मई १९६३ को", "hi", "1963-05-22"),
        ("8 अगस्त, 1967", "hi", "1967-08-08"),
        ("दिसम्बर, 2016", "hi", "2016-12"),
        ("फ़रवरी 2008", "hi", "2008-02"),
        ("फरवरी 2008", "hi", "2008-02"),
        ("अक्तूबर 2025", "hi", "2025-10"),
        ("जन॰ 2016", "hi", "2016-01"),  # CLDR's Hindi abbreviation
        ("Saturday, January 6, 2018", "en", "2018-01-06"),
        ("25 September, 2024", "en", "2024-09-25"),
        ("the 6th of January 2018", "en", "2018-01-06"),
        ("Sept. 15, 2015", "en", "2015-09-15"),
        ("MARCH 2015", "en", "2015-03"),
        ("9–11 September 2023", "en", "2023-09"),  # a day range: only the month is written
        ("1066", "en", "1066"),  # parse_date trusts a bare year in any range
    ],
)
def test_parse_date_examples(text: str, lang: str, iso: str) -> None:
    assert parse_date(text, lang) == iso


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("today", "en"),
        ("आज", "hi"),
        ("last year", "en"),
        ("शुक्रवार", "hi"),
        ("बीते सोमवार", "hi"),
        ("13/13/2015", "en"),
        ("2015-13-01", "en"),
        ("2015-13", "en"),
        ("0000", "en"),
        ("30 February 2015", "en"),
        ("29 February 2015", "en"),
        ("the 1990s", "en"),
        ("mid-1970s", "en"),
        ("1990 के दशक", "hi"),
        ("2015 members", "en"),
        ("may 2015", "en"),  # lower-case "may" is the verb
        ("15 December", "en"),  # no year: not an ISO date
        ("जन 2016", "hi"),  # bare "जन" is "people", not "Jan"
        ("2015 and 2016", "en"),  # two dates are not one
        ("05/06/2015", "en"),  # D/M or M/D: not guessed in English
        ("", "en"),
        ("   ", "hi"),
    ],
)
def test_parse_date_rejects(text: str, lang: str) -> None:
    assert parse_date(text, lang) is None


def test_numeric_dates_read_day_first_in_hindi() -> None:
    assert parse_date("05/06/2015", "hi") == "2015-06-05"
    assert parse_date("06/06/2015", "en") == "2015-06-06"  # same either way
    assert parse_date("12/25/2015", "en") == "2015-12-25"  # only M/D/Y is possible


def test_leap_day() -> None:
    assert parse_date("29 February 2016") == "2016-02-29"
    assert parse_date("29 फ़रवरी 2000", "hi") == "2000-02-29"


# --- find_dates: paragraphs written in the way articles write dates --------------------------

PARA_HI = (
    "इसकी नींव सबसे पहले मलेशिया के प्रधानमंत्री अनवर इब्राहिम ने 4 मार्च 2011 को रखी थी। जब मंच "
    "की घोषणा हुई तब 12 सदस्य थे। बाद में और देश भी जुड़े और सदस्यों की संख्या 15 हो गई जब "
    "इंडोनेशिया मई 2013 में शामिल हुआ। 19 अगस्त 2021 को, जनरल क़मर जावेद बाजवा को इसका पहला "
    "कमांडर-इन-चीफ़ नियुक्त किया गया। जून 2022 के अनुसार, 15 सदस्य देश हैं।"
)
PARA_EN = (
    "The Indian Ocean Maritime Security Pact (IOMSP), was set up in 2009 as a result of a "
    "Kenyan-Omani initiative. Founding members of the pact are: Kenya, Tanzania, Oman (2) "
    "Sri Lanka, Maldives. Mauritius and Seychelles joined in 2012."
)


def surfaces(text: str, lang: str) -> list[tuple[str, str]]:
    return [(text[s:e], iso) for s, e, iso in find_dates(text, lang)]


def test_find_dates_hindi_paragraph() -> None:
    assert surfaces(PARA_HI, "hi") == [
        ("4 मार्च 2011", "2011-03-04"),
        ("मई 2013", "2013-05"),
        ("19 अगस्त 2021", "2021-08-19"),
        ("जून 2022", "2022-06"),
    ]


def test_find_dates_english_paragraph() -> None:
    assert surfaces(PARA_EN, "en") == [("2009", "2009"), ("2012", "2012")]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "The union was founded on 3 March 1994 in Lima, Peru, and launched on 12 October "
            "1995 in Quito, Ecuador.[4]",
            "en",
            [("3 March 1994", "1994-03-03"), ("12 October 1995", "1995-10-12")],
        ),
        (
            "On March 14, 2019, the league formally admitted a new member.",
            "en",
            [("March 14, 2019", "2019-03-14")],
        ),
        (
            "2011–present (revived after talks in Oct 2011)",
            "en",
            [("2011", "2011"), ("Oct 2011", "2011-10")],
        ),
        ("one cause was that in late 2011, a more Moscow-friendly", "en", [("2011", "2011")]),
        (
            "Date12 June 2009 – present (4 years and 2 months)",
            "en",
            [("12 June 2009", "2009-06-12")],
        ),
        ("(APA- ECO) Tehran, 14 November, 2022", "en", [("14 November, 2022", "2022-11-14")]),
        (
            "on Shawwal 3, 1400 AH (corresponding to August 14, 1980 AD)",
            "en",
            [("August 14, 1980", "1980-08-14")],
        ),
        (
            "परिषद का गठन १४ जुलाई १९७२ को ९ पड़ोसी सरकारों द्वारा",
            "hi",
            [("१४ जुलाई १९७२", "1972-07-14")],
        ),
        ("यह मंच १९९७ में बनाया गया था।", "hi", [("१९९७", "1997")]),
        ("इस परिषद की स्थापना सन 1972 में 9 देशों के साथ हुई थी", "hi", [("1972", "1972")]),
        (
            "बता दें कि दोनों पड़ोसी देशों के बीच अप्रैल 2018 से सीमा विवाद जारी है",
            "hi",
            [("अप्रैल 2018", "2018-04")],
        ),
        (
            "पुर्तगाल 1986 में, इसके बाद 1995 में ऑस्ट्रिया, 2004 में पोलैंड",
            "hi",
            [("1986", "1986"), ("1995", "1995"), ("2004", "2004")],
        ),
        ("the European debt crisis of 2010 and 2011", "en", [("2010", "2010"), ("2011", "2011")]),
        ("It was signed on 17 अगस्त, 1981 in Muscat", "en", [("17 अगस्त, 1981", "1981-08-17")]),
        ("परिषद की स्थापना 25 May 1981 को हुई", "hi", [("25 May 1981", "1981-05-25")]),
        ("जनवरी, 2019 में क़तर शामिल हुआ", "hi", [("जनवरी, 2019", "2019-01")]),
        ("The 2015-16 budget and the 1997–98 crisis", "en", [("2015", "2015"), ("1997", "1997")]),
        ("from 1999–2000", "en", [("1999", "1999"), ("2000", "2000")]),
        ("the summit of 9–11 September 2023", "en", [("9–11 September 2023", "2023-09")]),
        ("released on 2015-12-15.", "en", [("2015-12-15", "2015-12-15")]),
    ],
)
def test_find_dates_examples(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert surfaces(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("a cost of $2015 per unit", "en"),
        ("2015 members signed", "en"),
        ("at 1800 hours", "en"),
        ("a 2000 km border", "en"),
        ("UN Resolution 2016 was adopted", "en"),
        ("the 1960s and the mid-1970s", "en"),
        ("the 1990's", "en"),
        ("1990 के दशक में", "hi"),
        ("2000 करोड़ रुपये", "hi"),
        ("1800 सैनिक", "hi"),
        ("12015 and 20150 and 2015.5 and 1,2015", "en"),
        ("A2015 G2015 2015th", "en"),
        ("in 1389 AH and 1700", "en"),
        ("today, yesterday, आज, last year", "en"),
        ("at 20:15 on platform 2015:3", "en"),
        ("member count 2,015", "en"),
        ("15 December", "en"),
        ("march 2015 soldiers", "en"),
    ],
)
def test_find_dates_not_dates(text: str, lang: str) -> None:
    assert find_dates(text, lang) == []


def test_year_cue_beats_count_noun() -> None:
    assert surfaces("In 2015 members of the alliance met.", "en") == [("2015", "2015")]
    assert surfaces("वर्ष 2011 सदस्य", "hi") == [("2011", "2011")]


def test_find_dates_longest_first_and_sorted() -> None:
    text = "Founded 15 December 2015; expanded December 2016; by 2017 and on 2018-01-06."
    spans = find_dates(text)
    assert [iso for *_, iso in spans] == ["2015-12-15", "2016-12", "2017", "2018-01-06"]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


# --- parse_number / find_numbers: examples ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("41", 41),
        ("४१", 41),
        ("1,200", 1200),
        ("1,00,000", 100000),
        ("3.5", 3.5),
        ("forty-one", 41),
        ("Forty-One", 41),
        ("thirty four", 34),
        ("fifty-seven", 57),
        ("one hundred", 100),
        ("a hundred", 100),
        ("two hundred and six", 206),
        ("two thousand and six", 2006),
        ("1.5 million", 1500000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("दो", 2),
        ("चार", 4),
        ("चौंतीस", 34),
        ("चौतीस", 34),
        ("इकतालीस", 41),
        ("पचपन", 55),
        ("पांच", 5),
        ("पाँच", 5),
        ("सौ", 100),
        ("एक सौ", 100),
        ("दो सौ पचास", 250),
        ("दस लाख", 1000000),
        ("10 लाख", 1000000),
        ("डेढ़ लाख", 150000),
        ("2 करोड़", 20000000),
        ("तीन हज़ार", 3000),
        ("तीन हजार", 3000),
        ("zero", 0),
        ("शून्य", 0),
    ],
)
def test_parse_number_examples(text: str, value: float) -> None:
    assert parse_number(text) == value
    assert parse_number(text, "hi") == value


@pytest.mark.parametrize(
    "text", ["", "one two", "a", "hundreds", "दोनों", "41st", "G20", "[1]", "(1)", "forty one two"]
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def values(text: str, lang: str = "en", **kw: object) -> list[tuple[str, float]]:
    return [(text[s:e], v) for s, e, v in find_numbers(text, lang, **kw)]  # type: ignore[arg-type]


def test_find_numbers_hindi_paragraph() -> None:
    dates = [(s, e) for s, e, _ in find_dates(PARA_HI, "hi")]
    assert values(PARA_HI, "hi", skip_spans=dates) == [("12", 12), ("15", 15), ("15", 15)]


def test_find_numbers_includes_date_parts_unless_skipped() -> None:
    text = "15 दिसंबर 2015 को 34 देश"
    assert values(text, "hi") == [("15", 15), ("2015", 2015), ("34", 34)]
    dates = [(s, e) for s, e, _ in find_dates(text, "hi")]
    assert values(text, "hi", skip_spans=dates) == [("34", 34)]


def test_find_numbers_markers_and_names() -> None:
    text = (
        "Qatar (1) Saudi Arabia [14] the G20, G-20, जी-20, F-16 and COVID-19; the 55th member "
        "in the 1960s at 20:15 [note 3] with (34 countries) and forty-one states."
    )
    assert values(text) == [("34", 34), ("forty-one", 41)]


def test_find_numbers_words_split_and_joined() -> None:
    assert values("one, two and three") == [("one", 1), ("two", 2), ("three", 3)]
    assert values("one two three") == [("one", 1), ("two", 2), ("three", 3)]
    assert values("one hundred and twenty-three troops") == [("one hundred and twenty-three", 123)]
    assert values("someone often threatens") == []  # no numbers inside words


def test_find_numbers_hindi_words_are_whole_tokens() -> None:
    text = "दोनों देश एकजुट हैं, सदस्यों की संख्या इकतालीस हो गई और चार देश बाहर रहे"
    assert values(text, "hi") == [("इकतालीस", 41), ("चार", 4)]


def test_arab_is_not_billion() -> None:
    assert values("22 अरब देश और सऊदी अरब", "hi") == [("22", 22)]
    assert values("बाईस अरब देश", "hi") == [("बाईस", 22)]
    assert values("2 अरब डॉलर", "hi") == [("2 अरब", 2000000000)]
    assert values("1.8 अरब मुसलमान", "hi") == [("1.8 अरब", 1800000000)]
    assert parse_number("2 अरब", "hi") == 2000000000


def test_ambiguous_one() -> None:
    text = "एक अख़बार की ख़बर के मुताबिक एक सौ देश"
    assert values(text, "hi") == [("एक", 1), ("एक सौ", 100)]
    assert values(text, "hi", include_ambiguous=False) == [("एक सौ", 100)]
    assert is_ambiguous_one("एक") and is_ambiguous_one("One") and not is_ambiguous_one("एक सौ")
    assert is_ambiguous_one("one") and not is_ambiguous_one("two")
    assert is_ambiguous("पहले") and not is_ambiguous("चार")


def test_format_number() -> None:
    assert format_number(41) == "41"
    assert format_number(1.5) == "1.5"
    assert format_number(1200000.0) == "1200000"
    assert format_number(2e12) == "2000000000000"


def test_ordinals() -> None:
    text = "the 55th member, the sixth member, twenty-first, 11वां सदस्य, 47वें, छठा, पाँचवाँ"
    assert [(text[s:e], v) for s, e, v in find_ordinals(text)] == [
        ("55th", 55),
        ("sixth", 6),
        ("twenty-first", 21),
        ("11वां", 11),
        ("47वें", 47),
        ("छठा", 6),
        ("पाँचवाँ", 5),
    ]
    assert parse_ordinal("twelfth") == 12
    assert parse_ordinal("twelve") is None


def test_hindi_data_file_matches_oracle() -> None:
    """Every 0-100 word of the test's own table parses (guards the data file)."""
    assert [parse_number(w, "hi") for w in HI_WORDS] == list(range(101))


# --- properties ----------------------------------------------------------------------------


@st.composite
def ymd(draw: st.DrawFn, lo: int = 1000, hi: int = 2999) -> tuple[int, int, int]:
    y = draw(st.integers(lo, hi))
    m = draw(st.integers(1, 12))
    d = draw(st.integers(1, calendar.monthrange(y, m)[1]))
    return y, m, d


def _en_forms(y: int, m: int, d: int) -> list[tuple[str, str]]:
    full, abbr = EN_MONTHS[m - 1], EN_ABBR[m - 1]
    dotted = f"{abbr}." if abbr != full else abbr  # "May." is not an abbreviation
    day, month, year = f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}-{m:02d}", f"{y:04d}"
    return [
        (f"{d} {full} {y}", day),
        (f"{d:02d} {full} {y}", day),
        (f"{full} {d}, {y}", day),
        (f"{full} {d}{ordinal_suffix(d)}, {y}", day),
        (f"{d}{ordinal_suffix(d)} of {full} {y}", day),
        (f"{d} {abbr} {y}", day),
        (f"{d} {dotted} {y}", day),
        (f"{d} {full.upper()} {y}", day),
        (f"{y}-{m:02d}-{d:02d}", day),
        (f"{d:02d}/{m:02d}/{y}" if d > 12 else f"{y}-{m:02d}-{d:02d}", day),
        (f"{full} {y}", month),
        (f"{full}, {y}", month),
        (f"{abbr} {y}", month),
        (f"{dotted} {y}", month),
        (f"in {y}", year),
        (f"{y}", year),
    ]


def _hi_forms(y: int, m: int, d: int, variant: int) -> list[tuple[str, str]]:
    names = HI_MONTHS[m - 1]
    mon = names[variant % len(names)]
    day, month, year = f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}-{m:02d}", f"{y:04d}"
    forms = [
        (f"{d} {mon} {y}", day),
        (f"{d} {mon}, {y}", day),
        (f"{d} {mon} {y} को", day),
        (f"{d}-{m}-{y}" if d > 12 or d == m else f"{d} {mon} {y}", day),
        (f"{mon} {y}", month),
        (f"{mon}, {y}", month),
        (f"{mon} {y} में", month),
        (f"{y} में", year),
        (f"सन {y}", year),
    ]
    return forms + [(s.translate(DEVA), iso) for s, iso in forms]


@FAST
@given(ymd())
def test_parse_date_round_trips_english(date: tuple[int, int, int]) -> None:
    for text, iso in _en_forms(*date):
        assert parse_date(text, "en") == iso, text
        assert parse_date(text, "hi") == iso, text
        assert parse_date(iso) == iso  # ISO output is a fixed point


@FAST
@given(ymd(), st.integers(0, 1))
def test_parse_date_round_trips_hindi(date: tuple[int, int, int], variant: int) -> None:
    for text, iso in _hi_forms(*date, variant):
        assert parse_date(text, "hi") == iso, text


@FAST
@given(ymd(1800, 2100), st.integers(0, 1))
def test_find_dates_in_sentences(date: tuple[int, int, int], variant: int) -> None:
    """A rendered date inside a sentence is found with exactly its surface (no 'in', 'को')."""
    for lang, forms in (("en", _en_forms(*date)), ("hi", _hi_forms(*date, variant))):
        for surface, iso in forms:
            core = surface.removeprefix("in ").removeprefix("सन ")
            core = core.removesuffix(" को").removesuffix(" में")
            text = f"Reported: {surface}. (ब) end" if lang == "en" else f"उसने कहा कि {surface}। अंत"
            got = find_dates(text, lang)
            assert [(text[s:e], v) for s, e, v in got] == [(core, iso)], text


# Text that often touches the grammar: dates, numbers, brackets, dashes, both scripts.
_PIECES = st.sampled_from(
    [
        "15",
        "2015",
        "१५",
        "२०१५",
        "December",
        "Dec.",
        "दिसंबर",
        "सितम्बर",
        "फ़रवरी",
        "May",
        "in",
        "में",
        "को",
        "forty",
        "-",
        "one",
        "hundred",
        "and",
        "a",
        "dozen",
        "एक",
        "सौ",
        "चौंतीस",
        "लाख",
        "अरब",
        "डॉलर",
        "million",
        "1,200",
        "3.5",
        "(",
        ")",
        "[",
        "]",
        ",",
        ".",
        "/",
        ":",
        "–",
        "th",
        "s",
        "members",
        "के",
        "दशक",
        "$",
        "G",
        "वां",
        "9–11",
        "00",
        "13",
        "29",
        "February",
        " ",
        "\n",
        "\u00a0",
        "\u093c",
        "\u0901",
        "K",
        "ſ",
    ]
)
_TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=25).map(" ".join),
    st.lists(_PIECES, max_size=25).map("".join),
)


@pytest.mark.parametrize("find, parse", [
    (find_dates, parse_date),
    (find_numbers, parse_number),
    (find_ordinals, parse_ordinal),
], ids=["dates", "numbers", "ordinals"])
@FAST
@given(text=_TEXTS, lang=st.sampled_from(["en", "hi"]))
def test_find_spans_are_sound(find: Callable[[str, str], list[tuple[int, int, Any]]],
                              parse: Callable[[str, str], Any], text: str, lang: str) -> None:
    """Every finder returns sorted, non-overlapping spans that its parser reads the same way."""
    prev_end = 0
    for s, e, value in find(text, lang):
        assert 0 <= s < e <= len(text)
        assert s >= prev_end  # sorted, non-overlapping
        prev_end = e
        assert parse(text[s:e], lang) == value, (text, text[s:e])


@FAST
@given(st.integers(0, 999), st.booleans(), st.booleans(), st.sampled_from(["lower", "title"]))
def test_parse_number_round_trips_english(n: int, hyphen: bool, use_and: bool, case: str) -> None:
    words = spell_en(n, hyphen=hyphen, use_and=use_and)
    if case == "title":
        words = words.title()
    assert parse_number(words) == n, words
    assert values(f"There were {words} members.") == [(words, n)]


@FAST
@given(st.integers(0, 100))
def test_parse_number_round_trips_hindi(n: int) -> None:
    word = HI_WORDS[n]
    assert parse_number(word, "hi") == n
    text = f"गठबंधन में {word} देश हैं।"
    assert values(text, "hi") == [(word, n)]


@FAST
@given(st.integers(0, 10**9), st.booleans(), st.booleans())
def test_digits_round_trip(n: int, grouped: bool, devanagari: bool) -> None:
    s = f"{n:,}" if grouped else str(n)
    if devanagari:
        s = s.translate(DEVA)
    assert parse_number(s) == n
    assert values(f"total {s} people") == [(s, n)]


def test_dateparser_fallback_keeps_the_written_precision() -> None:
    # a form our grammar does not know goes to dateparser; its period sets the precision
    assert parse_date("December the 15th, 2015", "en") == "2015-12-15"
    # relative dates never become ISO values, and no day is invented for a month
    assert parse_date("2 days ago", "en") is None
    assert parse_date("three years later, in the spring", "en") is None

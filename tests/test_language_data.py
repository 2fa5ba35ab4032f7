"""Language knowledge read from data, not written into the code: the language a line is read in
by its script (CLDR), one set of dashes, per-language date conventions and name link words."""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.config import DEFAULT
from pipeline.core.data import dashes
from pipeline.ingest import document_date
from pipeline.normalize.countries import demonym_code
from pipeline.normalize.dates import find_dates
from pipeline.normalize.script import (
    DEVANAGARI,
    LATIN,
    language_by_script,
    language_of_script,
    written_in_devanagari,
)


def test_a_line_is_read_in_the_language_of_its_script() -> None:
    assert language_by_script("प्रकाशित: 14 मार्च 2021") == "hi"
    assert language_by_script("Last edited on: March 14 2021") == "en"
    assert written_in_devanagari("hi") and not written_in_devanagari("en")
    assert language_of_script(DEVANAGARI, ("en",)) == ""  # no configured language writes it
    assert language_of_script(LATIN, ("hi", "en")) == "en"


def test_every_dash_of_the_data_joins_a_demonym_to_its_word() -> None:
    assert len(dashes()) >= 5
    for dash in dashes():
        assert demonym_code(f"Saudi{dash}led", "en") == "SAU", repr(dash)


def test_ambiguous_numeric_dates_follow_the_language() -> None:
    assert [iso for _, _, iso in find_dates("बैठक 3/4/2019 को हुई", "hi")] == ["2019-04-03"]
    assert find_dates("The meeting on 3/4/2019", "en") == []  # D/M or M/D: no date


def test_range_words_and_bylines_come_from_each_language() -> None:
    head = "Alliance history\n{}\nThe alliance met again."
    assert document_date(head.format("12 March 2021")) == ("2021-03-12", "date line")
    assert document_date(head.format("12 March 2021 to now")) == ("", "")
    assert document_date(head.format("12 मार्च 2021 से")) == ("", "")
    assert document_date(head.format("By Ana Rao, 12 March 2021 and more words here"))[1] == \
        "byline"
    # without English configured its byline word is not one
    hindi_only = replace(DEFAULT, languages=("hi",))
    assert document_date(head.format("By Ana Rao, 12 March 2021 and more words here"),
                         hindi_only)[1] != "byline"


def test_name_link_words_join_a_name_and_a_conjunction_ends_it() -> None:
    """The link and complement words (org_words.yaml) read on a sentence: "for" opens the
    complement, "and" joins its words; after the name, "and" joins another item."""
    from pipeline.ner.english import load_english
    from pipeline.ner.org_phrases import find_org_phrases

    nlp = load_english(DEFAULT)
    for text, name in [
        ("Delegates of the Council for Trade and Development of the Andes met in Quito.",
         "Council for Trade and Development"),
        ("Delegates of the Andes Water Council and Peru met in Quito.", "Andes Water Council"),
    ]:
        assert [text[s:e] for s, e, _ in find_org_phrases(nlp(text), "en")] == [name]

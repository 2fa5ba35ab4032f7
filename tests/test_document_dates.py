"""The article's own date (ingest.document_date): date lines, labels, bylines, in both
languages; and what is not the article's date."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import document_date, read_document


@pytest.mark.parametrize(("text", "expected"), [
    ("Leaders meet in Oslo\nUpdated: 3 May 2019\n\nThe alliance has twelve members.",
     ("2019-05-03", "'updated' line")),
    ("Category : News Published on: December 09 2023\nThe bloc met again.",
     ("2023-12-09", "'published' line")),
    ("गठबंधन की बैठक\nअपडेटेड: 14 मार्च 2021\n\nइस गठबंधन के बारह सदस्य हैं।",
     ("2021-03-14", "'अपडेटेड' line")),
    ("प्रकाशित: 2 सितंबर 2019\nसंगठन के आठ सदस्य हैं।", ("2019-09-02", "'प्रकाशित' line")),
    ("Tuesday, March 5, 2024\n\nThe pact was renewed.", ("2024-03-05", "date line")),
    ("(Wire) Nairobi, 7 June, 2022\n\nThe union met in Nairobi.", ("2022-06-07", "date line")),
    ("The summit\nBy Maria Lopez, 12 February 2020\nThe group has nine members.",
     ("2020-02-12", "byline")),
    # a dateline that opens the first paragraph, with an agency in brackets or a dash
    ("जयपुर, 9 अगस्त 2022 (वार्ता)। परिषद के नौ सदस्य देशों की बैठक हुई।",
     ("2022-08-09", "dateline")),
    ("Talks in Quito\n\nQUITO, Ecuador, 4 June 2018 - Envoys of the nine members met on "
     "Monday.", ("2018-06-04", "dateline")),
    ("बैठक\nअपडेट: 7 जुलाई 2020, 11:05 AM IST\n\nसमूह के दस सदस्य हैं।",
     ("2020-07-07", "'अपडेट' line")),
])
def test_the_articles_own_date(text: str, expected: tuple[str, str]) -> None:
    assert document_date(text) == expected


@pytest.mark.parametrize("text", [
    # an event's time span in an infobox, a labelled field, a bracketed note, a year alone
    "Intervention in the war\nDate 25 March 2015 – present\nThe coalition has nine states.",
    "The pact\n| Formation | 15 September 2021 |\nIt has three members.",
    "Members\n(July 2008)[2]\nThe group has twelve members.",
    "History\n2015\nThe alliance was founded in 2015.",
    # a date inside running text is the date of an event, not of the article
    "The alliance was founded on 15 December 2015 in Riyadh by the defence minister, who "
    "announced that thirty-four states had joined.",
    "कोई तारीख़ नहीं। गठबंधन के बारह सदस्य हैं।",
    # a date after a place and a comma inside a sentence is no dateline
    "Ministers met in Quito, 4 June 2018, and agreed on the budget of the nine members.",
    # a cue word inside another word
    "Notes\nAn outdated map of 12 May 2019 shows nine members.\nThe bloc grew.",
])
def test_no_article_date(text: str) -> None:
    assert document_date(text) == ("", "")


def test_read_document_keeps_the_date(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Posted 1 July 2018\n\nThe council has six members.\n", encoding="utf-8")
    d = read_document(path)
    assert (d.date, d.date_source) == ("2018-07-01", "'posted' line")

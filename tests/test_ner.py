"""NER on the seeds and on sentences written for the tests (real models, real rules)."""

from __future__ import annotations

from pathlib import Path

from conftest import EN_SEED, HI_SEED

from pipeline.core.records import COUNTRY, DATE, PERSON
from pipeline.ingest import read_document
from pipeline.language import detect_document
from pipeline.ner import annotate


def mentions(path: Path) -> list:
    doc = detect_document(read_document(path))
    return annotate([doc])[0].mentions


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "doc.txt"
    p.write_text(text, "utf-8")
    return p


def test_english_seed_countries_including_the_list_and_aliases() -> None:
    found = {m.kb_id for m in mentions(EN_SEED) if m.label == COUNTRY}
    # every state of the founding list, "Ivory Coast" and "Palestine" included
    for code in ("BHR", "COM", "DJI", "CIV", "PSE", "SLE", "ARE", "AFG", "OMN", "IRQ", "SYR"):
        assert code in found
    assert "SAU" in found  # also as the demonym of "Saudi-Gulf initiative"


def test_hindi_seed_persons_both_spellings_of_raheel_sharif() -> None:
    persons = [m.text for m in mentions(HI_SEED) if m.label == PERSON]
    for name in ("रहेल शरीफ", "राहील शरीफ", "उर्सुला वॉन डेर लेन", "हिशामुद्दीन हुसैन", "एश कार्टर"):
        assert name in persons
    assert any(p.startswith("मोहम्मद बिन सलमान") for p in persons)
    assert any(p.startswith("अहमेट") for p in persons)


def test_hindi_dates_at_written_precision_and_no_invented_day() -> None:
    dates = {m.text: m.kb_id for m in mentions(HI_SEED) if m.label == DATE}
    assert dates["15 दिसंबर 2015"] == "2015-12-15"
    assert dates["दिसंबर 2016"] == "2016-12"
    assert dates["नवंबर 2017"] == "2017-11"


def test_byline_and_split_names(tmp_path: Path) -> None:
    found = mentions(write(tmp_path, "Sahel security\n\nBy Lucia Ferrantelli\n\nThe coalition "
                                     "backs President Mohamed Ould Ghazouani and his government."))
    persons = [m.text for m in found if m.label == PERSON]
    assert "Lucia Ferrantelli" in persons
    assert "Mohamed Ould Ghazouani" in persons


def test_hindi_titled_hyphenated_name_and_stop_words(tmp_path: Path) -> None:
    found = mentions(write(tmp_path, "यह मोर्चा अपदस्थ राष्ट्रपति अब्दुल-करीम नासिर का साथ देता "
                                     "है। जनरल आसिम मुनीर केवल इसी शर्त पर राज़ी हुए।"))
    persons = [m.text for m in found if m.label == PERSON]
    assert "अब्दुल-करीम नासिर" in persons
    assert "आसिम मुनीर" in persons  # not "आसिम मुनीर केवल इसी"


def test_cities_are_places_not_countries(tmp_path: Path) -> None:
    found = mentions(write(tmp_path, "मंच का सचिवालय अबू धाबी, संयुक्त अरब अमीरात में खोला गया।"))
    labels = {m.text: (m.label, m.kb_id) for m in found}
    assert labels["संयुक्त अरब अमीरात"] == (COUNTRY, "ARE")
    assert labels["अबू धाबी"][0] == "LOC"


def test_english_sentence_hints() -> None:
    from pipeline.core.config import DEFAULT
    from pipeline.ner.english import load_english

    nlp = load_english(DEFAULT)
    doc = nlp("The council stalled after objections from Russia.[3] Another cause was that "
              "Harper resigned. It was created by the Founding Partners of the Andean Pact: "
              "Chile, Peru and Colombia.")
    sents = [s.text for s in doc.sents]
    assert sents[0].endswith("Russia.[3]")  # a footnote after a full stop ends the sentence
    assert sents[-1].startswith("It was created") and sents[-1].endswith("Colombia.")


def test_repeated_hindi_name_is_not_found_inside_a_longer_word() -> None:
    """"रमेश" recurs alone and inside "सुधीरमेश" (after the vowel sign ी): only the word counts;
    an English person's name is not re-found in the Hindi text."""
    from pipeline.core.records import Document, Mention
    from pipeline.ner.base import Annotated
    from pipeline.ner.hindi import repeat_persons

    text = "रमेश आए। फिर रमेश और सुधीरमेश गए। Ramesh Kumar"
    doc = Document("d", "d.txt", text, "", lang="hi")
    a = Annotated(doc, mentions=[
        Mention("d", "hi", 0, 4, "रमेश", PERSON, source="rule:title"),
        Mention("d", "en", 34, 46, "Ramesh Kumar", PERSON, source="model"),
    ])
    assert text[34:46] == "Ramesh Kumar"
    found = [(m.start, m.text) for m in repeat_persons(a)]
    assert found == [(0, "रमेश"), (13, "रमेश")]


def test_latin_script_names_inside_hindi_text_reach_the_gazetteers() -> None:
    from pipeline.core.records import Document
    from pipeline.language import detect_document
    from pipeline.ner import annotate

    text = "केन्या 1998 से IGAD का सदस्य है और South Sudan भी इसका सदस्य है।"
    a = annotate([detect_document(Document("d", "d.txt", text, "0" * 64))])[0]
    found = {(m.text, m.label, m.kb_id) for m in a.mentions}
    assert ("IGAD", "ORG", "IGAD") in found
    assert ("South Sudan", "COUNTRY", "SSD") in found


def test_a_name_after_a_title_beats_the_models_place_inside_it() -> None:
    """"महासचिव पेट्रा हॉलैंड ने": the model reads the surname as a place; the titled name is a
    person. A gazetteer keeps its rank."""
    from pipeline.core.records import Mention
    from pipeline.ner.base import merge_mentions

    def m(s: int, e: int, label: str, source: str) -> Mention:
        return Mention("d", "hi", s, e, "x" * (e - s), label, source=source)

    got = merge_mentions([m(10, 22, "PERSON", "rule:title"), m(16, 22, "LOC", "model")])
    assert [(x.start, x.end, x.label) for x in got] == [(10, 22, "PERSON")]
    got = merge_mentions([m(10, 22, "PERSON", "rule:title"), m(16, 22, "LOC", "gazetteer")])
    assert [(x.start, x.end, x.label) for x in got] == [(16, 22, "LOC")]


def test_the_span_holding_the_full_name_wins_between_model_and_title_rule() -> None:
    """Issue 18: the model cuts long names short ("वलीद बिन सालेह" of "वलीद बिन सालेह अल
    हारिसी"); the title rule's span that holds the model's piece is the full name. A model
    person that holds more than the title span, or reaches past it, keeps its rank."""
    from pipeline.core.records import Mention
    from pipeline.ner.base import merge_mentions

    def m(s: int, e: int, source: str) -> Mention:
        return Mention("d", "hi", s, e, "x" * (e - s), PERSON, source=source)

    def spans(got: list) -> list:
        return [(x.start, x.end, x.source) for x in got]

    # the model's piece inside the titled name, at its end, at its start, or two pieces
    assert spans(merge_mentions([m(10, 30, "rule:title"), m(22, 30, "model")])) == [
        (10, 30, "rule:title")]
    assert spans(merge_mentions([m(10, 30, "rule:title"), m(10, 24, "model")])) == [
        (10, 30, "rule:title")]
    assert spans(merge_mentions([m(10, 30, "rule:title"), m(10, 20, "model"),
                                 m(21, 30, "model")])) == [(10, 30, "rule:title")]
    # the model holds the longer name, or reaches past the title span: the model's
    assert spans(merge_mentions([m(10, 30, "rule:title"), m(10, 36, "model")])) == [
        (10, 36, "model")]
    assert spans(merge_mentions([m(10, 30, "rule:title"), m(24, 40, "model")])) == [
        (24, 40, "model")]
    # the same span: the model's (it ranks first)
    assert spans(merge_mentions([m(10, 30, "rule:title"), m(10, 30, "model")])) == [
        (10, 30, "model")]


def test_hindi_person_pieces_one_space_apart_are_one_name() -> None:
    """The model splits "करीम बिन यूसुफ अल मंसूरी" into two persons; two persons written with a
    comma or "और" between them stay two."""
    from pipeline.core.config import DEFAULT
    from pipeline.core.records import Mention
    from pipeline.ner.registry import get_backend

    hindi = get_backend("hi", DEFAULT)

    def persons(text: str, *pieces: str) -> list[str]:
        found = [Mention("d", "hi", 3 + text.index(p), 3 + text.index(p) + len(p), p, PERSON,
                         source="model") for p in pieces]
        return [x.text for x in hindi.post(found, text, 3)]

    text = "सलाहकार करीम बिन यूसुफ अल मंसूरी ने बयान पढ़ा।"
    assert persons(text, "करीम बिन यूसुफ", "अल मंसूरी") == ["करीम बिन यूसुफ अल मंसूरी"]
    text = "बैठक में करीम बिन यूसुफ, अल मंसूरी और सलमा नूरानी थे।"
    assert persons(text, "करीम बिन यूसुफ", "अल मंसूरी", "सलमा नूरानी") == [
        "करीम बिन यूसुफ", "अल मंसूरी", "सलमा नूरानी"]


def test_hindi_model_person_leaves_its_titles_as_role() -> None:
    """A model person that took the title in ("शेख करीम बिन यूसुफ") lines up with the title
    rule's name; a "person" of titles alone is none; a title that is also a name (शेख हसीना)
    stays when fewer than two name words would remain."""
    from types import SimpleNamespace

    from pipeline.core.config import DEFAULT
    from pipeline.ner.registry import get_backend

    hindi = get_backend("hi", DEFAULT)

    def span(text: str, label: str = PERSON) -> tuple[str, str] | None:
        ent = SimpleNamespace(text=text, start_char=5, end_char=5 + len(text))
        got = hindi.model_span(ent, label)
        return None if got is None else (text[got[0] - 5:got[1] - 5], got[2])

    assert span("शेख करीम बिन यूसुफ") == ("करीम बिन यूसुफ", "Sheikh")
    assert span("रक्षा मंत्री सलमा नूरानी") == ("सलमा नूरानी", "Defence Minister")
    assert span("मेजर जनरल") is None
    assert span("शेख हसीना") == ("शेख हसीना", "")
    assert span("करीम बिन यूसुफ") == ("करीम बिन यूसुफ", "")
    assert span("जनरल मोटर्स", "ORG") == ("जनरल मोटर्स", "")


def test_hindi_title_spellings_of_secretary_general() -> None:
    """"जनरल सिक्रेट्री" is one title (roles.yaml knows the spelling): the name after it does not
    start with सिक्रेट्री."""
    from pipeline.core.config import DEFAULT
    from pipeline.ner.registry import get_backend

    hindi = get_backend("hi", DEFAULT)
    text = "संघ के जनरल सिक्रेट्री करीम नूरानी ने बैठक बुलाई।"
    sdoc = hindi.nlp.make_doc(text)
    hindi.prepare(sdoc)
    assert {text[s:e] for s, e, _, _ in hindi.title_persons(sdoc)} == {"करीम नूरानी"}


def test_the_place_of_a_dateline_in_capitals_is_a_place(tmp_path: Path) -> None:
    """The small model calls "SZEGED" of "SZEGED, 3 May 2019 - ..." an organisation; once
    ingest has dated the article by that dateline, it is a place. A listed body in the same
    place ("NATO, 4 April 2024 - ...") stays a body."""
    from pipeline.link import link

    for text, place, label in (
            ("SZEGED, 3 May 2019 - The Tisza Beacon Group met on Monday.", "SZEGED", "LOC"),
            ("NATO, 4 April 2024 - The alliance marked its anniversary.", "NATO", "ORG")):
        path = tmp_path / "a.txt"
        path.write_text(text, "utf-8")
        doc = detect_document(read_document(path))
        assert doc.date_source == "dateline"
        a = annotate([doc])[0]
        mentions, _ = link(a.mentions)
        first = min(mentions, key=lambda m: m.start)
        assert (first.text, first.label) == (place, label), (text, first)

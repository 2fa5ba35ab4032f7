"""English person spans: the small model's cut names are completed from the parse. The names
are invented; the model cuts the first of them short on its own."""

from __future__ import annotations

from pipeline.core.config import DEFAULT
from pipeline.core.records import Document
from pipeline.language import detect_document
from pipeline.ner import annotate
from pipeline.ner.english import load_english


def persons(text: str) -> list[str]:
    doc = detect_document(Document("d", "d.txt", text, "0" * 64))
    return [m.text for m in annotate([doc])[0].mentions if m.label == "PERSON"]


def test_the_first_names_the_model_left_out_belong_to_the_name() -> None:
    text = "The treaty was signed by the Trade Minister of Egypt Farouk Nabil Mansour."
    nlp = load_english(DEFAULT)
    model = [e.text for e in nlp(text).ents if e.label_ == "PERSON"]
    assert model == ["Nabil Mansour"]  # what the rule has to repair
    got = persons(text)
    assert got == ["Farouk Nabil Mansour"]  # completed, and the state before it stays out


def test_a_title_before_the_name_stays_out_of_it() -> None:
    got = persons("The treaty was signed by Deputy Trade Minister Farouk Nabil Mansour of Egypt.")
    assert got == ["Farouk Nabil Mansour"]

"""English person spans: the small model's cut names are completed from the parse."""

from __future__ import annotations

import pytest

from pipeline.core.records import Document
from pipeline.language import detect_document
from pipeline.ner import annotate


def persons(text: str) -> list[str]:
    doc = detect_document(Document("d", "d.txt", text, "0" * 64))
    return [m.text for m in annotate([doc])[0].mentions if m.label == "PERSON"]


@pytest.mark.parametrize(("text", "name"), [
    ("The accord was signed by the Minister of State of India Saleem Rafiq Qureshi.",
     "Saleem Rafiq Qureshi"),
    ("The chief guest was Dr Tawfiq-e-Rahman Chowdhury, the minister.",
     "Tawfiq-e-Rahman Chowdhury"),
    ("It was opened by the late King Mahendra Bir Bikram Shah of Nepal.",
     "Mahendra Bir Bikram Shah"),
])
def test_the_first_names_the_model_left_out_belong_to_the_name(text: str, name: str) -> None:
    assert name in persons(text)


def test_a_title_or_a_state_before_a_name_stays_out_of_it() -> None:
    # "King" (a title) ends the name in the third case above; here a state does
    got = persons("The Minister of State of India Saleem Rafiq Qureshi signed it.")
    assert not any("India" in p for p in got)

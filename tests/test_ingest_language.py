"""Ingest and language detection on the seeds and on inputs written for the test."""

from __future__ import annotations

from pathlib import Path

from conftest import EN_SEED, HI_SEED

from pipeline.ingest import clean_text, ingest, read_document
from pipeline.language import detect, detect_document


def test_seed_hindi_object_replacement_marks_removed_and_offsets_hold() -> None:
    raw = HI_SEED.read_text("utf-8")
    assert "\ufffc" in raw  # the seed really carries U+FFFC marks
    doc = read_document(HI_SEED)
    assert "\ufffc" not in doc.text
    assert "बांग्लादेश 15 दिसंबर 2015" in doc.text
    assert doc.doc_id == "004_662676e4d8910313"
    assert len(doc.sha256) == 64


def test_clean_text_nfc_and_controls() -> None:
    # ज़ as one precomposed code point and as ज + nukta: one spelling after cleaning
    assert clean_text("a\x00b\r\nc\u095b") == clean_text("a\x00b\r\nc\u091c\u093c")
    assert clean_text("a\x00b\r\nc").startswith("ab\nc")


def test_latin1_and_utf16_are_decoded_and_reported(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_bytes(
        "The alliance was formed in Côte d'Ivoire in 2001.".encode("cp1252")
    )
    (tmp_path / "u16.txt").write_bytes("भारत और जापान क्वाड के सदस्य हैं।".encode("utf-16"))
    docs, problems = ingest([tmp_path])
    texts = {d.doc_id: d.text for d in docs}
    assert "Côte d'Ivoire" in texts["fr"]
    assert texts["u16"].startswith("भारत")
    notes = {Path(p.path).name: p for p in problems}
    assert not notes["u16.txt"].skipped and "utf-16" in notes["u16.txt"].problem


def test_bad_files_are_named_and_do_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "good.txt").write_text("NATO was founded in 1949.")
    (tmp_path / "copy.txt").write_text("NATO was founded in 1949.")
    docs, problems = ingest([tmp_path, tmp_path / "missing.txt"])
    # sorted; good.txt is a copy of copy.txt, which pipeline/duplicates.py finds
    assert [d.doc_id for d in docs] == ["copy", "good"]
    by_name = {Path(p.path).name: p.problem for p in problems}
    assert set(by_name) == {"empty.txt", "binary.txt", "missing.txt"}
    assert "empty" in by_name["empty.txt"]
    assert "binary" in by_name["binary.txt"]
    assert "no such file" in by_name["missing.txt"]


def test_language_of_seeds_and_paragraphs() -> None:
    en = detect_document(read_document(EN_SEED))
    hi = detect_document(read_document(HI_SEED))
    assert en.lang == "en" and en.lang_confidence > 0.8
    assert hi.lang == "hi" and hi.lang_confidence > 0.8
    assert {s.lang for s in hi.segments} == {"hi"}


def test_short_and_mixed_text_uses_the_script_guard() -> None:
    assert detect("ओमान")[0] == "hi"
    assert detect("Oman")[0] == "en"
    assert detect("SCO या Shanghai Cooperation Organisation आठ बड़े एशियाई देशों का एक मंच है")[0] == "hi"
    assert detect("La coalition a été fondée à Lima en mars 1994 par le Pérou.")[0] == "fr"


def test_mixed_document_segments_get_their_own_language(tmp_path: Path) -> None:
    p = tmp_path / "mixed.txt"
    p.write_text(
        "The council was revived in March 2014 after years of silence.\n"
        "परिषद की शुरुआत 1998 में चिली के राष्ट्रपति ने की थी।\n",
        "utf-8",
    )
    doc = detect_document(read_document(p))
    assert [s.lang for s in doc.segments] == ["en", "hi"]


def test_clean_text_reads_lookalike_commas_and_space_runs_plainly() -> None:


    # U+201A (a comma look-alike) before a year, a no-break space and a run of spaces
    assert clean_text("संधि 4 मार्च\u201a 1999 को हुई") == "संधि 4 मार्च, 1999 को हुई"
    assert clean_text("its five\u00a0founding   members") == "its five founding members"
    assert clean_text("Country\tJoined") == "Country\tJoined"  # a tab may separate columns


def test_a_date_written_with_a_lookalike_comma_is_one_date() -> None:

    from pipeline.normalize.dates import find_dates

    found = [iso for _s, _e, iso in find_dates(clean_text("10 नवंबर\u201a 2021 को"), "hi")]
    assert found == ["2021-11-10"]

"""Bad input never costs good results: every bad file is named once, skipped or decoded, and the
seeds' member_count conflict (32 vs 34) survives a folder of bad files beside them.

The bad files are generated here (tmp_path), not committed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import EN_SEED, HI_SEED, REPO, SEEDS, count_conflict

from pipeline.core.config import DEFAULT, Settings
from pipeline.ingest import ingest, read_document
from pipeline.language import chunk_spans, detect_document

HINDI = "भारत और जापान क्वाड के सदस्य हैं। क्वाड की शुरुआत 2007 में जापान के प्रधानमंत्री ने की थी।"
ENGLISH = "The Quad was revived in November 2017 after a decade of silence."


def write_bad_files(folder: Path) -> dict[str, str]:
    """Bad inputs of every kind → the word expected in each one's stderr line ('' = note)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b" \n\t\n  \n", "empty"),
        "binary.txt": (bytes(range(256)) * 64, "binary"),
        "png.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        "controls.txt": (b"\x01\x02\x03\x04\x1b[0m\x07\x08" * 20, "binary"),
        "urdu.txt": ("اسلامی فوجی اتحاد برائے انسداد دہشت گردی کا اعلان دسمبر 2015 میں سعودی عرب "
                     "نے کیا تھا۔ اس میں 34 ممالک شامل تھے۔".encode(), "neither English nor Hindi"),
        "arabic.txt": ("التحالف الإسلامي العسكري لمحاربة الإرهاب هو تحالف عسكري أعلنت عنه "
                       "السعودية في ديسمبر 2015.".encode(), "neither English nor Hindi"),
        "french.txt": ("La coalition islamique militaire contre le terrorisme a été annoncée par "
                       "l'Arabie saoudite en décembre 2015. Elle comptait alors 34 pays membres."
                       .encode(), "neither English nor Hindi"),
        "french_lines.md": ("Coalition militaire islamique\nArabie saoudite\nSiège à Riyad\n"
                            "Fondée en décembre 2015 par le prince héritier\n".encode(),
                            "neither English nor Hindi"),
        # decodable inputs: processed, with a note naming the encoding
        "cp1252.txt": ("The coalition’s headquarters are in Riyadh — “Saudi Arabia” leads it."
                       .encode("cp1252"), ""),
        # cp1252.txt's text in UTF-8: a copy of it (the first by path), listed in a note
        "zz_copy.txt": ("The coalition’s headquarters are in Riyadh — “Saudi Arabia” leads it."
                        .encode(), "note: duplicate of"),
        "utf16.txt": (HINDI.encode("utf-16"), ""),
    }
    for name, (data, _word) in files.items():
        (folder / name).write_bytes(data)
    return {name: word for name, (_data, word) in files.items()}


# --- ingest: decoding and skipping --------------------------------------------------------------

def test_decodings_are_right_and_reported_as_notes(tmp_path: Path) -> None:
    cases = {
        "cp1252.txt": ("The coalition’s seat — “Riyadh”, Côte d’Ivoire.", "cp1252"),
        "latin1.txt": ("Le président a déclaré à Genève que la coalition était forte.", "latin-1"),
        "u16le.txt": (HINDI, "utf-16"),
        "u16be.txt": (ENGLISH, "utf-16-be-bom"),
        "u16nobom.txt": (HINDI, "utf-16-le"),
    }
    for name, (text, enc) in cases.items():
        data = (b"\xfe\xff" + text.encode("utf-16-be")) if enc == "utf-16-be-bom" \
            else text.encode(enc)
        (tmp_path / name).write_bytes(data)
    docs, problems = ingest([tmp_path])
    texts = {d.doc_id: d.text for d in docs}
    for name, (text, _enc) in cases.items():
        assert texts[Path(name).stem] == text, name
    notes = {Path(p.path).name: p for p in problems}
    assert set(notes) == set(cases)
    assert all(not p.skipped and "decoded as" in p.problem for p in notes.values())
    assert "cp1252" in notes["cp1252.txt"].problem
    assert "utf-16" in notes["u16le.txt"].problem and "utf-16" in notes["u16nobom.txt"].problem


def test_damaged_utf8_hindi_is_kept_not_mojibake(tmp_path: Path) -> None:
    data = HINDI.encode("utf-8")
    cut = data.index("क्वाड की".encode())
    (tmp_path / "damaged.txt").write_bytes(data[:cut] + b"\xff" + data[cut:])
    docs, problems = ingest([tmp_path])
    assert docs[0].text == HINDI
    assert "1 invalid byte" in problems[0].problem and not problems[0].skipped


@pytest.mark.parametrize("name,data,word", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"\n \n\t", "empty"),
    ("nul.txt", b"abc\x00\x01\x02" * 100, "binary"),
    ("high.txt", bytes(range(0x80, 0x100)) * 20, "binary"),
    ("controls.txt", b"\x01\x02\x03\x1b[0m" * 10, "binary"),
])
def test_unusable_files_are_skipped_with_a_reason(tmp_path: Path, name: str, data: bytes,
                                                  word: str) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(ENGLISH, "utf-8")
    docs, problems = ingest([tmp_path])
    assert [d.doc_id for d in docs] == ["good"]
    assert len(problems) == 1 and problems[0].skipped
    assert problems[0].path.endswith(name) and word in problems[0].problem


def test_too_large_and_missing(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(ENGLISH * 10, "utf-8")
    docs, problems = ingest([tmp_path / "big.txt", tmp_path / "nope.txt"],
                            Settings(max_file_bytes=100))
    assert not docs
    assert {Path(p.path).name: p.problem.split(" ")[0] for p in problems} == {
        "big.txt": "too", "nope.txt": "no"}


def test_an_earlier_runs_outputs_inside_the_input_folder_are_not_articles(tmp_path: Path
                                                                          ) -> None:
    (tmp_path / "a.txt").write_text("The pact has 12 members.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "run.json").write_text("{}", encoding="utf-8")
    (out / "conflicts.md").write_text("# Conflicts\n", encoding="utf-8")
    docs, problems = ingest([tmp_path])
    assert [d.doc_id for d in docs] == ["a"] and not problems
    docs, problems = ingest([out])
    assert not docs and [p.problem for p in problems] == [
        "folder holds only a run's outputs (run.json)"]


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 000 does not stop root (as in CI containers) from reading: make the read itself fail.
    p = tmp_path / "locked.txt"
    p.write_text(ENGLISH, "utf-8")
    (tmp_path / "good.txt").write_text(HINDI, "utf-8")
    read_bytes = Path.read_bytes

    def locked(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    docs, problems = ingest([tmp_path])
    assert [d.doc_id for d in docs] == ["good"]
    assert len(problems) == 1 and problems[0].skipped
    assert Path(problems[0].path).name == "locked.txt"
    assert problems[0].problem == "cannot read: Permission denied"


def test_duplicates_are_read_once_and_reported(tmp_path: Path) -> None:
    from pipeline.duplicates import duplicate_note, find_duplicates

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(ENGLISH, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ENGLISH, "utf-8")  # same name, same bytes
    docs, problems = ingest([tmp_path, tmp_path / "a.txt"])
    assert [d.doc_id for d in docs] == ["a", "b", "c"]
    assert [(Path(p.path).parent.name, p.problem.split(" (")[0]) for p in problems] == [
        ("sub", f"duplicate of {tmp_path / 'a.txt'}")]
    originals, copies = find_duplicates(docs)
    assert [d.doc_id for d in originals] == ["a"]
    assert [(c.doc.doc_id, c.original, c.exact) for c in copies] == [
        ("b", "a", True), ("c", "a", True)]
    assert duplicate_note(copies[0]) == f"duplicate of {tmp_path / 'a.txt'} (same text); " \
        "not counted"


def test_a_file_named_like_a_fact_table_column_keeps_its_values(tmp_path: Path) -> None:
    # status.txt as doc_id "status" would overwrite fact_table.csv's status column.
    from pipeline.core.schema import FACT_TABLE_STATUS_COLUMNS
    from pipeline.runtime.run import run

    status = tmp_path / "in" / "status.txt"
    status.parent.mkdir()
    status.write_text(EN_SEED.read_text("utf-8") + "\n" + ENGLISH + "\n", "utf-8")
    out = tmp_path / "out"
    # the English seed's text (with the seed itself beside it, one would be a copy)
    res = run([HI_SEED, status], out, quiet=True)
    assert [p.problem for p in res.problems] == [
        "doc_id 'status' is a fact_table.csv column name; using 'status_1'"]
    docs = pd.read_csv(out / "documents.csv", dtype=str).doc_id.tolist()
    assert docs == [HI_SEED.stem, "status_1"]
    table = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    cols = list(table.columns)
    assert cols.count("status") == 1 and "status_1" in cols
    assert cols.index("status") == cols.index("status_1") + 1  # status follows the doc columns
    assert cols[cols.index("status"):][:3] == FACT_TABLE_STATUS_COLUMNS
    assert set(table.status) <= {"agree", "refines", "possible_conflict", "conflict",
                                 "single_source"}
    assert set(table.conflict) <= {"true", "false"}
    count = table[(table.predicate == "member_count") & (table.status == "conflict")]
    assert any(c.startswith("32") for c in count.status_1), count.to_string()


# --- language: out-of-scope languages are caught; big paragraphs are chunked -------------------

@pytest.mark.parametrize("name", ["urdu.txt", "arabic.txt", "french.txt", "french_lines.md"])
def test_other_languages_are_not_taken_for_english_or_hindi(tmp_path: Path, name: str) -> None:
    write_bad_files(tmp_path)
    doc = detect_document(read_document(tmp_path / name))
    assert doc.lang not in ("en", "hi"), (name, doc.lang, doc.segments)


def test_english_short_lines_stay_english(tmp_path: Path) -> None:
    p = tmp_path / "list.txt"
    p.write_text("Members\nSaudi Arabia\nPakistan\nEgypt\nTurkey\nMalaysia\n", "utf-8")
    assert detect_document(read_document(p)).lang == "en"


def test_chunk_spans_cut_at_sentence_ends_and_keep_offsets() -> None:
    text = "x " + "The coalition was formed in 2015. It has 41 members. " * 200
    spans = list(chunk_spans(text, 2, len(text), 500))
    assert len(spans) > 10
    assert all(e - s <= 500 for s, e in spans)
    assert spans[0][0] == 2 and spans[-1][1] == len(text)
    rebuilt = "".join(text[s:e] + " " for s, e in spans)
    assert rebuilt.split() == text[2:].split()  # nothing lost, nothing doubled
    assert all(text[e - 1] == "." for s, e in spans[:-1])  # cut after a full stop
    blob = "y" * 1200  # no whitespace at all: cut anyway, at the limit
    assert list(chunk_spans(blob, 0, 1200, 500)) == [(0, 500), (500, 1000), (1000, 1200)]


@pytest.mark.slow  # a paragraph over spaCy's 1,000,000-character limit through the whole NER
def test_paragraph_over_spacys_limit_becomes_segments_under_it(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    p.write_text("The coalition was formed in December 2015 by Saudi Arabia. " * 20_000, "utf-8")
    doc = detect_document(read_document(p))
    assert len(doc.text) > 1_000_000
    assert len(doc.segments) >= len(doc.text) // DEFAULT.chunk_chars
    assert all(s.end - s.start <= DEFAULT.chunk_chars and s.lang == "en" for s in doc.segments)
    assert all(a.end <= b.start for a, b in zip(doc.segments, doc.segments[1:], strict=False))


# --- the whole pipeline -------------------------------------------------------------------------

@pytest.mark.slow
def test_mixed_document_paragraphs_go_to_their_model(tmp_path: Path) -> None:
    from pipeline.runtime.run import process

    p = tmp_path / "mixed.txt"
    p.write_text(f"{ENGLISH} Saudi Arabia and Pakistan joined.\n"
                 f"{HINDI} सऊदी अरब और पाकिस्तान इसमें शामिल हुए।\n", "utf-8")
    res = process([p], quiet=True)
    (doc,) = res.documents
    assert [s.lang for s in doc.segments] == ["en", "hi"]
    split = doc.segments[1].start
    assert res.mentions
    for m in res.mentions:
        assert m.lang == ("en" if m.start < split else "hi"), m
        assert doc.text[m.start:m.end] == m.text


@pytest.mark.slow
def test_long_paragraph_is_chunked_through_the_pipeline(tmp_path: Path) -> None:
    from pipeline.runtime.run import process

    p = tmp_path / "long.txt"
    p.write_text("The coalition was announced by Saudi Arabia in December 2015. " * 120, "utf-8")
    settings = Settings(chunk_chars=1000)
    res = process([p], settings, quiet=True)
    (doc,) = res.documents
    assert len(doc.segments) > 5
    assert all(s.end - s.start <= 1000 for s in doc.segments)
    saudi = [m for m in res.mentions if m.kb_id == "SAU"]
    assert len(saudi) == 120  # none lost or doubled at a chunk boundary
    for m in res.mentions:
        assert doc.text[m.start:m.end] == m.text
    for f in res.facts:
        assert doc.text[f.start:f.end] == f.evidence


@pytest.mark.slow
def test_outputs_are_all_written_atomically(seeds_run, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.output import atomic
    from pipeline.runtime.run import write_outputs

    res, _out = seeds_run
    replaced: list[Path] = []
    real = os.replace

    def spy(src: str, dst: str | Path) -> None:
        replaced.append(Path(dst))
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", spy)
    out = tmp_path / "out"
    write_outputs(res, out)
    written = {p for p in out.rglob("*") if p.is_file()}
    assert written and written == set(replaced)
    assert not [p for p in written if p.name.startswith(".")]  # no temp file left behind


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    from pipeline.output.atomic import write_atomic, write_text_atomic

    target = tmp_path / "facts.csv"
    write_text_atomic(target, "old\n")

    def half(fh) -> None:
        fh.write(b"new, half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomic(target, half)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.csv"]


@pytest.mark.slow
def test_bad_files_beside_the_seeds_cost_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    expected = write_bad_files(bad)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(SEEDS), str(bad), "--out", str(out),
         "--no-parquet"],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr  # README: some inputs skipped, the rest written
    lines = proc.stderr.splitlines()
    for name, word in expected.items():
        named = [ln for ln in lines if f"{name}:" in ln]
        assert len(named) == 1, (name, named)  # one clear line per file
        assert word in named[0] if word else "note" in named[0], named[0]

    count_conflict(out, {"32", "34"})

    info = json.loads((out / "run.json").read_text("utf-8"))
    skipped = {Path(p).name for p in info["skipped"]}
    assert skipped == {n for n, w in expected.items() if w and not w.startswith("note")}
    assert {Path(p["path"]).name for p in info["problems"]} == set(expected)
    docs = {d["doc_id"] for d in info["inputs"]}
    assert {EN_SEED.stem, HI_SEED.stem, "cp1252", "utf16"} <= docs


def test_a_document_that_breaks_ner_costs_only_itself(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.runtime.steps
    from pipeline.runtime.engine import map_documents

    for name in ("a", "b", "poison", "c"):
        (tmp_path / f"{name}.txt").write_text(f"{ENGLISH} ({name})", "utf-8")
    docs, _ = ingest([tmp_path])

    def fake(batch: list, settings: Settings = DEFAULT) -> tuple:
        if any(d.doc_id == "poison" for d in batch):
            raise ValueError("[E088] Text of length 2000000 exceeds maximum\nof 1000000.")
        from pipeline.ner import Annotated

        return [Annotated(doc=d) for d in batch], [], {"ner": 0.5}

    monkeypatch.setattr(pipeline.runtime.steps, "per_document", fake)
    annotated, problems, _timings = map_documents(docs, DEFAULT)
    assert [a.doc.doc_id for a in annotated] == ["a", "b", "c"]
    (p,) = problems
    assert p.path.endswith("poison.txt") and p.skipped and "\n" not in p.problem
    assert "E088" in p.problem


@pytest.mark.parametrize("text,english", [
    ("The coalition was announced by Saudi Arabia in December 2015 and its headquarters are "
     "in Riyadh, where the member states meet once a year to plan the work of the alliance.", True),
    ("De coalitie werd in 2015 opgericht door Saudi-Arabië en is een militaire alliantie van "
     "islamitische landen. Het hoofdkwartier is in Riyad. Pakistan was een van de eerste leden.",
     False),
    ("Die Koalition wurde im Jahr 2015 von Saudi-Arabien gegründet und ist ein militärisches "
     "Bündnis. Das Hauptquartier ist in Riad. Was Pakistan betrifft, so war es an der Seite.",
     False),
    ("La coalition a été fondée en 2015 par l'Arabie saoudite et c'est une alliance militaire "
     "des pays islamiques. Le siège est à Riyad. Le Pakistan a été l'un des premiers membres.",
     False),
    ("Koalicja została założona w 2015 roku przez Arabię Saudyjską i to jest sojusz wojskowy "
     "krajów islamskich. Siedziba jest w Rijadzie. Pakistan był jednym z pierwszych członków.",
     False),
])
def test_plainly_english_needs_english_function_words(text: str, english: bool) -> None:
    from pipeline.language import plainly_english

    assert plainly_english(text) is english

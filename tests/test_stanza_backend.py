"""The optional Stanza backend: Stanza output → our records (pure, no models), the backend's
merge with the spaCy backends' rules (a fake Stanza pipeline), the real pipeline (Hindi: the
shipped model in models/hi_ner_stanza; English: when its models are downloaded), and one clear
error (no traceback) when models are missing."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.config import DEFAULT, Settings
from pipeline.core.records import COUNTRY, DATE, LOC, ORG, PERSON, Document, Mention, Segment
from pipeline.ner.base import Annotated
from pipeline.ner.registry import BackendUnavailable, get_backend

REPO = Path(__file__).resolve().parents[1]

EN_PREFIX = "The Quad.\n\n"
EN_TEXT = "Prime Minister Shinzo Abe of Japan launched the Quad in 2007."
# (text, lemma, upos, BIOES tag) per token, as Stanza's tokenize,pos,lemma,ner would give them.
EN_TOKENS = [
    ("Prime", "prime", "ADJ", "O"),
    ("Minister", "minister", "PROPN", "O"),
    ("Shinzo", "Shinzo", "PROPN", "B-PERSON"),
    ("Abe", "Abe", "PROPN", "E-PERSON"),
    ("of", "of", "ADP", "O"),
    ("Japan", "Japan", "PROPN", "S-GPE"),
    ("launched", "launch", "VERB", "O"),
    ("the", "the", "DET", "O"),
    ("Quad", "Quad", "PROPN", "S-ORG"),
    ("in", "in", "ADP", "O"),
    ("2007", "2007", "NUM", "S-DATE"),
    (".", ".", "PUNCT", "O"),
]
HI_TEXT = "जापान के प्रधानमंत्री शिंजो आबे ने 2007 में क्वाड की शुरुआत की।  भारत इसमें शामिल हुआ।"
HI_SENTENCES = [
    [("जापान", "जापान", "PROPN"), ("के", "का", "ADP"), ("प्रधानमंत्री", "प्रधानमंत्री", "NOUN"),
     ("शिंजो", "शिंजो", "PROPN"), ("आबे", "आबे", "PROPN"), ("ने", "ने", "ADP"),
     ("2007", "2007", "NUM"), ("में", "में", "ADP"), ("क्वाड", "क्वाड", "PROPN"),
     ("की", "का", "ADP"), ("शुरुआत", "शुरुआत", "NOUN"), ("की", "कर", "VERB"),
     ("।", "।", "PUNCT")],
    [("भारत", "भारत", "PROPN"), ("इसमें", "यह", "PRON"), ("शामिल", "शामिल", "ADJ"),
     ("हुआ", "हो", "VERB"), ("।", "।", "PUNCT")],
]


def stanza_doc(text: str, sentences: list[list[tuple[str, ...]]]) -> Any:
    """A Stanza Document from (text, lemma, upos[, ner]) tokens, offsets found left to right."""
    doc_mod = pytest.importorskip("stanza.models.common.doc", reason="Stanza is not installed")
    cursor = 0
    dicts = []
    for sent in sentences:
        rows = []
        for k, (tok, lemma, upos, *ner) in enumerate(sent, start=1):
            start = text.index(tok, cursor)
            cursor = start + len(tok)
            rows.append({"id": k, "text": tok, "lemma": lemma, "upos": upos,
                         "start_char": start, "end_char": cursor, "ner": ner[0] if ner else "O"})
        dicts.append(rows)
    return doc_mod.Document(dicts, text=text)


def check_offsets(text: str, mentions: list[Mention]) -> None:
    for m in mentions:
        assert text[m.start:m.end] == m.text, m


class FakeStanza:
    """Stands in for stanza.Pipeline: returns prepared Documents for known texts."""

    def __init__(self, docs: dict[str, Any]) -> None:
        self.docs = docs
        self.calls: list[list[str]] = []

    def bulk_process(self, texts: list[str]) -> list[Any]:
        self.calls.append(texts)
        return [self.docs[t] for t in texts]


def annotated(text: str, lang: str, spans: list[tuple[int, int]]) -> Annotated:
    segments = tuple(Segment(s, e, lang, 1.0) for s, e in spans)
    return Annotated(Document("d1", "d1.txt", text, "0" * 64, lang=lang, lang_confidence=1.0,
                              segments=segments))


# ------------------------------------------------------------------ (a) pure mapping, no models
def test_english_document_maps_to_doc_sentences_and_mentions() -> None:
    import spacy

    from pipeline.ner.stanza_backend import entity_mentions, to_sentences, to_spacy

    sdoc = stanza_doc(EN_TEXT, [EN_TOKENS])
    full = EN_PREFIX + EN_TEXT
    offset = len(EN_PREFIX)

    doc = to_spacy(spacy.blank("en").vocab, EN_TEXT, sdoc)
    assert doc.text == EN_TEXT
    assert [t.text for t in doc] == [t[0] for t in EN_TOKENS]
    assert [t.lemma_ for t in doc] == [t[1] for t in EN_TOKENS]
    assert [t.pos_ for t in doc] == [t[2] for t in EN_TOKENS]
    assert len(list(doc.sents)) == 1

    sents = to_sentences("d1", "en", EN_TEXT, sdoc, offset)
    assert [(s.start, s.end) for s in sents] == [(offset, len(full))]
    assert full[sents[0].start:sents[0].end] == sents[0].text == EN_TEXT

    mentions = entity_mentions("d1", "en", EN_TEXT, sdoc, offset)
    check_offsets(full, mentions)
    got = [(m.text, m.label, m.kb_id, m.source) for m in mentions]
    # DATE is left to the date finder; GPE "Japan" names a country.
    assert got == [("Shinzo Abe", PERSON, "", "model"), ("Japan", COUNTRY, "JPN", "model"),
                   ("Quad", ORG, "", "model")]


def test_norp_and_places_follow_the_country_rules() -> None:
    from pipeline.ner.stanza_backend import entity_mentions

    text = "Japanese and Buddhist leaders met in Kyoto."
    sdoc = stanza_doc(text, [[
        ("Japanese", "Japanese", "ADJ", "S-NORP"), ("and", "and", "CCONJ", "O"),
        ("Buddhist", "Buddhist", "ADJ", "S-NORP"), ("leaders", "leader", "NOUN", "O"),
        ("met", "meet", "VERB", "O"), ("in", "in", "ADP", "O"),
        ("Kyoto", "Kyoto", "PROPN", "S-GPE"), (".", ".", "PUNCT", "O")]])
    got = [(m.text, m.label, m.kb_id) for m in entity_mentions("d1", "en", text, sdoc, 0)]
    # A demonym of a state is a country mention; other NORP (religions, parties) are dropped.
    assert got == [("Japanese", COUNTRY, "JPN"), ("Kyoto", LOC, "")]


def test_whitespace_stanza_skips_is_kept_so_offsets_carry_over() -> None:
    import spacy

    from pipeline.ner.stanza_backend import to_sentences, to_spacy

    text = "  Japan joined.  \nIndia left. "
    sdoc = stanza_doc(text, [
        [("Japan", "Japan", "PROPN"), ("joined", "join", "VERB"), (".", ".", "PUNCT")],
        [("India", "India", "PROPN"), ("left", "leave", "VERB"), (".", ".", "PUNCT")]])
    doc = to_spacy(spacy.blank("en").vocab, text, sdoc)
    assert doc.text == text
    sents = [s for s in doc.sents if s.text.strip()]
    assert [s.text.strip() for s in sents] == ["Japan joined.", "India left."]
    assert [t.text for t in doc if not t.is_space] == ["Japan", "joined", ".", "India", "left", "."]
    for tok in doc:
        assert text[tok.idx:tok.idx + len(tok.text)] == tok.text
    assert [s.text for s in to_sentences("d1", "en", text, sdoc, 0)] == ["Japan joined.",
                                                                         "India left."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_paragraphs_give_empty_docs(text: str) -> None:
    import spacy

    from pipeline.ner.stanza_backend import to_sentences, to_spacy

    sdoc = stanza_doc(text, [])
    assert to_spacy(spacy.blank("en").vocab, text, sdoc).text == text
    assert to_sentences("d1", "en", text, sdoc, 0) == []


def test_hindi_document_maps_to_a_hindi_doc() -> None:
    import spacy

    from pipeline.ner.stanza_backend import entity_mentions, to_sentences, to_spacy

    sdoc = stanza_doc(HI_TEXT, HI_SENTENCES)
    doc = to_spacy(spacy.blank("hi").vocab, HI_TEXT, sdoc)
    assert doc.text == HI_TEXT
    assert doc.lang_ == "hi"  # the fact extractor picks Hindi cue patterns by this
    assert [t.lemma_ for t in doc if not t.is_space] == [t[1] for s in HI_SENTENCES for t in s]
    assert len(list(doc.sents)) == 2
    offset = 5
    sents = to_sentences("d1", "hi", HI_TEXT, sdoc, offset)
    full = "x" * offset + HI_TEXT
    assert [full[s.start:s.end] for s in sents] == [s.text for s in sents]
    assert [s.text[-1] for s in sents] == ["।", "।"]
    assert entity_mentions("d1", "hi", HI_TEXT, sdoc, offset) == []  # Stanza has no Hindi NER


def test_download_command_names_the_processors_and_folder(tmp_path: Path) -> None:
    from pipeline.ner.stanza_backend import download_command

    assert download_command("en") == (
        "python -c \"import stanza; stanza.download('en', "
        "processors='tokenize,pos,lemma,ner')\"")
    assert f"model_dir='{tmp_path}'" in download_command("en", tmp_path)


# --------------------------------------------------- the backend with a fake Stanza pipeline
def _backend(lang: str, docs: dict[str, Any]) -> Any:
    from pipeline.ner.stanza_backend import StanzaBackend

    try:
        return StanzaBackend(lang, replace(DEFAULT, backend="stanza"), pipeline=FakeStanza(docs))
    except BackendUnavailable as err:  # the spaCy backend's own model is missing
        pytest.skip(str(err))


def test_english_backend_merges_stanza_ner_with_the_rules() -> None:
    from pipeline.ner.english import EnglishBackend

    backend = _backend("en", {EN_TEXT: stanza_doc(EN_TEXT, [EN_TOKENS]),
                              "The Quad.": stanza_doc("The Quad.", [[
                                  ("The", "the", "DET", "O"), ("Quad", "Quad", "PROPN", "S-ORG"),
                                  (".", ".", "PUNCT", "O")]])})
    full = EN_PREFIX + EN_TEXT
    a = annotated(full, "en", [(0, 9), (len(EN_PREFIX), len(full))])
    backend.process([a], [(0, 0, 9), (0, len(EN_PREFIX), len(full))])

    check_offsets(full, a.mentions)
    got = {(m.text, m.label, m.kb_id, m.source) for m in a.mentions}
    assert ("Shinzo Abe", PERSON, "", "model") in got  # the model's person
    assert ("Japan", COUNTRY, "JPN", "gazetteer") in got  # the gazetteer wins the overlap
    assert ("2007", DATE, "2007", "rule:date") in got  # dates come from the finder
    assert {m.label for m in a.mentions if m.text.endswith("Quad")} == {ORG}
    assert [s.text for s in a.sentences] == ["The Quad.", EN_TEXT]
    assert [(p.offset, p.end) for p in a.parses] == [(0, 9), (len(EN_PREFIX), len(full))]
    assert [len(p.ints) for p in a.parses] == [3, len(EN_TOKENS)]  # Stanza's tokens
    assert "founded" in {c.name for c in a.cues}  # "launched", by its lemma: Stanza's lemmas
    doc = backend.to_doc(EN_TEXT, stanza_doc(EN_TEXT, [EN_TOKENS]))
    assert doc.vocab is backend.rules.nlp.vocab
    assert isinstance(backend.rules, EnglishBackend)
    assert [(e.text, e.label_) for e in doc.ents][:2] == [("Shinzo Abe", "PERSON"),
                                                          ("Japan", "GPE")]
    assert doc[6].lemma_ == "launch"


class FakeHindiStanza:
    """Stands in for the shipped Hindi Stanza pipeline: tags pretokenized sentences by a
    token → BIOES table and records what it was given."""

    def __init__(self, tags: dict[str, str]) -> None:
        self.tags = tags
        self.calls: list[list[list[str]]] = []

    def __call__(self, sents: list[list[str]]) -> Any:
        doc_mod = pytest.importorskip("stanza.models.common.doc", reason="Stanza is not installed")
        self.calls.append(sents)
        doc = doc_mod.Document([[{"id": k, "text": w, "ner": self.tags.get(w, "O")}
                                 for k, w in enumerate(sent, start=1)] for sent in sents])
        doc.build_ents()  # as Stanza's NER processor does after tagging
        return doc


def test_hindi_backend_takes_persons_from_stanza_and_keeps_the_rules() -> None:
    from pipeline.ner.stanza_backend import StanzaBackend

    first = "कल सुबह रमेश शर्मा दिल्ली पहुँचे। जनरल सुरेश यादव भी आए।"
    second = "भारत ने 2007 में हस्ताक्षर किए।"
    text = first + "\n\n" + second
    fake = FakeHindiStanza({"रमेश": "B-PER", "शर्मा": "E-PER", "दिल्ली": "S-LOC"})
    try:
        backend = StanzaBackend("hi", replace(DEFAULT, backend="stanza"), pipeline=fake)
    except BackendUnavailable as err:  # the spaCy Hindi model is missing
        pytest.skip(str(err))
    start2 = len(first) + 2
    a = annotated(text, "hi", [(0, len(first)), (start2, len(text))])
    backend.process([a], [(0, 0, len(first)), (0, start2, len(text))])
    backend.finish(a)

    # One Stanza call for the batch, on the spaCy tokenizer's sentences.
    assert len(fake.calls) == 1
    assert [s[:2] for s in fake.calls[0]] == [["कल", "सुबह"], ["जनरल", "सुरेश"], ["भारत", "ने"]]
    check_offsets(text, a.mentions)
    got = {(m.text, m.label, m.source) for m in a.mentions}
    assert ("रमेश शर्मा", PERSON, "model") in got  # Stanza's person
    assert ("सुरेश यादव", PERSON, "rule:title") in got  # the title rule still works
    assert ("दिल्ली", LOC, "model") in got or ("दिल्ली", LOC, "gazetteer") in got
    assert ("2007", DATE, "rule:date") in got
    assert any(m.label == COUNTRY and m.kb_id == "IND" for m in a.mentions)
    # Stanza tagged nothing else: the spaCy CNN's entities are not used in this backend.
    assert {m.text for m in a.mentions if m.source == "model"} <= {"रमेश शर्मा", "दिल्ली"}
    assert [s.text for s in a.sentences] == ["कल सुबह रमेश शर्मा दिल्ली पहुँचे।",
                                             "जनरल सुरेश यादव भी आए।", second]
    assert [(p.offset, p.end, p.lang) for p in a.parses] == [(0, len(first), "hi"),
                                                             (start2, len(text), "hi")]


# ------------------------------------------------------- (b) the real pipeline, when available
def _models_dir() -> Path:
    common = pytest.importorskip("stanza.resources.common", reason="Stanza is not installed")
    return Path(common.DEFAULT_MODEL_DIR)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_real_stanza_pipeline(lang: str) -> None:
    from pipeline.ner.stanza_backend import download_command

    settings = replace(DEFAULT, backend="stanza")
    if lang == "en":  # Hindi runs on the shipped model: it must load, no skip
        models = _models_dir()
        if not ((models / "resources.json").is_file() and (models / lang).is_dir()):
            pytest.skip(f"Stanza's {lang} models are not downloaded in {models} "
                        f"(fetch them with `{download_command(lang)}`)")
        try:
            backend = get_backend(lang, settings)
        except BackendUnavailable as err:
            pytest.skip(str(err))
    else:
        pytest.importorskip("stanza", reason="Stanza is not installed")
        backend = get_backend(lang, settings)
    text = EN_TEXT + " India joined in 2017." if lang == "en" else HI_TEXT
    a = annotated(text, lang, [(0, len(text))])
    backend.process([a], [(0, 0, len(text))])
    check_offsets(text, a.mentions)
    assert len(a.sentences) == 2
    assert [(p.offset, p.end) for p in a.parses] == [(0, len(text))]
    found = {(m.label, m.kb_id) for m in a.mentions}
    assert (COUNTRY, "JPN") in found
    assert (DATE, "2007") in found
    if lang == "en":
        assert any(m.label == PERSON and "Abe" in m.text for m in a.mentions)
    else:
        assert any(m.source == "model" for m in a.mentions), a.mentions  # the shipped model ran


@pytest.mark.slow
def test_shipped_hindi_stanza_model_finds_persons_without_titles() -> None:
    pytest.importorskip("stanza", reason="Stanza is not installed")
    backend = get_backend("hi", replace(DEFAULT, backend="stanza"))
    text = "कल शाम अनिल कपूर और सुनीता राव ने मुंबई में एक नई कंपनी की घोषणा की।"
    a = annotated(text, "hi", [(0, len(text))])
    backend.process([a], [(0, 0, len(text))])
    persons = {m.text for m in a.mentions if m.label == PERSON and m.source == "model"}
    assert persons & {"अनिल कपूर", "सुनीता राव"}, a.mentions
    assert not any(m.label == PERSON and "मुंबई" in m.text for m in a.mentions)


# ------------------------------------------------------ (c) and (d): missing models or package
def test_missing_models_raise_backend_unavailable_with_the_command(tmp_path: Path) -> None:
    pytest.importorskip("stanza", reason="Stanza is not installed")
    from pipeline.ner.stanza_backend import download_command

    settings = Settings(backend="stanza", stanza_dir=tmp_path)
    with pytest.raises(BackendUnavailable) as info:
        get_backend("en", settings)
    message = str(info.value)
    assert download_command("en", tmp_path) in message
    assert "stanza.download('en'" in message
    assert "\n" not in message


def test_missing_hindi_model_names_the_training_command(tmp_path: Path) -> None:
    pytest.importorskip("stanza", reason="Stanza is not installed")
    (tmp_path / "ner.pt").write_bytes(b"")
    settings = Settings(backend="stanza", hindi_stanza_model=tmp_path)
    with pytest.raises(BackendUnavailable) as info:
        get_backend("hi", settings)
    message = str(info.value)
    assert "pretrain.pt" in message and "make train-hi-stanza" in message
    assert "\n" not in message


def test_broken_hindi_model_raises_backend_unavailable(tmp_path: Path) -> None:
    pytest.importorskip("stanza", reason="Stanza is not installed")
    for name in ("ner.pt", "pretrain.pt"):
        (tmp_path / name).write_bytes(b"not a model")
    (tmp_path / "resources.json").write_text("{}", "utf-8")
    with pytest.raises(BackendUnavailable, match=r"could not be loaded.*make train-hi-stanza"):
        get_backend("hi", Settings(backend="stanza", hindi_stanza_model=tmp_path))


def test_broken_models_raise_backend_unavailable(tmp_path: Path) -> None:
    pytest.importorskip("stanza", reason="Stanza is not installed")
    (tmp_path / "resources.json").write_text("{}", "utf-8")
    (tmp_path / "en").mkdir()
    with pytest.raises(BackendUnavailable, match=r"could not be loaded.*stanza\.download"):
        get_backend("en", Settings(backend="stanza", stanza_dir=tmp_path))


def test_missing_stanza_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from pipeline.ner import stanza_backend

    real = importlib.import_module

    def no_stanza(name: str, package: str | None = None) -> Any:
        if name == "stanza" or name.startswith("stanza."):
            raise ModuleNotFoundError("No module named 'stanza'")
        return real(name, package)

    monkeypatch.setattr(stanza_backend.importlib, "import_module", no_stanza)
    with pytest.raises(BackendUnavailable, match=r"pip install '\.\[stanza\]'"):
        stanza_backend.load_stanza("en", DEFAULT)


def test_cli_without_models_exits_2_with_one_error_line(tmp_path: Path) -> None:
    env = dict(os.environ, STANZA_RESOURCES_DIR=str(tmp_path / "no_models"))
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "seeds", "--backend", "stanza",
         "--out", str(tmp_path / "out")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    try:
        import stanza  # noqa: F401
    except ImportError:
        assert "pip install '.[stanza]'" in errors[0]
    else:
        assert "stanza.download('en'" in errors[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())

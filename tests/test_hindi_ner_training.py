"""The Hindi NER training code keeps working, and the shipped model finds real entities.

The smoke test trains for one epoch on a couple of hundred sentences (seconds), so CI notices
when a spaCy upgrade or a corpus change breaks ``make train-hi-ner`` long before anyone retrains.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pipeline.devtools import train_hindi

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHIPPED = REPO / "models" / "hi_ner"
CORE = {"PER", "LOC", "ORG"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # The defects SOURCES.md lists: "-X" continues an X, starts one otherwise; "-" is O.
        (["B-NEP", "-NEP", "O"], ["B-NEP", "I-NEP", "O"]),
        (["O", "-NEL", "-NEL"], ["O", "B-NEL", "I-NEL"]),
        (["B-NEO", "-", "-NEN"], ["B-NEO", "O", "B-NEN"]),
        # An I- that continues nothing is a start.
        (["O", "I-NEO", "I-NEL"], ["O", "B-NEO", "B-NEL"]),
    ],
)
def test_repair_bio(raw: list[str], expected: list[str]) -> None:
    assert train_hindi.repair_bio(raw) == expected


def test_map_tags_drops_unmapped_types_and_keeps_bio_valid() -> None:
    tags = ["B-NEAR", "I-NEAR", "B-NEP", "I-NEP", "B-NETI", "I-NEO"]
    assert train_hindi.map_tags(tags, train_hindi.ILNER_CORE) == [
        "O",
        "O",
        "B-PER",
        "I-PER",
        "O",
        "B-ORG",
    ]


def test_map_tags_drop_removes_the_sentence() -> None:
    table = {"Artist": "PER", "VisualWork": train_hindi.DROP}
    assert train_hindi.map_tags(["B-Artist", "O", "B-VisualWork"], table) is None
    assert train_hindi.map_tags(["B-Artist", "I-Artist", "O"], table) == ["B-PER", "I-PER", "O"]


def test_read_multiconer_reads_ids_and_space_separated_columns(tmp_path: Path) -> None:
    f = tmp_path / "mc.conll"
    f.write_text(
        "\n# id 1\tdomain=hi\nसचिन _ _ B-Athlete\nतेंदुलकर _ _ I-Athlete\nमुंबई, _ _ B-HumanSettlement\n"
        "\n\n# id 2\tdomain=hi\nयह _ _ O\n",
        encoding="utf-8",
    )
    assert train_hindi.read_multiconer(f) == [
        [("सचिन", "B-Athlete"), ("तेंदुलकर", "I-Athlete"), ("मुंबई,", "B-HumanSettlement")],
        [("यह", "O")],
    ]
    f.write_text("# id 1\nसचिन\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"mc\.conll:2"):
        train_hindi.read_multiconer(f)


def test_retokenise_splits_punctuation_like_spacy_and_carries_tags() -> None:
    tokenizer = spacy.blank("hi").tokenizer
    pairs = [
        ("वह", "O"),
        ("पटना,", "B-LOC"),  # the entity ends here: the comma leaves it
        ("कोलकाता,", "B-LOC"),  # "कोलकाता, भारत" is one entity: the comma stays inside
        ("भारत", "I-LOC"),
        ("गया।", "O"),
    ]
    assert train_hindi.retokenise(pairs, tokenizer) == [
        ("वह", "O"),
        ("पटना", "B-LOC"),
        (",", "O"),
        ("कोलकाता", "B-LOC"),
        (",", "I-LOC"),
        ("भारत", "I-LOC"),
        ("गया", "O"),
        ("।", "O"),
    ]
    # The split is the tokenizer's: the words are what spaCy makes of the joined text.
    words = [w for w, _ in train_hindi.retokenise(pairs, tokenizer)]
    assert words == [t.text for t in tokenizer(" ".join(w for w, _ in pairs))]


def test_strip_titles_leaves_the_name_alone() -> None:
    titles = train_hindi.title_sequences()
    sent = train_hindi.Sentence(
        ["कल", "कमांडर", "जनरल", "अमित", "वर्मा", "आए", "और", "जनरल", "ने", "कहा"],
        ["O", "B-PER", "I-PER", "I-PER", "I-PER", "O", "O", "B-PER", "O", "O"],
        "x",
    )
    # Both titles leave the first span; a span that is only a title is not emptied.
    assert train_hindi.strip_titles(sent, titles).tags == [
        "O", "O", "O", "B-PER", "I-PER", "O", "O", "B-PER", "O", "O",
    ]


def test_label_overrides_are_checked() -> None:
    assert train_hindi.parse_label_overrides(["multiconer.Facility=O"]) == {
        "multiconer": {"Facility": "O"}
    }
    with pytest.raises(SystemExit, match="Facility"):
        train_hindi.parse_label_overrides(["multiconer.Facility=PLACE"])


def test_read_conll_skips_tokenless_lines(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("भारत\tB-NEL\nO\nमें\tO\n\nमोदी\t-NEP\n", encoding="utf-8")
    assert train_hindi.read_conll(f) == [[("भारत", "B-NEL"), ("में", "O")], [("मोदी", "-NEP")]]


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / train_hindi.DATA_SUBDIR).is_dir():
        pytest.skip(f"Hindi NER corpora not found at {SHARED / train_hindi.DATA_SUBDIR}")
    return SHARED


@pytest.mark.slow  # reads the whole training corpora
def test_splits_keep_test_sentences_out_of_training(shared: Path) -> None:
    splits = train_hindi.make_splits(shared)
    assert set(splits.tests) == {"ilner_dev", "hiner_tail", "multiconer_dev"}
    test = {s.text for sents in splits.tests.values() for s in sents}
    seen = [s.text for s in splits.train + splits.dev]
    assert test and seen
    assert not test & set(seen)
    assert len(seen) == len(set(seen))  # no sentence twice in the pool
    assert {t[2:] for s in splits.train for t in s.tags if t != "O"} == CORE
    # Every configured source contributes, and MultiCoNER arrives re-tokenised (no glued danda).
    assert {s.source for s in splits.train} == set(train_hindi.load_data_config().train)
    mc = [w for s in splits.train if s.source.startswith("multiconer") for w in s.words]
    assert "।" in mc and not any(len(w) > 1 and w.endswith("।") for w in mc)


@pytest.mark.slow  # reads the whole training corpora
def test_training_sources_and_overrides_select_the_pool(shared: Path) -> None:
    il = train_hindi.make_splits(shared, sources=["ilner"])
    assert {s.source for s in il.train + il.dev} == {"ilner"}
    drop = {"multiconer": {"Facility": train_hindi.DROP}}
    full = train_hindi.make_splits(shared, sources=["multiconer2"])
    fewer = train_hindi.make_splits(shared, sources=["multiconer2"], label_overrides=drop)
    assert len(fewer.train) + len(fewer.dev) < len(full.train) + len(full.dev)
    # Tests keep the config's labels whatever the training tables say.
    assert [s.tags for s in fewer.tests["multiconer_dev"]] == [
        s.tags for s in full.tests["multiconer_dev"]
    ]


@pytest.mark.slow
def test_smoke_training_produces_a_loadable_model(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "hi_ner"
    # One pretraining epoch too, so the optional `spacy pretrain` path keeps working.
    args = ["--shared", str(shared), "--out", str(out), "--smoke", "--pretrain-epochs", "1"]
    report = train_hindi.run(train_hindi.parse_args(args))
    assert report["splits"]["train"] == train_hindi.SMOKE_TRAIN_SENTS  # type: ignore[index]
    assert report["pretrain_epochs"] == 1
    nlp = spacy.load(out)
    assert "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) >= CORE
    assert nlp.meta["held_out"]["test_ilner_dev"]["sentences"] == train_hindi.SMOKE_TEST_SENTS
    nlp("भारत और रूस ने समझौते पर हस्ताक्षर किए।")  # runs end to end on raw text


@pytest.mark.slow
def test_stanza_smoke_training_produces_a_loadable_model(shared: Path, tmp_path: Path) -> None:
    pytest.importorskip("stanza", reason="Stanza is not installed")
    from pipeline.devtools import train_hindi_stanza

    out = tmp_path / "hi_ner_stanza"
    args = ["--shared", str(shared), "--out", str(out), "--work", str(tmp_path / "work"),
            "--smoke"]
    report = train_hindi_stanza.run(train_hindi_stanza.parse_args(args))
    assert report["splits"]["train"] == train_hindi.SMOKE_TRAIN_SENTS  # type: ignore[index]
    assert {p.name for p in out.iterdir()} >= {"ner.pt", "pretrain.pt", "resources.json",
                                               "meta.json"}
    nlp = train_hindi_stanza.load_pipeline(out)
    tags = train_hindi_stanza.predict_bio(nlp, [["भारत", "और", "रूस", "।"]])
    assert len(tags) == 1 and len(tags[0]) == 4


@pytest.fixture(scope="module")
def shipped() -> spacy.language.Language:
    assert (SHIPPED / "meta.json").is_file(), "models/hi_ner is missing: run make train-hi-ner"
    return spacy.load(SHIPPED)


def ents(nlp: spacy.language.Language, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents}


def test_shipped_model_labels(shipped: spacy.language.Language) -> None:
    assert set(shipped.get_pipe("ner").labels) >= CORE


def test_shipped_model_finds_person_and_place(shipped: spacy.language.Language) -> None:
    found = ents(shipped, "प्रधानमंत्री नरेंद्र मोदी ने दिल्ली में भाषण दिया।")
    assert any(label == "PER" and "मोदी" in text for text, label in found), found
    assert ("दिल्ली", "LOC") in found, found
    assert not any(label == "PER" and "दिल्ली" in text for text, label in found), found


def test_shipped_model_finds_places(shipped: spacy.language.Language) -> None:
    found = ents(shipped, "भारत और फ्रांस के रक्षा मंत्रियों ने पेरिस में मुलाकात की।")
    assert ("भारत", "LOC") in found, found
    assert ("पेरिस", "LOC") in found, found


def test_shipped_model_finds_organisations(shipped: spacy.language.Language) -> None:
    found = ents(shipped, "संयुक्त राष्ट्र ने सीरिया में युद्धविराम की अपील की।")
    assert any(label == "ORG" and "संयुक्त राष्ट्र" in text for text, label in found), found
    found = ents(shipped, "भारतीय जनता पार्टी ने लोकसभा चुनाव में बहुमत हासिल किया।")
    assert any(label == "ORG" and "भारतीय जनता पार्टी" in text for text, label in found), found


def test_shipped_model_leaves_plain_sentence_alone(shipped: spacy.language.Language) -> None:
    assert ents(shipped, "कल सुबह बहुत तेज़ बारिश हुई और सड़कें पानी से भर गईं।") == set()

"""The Hindi NER vote (pipeline/ner/vote.py): the rule on hand-made predictions, then the shipped
models on sentences written for these tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.core.config import DEFAULT
from pipeline.ner.hindi import load_hindi
from pipeline.ner.vote import NerVote, vote


def test_a_span_needs_min_votes_with_one_label() -> None:
    a = [(0, 2, "PER"), (5, 6, "LOC"), (8, 9, "ORG")]
    b = [(0, 2, "PER"), (5, 6, "ORG"), (8, 9, "ORG")]
    c = [(0, 2, "LOC"), (5, 6, "PER")]
    # (0, 2) is PER twice; (5, 6) has three labels once each; (8, 9) is ORG twice
    assert vote([a, b, c], 2) == [(0, 2, "PER"), (8, 9, "ORG")]
    assert vote([a, b, c], 3) == []
    assert vote([a, b, c], 1)[0] == (0, 2, "PER")  # two votes beat one on the same tokens


def test_overlapping_winners_more_votes_then_the_longer_span() -> None:
    a = [(0, 3, "PER")]
    b = [(0, 3, "PER")]
    c = [(1, 3, "PER")]
    d = [(1, 3, "PER")]
    e = [(1, 3, "PER")]
    assert vote([a, b, c, d, e], 2) == [(1, 3, "PER")]  # 3 votes beat 2
    assert vote([a, b, c, d], 2) == [(0, 3, "PER")]  # 2 against 2: the longer span
    # a model that predicts one span twice still votes once
    assert vote([[(4, 5, "LOC"), (4, 5, "LOC")], []], 2) == []


def test_min_votes_must_be_reachable() -> None:
    with pytest.raises(ValueError):
        NerVote([], 2)


HINDI = [
    "विदेश मंत्री मारिया क्लेमेंटे ने कहा कि लिस्बन में अगली बैठक मार्च में होगी।",
    "समूह के महासचिव तोमास वेलार्दे ने बेलग्रेड और सोफिया का दौरा किया।",
    "उत्तरी सागर परिषद की बैठक में नॉर्वे, डेनमार्क और नीदरलैंड के प्रतिनिधि शामिल हुए।",
]


@pytest.mark.skipif(not all((p / "meta.json").is_file()
                            for p in (DEFAULT.hindi_model, *DEFAULT.hindi_vote_members)),
                    reason="the Hindi models are not all present (make train-hi-ner)")
def test_the_pipeline_tags_hindi_with_the_majority_of_its_models() -> None:
    nlp, has_model = load_hindi(DEFAULT)
    assert has_model and "ner_vote" in nlp.pipe_names
    voted = [{(e.start, e.end, e.label_) for e in d.ents} for d in nlp.pipe(HINDI)]
    # each model alone, on the same tokens
    models = [spacy.load(p) for p in (DEFAULT.hindi_model, *DEFAULT.hindi_vote_members)]
    tokens = [[t.text for t in d] for d in spacy.blank("hi").tokenizer.pipe(HINDI)]
    alone = [[{(e.start, e.end, e.label_) for e in m(Doc(m.vocab, words=w)).ents} for w in tokens]
             for m in models]
    for i, found in enumerate(voted):
        counts = Counter(t for per_model in alone for t in per_model[i])
        majority = {t for t, n in counts.items() if n >= DEFAULT.hindi_vote_min}
        assert found <= majority  # nothing the majority did not find
        # every majority span is kept unless a span with at least as many votes overlaps it
        for t in majority - found:
            assert any(o[0] < t[1] and t[0] < o[1] and counts[o] >= counts[t] for o in found)
    # and what the sentences name, written by hand: the two persons and the places
    docs = list(nlp.pipe(HINDI))
    named = {(e.text, e.label_) for d in docs for e in d.ents}
    assert {("मारिया क्लेमेंटे", "PER"), ("तोमास वेलार्दे", "PER"), ("लिस्बन", "LOC"),
            ("नॉर्वे", "LOC"), ("डेनमार्क", "LOC")} <= named
    assert not any(label == "PER" and "परिषद" in text for text, label in named)


def test_a_broken_member_folder_is_named_in_a_backend_error(tmp_path: Path) -> None:
    from dataclasses import replace

    from pipeline.core.errors import BackendUnavailable

    broken = tmp_path / "hi_ner_half_written"
    broken.mkdir()
    (broken / "meta.json").write_text("{}", "utf-8")  # a folder a retrain left half-written
    settings = replace(DEFAULT, hindi_vote_members=(broken,), hindi_vote_min=2)
    with pytest.raises(BackendUnavailable, match=r"hi_ner_half_written.*make train-hi-ner"):
        load_hindi(settings)

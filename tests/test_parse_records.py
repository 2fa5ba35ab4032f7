"""The compact Parse records the NER stage keeps instead of spaCy Docs: the same tokens, heads
and labels as spaCy's parse, the same token lookup as Doc.char_span, and small when pickled."""

from __future__ import annotations

import pickle

import pytest
from conftest import EN_SEED, HI_SEED
from spacy.strings import get_string_id

from pipeline.core.config import DEFAULT
from pipeline.ingest import read_document
from pipeline.language import detect_document
from pipeline.ner import annotate
from pipeline.ner.registry import get_backend


@pytest.fixture(scope="module")
def seeds():
    return annotate([detect_document(read_document(p)) for p in (EN_SEED, HI_SEED)], DEFAULT)


def test_parse_records_match_spacy_parses(seeds) -> None:
    for a in seeds:
        assert a.parses and [p.offset for p in a.parses] == sorted(p.offset for p in a.parses)
        for p in a.parses:
            text = a.doc.text[p.offset:p.end]
            sdoc = get_backend(p.lang, DEFAULT).nlp(text)
            assert p.length == len(text) and len(sdoc) == len(p.ints)
            assert p.has_deps == (p.lang == "en")  # the Hindi model has no parser
            assert p.ints[:, 0].tolist() == [t.idx for t in sdoc]
            assert p.ints[:, 3].tolist() == [t.head.i for t in sdoc]
            assert p.ints[:, 4].tolist() == [t.pos for t in sdoc]
            assert p.labels[:, 0].tolist() == [get_string_id(t.dep_) for t in sdoc]
            assert p.labels[:, 1].tolist() == [get_string_id(t.tag_) for t in sdoc]
            assert [p.lemma(i) for i in range(len(p))] == [get_string_id(t.lemma_) for t in sdoc]
            # The token holding each character, as char_span(..., "expand") starts.
            for rel in range(len(text)):
                span = sdoc.char_span(rel, rel + 1, alignment_mode="expand")
                want = span[0].i if span is not None and len(span) else None
                assert p.token_at(p.offset + rel) == want, (text[rel], rel)


def test_cues_are_matched_before_the_docs_are_let_go(seeds) -> None:
    en, hi = seeds
    assert {"founding", "count_noun"} <= {c.name for c in en.cues}
    assert any(c.name == "count_noun" and c.text.startswith("सदस्य") for c in hi.cues)
    for a in seeds:
        assert all(a.doc.text[c.start:c.end] == c.text for c in a.cues)


def test_annotated_documents_pickle_small(seeds) -> None:
    for a in seeds:
        back = pickle.loads(pickle.dumps(a))
        assert back.cues == a.cues and back.mentions == a.mentions
        for p, q in zip(a.parses, back.parses, strict=True):
            assert (p.ints == q.ints).all() and (p.labels == q.labels).all()
        tokens = sum(len(p.ints) for p in a.parses)
        parses_bytes = len(pickle.dumps(a.parses))
        assert parses_bytes < 80 * tokens, f"{parses_bytes} bytes for {tokens} tokens"

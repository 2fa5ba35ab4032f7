"""A majority vote of several Hindi NER models, as one spaCy component (issue 18).

CNNs trained on the same data with different settings err differently often enough that the
spans most of them agree on beat each one alone on every held-out corpus
(``models/hi_ner/README.md``, "Vote"). The component sits after the main model's ``ner``:
it runs the other members on the same tokens, counts each (start, end, label) once per model
and keeps those with at least ``min_votes``; of overlapping winners, more votes win, then the
longer span. The members are loaded once, with the pipeline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

Triple = tuple[int, int, str]  # token start, token end, label


def vote(predictions: Sequence[Iterable[Triple]], min_votes: int) -> list[Triple]:
    """The spans at least ``min_votes`` of the predictions hold with the same label, without
    overlaps (more votes first, then the longer span, then the earlier), in text order."""
    counts = Counter(t for p in predictions for t in set(p))
    ranked = sorted((t for t, n in counts.items() if n >= min_votes),
                    key=lambda t: (-counts[t], t[0] - t[1], t[0]))
    kept: list[Triple] = []
    taken: set[int] = set()
    for start, end, label in ranked:
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end, label))
            taken.update(range(start, end))
    return sorted(kept)


def entity_triples(doc: Doc) -> list[Triple]:
    return [(e.start, e.end, e.label_) for e in doc.ents]


class NerVote:
    """Replaces ``doc.ents`` (the main model's) by the vote of the main model and the members."""

    def __init__(self, members: Sequence[Language], min_votes: int,
                 names: Sequence[str] = ()) -> None:
        if min_votes < 1 or min_votes > len(members) + 1:
            raise ValueError(f"min_votes {min_votes} for {len(members) + 1} models")
        self.members = list(members)
        self.min_votes = min_votes
        self.names = list(names)  # what run.json reports

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            member_docs = [list(m.pipe(_same_tokens(m, d) for d in batch)) for m in self.members]
            for i, doc in enumerate(batch):
                predictions = [entity_triples(doc), *(entity_triples(md[i]) for md in member_docs)]
                doc.ents = [Span(doc, s, e, label=label)
                            for s, e, label in vote(predictions, self.min_votes)]
                yield doc


def _same_tokens(member: Language, doc: Doc) -> Doc:
    """The main model's tokens as a Doc of the member's vocabulary (no entities preset)."""
    return Doc(member.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])


@Language.factory("ner_vote", default_config={"members": [], "min_votes": 2})
def make_ner_vote(nlp: Language, name: str, members: list[str], min_votes: int) -> NerVote:
    """spaCy factory: ``members`` are model folders loaded as they are (only their entities are
    read)."""
    return NerVote([spacy.load(Path(p)) for p in members], min_votes,
                   [Path(p).name for p in members])

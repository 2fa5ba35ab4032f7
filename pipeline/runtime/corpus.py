"""A folder of articles on many coalitions: which documents form one subject (issue 16).

Every document already has its own subject (``facts.subject.document_subject``: the organisation
it is about, how sure that is, and every organisation's score). A run is split only when the
documents clearly point to more than one organisation: an organisation is a *corpus subject*
when it is the specific (not generic), named (not only a model's guess: ``SubjectChoice.named``)
choice of at least ``Settings.corpus_min_documents``
documents, each with a confidence of at least ``Settings.corpus_min_confidence``. With fewer than
two corpus subjects the run stays one subject, exactly as before (a folder about one coalition
whose articles also name another stays one run). A document whose own choice is not a corpus
subject joins the corpus subject it scores best for; a document that scores for none of them
goes to the remainder, which is processed as a run of its own (its subject decided as for any
run). The rule reads only each document's own choice and scores, so it costs time linear in the
documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy

from pipeline.core.config import Settings
from pipeline.facts.subject import SubjectChoice, choice_confidence

OWN_CHOICE = "own choice"
BEST_SCORE = "best score among the subjects"
REMAINDER = "no subject of the run named"
DESCRIBED = "the description of an unnamed coalition its text repeats"
SHARED_ENTITIES = "the states and persons it shares with the subject's documents"
DESCRIBED_TOO = ("the description of an unnamed coalition other documents describe, which it "
                 "repeats, and the states and persons it shares with them")


@dataclass(frozen=True)
class Assignment:
    """Where one document went: the corpus subject ("" for the remainder), how (OWN_CHOICE,
    BEST_SCORE, REMAINDER) and how sure (0-1)."""

    doc_id: str
    subject: str
    how: str
    confidence: float


@dataclass(frozen=True)
class SubjectGroup:
    """The documents of one corpus subject ("" for the remainder), in document order."""

    subject: str
    doc_ids: tuple[str, ...]


def corpus_subjects(choices: dict[str, SubjectChoice], settings: Settings) -> list[str]:
    """The organisations that are each the confident, specific choice of enough documents, in
    the order of their ids."""
    votes = Counter(c.kb_id for c in choices.values()
                    if c.kb_id and not c.generic and c.named
                    and c.confidence >= settings.corpus_min_confidence)
    return sorted((k for k, n in votes.items() if n >= settings.corpus_min_documents),
                  key=lambda k: (k.casefold(), k))


def _best(choice: SubjectChoice, subjects: list[str], settings: Settings
          ) -> tuple[str, float]:
    """The corpus subject a document scores best for, and a confidence as ``_choose`` gives it
    (strength and lead over the runner-up, among the corpus subjects only)."""
    ranked = sorted(((choice.scores.get(k, 0.0), k) for k in subjects), key=lambda x: (-x[0], x[1]))
    top, kb = ranked[0]
    if top <= 0:
        return "", 0.0
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    return kb, round(choice_confidence(top, second, settings.facts), 3)


def assign(choices: dict[str, SubjectChoice], settings: Settings
           ) -> tuple[list[SubjectGroup], dict[str, Assignment]] | None:
    """The documents grouped by subject (module docstring), or None when the run is one
    subject. ``choices``: doc_id -> the document's own subject, in document order."""
    subjects = corpus_subjects(choices, settings)
    if len(subjects) < 2:
        return None
    placed: dict[str, Assignment] = {}
    for doc_id, c in choices.items():
        if c.kb_id in subjects:
            placed[doc_id] = Assignment(doc_id, c.kb_id, OWN_CHOICE, c.confidence)
            continue
        kb, conf = _best(c, subjects, settings)
        placed[doc_id] = Assignment(doc_id, kb, BEST_SCORE if kb else REMAINDER, conf)
    groups = [SubjectGroup(s, tuple(d for d, a in placed.items() if a.subject == s))
              for s in [*subjects, ""]]
    return [g for g in groups if g.doc_ids], placed


def split_remainder(groups: list[SubjectGroup], placed: dict[str, Assignment],
                    descriptions: dict[str, str | None], settings: Settings
                    ) -> list[SubjectGroup]:
    """The remainder split by the unnamed coalition each document describes ("Saudi-led
    coalition", "coalition of the willing"; ``descriptions``: doc_id -> its own description or
    None): a description that at least ``Settings.corpus_min_documents`` documents share is a
    group of its own; the other documents stay in the remainder. ``placed`` is updated."""
    rest = next((g for g in groups if not g.subject), None)
    if rest is None:
        return groups
    by_description: dict[str, list[str]] = {}
    for d in rest.doc_ids:
        if descriptions.get(d):
            by_description.setdefault(str(descriptions[d]), []).append(d)
    shared = {k: ds for k, ds in by_description.items()
              if len(ds) >= settings.corpus_min_documents}
    if not shared:
        return groups
    out = [g for g in groups if g.subject]
    for k in sorted(shared, key=lambda k: (k.casefold(), k)):
        out.append(SubjectGroup(k, tuple(shared[k])))
        for d in shared[k]:
            placed[d] = Assignment(d, k, DESCRIBED, placed[d].confidence)
    left = tuple(d for d in rest.doc_ids if not any(d in ds for ds in shared.values()))
    if left:
        out.append(SubjectGroup("", left))
    return out


class _Similarity:
    """Cosine similarity of documents' entity counts, weighted by scikit-learn's tf-idf
    (sublinear counts, smoothed inverse document frequency, unit length), so that a state every
    article names (the United States) weighs little; a group is the mean of its documents."""

    def __init__(self, profiles: dict[str, Counter[str]]) -> None:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfTransformer

        self.row = {d: i for i, d in enumerate(profiles)}
        counts = DictVectorizer().fit_transform(list(profiles.values()))
        # no entity in any document: nothing to compare
        self.vectors: Any = (TfidfTransformer(sublinear_tf=True).fit_transform(counts)
                             if counts.shape[1] else None)

    def __call__(self, doc: str, group: Sequence[str]) -> float:
        """Cosine of ``doc`` with the centroid of the ``group``'s documents (0 without any)."""
        from sklearn.metrics.pairwise import cosine_similarity

        rows = [self.row[d] for d in group if d in self.row]
        if self.vectors is None or doc not in self.row or not rows:
            return 0.0
        centroid = numpy.asarray(self.vectors[rows].mean(axis=0))
        return float(cosine_similarity(self.vectors[self.row[doc]], centroid)[0, 0])


def claim_described(groups: list[SubjectGroup], placed: dict[str, Assignment],
                    descriptions: dict[str, str | None], profiles: dict[str, Counter[str]]
                    ) -> list[SubjectGroup]:
    """A document placed under a named organisation that repeats the description of an
    unnamed coalition other documents form a group by ("Saudi Arabia formed a coalition ...;
    the Saudi-led coalition", in an article that names the GCC most) moves to that group when
    its states and persons are at least as close to that group's documents as to its own.
    ``descriptions``: doc_id -> the description it repeats (``Settings.facts``'s
    min_description_count) or None. ``placed`` is updated."""
    described = {g.subject: g for g in groups
                 if g.subject and g.doc_ids and placed[g.doc_ids[0]].how == DESCRIBED}
    if not described:
        return groups
    similarity = _Similarity(profiles)
    moved: dict[str, str] = {}
    for g in groups:
        if not g.subject or g.subject in described:
            continue
        for d in g.doc_ids:
            target = descriptions.get(d)
            if not target or target not in described:
                continue
            own = similarity(d, [x for x in g.doc_ids if x != d])
            other = similarity(d, described[target].doc_ids)
            if other >= own:
                moved[d] = target
                placed[d] = Assignment(d, target, DESCRIBED_TOO, round(other, 3))
    return _regroup(groups, moved, placed)


def _regroup(groups: list[SubjectGroup], moved: dict[str, str],
             placed: dict[str, Assignment]) -> list[SubjectGroup]:
    """The groups with the ``moved`` documents (doc_id -> subject) in their new groups, each in
    run order; a group left empty is dropped."""
    if not moved:
        return groups
    order = {d: i for i, d in enumerate(placed)}
    out = []
    for g in groups:
        ds = [d for d in g.doc_ids if d not in moved]
        ds += [d for d, t in moved.items() if t == g.subject and g.subject]
        if ds:
            out.append(SubjectGroup(g.subject, tuple(sorted(ds, key=order.__getitem__))))
    return out


def attach_by_entities(groups: list[SubjectGroup], placed: dict[str, Assignment],
                       profiles: dict[str, Counter[str]], settings: Settings
                       ) -> list[SubjectGroup]:
    """Documents of the remainder (they name no subject of the run and describe none) join
    the group whose documents share their states and persons most: the cosine of tf-idf
    weighted entity counts against each group's centroid, at least
    ``Settings.corpus_min_similarity`` and ``Settings.corpus_similarity_lead`` above the
    runner-up. ``profiles``: doc_id -> the kb_ids of its linked states and persons, counted.
    Time is linear in the documents' entities times the groups. ``placed`` is updated."""
    rest = next((g for g in groups if not g.subject), None)
    named = [g for g in groups if g.subject]
    if rest is None or not named:
        return groups
    similarity = _Similarity(profiles)
    moved: dict[str, str] = {}
    for d in rest.doc_ids:
        sims = sorted(((similarity(d, g.doc_ids), g.subject) for g in named),
                      key=lambda t: (-t[0], t[1]))
        best, subject = sims[0]
        second = sims[1][0] if len(sims) > 1 else 0.0
        if best >= settings.corpus_min_similarity and \
                best - second >= settings.corpus_similarity_lead:
            moved[d] = subject
            placed[d] = Assignment(d, subject, SHARED_ENTITIES, round(best, 3))
    return _regroup(groups, moved, placed)

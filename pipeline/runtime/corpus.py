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

import math
from collections import Counter
from dataclasses import dataclass

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


def _weighted(profile: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """A document's entity counts as a unit vector: sublinear counts times inverse document
    frequency, so that a state every article names (the United States) weighs little."""
    v = {k: (1.0 + math.log(c)) * idf[k] for k, c in profile.items() if c > 0}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {k: x / norm for k, x in v.items()}


def _centroid(doc_ids: tuple[str, ...] | list[str], vectors: dict[str, dict[str, float]]
              ) -> dict[str, float]:
    c: Counter[str] = Counter()
    for d in doc_ids:
        c.update(vectors.get(d, {}))
    norm = math.sqrt(sum(x * x for x in c.values())) or 1.0
    return {k: x / norm for k, x in c.items()}


def _cosine(v: dict[str, float], c: dict[str, float]) -> float:
    return sum(x * c.get(k, 0.0) for k, x in v.items())


def _vectors(profiles: dict[str, Counter[str]]) -> dict[str, dict[str, float]]:
    df: Counter[str] = Counter(k for p in profiles.values() for k in p)
    n = len(profiles)
    idf = {k: math.log((1 + n) / (1 + c)) + 1.0 for k, c in df.items()}
    return {d: _weighted(p, idf) for d, p in profiles.items()}


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
    vectors = _vectors(profiles)
    moved: dict[str, str] = {}
    for g in groups:
        if not g.subject or g.subject in described:
            continue
        for d in g.doc_ids:
            target = descriptions.get(d)
            if not target or target not in described:
                continue
            own = _cosine(vectors.get(d, {}), _centroid([x for x in g.doc_ids if x != d], vectors))
            other = _cosine(vectors.get(d, {}), _centroid(described[target].doc_ids, vectors))
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
    vectors = _vectors(profiles)
    centroids = [_centroid(g.doc_ids, vectors) for g in named]
    moved: dict[str, str] = {}
    for d in rest.doc_ids:
        v = vectors.get(d, {})
        sims = sorted(((_cosine(v, c), g.subject) for g, c in zip(named, centroids, strict=True)),
                      key=lambda t: (-t[0], t[1]))
        best, subject = sims[0]
        second = sims[1][0] if len(sims) > 1 else 0.0
        if best >= settings.corpus_min_similarity and \
                best - second >= settings.corpus_similarity_lead:
            moved[d] = subject
            placed[d] = Assignment(d, subject, SHARED_ENTITIES, round(best, 3))
    return _regroup(groups, moved, placed)

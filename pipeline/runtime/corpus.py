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
from dataclasses import dataclass

from pipeline.core.config import Settings
from pipeline.facts.subject import SubjectChoice, choice_confidence

OWN_CHOICE = "own choice"
BEST_SCORE = "best score among the subjects"
REMAINDER = "no subject of the run named"
DESCRIBED = "the description of an unnamed coalition its text repeats"


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

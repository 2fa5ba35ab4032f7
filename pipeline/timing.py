"""When each statement holds: ``Fact.as_of`` and where that time comes from (SCHEMA.md "Time").

Runs between fact extraction and reconciliation. The rules, in order:

1. a time the extractor already gave (a count in a founding clause: the founding date) is kept;
2. a statement with its own date (``when``) holds then (``stated``); a count or founding-member
   fact dated to its document's founding date (given or stated), or a founding member without a
   date, holds at the founding (``founding date``);
3. an undated present-tense statement of a state (a count, an office holder, a membership, a
   seat) holds at the article's own date (``document date``) when the article gives one;
4. otherwise the time stays unknown, and reconciliation compares the statement only as a possible
   conflict.

Until extraction marks tenses, an undated count or office holder without a tense is read as
present tense (the common case: "X has 41 members", "the Secretary-General is Y").
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.records import Document, Fact
from pipeline.core.schema import Predicate, Role, Tense, TimeSource

# States an undated present-tense statement describes at the article's date; the first two are
# read as present tense also when extraction gave no tense.
_STATES_WITHOUT_TENSE = (Predicate.MEMBER_COUNT, Predicate.LEADER)
_STATES = (*_STATES_WITHOUT_TENSE, Predicate.MEMBER, Predicate.NON_MEMBER, Predicate.HEADQUARTERS)


def same_time(a: str, b: str) -> bool:
    """Two ISO dates that can name one time: equal, or one a coarser precision of the other."""
    return bool(a and b) and (a == b or a.startswith(b + "-") or b.startswith(a + "-"))


def founding_dates(facts: list[Fact]) -> dict[tuple[str, str], str]:
    """(doc_id, subject) → the founding date that document gives (its first plain ``founded``)."""
    out: dict[tuple[str, str], str] = {}
    for f in facts:
        if f.predicate == Predicate.FOUNDED and not f.role and f.when:
            out.setdefault((f.doc_id, f.subject), f.when)
    return out


def _is_present(f: Fact) -> bool:
    if f.tense == Tense.PRESENT:
        return f.predicate in _STATES and f.role not in (Role.JOINED, Role.LEFT, Role.SUSPENDED)
    return f.tense == Tense.UNKNOWN and f.predicate in _STATES_WITHOUT_TENSE


def time_of(f: Fact, doc_date: str, founded: str) -> tuple[str, str]:
    """(as_of, as_of_source) of one fact, by the rules of the module docstring."""
    at_founding = f.predicate == Predicate.MEMBER_COUNT or (
        f.predicate == Predicate.MEMBER and f.role == Role.FOUNDING)
    if f.as_of or f.as_of_source:
        source = f.as_of_source or TimeSource.STATED
        # a count dated to its document's own founding date is a count at the founding
        if at_founding and source == TimeSource.STATED and same_time(f.as_of, founded):
            return f.as_of, TimeSource.FOUNDING
        return f.as_of, source
    if f.when:
        if at_founding and same_time(f.when, founded):
            return f.when, TimeSource.FOUNDING
        return f.when, TimeSource.STATED
    if f.predicate == Predicate.MEMBER and f.role == Role.FOUNDING:
        return founded, TimeSource.FOUNDING
    if _is_present(f) and doc_date:
        return doc_date, TimeSource.DOCUMENT
    return "", TimeSource.NONE


def assign_times(facts: list[Fact], documents: list[Document]) -> list[Fact]:
    """The facts with ``as_of`` and ``as_of_source`` filled in (a new list; order kept).

    A count derived from a founding list (it stands on the list's sentence) holds at the
    founding, like the list.
    """
    dates = {d.doc_id: d.date for d in documents}
    founded = founding_dates(facts)
    founding_lists = {(f.doc_id, f.subject, f.start) for f in facts
                      if f.predicate == Predicate.MEMBER and f.role == Role.FOUNDING}
    out = []
    for f in facts:
        date = founded.get((f.doc_id, f.subject), "")
        if (f.predicate == Predicate.MEMBER_COUNT and f.derived and not f.as_of_source
                and (f.doc_id, f.subject, f.start) in founding_lists
                and (not f.when or same_time(f.when, date))):
            f = replace(f, as_of=f.when or date, as_of_source=str(TimeSource.FOUNDING))
        as_of, source = time_of(f, dates.get(f.doc_id, ""), date)
        out.append(f if (as_of, source) == (f.as_of, f.as_of_source)
                   else replace(f, as_of=as_of, as_of_source=str(source)))
    return out

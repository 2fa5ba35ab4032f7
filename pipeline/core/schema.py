"""The output contract's vocabularies (SCHEMA.md) as enums: predicates, fact-table statuses and
where a statement's time comes from. Values are the strings written to the files; being
``StrEnum`` members they compare equal to those strings, so records may hold either."""

from __future__ import annotations

from enum import StrEnum


class Predicate(StrEnum):
    FOUNDED = "founded"
    FOUNDER = "founder"
    MEMBER = "member"
    MEMBER_COUNT = "member_count"
    LEADER = "leader"
    HEADQUARTERS = "headquarters"
    NON_MEMBER = "non_member"


class Status(StrEnum):
    """A fact-table row's status (SCHEMA.md): only ``CONFLICT`` sets ``conflict`` true."""

    AGREE = "agree"
    REFINES = "refines"
    POSSIBLE_CONFLICT = "possible_conflict"
    CONFLICT = "conflict"
    SINGLE_SOURCE = "single_source"


class Tense(StrEnum):
    """The tense of the clause a fact was read from: a present-tense statement without a date
    holds at the article's own date; a future or intended one is no membership yet."""

    UNKNOWN = ""
    PAST = "past"
    PRESENT = "present"
    FUTURE = "future"


class TimeSource(StrEnum):
    """Where a fact's ``as_of`` (the time the statement holds) comes from (SCHEMA.md "Time")."""

    NONE = ""  # the time stays unknown: compared only as a possible conflict
    STATED = "stated"  # a date in the statement's own clause
    FOUNDING = "founding date"  # a count or list in a founding or announcement clause
    DOCUMENT = "document date"  # an undated present-tense statement: the article's own date

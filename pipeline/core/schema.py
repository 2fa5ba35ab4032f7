"""The output contract's vocabularies (SCHEMA.md) as enums: predicates, member roles, fact-table
statuses and where a statement's time comes from; and the typed value of a fact-table cell. Enum
values are the strings written to the files; being ``StrEnum`` members they compare equal to
those strings, so records may hold either. Only the writers (pipeline/output) turn typed values
into text."""

from __future__ import annotations

from dataclasses import dataclass
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


class Role(StrEnum):
    """Member roles the reconciliation reads (SCHEMA.md ``member``); other roles (leader titles,
    ``observer``, ``declined``) pass through as plain strings."""

    PLAIN = ""
    FOUNDING = "founding"
    JOINED = "joined"
    SUSPENDED = "suspended"
    LEFT = "left"
    OBSERVER = "observer"
    CANDIDATE = "candidate"  # on ``non_member``: an applicant or a state expected to join
    LAUNCHED = "launched"  # on ``founded``: a later stage of the founding (entry into force)
    LEADER = "leader"  # the state that leads a coalition (facts/led.py)


# Member roles that end a membership: one departure row in reconciliation (role left), and
# extraction does not run a member count past them.
DEPARTURE_ROLES = (Role.LEFT, Role.SUSPENDED)


@dataclass(frozen=True)
class CellValue:
    """One value one document gives in one fact-table row: a row of ``fact_values.csv``.

    ``value`` is the bare value (``32``, ``2015-12-15``, a kb_id, a member role); ``when`` the
    time the statement itself gives; ``as_of`` the time it is taken to hold and ``as_of_source``
    where that came from (TimeSource). ``lower_bound``: a count derived from a partial or running
    list (at least this many). ``fact_ids``: the facts.csv rows it comes from. Only the writers
    turn these into text.
    """

    doc_id: str
    value: str
    when: str = ""
    as_of: str = ""
    as_of_source: str = ""
    derived: bool = False
    lower_bound: bool = False
    role: str = ""
    fact_ids: tuple[str, ...] = ()


# fact_table.csv: the fixed columns before and after the one value column per doc_id.
FACT_TABLE_KEY_COLUMNS = ["conflict_id", "key", "subject", "predicate", "object_kb_id", "when",
                          "role"]
FACT_TABLE_STATUS_COLUMNS = ["status", "conflict", "explanation"]
# The columns the review decisions add after those.
FACT_TABLE_REVIEW_COLUMNS = ["review_decision", "review_note", "reviewer", "review_date",
                             "resolved"]
# A doc_id equal to one of these would overwrite that column of fact_table.csv, so ingest never
# gives a document one of them (it appends a suffix instead).
RESERVED_DOC_IDS = frozenset([*FACT_TABLE_KEY_COLUMNS, *FACT_TABLE_STATUS_COLUMNS,
                              *FACT_TABLE_REVIEW_COLUMNS])


def how_phrase(derived: bool, lower_bound: bool) -> str:
    """How a value was obtained, in words: the one wording the fact table's explanations and
    the report share."""
    if not derived:
        return "stated"
    if lower_bound:
        return "derived from a partial or running list (a lower bound)"
    return "derived from a list introduced as complete"


def time_phrase(as_of: str, source: str) -> str:
    """When a value holds and where that time comes from, in words: the one wording the
    fact table's explanations and the report share."""
    if source == TimeSource.FOUNDING:
        return f"at the founding ({as_of})" if as_of else "at the founding (date not given)"
    if source == TimeSource.DOCUMENT:
        return f"as of {as_of}, the article's own date"
    if as_of:
        return f"as of {as_of}, stated"
    return "time unknown: no date in the statement or the article"

"""Typed cell values (schema.CellValue) as words: the one place values become display text.

Only writers (conflicts.md, report.html) call these; no module reads such text back.
"""

from __future__ import annotations

from pipeline.core.schema import CellValue, Predicate, Status, TimeSource

GRADE_WORDS: dict[str, str] = {Status.CONFLICT: "conflict",
                               Status.POSSIBLE_CONFLICT: "possible conflict"}


def value_text(c: CellValue, predicate: str = "") -> str:
    """The value as a reader should take it: a count from a partial or running list is a lower
    bound ("at least 34")."""
    if c.lower_bound:
        return f"at least {c.value}"
    if predicate == Predicate.MEMBER and c.when and c.role:
        return f"{c.role} {c.when}"
    return c.value


def time_text(c: CellValue) -> str:
    """When the value holds and where that time comes from."""
    if c.as_of_source == TimeSource.FOUNDING:
        return f"at the founding ({c.as_of})" if c.as_of else "at the founding (date not given)"
    if c.as_of_source == TimeSource.DOCUMENT:
        return f"as of {c.as_of}, the article's own date"
    if c.as_of:
        return f"as of {c.as_of}, stated"
    return "time unknown"


def how_text(c: CellValue) -> str:
    """How the value was obtained: stated, or counted from a list."""
    if not c.derived:
        return "stated"
    if c.lower_bound:
        return "derived from a partial or running list (a lower bound)"
    return "derived"


def grade_text(status: str) -> str:
    """A status in words ("possible conflict")."""
    return GRADE_WORDS.get(status, str(status).replace("_", " "))

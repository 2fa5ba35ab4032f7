"""Typed cell values (schema.CellValue) as words: the one place values become display text.

Only writers (conflicts.md, report.html) call these; no module reads such text back.
"""

from __future__ import annotations

from pipeline.core.schema import CellValue, Predicate, Status, how_phrase, time_phrase

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
    return time_phrase(c.as_of, c.as_of_source)


def how_text(c: CellValue) -> str:
    """How the value was obtained: stated, or counted from a list."""
    return how_phrase(c.derived, c.lower_bound)


def grade_text(status: str) -> str:
    """A status in words ("possible conflict")."""
    return GRADE_WORDS.get(status, str(status).replace("_", " "))


def md_cell(text: object) -> str:
    """A Markdown table cell: a ``|`` or line break in an evidence or name would split the row."""
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")

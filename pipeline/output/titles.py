"""A document's title and date line, so that reviewers see articles by name, not by doc_id.

General rules about how articles begin, not a list of sites: a Markdown heading is the title;
otherwise the first short line that reads as a heading. In a cased script (Latin) a heading has
a capital letter, so a lowercase navigation remnant such as "top of page" is passed over; scripts
without case (Devanagari) take their first short line. An article that starts with prose is
named by its first sentence, cut at a word. The date line is a short line near the top that
holds a year (a dateline, "Updated: ...").
"""

from __future__ import annotations

import re

# Markdown ("# Title") and wikitext ("= Title =") headings.
HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s+(?P<md>.+?)\s*#*|=+\s*(?P<wiki>[^=]+?)\s*=+)\s*$")
# List items and table rows are not titles.
NOT_TITLE = re.compile(r"^(?:[-*•·|]|\(?[0-9A-Za-z]\)|\d+[.)])\s")
MAX_TITLE = 90  # characters of a title shown before it is cut at a word
MAX_HEADING_LINE = 120  # a longer line is a paragraph, not a heading
HEAD_LINES = 6  # the date line is looked for among the first few non-empty lines
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)|[०-९]{4}")
SENTENCE_END = re.compile(r"(?<=[.!?।])\s")


def _cut(text: str, limit: int = MAX_TITLE) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return head + "…"


def _reads_as_heading(line: str, dateline: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if len(line) > MAX_HEADING_LINE:  # a paragraph, not a heading
        return False
    if len(letters) * 2 < len(line.replace(" ", "")) or NOT_TITLE.match(line):
        return False
    if "©" in line or line == dateline:
        return False
    cased = [c for c in letters if c.lower() != c.upper()]
    return not cased or any(c.isupper() for c in cased)


def document_title(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        m = HEADING.match(ln)
        if m:
            return _cut(m.group("md") or m.group("wiki"))
    dateline = date_line(text)
    for ln in lines[:HEAD_LINES]:
        if _reads_as_heading(ln, dateline) and not ln.endswith((".", "!", "?", "।")):
            return _cut(ln.rstrip(":"))
    prose = [ln for ln in lines if sum(c.isalpha() for c in ln) * 2 >= len(ln.replace(" ", ""))]
    if not prose:
        return ""
    return _cut(SENTENCE_END.split(prose[0], maxsplit=1)[0])


def date_line(text: str) -> str:
    """The first short line near the top that holds a year (a dateline), or ''."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:HEAD_LINES]
    for ln in lines:
        if len(ln) <= MAX_HEADING_LINE // 2 and YEAR.search(ln):
            return _cut(ln)
    return ""

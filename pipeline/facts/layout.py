"""Facts laid out outside running sentences.

Encyclopedia pages and their copies carry much of what they say in layout, not prose:

- list items on the lines after an introducing line ("... by five countries and Founder Members
  of the Organization:" then "- Iraq", "- Kuwait"; "These countries were later joined:" then
  "- Qatar (1961)"). The introducing line's cue gives every item its role; each item's own date
  (a bracketed year) is when, else the date of the introducing line, else for founders the
  founding date. A list introduced with a colon is the complete set (``Fact.complete``).
- infobox "label: value" lines ("Headquarters: Riyadh", "स्थापना: 1981", "Members: A, B, C",
  "Secretary-General: X"), also where the page lost its layout and the value is glued to the
  label ("मुख्यालयवियना").

Which characters open an item and which labels an infobox uses are data
(``data/<lang>/layout.yaml``); the cues are those of the sentence rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.core.config import DEFAULT, FactLimits
from pipeline.core.data import load_yaml
from pipeline.core.records import COUNTRY, DATE, LOC, NUMBER, PERSON, Cue, Fact, Mention, Sentence
from pipeline.core.schema import Role, Tense
from pipeline.facts.clause import mood_at
from pipeline.facts.context import (
    MEMBERSHIP_CUES,
    Ctx,
    hyphen_glued,
    make_fact,
    unlisted_place,
    within,
    word_keys,
)
from pipeline.language import iter_paragraphs
from pipeline.ner.base import Annotated
from pipeline.ner.cues import key, load_grammar, load_raw_grammar, load_roles
from pipeline.normalize import places

# Role of the items of a list by the cue of its introducing line (MEMBERSHIP_CUES order).
ITEM_ROLES = {
    "founding": ("member", "founding"),
    "joined": ("member", "joined"),
    "left": ("member", "left"),
    "suspended": ("member", "suspended"),
    "member_list": ("member", ""),
    "participation": ("member", ""),
    "non_member": ("non_member", ""),
    "declined": ("non_member", "declined"),
    "observer": ("non_member", "observer"),
}


@dataclass(frozen=True)
class Line:
    """One non-empty line of a document, and what stands on it."""

    start: int
    end: int
    lang: str
    mentions: tuple[Mention, ...]
    cues: tuple[Cue, ...]


@lru_cache(maxsize=4)
def layout_data(lang: str) -> dict[str, Any]:
    try:
        return dict(load_yaml(f"{lang}/layout.yaml"))
    except FileNotFoundError:
        return {}


def _lines(a: Annotated) -> Iterator[Line]:
    text = a.doc.text
    mentions = sorted(a.mentions, key=lambda m: (m.start, m.end))
    m_starts = [m.start for m in mentions]
    c_starts = [c.start for c in a.cues]
    langs = {seg.start: seg.lang for seg in a.doc.segments}
    for s, e in iter_paragraphs(text):
        lang = langs.get(s) or a.doc.lang
        span = Sentence(a.doc.doc_id, lang, s, e, text[s:e])
        yield Line(s, e, lang, tuple(within(mentions, m_starts, span)),
                   tuple(within(a.cues, c_starts, span)))


def _ctx(a: Annotated, line: Line, subject: str, founded_when: str,
         limits: FactLimits) -> Ctx:
    sent = Sentence(a.doc.doc_id, line.lang, line.start, line.end,
                    a.doc.text[line.start : line.end])
    return Ctx(a, sent, list(line.mentions), list(line.cues), subject, load_grammar(line.lang),
               founded_when=founded_when, parse_starts=[p.offset for p in a.parses],
               limits=limits)


def _body(text: str, line: Line) -> tuple[int, str]:
    """Where a line's content starts after its bullet, and that content."""
    raw = text[line.start : line.end]
    stripped = raw.lstrip()
    bullets = tuple(layout_data(line.lang).get("bullets", []) or [])
    if bullets and stripped.startswith(bullets):
        stripped = stripped[1:].lstrip()
    else:
        m = re.match(r"\d{1,2}[.)]\s+", stripped)
        if m:
            stripped = stripped[m.end():]
    return line.end - len(stripped), stripped


def _countries(text: str, line: Line) -> list[Mention]:
    found = [m for m in line.mentions if m.label == COUNTRY and m.kb_id]
    ends = frozenset(m.end for m in found)
    return [m for m in found if m.source != "gazetteer:demonym"
            and not hyphen_glued(text, m, ends)]


def _is_item(text: str, line: Line) -> bool:
    """A line that is one item of a list: a name or a few ("A and B (1961)"), its date, and at
    most a few other words; or a bulleted line that opens with a name."""
    names = _countries(text, line)
    start, _ = _body(text, line)
    if not names:
        # a place the gazetteers do not call a state ("- Tokelau (1981)") is an item of the
        # list too: the list goes on past it, though it gives no member
        places = [m for m in line.mentions if m.label == LOC and m.start <= start + 1]
        if not places:
            return False
        names = places
    cut = sorted((m.start, m.end) for m in line.mentions if m.label in (COUNTRY, DATE))
    rest, pos = [], start
    for s, e in cut:
        if s >= pos:
            rest.append(text[pos:s])
            pos = e
    rest.append(text[pos : line.end])
    extra = [w for w in word_keys(" ".join(rest)) if w not in {",", ";"}]
    limit = int(layout_data(line.lang).get("max_item_extra_words", 6))
    bulleted = start > line.start + (len(text[line.start : line.end])
                                     - len(text[line.start : line.end].lstrip()))
    opens = names[0].start - start <= 4
    return len(extra) <= limit or (bulleted and opens and len(extra) <= 2 * limit)


def _intro_cue(text: str, line: Line) -> Cue | None:
    """The membership cue of a line that introduces a list (it ends with a colon, or heads a
    bulleted list). Without one, a member noun makes its items members ("Members", "Member
    states"), or former members if a former word qualifies it ("Former members": they left)."""
    cues = [c for c in line.cues if c.name in MEMBERSHIP_CUES]
    if cues:
        return min(cues, key=lambda c: (MEMBERSHIP_CUES.index(c.name), c.start))
    g = load_raw_grammar(line.lang)
    words = set(word_keys(text[line.start : line.end]))
    if not words & {key(w) for w in g.get("member_nouns", []) or []}:
        return None
    former = {key(w) for w in g.get("former_words", []) or []}
    return Cue("left" if words & former else "member_list", line.start, line.end, "")


def layout_facts(a: Annotated, subject: str, founded_when: str,
                 limits: FactLimits = DEFAULT.facts) -> list[Fact]:
    """Facts of list items under an introducing line, and of infobox lines."""
    text = a.doc.text
    lines = list(_lines(a))
    out: list[Fact] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        if not (text[line.start : line.end].rstrip().endswith(":")
                or _section_header(text, line, lines[i + 1] if i + 1 < len(lines) else None,
                                   limits)):
            continue
        cue = _intro_cue(text, line)
        if cue is None:
            continue
        items = []
        for nxt in lines[i + 1 :]:
            if not _is_item(text, nxt):
                break
            items.append(nxt)
        if not items:
            continue
        out.extend(_item_facts(a, line, cue, items, subject, founded_when, limits))
        used.update(id(x) for x in items)
    for block in _rosters(text, lines, used, limits):
        out.extend(_roster_facts(a, block, subject, founded_when, limits))
        used.update(id(x) for x in block)
    for line in lines:
        if id(line) not in used:
            out.extend(_label_facts(a, line, subject, founded_when, limits, founded=False))
    return out


def _section_header(text: str, line: Line, nxt: Line | None, limits: FactLimits) -> bool:
    """A heading that introduces the bulleted list under it like a colon would ("Founding
    members", then "* Peru"): a short line with no state and no sentence end, before a
    bulleted line."""
    raw = text[line.start : line.end].strip()
    if (nxt is None or _countries(text, line) or raw.endswith((".", "।", "!", "?"))
            or len(raw.split()) > limits.max_header_words):
        return False
    start, _ = _body(text, nxt)
    lead = len(text[nxt.start : nxt.end]) - len(text[nxt.start : nxt.end].lstrip())
    return start > nxt.start + lead  # the next line opens with a bullet


def _opens_with_state(text: str, line: Line, limits: FactLimits) -> bool:
    """A short line, not a sentence, whose first word is a state ("Qatar 10 aircraft")."""
    names = _countries(text, line)
    start, body = _body(text, line)
    return (bool(names) and names[0].start <= start + 1
            and not body.rstrip().endswith((".", "।", ":"))
            and len(body.split()) <= limits.max_header_words
            and not any(c.name in MEMBERSHIP_CUES for c in line.cues))


def _rosters(text: str, lines: list[Line], used: set[int],
             limits: FactLimits) -> Iterator[list[Line]]:
    """Runs of lines that each open with a state, with no introducing line: an infobox block
    (the states of a coalition, each with its forces or share) whose label the copy lost. A run
    under a header line that says what the states are ("Supported by:", a table header with
    event columns) is that header's, not a roster."""
    i = 0
    while i < len(lines):
        j = i
        while (j < len(lines) and id(lines[j]) not in used
               and _opens_with_state(text, lines[j], limits)):
            j += 1
        if j - i >= limits.min_roster_lines and not _headed(text, lines, i, limits):
            yield lines[i:j]
        i = max(j, i + 1)


def _headed(text: str, lines: list[Line], first: int, limits: FactLimits) -> bool:
    """Whether a header stands just above line ``first``: a line ending with a colon, or a
    table header naming membership events."""
    for k in range(first - 1, max(-1, first - 1 - limits.max_header_gap_lines), -1):
        raw = text[lines[k].start : lines[k].end].rstrip()
        if raw.endswith(":") or _event_columns(text, lines[k]):
            return True
        if raw.endswith((".", "।")):
            return False
    return False


def _roster_facts(a: Annotated, block: list[Line], subject: str, founded_when: str,
                  limits: FactLimits) -> list[Fact]:
    """One undated membership per line of a roster: the state the line opens with (the others
    on the line qualify it)."""
    text = a.doc.text
    states = [_countries(text, line)[0] for line in block]
    listed = sorted({m.kb_id for m in states})
    return [make_fact(_ctx(a, line, subject, founded_when, limits), subject, "member",
                      object_kb_id=m.kb_id, value="member", note=f"roster of {len(listed)}")
            for line, m in zip(block, states, strict=True)]


# Event columns a table header may have, by the cue that names them ("Joined", "Left").
TABLE_EVENTS = ("joined", "left", "suspended")


def table_facts(a: Annotated, subject: str, founded_when: str,
                limits: FactLimits = DEFAULT.facts) -> list[Fact]:
    """Rows of a table whose header names membership events ("Country Region Joined Left"):
    each row that opens with a state gives one fact per event column, the k-th year of the row
    under the k-th event column. A join in the founding year is a founding membership."""
    text = a.doc.text
    lines = list(_lines(a))
    out: list[Fact] = []
    for i, header in enumerate(lines):
        cols = _event_columns(text, header)
        if (not cols or _countries(text, header)
                or len(text[header.start : header.end].split()) > limits.max_header_words):
            continue
        if text[header.start : header.end].rstrip().endswith((".", "।", ":")):
            continue  # a sentence, not a header row
        rows: list[Line] = []
        skipped = 0
        for nxt in lines[i + 1 :]:
            names = _countries(text, nxt)
            raw = text[nxt.start : nxt.end]
            lead = len(raw) - len(raw.lstrip(" \t|"))  # "| Peru | 1994 |": a pipe table's row
            is_row = (names and names[0].start <= nxt.start + lead + 1
                      and not raw.rstrip().endswith((".", "।"))
                      and len(raw.split()) <= limits.max_header_words
                      and not any(c.name in MEMBERSHIP_CUES for c in nxt.cues))
            if is_row:
                rows.append(nxt)
                continue
            if rows:
                break
            skipped += 1
            if skipped > limits.max_header_gap_lines:  # a caption, a units row
                break
        table = []
        for row in rows:
            state = _countries(text, row)[0]
            years = [m for m in row.mentions if m.label == DATE and m.kb_id and m.start > state.end]
            table.append((row, state, years))
        # Without a founding date in the text, the earliest join year that several rows share
        # is the founding year: the founders all "joined" then.
        first_year = founded_when[:4]
        if not first_year and cols[0].name == "joined":
            joins = sorted(y[0].kb_id[:4] for _r, _s, y in table if y)
            first_year = joins[0] if len(joins) > 1 and joins.count(joins[0]) > 1 else ""
        for row, state, years in table:
            ctx = _ctx(a, row, subject, founded_when, limits)
            for col, year in zip(cols, years, strict=False):
                role = col.name
                if role == "joined" and first_year and year.kb_id[:4] == first_year:
                    role = "founding"
                out.append(make_fact(ctx, subject, "member", object_kb_id=state.kb_id,
                                     value=role, role=role, when=year.kb_id))
    return out


def _event_columns(text: str, header: Line) -> list[Cue]:
    """The membership-event columns of a header line, in order (data: ``event_columns``)."""
    names = layout_data(header.lang).get("event_columns") or {}
    cols = []
    for m in re.finditer(r"\S+", text[header.start : header.end]):
        word = key(re.sub(r"\[.*$", "", m.group()))
        kind = next((k for k, ws in names.items() if word in {key(w) for w in ws}), None)
        if kind in TABLE_EVENTS:
            s = header.start + m.start()
            cols.append(Cue(kind, s, s + len(m.group()), m.group()))
    return cols


def founded_label_facts(a: Annotated, subject: str,
                        limits: FactLimits = DEFAULT.facts) -> list[Fact]:
    """Founding dates of infobox lines ("Founded: 25 May 1981", "स्थापना 1981"), and the start
    of an open period ("Date: 25 March 2015 – present")."""
    return [f for line in _lines(a)
            for f in _label_facts(a, line, subject, "", limits, founded=True)]


def _item_facts(a: Annotated, intro: Line, cue: Cue, items: list[Line], subject: str,
                founded_when: str, limits: FactLimits) -> list[Fact]:
    text = a.doc.text
    ictx = _ctx(a, intro, subject, founded_when, limits)
    predicate, role = ITEM_ROLES[cue.name]
    mood = mood_at(ictx, cue.start, cue.end)
    if predicate == "member" and role in ("", "founding", "joined") and mood.negated:
        predicate, role = "non_member", ""
    elif predicate == "member" and role in ("", "founding", "joined") and mood.prospective:
        predicate, role = "non_member", Role.CANDIDATE
    intro_dates = [m for m in intro.mentions if m.label == DATE and m.kb_id]
    intro_when = intro_dates[0].kb_id if intro_dates else ""
    if role == "founding":
        intro_when = intro_when or founded_when
    names = [m for item in items for m in _countries(text, item)]
    listed = sorted({m.kb_id for m in names})
    out = []
    for item in items:
        ctx = _ctx(a, item, subject, founded_when, limits)
        dates = [m for m in item.mentions if m.label == DATE and m.kb_id]
        when = dates[0].kb_id if dates else intro_when
        # a member item with a year of its own ("Panama (2011)" under "Members") joined then
        own = "joined" if predicate == "member" and not role and dates else role
        for m in _countries(text, item):
            out.append(make_fact(
                ctx, subject, predicate, object_kb_id=m.kb_id,
                value=m.kb_id if predicate == "non_member" else (own or "member"),
                role=own, when=when, tense=mood.tense, complete=predicate == "member",
                note=f"list of {len(listed)}" if len(listed) >= 2 else "",
                listed=len(listed) if len(listed) >= 2 else 0))
    return out


@lru_cache(maxsize=4)
def _labels(lang: str) -> list[tuple[str, str]]:
    """(folded label, what it labels), longest first; leader titles label leaders."""
    pairs = [(key(lbl), kind) for kind, lbls in (layout_data(lang).get("labels") or {}).items()
             for lbl in lbls or []]
    pairs += [(form, "leader") for form in load_roles()]
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def _label_facts(a: Annotated, line: Line, subject: str, founded_when: str,
                 limits: FactLimits, founded: bool) -> list[Fact]:
    """A short line opening with an infobox label: its value as a fact."""
    text = a.doc.text
    start, body = _body(text, line)
    words = body.split()
    if not words or len(words) > int(layout_data(line.lang).get("max_label_line_words", 14)):
        return []
    folded = key(body)
    for label, kind in _labels(line.lang):
        if not folded.startswith(label):
            continue
        after = folded[len(label) : len(label) + 1]
        glued = bool(after) and (after.isalnum() or "\u0900" <= after <= "\u097f")
        if (kind in ("founded", "period")) != founded:
            return []
        if glued and kind != "headquarters" and not (kind in ("founded", "period")
                                                     and after.isdigit()):
            return []  # only a place or a date is read from a value glued to its label
        ctx = _ctx(a, line, subject, founded_when, limits)
        value_start = start + len(label)
        return _label_value(ctx, kind, value_start, body, line)
    return []


def _label_value(ctx: Ctx, kind: str, value_start: int, body: str, line: Line) -> list[Fact]:
    ments = [m for m in line.mentions if m.start >= value_start - 1]
    if kind == "founded":
        dates = [m for m in ments if m.label == DATE and m.kb_id]
        return ([make_fact(ctx, ctx.subject, "founded", value=dates[0].kb_id,
                           when=dates[0].kb_id)] if dates else [])
    if kind == "period":
        # "Date: 25 March 2015 – present": an open period of the page's subject (an operation,
        # a coalition's campaign) starts when the coalition began acting
        dates = [m for m in ments if m.label == DATE and m.kb_id]
        if not dates:
            return []
        ranges = {key(w) for w in load_yaml(f"{line.lang}/date_lines.yaml").get(
            "range_words", []) or []}
        after = [w for w in word_keys(ctx.text[dates[0].end : line.end]) if w not in ranges]
        open_ends = {key(w) for w in layout_data(line.lang).get("open_ends", []) or []}
        if not ({" ".join(after[:1]), " ".join(after[:2])} & open_ends):
            return []
        return [make_fact(ctx, ctx.subject, "founded", value=dates[0].kb_id,
                          when=dates[0].kb_id)]
    if kind == "headquarters":
        locs = [m for m in ments if m.label == LOC and m.kb_id]
        place = locs[0].kb_id if locs else ""
        if not place:
            rest = ctx.text[value_start : line.end].strip(" :-–\t")
            first = re.split(r"[,(]", rest, maxsplit=1)[0].strip()
            place = places.place_id(first, ctx.sent.lang) or unlisted_place(first)
        return ([make_fact(ctx, ctx.subject, "headquarters", object_kb_id=place, value=place)]
                if place else [])
    if kind == "members":
        names = _countries(ctx.text, line)
        names = [m for m in names if m.start >= value_start - 1]
        numbers = [m for m in ments if m.label == NUMBER and m.kb_id]
        if len(names) < 2 and numbers and not any(
                ch.isalnum() for ch in ctx.text[value_start : numbers[0].start]):
            # "Members: 12", "Member states: 57 (2024)": the value is the count, dated by a
            # date the line gives
            dates = [m for m in ments if m.label == DATE and m.kb_id and m.start > numbers[0].end]
            return [make_fact(ctx, ctx.subject, "member_count", value=numbers[0].kb_id,
                              when=dates[0].kb_id if dates else "", tense=Tense.PRESENT)]
        if len(names) < 2:
            return []
        listed = sorted({m.kb_id for m in names})
        return [make_fact(ctx, ctx.subject, "member", object_kb_id=m.kb_id, value="member",
                          complete=True, note=f"list of {len(listed)}", listed=len(listed))
                for m in names]
    if kind == "leader":
        persons = [m for m in ments if m.label == PERSON and m.kb_id]
        if not persons:
            return []
        role = load_roles().get(key(body[: len(body)]), "")
        role = next((r for form, r in load_roles().items() if key(body).startswith(form)), role)
        return [make_fact(ctx, ctx.subject, "leader", object_kb_id=persons[0].kb_id,
                          value=persons[0].kb_id, role=role)]
    return []


"""Sentences + mentions + cues → Facts.

The rules here are language-independent: they react to cue names (from the pattern files), to
entity labels and to a few word-order facts of each language (the ``grammar`` section of the
pattern files: on which side of its verb a date or an organisation stands). Per sentence:

- ``founded`` cue + its date → founded (role from ``founded:<role>`` cues); a person introduced
  by a ``founder_agent`` cue ("by", "ने") → founder. Each founding cue takes the date on its
  grammatical side ("founded on 26 May 2001 ... launched on 9 July 2002" gives two facts).
- a membership cue + countries → one member or non_member fact per country. For membership events
  (joined, left, suspended) only the countries attached to the verb count ("Oman joined",
  "withdrawal of Australia", "ओमान ... में शामिल हुआ") and those chained after them ("followed by
  Viet Nam on ..., Lao PDR and Myanmar on ..."); each list item takes the date next to it.
  Countries that only qualify something else ("Abe of Japan", "जापान के प्रधानमंत्री") are left
  out unless they stand in a list.
- a number followed by a ``count_noun`` (or after a ``count_before`` cue) → member_count; its
  time is the date of the same clause, or the document's founding date when the sentence refers to
  the founding ("when it was announced").
- a ``leader_title`` + a person → leader with the canonical role of roles.yaml.
- a ``headquarters`` cue + a place → headquarters.
- a listed set of three or more members, not introduced as examples ("such as", "जैसे") →
  a derived member_count (derived=true).

A fact is about the run's subject unless a known organisation stands where the language puts
the organisation a cue is about ("The OAU, established in 1963" → subject OAU).
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.config import DEFAULT, FactLimits
from pipeline.core.records import DATE, ORG, Fact
from pipeline.core.schema import Role
from pipeline.facts.clause import reports_clause
from pipeline.facts.context import (
    Ctx,
    same_event,
    within,
)
from pipeline.facts.counts import (
    Count,
    count_facts,
    counted_list_facts,
    drop_state_counts,
    ordinal_count_facts,
    sentence_counts,
    states_alone,
)
from pipeline.facts.derived import derived_counts
from pipeline.facts.founding import founded_facts, founder_noun_facts
from pipeline.facts.headquarters import headquarters_facts
from pipeline.facts.layout import founded_label_facts, layout_facts, table_facts
from pipeline.facts.leaders import leader_facts
from pipeline.facts.led import constructions, leader_member_facts
from pipeline.facts.membership import member_facts
from pipeline.ner.base import Annotated
from pipeline.ner.cues import load_grammar


def extract_facts(annotated: list[Annotated], subject: str,
                  limits: FactLimits = DEFAULT.facts) -> list[Fact]:
    """Facts of every document, in document order, deduplicated within a document.
    ``limits``: the rules' limits (Settings.facts)."""
    facts: list[Fact] = []
    for a in annotated:
        facts.extend(_document_facts(a, subject, limits))
    return facts


def _document_facts(a: Annotated, subject: str, limits: FactLimits) -> list[Fact]:
    cues = a.cues
    mentions = sorted(a.mentions, key=lambda m: (m.start, m.end))
    m_starts, c_starts = [m.start for m in mentions], [c.start for c in cues]
    parse_starts = [p.offset for p in a.parses]
    ctxs = [
        Ctx(a, s, within(mentions, m_starts, s), within(cues, c_starts, s), subject,
            load_grammar(s.lang), parse_starts=parse_starts, limits=limits)
        for s in a.sentences
    ]
    out: list[Fact] = []
    # Pass 1: founding events, so that later sentences can refer to "when it was announced".
    for ctx in ctxs:
        out.extend(founded_facts(ctx))
    out.extend(founded_label_facts(a, subject, limits))
    # An announcement of the coalition, or the signing of its treaty, is its founding when the
    # text names no other plain founding, or when it is dated on the founding date (the same
    # event, told another way).
    known = {f.when for f in out
             if f.predicate == "founded" and f.subject == subject and f.when and not f.role}
    for ctx in ctxs:
        if not ctx.has("announced", "signed") or ctx.has("founded"):
            continue
        if all(reports_clause(ctx, c.start) for c in ctx.has("announced", "signed")):
            continue  # "announced that Uruguay had joined": the news is the joining
        dated = [d.kb_id for d in ctx.of(DATE)]
        if dated and (not known or any(same_event(d, k) for d in dated for k in known)):
            out.extend(founded_facts(ctx, announced=True))
    out = _later_stages(out)
    own = [f for f in out if f.predicate == "founded" and f.subject == subject and f.when]
    founded_when = next((f.when for f in own if not f.role), own[0].when if own else "")
    counted: list[list[Count]] = []
    led = sorted(constructions(a, limits=limits), key=lambda x: x.noun_start)
    named = any(m.label == ORG and m.kb_id == subject for m in a.mentions)
    for ctx in ctxs:
        ctx.founded_when = founded_when
        out.extend(member_facts(ctx))
        found = sentence_counts(ctx)
        counted.append(found)
        out.extend(count_facts(ctx, found))
        out.extend(counted_list_facts(ctx, found))
        out.extend(ordinal_count_facts(ctx))
        out.extend(leader_facts(ctx))
        out.extend(founder_noun_facts(ctx))
        out.extend(leader_member_facts(ctx, led, named))
        out.extend(headquarters_facts(ctx))
    out.extend(layout_facts(a, subject, founded_when, limits))
    out.extend(table_facts(a, subject, founded_when, limits))
    out.extend(derived_counts(out, founded_when, limits))
    out = drop_state_counts(out, set().union(*(states_alone(found) for found in counted)))
    return _dedupe(out)


def _later_stages(facts: list[Fact]) -> list[Fact]:
    """An organisation is founded once: within one document, a plain founding dated in a later
    month than the document's earliest is a later stage of it (a treaty signed in 1954 enters
    into force, or the body is formally instituted, in 1955) and takes the role ``launched``.
    Dates in the same month stay plain: the document may contradict itself, and the reviewer
    should see both."""
    plain: dict[str, list[str]] = {}
    for f in facts:
        if f.predicate == "founded" and not f.role and f.when:
            plain.setdefault(f.subject, []).append(f.when)
    first = {s: min(ws, key=lambda w: (w[:4], w)) for s, ws in plain.items()}

    def later(when: str, earliest: str) -> bool:
        if when[:4] != earliest[:4]:
            return when[:4] > earliest[:4]
        return len(when) >= 7 and len(earliest) >= 7 and when[:7] > earliest[:7]

    return [replace(f, role=Role.LAUNCHED)
            if f.predicate == "founded" and not f.role and f.when
            and later(f.when, first[f.subject]) else f for f in facts]


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per claim within a document: a dated duplicate replaces an undated one, a more
    precise date a coarser one. Two dates of one event that cannot be the same day stay two
    facts: the document contradicts itself, and a reviewer should see both."""
    seen: dict[tuple[str, ...], list[int]] = {}
    out: list[Fact] = []
    for f in facts:
        k: tuple[str, ...] = (
            f.subject,
            f.predicate,
            f.object_kb_id,
            f.value if f.predicate != "leader" else "",
            f.role,
            str(f.derived),
        )
        if f.predicate in ("member_count", "founded"):
            k = (*k, f.when)
        same = [i for i in seen.get(k, [])
                if not out[i].when or not f.when or same_event(out[i].when, f.when)]
        if same:
            i = same[0]
            if (not out[i].when and f.when) or (
                    out[i].when and f.when.startswith(out[i].when + "-")):
                out[i] = f
            continue
        seen.setdefault(k, []).append(len(out))
        out.append(f)
    return out

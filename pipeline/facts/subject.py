"""Which organisation a run, and each cue, is about."""

from __future__ import annotations

import bisect
from collections import Counter

from pipeline.core.config import (
    ORG_WINDOW,
)
from pipeline.core.records import ORG, Mention
from pipeline.facts.context import (
    FOUNDED_CUES,
    MEMBERSHIP_CUES,
    Ctx,
    grammar_patterns,
    known_org,
    word_keys,
)
from pipeline.facts.cues import Cue
from pipeline.ner.base import Annotated


def run_subject(annotated: list[Annotated]) -> str:
    """The run's subject: the organisation named in most documents, then the one most often
    named just before a founding, membership or count cue, then the one named most often."""
    docs_with: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    agent: Counter[str] = Counter()
    for a in annotated:
        orgs = sorted((m for m in a.mentions if m.label == ORG and m.kb_id), key=lambda m: m.end)
        ends = [m.end for m in orgs]
        mentions.update(m.kb_id for m in orgs)
        docs_with.update({m.kb_id for m in orgs})
        for c in a.cues:
            if c.name in (*FOUNDED_CUES, *MEMBERSHIP_CUES, "count_noun"):
                lo = bisect.bisect_left(ends, c.start - ORG_WINDOW)
                hi = bisect.bisect_right(ends, c.start)
                agent.update({m.kb_id for m in orgs[lo:hi]})
    if not mentions:
        return "subject"
    # An organisation never named near such a cue (an adversary, a venue) is not the subject
    # when another one is.
    cands = sorted(k for k in mentions if agent[k]) or sorted(mentions)
    return max(cands, key=lambda k: (docs_with[k], agent[k], mentions[k]))


def subject_for(ctx: Ctx, cue: Cue, kind: str) -> str:
    """The organisation a cue is about: a known organisation on the language's side of the cue."""
    side = ctx.grammar.get("org_side", {}).get(kind, "before")
    orgs = [m for m in ctx.ments if known_org(m)]
    before = [m for m in orgs if 0 <= cue.start - m.end <= ORG_WINDOW]
    after = [m for m in orgs if 0 <= m.start - cue.end <= ORG_WINDOW // 2]
    picks: list[Mention] = []
    if side.startswith("after"):
        picks = sorted(after, key=lambda m: m.start)[:1]
    if not picks and side.endswith("before"):
        picks = sorted(before, key=lambda m: -m.end)[:1]
    if not picks:
        return ctx.subject
    m = picks[0]
    # "GCC states", "GCC and regional countries": a group of states, not the organisation acting.
    if set(word_keys(ctx.text[m.end : m.end + 30])[:3]) & grammar_patterns().group_nouns:
        return ctx.subject
    return m.kb_id


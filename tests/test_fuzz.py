"""Random Unicode documents through the whole pipeline (no writing): no exception, and every
offset the outputs carry points at the text it claims to.

The documents mix Devanagari, Latin, digits, punctuation, control characters and real phrases
from the seeds (so that cues, dates, numbers and gazetteer names occur and facts get made).
The models load once (process() caches the backends), and few examples keep this test short.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

PHRASES = [
    "The coalition was announced on 15 December 2015 by Saudi Arabia.",
    "It had 34 member states when it was founded;",
    "Pakistan, Egypt, Turkey and Malaysia joined in 2016.",
    "General Raheel Sharif was appointed commander-in-chief.",
    "Its headquarters are in Riyadh.",
    "Oman joined the coalition in December 2016",
    "इस्लामिक सैन्य गठबंधन की घोषणा 15 दिसंबर 2015 को सऊदी अरब ने की थी।",
    "घोषणा के समय इसमें 34 देश शामिल थे।",
    "जनरल राहील शरीफ को इसका प्रमुख बनाया गया।",
    "इसका मुख्यालय रियाद में है।",
    "पाकिस्तान, मिस्र, तुर्की और मलेशिया",
    "१५ दिसंबर २०१५", "३४ देश", "thirty-four", "41", "2017-11-12",
]

DEVANAGARI = st.characters(min_codepoint=0x0900, max_codepoint=0x097F)
LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x24F,
                      blacklist_categories=("Cs",))
DIGITS = st.sampled_from("0123456789०१२३४५६७८९")
PUNCT = st.sampled_from(".,;:!?।॥-–—()[]\"'“”‘’/|&%   \n\t")
CONTROL = st.sampled_from("\x00\x07\x0b\x1b\x7f\x85\u200b\u200c\u200d\ufeff\ufffc\ufffd\u00ad\r"
                          "\u2028\u0301\u093c")
CHUNK = st.one_of(
    st.text(st.one_of(DEVANAGARI, LATIN, DIGITS, PUNCT, CONTROL), min_size=1, max_size=40),
    st.sampled_from(PHRASES),
    st.sampled_from(["\r\n", "\n\n", " \n ", "\u093e\u093e"]),
)
DOCUMENT = st.lists(CHUNK, min_size=1, max_size=25).map("".join)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(DOCUMENT, min_size=1, max_size=3))
def test_random_documents_keep_every_offset_valid(texts: list[str]) -> None:
    from pipeline.runtime.run import process

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, text in enumerate(texts):
            p = Path(tmp) / f"doc{i}.txt"
            p.write_text(text, "utf-8")
            paths.append(p)
        res = process(paths, quiet=True)
    by_id = {d.doc_id: d for d in res.documents}
    assert len(by_id) == len(res.documents)
    for p in res.problems:  # every problem names one of the inputs and is one line
        assert Path(p.path).name.startswith("doc") and "\n" not in p.problem
        assert "failed" not in p.problem, p  # the engine's guard caught an exception
    for m in res.mentions:
        doc = by_id[m.doc_id]
        assert 0 <= m.start < m.end <= len(doc.text)
        assert doc.text[m.start:m.end] == m.text, m
    for f in res.facts:
        doc = by_id[f.doc_id]
        assert doc.text[f.start:f.end] == f.evidence, f
    for d in res.documents:
        for s in d.segments:
            assert 0 <= s.start < s.end <= len(d.text)


# --- merging overlapping mentions -----------------------------------------------------------------

SOURCES = ["rule:date", "gazetteer", "gazetteer:demonym", "rule:number", "model", "rule:title",
           "rule:repeat", "unknown"]


@st.composite
def spans(draw: st.DrawFn) -> list:
    from pipeline.core.records import Mention

    out = []
    for _ in range(draw(st.integers(0, 25))):
        start = draw(st.integers(1000, 1060))
        end = start + draw(st.integers(0, 12))
        out.append(Mention("d", "en", start, end, "x" * (end - start),
                           draw(st.sampled_from(["COUNTRY", "PERSON", "DATE"])), "",
                           "", draw(st.sampled_from(SOURCES))))
    return out


@given(spans())
@settings(max_examples=300, deadline=None)
def test_merge_keeps_what_the_plain_greedy_rule_keeps(mentions: list) -> None:
    # The rule, written the obvious quadratic way: in rank order, keep a non-empty span that
    # overlaps nothing kept so far; the result in document order. A titled name holding a
    # shorter model span ranks with the model instead: that case is tested on hand-built spans
    # in test_ner.py, and left out here so that this oracle stays the plain rule.
    from hypothesis import assume

    from pipeline.ner.base import PRIORITY, merge_mentions

    assume(not any(
        m.source == "rule:title" and o.source == "model"
        and o.end > o.start and m.start <= o.start and o.end <= m.end
        and o.end - o.start < m.end - m.start for m in mentions for o in mentions))

    def rank(m: Any) -> int:
        return PRIORITY.get(m.source, 9)

    ranked = sorted(mentions, key=lambda m: (rank(m), -(m.end - m.start), m.start, m.label))
    kept: list = []
    for m in ranked:
        if m.end > m.start and all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    assert merge_mentions(mentions) == sorted(kept, key=lambda m: m.start)

"""What all NER backends share: the Annotated record, gazetteer matching, and mention merging.

Merging policy (documented in README "How entities are found"): rules are precise for closed
classes, models for open ones. So dates and numbers come from the normalisers' finders, countries,
organisations and places from gazetteers built from CLDR and our alias files, and persons (plus
organisations and places no gazetteer knows) from the statistical model or, in Hindi, from
title-anchored rules. Where spans overlap the higher-priority source wins, then the longer span.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.matcher import PhraseMatcher

from pipeline.core.config import DEFAULT
from pipeline.core.records import (
    COUNTRY,
    DATE,
    LOC,
    NUMBER,
    ORG,
    PERSON,
    Cue,
    Document,
    Mention,
    Parse,
    Segment,
    Sentence,
)
from pipeline.ner.cues import find_cues, load_raw_grammar
from pipeline.ner.org_phrases import find_org_phrases
from pipeline.normalize import countries, dates, devanagari, numbers, orgs, places

# The score of a gazetteer match found only through the Devanagari fold, not as listed.
FOLD_SCORE = 0.95

# Lower number wins an overlap.
PRIORITY = {
    "rule:date": 0,
    "rule:byline": 0,
    "gazetteer": 1,
    "gazetteer:demonym": 2,
    "rule:number": 3,
    "rule:org": 4,  # an organisation noun phrase (ner/org_phrases.py); same rank as the model
    "model": 4,
    "rule:name": 4,  # a model person completed from the parse (english.name_start)
    "rule:title": 5,
    "rule:romanised": 5,  # a state found by its romanised name (ner/hindi.py)
    "rule:repeat": 6,
}


@dataclass
class Annotated:
    """One document after NER: its sentences, mentions, fact cues and per-paragraph parses.

    Cues are matched while spaCy's Doc of a paragraph is at hand; ``parses`` then keeps only
    the compact ``Parse`` of each (in document order), so that a document's memory does not grow
    with spaCy's per-token structures and documents cross process boundaries cheaply.
    """

    doc: Document
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    parses: list[Parse] = field(default_factory=list)


def compact_parse(sdoc: Any, offset: int, lang: str) -> Parse:
    """The Parse record of a spaCy Doc covering ``doc.text[offset:]`` (see records.Parse)."""
    n = len(sdoc)
    raw = sdoc.to_array(list(Parse.INT_COLUMNS)).reshape(n, -1)
    ints = raw.view(numpy.int64).copy()  # HEAD is relative, and may be negative
    ints[:, 3] += numpy.arange(n, dtype=numpy.int64)  # → the head's index
    ints = ints.astype(numpy.int32)
    labels = sdoc.to_array(list(Parse.LABEL_COLUMNS)).reshape(n, -1)
    length = int(ints[-1, 0] + ints[-1, 1] + ints[-1, 2]) if n else 0
    # Doc.has_annotation("DEP") would build a Token object per token of an unparsed paragraph.
    return Parse(offset, length, lang, ints, labels, bool(labels[:, 0].any()) if n else False)


def keep_parse(a: Annotated, sdoc: Any, offset: int, text: str, lang: str) -> None:
    """Match the fact cues on a parsed paragraph and keep its compact Parse."""
    a.cues.extend(find_cues(lang, sdoc, offset, text))
    a.parses.append(compact_parse(sdoc, offset, lang))


def build_phrase_matcher(nlp: Language, table: dict[str, str], attr: str,
                         key_fn: Callable[[str], str]) -> PhraseMatcher:
    """A PhraseMatcher over the surface forms of ``table`` (surface → kb_id).

    ``key_fn`` maps a surface form to the token attribute value we match on (lowercase for
    English, a Devanagari fold for Hindi), so spelling variants match without listing each one.
    """
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    by_kb: dict[str, list[Any]] = {}
    for surface, kb in sorted(table.items()):
        pattern = nlp.make_doc(surface)
        if attr == "NORM":
            for tok in pattern:
                tok.norm_ = key_fn(tok.text)
        by_kb.setdefault(kb, []).append(pattern)
    for kb, patterns in by_kb.items():
        matcher.add(kb, patterns)
    return matcher


class SpacyBackend:
    """What the spaCy backends share: pipe the routed paragraphs in batches, keep each one's
    sentences, mentions, fact cues and compact parse (the spaCy Doc itself is let go).

    Subclasses set ``lang``, ``nlp``, ``settings`` and ``gazetteers`` and implement
    ``model_entity`` (plus the other hooks of ``mentions`` as their language needs); ``prepare``
    (per parse, before anything reads it) and ``finish`` (per document, after all its
    paragraphs in every language: ``finish_document``) are hooks for what differs by language.
    """

    lang = ""
    nlp: Language
    settings: Any
    gazetteers: Gazetteers

    def process(self, results: list[Annotated], items: list[tuple[int, int, int]]) -> None:
        texts = (results[i].doc.text[s:e] for i, s, e in items)
        parses = self.nlp.pipe(texts, batch_size=self.settings.batch_size)
        for (i, s, e), sdoc in zip(items, parses, strict=True):
            a = results[i]
            # The paragraph's text is sliced from ours: spaCy's Doc.text and Span.text rebuild
            # the string token by token on every call.
            text = a.doc.text[s:e]
            self.prepare(sdoc)
            keep_parse(a, sdoc, s, text, self.lang)
            for sent in sdoc.sents:
                sent_text = text[sent.start_char:sent.end_char]
                if sent_text.strip():
                    a.sentences.append(Sentence(a.doc.doc_id, self.lang, s + sent.start_char,
                                                s + sent.end_char, sent_text))
            a.mentions.extend(self.mentions(a.doc.doc_id, sdoc, s, text))

    def prepare(self, sdoc: Any) -> None:
        """Per-language token preparation (the Hindi backend folds NORM)."""

    def finish(self, a: Annotated) -> None:
        """Per-document work after all paragraphs (the Hindi backend re-finds repeated names)."""

    def mentions(self, doc_id: str, sdoc: Any, offset: int, text: str) -> list[Mention]:
        """The mentions of one parsed paragraph ``sdoc`` whose text is ``text``.

        One skeleton for every language, so the merge policy (base.py's docstring) is applied
        alike: gazetteers, the model's entities under our labels, the language's own rules,
        dates, numbers, then the merge. What differs by language lives in the hooks below.
        """
        sink = Collector(doc_id, self.lang, sdoc, offset, text, self.gazetteers)
        for ent in sdoc.ents:
            mapped = self.model_entity(ent)
            span = None if mapped is None else self.model_span(ent, mapped[0])
            if mapped is not None and span is not None:
                sink.add(span[0], span[1], mapped[0], mapped[1], "model", role=span[2])
        self.rule_mentions(sdoc, text, sink)
        for start, end, iso in dates.find_dates(text, self.lang):
            sink.add(start, end, DATE, iso, "rule:date")
        for start, end, value in numbers.find_numbers(text, self.lang):
            if self.keep_number(text[start:end]):
                sink.add(start, end, NUMBER, numbers.format_number(value), "rule:number")
        self.org_phrases(sdoc, sink)
        return self.post(merge_mentions(sink.found), text, offset)

    def org_phrases(self, sdoc: Any, sink: Collector) -> None:
        """Organisation names no gazetteer lists: noun phrases headed by an organisation word
        (issue 14). A country (not a demonym: "अफ्रीकी एकता संगठन"), person, date or number
        ends a Hindi phrase's qualifiers; a place does not ("दक्षिण एशियाई ...")."""
        spans = [(m.start - sink.offset, m.end - sink.offset) for m in sink.found
                 if m.label in (COUNTRY, PERSON, DATE, NUMBER) and m.source != "gazetteer:demonym"]
        blocked = {t.i for t in sdoc if any(s <= t.idx < e for s, e in spans)}
        for start, end, score in find_org_phrases(sdoc, self.lang, blocked):
            sink.add(start, end, ORG, "", "rule:org", score=score)

    def model_entity(self, ent: Any) -> tuple[str, str] | None:
        """(label, kb_id) of a model entity under our labels; None drops it."""
        raise NotImplementedError

    def model_span(self, ent: Any, label: str) -> tuple[int, int, str] | None:
        """(start_char, end_char, role) of a model entity under ``label``; None drops it. The
        Hindi backend takes a title out of the front of a person (its role, as the title rule's)."""
        return ent.start_char, ent.end_char, ""

    def rule_mentions(self, sdoc: Any, text: str, sink: Collector) -> None:
        """Mentions the language's own rules find (English bylines, Hindi titled persons)."""

    def keep_number(self, surface: str) -> bool:
        """Whether a number the finder found is a mention (Hindi drops a lone एक)."""
        return True

    def post(self, merged: list[Mention], text: str, offset: int) -> list[Mention]:
        """A last pass over the merged mentions of a paragraph (English joins split names)."""
        return merged


class Collector:
    """Collects the mentions found in one parsed paragraph (``sdoc``) at ``offset`` in the
    document: spans relative to the paragraph become Mentions with document offsets. Gazetteer
    matches go in at construction, since every backend wants them first."""

    def __init__(self, doc_id: str, lang: str, sdoc: Any, offset: int, text: str,
                 gazetteers: Gazetteers) -> None:
        self.doc_id, self.lang, self.text, self.offset = doc_id, lang, text, offset
        self.found: list[Mention] = []
        for start, end, label, kb, source, score in gazetteers(sdoc):
            self.add(start, end, label, kb, source, score)

    def add(self, start: int, end: int, label: str, kb: str, source: str,
            score: float = 1.0, role: str = "") -> None:
        self.found.append(Mention(self.doc_id, self.lang, self.offset + start, self.offset + end,
                                  self.text[start:end], label, kb, "", source, score, role))


class Gazetteers:
    """Country, demonym, organisation and place gazetteers of one language as PhraseMatchers.

    English matches on lowercase, Hindi on the Devanagari fold (the backend sets each token's
    NORM to it), so spelling variants match without listing each one.
    """

    KINDS = (("country", "COUNTRY", "gazetteer"), ("demonym", "COUNTRY", "gazetteer:demonym"),
             ("org", "ORG", "gazetteer"), ("place", "LOC", "gazetteer"))

    def __init__(self, nlp: Language, lang: str, orgs_file: Path | None = None) -> None:
        self.orgs_file = orgs_file  # Settings.orgs_file (None: the package's orgs.yaml)
        # the token attribute a language's names are matched on (its grammar data): lowercase,
        # or the Devanagari fold the backend writes into NORM
        attr = str(load_raw_grammar(lang).get("match_attr", "LOWER"))
        key_fn = devanagari.fold if attr == "NORM" else str.lower
        # Names in the other script stand in either language's text ("OPEC", "Saudi Arabia"
        # inside a Hindi sentence): each table holds every configured language's forms, this
        # language's last so that its own forms win.
        others = [x for x in DEFAULT.languages if x != lang] + [lang]
        tables = {"country": {k: v for x in others for k, v in countries.gazetteer(x).items()},
                  "demonym": countries.demonym_gazetteer(lang),
                  "org": {k: v for x in others
                          for k, v in orgs.gazetteer(x, orgs_file=orgs_file).items()},
                  "place": {k: v for x in others for k, v in places.gazetteer(x).items()}}
        self.strings = nlp.vocab.strings
        self.matchers = {k: build_phrase_matcher(nlp, t, attr, key_fn) for k, t in tables.items()}
        # the forms as listed: a match only through the fold ("वर्मा", a surname, folds to
        # बर्मा, Burma) is marked, and yields to a person's name that holds it (merge_mentions)
        self.exact = ({k: frozenset(t) for k, t in tables.items()} if attr == "NORM" else None)

    def __call__(self, sdoc: Any) -> list[tuple[int, int, str, str, str, float]]:
        """(start_char, end_char, label, kb_id, source, score) of every gazetteer match; a
        match only through the fold scores ``FOLD_SCORE``."""
        out = []
        for name, label, source in self.KINDS:
            for match_id, ts, te in self.matchers[name](sdoc):
                span = sdoc[ts:te]
                folded = self.exact is not None and span.text not in self.exact[name]
                out.append((span.start_char, span.end_char, label, self.strings[match_id],
                            source, FOLD_SCORE if folded else 1.0))
        return out


def _containing(indexed: tuple[list[int], list[tuple[int, int]]], m: Mention,
                longest: int) -> list[tuple[int, int]]:
    """The spans of a start-sorted list that hold ``m`` and are longer than it (the scan goes
    back only as far as ``longest``, the length of the list's longest span, reaches)."""
    starts, spans = indexed
    hi = bisect.bisect_right(starts, m.start)
    lo = bisect.bisect_left(starts, m.start - longest)
    return [(s, e) for s, e in spans[lo:hi]
            if m.end <= e and (e - s) > (m.end - m.start)]


def _by_start(mentions: Iterable[Mention]) -> tuple[list[int], list[tuple[int, int]]]:
    spans = sorted((m.start, m.end) for m in mentions)
    return [s for s, _e in spans], spans


def _inside(indexed: tuple[list[int], list[tuple[int, int]]], m: Mention,
            strict: bool = True) -> list[tuple[int, int]]:
    """The spans of a start-sorted list that lie inside ``m`` (shorter than it when
    ``strict``), found by bisect."""
    starts, spans = indexed
    lo, hi = bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)
    return [(s, e) for s, e in spans[lo:hi]
            if e <= m.end and (not strict or (e - s) < (m.end - m.start))]


def merge_mentions(mentions: Iterable[Mention]) -> list[Mention]:
    """Resolve overlaps: priority of the source, then the longer span, then the earlier start.

    A span is kept when none of its characters is covered by a span kept before it; coverage is
    one byte per character of the stretch the mentions cover, so a whole large document merges
    in linear-logarithmic time (sorting), not quadratic.
    """
    spans = [m for m in mentions if m.end > m.start]
    # Two lifts, each a span that holds a shorter one taking that one's rank, so that the longer
    # wins (spans found by bisect over start-sorted lists: the merge stays n log n):
    # - a name after a title ("महासचिव पेट्रिका स्कॉटलैंड ने") is a person even where the model
    #   read a word of it as a place or an organisation, and the full name where the model cut
    #   a long name short ("अल थानी" of "तमीम बिन हमद अल थानी"; issue 18);
    # - an organisation named after a place ("Lima Group", "लीमा समूह") is an organisation, when
    #   the place runs into the name with a space ("LIMA - The Andean ..." of a dateline is a
    #   place, then a name) and no state stands inside ("Angola Africa" of a table row).
    model_spans = _by_start(m for m in spans if m.source == "model")
    places = _by_start(m for m in spans if m.source == "gazetteer" and m.label == LOC)
    states = _by_start(m for m in spans if m.label == COUNTRY)
    lifted = {id(m) for m in spans if m.source == "rule:title" and _inside(model_spans, m)}
    named_after = {id(m) for m in spans if m.label == ORG
                   and m.source in ("rule:org", "model")
                   and any(m.text[e - m.start : e - m.start + 2][:1] == " "
                           and m.text[e - m.start + 1 : e - m.start + 2].isalnum()
                           for _s, e in _inside(places, m))
                   and not _inside(states, m, strict=False)}

    # a state matched only through the fold inside a longer person ("सुनीता वर्मा": Verma,
    # not Burma) is a word of the name
    persons = _by_start(m for m in spans if m.label == PERSON
                        and m.source in ("model", "rule:title"))
    longest = max((e - s for s, e in persons[1]), default=0)
    folded_in_name = {id(m) for m in spans if m.source.startswith("gazetteer")
                      and m.score == FOLD_SCORE and _containing(persons, m, longest)}

    def rank(m: Mention) -> int:
        if id(m) in folded_in_name:
            return PRIORITY["rule:repeat"] + 1
        if id(m) in named_after:
            return PRIORITY["gazetteer"]
        return PRIORITY["model"] if id(m) in lifted else PRIORITY.get(m.source, 9)

    ranked = sorted(spans, key=lambda m: (rank(m), -(m.end - m.start), m.start, m.label))
    if not ranked:
        return []
    base = min(m.start for m in ranked)
    covered = bytearray(max(m.end for m in ranked) - base)
    kept: list[Mention] = []
    for m in ranked:
        s, e = m.start - base, m.end - base
        if 1 in covered[s:e]:
            continue
        covered[s:e] = b"\x01" * (e - s)
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def join_adjacent_persons(mentions: list[Mention], text: str, offset: int = 0) -> list[Mention]:
    """Two person spans separated by one space are one name the model split ("Abd Rabbu" +
    "Mansur Hadi"): a person never directly follows another without a comma or "and".
    ``text`` is the paragraph the mentions were found in, starting at ``offset``."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        prev = out[-1] if out else None
        if (prev is not None and prev.label == m.label == "PERSON"
                and text[prev.end - offset:m.start - offset] == " "):
            joined = text[prev.start - offset:m.end - offset]
            out[-1] = Mention(prev.doc_id, prev.lang, prev.start, m.end, joined,
                              "PERSON", "", "", prev.source, min(prev.score, m.score), prev.role)
            continue
        out.append(m)
    return out


def segment_lang(doc: Document, seg: Segment, settings: Any) -> str:
    """The backend language of a paragraph: its own when supported, else its document's; ''
    when neither is supported (the paragraph is not annotated)."""
    lang = seg.lang if seg.lang in settings.languages else doc.lang
    return lang if lang in settings.languages else ""


def annotate(docs: list[Document], settings: Any = None,
             finish: bool = True) -> list[Annotated]:
    """Run the configured backend over every document, paragraph by paragraph.

    ``finish=False`` leaves out ``finish_document``, for an engine that annotates parts of a
    document apart and finishes the whole once its parts are joined.
    """
    # the registry imports the backends, which build on this module: a cycle at import time
    from pipeline.ner.registry import get_backend

    settings = settings or DEFAULT
    routed: dict[str, list[tuple[int, int, int]]] = {}
    results = [Annotated(doc=d) for d in docs]
    for i, d in enumerate(docs):
        for seg in d.segments or ():
            lang = segment_lang(d, seg, settings)
            if lang:
                routed.setdefault(lang, []).append((i, seg.start, seg.end))
    for lang, items in sorted(routed.items()):
        get_backend(lang, settings).process(results, items)
    for a in results:
        if finish:
            finish_document(a, settings)
        else:
            tidy(a)
    return results


def finish_document(a: Annotated, settings: Any) -> None:
    """The per-document step of each language's backend (after all paragraphs), then tidy."""
    from pipeline.ner.registry import get_backend  # the backends build on this module

    for lang in sorted({segment_lang(a.doc, s, settings) for s in a.doc.segments} - {""}):
        get_backend(lang, settings).finish(a)
    tidy(a)


def tidy(a: Annotated) -> None:
    """Everything in document order (cues once each), whatever order paragraphs came in."""
    a.mentions = sorted(a.mentions, key=lambda m: (m.start, m.end))
    a.sentences = sorted(a.sentences, key=lambda s: s.start)
    a.cues = sorted(set(a.cues), key=lambda c: (c.start, c.end, c.name))
    a.parses = sorted(a.parses, key=lambda p: p.offset)

"""Typed records passed from one stage to the next.

Every stage takes and returns these plain frozen dataclasses, so a reader can follow one document
from file to fact table. Offsets are always character offsets into ``Document.text`` (the
normalised text), so ``doc.text[m.start:m.end] == m.text`` holds for every mention.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import numpy
    from numpy.typing import NDArray

from pipeline.core.schema import CellValue

# Entity labels (SCHEMA.md "Identifiers").
COUNTRY = "COUNTRY"
PERSON = "PERSON"
ORG = "ORG"
LOC = "LOC"
DATE = "DATE"
NUMBER = "NUMBER"
LABELS = (COUNTRY, PERSON, ORG, LOC, DATE, NUMBER)


@dataclass(frozen=True)
class Problem:
    """A per-file problem: reported on stderr and in run.json, never a traceback."""

    path: str
    problem: str
    skipped: bool = True


@dataclass(frozen=True)
class Segment:
    """A paragraph (or part of one) with its detected language."""

    start: int
    end: int
    lang: str
    confidence: float


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str
    text: str
    sha256: str
    encoding: str = "utf-8"
    lang: str = ""
    lang_confidence: float = 0.0
    segments: tuple[Segment, ...] = ()
    # The article's own date (ISO 8601 at the written precision) and where it was read (a date
    # line, a byline, "Updated:", a dated heading): undated present-tense statements hold then.
    date: str = ""
    date_source: str = ""


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    lang: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Cue:
    """A match of a fact cue pattern (``data/<lang>/fact_patterns.yaml``): the phrase class's
    name ("joined", "count_noun", ...) and where it stands."""

    name: str
    start: int  # absolute character offsets into Document.text
    end: int
    text: str


@dataclass(frozen=True, eq=False)
class Parse:
    """What the fact stage reads of one parsed paragraph, kept instead of spaCy's Doc (many
    times larger, and costly to send between processes): where the paragraph is, and per token
    its character offset (in the paragraph), length, trailing space, head and POS (``ints``,
    n × 5 in INT_COLUMNS order; POS is spaCy's univ_pos id) and its dependency label, tag and
    lemma (``labels``, n × 3 spaCy string ids). ``has_deps``: whether a parser set heads and
    labels. Read them through the named accessors, not by column number.
    """

    offset: int
    length: int
    lang: str
    ints: NDArray[numpy.int32]
    labels: NDArray[numpy.uint64]
    has_deps: bool

    INT_COLUMNS: ClassVar[tuple[str, ...]] = ("IDX", "LENGTH", "SPACY", "HEAD", "POS")
    LABEL_COLUMNS: ClassVar[tuple[str, ...]] = ("DEP", "TAG", "LEMMA")

    @property
    def end(self) -> int:
        return self.offset + self.length

    def __len__(self) -> int:
        return len(self.ints)

    def start_of(self, i: int) -> int:
        """Document offset of token ``i``."""
        return self.offset + int(self.ints[i, 0])

    def end_of(self, i: int) -> int:
        """Document offset just after token ``i``."""
        return self.offset + int(self.ints[i, 0] + self.ints[i, 1])

    def head(self, i: int) -> int:
        return int(self.ints[i, 3])

    def pos(self, i: int) -> int:
        """spaCy's univ_pos id (spacy.symbols.VERB, ...)."""
        return int(self.ints[i, 4])

    def dep(self, i: int) -> int:
        """String id of the dependency label (spacy.strings.get_string_id("nsubj"))."""
        return int(self.labels[i, 0])

    def tag(self, i: int) -> int:
        return int(self.labels[i, 1])

    def lemma(self, i: int) -> int:
        return int(self.labels[i, 2])

    def children(self, i: int) -> list[int]:
        """Tokens whose head is ``i`` (a scan: paragraphs are short, the callers few)."""
        import numpy

        heads = self.ints[:, 3]
        return [int(j) for j in numpy.nonzero(heads == i)[0] if int(j) != i]

    def token_at(self, pos: int) -> int | None:
        """The token whose text holds document offset ``pos`` (the first token of spaCy's
        ``char_span(pos, pos + 1, alignment_mode="expand")``), or None in white space."""
        import numpy

        rel = pos - self.offset
        i = int(numpy.searchsorted(self.ints[:, 0], rel, side="right")) - 1
        if i < 0 or rel >= self.ints[i, 0] + self.ints[i, 1]:
            return None
        return i


@dataclass(frozen=True)
class Mention:
    """One entity mention. ``kb_id`` follows SCHEMA.md; ``role`` keeps a stripped title."""

    doc_id: str
    lang: str
    start: int
    end: int
    text: str
    label: str
    kb_id: str = ""
    canonical: str = ""
    source: str = ""
    score: float = 1.0
    role: str = ""


@dataclass(frozen=True)
class Entity:
    """A reconciled entity: all mentions in all documents that share (kb_id, label)."""

    kb_id: str
    label: str
    canonical: str
    mentions: tuple[Mention, ...] = ()
    # persons: how the canonical name was found (english / known / romanised / ambiguous: ...)
    person_link: str = ""


@dataclass(frozen=True)
class Fact:
    """One claim a document makes. ``when`` is ISO 8601 at the written precision, or ''.

    ``when`` is the time of the event or state the text gives in the statement itself; ``as_of``
    is the time the statement is taken to hold and ``as_of_source`` where that comes from
    (schema.TimeSource: stated, the founding date, the document's date, or unknown). ``tense``
    is the clause's (schema.Tense). ``complete``: a member fact from a list introduced as the
    complete set ("The founding members are: ..."), so a count of that list counts as stated.
    """

    doc_id: str
    lang: str
    subject: str
    predicate: str
    object_kb_id: str = ""
    value: str = ""
    when: str = ""
    role: str = ""
    derived: bool = False
    evidence: str = ""
    start: int = 0
    end: int = 0
    note: str = ""
    as_of: str = ""
    as_of_source: str = ""
    tense: str = ""
    complete: bool = False
    listed: int = 0  # the size of the list this member fact is an item of (0: not in a list)

    @property
    def fact_id(self) -> str:
        from hashlib import sha1

        key = "|".join(
            [self.doc_id, self.predicate, self.object_kb_id, self.value, self.when, self.role,
             str(self.derived), str(self.start)]
        )
        return sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class FactRow:
    """One row of the consolidated fact table: typed values per document (``cells``), the facts
    they come from, the grade (schema.Status) and the reason in words.

    ``key`` names the row for people (it holds the subject as extracted); ``id_key`` is the same
    key with the run's subject replaced by a placeholder, so ``conflict_id`` does not change when
    only the subject's display label does (review decisions stay attached).
    """

    key: str
    subject: str
    predicate: str
    object_kb_id: str
    when: str
    role: str
    cells: tuple[CellValue, ...] = ()
    facts: tuple[Fact, ...] = ()
    status: str = "single_source"
    conflict: bool = False
    explanation: str = ""
    id_key: str = ""

    @property
    def conflict_id(self) -> str:
        """Stable id of this row: depends only on its key, not on other rows or inputs."""
        from hashlib import sha1

        return sha1((self.id_key or self.key).encode("utf-8")).hexdigest()[:10]

    def values_of(self, doc_id: str) -> list[CellValue]:
        """The values one document gives in this row, in document order."""
        return [c for c in self.cells if c.doc_id == doc_id]

    @property
    def doc_ids(self) -> list[str]:
        """Documents with a value in this row, in the row's order."""
        return list(dict.fromkeys(c.doc_id for c in self.cells))

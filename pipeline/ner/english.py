"""English NER: spaCy en_core_web_sm for persons and organisations, gazetteers and the date and
number finders for the closed classes (see base.py for the merge policy)."""

from __future__ import annotations

import importlib
import re
from dataclasses import replace
from typing import Any

import spacy
from spacy.language import Language

from pipeline.core.config import Settings
from pipeline.core.data import load_yaml
from pipeline.core.errors import BackendUnavailable
from pipeline.core.records import COUNTRY, DATE, LOC, ORG, PERSON, Mention
from pipeline.ingest import DATELINE
from pipeline.ner.base import (
    Annotated,
    Collector,
    Gazetteers,
    SpacyBackend,
    join_adjacent_persons,
)
from pipeline.normalize import countries, names


def byline_pattern() -> re.Pattern[str]:
    """A byline ("By Antonino Occhiuto" alone on a line) names the author: a person, whatever
    the small model thinks of an unfamiliar name. Its opening words are data (bylines.yaml)."""
    words = load_yaml("en/bylines.yaml")["words"]
    opener = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^\s*(?:{opener})\s+((?:[A-Z][\w'’.-]+\s?){{2,4}})\s*$")


BYLINE = byline_pattern()

# OntoNotes labels (spaCy's English models, Stanza's English NER) → ours. GPE/LOC become COUNTRY
# when they name a country; NORP counts only as a demonym of a state; DATE, CARDINAL etc. are
# left to the rule finders.
MODEL_LABELS = {"PERSON": PERSON, "ORG": ORG, "GPE": LOC, "LOC": LOC, "NORP": COUNTRY}


def map_ontonotes(label: str, surface: str, lang: str) -> tuple[str, str] | None:
    """(our label, kb_id) of an OntoNotes-typed entity, or None when it is no mention of ours.

    Shared by the spaCy and Stanza English backends so both map entities the same way.
    """
    ours = MODEL_LABELS.get(label)
    if ours is None:
        return None
    if ours == COUNTRY:
        kb = countries.demonym_code(surface, lang) or ""
        return (COUNTRY, kb) if kb else None
    if ours == LOC:
        kb = countries.country_code(surface, lang) or ""
        return (COUNTRY, kb) if kb else (LOC, "")
    return ours, ""


FOOTNOTE_END = re.compile(r"[.!?]\s?\[\d+\]\s*$")
# Tokens a footnote mark spans before a sentence start (".", "[", "12", "]"), with room to spare.
FOOTNOTE_TOKENS = 6


@Language.component("sentence_hints")
def sentence_hints(doc: Any) -> Any:
    """Boundaries the small parser gets wrong in encyclopedia text: no sentence starts right
    after ":", ";" or "," ("the Founding Fathers of ASEAN: Indonesia, ..."), and one starts
    after a footnote mark that follows a full stop ("... from China.[2] Other reasons").

    The footnote test reads only the few tokens before "]": rebuilding the paragraph's text up
    to each "]" would be quadratic in long paragraphs.
    """
    prev = ""
    for i, tok in enumerate(doc):
        if prev in (":", ";", ","):
            tok.is_sent_start = False
        elif prev == "]" and FOOTNOTE_END.search(doc[max(0, i - FOOTNOTE_TOKENS) : i].text):
            tok.is_sent_start = True
        prev = tok.text
    return doc


def load_english(settings: Settings) -> Language:
    """The first installed English pipeline of ``settings.english_models``."""
    errors = []
    for name in settings.english_models:
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            errors.append(f"{name}: {err}")
            continue
        return _with_hints(module.load())
    try:
        return _with_hints(spacy.load(settings.english_models[0]))
    except OSError:
        pass
    raise BackendUnavailable(
        "no English spaCy model installed (" + "; ".join(errors) + "). Run `make setup`."
    )


def _with_hints(nlp: Language) -> Language:
    if "parser" in nlp.pipe_names and "sentence_hints" not in nlp.pipe_names:
        nlp.add_pipe("sentence_hints", before="parser")
    return nlp


class EnglishBackend(SpacyBackend):
    lang = "en"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = load_english(settings)
        self.gazetteers = Gazetteers(self.nlp, "en", settings.orgs_file)

    def model_entity(self, ent: Any) -> tuple[str, str] | None:
        return map_ontonotes(ent.label_, ent.text, "en")

    def rule_mentions(self, sdoc: Any, text: str, sink: Collector) -> None:
        bl = BYLINE.match(text)
        if bl:
            start = bl.start(1)
            sink.add(start, start + len(bl.group(1).rstrip()), PERSON, "", "rule:byline")
        for ent in sdoc.ents:
            if ent.label_ == "PERSON":
                first = name_start(sdoc, ent.start, ent.end, sink.found)
                if first < ent.start:
                    sink.add(sdoc[first].idx, ent.end_char, PERSON, "", "rule:name")

    def post(self, merged: list[Mention], text: str, offset: int) -> list[Mention]:
        return join_adjacent_persons(merged, text, offset)

    def finish(self, a: Annotated) -> None:
        a.mentions = dateline_place(a)


def dateline_place(a: Annotated) -> list[Mention]:
    """The place that opens the dateline ingest dated the article by ("SZEGED, 3 May 2019 -
    ...") is a place, though the model often calls a word in capitals an organisation: a model
    organisation (no listed one) in capitals, on the dateline's line before its date."""
    if a.doc.date_source != DATELINE:
        return a.mentions
    date = min((m for m in a.mentions if m.label == DATE and m.kb_id == a.doc.date),
               key=lambda m: m.start, default=None)
    if date is None:
        return a.mentions
    line = a.doc.text.rfind("\n", 0, date.start) + 1
    return [replace(m, label=LOC, kb_id="", source="rule:dateline")
            if (m.label == ORG and m.source == "model" and line <= m.start < date.start
                and m.text.isupper()) else m for m in a.mentions]


def _title_words() -> frozenset[str]:
    """Words of titles and honorifics ("King", "Dr", "Minister"): a name never takes them in."""
    return frozenset(w.casefold().strip(".") for t in names.titles("en") for w in t.split())


TITLE_WORDS = _title_words()


def name_start(sdoc: Any, start: int, end: int, found: list[Mention]) -> int:
    """The first token of a person's name whose last words the model tagged: the small model
    often leaves out the first given names of an unfamiliar name ("Saleem" of "Saleem Rafiq
    Qureshi") or a hyphenated piece. Proper nouns directly before the span that the parse
    attaches inside it (compound, flat) are the name's, and so is a person span directly before
    (the model cut one name in two); a title word, a state or a place ends it."""
    places = [(m.start, m.end) for m in found if m.label in (COUNTRY, LOC)]
    first = start
    while first > 0:
        tok = sdoc[first - 1]
        glued = not tok.whitespace_ and ((tok.is_punct and tok.text == "-") or tok.is_lower)
        named = tok.ent_type_ == "PERSON" or (
            tok.pos_ == "PROPN" and tok.is_title and tok.dep_ in ("compound", "flat")
            and start <= tok.head.i < end)
        if not (glued or named) or tok.text.casefold().strip(".") in TITLE_WORDS:
            break
        if any(s <= tok.idx < e for s, e in places):
            break
        first -= 1
    while first < start and not sdoc[first].is_title:
        first += 1  # a name starts with a capital, not with a hyphen or a particle
    return first


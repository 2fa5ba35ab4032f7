"""English NER: spaCy en_core_web_sm for persons and organisations, gazetteers and the date and
number finders for the closed classes (see base.py for the merge policy)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import spacy
from spacy.language import Language

from pipeline.config import Settings
from pipeline.ner.base import (
    Collector,
    Gazetteers,
    SpacyBackend,
    join_adjacent_persons,
    merge_mentions,
)
from pipeline.normalize import countries, dates, numbers
from pipeline.records import COUNTRY, DATE, LOC, NUMBER, ORG, PERSON, Mention

# A byline ("By Antonino Occhiuto" alone on a line) names the author: a person, whatever the
# small model thinks of an unfamiliar name.
BYLINE = re.compile(r"^\s*By\s+((?:[A-Z][\w'’.-]+\s?){2,4})\s*$")

# spaCy labels → ours. GPE is decided by the gazetteer (country) or falls back to LOC.
MODEL_LABELS = {"PERSON": PERSON, "ORG": ORG, "GPE": LOC, "LOC": LOC, "NORP": COUNTRY}


FOOTNOTE_END = re.compile(r"[.!?]\s?\[\d+\]\s*$")


@Language.component("sentence_hints")
def sentence_hints(doc: Any) -> Any:
    """Boundaries the small parser gets wrong in encyclopedia text: no sentence starts right
    after ":" or ";" ("the Founding Fathers of ASEAN: Indonesia, ..."), and one starts after a
    footnote mark that follows a full stop ("... from China.[2] Other reasons")."""
    prev = ""
    for tok in doc:
        if prev in (":", ";", ","):
            tok.is_sent_start = False
        elif prev == "]" and FOOTNOTE_END.search(doc.text[: tok.idx]):
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
    from pipeline.ner.registry import BackendUnavailable

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
        self.gazetteers = Gazetteers(self.nlp, "en")

    def mentions(self, doc_id: str, sdoc: Any, offset: int, text: str) -> list[Mention]:
        sink = Collector(doc_id, "en", sdoc, offset, text, self.gazetteers)
        found, add = sink.found, sink.add
        for ent in sdoc.ents:
            label = MODEL_LABELS.get(ent.label_)
            if label is None:
                continue
            if label == COUNTRY:  # NORP: only demonyms of states count
                kb = countries.demonym_code(ent.text, "en")
                if not kb:
                    continue
            elif label == LOC:
                kb = countries.country_code(ent.text, "en") or ""
                if kb:
                    label = COUNTRY
            else:
                kb = ""
            add(ent.start_char, ent.end_char, label, kb, "model")
        bl = BYLINE.match(text)
        if bl:
            add(bl.start(1), bl.start(1) + len(bl.group(1).rstrip()), PERSON, "", "rule:byline")
        for start, end, iso in dates.find_dates(text, "en"):
            add(start, end, DATE, iso, "rule:date")
        for start, end, value in numbers.find_numbers(text, "en"):
            add(start, end, NUMBER, numbers.format_number(value), "rule:number")
        return join_adjacent_persons(merge_mentions(found), text, offset)

"""Hindi NER: rules decide countries, organisations, places, dates and numbers; the trained model
in ``models/hi_ner`` (issue 3) finds the persons and organisations no rule knows; title-anchored
rules ("जनरल रहेल शरीफ", "रक्षा मंत्री उर्सुला ...") catch persons the model misses, and a person
found once is found again wherever the same name recurs in the document.

Without the trained model the stage still runs on the rules alone (run.json records which).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from pipeline.core.config import Settings
from pipeline.core.data import clause_marks, gloss_brackets
from pipeline.core.errors import BackendUnavailable
from pipeline.core.records import COUNTRY, LOC, ORG, PERSON, Mention
from pipeline.language import sentence_punct
from pipeline.ner.base import (
    Annotated,
    Collector,
    Gazetteers,
    SpacyBackend,
    join_adjacent_persons,
    merge_mentions,
)
from pipeline.ner.cues import load_raw_grammar
from pipeline.ner.hindi_words import NAME_TOKEN, function_words
from pipeline.ner.vote import make_ner_vote  # noqa: F401  (registers the ner_vote factory)
from pipeline.normalize import countries, devanagari, names, numbers, orgs

MODEL_LABELS = {"PER": PERSON, "PERSON": PERSON, "ORG": ORG, "LOC": LOC}


def set_folded_norms(sdoc: Any) -> None:
    """NORM := the Devanagari fold of each token, set through arrays (no Token objects), so that
    gazetteers and cue patterns match spelling variants."""
    strings = sdoc.vocab.strings
    orths = sdoc.to_array("ORTH").tolist()
    norms = numpy.asarray([strings.add(devanagari.fold(strings[o])) for o in orths],
                          dtype="uint64")
    sdoc.from_array(["NORM"], norms.reshape(-1, 1))


def split_glued_glosses(nlp: Language) -> None:
    """Split a bracket glued between a Devanagari word and a Latin gloss ("अमेरिका(America)" →
    अमेरिका ( America): the word is then a word for the gazetteers and the cue patterns."""
    brackets = re.escape(gloss_brackets())
    if not brackets:
        return
    infixes = [*(nlp.Defaults.infixes or ()), rf"(?<=[\u0900-\u097F])[{brackets}](?=[A-Za-z])"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def load_hindi(settings: Settings) -> tuple[Language, bool]:
    """The trained model when present, else spaCy's Hindi tokenizer; plus a sentencizer. With
    ``Settings.hindi_vote_members`` present too, the entities are the members' majority vote
    (``pipeline.ner.vote``)."""
    has_model = (settings.hindi_model / "meta.json").exists()
    members = [p for p in settings.hindi_vote_members if (p / "meta.json").exists()]
    try:
        nlp = spacy.load(settings.hindi_model) if has_model else spacy.blank("hi")
        if has_model and members and len(members) + 1 >= settings.hindi_vote_min:
            nlp.add_pipe("ner_vote", config={"members": [str(p) for p in members],
                                             "min_votes": settings.hindi_vote_min})
    except Exception as exc:  # a half-written or foreign model folder
        folders = ", ".join(str(p) for p in [settings.hindi_model, *members])
        raise BackendUnavailable(
            f"a Hindi NER model could not be loaded ({type(exc).__name__}: {exc}); check "
            f"or rebuild the folders {folders} (make train-hi-ner)") from exc
    split_glued_glosses(nlp)
    if "sentencizer" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True, config={"punct_chars": list(sentence_punct())})
    return nlp, has_model


class HindiBackend(SpacyBackend):
    lang = "hi"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp, self.has_model = load_hindi(settings)
        self.gazetteers = Gazetteers(self.nlp, "hi", settings.orgs_file)
        self.titles = sorted(
            {devanagari.fold(t) for t in names.titles("hi")}, key=len, reverse=True
        )
        self.title_set = frozenset(self.titles)  # membership per token, without a list scan
        # Titles indexed by their first word: each token is tried only against titles it can open.
        self.titles_by_first: dict[str, list[str]] = {}
        for t in self.titles:
            self.titles_by_first.setdefault(t.split()[0], []).append(t)

    def prepare(self, sdoc: Any) -> None:
        set_folded_norms(sdoc)

    def finish(self, a: Annotated) -> None:
        a.mentions = merge_mentions(a.mentions + repeat_persons(a))

    def model_entity(self, ent: Any) -> tuple[str, str] | None:
        label = MODEL_LABELS.get(ent.label_)
        if label == LOC:
            kb = countries.country_code(ent.text, "hi") or ""
            return (COUNTRY, kb) if kb else (LOC, "")
        if label == ORG:
            return ORG, orgs.org_id(ent.text, "hi", self.gazetteers.orgs_file) or ""
        return None if label is None else (label, "")

    def model_span(self, ent: Any, label: str) -> tuple[int, int, str] | None:
        """A model person without the titles in front of it ("शेख तमीम बिन हमद" → "तमीम बिन
        हमद", role Sheikh; ``names.strip_title``, as linking strips them), so that it lines up
        with the title rule's span of the same name; a "person" of titles alone ("कमांडर जनरल")
        is dropped."""
        if label != PERSON:
            return ent.start_char, ent.end_char, ""
        text = ent.text
        core, role = names.strip_title(text, "hi")
        if devanagari.fold(core) in self.title_set:
            return None  # nothing but titles (strip_title leaves the last word of any name)
        at = text.find(core)
        if at < 0 or core == text:
            return ent.start_char, ent.end_char, ""
        return ent.start_char + at, ent.start_char + at + len(core), role

    def rule_mentions(self, sdoc: Any, text: str, sink: Collector) -> None:
        for start, end, label, role in self.title_persons(sdoc):
            sink.add(start, end, label, "", "rule:title", role=role)
        for start, end, role in self.holder_persons(sdoc, sink):
            sink.add(start, end, PERSON, "", "rule:title", role=role)
        for start, end, code in self.romanised_states(sdoc, sink):
            sink.add(start, end, COUNTRY, code, "rule:romanised", score=0.9)

    def romanised_states(self, sdoc: Any, sink: Collector) -> list[tuple[int, int, str]]:
        """States written in a spelling no Hindi list has ("वानुअतु" for वनुआतू): a word (or two)
        whose romanisation is an English country name of at least
        ``Settings.min_romanised_state_chars`` letters (shorter ones are Hindi words too: माली,
        gardener, is not Mali), where nothing else was found."""
        stop = function_words()
        # columns, not Token objects (building those is most of the cost)
        strings = sdoc.vocab.strings
        cols = sdoc.to_array(["ORTH", "IDX", "SPACY"]).tolist()
        words = [strings[o] for o, _i, _s in cols]
        starts = [i for _o, i, _s in cols]
        spaced = [bool(sp) for _o, _i, sp in cols]
        # a word may start a state's name when it is a free name word: no mention holds it
        free = [bool(NAME_TOKEN.fullmatch(w)) and w not in stop for w in words]
        for m in sink.found:
            span = sdoc.char_span(m.start - sink.offset, m.end - sink.offset,
                                  alignment_mode="expand")
            if span is not None:
                for j in range(span.start, span.end):
                    free[j] = False
        out = []
        n = len(sdoc)
        i = 0
        while i < n:
            for k in (2, 1):
                if i + k > n or not all(free[i : i + k]):
                    continue
                if k == 2 and not spaced[i]:
                    continue
                text = words[i] if k == 1 else f"{words[i]} {words[i + 1]}"
                code = _romanised_state(text, self.settings.min_romanised_state_chars)
                if code:
                    out.append((starts[i], starts[i + k - 1] + len(words[i + k - 1]), code))
                    i += k - 1
                    break
            i += 1
        return out

    def holder_persons(self, sdoc: Any, sink: Collector) -> list[tuple[int, int, str]]:
        """Names in front of a predicative title: "X नाटो के महासचिव हैं", "X इसके अध्यक्ष थे"
        (X is the owner's title). The owner is a body or state the gazetteers or the model found,
        a possessive, or a demonstrative and its noun; X is the run of name words that opens the
        sentence (or follows a comma) up to it, two words at least."""
        g = load_raw_grammar("hi")
        verbs = {devanagari.fold(w) for w in g.get("holder_verbs", [])}
        particles = {devanagari.fold(w) for w in g.get("holder_particles", [])}
        possessive = {devanagari.fold(w) for w in g.get("possessive_pronouns", [])}
        genitive = {devanagari.fold(w) for w in g.get("genitive_postpositions", [])}
        demonstratives = {devanagari.fold(w) for w in g.get("anaphor_determiners", [])}
        lead = {devanagari.fold(w) for w in g.get("date_lead_gap", [])}
        if not verbs:
            return []
        strings = sdoc.vocab.strings
        norms = [strings[h] for h in sdoc.to_array("NORM").tolist()]
        owners = {}  # token index after an owner -> the owner's first token
        for m in sink.found:
            if m.label in (ORG, COUNTRY):
                span = sdoc.char_span(m.start - sink.offset, m.end - sink.offset)
                if span is not None:
                    owners[span.end] = span.start
        stop = function_words()
        out = []
        for i in range(1, len(sdoc)):
            for title in self.titles_by_first.get(norms[i], ()):
                parts = title.split()
                if norms[i : i + len(parts)] != parts:
                    continue
                j = i + len(parts)
                while j < len(sdoc) and norms[j] in particles:
                    j += 1
                if j >= len(sdoc) or norms[j] not in verbs:
                    break
                if norms[i - 1] in possessive:
                    first = i - 1
                elif norms[i - 1] in genitive and i - 1 in owners:
                    first = owners[i - 1]
                elif norms[i - 1] in genitive and i >= 3 and norms[i - 3] in demonstratives:
                    first = i - 3
                else:
                    break
                k = first
                while (k > 0 and first - k < self.settings.max_name_tokens
                       and NAME_TOKEN.fullmatch(sdoc[k - 1].text)
                       and sdoc[k - 1].text not in stop
                       and norms[k - 1] not in self.title_set):
                    k -= 1
                # the name opens its clause: at the sentence start, after a comma, or after a
                # date and its postposition ("2023 में X इसके महासचिव बने")
                opens = (k == 0 or sdoc[k].is_sent_start or sdoc[k - 1].text in clause_marks()
                         or (k >= 2 and norms[k - 1] in lead and sdoc[k - 2].like_num))
                if first - k >= 2 and opens:
                    span = sdoc[k:first]
                    if not (countries.country_code(span.text, "hi")
                            or orgs.org_id(span.text, "hi", self.gazetteers.orgs_file)):
                        out.append((span.start_char, span.end_char, title))
                break
        return out

    def post(self, merged: list[Mention], text: str, offset: int) -> list[Mention]:
        """Person pieces one space apart are one name the model split ("शेख तमीम बिन हमद" +
        "अल थानी"): Hindi, too, puts a comma or "और" between two persons."""
        return join_adjacent_persons(merged, text, offset)

    def keep_number(self, surface: str) -> bool:
        return not numbers.is_ambiguous_one(surface)  # एक is mostly the article "a"

    def title_persons(self, sdoc: Any) -> list[tuple[int, int, str, str]]:
        """Names after a title: 'जनरल रहेल शरीफ को' → 'रहेल शरीफ' (the title kept as role)."""
        stop = function_words()
        out = []
        strings = sdoc.vocab.strings
        norms = [strings[h] for h in sdoc.to_array("NORM").tolist()]
        for i in range(len(sdoc)):
            for title in self.titles_by_first.get(norms[i], ()):
                parts = title.split()
                if norms[i : i + len(parts)] != parts:
                    continue
                j = i + len(parts)
                if j < len(sdoc) and not sdoc[j - 1].whitespace_:
                    break  # a title glued to the next token ("कमांडर-इन-चीफ") is part of a word
                k = j
                while k < len(sdoc) and k - j < self.settings.max_name_tokens:
                    tok = sdoc[k]
                    if (
                        tok.text == "-"
                        and k > j
                        and not sdoc[k - 1].whitespace_
                        and not tok.whitespace_
                        and k + 1 < len(sdoc)
                        and NAME_TOKEN.fullmatch(sdoc[k + 1].text)
                    ):
                        k += 2  # a hyphenated name: "अब्द-रब्बु"
                        continue
                    if (
                        tok.text in stop
                        or not NAME_TOKEN.fullmatch(tok.text)
                        or devanagari.fold(tok.text) in self.title_set
                    ):
                        break
                    k += 1
                if k > j:
                    span = sdoc[j:k]
                    if not (
                        countries.country_code(span.text, "hi")
                        or orgs.org_id(span.text, "hi", self.gazetteers.orgs_file)
                    ):
                        out.append((span.start_char, span.end_char, PERSON, title))
                break
        return out


@lru_cache(maxsize=65536)
def _romanised_state(text: str, min_chars: int) -> str:
    """The state whose English name ``text`` romanises to, if that name has ``min_chars``
    letters or more; else ''."""
    latin = names.romanize(text)
    if len(latin) - latin.count(" ") < min_chars:
        return ""
    return countries.country_code(latin, "en") or ""


def _in_word(ch: str) -> bool:
    """A letter, combining mark (a Devanagari vowel sign or virama) or digit: a name next to one
    is part of a longer word ("राम" in "श्रीराम"), not a mention."""
    return unicodedata.category(ch)[0] in "LMN"


def repeat_persons(a: Annotated) -> list[Mention]:
    """A Hindi person's name found once is a mention wherever it recurs (untitled later
    mentions), but not inside a longer word."""
    text = a.doc.text
    seen = {m.text for m in a.mentions if m.label == PERSON and m.lang == "hi" and len(m.text) >= 4}
    out = []
    for name in sorted(seen):
        for m in re.finditer(re.escape(name), text):
            if (m.start() and _in_word(text[m.start() - 1])) or (
                m.end() < len(text) and _in_word(text[m.end()])
            ):
                continue
            out.append(
                Mention(
                    a.doc.doc_id, "hi", m.start(), m.end(), name, PERSON, "", "", "rule:repeat", 0.9
                )
            )
    return out

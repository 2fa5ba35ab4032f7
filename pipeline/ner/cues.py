"""Cue patterns from ``data/<lang>/fact_patterns.yaml`` compiled into spaCy Matchers.

A cue is a named phrase class ("joined", "count_noun", ...). The extractor only sees which cues
occur where in a sentence; which words express them is data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.matcher import Matcher, PhraseMatcher

from pipeline.core.data import load_yaml
from pipeline.core.records import Cue
from pipeline.normalize import devanagari


@lru_cache(maxsize=4)
def _pattern_file(lang: str) -> dict[str, Any]:
    """A language's pattern file, parsed once for both its sections."""
    return dict(load_yaml(f"{lang}/fact_patterns.yaml"))


@lru_cache(maxsize=4)
def load_cues(lang: str) -> dict[str, dict[str, list[Any]]]:
    """The ``cues`` section of a language's pattern file. The ``leader_title`` phrases are the
    surface forms of roles.yaml (both scripts, as texts mix them), so each title is written once."""
    cues = {name: dict(spec or {}) for name, spec in _pattern_file(lang)["cues"].items()}
    titles = cues.setdefault("leader_title", {})
    forms = [f for fs in _roles_file().values() for f in fs]
    titles["phrases"] = [*titles.get("phrases", []), *forms]
    return cues


def load_raw_grammar(lang: str) -> dict[str, Any]:
    """The ``grammar`` section of a language's pattern file, as written."""
    return dict(_pattern_file(lang).get("grammar", {}))


@lru_cache(maxsize=4)
def load_grammar(lang: str) -> dict[str, Any]:
    """Word-order facts of a language (where dates and organisations stand around a cue), with
    the word lists as folded sets."""
    grammar = dict(load_raw_grammar(lang))
    for k in ("gap_words", "date_lead_gap", "count_modifiers"):
        grammar[k] = frozenset(key(w) for w in grammar.get(k, []))
    return grammar


@lru_cache(maxsize=1)
def _roles_file() -> dict[str, list[str]]:
    """roles.yaml as written: canonical role → surface forms."""
    return dict(load_yaml("roles.yaml"))


@lru_cache(maxsize=1)
def load_roles() -> dict[str, str]:
    """Surface form (folded/lowercased) → canonical role."""
    return {key(form): role for role, forms in _roles_file().items() for form in forms}


def key(text: str) -> str:
    """Matching key for a phrase in either script (``fold`` also removes case)."""
    return devanagari.fold(text)


def _fold_pattern(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """NORM values folded as the tokens' NORM is; ``STEM: [...]`` (our own key) matches a token
    whose folded form starts with one of the stems: every inflection of a light verb ("हो":
    हो, होना, होने, होगा, हुआ is "हु")."""
    out = []
    for tok in pattern:
        tok = dict(tok)
        stems = tok.pop("STEM", None)
        if stems:
            alts = "|".join(re.escape(devanagari.fold(x)) for x in stems)
            tok["NORM"] = {"REGEX": f"^(?:{alts})"}
        norm = tok.get("NORM")
        if isinstance(norm, str):
            tok["NORM"] = devanagari.fold(norm)
        elif isinstance(norm, dict):
            tok["NORM"] = {
                op: [devanagari.fold(v) for v in vals] if isinstance(vals, list) else vals
                for op, vals in norm.items()
            }
        out.append(tok)
    return out


_MATCHERS: dict[tuple[str, int], tuple[PhraseMatcher, Matcher]] = {}


def matcher_for(lang: str, sdoc: Any) -> tuple[PhraseMatcher, Matcher]:
    """Matchers per language and vocab (the English and Hindi pipelines have their own).

    Plain phrases go to a PhraseMatcher (one hash lookup per token, whatever the number of
    phrases); only the token patterns with operators need the Matcher.
    """
    k = (lang, id(sdoc.vocab))
    if k not in _MATCHERS:
        attr = str(load_raw_grammar(lang).get("match_attr", "LOWER"))
        phrases = PhraseMatcher(sdoc.vocab, attr=attr)
        tokens = Matcher(sdoc.vocab)
        make = _tokenizer(lang)
        for name, spec in sorted(load_cues(lang).items()):
            docs = []
            for phrase in spec.get("phrases", []) or []:
                pdoc = make(str(phrase))
                if attr == "NORM":
                    for tok in pdoc:
                        tok.norm_ = devanagari.fold(tok.text)
                docs.append(pdoc)
            if docs:
                phrases.add(name, docs)
            patterns = [_fold_pattern(p) for p in spec.get("patterns", []) or []]
            if patterns:
                tokens.add(name, patterns)
        _MATCHERS[k] = (phrases, tokens)
    return _MATCHERS[k]


@lru_cache(maxsize=4)
def _tokenizer(lang: str) -> Any:
    return spacy.blank(lang).tokenizer


def find_cues(lang: str, sdoc: Any, offset: int, text: str) -> list[Cue]:
    """All cue matches in a parsed paragraph whose text is ``text``, as absolute spans."""
    phrases, tokens = matcher_for(lang, sdoc)
    out = set()
    for match_id, s, e in [*phrases(sdoc), *tokens(sdoc)]:
        span = sdoc[s:e]
        name = sdoc.vocab.strings[match_id]
        out.add(Cue(name, offset + span.start_char, offset + span.end_char,
                    text[span.start_char:span.end_char]))
    return sorted(out, key=lambda c: (c.start, c.end, c.name))

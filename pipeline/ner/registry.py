"""Backends by name, loaded once per process (models are expensive to load)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pipeline.config import Settings


class BackendUnavailable(RuntimeError):
    """A configured backend cannot run here; the message says how to fix it."""


@lru_cache(maxsize=8)
def get_backend(lang: str, settings: Settings) -> Any:
    if settings.backend == "stanza":
        from pipeline.ner.stanza_backend import StanzaBackend

        return StanzaBackend(lang, settings)
    if settings.backend != "spacy":
        raise BackendUnavailable(f"unknown NER backend {settings.backend!r} (spacy or stanza)")
    if lang == "en":
        from pipeline.ner.english import EnglishBackend

        return EnglishBackend(settings)
    if lang == "hi":
        from pipeline.ner.hindi import HindiBackend

        return HindiBackend(settings)
    raise BackendUnavailable(f"no NER backend for language {lang!r}")

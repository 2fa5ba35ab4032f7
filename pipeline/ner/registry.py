"""Backends by name, loaded once per process (models are expensive to load)."""

from __future__ import annotations

import gc
from functools import lru_cache
from typing import Any

from pipeline.core.config import Settings


class BackendUnavailable(RuntimeError):
    """A configured backend cannot run here; the message says how to fix it."""


@lru_cache(maxsize=8)
def get_backend(lang: str, settings: Settings) -> Any:
    """The backend of ``lang``, loaded on first use.

    A loaded model is hundreds of thousands of long-lived Python objects (vocabulary, lookup
    tables) that every full garbage collection would walk again, 0.25 s each on a 500-document
    run; ``settings.gc_freeze_models`` moves them out of the collector's sight once loaded.
    """
    backend = _load(lang, settings)
    if settings.gc_freeze_models:
        gc.collect()
        gc.freeze()
    return backend


def _load(lang: str, settings: Settings) -> Any:
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

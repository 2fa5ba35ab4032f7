"""Backends by name, loaded once per process (models are expensive to load)."""

from __future__ import annotations

import gc
from functools import lru_cache
from typing import Any

from pipeline.core.config import Settings
from pipeline.core.errors import BackendUnavailable
from pipeline.ner.english import EnglishBackend
from pipeline.ner.hindi import HindiBackend


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
        # an optional extra (it pulls in PyTorch): imported only when chosen
        from pipeline.ner.stanza_backend import StanzaBackend

        return StanzaBackend(lang, settings)
    if settings.backend != "spacy":
        raise BackendUnavailable(f"unknown NER backend {settings.backend!r} (spacy or stanza)")
    if lang in SPACY_BACKENDS:
        return SPACY_BACKENDS[lang](settings)
    raise BackendUnavailable(f"no NER backend for language {lang!r}")


# The spaCy backend of each language (a new language is a new backend module and a line here).
SPACY_BACKENDS: dict[str, type[EnglishBackend] | type[HindiBackend]] = {
    "en": EnglishBackend,
    "hi": HindiBackend,
}

__all__ = ["BackendUnavailable", "get_backend"]

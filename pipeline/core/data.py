"""One cached reader for the language data files under ``pipeline/data``.

Every normaliser reads its YAML through ``load_yaml`` so that each file is parsed once per
process. The returned objects are shared: callers must not mutate them (copy first).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.config import DATA_DIR, DEFAULT


@lru_cache(maxsize=64)
def load_yaml(relpath: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """A data file under ``pipeline/data`` (cached: they are read once per process)."""
    with (Path(data_dir) / relpath).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def surface_forms(entry: dict[str, Any] | None) -> list[str]:
    """Every surface form a data entry lists for the configured languages (``{"en": [...],
    "hi": [...]}``), in language order: the shape of the alias, organisation, demonym and title
    files."""
    entry = entry or {}
    return [s for lang in DEFAULT.languages for s in entry.get(lang) or []]


@lru_cache(maxsize=1)
def dashes() -> str:
    """The hyphen and dash characters (``data/punctuation.yaml``): the one set every module
    splits words and ranges at."""
    return str(load_yaml("punctuation.yaml")["dashes"])


@lru_cache(maxsize=1)
def gloss_brackets() -> str:
    """The opening brackets of a gloss written right after a word in another script
    (``data/punctuation.yaml``: "अमेरिका(America)")."""
    return str(load_yaml("punctuation.yaml").get("gloss_brackets", ""))


@lru_cache(maxsize=1)
def clause_marks() -> str:
    """Marks that end a clause or a sentence (``data/punctuation.yaml``: "," ";" "." "।")."""
    return str(load_yaml("punctuation.yaml")["clause_marks"])


def dash_class() -> str:
    """``dashes()`` as a regular-expression character class."""
    return "[" + re.escape(dashes()) + "]"


@lru_cache(maxsize=1)
def list_introducers() -> str:
    """Marks that introduce a list after its noun: ``list_introducers`` and the dashes."""
    return str(load_yaml("punctuation.yaml")["list_introducers"]) + dashes()


@lru_cache(maxsize=1)
def dateline_ends() -> str:
    """Marks that close a news dateline after its date: ``dateline_ends`` and the dashes."""
    return str(load_yaml("punctuation.yaml")["dateline_ends"]) + dashes()

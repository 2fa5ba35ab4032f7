"""Normalisation of entity mentions to knowledge-base ids (SCHEMA.md "Identifiers").

``devanagari.fold`` builds spelling-insensitive keys; ``countries``, ``orgs`` and ``places`` map
English and Hindi names to ISO alpha-3 codes, organisation ids and English place names, and give
gazetteers for rule-based NER; ``names`` strips titles, romanises Hindi names and compares names
across scripts. ``pipeline.link`` puts them together for a run.
"""

from pipeline.normalize.countries import country_code, country_name, demonym_code
from pipeline.normalize.devanagari import fold
from pipeline.normalize.names import (
    known_person,
    name_similarity,
    phonetic_key,
    romanize,
    strip_title,
)
from pipeline.normalize.orgs import decode_acronym, org_id, org_name
from pipeline.normalize.places import place_id

__all__ = [
    "country_code",
    "country_name",
    "decode_acronym",
    "demonym_code",
    "fold",
    "known_person",
    "name_similarity",
    "org_id",
    "org_name",
    "phonetic_key",
    "place_id",
    "romanize",
    "strip_title",
]

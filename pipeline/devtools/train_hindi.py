"""Train the Hindi NER model shipped in ``models/hi_ner`` from the public corpora in ``shared/``.

Reproduces the model end to end: reads IL-NER (train + dev) and HiNER (validation-part-a) in their
"token<TAB>tag" BIO format, repairs the tag defects listed in the corpora's SOURCES.md, maps the
labels onto PER/LOC/ORG, writes spaCy DocBin files with the gold tokenisation, runs ``spacy train``
with ``training/hi_ner.cfg``, scores the best model on sentences it never saw, and copies only what
``spacy.load`` needs into the output directory.

Held-out data (never trained on, never used for model selection):
  * IL-NER dev, all of it (the primary test set; sentences that also occur verbatim in the training
    data are dropped from training, not from the test);
  * the last ``HINER_TEST_FRACTION`` of HiNER validation-part-a, as one contiguous block so that
    sentences of the same article do not straddle train and test.
Model selection uses a seeded random ``DEV_FRACTION`` of the remaining training sentences.

    python -m pipeline.devtools.train_hindi --shared ../shared --out models/hi_ner
    python -m pipeline.devtools.train_hindi --shared ../shared --out /tmp/hi_smoke --smoke
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.config import DEFAULT, REPO_DIR

CONFIG_PATH = REPO_DIR / "training" / "hi_ner.cfg"
WORK_DIR = REPO_DIR / "training"  # corpus/ and output/ below it are git-ignored

DATA_SUBDIR = Path("data") / "hindi-ner"
ILNER_TRAIN = Path("il-ner") / "hindi-train.txt"
ILNER_DEV = Path("il-ner") / "hindi-dev.txt"
HINER_FILE = Path("hiner") / "validation-part-a.conll"

SEED = 0
DEV_FRACTION = 0.1  # of the training sentences, for model selection only
HINER_TEST_FRACTION = 0.05  # contiguous tail of HiNER kept out as a second test set
SMOKE_TRAIN_SENTS = 200
SMOKE_DEV_SENTS = 50
SMOKE_TEST_SENTS = 50
SPEED_REPEATS = 3  # passes over the test texts when measuring words/s

CORE_LABELS = ("PER", "LOC", "ORG")
ILNER_CORE = {"NEP": "PER", "NEL": "LOC", "NEO": "ORG"}
# Time and number mentions; kept only with --extra-labels (measured: see the model card).
ILNER_EXTRA = {"NETI": "DATE", "NEN": "NUM"}
HINER_MAP = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}

# Written into meta.json: HiNER is CC-BY-SA-4.0, so the model carries that licence and credit.
MODEL_META: dict[str, object] = {
    "name": "hi_ner",
    "version": "1.0.0",
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
            "name": "HiNER collapsed, validation part a",
            "url": "https://github.com/cfiltnlp/HiNER",
            "license": "CC-BY-SA-4.0",
            "author": "Murthy et al., LREC 2022",
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


def map_tags(tags: Sequence[str], mapping: dict[str, str]) -> list[str]:
    """Rename entity types; types absent from ``mapping`` become O, then re-validate BIO."""
    mapped = []
    for tag in tags:
        if tag == "O":
            mapped.append("O")
            continue
        prefix, etype = tag.split("-", 1)
        new = mapping.get(etype)
        mapped.append(f"{prefix}-{new}" if new else "O")
    return repair_bio(mapped)


def load_corpus(path: Path, mapping: dict[str, str], source: str) -> list[Sentence]:
    """Read one corpus file into Sentences with repaired, mapped tags."""
    out = []
    for sent in read_conll(path):
        words = [w for w, _ in sent]
        tags = map_tags(repair_bio([t for _, t in sent]), mapping)
        out.append(Sentence(words, tags, source))
    return out


@dataclass
class Splits:
    """Train/dev for spaCy; the two test sets are never seen during training or selection."""

    train: list[Sentence]
    dev: list[Sentence]
    test_ilner: list[Sentence]
    test_hiner: list[Sentence]

    def describe(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items()}


def make_splits(
    shared: Path, *, use_hiner: bool = True, extra_labels: bool = False, seed: int = SEED
) -> Splits:
    """Build the fixed, seeded splits described in the module docstring."""
    base = shared / DATA_SUBDIR
    ilner_map = {**ILNER_CORE, **(ILNER_EXTRA if extra_labels else {})}
    il_train = load_corpus(base / ILNER_TRAIN, ilner_map, "il-ner")
    # The test set is always scored on PER/LOC/ORG only, whatever the model was trained with.
    test_ilner = load_corpus(base / ILNER_DEV, ILNER_CORE, "il-ner")
    hiner = load_corpus(base / HINER_FILE, HINER_MAP, "hiner")
    n_hiner_test = round(len(hiner) * HINER_TEST_FRACTION)
    test_hiner = hiner[len(hiner) - n_hiner_test :]
    hiner_train = hiner[: len(hiner) - n_hiner_test] if use_hiner else []

    # Sentences repeated verbatim in a test set leave the training pool, not the test set.
    held_out = {s.text for s in test_ilner} | {s.text for s in test_hiner}
    pool = [s for s in il_train + hiner_train if s.text not in held_out]
    rng = random.Random(seed)
    rng.shuffle(pool)
    n_dev = round(len(pool) * DEV_FRACTION)
    return Splits(pool[n_dev:], pool[:n_dev], test_ilner, test_hiner)


def to_docs(sents: Iterable[Sentence], vocab: object) -> list:
    """Gold tokenisation: one Doc per sentence, entities from the BIO tags."""
    from spacy.tokens import Doc
    from spacy.training import iob_to_biluo

    docs = []
    for s in sents:
        doc = Doc(vocab, words=s.words)  # type: ignore[arg-type]
        doc.ents = doc_spans(doc, iob_to_biluo(s.tags))
        docs.append(doc)
    return docs


def doc_spans(doc: object, biluo: Sequence[str]) -> list:
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

    nlp = spacy.load(model_dir)
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
    p.add_argument("--out", type=Path, default=DEFAULT.hindi_model)
    p.add_argument("--config", type=Path, default=CONFIG_PATH)
    p.add_argument("--work", type=Path, default=WORK_DIR, help="corpus/ and output/ go here")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--smoke", action="store_true", help="tiny data, one epoch (CI)")
    p.add_argument(
        "--pretrain-epochs",
        type=int,
        default=None,
        help="spacy pretrain epochs before training (default: [pretraining] max_epochs of the "
        "config; 0 skips)",
    )
    p.add_argument("--no-hiner", action="store_true", help="train on IL-NER alone")
    p.add_argument("--extra-labels", action="store_true", help="also train DATE/NUM from NETI/NEN")
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
    splits = make_splits(
        args.shared, use_hiner=not args.no_hiner, extra_labels=args.extra_labels, seed=args.seed
    )
    overrides: dict[str, object] = {"system.seed": args.seed, "training.seed": args.seed}
    pretrain_epochs = config_pretrain_epochs(args.config)
    if args.pretrain_epochs is not None:
        pretrain_epochs = args.pretrain_epochs
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.smoke:
        splits = Splits(
            splits.train[:SMOKE_TRAIN_SENTS],
            splits.dev[:SMOKE_DEV_SENTS],
            splits.test_ilner[:SMOKE_TEST_SENTS],
            splits.test_hiner[:SMOKE_TEST_SENTS],
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
        "seed": args.seed,
        "data": "IL-NER train" + ("" if args.no_hiner else " + HiNER validation-part-a"),
        "extra_labels": args.extra_labels,
        "test_ilner_dev": evaluate(best, splits.test_ilner),
        "test_hiner_tail": evaluate(best, splits.test_hiner),
        "test_both": evaluate(best, splits.test_ilner + splits.test_hiner),
    }
    report["words_per_second"] = round(
        words_per_second(best, splits.test_ilner + splits.test_hiner)
    )
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

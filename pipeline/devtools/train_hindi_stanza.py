"""Train the Hindi Stanza NER model shipped in ``models/hi_ner_stanza`` (``--backend stanza``).

Stanza publishes no Hindi NER and its models cannot be fetched here, so this trains one with
Stanza's own trainer (``stanza.models.ner_tagger``: a character + word BiLSTM-CRF) on exactly the
data, label mapping and held-out sets of the spaCy model (``train_hindi.make_splits``, the same
``training/hi_ner_data.toml``), on pretokenized sentences. Its word vectors are trained here too:
fastText vectors (the ``floret`` package in plain fastText mode) over the training pool's text,
saved in Stanza's pretrain format, cut to the most frequent words so the model stays small.

    python -m pipeline.devtools.train_hindi_stanza --shared ../shared --out models/hi_ner_stanza
    python -m pipeline.devtools.train_hindi_stanza --shared ../shared --out /tmp/s --smoke
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.core.config import DEFAULT, REPO_DIR
from pipeline.devtools.train_hindi import (
    CORE_LABELS,
    DATA_CONFIG_PATH,
    DATA_SUBDIR,
    MODEL_META,
    SMOKE_DEV_SENTS,
    SMOKE_TEST_SENTS,
    SMOKE_TRAIN_SENTS,
    SPEED_REPEATS,
    Sentence,
    Splits,
    load_data_config,
    make_splits,
    parse_label_overrides,
)

WORK_DIR = REPO_DIR / "training" / "output" / "stanza"  # git-ignored
MODEL_FILE = "ner.pt"
PRETRAIN_FILE = "pretrain.pt"
# Word vectors: fastText over the training text, then the most frequent words only.
VECTOR_DIM = 100
VECTOR_WORDS = 20_000
VECTOR_EPOCHS = 5
# Stanza trainer settings (ner_tagger flags); a small BiLSTM so that 1 CPU thread trains it in
# well under an hour and it runs at a useful speed.
TRAINER_FLAGS = {
    "--hidden_dim": "128",
    "--char_hidden_dim": "64",
    "--char_emb_dim": "64",
    "--optim": "adam",
    "--lr": "0.002",
    "--batch_size": "32",
    "--eval_interval": "500",
    "--max_steps": "4000",
    "--max_steps_no_improve": "1500",
    "--dropout": "0.5",
}


def stanza_json(sents: Sequence[Sentence], path: Path) -> None:
    """Stanza's NER training format: a list of sentences, each a list of {text, ner} tokens."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [[{"text": w, "ner": t} for w, t in zip(s.words, s.tags, strict=True)] for s in sents]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def train_pretrain(sents: Sequence[Sentence], out: Path, seed: int, words: int) -> Path:
    """fastText word vectors over the training pool's own text in Stanza's pretrain format."""
    import floret
    from stanza.models.common.pretrain import Pretrain

    out.mkdir(parents=True, exist_ok=True)
    text = out / "text.txt"
    text.write_text("\n".join(s.text for s in sents) + "\n", encoding="utf-8")
    model = floret.train_unsupervised(
        str(text), model="skipgram", mode="fasttext", dim=VECTOR_DIM, epoch=VECTOR_EPOCHS,
        minCount=2, minn=2, maxn=5, bucket=200_000, thread=1, verbose=0,  # 1 thread: same run
    )
    vocab, _freqs = model.get_words(include_freq=True)  # sorted by frequency, most frequent first
    keep = [w for w in vocab if w != "</s>"][:words]
    vec = out / "vectors.vec"
    with vec.open("w", encoding="utf-8") as fh:
        fh.write(f"{len(keep)} {VECTOR_DIM}\n")
        for w in keep:
            fh.write(w + " " + " ".join(f"{x:.5f}" for x in model.get_word_vector(w)) + "\n")
    pt = out / PRETRAIN_FILE
    pretrain = Pretrain(str(pt), str(vec), max_vocab=words, save_to_file=True)
    pretrain.load()  # reads the .vec and writes the .pt
    return pt


def train(
    splits: Splits, work: Path, pretrain: Path, seed: int, flags: dict[str, str]
) -> Path:
    """Stanza's ner_tagger in-process; returns the best checkpoint by dev F1."""
    import torch
    from stanza.models import ner_tagger

    torch.set_num_threads(1)
    stanza_json(splits.train, work / "train.json")
    stanza_json(splits.dev, work / "dev.json")
    model_dir = work / "model"
    args = [
        "--train_file", str(work / "train.json"),
        "--eval_file", str(work / "dev.json"),
        "--wordvec_pretrain_file", str(pretrain),
        "--shorthand", "hi_ner",
        "--save_dir", str(model_dir),
        "--save_name", MODEL_FILE,
        "--seed", str(seed),
        "--no_lowercase",
        "--cpu",
    ]
    for key, value in flags.items():
        args += [key, value]
    ner_tagger.main(args)
    return model_dir / MODEL_FILE


def shrink_checkpoint(path: Path) -> None:
    """Store the fine-tuned word-embedding deltas (one row per training word, most of the file)
    in half precision; Stanza casts them back to float32 when it loads the model."""
    import torch

    checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    state = checkpoint["model"]
    for key in [k for k in state if k.startswith("delta_emb")]:
        state[key] = state[key].half()
    torch.save(checkpoint, path)


def load_pipeline(model_dir: Path) -> Any:
    """A Stanza pipeline of the shipped model on pretokenized sentences (no download).

    Stanza's resources.json lists no Hindi NER, so the model folder carries an empty one and
    the pipeline is built for an "unknown" language from the explicit model paths.
    """
    import stanza

    return stanza.Pipeline(
        "hi", dir=str(model_dir), processors="tokenize,ner", tokenize_pretokenized=True,
        download_method=None, allow_unknown_language=True,
        ner_model_path=str(model_dir / MODEL_FILE),
        ner_pretrain_path=str(model_dir / PRETRAIN_FILE),
        use_gpu=False, logging_level="ERROR",
    )


def predict_bio(nlp: Any, sents: Sequence[Sequence[str]]) -> list[list[str]]:
    """BIO tags per token for pretokenized sentences."""
    doc = nlp([list(s) for s in sents])
    out = []
    for sentence in doc.sentences:
        tags = ["O"] * len(sentence.tokens)
        index = {id(t): k for k, t in enumerate(sentence.tokens)}
        for ent in sentence.ents:
            ks = sorted(index[id(t)] for t in ent.tokens)
            for n, k in enumerate(ks):
                tags[k] = ("B-" if n == 0 else "I-") + ent.type
        out.append(tags)
    return out


def score(gold: Sequence[Sentence], pred: Sequence[Sequence[str]]) -> dict[str, object]:
    """Exact-span P/R/F1 for PER/LOC/ORG with spaCy's scorer, as train_hindi.evaluate does."""
    import spacy
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example, iob_to_biluo
    from spacy.training.iob_utils import biluo_tags_to_spans

    from pipeline.devtools.train_hindi import repair_bio

    vocab = spacy.blank("hi").vocab
    examples = []
    n_gold = 0
    for g, tags in zip(gold, pred, strict=True):
        ref = Doc(vocab, words=g.words)
        ref.ents = biluo_tags_to_spans(ref, iob_to_biluo(g.tags))
        hyp = Doc(vocab, words=g.words)
        keep = [t if t[2:] in CORE_LABELS else "O" for t in repair_bio(list(tags))]
        hyp.ents = biluo_tags_to_spans(hyp, iob_to_biluo(repair_bio(keep)))
        n_gold += len(ref.ents)
        examples.append(Example(hyp, ref))
    s = Scorer.score_spans(examples, "ents")
    per_type = s.get("ents_per_type") or {}
    return {
        "sentences": len(gold), "entities": n_gold,
        "p": s["ents_p"], "r": s["ents_r"], "f": s["ents_f"],
        "per_type": {k: per_type[k] for k in CORE_LABELS if k in per_type},
    }


def words_per_second(nlp: Any, sents: Sequence[Sentence]) -> float:
    """Throughput of the loaded Stanza NER on pretokenized sentences, one thread."""
    words = [s.words for s in sents]
    predict_bio(nlp, words[:50])  # warm-up
    start = time.perf_counter()
    for _ in range(SPEED_REPEATS):
        predict_bio(nlp, words)
    return SPEED_REPEATS * sum(len(w) for w in words) / (time.perf_counter() - start)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--shared", type=Path, default=REPO_DIR.parent / "shared")
    p.add_argument("--out", type=Path, default=DEFAULT.hindi_stanza_model)
    p.add_argument("--work", type=Path, default=WORK_DIR)
    p.add_argument("--data-config", type=Path, default=DATA_CONFIG_PATH)
    p.add_argument("--seed", type=int, default=None, help="default: the data config's seed")
    p.add_argument("--smoke", action="store_true", help="tiny data, a few steps (CI)")
    p.add_argument("--map", action="append", default=[], metavar="TABLE.TYPE=LABEL")
    p.add_argument(
        "--flag", action="append", default=[], metavar="NAME=VALUE",
        help="ner_tagger flag override, e.g. max_steps=3000",
    )
    p.add_argument(
        "--ship-from", type=Path, default=None, metavar="DIR",
        help="no training: ship ner.pt and pretrain.pt from DIR (shrunk, scored, meta.json)",
    )
    p.add_argument(
        "--compare-with", type=Path, default=None, metavar="SPACY_MODEL",
        help="no training: score this spaCy model, the Stanza model in --out and their ensembles",
    )
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, object]:
    """Vectors, training, held-out scores, ship. Returns the report written to meta.json."""
    import torch

    torch.set_num_threads(1)
    if not (args.shared / DATA_SUBDIR).is_dir():
        raise SystemExit(f"no Hindi NER corpora at {args.shared / DATA_SUBDIR} (pass --shared)")
    data = load_data_config(args.data_config)
    seed = data.seed if args.seed is None else args.seed
    splits = make_splits(
        args.shared, label_overrides=parse_label_overrides(args.map), data=data, seed=seed
    )
    flags = dict(TRAINER_FLAGS)
    words = VECTOR_WORDS
    work = args.work
    if args.smoke:
        splits = Splits(
            splits.train[:SMOKE_TRAIN_SENTS],
            splits.dev[:SMOKE_DEV_SENTS],
            {k: v[:SMOKE_TEST_SENTS] for k, v in splits.tests.items()},
        )
        flags.update({"--max_steps": "20", "--eval_interval": "10"})
        words = 2000
    for item in args.flag:
        key, _, value = item.partition("=")
        flags["--" + key.lstrip("-")] = value
    start = time.perf_counter()
    if args.ship_from is None:
        if work.exists():
            shutil.rmtree(work)
        pretrain = train_pretrain(splits.train + splits.dev, work / "vectors", seed, words)
        model = train(splits, work, pretrain, seed, flags)
    else:  # a model trained before: copy, shrink and score it again
        model, pretrain = args.ship_from / MODEL_FILE, args.ship_from / PRETRAIN_FILE
    minutes = (time.perf_counter() - start) / 60

    tmp_out = args.out.with_name(args.out.name + ".new")
    if tmp_out.exists():
        shutil.rmtree(tmp_out)
    tmp_out.mkdir(parents=True)
    shutil.copy(model, tmp_out / MODEL_FILE)
    shutil.copy(pretrain, tmp_out / PRETRAIN_FILE)
    if args.out.exists():
        shutil.rmtree(args.out)
    tmp_out.rename(args.out)
    shrink_checkpoint(args.out / MODEL_FILE)
    (args.out / "resources.json").write_text("{}\n", encoding="utf-8")
    nlp = load_pipeline(args.out)
    if args.ship_from is not None and (args.ship_from / "meta.json").is_file():
        earlier = json.loads((args.ship_from / "meta.json").read_text(encoding="utf-8"))
        minutes = float(earlier.get("held_out", {}).get("train_minutes", minutes))
    report: dict[str, object] = {
        "train_minutes": round(minutes, 1),
        "splits": splits.describe(),
        "seed": seed,
        "trainer_flags": flags,
        "vector_words": words,
    }
    for name, sents in splits.tests.items():
        report[f"test_{name}"] = score(sents, predict_bio(nlp, [s.words for s in sents]))
    all_tests = [s for sents in splits.tests.values() for s in sents]
    report["words_per_second"] = round(words_per_second(nlp, all_tests))
    import stanza

    meta = {**MODEL_META, "name": "hi_ner_stanza", "stanza_version": stanza.__version__,
            "description": "Hindi NER (PER, LOC, ORG), Stanza BiLSTM-CRF; see models/hi_ner/"
                           "README.md (model card)", "held_out": report}
    (args.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare_with is not None:
        report = compare(args.compare_with, args.out, args.shared)
        for name, row in report.items():
            for key, r in row.items():
                if key == "missed":
                    print(f"{name:15} missed gold entities {r}")
                    continue
                per = " ".join(f"{k} {v['f']:.3f}" for k, v in r["per_type"].items())
                print(f"{name:15} {key:19} P {r['p']:.3f} R {r['r']:.3f} F {r['f']:.3f}  {per}")
        return 0
    print(json.dumps(run(args), indent=2))
    return 0



def spans_of(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """(start, end, label) spans of a BIO sequence."""
    from pipeline.devtools.train_hindi import repair_bio

    out, start, label = set(), -1, ""
    for k, tag in enumerate([*repair_bio(list(tags)), "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == label):
            out.add((start, k, label))
            start = -1
        if tag.startswith("B-"):
            start, label = k, tag[2:]
    return {s for s in out if s[2] in CORE_LABELS}


def to_bio(spans: set[tuple[int, int, str]], n: int) -> list[str]:
    tags = ["O"] * n
    for start, end, label in sorted(spans):
        if any(t != "O" for t in tags[start:end]):
            continue
        tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    return tags


def combine(first: set[tuple[int, int, str]], second: set[tuple[int, int, str]]
            ) -> set[tuple[int, int, str]]:
    """``first``'s spans plus those of ``second`` that overlap none of them."""
    taken = {k for s, e, _ in first for k in range(s, e)}
    return first | {x for x in second if not taken & set(range(x[0], x[1]))}


def compare(spacy_dir: Path, stanza_dir: Path, shared: Path) -> dict[str, dict[str, Any]]:
    """Both models and their ensembles on the held-out sets, on gold tokens.

    Ensembles: the union (spaCy's spans first, Stanza's where spaCy has none, and the reverse)
    and the intersection (only spans both found). Also how often they err on the same entity.
    """
    import spacy
    from spacy.tokens import Doc

    splits = make_splits(shared)
    nlp_sp = spacy.load(spacy_dir)
    nlp_st = load_pipeline(stanza_dir)
    report: dict[str, dict[str, Any]] = {}
    for name, sents in splits.tests.items():
        sp = [{(e.start, e.end, e.label_) for e in d.ents if e.label_ in CORE_LABELS}
              for d in nlp_sp.pipe(Doc(nlp_sp.vocab, words=s.words) for s in sents)]
        st = [spans_of(t) for t in predict_bio(nlp_st, [s.words for s in sents])]
        gold = [spans_of(s.tags) for s in sents]
        variants = {
            "spacy": sp, "stanza": st,
            "union_spacy_first": [combine(a, b) for a, b in zip(sp, st, strict=True)],
            "union_stanza_first": [combine(b, a) for a, b in zip(sp, st, strict=True)],
            "intersection": [a & b for a, b in zip(sp, st, strict=True)],
        }
        row: dict[str, object] = {}
        for key, pred in variants.items():
            bio = [to_bio(p, len(s.words)) for p, s in zip(pred, sents, strict=True)]
            row[key] = score(sents, bio)
        missed_sp = sum(len(g - p) for g, p in zip(gold, sp, strict=True))
        missed_st = sum(len(g - p) for g, p in zip(gold, st, strict=True))
        missed_both = sum(len(g - p - q) for g, p, q in zip(gold, sp, st, strict=True))
        row["missed"] = {"spacy": missed_sp, "stanza": missed_st, "both": missed_both}
        report[name] = row
    return report


if __name__ == "__main__":
    sys.exit(main())

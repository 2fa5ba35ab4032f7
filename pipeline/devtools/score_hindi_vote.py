"""Score the Hindi NER vote (``pipeline.ner.vote``) the pipeline runs, on the sets the trainer uses.

The main model and the members the pipeline loads (``Settings.hindi_model``,
``Settings.hindi_vote_members``) tag the selection set and the held-out sets of
``training/hi_ner_data.toml`` on gold tokens; each model alone, and their vote at
``--min-votes``, are scored the way ``train_hindi.evaluate`` scores one model (exact spans,
PER/LOC/ORG). Speed is the whole voting pipeline's, tokenizer included.

    python -m pipeline.devtools.score_hindi_vote --shared ../shared
    python -m pipeline.devtools.score_hindi_vote --models models/hi_ner /tmp/a /tmp/b --min-votes 2
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.core.config import DEFAULT, REPO_DIR
from pipeline.devtools.train_hindi import (
    CORE_LABELS,
    DATA_SUBDIR,
    Sentence,
    make_splits,
    pipeline_words_per_second,
    to_docs,
)
from pipeline.ner.vote import Triple, vote


def predictions(model_dir: Path, sents: Sequence[Sentence]) -> list[list[Triple]]:
    """One model's PER/LOC/ORG spans on the gold tokens of ``sents``."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(model_dir)
    docs = nlp.pipe(Doc(nlp.vocab, words=s.words) for s in sents)
    return [[(e.start, e.end, e.label_) for e in d.ents if e.label_ in CORE_LABELS] for d in docs]


def score(sents: Sequence[Sentence], predicted: Sequence[Sequence[Triple]]) -> dict[str, Any]:
    """P/R/F1 overall and per label, spaCy's span scorer on the gold tokens."""
    import spacy
    from spacy.scorer import Scorer
    from spacy.tokens import Span
    from spacy.training import Example

    vocab = spacy.blank("hi").vocab
    examples = []
    for gold, spans in zip(to_docs(sents, vocab), predicted, strict=True):
        pred = gold.copy()
        pred.ents = [Span(pred, s, e, label=label) for s, e, label in spans]
        examples.append(Example(pred, gold))
    scores = Scorer.score_spans(examples, "ents")
    per_type = scores.get("ents_per_type") or {}
    return {"p": scores["ents_p"], "r": scores["ents_r"], "f": scores["ents_f"],
            "per_type": {k: per_type[k] for k in CORE_LABELS if k in per_type}}


def words_per_second(models: Sequence[Path], min_votes: int, sents: Sequence[Sentence]) -> float:
    """Throughput of the main model with the vote component, on raw text, one process."""
    import spacy

    from pipeline.ner.vote import make_ner_vote  # noqa: F401  (registers ner_vote)

    nlp = spacy.load(models[0])
    if len(models) > 1:
        nlp.add_pipe("ner_vote", config={"members": [str(m) for m in models[1:]],
                                         "min_votes": min_votes})
    return pipeline_words_per_second(nlp, sents)


def run(shared: Path, models: Sequence[Path], min_votes: int) -> dict[str, Any]:
    if not (shared / DATA_SUBDIR).is_dir():
        raise SystemExit(f"no Hindi NER corpora at {shared / DATA_SUBDIR} (pass --shared)")
    missing = [str(m) for m in models if not (m / "meta.json").is_file()]
    if missing:
        raise SystemExit(f"not a trained model folder: {', '.join(missing)} (make train-hi-ner)")
    splits = make_splits(shared)
    sets = {"selection": splits.dev, **splits.tests}
    preds = {m: {name: predictions(m, sents) for name, sents in sets.items()} for m in models}
    report: dict[str, Any] = {"models": [str(m) for m in models], "min_votes": min_votes}
    for name, sents in sets.items():
        report[name] = {str(m): score(sents, preds[m][name]) for m in models}
        voted = [vote([preds[m][name][i] for m in models], min_votes) for i in range(len(sents))]
        report[name]["vote"] = score(sents, voted)
    all_tests = [s for sents in splits.tests.values() for s in sents]
    report["words_per_second"] = round(words_per_second(models, min_votes, all_tests))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--shared", type=Path, default=REPO_DIR.parent / "shared")
    p.add_argument("--models", type=Path, nargs="+",
                   default=[DEFAULT.hindi_model, *DEFAULT.hindi_vote_members],
                   help="main model first (default: the pipeline's)")
    p.add_argument("--min-votes", type=int, default=DEFAULT.hindi_vote_min)
    args = p.parse_args(argv)
    report = run(args.shared, args.models, args.min_votes)
    print(json.dumps(report, indent=2))
    for name in ("selection", "ilner_dev", "hiner_tail", "multiconer_dev"):
        if name in report:
            row = " ".join(f"{Path(k).name}={v['f']:.3f}" for k, v in report[name].items())
            print(f"{name}: {row}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

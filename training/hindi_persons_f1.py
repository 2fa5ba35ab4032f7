"""Micro persons P/R/F1 over the Hindi documents of an ``eval-all`` output folder (issue 18).

``python -m pipeline eval-all --out DIR`` writes DIR/scores.csv (per document and area) and
DIR/<case>/documents.csv (with each document's language); this sums the persons tp/fp/fn of the
documents whose language is Hindi, for the development cases (every case except the seeds) and
for the seeds separately.

    python training/hindi_persons_f1.py outputs/eval
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def hindi_persons(out: Path) -> dict[str, tuple[int, int, int, float, float, float]]:
    scores = pd.read_csv(out / "scores.csv")
    scores = scores[(scores["area"] == "persons") & (scores["doc_id"] != "ALL")]
    result = {}
    for group, cases in (("cases", scores[scores["case"] != "seeds"]),
                         ("seeds", scores[scores["case"] == "seeds"])):
        tp = fp = fn = 0
        for case, rows in cases.groupby("case"):
            docs = pd.read_csv(out / str(case) / "documents.csv", dtype=str)
            hindi = set(docs.loc[docs["lang"] == "hi", "doc_id"])
            sel = rows[rows["doc_id"].isin(hindi)]
            tp, fp, fn = tp + sel["tp"].sum(), fp + sel["fp"].sum(), fn + sel["fn"].sum()
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[group] = (int(tp), int(fp), int(fn), round(p, 3), round(r, 3), round(f, 3))
    return result


if __name__ == "__main__":
    for group, (tp, fp, fn, p, r, f) in hindi_persons(Path(sys.argv[1])).items():
        print(f"{group}: tp {tp} fp {fp} fn {fn}  P {p} R {r} F1 {f}")

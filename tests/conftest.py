"""Shared fixtures: the repo's seeds, ../shared (skipped cleanly where absent), one pipeline run."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
EN_SEED = SEEDS / "000_97d93dba3af3a896.txt"
HI_SEED = SEEDS / "004_662676e4d8910313.txt"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "SCHEMA.md").exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory):
    """One full pipeline run on the seeds, shared by the tests that read its outputs."""
    from pipeline.runtime.run import run

    out = tmp_path_factory.mktemp("seeds_out")
    res = run([SEEDS], out, quiet=True)
    return res, out


def count_conflict(out: Path, values: set[str]):
    """The flagged member_count row of fact_table.csv whose documents give exactly ``values``."""
    import re

    import pandas as pd

    table = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    docs = pd.read_csv(out / "documents.csv", dtype=str).doc_id.tolist()

    def shown(row: pd.Series) -> set[str]:
        return {m.group() for d in docs if (m := re.match(r"\d+", row[d]))}

    hits = table[(table.predicate == "member_count") & (table.conflict == "true")]
    hits = hits[hits.apply(shown, axis=1) == values]
    assert len(hits) == 1, f"no single member_count conflict {sorted(values)}:\n{table.to_string()}"
    return hits.iloc[0]

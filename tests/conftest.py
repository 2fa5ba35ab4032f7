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


def count_conflict(out: Path, values: set[str], status: str = "conflict", exact: bool = True):
    """The member_count row of fact_table.csv graded ``status`` whose documents give exactly
    ``values`` (at least these with ``exact=False``), read from the typed fact_values.csv, not
    from display text."""
    from pipeline.output.tables import read_table

    table = read_table(out / "fact_table.csv")
    given = read_table(out / "fact_values.csv")
    by_row = given.groupby("conflict_id")["value"].agg(lambda v: set(v))
    hits = table[(table.predicate == "member_count") & (table.status == status)]
    hits = hits[hits.conflict_id.map(lambda cid: by_row.get(cid, set()) == values if exact
                                     else values <= by_row.get(cid, set()))]
    assert len(hits) == 1, f"no single member_count {status} {sorted(values)}:\n{table.to_string()}"
    row = hits.iloc[0]
    assert bool(row.conflict) == (status == "conflict")
    return row

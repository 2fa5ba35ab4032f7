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
    from pipeline.run import run

    out = tmp_path_factory.mktemp("seeds_out")
    res = run([SEEDS], out, quiet=True)
    return res, out

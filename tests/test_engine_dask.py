"""--engine dask gives byte-identical CSVs to the local engine (seeds and each development case).

One 2-worker LocalCluster serves the module (its address goes through --scheduler's path); the
default path, where the engine starts and closes its own LocalCluster, runs once on the seeds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

CSVS = ("documents", "entities", "entity_table", "facts", "fact_table")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def run_both(paths: list[Path], tmp: Path, scheduler: str | None) -> tuple[Path, Path]:
    from dataclasses import replace

    from pipeline.core.config import DEFAULT
    from pipeline.runtime.run import run

    settings = replace(DEFAULT, write_parquet=False)
    local, dask = tmp / "local", tmp / "dask"
    res_l = run(paths, local, settings, quiet=True)
    res_d = run(paths, dask, settings, quiet=True, engine="dask", scheduler=scheduler)
    assert res_l.documents and res_d.exit_code == res_l.exit_code
    assert [p.path for p in res_d.problems] == [p.path for p in res_l.problems]
    return local, dask


def assert_identical(local: Path, dask: Path) -> None:
    for name in CSVS:
        a, b = (local / f"{name}.csv").read_bytes(), (dask / f"{name}.csv").read_bytes()
        assert a == b, f"{name}.csv differs between the local and the dask engine"
    assert (local / "conflicts.md").read_bytes() == (dask / "conflicts.md").read_bytes()


def test_seeds_identical_with_own_local_cluster(tmp_path: Path) -> None:
    assert_identical(*run_both([SEEDS], tmp_path, scheduler=None))


CASES = sorted(p.name for p in (SHARED / "cases").glob("*") if p.is_dir())


@pytest.mark.parametrize("case", CASES or ["(../shared/cases is absent)"])
def test_case_identical_on_a_scheduler(tmp_path: Path, shared: Path, scheduler: str,
                                       case: str) -> None:
    texts = sorted((shared / "cases" / case).glob("*.txt"))
    if not texts:
        pytest.skip(f"no articles in ../shared/cases/{case}")
    assert_identical(*run_both(texts, tmp_path, scheduler))


def test_unreachable_scheduler_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """README: a configuration error stops the run with exit code 2 (EngineUnavailable)."""
    from pipeline.core.config import DEFAULT
    from pipeline.core.errors import EngineUnavailable
    from pipeline.ingest import ingest
    from pipeline.runtime import engine

    monkeypatch.setattr(engine, "SCHEDULER_TIMEOUT_S", 2)
    docs, _ = ingest([SEEDS])
    with pytest.raises(EngineUnavailable, match="cannot reach the Dask scheduler"):
        engine.map_documents(docs, DEFAULT, "dask", "tcp://127.0.0.1:9")

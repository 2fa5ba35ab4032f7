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


def test_unreachable_scheduler_is_a_configuration_error() -> None:
    """README: a configuration error stops the run with exit code 2 (EngineUnavailable)."""
    from dataclasses import replace

    from pipeline.core.config import DEFAULT
    from pipeline.core.errors import EngineUnavailable
    from pipeline.ingest import ingest
    from pipeline.runtime import engine

    docs, _ = ingest([SEEDS])
    with pytest.raises(EngineUnavailable, match="cannot reach the Dask scheduler"):
        engine.map_documents(docs, replace(DEFAULT, scheduler_timeout_s=2.0), "dask",
                             "tcp://127.0.0.1:9")


def test_a_folder_of_several_coalitions_is_identical(tmp_path: Path, scheduler: str) -> None:
    """Issue 16: a mixed folder (several coalitions, both languages, a copy of one article)
    gives the same bytes on a Dask cluster as on the local engine, in every file but run.json
    (timings) and report.html (which shows run.json)."""
    import shutil

    from conftest import REPO

    folder = tmp_path / "mixed"
    folder.mkdir()
    for case in ("arab_league", "csto_times", "sco"):
        for f in sorted((REPO / "tests" / "data" / "cases" / case).glob("*.txt")):
            shutil.copy(f, folder / f"{case}_{f.name}")
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (folder / "zz_copy.txt").write_bytes(seed.read_text("utf-8").encode("utf-16"))
    local, dask = run_both([folder], tmp_path, scheduler)
    files = sorted(p.relative_to(local) for p in local.rglob("*")
                   if p.is_file() and p.name not in ("run.json", "report.html"))
    assert len(files) >= len(CSVS) + 1
    assert files == sorted(p.relative_to(dask) for p in dask.rglob("*")
                           if p.is_file() and p.name not in ("run.json", "report.html"))
    for rel in files:
        assert (local / rel).read_bytes() == (dask / rel).read_bytes(), rel
    documents = (local / "documents.csv").read_text("utf-8")
    assert "zz_copy" in documents and len(documents.splitlines()) > 6

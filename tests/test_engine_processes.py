"""The local engine's worker processes: same outputs as one process, and a worker that dies
costs only the document that killed it."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EN_SEED, HI_SEED

from pipeline.core.config import DEFAULT
from pipeline.runtime.engine import local_workers

CSVS = ("documents", "entities", "entity_table", "facts", "fact_table")
CRASH = "SIMULATED-WORKER-CRASH"


# The corpus repeats the seeds on purpose: only exact copies are dropped (pipeline/duplicates.py).
REPEATS = replace(DEFAULT, find_near_copies=False)


def corpus(folder: Path, n: int) -> Path:
    """``n`` seed copies (both languages), each made distinct by a line of its own: more
    documents than one worker batch, so that both workers get some. Run them with REPEATS."""
    folder.mkdir()
    seeds = (EN_SEED.read_text("utf-8"), HI_SEED.read_text("utf-8"))
    for i in range(n):
        (folder / f"doc{i:03d}.txt").write_text(f"{seeds[i % 2].rstrip()}\n\n{i:05d}\n", "utf-8")
    return folder


def csvs(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in CSVS} | {
        "conflicts.md": (out / "conflicts.md").read_bytes()}


def test_automatic_workers_only_for_a_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = len(EN_SEED.read_text("utf-8")) + len(HI_SEED.read_text("utf-8"))
    assert local_workers(DEFAULT, seeds) == 1  # forking would not pay
    corpus_chars = DEFAULT.parallel_min_chars
    capped = replace(DEFAULT, max_auto_workers=4)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(8)), raising=False)
    assert local_workers(capped, corpus_chars) == 4  # 8 cores, at most 4 workers
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert local_workers(capped, corpus_chars) == 2  # one per core the process may use
    assert local_workers(replace(DEFAULT, workers=3), seeds) == 3
    assert local_workers(replace(DEFAULT, workers=1), 10**8) == 1
    assert local_workers(replace(DEFAULT, workers=2, backend="stanza"), 10**8) == 1


@pytest.mark.slow
def test_two_workers_write_what_one_process_writes(tmp_path: Path) -> None:
    from pipeline.runtime.run import run

    src = corpus(tmp_path / "in", 40)
    settings = replace(REPEATS, write_parquet=False)
    one = run([src], tmp_path / "one", replace(settings, workers=1), quiet=True)
    two = run([src], tmp_path / "two", replace(settings, workers=2), quiet=True)
    assert (one.workers, two.workers) == (1, 2)
    assert len(two.documents) == 40 and not two.problems
    assert csvs(tmp_path / "one") == csvs(tmp_path / "two")


@pytest.mark.slow
def test_a_dying_worker_costs_only_its_document(tmp_path: Path, monkeypatch, capsys) -> None:
    from pipeline.runtime import engine
    from pipeline.runtime.run import run

    src = corpus(tmp_path / "in", 24)
    bad = src / "doc011.txt"
    bad.write_text(bad.read_text("utf-8") + f"\n{CRASH}\n", "utf-8")
    real = engine.annotate

    def dies_on_the_marked_paragraph(docs, settings, finish=True):
        if any(CRASH in d.text[s.start:s.end] for d in docs for s in d.segments):
            os._exit(3)  # as the out-of-memory killer would end it: no exception, no cleanup
        return real(docs, settings, finish=finish)

    # Set before the pool forks, so the workers inherit it.
    monkeypatch.setattr(engine, "annotate", dies_on_the_marked_paragraph)
    settings = replace(REPEATS, write_parquet=False, workers=2)
    res = run([src], tmp_path / "out", settings, quiet=True)
    assert [p.path for p in res.problems] == [str(bad)]
    assert "worker process" in res.problems[0].problem
    assert len(res.documents) == 23
    assert str(bad) in capsys.readouterr().err

    # The others' results are what a run without the bad file gives.
    bad.unlink()
    monkeypatch.setattr(engine, "annotate", real)
    run([src], tmp_path / "clean", replace(settings, workers=1), quiet=True)
    got, want = csvs(tmp_path / "out"), csvs(tmp_path / "clean")
    assert got["facts"] == want["facts"] and got["fact_table"] == want["fact_table"]


@pytest.mark.slow
def test_one_large_mixed_document_is_spread_over_the_workers(tmp_path: Path) -> None:
    # One file of many English and Hindi paragraphs: its paragraphs go to several tasks, and
    # the document put together again is what one process makes of it.
    from pipeline.ingest import ingest
    from pipeline.runtime.engine import plan_tasks
    from pipeline.runtime.run import run
    from pipeline.runtime.steps import detect_languages

    src = tmp_path / "in"
    src.mkdir()
    seeds = (EN_SEED.read_text("utf-8").strip(), HI_SEED.read_text("utf-8").strip())
    (src / "large.txt").write_text("\n\n".join(seeds[i % 2] for i in range(24)), "utf-8")
    docs, _ = ingest([src])
    kept, _ = detect_languages(docs, DEFAULT)
    tasks = plan_tasks(kept, DEFAULT.process_task_chars)
    assert {g.lang for g in kept[0].segments} == {"en", "hi"}
    assert len(tasks) >= 2 and all(u[0] == 0 for t in tasks for u in t)
    settings = replace(DEFAULT, write_parquet=False)
    one = run([src], tmp_path / "one", replace(settings, workers=1), quiet=True)
    two = run([src], tmp_path / "two", replace(settings, workers=2), quiet=True)
    assert (one.workers, two.workers) == (1, 2) and not two.problems
    assert len(two.documents) == 1
    assert csvs(tmp_path / "one") == csvs(tmp_path / "two")

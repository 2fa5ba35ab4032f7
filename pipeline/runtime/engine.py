"""Engines run the per-document stages (language, NER): locally, or on Dask (issue 7).

Both engines return the same thing in the same order, so that everything after them (linking,
facts, reconciliation, writing) runs on the driver and the outputs do not depend on the engine.
The local engine runs in this process, or for a corpus or a large file in worker processes
forked once the models are loaded (``local_workers``, ``map_processes``): they share the models'
memory, start at once, and take runs of paragraphs, so that one huge file uses every core.

A document that makes the NER stage fail costs only itself: the batch is re-run document by
document (in workers: paragraph run by paragraph run) and the failing one is reported as a
Problem (a configuration error such as a missing model still stops the run: it would fail for
every document).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from pipeline.core.config import Settings
from pipeline.core.errors import ConfigurationError, EngineUnavailable
from pipeline.core.records import Document, Problem
from pipeline.ner import Annotated, annotate, finish_document
from pipeline.ner.registry import get_backend
from pipeline.runtime.steps import (
    Result,
    add_timings,
    detect_languages,
    error_text,
    isolated,
    run_guarded,
    timed,
)

if TYPE_CHECKING:
    from distributed import Client

# Documents per Dask task: large enough for nlp.pipe batching and to amortise task overhead,
# small enough that two workers get work early and a worker's memory stays bounded.
DASK_BATCH_DOCS = 16
DASK_WORKERS = 2
SCHEDULER_TIMEOUT_S = 20


# Documents per local batch (nlp.pipe batches within it; one failing batch is re-run by document).
LOCAL_BATCH_DOCS = 64


def map_documents(docs: list[Document], settings: Settings, engine: str = "local",
                  scheduler: str | None = None, workers: int = 1) -> Result:
    """Language + NER over ``docs``; the result keeps the order of ``docs``.

    ``workers`` (local engine): processes to run them in (see ``local_workers``).
    """
    if engine == "local":
        if workers > 1:
            return map_processes(docs, settings, workers)
        return map_local(docs, settings)
    if engine == "dask":
        return map_dask(docs, settings, scheduler)
    raise ValueError(f"unknown engine {engine!r} (local or dask)")


def local_workers(settings: Settings, n_chars: int) -> int:
    """Worker processes for the local engine: ``settings.workers`` when set, else one per core
    (up to ``settings.max_auto_workers``) once the inputs have ``settings.parallel_min_chars``
    characters (``n_chars``; about two seconds of NER on one core): less would not pay for the
    fork and for sending the results back.

    Only the spaCy backend forks (Stanza's PyTorch threads do not survive a fork), and only
    where the platform forks.
    """
    if settings.workers:
        wanted = settings.workers
    elif n_chars < settings.parallel_min_chars:
        return 1
    else:
        cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                 else os.cpu_count() or 1)
        wanted = min(cores, settings.max_auto_workers)
    if (settings.backend != "spacy"
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return max(1, wanted)


def map_local(docs: list[Document], settings: Settings) -> Result:
    """In this process, batch after batch (nlp.pipe still batches inside each)."""
    annotated: list[Annotated] = []
    problems: list[Problem] = []
    timings: dict[str, float] = {}
    for i in range(0, len(docs), LOCAL_BATCH_DOCS):
        a, p, t = run_guarded(docs[i:i + LOCAL_BATCH_DOCS], settings)
        annotated.extend(a)
        problems.extend(p)
        add_timings(timings, t)
    return annotated, problems, timings


class Unit(NamedTuple):
    """A piece of work for a worker process: paragraphs ``first:end`` of document ``doc``."""

    doc: int
    first: int
    end: int


@dataclass
class UnitResult:
    """What a worker sends back for a unit: its sentences, mentions, cues and parses (not the
    document, which the driver has), or the error that stopped it."""

    unit: Unit
    annotated: Annotated | None = None
    error: str = ""

# The documents of the current map_processes call, for the workers it forks: they inherit them,
# so a task names paragraphs by index instead of pickling the text.
_FORKED_DOCS: list[Document] = []


def plan_tasks(docs: list[Document], task_chars: int) -> list[list[Unit]]:
    """Paragraph runs in tasks of about ``task_chars`` characters, in document order: small
    documents are grouped, a large one is spread over several tasks."""
    tasks: list[list[Unit]] = []
    current: list[Unit] = []
    size = 0
    for i, d in enumerate(docs):
        lo = 0
        for k, seg in enumerate(d.segments):
            size += seg.end - seg.start
            if size >= task_chars:
                current.append(Unit(i, lo, k + 1))
                tasks.append(current)
                current, size, lo = [], 0, k + 1
        if lo < len(d.segments) or not d.segments:
            current.append(Unit(i, lo, len(d.segments)))
    if current:
        tasks.append(current)
    return tasks


def map_processes(docs: list[Document], settings: Settings, workers: int) -> Result:
    """Language detection here, then NER in ``workers`` forked processes, in tasks of
    paragraphs (``plan_tasks``); each document is put together again from its parts and
    finished here (``finish_document``), in the order of ``docs``.

    The models are loaded here first and frozen out of the garbage collector
    (``get_backend``), so the workers share their memory pages instead of each loading (and
    copying) them. A worker that dies (a crash, the out-of-memory killer) breaks the pool: the
    units it took down are run again one at a time in a single worker, so the one that kills it
    is found; its document is reported and skipped, and no other document loses anything.
    """
    global _FORKED_DOCS

    timings: dict[str, float] = {}
    with timed(timings, "language"):
        kept, problems = detect_languages(docs, settings)
    if not kept:
        return [], problems, timings
    for lang in settings.languages:
        get_backend(lang, settings)
    done: dict[Unit, UnitResult] = {}
    _FORKED_DOCS = kept
    try:
        tasks = plan_tasks(kept, settings.process_task_chars)
        lost = _run_tasks(tasks, settings, workers, done, timings)
        while lost:  # one unit at a time: the first to break the pool is the one that did
            lost = _run_tasks([[u] for u in lost], settings, 1, done, timings)
            if lost:
                done[lost[0]] = UnitResult(lost[0], error="the worker process running it "
                                           "ended (a crash or out of memory)")
                lost = lost[1:]
    finally:
        _FORKED_DOCS = []
    by_doc: dict[int, list[UnitResult]] = {}
    for unit in sorted(done):
        by_doc.setdefault(unit.doc, []).append(done[unit])
    annotated: list[Annotated] = []
    with timed(timings, "join"):
        for i, d in enumerate(kept):
            errors = [r.error for r in by_doc.get(i, []) if r.annotated is None]
            if errors:
                problems.append(Problem(d.path, f"language/NER failed: {errors[0]}"))
                continue
            a = Annotated(doc=d)
            for r in by_doc.get(i, []):
                if r.annotated is not None:
                    a.sentences.extend(r.annotated.sentences)
                    a.mentions.extend(r.annotated.mentions)
                    a.cues.extend(r.annotated.cues)
                    a.parses.extend(r.annotated.parses)
            finish_document(a, settings)
            annotated.append(a)
    return annotated, problems, timings


def _run_tasks(tasks: list[list[Unit]], settings: Settings, workers: int,
               done: dict[Unit, UnitResult], timings: dict[str, float]) -> list[Unit]:
    """Run the tasks in a fresh pool, results into ``done``; returns the units lost to a broken
    pool, in order."""

    lost: list[Unit] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_annotate_units, units, settings) for units in tasks]
        for units, future in zip(tasks, futures, strict=True):  # submission order
            try:
                results, t = future.result()
            except ConfigurationError:
                raise
            except BrokenProcessPool:
                lost.extend(units)
                continue
            except Exception as err:  # e.g. a result that cannot be sent back: these units
                results = [UnitResult(u, error=error_text(err)) for u in units]
                t = {}
            for r in results:
                done[r.unit] = r
            add_timings(timings, t)
    return lost


def _annotate_units(units: list[Unit], settings: Settings
                    ) -> tuple[list[UnitResult], dict[str, float]]:
    """In a worker: NER on the units' paragraphs of the inherited documents (unfinished: the
    driver finishes each document whole). If the task fails, each unit is tried alone, so a
    paragraph that breaks the NER costs only its own document."""

    def part(u: Unit) -> Document:
        d = _FORKED_DOCS[u.doc]
        return replace(d, segments=d.segments[u.first:u.end])

    def work(batch: list[Unit]) -> list[UnitResult]:
        found = annotate([part(u) for u in batch], settings, finish=False)
        # the document is the driver's: only what NER found goes back
        return [UnitResult(u, Annotated(doc=replace(a.doc, text=""), sentences=a.sentences,
                                        mentions=a.mentions, cues=a.cues, parses=a.parses))
                for u, a in zip(batch, found, strict=True)]

    def failed(u: Unit, err: Exception) -> UnitResult:
        return UnitResult(u, error=error_text(err))

    timings: dict[str, float] = {}
    with timed(timings, "ner"):
        return isolated(units, work, failed), timings


# --- Dask ---------------------------------------------------------------------------------------

def map_dask(docs: list[Document], settings: Settings, scheduler: str | None = None) -> Result:
    """Batches of documents as Dask tasks (``run_guarded`` on a worker: the models load once per
    worker process, get_backend being cached); results in the order of ``docs``."""
    if not docs:
        return [], [], {}
    n_batches = max(1, math.ceil(len(docs) / DASK_BATCH_DOCS))
    size = math.ceil(len(docs) / n_batches)
    batches = [docs[i:i + size] for i in range(0, len(docs), size)]

    annotated: list[Annotated] = []
    problems: list[Problem] = []
    timings: dict[str, float] = {}
    with dask_client(scheduler) as client:
        futures = [client.submit(run_guarded, b, settings, pure=False) for b in batches]
        for batch, future in zip(batches, futures, strict=True):  # submission order
            try:
                items, p, t = future.result()
            except ConfigurationError:
                raise
            except Exception as err:  # a worker died (e.g. out of memory): only this batch
                problems.extend(Problem(d.path, "language/NER failed on a Dask worker: "
                                        + error_text(err)) for d in batch)
                continue
            annotated.extend(items)
            problems.extend(p)
            add_timings(timings, t)
    return annotated, problems, timings


@contextmanager
def dask_client(scheduler: str | None) -> Iterator[Client]:
    """A client of ``scheduler``, or of a LocalCluster of worker processes closed afterwards."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:

        raise EngineUnavailable(
            "--engine dask needs dask[distributed] (pip install 'dask[distributed]')") from err
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as err:

            raise EngineUnavailable(f"cannot reach the Dask scheduler at {scheduler}: "
                                     + " ".join(str(err).split())) from err
        with client:
            yield client
        return
    with LocalCluster(n_workers=DASK_WORKERS, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client

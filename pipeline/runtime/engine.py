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
from dataclasses import replace
from typing import Any

from pipeline.core.config import Settings
from pipeline.core.records import Document, Problem
from pipeline.ner import Annotated

Result = tuple[list[Annotated], list[Problem], dict[str, float]]

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
        _add_timings(timings, t)
    return annotated, problems, timings


def run_guarded(docs: list[Document], settings: Settings) -> Result:
    """per_document on a batch; if the batch fails, one document at a time (why: see module)."""
    from pipeline.ner.registry import BackendUnavailable
    from pipeline.runtime.run import per_document

    try:
        return per_document(docs, settings)
    except BackendUnavailable:
        raise
    except Exception:  # isolate the document that caused it, below
        pass
    annotated: list[Annotated] = []
    problems: list[Problem] = []
    timings: dict[str, float] = {}
    for d in docs:
        try:
            a, p, t = per_document([d], settings)
        except BackendUnavailable:
            raise
        except Exception as err:  # reported as this file's problem
            msg = " ".join(str(err).split())[:300]
            problems.append(Problem(d.path, f"language/NER failed: {type(err).__name__}: {msg}"))
            continue
        annotated.extend(a)
        problems.extend(p)
        _add_timings(timings, t)
    return annotated, problems, timings


# A piece of work for a worker process: (document index, first paragraph, end paragraph).
Unit = tuple[int, int, int]
# What a worker sends back for a unit: its sentences, mentions, cues and parses (not the
# document, which the driver has), or the error that stopped it.
UnitResult = tuple[Unit, tuple[list[Any], list[Any], list[Any], list[Any]] | None, str]

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
                current.append((i, lo, k + 1))
                tasks.append(current)
                current, size, lo = [], 0, k + 1
        if lo < len(d.segments) or not d.segments:
            current.append((i, lo, len(d.segments)))
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
    from pipeline.ner import finish_document
    from pipeline.ner.registry import get_backend
    from pipeline.runtime.run import detect_languages, timed

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
                done[lost[0]] = (lost[0], None, "the worker process running it ended (a crash "
                                 "or out of memory)")
                lost = lost[1:]
    finally:
        _FORKED_DOCS = []
    by_doc: dict[int, list[UnitResult]] = {}
    for unit in sorted(done):
        by_doc.setdefault(unit[0], []).append(done[unit])
    annotated: list[Annotated] = []
    with timed(timings, "join"):
        for i, d in enumerate(kept):
            errors = [err for _u, parts, err in by_doc.get(i, []) if parts is None]
            if errors:
                problems.append(Problem(d.path, f"language/NER failed: {errors[0]}"))
                continue
            a = Annotated(doc=d)
            for _u, parts, _err in by_doc.get(i, []):
                if parts is None:
                    continue
                a.sentences.extend(parts[0])
                a.mentions.extend(parts[1])
                a.cues.extend(parts[2])
                a.parses.extend(parts[3])
            finish_document(a, settings)
            annotated.append(a)
    return annotated, problems, timings


def _run_tasks(tasks: list[list[Unit]], settings: Settings, workers: int,
               done: dict[Unit, UnitResult], timings: dict[str, float]) -> list[Unit]:
    """Run the tasks in a fresh pool, results into ``done``; returns the units lost to a broken
    pool, in order."""
    from pipeline.ner.registry import BackendUnavailable

    lost: list[Unit] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_annotate_units, units, settings) for units in tasks]
        for units, future in zip(tasks, futures, strict=True):  # submission order
            try:
                results, t = future.result()
            except BackendUnavailable:
                raise
            except BrokenProcessPool:
                lost.extend(units)
                continue
            except Exception as err:  # e.g. a result that cannot be sent back: these units
                msg = " ".join(str(err).split())[:300]
                results = [(u, None, f"{type(err).__name__}: {msg}") for u in units]
                t = {}
            for r in results:
                done[r[0]] = r
            _add_timings(timings, t)
    return lost


def _annotate_units(units: list[Unit], settings: Settings
                    ) -> tuple[list[UnitResult], dict[str, float]]:
    """In a worker: NER on the units' paragraphs of the inherited documents (unfinished: the
    driver finishes each document whole). If the task fails, each unit is tried alone, so a
    paragraph that breaks the NER costs only its own document."""
    from pipeline.ner import annotate
    from pipeline.ner.registry import BackendUnavailable
    from pipeline.runtime.run import timed

    def part(u: Unit) -> Document:
        d = _FORKED_DOCS[u[0]]
        return replace(d, segments=d.segments[u[1]:u[2]])

    def pack(u: Unit, a: Annotated) -> UnitResult:
        return u, (a.sentences, a.mentions, a.cues, a.parses), ""

    timings: dict[str, float] = {}
    with timed(timings, "ner"):
        try:
            found = annotate([part(u) for u in units], settings, finish=False)
            return [pack(u, a) for u, a in zip(units, found, strict=True)], timings
        except BackendUnavailable:
            raise
        except Exception:  # isolate the unit that caused it, below
            pass
        out: list[UnitResult] = []
        for u in units:
            try:
                out.append(pack(u, annotate([part(u)], settings, finish=False)[0]))
            except BackendUnavailable:
                raise
            except Exception as err:
                msg = " ".join(str(err).split())[:300]
                out.append((u, None, f"{type(err).__name__}: {msg}"))
        return out, timings


def _add_timings(total: dict[str, float], part: dict[str, float]) -> None:
    for k, v in part.items():
        total[k] = round(total.get(k, 0.0) + v, 4)


# --- Dask ---------------------------------------------------------------------------------------

def map_dask(docs: list[Document], settings: Settings, scheduler: str | None = None) -> Result:
    """Batches of documents as Dask tasks (``run_guarded`` on a worker: the models load once per
    worker process, get_backend being cached); results in the order of ``docs``."""
    if not docs:
        return [], [], {}
    n_batches = max(1, math.ceil(len(docs) / DASK_BATCH_DOCS))
    size = math.ceil(len(docs) / n_batches)
    batches = [docs[i:i + size] for i in range(0, len(docs), size)]
    from pipeline.ner.registry import BackendUnavailable

    annotated: list[Annotated] = []
    problems: list[Problem] = []
    timings: dict[str, float] = {}
    with dask_client(scheduler) as client:
        futures = [client.submit(run_guarded, b, settings, pure=False) for b in batches]
        for batch, future in zip(batches, futures, strict=True):  # submission order
            try:
                items, p, t = future.result()
            except BackendUnavailable:
                raise
            except Exception as err:  # a worker died (e.g. out of memory): only this batch
                msg = " ".join(str(err).split())[:300]
                problems.extend(Problem(d.path, f"language/NER failed on a Dask worker: "
                                        f"{type(err).__name__}: {msg}") for d in batch)
                continue
            annotated.extend(items)
            problems.extend(p)
            _add_timings(timings, t)
    return annotated, problems, timings


@contextmanager
def dask_client(scheduler: str | None) -> Iterator[Any]:
    """A client of ``scheduler``, or of a LocalCluster of worker processes closed afterwards."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        from pipeline.ner.registry import BackendUnavailable

        raise BackendUnavailable(
            "--engine dask needs dask[distributed] (pip install 'dask[distributed]')") from err
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as err:
            from pipeline.ner.registry import BackendUnavailable

            raise BackendUnavailable(f"cannot reach the Dask scheduler at {scheduler}: "
                                     + " ".join(str(err).split())) from err
        with client:
            yield client
        return
    with LocalCluster(n_workers=DASK_WORKERS, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client

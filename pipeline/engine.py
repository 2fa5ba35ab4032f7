"""Engines run the per-document stages (language, NER): locally, or on Dask (issue 7).

Both engines return the same thing in the same order, so that everything after them (linking,
facts, reconciliation, writing) runs on the driver and the outputs do not depend on the engine.
The local engine runs in this process, or for a corpus in worker processes forked once the
models are loaded (``local_workers``): they share the models' memory and start at once.

A document that makes the NER stage fail costs only itself: the batch is re-run document by
document and the failing one is reported as a Problem (a configuration error such as a missing
model still stops the run: it would fail for every document).
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
from typing import Any

from pipeline.config import Settings
from pipeline.ner import Annotated
from pipeline.records import Document, Problem

Result = tuple[list[Annotated], list[Problem], dict[str, float]]

# Documents per Dask task: large enough for nlp.pipe batching and to amortise task overhead,
# small enough that two workers get work early and a worker's memory stays bounded.
DASK_BATCH_DOCS = 16
DASK_WORKERS = 2
SCHEDULER_TIMEOUT_S = 20
# Documents per task of the local worker processes (the same trade-off).
PROCESS_BATCH_DOCS = 16


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


def local_workers(settings: Settings, n_docs: int) -> int:
    """Worker processes for the local engine: ``settings.workers`` when set, else one per core
    (up to ``settings.max_auto_workers``) once there are ``settings.parallel_min_docs``
    documents; fewer would not pay for the fork and for sending the results back.

    Only the spaCy backend forks (Stanza's PyTorch threads do not survive a fork), and only
    where the platform forks.
    """
    if settings.workers:
        wanted = settings.workers
    elif n_docs < settings.parallel_min_docs:
        return 1
    else:
        cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                 else os.cpu_count() or 1)
        wanted = min(cores, settings.max_auto_workers)
    if (settings.backend != "spacy"
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return max(1, min(wanted, n_docs))


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
    from pipeline.run import per_document

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


def map_processes(docs: list[Document], settings: Settings, workers: int) -> Result:
    """Batches of documents in ``workers`` forked processes; the results keep the order of
    ``docs`` (Annotated records pickle as they are: their parses are compact arrays).

    The models are loaded here first and frozen out of the garbage collector
    (``get_backend``), so the forked workers share their memory pages instead of each loading
    (and copying) them. A worker that dies (a crash, the out-of-memory killer) breaks the pool:
    the batches it took down are run again one document at a time in a single worker, so the
    document that kills it is found, reported, and costs no other document its results.
    """
    from pipeline.ner.registry import get_backend

    if not docs:
        return [], [], {}
    for lang in settings.languages:
        get_backend(lang, settings)
    spans = [(i, min(i + PROCESS_BATCH_DOCS, len(docs)))
             for i in range(0, len(docs), PROCESS_BATCH_DOCS)]
    done: dict[int, Result] = {}
    broken = _run_spans(docs, spans, settings, workers, done)
    retry = [(k, k + 1) for s, e in broken for k in range(s, e)]
    while retry:  # one document at a time: the first to break the pool is the one that did
        broken = _run_spans(docs, retry, settings, 1, done)
        if broken:
            k = broken[0][0]
            done[k] = ([], [Problem(docs[k].path, "language/NER failed: the worker process "
                                    "running it ended (a crash or out of memory)")], {})
        retry = broken[1:]
    annotated: list[Annotated] = []
    problems: list[Problem] = []
    timings: dict[str, float] = {}
    for k in sorted(done):
        a, p, t = done[k]
        annotated.extend(a)
        problems.extend(p)
        _add_timings(timings, t)
    return annotated, problems, timings


def _run_spans(docs: list[Document], spans: list[tuple[int, int]], settings: Settings,
               workers: int, done: dict[int, Result]) -> list[tuple[int, int]]:
    """Run each span of ``docs`` as a task in a fresh pool, results into ``done`` (by start);
    returns the spans lost to a broken pool, in order."""
    from pipeline.ner.registry import BackendUnavailable

    lost: list[tuple[int, int]] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(run_guarded, docs[s:e], settings) for s, e in spans]
        for (s, e), future in zip(spans, futures, strict=True):  # submission order
            try:
                items, p, t = future.result()
            except BackendUnavailable:
                raise
            except BrokenProcessPool:
                lost.append((s, e))
                continue
            except Exception as err:  # e.g. a result that cannot be sent back: this batch only
                msg = " ".join(str(err).split())[:300]
                done[s] = ([], [Problem(d.path, f"language/NER failed in a worker process: "
                                        f"{type(err).__name__}: {msg}") for d in docs[s:e]], {})
                continue
            done[s] = (items, p, t)
    return lost


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

"""Engines run the per-document stages (language, NER): locally, or on Dask (issue 7).

Both engines return the same thing in the same order, so that everything after them (linking,
facts, reconciliation, writing) runs on the driver and the outputs do not depend on the engine.

A document that makes the NER stage fail costs only itself: the batch is re-run document by
document and the failing one is reported as a Problem (a configuration error such as a missing
model still stops the run: it would fail for every document).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
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


# Documents per local batch: the parses of earlier batches are kept without their tensors.
LOCAL_BATCH_DOCS = 64


def map_documents(docs: list[Document], settings: Settings, engine: str = "local",
                  scheduler: str | None = None) -> Result:
    """Language + NER over ``docs``; the result keeps the order of ``docs``."""
    if engine == "local":
        return map_local(docs, settings)
    if engine == "dask":
        return map_dask(docs, settings, scheduler)
    raise ValueError(f"unknown engine {engine!r} (local or dask)")


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


def drop_tensors(annotated: list[Annotated]) -> None:
    """The tok2vec output (96 floats a token in en_core_web_sm) is the largest part of a parse,
    and no later stage reads it: the facts need tokens, lemmas, parse and entities only."""
    import numpy

    empty = numpy.zeros((0, 0), dtype="float32")
    for a in annotated:
        for _offset, sdoc in a.parses:
            sdoc.tensor = empty


def run_guarded(docs: list[Document], settings: Settings) -> Result:
    """per_document on a batch; if the batch fails, one document at a time (why: see module)."""
    from pipeline.ner.registry import BackendUnavailable
    from pipeline.run import per_document

    try:
        result = per_document(docs, settings)
        drop_tensors(result[0])
        return result
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
        drop_tensors(a)
        annotated.extend(a)
        problems.extend(p)
        _add_timings(timings, t)
    return annotated, problems, timings


def _add_timings(total: dict[str, float], part: dict[str, float]) -> None:
    for k, v in part.items():
        total[k] = round(total.get(k, 0.0) + v, 4)


# --- Dask ---------------------------------------------------------------------------------------

def map_dask(docs: list[Document], settings: Settings, scheduler: str | None = None) -> Result:
    """Batches of documents as Dask tasks; parses come back as bytes and are rebuilt here.

    spaCy Docs do pickle, but each pickle carries its whole Vocab (megabytes per batch) and every
    unpickled Vocab would get its own cue Matcher on the driver. Doc.to_bytes without the tensor
    is a fraction of that, and all rebuilt Docs share one Vocab per language.
    """
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
        futures = [client.submit(_dask_task, b, settings, pure=False) for b in batches]
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
            annotated.extend(_unpack(a, parses) for a, parses in items)
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


PackedParses = list[tuple[int, str, bytes]]


def _dask_task(docs: list[Document], settings: Settings
               ) -> tuple[list[tuple[Annotated, PackedParses]], list[Problem], dict[str, float]]:
    """Runs on a worker: the models load once per worker process (get_backend is cached)."""
    annotated, problems, timings = run_guarded(docs, settings)
    return [_pack(a) for a in annotated], problems, timings


def _pack(a: Annotated) -> tuple[Annotated, PackedParses]:
    parses = [(offset, sdoc.lang_, sdoc.to_bytes(exclude=["tensor", "user_data"]))
              for offset, sdoc in a.parses]
    return Annotated(doc=a.doc, sentences=a.sentences, mentions=a.mentions), parses


def _unpack(a: Annotated, parses: PackedParses) -> Annotated:
    from spacy.tokens import Doc

    a.parses = [(offset, Doc(driver_vocab(lang)).from_bytes(data))
                for offset, lang, data in parses]
    return a


@lru_cache(maxsize=8)
def driver_vocab(lang: str) -> Any:
    """One Vocab per language on the driver: rebuilt Docs share it (and their cue Matcher)."""
    import spacy

    return spacy.blank(lang).vocab

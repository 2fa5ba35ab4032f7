"""The per-document steps an engine runs (language, NER), their timing, and the one helper that
keeps a failing document from costing the others their results."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from babel import Locale

from pipeline.core.config import DEFAULT, Settings
from pipeline.core.errors import ConfigurationError
from pipeline.core.records import Document, Problem
from pipeline.language import detect_document
from pipeline.ner import Annotated, annotate

T = TypeVar("T")
R = TypeVar("R")
Result = tuple[list[Annotated], list[Problem], dict[str, float]]


@contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - t0, 4)


def add_timings(total: dict[str, float], part: dict[str, float]) -> None:
    for k, v in part.items():
        total[k] = round(total.get(k, 0.0) + v, 4)


def error_text(err: BaseException) -> str:
    """An exception as one short line for a file's problem."""
    return f"{type(err).__name__}: {' '.join(str(err).split())[:300]}"


def isolated(items: list[T], work: Callable[[list[T]], list[R]],
             failed: Callable[[T, Exception], R]) -> list[R]:
    """``work(items)``; if that raises, ``work([item])`` item by item, so that the one that fails
    becomes ``failed(item, error)`` and the others keep their results. A ConfigurationError is
    raised at once: it would fail for every item."""
    try:
        return work(items)
    except ConfigurationError:
        raise
    except Exception:  # isolate the item that caused it, below
        pass
    out: list[R] = []
    for item in items:
        try:
            out.extend(work([item]))
        except ConfigurationError:
            raise
        except Exception as err:  # reported as this item's problem
            out.append(failed(item, err))
    return out


def detect_languages(docs: list[Document], settings: Settings = DEFAULT
                     ) -> tuple[list[Document], list[Problem]]:
    """The language stage: documents with their languages and paragraphs, and a problem for
    each document in none of the configured languages (skipped)."""
    kept: list[Document] = []
    problems: list[Problem] = []
    for d in docs:
        d = detect_document(d, settings)
        if d.lang not in settings.languages:
            name = d.lang or "no language detected"
            problems.append(Problem(d.path, f"language {name} is {_none_of(settings)}"))
            continue
        kept.append(d)
    return kept, problems


def _none_of(settings: Settings) -> str:
    """'neither English nor Hindi' for the configured languages, named by CLDR (Babel)."""
    names = [Locale("en").languages.get(code, code) for code in settings.languages]
    return ("neither " + " nor ".join(names)) if len(names) > 1 else f"not {names[0]}"


def per_document(docs: list[Document], settings: Settings = DEFAULT) -> Result:
    """The per-document stages (language, NER) on a batch: what an engine may run in parallel."""
    timings: dict[str, float] = {}
    with timed(timings, "language"):
        kept, problems = detect_languages(docs, settings)
    with timed(timings, "ner"):
        annotated = annotate(kept, settings)
    return annotated, problems, timings


def run_guarded(docs: list[Document], settings: Settings) -> Result:
    """per_document on a batch; a document that makes it fail is reported and skipped."""
    Outcome = tuple[list[Annotated], list[Problem], dict[str, float]]

    def work(batch: list[Document]) -> list[Outcome]:
        return [per_document(batch, settings)]

    def failed(d: Document, err: Exception) -> Outcome:
        return [], [Problem(d.path, f"language/NER failed: {error_text(err)}")], {}

    annotated: list[Annotated] = []
    problems: list[Problem] = []
    timings: dict[str, float] = {}
    for a, p, t in isolated(docs, work, failed):
        annotated.extend(a)
        problems.extend(p)
        add_timings(timings, t)
    return annotated, problems, timings

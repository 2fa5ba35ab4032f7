"""run(paths, out_dir) → RunResult: the stages in order, with timings and per-file problems.

ingest → language → NER → link → facts → times (as_of) → reconcile → write. Each stage is one
call on typed records; a file that fails a stage is reported (stderr and run.json)
and the run goes on.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.core.config import DEFAULT, Settings
from pipeline.core.records import Document, Entity, Fact, FactRow, Mention, Problem
from pipeline.facts import extract_facts, run_subject
from pipeline.ingest import ingest
from pipeline.language import detect_document
from pipeline.link import link
from pipeline.ner import Annotated, annotate
from pipeline.output import conflicts_md, tables, write_all
from pipeline.reconcile import reconcile
from pipeline.timing import assign_times

# Exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_SKIPPED = 1  # some inputs were skipped; the others were processed and written
EXIT_NOTHING = 2  # no usable input at all (nothing written), or a usage/configuration error


@dataclass
class RunResult:
    documents: list[Document] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    rows: list[FactRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    subject: str = ""
    workers: int = 1  # local engine: processes NER ran in (0: another engine)

    @property
    def exit_code(self) -> int:
        if not self.documents:
            return EXIT_NOTHING
        return EXIT_SKIPPED if any(p.skipped for p in self.problems) else EXIT_OK


class Progress:
    """Stage progress on stderr, only for more than a handful of documents."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def stage(self, name: str, n: int) -> None:
        if self.enabled:
            print(f"[pipeline] {name}: {n} document(s)", file=sys.stderr, flush=True)


@contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - t0, 4)


def report(problem: Problem) -> None:
    """One clear line per problem, naming the file."""
    what = "skipped" if problem.skipped else "note"
    print(f"{problem.path}: {what}: {problem.problem}", file=sys.stderr, flush=True)


def per_document(docs: list[Document], settings: Settings = DEFAULT
                 ) -> tuple[list[Annotated], list[Problem], dict[str, float]]:
    """The per-document stages (language, NER) on a batch: what an engine may run in parallel."""
    timings: dict[str, float] = {}
    with timed(timings, "language"):
        kept, problems = detect_languages(docs, settings)
    with timed(timings, "ner"):
        annotated = annotate(kept, settings)
    return annotated, problems, timings


def detect_languages(docs: list[Document], settings: Settings = DEFAULT
                     ) -> tuple[list[Document], list[Problem]]:
    """The language stage: documents with their languages and paragraphs, and a problem for
    each document in neither English nor Hindi (skipped)."""
    kept: list[Document] = []
    problems: list[Problem] = []
    for d in docs:
        d = detect_document(d, settings)
        if d.lang not in settings.languages:
            name = d.lang or "no language detected"
            problems.append(Problem(d.path, f"language {name} is neither English nor Hindi"))
            continue
        kept.append(d)
    return kept, problems


def process(paths: list[Path], settings: Settings = DEFAULT, quiet: bool = False,
            engine: str = "local", scheduler: str | None = None) -> RunResult:
    """All stages up to reconciliation, without writing anything."""
    from pipeline.runtime.engine import local_workers, map_documents

    res = RunResult()
    progress = Progress(enabled=not quiet)
    with timed(res.timings, "ingest"):
        docs, problems = ingest(paths, settings)
    res.problems.extend(problems)
    progress.enabled = progress.enabled and len(docs) > 5
    progress.stage("language and NER", len(docs))
    res.workers = (local_workers(settings, sum(len(d.text) for d in docs))
                   if engine == "local" else 0)
    with timed(res.timings, "language+ner wall"):
        annotated, problems, timings = map_documents(docs, settings, engine, scheduler,
                                                     workers=res.workers)
    res.problems.extend(problems)
    res.timings.update(timings)
    res.documents = [a.doc for a in annotated]
    progress.stage("link", len(annotated))
    with timed(res.timings, "link"):
        mentions, res.entities = link([m for a in annotated for m in a.mentions],
                                      threshold=settings.person_match_threshold,
                                      cross_threshold=settings.cross_script_match_threshold,
                                      texts={d.doc_id: d.text for d in res.documents})
        by_doc: dict[str, list[Mention]] = {}
        for m in mentions:
            by_doc.setdefault(m.doc_id, []).append(m)
        for a in annotated:
            a.mentions = by_doc.get(a.doc.doc_id, [])
        res.mentions = mentions
    progress.stage("facts", len(annotated))
    with timed(res.timings, "facts"):
        res.subject = settings.subject or run_subject(annotated)
        res.facts = extract_facts(annotated, res.subject)
    with timed(res.timings, "reconcile"):
        res.facts = assign_times(res.facts, res.documents)
        res.rows = reconcile(res.facts, [d.doc_id for d in res.documents], res.subject)
    return res


def run_info(res: RunResult, settings: Settings) -> dict[str, Any]:
    import spacy

    from pipeline.ner.registry import get_backend

    models: dict[str, Any] = {"spacy": spacy.__version__, "backend": settings.backend}
    for lang in sorted({d.lang for d in res.documents}):
        try:
            backend = get_backend(lang, settings)
        except Exception:  # run.json must still be written
            continue
        nlp = getattr(backend, "nlp", None)
        meta = getattr(backend, "meta", None) or (nlp.meta if nlp is not None else {})
        models[lang] = f"{meta.get('name', '?')} {meta.get('version', '?')}"
        if lang == "hi":
            models["hi_trained_ner"] = bool(getattr(backend, "has_model", False))
    return {
        "pipeline_version": __version__,
        "python": platform.python_version(),
        "models": models,
        "subject": res.subject,
        "inputs": [{"doc_id": d.doc_id, "path": d.path, "sha256": d.sha256, "lang": d.lang}
                   for d in res.documents],
        "problems": [{"path": p.path, "problem": p.problem, "skipped": p.skipped}
                     for p in res.problems],
        "skipped": sorted({p.path for p in res.problems if p.skipped}),
        "timings_s": res.timings,
        "workers": res.workers,
        "counts": {"documents": len(res.documents), "mentions": len(res.mentions),
                   "entities": len(res.entities), "facts": len(res.facts),
                   "fact_rows": len(res.rows), "conflicts": sum(r.conflict for r in res.rows),
                   "possible_conflicts": sum(r.status == "possible_conflict" for r in res.rows)},
        "exit_code": res.exit_code,
    }


def write_outputs(res: RunResult, out_dir: Path, settings: Settings = DEFAULT,
                  reviews_path: Path | None = None, reviews_required: bool = True) -> None:
    from pipeline.output import reviews
    from pipeline.output.html import ReportInputs, render_report

    doc_ids = [d.doc_id for d in res.documents]
    frames = {
        "documents": tables.documents_frame(res.documents),
        "entities": tables.entities_frame(res.mentions),
        "entity_table": tables.entity_table_frame(res.entities, doc_ids),
        "facts": tables.facts_frame(res.facts),
        "fact_table": tables.fact_table_frame(res.rows, doc_ids),
        "fact_values": tables.fact_values_frame(res.rows),
    }
    # Review decisions (pipeline/reviews.py): added columns on fact_table, stale ones reported.
    reviewed = reviews.review(frames["fact_table"], reviews_path, reviews_required,
                              frames["fact_values"])
    frames["fact_table"] = reviewed.table
    res.problems.extend(reviewed.problems)
    t0 = time.perf_counter()
    md = conflicts_md.render(res.rows, doc_ids, frames["entity_table"], res.subject,
                             reviewed.table)
    info = run_info(res, settings)
    info["reviews"] = reviewed.info
    with ThreadPoolExecutor(max_workers=1) as pool:
        # pyarrow writes the Parquet copies mostly without holding the GIL: in a thread they
        # overlap the CSVs and the page, which are Python work.
        parquet = (pool.submit(tables.write_parquet_all, out_dir, frames)
                   if settings.write_parquet else None)
        write_all(out_dir, frames, info, md, parquet=False)
        reviews.write_template(out_dir, reviewed.table)
        # The page gets the tables in memory, not read back. Only the documents table has
        # cells the page shows that are not text already; they are given as the CSV has them.
        render_report(out_dir, inputs=ReportInputs(
            documents=frames["documents"].astype(str), fact_table=frames["fact_table"],
            entities=frames["entities"], entity_table=frames["entity_table"],
            facts=res.facts, info=json.loads(json.dumps(info, sort_keys=True)), rows=res.rows))
        if parquet is not None:
            parquet.result()
    res.timings["write"] = round(time.perf_counter() - t0, 4)


def run(paths: list[Path], out_dir: Path, settings: Settings = DEFAULT,
        quiet: bool = False, engine: str = "local", scheduler: str | None = None,
        reviews_path: Path | None = None) -> RunResult:
    """Process the inputs as articles about one subject and write the outputs to ``out_dir``.

    ``reviews_path`` None: the decisions in ``<first input folder>/reviews.csv``, if any.
    """
    from pipeline.output.reviews import default_reviews_path

    res = process(paths, settings, quiet, engine, scheduler)
    for p in res.problems:
        report(p)
    if res.documents:
        given = reviews_path is not None
        reviews_at = reviews_path if given else default_reviews_path(paths, settings.reviews_file)
        write_outputs(res, out_dir, settings, reviews_at, reviews_required=given)
    return res

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from pipeline import __version__
from pipeline.core.config import DEFAULT, Settings
from pipeline.core.records import PERSON, Document, Entity, Fact, FactRow, Mention, Problem
from pipeline.facts import extract_facts
from pipeline.facts.subject import RunSubject, decide_subject, descriptive_subject
from pipeline.ingest import ingest
from pipeline.link import OrgIndex, link, link_orgs
from pipeline.ner.registry import get_backend
from pipeline.normalize.orgs import check_orgs_file
from pipeline.output import conflicts_md, reviews, tables, write_all
from pipeline.output.decisions import (
    decisions_markdown,
    load_rejections,
    reconcile_kept,
    without_rejected,
)
from pipeline.output.html import ReportInputs, render_report
from pipeline.output.reviews import default_reviews_path
from pipeline.reconcile import reconcile
from pipeline.runtime.engine import local_workers, map_documents
from pipeline.runtime.steps import timed
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
    subject_info: RunSubject | None = None
    warnings: list[str] = field(default_factory=list)
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


def report(problem: Problem) -> None:
    """One clear line per problem, naming the file."""
    what = "skipped" if problem.skipped else "note"
    print(f"{problem.path}: {what}: {problem.problem}", file=sys.stderr, flush=True)


def process(paths: list[Path], settings: Settings = DEFAULT, quiet: bool = False,
            engine: str = "local", scheduler: str | None = None) -> RunResult:
    """All stages up to reconciliation, without writing anything."""
    check_orgs_file(settings.orgs_file)
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
                                      texts={d.doc_id: d.text for d in res.documents},
                                      orgs_file=settings.orgs_file, settings=settings)
        res.mentions = mentions
    with timed(res.timings, "link organisations"):
        names = subject_names(settings)
        person_links = {e.kb_id: e.person_link for e in res.entities if e.person_link}
        res.mentions, res.entities, index = link_orgs(
            {d.doc_id: d.text for d in res.documents}, res.mentions, names,
            settings.orgs_file)
        # the entities are rebuilt: keep how each person's name was found (link/persons.py)
        res.entities = [replace(e, person_link=person_links.get(e.kb_id, ""))
                        if e.label == PERSON else e for e in res.entities]
        by_doc: dict[str, list[Mention]] = {}
        for m in res.mentions:
            by_doc.setdefault(m.doc_id, []).append(m)
        for a in annotated:
            a.mentions = by_doc.get(a.doc.doc_id, [])
    progress.stage("facts", len(annotated))
    with timed(res.timings, "facts"):
        given = given_subject(settings, index, res)
        res.subject_info = decide_subject(annotated, given)
        if (not given and res.subject_info.confidence < settings.subject_min_confidence
                and (described := descriptive_subject(annotated))):
            # no organisation is clearly the subject: the unnamed coalition the articles
            # describe is ("the coalition of the willing")
            res.subject_info = replace(res.subject_info, kb_id=described, generic=False)
        res.subject = res.subject_info.kb_id
        res.warnings.extend(subject_warnings(res.subject_info, settings, index))
        res.facts = extract_facts(annotated, res.subject)
    with timed(res.timings, "times"):
        res.facts = assign_times(res.facts, res.documents)
    with timed(res.timings, "reconcile"):
        res.rows = reconcile(res.facts, [d.doc_id for d in res.documents], res.subject,
                             settings.orgs_file)
    return res


def subject_names(settings: Settings) -> list[str]:
    """The names the user gave for the subject (--subject and --alias, or aliases.yaml)."""
    names = list(settings.subject_aliases)
    if settings.subject:
        names.insert(0, settings.subject)
    return [n for n in dict.fromkeys(n.strip() for n in names) if n]


def given_subject(settings: Settings, index: OrgIndex, res: RunResult) -> str | None:
    """The kb_id of the subject the user named, or None to find it in the text. A name that
    occurs in no input is warned about (and kept as the subject: the user said so)."""
    if not settings.subject and not settings.subject_aliases:
        return None
    kb = index.user_id or (index.find(settings.subject or "") or "")
    if not any(m.kb_id == kb and m.label == "ORG" for m in res.mentions):
        shown = settings.subject or " / ".join(settings.subject_aliases)
        res.warnings.append(f"warning: the subject {shown!r} occurs in none of the inputs; "
                            "check the name (or give its other names with --alias)")
        return kb or settings.subject
    return kb


def subject_warnings(subject: RunSubject, settings: Settings, index: OrgIndex) -> list[str]:
    """A subject found with low confidence, and documents about different organisations."""
    out = []

    def name(kb: str) -> str:
        canon = index.canonical.get(kb, kb)
        return kb if canon == kb else f"{kb} ({canon})"

    if not subject.given and subject.confidence < settings.subject_min_confidence:
        out.append(f"warning: the subject {name(subject.kb_id)} was found with low confidence "
                   f"({subject.confidence:.2f}); name it with --subject (and --alias) if it is "
                   "wrong")
    other = subject.disagreeing
    if other:
        where = ", ".join(f"{d}: {name(k)}" for d, k in other.items())
        out.append(f"warning: the documents point to different organisations (run subject "
                   f"{name(subject.kb_id)}; {where}); facts are about {subject.kb_id} unless a "
                   "sentence names another")
    return out


def read_aliases(paths: list[Path], settings: Settings) -> tuple[Settings, list[Problem]]:
    """``aliases.yaml`` beside the inputs: the subject (``subject:``) and its other names
    (``aliases:``), in either script. Given on the command line, --subject and --alias win
    (their names are added to the file's)."""
    seen: set[Path] = set()
    subject, aliases, problems = settings.subject, list(settings.subject_aliases), []
    for p in paths:
        folder = p if p.is_dir() else p.parent
        f = folder / settings.aliases_file
        if f in seen or not f.is_file():
            continue
        seen.add(f)
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            problems.append(Problem(str(f), f"cannot read the aliases file: {err}", False))
            continue
        if isinstance(data, list):
            data = {"aliases": data}
        if not isinstance(data, dict) or not set(data) <= {"subject", "aliases"}:
            problems.append(Problem(str(f), "expected 'subject: NAME' and/or 'aliases: [NAME, "
                                    "...]'; file ignored", False))
            continue
        listed = data.get("aliases") or []
        if isinstance(listed, str):
            listed = [listed]
        if not isinstance(listed, list) or not all(isinstance(a, str) for a in listed):
            problems.append(Problem(str(f), "'aliases' must be a list of names; file ignored",
                                    False))
            continue
        aliases.extend(listed)
        if data.get("subject") and not subject:
            subject = str(data["subject"])
    return replace(settings, subject=subject, subject_aliases=tuple(aliases)), problems


def run_info(res: RunResult, settings: Settings) -> dict[str, Any]:
    from spacy.about import __version__ as spacy_version


    models: dict[str, Any] = {"spacy": spacy_version, "backend": settings.backend}
    for lang in sorted({d.lang for d in res.documents}):
        try:
            backend = get_backend(lang, settings)
        except Exception:  # run.json must still be written
            continue
        nlp = getattr(backend, "nlp", None)
        meta = getattr(backend, "meta", None) or (nlp.meta if nlp is not None else {})
        models[lang] = f"{meta.get('name', '?')} {meta.get('version', '?')}"
        if hasattr(backend, "has_model"):  # a backend whose trained model may be missing
            models[f"{lang}_trained_ner"] = bool(backend.has_model)
    return {
        "pipeline_version": __version__,
        "python": platform.python_version(),
        "models": models,
        "subject": res.subject,
        "subject_confidence": res.subject_info.confidence if res.subject_info else None,
        "subject_given": bool(res.subject_info and res.subject_info.given),
        "subject_by_document": {
            d: {"subject": c.kb_id, "confidence": c.confidence, "generic": c.generic}
            for d, c in (res.subject_info.documents.items() if res.subject_info else ())},
        "warnings": res.warnings,
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
    doc_ids = [d.doc_id for d in res.documents]
    frames = {
        "documents": tables.documents_frame(res.documents, {
            d: (c.kb_id, c.confidence)
            for d, c in (res.subject_info.documents.items() if res.subject_info else ())}),
        "entities": tables.entities_frame(res.mentions),
        "entity_table": tables.entity_table_frame(res.entities, doc_ids),
        "facts": tables.facts_frame(res.facts),
        "fact_table": tables.fact_table_frame(res.rows, doc_ids),
        "fact_values": tables.fact_values_frame(res.rows),
    }
    # Fact rejections (output/decisions.py): rejected facts stay in facts.csv, not in the tables.
    rejected = load_rejections(reviews_path, res.problems)
    rows, kept = res.rows, res.facts
    if rejected:
        kept = without_rejected(res.facts, rejected)
        rows = reconcile_kept(kept, doc_ids, res.subject)
        frames["fact_table"] = tables.fact_table_frame(rows, doc_ids)
        frames["fact_values"] = tables.fact_values_frame(rows)
    # Review decisions (output/reviews.py): added columns on fact_table, stale ones reported.
    reviewed = reviews.review(frames["fact_table"], reviews_path, reviews_required,
                              frames["fact_values"])
    frames["fact_table"] = reviewed.table
    res.problems.extend(reviewed.problems)
    t0 = time.perf_counter()
    md = conflicts_md.render(rows, doc_ids, frames["entity_table"], res.subject,
                             reviewed.table) + "\n" + \
        decisions_markdown(reviewed.table, rejected, res.facts)
    info = run_info(res, settings)
    info["reviews"] = {**reviewed.info,
                       "rejected": [{"fact_id": r.fact_id, "reason": r.reason,
                                     "reviewer": r.reviewer, "date": r.date,
                                     "found": any(f.fact_id == r.fact_id for f in res.facts)}
                                    for r in rejected.values()]}
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
            facts=kept, info=json.loads(json.dumps(info, sort_keys=True)), rows=rows))
        if parquet is not None:
            parquet.result()
    res.timings["write"] = round(time.perf_counter() - t0, 4)


def run(paths: list[Path], out_dir: Path, settings: Settings = DEFAULT,
        quiet: bool = False, engine: str = "local", scheduler: str | None = None,
        reviews_path: Path | None = None) -> RunResult:
    """Process the inputs as articles about one subject and write the outputs to ``out_dir``.

    ``reviews_path`` None: the decisions in ``<first input folder>/reviews.csv``, if any.
    """
    settings, alias_problems = read_aliases(paths, settings)
    res = process(paths, settings, quiet, engine, scheduler)
    res.problems[:0] = alias_problems
    for p in res.problems:
        report(p)
    for w in res.warnings:
        print(w, file=sys.stderr, flush=True)
    if res.documents:
        given = reviews_path is not None
        reviews_at = reviews_path if given else default_reviews_path(paths, settings.reviews_file)
        write_outputs(res, out_dir, settings, reviews_at, reviews_required=given)
    return res

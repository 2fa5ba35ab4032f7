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
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipeline import __version__
from pipeline.core.config import DEFAULT, Settings
from pipeline.core.records import COUNTRY, PERSON, Document, Entity, Fact, FactRow, Mention, Problem
from pipeline.duplicates import Duplicate, duplicate_note, find_duplicates
from pipeline.facts import extract_facts
from pipeline.facts.subject import (
    RunSubject,
    decide_subject,
    descriptive_subject,
    document_subject,
)
from pipeline.ingest import ingest
from pipeline.link import OrgIndex, link, link_orgs
from pipeline.ner.base import Annotated
from pipeline.ner.registry import get_backend
from pipeline.normalize.orgs import check_orgs_file
from pipeline.output import conflicts_md, reviews, tables, write_all
from pipeline.output.atomic import write_json_atomic
from pipeline.output.decisions import (
    decisions_markdown,
    load_rejections,
    reconcile_kept,
    without_rejected,
)
from pipeline.output.html import ReportInputs, render_report
from pipeline.output.index import (
    SubjectSummary,
    subject_folder,
    subject_reviews_path,
    with_folder,
    write_index,
)
from pipeline.output.reviews import default_reviews_path
from pipeline.reconcile import reconcile, subject_aliases
from pipeline.runtime.corpus import (
    DESCRIBED,
    Assignment,
    assign,
    attach_by_entities,
    claim_described,
    split_remainder,
)
from pipeline.runtime.engine import local_workers, map_documents
from pipeline.runtime.steps import add_timings, timed
from pipeline.timing import assign_times

# Exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_SKIPPED = 1  # some inputs were skipped; the others were processed and written
EXIT_NOTHING = 2  # no usable input at all (nothing written), or a usage/configuration error


@dataclass
class RunResult:
    documents: list[Document] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # copies, not processed
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
    # A run of several subjects (process_corpus): one result per subject, and where each
    # document went. Empty for a run of one subject.
    groups: list[RunResult] = field(default_factory=list)
    assignments: dict[str, Assignment] = field(default_factory=dict)

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


def annotate_inputs(paths: list[Path], settings: Settings, quiet: bool, engine: str,
                    scheduler: str | None) -> tuple[RunResult, list[Annotated], Progress]:
    """Ingest, language and NER of every input."""
    check_orgs_file(settings.orgs_file)
    res = RunResult()
    progress = Progress(enabled=not quiet)
    with timed(res.timings, "ingest"):
        docs, problems = ingest(paths, settings)
    res.problems.extend(problems)
    with timed(res.timings, "duplicates"):
        docs, res.duplicates = find_duplicates(docs, settings)
    res.problems.extend(Problem(d.doc.path, duplicate_note(d), skipped=False)
                        for d in res.duplicates)
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
    return res, annotated, progress


def link_documents(res: RunResult, annotated: list[Annotated], settings: Settings) -> OrgIndex:
    """Persons, places, countries and organisations of ``res.documents`` linked across them;
    ``res`` and each document's mentions are updated. Returns the organisations' index."""
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
    return index


def subject_and_facts(res: RunResult, annotated: list[Annotated], settings: Settings,
                      index: OrgIndex, described: str | None = None) -> None:
    """The subject of the documents (given or found), their facts and when each holds.
    ``described``: the unnamed coalition a corpus grouped these documents by (corpus.py)."""
    with timed(res.timings, "facts"):
        given = given_subject(settings, index, res)
        res.subject_info = decide_subject(annotated, given, settings.facts)
        if described and not given:
            res.subject_info = replace(res.subject_info, kb_id=described, generic=False)
        elif (not given and res.subject_info.confidence < settings.subject_min_confidence
                and (described := descriptive_subject(annotated, settings.facts))):
            # no organisation is clearly the subject: the unnamed coalition the articles
            # describe is ("the coalition of the willing")
            res.subject_info = replace(res.subject_info, kb_id=described, generic=False)
        res.subject = res.subject_info.kb_id
        res.warnings.extend(subject_warnings(res.subject_info, settings, index))
        res.facts = extract_facts(annotated, res.subject, settings.facts)
    with timed(res.timings, "times"):
        res.facts = assign_times(res.facts, res.documents)


def process(paths: list[Path], settings: Settings = DEFAULT, quiet: bool = False,
            engine: str = "local", scheduler: str | None = None) -> RunResult:
    """All stages up to reconciliation for one subject, without writing anything."""
    res, annotated, progress = annotate_inputs(paths, settings, quiet, engine, scheduler)
    progress.stage("link", len(annotated))
    index = link_documents(res, annotated, settings)
    progress.stage("facts", len(annotated))
    subject_and_facts(res, annotated, settings, index)
    with timed(res.timings, "reconcile"):
        res.rows = reconcile(res.facts, [d.doc_id for d in res.documents], res.subject,
                             settings.orgs_file)
    return res


def process_corpus(paths: list[Path], settings: Settings = DEFAULT, quiet: bool = False,
                   engine: str = "local", scheduler: str | None = None) -> RunResult:
    """All stages up to reconciliation, one subject per group of documents when the inputs are
    about several organisations (runtime/corpus.py); otherwise exactly ``process``.

    Several subjects: ``res.groups`` holds one result per subject, each linked, decided and
    reconciled on its own documents as a run on them alone would be; facts a document states
    about another subject of the run are reconciled in that subject's table. ``res`` holds
    every document, mention, fact and row, and the problems and timings of the whole run.
    """
    res, annotated, progress = annotate_inputs(paths, settings, quiet, engine, scheduler)
    unlinked = {a.doc.doc_id: a.mentions for a in annotated}
    progress.stage("link", len(annotated))
    index = link_documents(res, annotated, settings)
    plan = None if subject_names(settings) else assign(
        {a.doc.doc_id: document_subject(a, settings.facts) for a in annotated}, settings)
    progress.stage("facts", len(annotated))
    if plan is None:
        subject_and_facts(res, annotated, settings, index)
        with timed(res.timings, "reconcile"):
            res.rows = reconcile(res.facts, [d.doc_id for d in res.documents], res.subject,
                                 settings.orgs_file)
        return res
    groups, res.assignments = plan
    by_id = {a.doc.doc_id: a for a in annotated}
    # documents that name no subject of the run: grouped by the unnamed coalition they describe
    one = replace(settings.facts, min_description_count=1)
    groups = split_remainder(groups, res.assignments, {
        d: descriptive_subject([by_id[d]], one) for g in groups if not g.subject
        for d in g.doc_ids}, settings)
    profiles = {a.doc.doc_id: Counter(m.kb_id for m in a.mentions
                                      if m.kb_id and m.label in (COUNTRY, PERSON))
                for a in annotated}
    # a document under a named body that repeats a described group's description
    if any(res.assignments[g.doc_ids[0]].how == DESCRIBED for g in groups if g.subject):
        groups = claim_described(groups, res.assignments, {
            d: descriptive_subject([by_id[d]], settings.facts) for g in groups if g.subject
            and res.assignments[g.doc_ids[0]].how != DESCRIBED for d in g.doc_ids}, profiles)
    # ...and those that describe none by the states and persons they share with a group
    groups = attach_by_entities(groups, res.assignments, profiles, settings)
    for g in groups:
        part = [by_id[d] for d in g.doc_ids]
        for a in part:
            a.mentions = unlinked[a.doc.doc_id]  # linked again among its subject's documents
        paths_of = {a.doc.path for a in part}
        sub = RunResult(documents=[a.doc for a in part], workers=res.workers,
                        problems=[p for p in res.problems if p.path in paths_of])
        described = g.subject if any(res.assignments[d].how == DESCRIBED
                                     for d in g.doc_ids) else None
        subject_and_facts(sub, part, settings, link_documents(sub, part, settings), described)
        res.groups.append(sub)
    with timed(res.timings, "reconcile"):
        move_facts(res.groups, res.documents, settings.orgs_file)
        for sub in res.groups:
            sub.rows = reconcile(sub.facts, [d.doc_id for d in sub.documents], sub.subject,
                                 settings.orgs_file)
    res.mentions = [m for sub in res.groups for m in sub.mentions]
    res.entities = [e for sub in res.groups for e in sub.entities]
    res.facts = [f for sub in res.groups for f in sub.facts]
    res.rows = [r for sub in res.groups for r in sub.rows]
    for sub in res.groups:
        add_timings(res.timings, sub.timings)
        res.warnings.extend(f"{sub.subject}: {w}" for w in sub.warnings)
    return res


def move_facts(groups: list[RunResult], documents: list[Document],
               orgs_file: Path | None = None) -> None:
    """Facts a document states about another subject of the run go to that subject's group,
    which then has a column for the document (its documents, in run order, gain it)."""
    owner: dict[str, int] = {}
    for i, sub in enumerate(groups):
        for name in sorted(subject_aliases(sub.subject, orgs_file)):
            owner.setdefault(name, i)
    order = {d.doc_id: n for n, d in enumerate(documents)}
    moved: list[list[Fact]] = [[] for _ in groups]
    docs = {d.doc_id: d for d in documents}
    for i, sub in enumerate(groups):
        kept: list[Fact] = []
        for f in sub.facts:
            j = owner.get(f.subject, i)
            (moved[j] if j != i else kept).append(f)
        sub.facts = kept
    for j, sub in enumerate(groups):
        if not moved[j]:
            continue
        sub.facts = sorted([*sub.facts, *moved[j]], key=lambda f: order[f.doc_id])
        have = {d.doc_id for d in sub.documents}
        extra = {f.doc_id for f in moved[j]} - have
        sub.documents = sorted([*sub.documents, *(docs[d] for d in extra)],
                               key=lambda d: order[d.doc_id])


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
        if nlp is not None and "ner_vote" in nlp.pipe_names:
            vote = nlp.get_pipe("ner_vote")
            models[f"{lang}_ner_vote"] = {"members": vote.names, "min_votes": vote.min_votes}
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
        "duplicates": [{"doc_id": d.doc.doc_id, "path": d.doc.path, "duplicate_of": d.original,
                        "similarity": d.similarity} for d in res.duplicates],
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
        "documents": tables.documents_frame(
            sorted(res.documents + [d.doc for d in res.duplicates], key=lambda d: d.doc_id), {
                d: (c.kb_id, c.confidence)
                for d, c in (res.subject_info.documents.items() if res.subject_info else ())},
            {d.doc.doc_id: d.original for d in res.duplicates}),
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
            facts=kept, info=json.loads(json.dumps(info, sort_keys=True)), rows=rows,
            chart_max_documents=settings.chart_max_documents))
        if parquet is not None:
            parquet.result()
    res.timings["write"] = round(time.perf_counter() - t0, 4)


# Output files of one subject that a run of several subjects has in each subject folder only.
STALE_AT_TOP = ("fact_table.csv", "entity_table.csv", "conflicts.md", "report.html",
                "reviews_template.csv", "parquet/fact_table.parquet",
                "parquet/entity_table.parquet")


def write_corpus(res: RunResult, out_dir: Path, settings: Settings = DEFAULT,
                 reviews_path: Path | None = None) -> None:
    """A run of several subjects: each subject's files in ``out_dir/<folder>/`` (its decisions
    in ``reviews-<folder>.csv`` beside ``reviews_path``), then subjects.csv, index.html, the
    corpus-wide tables with the folder of each row, and run.json at the top."""
    t0 = time.perf_counter()
    # the files only a run of one subject writes at the top, left by an earlier run there
    for name in STALE_AT_TOP:
        (out_dir / name).unlink(missing_ok=True)
    taken: set[str] = set()
    own_choice = {d: c for sub in res.groups if sub.subject_info
                  for d, c in sub.subject_info.documents.items()}
    subjects, tables_of = [], []
    placed: dict[str, tuple[str, str]] = {}  # doc_id -> (subject, folder) it is in
    for sub in res.groups:
        if sub.subject_info is None:  # every group is processed with its subject decided
            raise RuntimeError(f"subject group {sub.subject!r} has no subject decision")
        folder = subject_folder(sub.subject, taken)
        own = dict(sub.subject_info.documents)
        placed.update(dict.fromkeys(own, (sub.subject, folder)))
        # documents that only give facts about this subject: their own subject, as decided
        extra = {d.doc_id: own_choice[d.doc_id] for d in sub.documents if d.doc_id not in own}
        sub.subject_info = replace(sub.subject_info, documents={**own, **extra})
        known = len(sub.problems)
        write_outputs(sub, out_dir / folder, settings,
                      subject_reviews_path(reviews_path, folder), reviews_required=False)
        res.problems.extend(sub.problems[known:])  # the subject's review decisions
        label = next((e.canonical for e in sub.entities if e.kb_id == sub.subject), sub.subject)
        subjects.append(SubjectSummary(
            sub.subject, label, folder, len(own), len(sub.facts), sum(r.conflict for r in sub.rows),
            sum(r.status == "possible_conflict" for r in sub.rows), sub.subject_info.confidence))
        docs = [d for d in sub.documents if d.doc_id in own]
        conf = {d: (sub.subject, c.confidence if c.kb_id == sub.subject
                    else res.assignments[d].confidence) for d, c in own.items()}
        tables_of.append({
            "documents": with_folder(tables.documents_frame(docs, conf), folder),
            "entities": with_folder(tables.entities_frame(sub.mentions), folder, sub.subject),
            "facts": with_folder(tables.facts_frame(sub.facts), folder),
            "fact_values": with_folder(tables.fact_values_frame(sub.rows), folder, sub.subject),
        })
    # copies are listed too, in the folder of their original (they were not processed)
    for c in res.duplicates:
        tables_of.append({"documents": with_folder(tables.documents_frame(
            [c.doc], {}, {c.doc.doc_id: c.original}), placed.get(c.original, ("", ""))[1])})
    frames = {name: pd.concat([t[name] for t in tables_of if name in t], ignore_index=True)
              for name in ("documents", "entities", "facts", "fact_values")}
    order = {d.doc_id: n for n, d in enumerate(res.documents + [c.doc for c in res.duplicates])}
    frames["documents"] = frames["documents"].sort_values(
        "doc_id", key=lambda c: c.map(order), kind="stable", ignore_index=True)
    write_index(out_dir, subjects, frames, settings.write_parquet,
                settings.subject_min_confidence)
    info = run_info(res, settings)
    info.update({
        "subject": None, "subject_confidence": None, "subject_given": False,
        "subjects": [s.__dict__ for s in subjects],
        "subject_by_document": {
            d: {"subject": placed[d][0], "folder": placed[d][1],
                "own_subject": own_choice[d].kb_id, "own_confidence": own_choice[d].confidence,
                "grouped_by": a.how, "grouped_under": a.subject, "confidence": a.confidence}
            for d, a in res.assignments.items()},
    })
    res.timings["write"] = round(time.perf_counter() - t0, 4)
    info["timings_s"] = res.timings
    write_json_atomic(out_dir / "run.json", info)


def run(paths: list[Path], out_dir: Path, settings: Settings = DEFAULT,
        quiet: bool = False, engine: str = "local", scheduler: str | None = None,
        reviews_path: Path | None = None) -> RunResult:
    """Process the inputs and write the outputs to ``out_dir``: the files of one subject, or,
    when the inputs are about several organisations (runtime/corpus.py), one folder per
    subject with an index (``write_corpus``).

    ``reviews_path`` None: the decisions in ``<first input folder>/reviews.csv``, if any.
    """
    settings, alias_problems = read_aliases(paths, settings)
    res = process_corpus(paths, settings, quiet, engine, scheduler)
    res.problems[:0] = alias_problems
    for p in res.problems:
        report(p)
    for w in res.warnings:
        print(w, file=sys.stderr, flush=True)
    if res.documents:
        given = reviews_path is not None
        reviews_at = reviews_path if given else default_reviews_path(paths, settings.reviews_file)
        if res.groups:
            write_corpus(res, out_dir, settings, reviews_at)
        else:
            write_outputs(res, out_dir, settings, reviews_at, reviews_required=given)
    return res

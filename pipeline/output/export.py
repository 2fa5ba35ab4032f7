"""``python -m pipeline export``: hand the accepted and agreed facts on to a knowledge base.

What is exported: every fact of a fact-table row whose documents agree (``agree``, ``refines``)
and of a conflict a reviewer decided: ``accepted:<doc or value>`` exports the accepted side,
``both_true`` and ``dismissed`` every side. Open conflicts, single-source rows and rejected facts
(decisions.py) are not exported. One statement per supporting fact: the same statement from two
documents carries two references, each quoting its evidence sentence and naming its file.

Formats:
- ``quickstatements``: Wikidata QuickStatements (V1 commands, tab-separated; see
  https://www.wikidata.org/wiki/Help:QuickStatements): member of (P463) with start time (P580)
  for a dated join, inception (P571), headquarters location (P159), member count (P2124) with
  point in time (P585). References: quotation (S1683, in the sentence's language) and title
  (S1476) of the document; the source file in the command's ``/* ... */`` edit summary.
  Entities need Wikidata ids (``--wikidata`` CSV of kb_id,qid); an entity without one keeps its
  label in quotes, and a comment line before the command says so (find the item, then replace).
- ``jsonl``: the same statements as JSON objects, one per line, for other knowledge bases.
- ``gold``: the reviewed facts (all extracted facts less the rejected ones, with the reviewed
  conflicts and non-conflicts) as a gold YAML file in the format of ``../shared/gold`` (SCHEMA.md
  "Gold files"), so an analyst's corrections become evaluation data for ``evaluate``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, final

import pandas as pd
import yaml

from pipeline.core.data import load_yaml
from pipeline.core.records import COUNTRY, DATE, ORG, PERSON, Fact, FactRow
from pipeline.core.schema import Predicate, Status
from pipeline.output.atomic import write_text_atomic
from pipeline.output.decisions import Rebuilt, ReviewFileError, rebuild
from pipeline.output.index import one_subject_please
from pipeline.output.reviews import accepts, review
from pipeline.output.tables import fact_values_frame, is_true, read_table

# Wikidata properties (https://www.wikidata.org/wiki/Property:P463 etc.).
MEMBER_OF = "P463"
INCEPTION = "P571"
HEADQUARTERS = "P159"
MEMBER_COUNT = "P2124"
POINT_IN_TIME = "P585"
START_TIME = "P580"
QUOTATION = "S1683"
TITLE = "S1476"
QID = re.compile(r"^Q[1-9]\d*$")
AGREED = {Status.AGREE, Status.REFINES}
# Member roles that are membership (a departure or suspension is not "member of").
MEMBER_ROLES = {"", "founding", "joined"}


@dataclass
class Item:
    """An entity as a statement names it: a Wikidata id, else its label."""

    kb_id: str
    label: str
    qid: str = ""

    def qs(self) -> str:
        return self.qid or _qs_string(self.label)

    def json(self) -> dict[str, str]:
        return {"id": self.qid, "label": self.label, "kb_id": self.kb_id}


@final
class TimeValue(TypedDict):
    """A time value: ISO 8601 at its precision ("2015", "2015-12", "2015-12-15")."""

    time: str


@final
class AmountValue(TypedDict):
    """A quantity value (a member count)."""

    amount: int


@dataclass
class Statement:
    """One QuickStatements claim and where it comes from (the fields of ``_Source``)."""

    subject: Item
    prop: str
    value: Item | TimeValue | AmountValue
    qualifiers: list[tuple[str, TimeValue]] = field(default_factory=list)
    fact: Fact | None = None
    title: str = ""
    path: str = ""
    row: FactRow | None = None
    decision: str = ""

    def items(self) -> list[Item]:
        return [self.subject, *([self.value] if isinstance(self.value, Item) else [])]


def _qs_string(text: str) -> str:
    """A QuickStatements string value: one line, no double quote (the format has no escape)."""
    return '"' + " ".join(str(text).split()).replace('"', "'") + '"'


def qs_time(iso: str) -> str | None:
    """ISO 8601 at its precision → QuickStatements time (/9 year, /10 month, /11 day)."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso.strip())
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2) or "00", m.group(3) or "00"
    precision = 11 if m.group(3) else 10 if m.group(2) else 9
    return f"+{y}-{mo}-{d}T00:00:00Z/{precision}"


def _qs_value(value: Item | TimeValue | AmountValue) -> str:
    if isinstance(value, Item):
        return value.qs()
    if "time" in value:
        return str(qs_time(value["time"]))
    return str(value["amount"])


def load_wikidata(path: Path | None) -> dict[str, str]:
    """``kb_id,qid`` rows (a header row is allowed) → mapping; bad rows are named and skipped."""
    if path is None:
        return {}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ReviewFileError(f"{path}: cannot be read ({err})") from err
    ids: dict[str, str] = {}
    for line, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip() or (line == 1 and not QID.match(row[-1].strip())):
            continue
        if len(row) != 2 or not QID.match(row[1].strip()):
            print(f"{path}: line {line}: not 'kb_id,Q<number>'; ignored", file=sys.stderr)
            continue
        ids[row[0].strip()] = row[1].strip()
    return ids


@dataclass
class Folder:
    """What the exports read from an output folder, as typed records."""

    out_dir: Path
    rebuilt: Rebuilt
    table: pd.DataFrame  # fact_table with the review columns
    documents: pd.DataFrame
    entity_table: pd.DataFrame
    info: dict[str, Any]

    @property
    def labels(self) -> dict[str, str]:
        et = self.entity_table
        return dict(zip(et.get("kb_id", []), et.get("canonical", []), strict=False))

    @property
    def kinds(self) -> dict[str, str]:
        et = self.entity_table
        return dict(zip(et.get("kb_id", []), et.get("label", []), strict=False))

    def doc(self, doc_id: str) -> dict[str, str]:
        hit = self.documents[self.documents["doc_id"] == doc_id]
        return hit.iloc[0].to_dict() if len(hit) else {"doc_id": doc_id}


def load_folder(out_dir: Path, reviews_path: Path | None) -> Folder:
    out_dir = Path(out_dir)
    run_path = out_dir / "run.json"
    info = json.loads(run_path.read_text(encoding="utf-8")) if run_path.exists() else {}
    if reviews_path is None and (info.get("reviews") or {}).get("path"):
        reviews_path = Path(info["reviews"]["path"])
    rebuilt = rebuild(out_dir, reviews_path)
    reviewed = review(rebuilt.table, reviews_path, required=False,
                      fact_values=fact_values_frame(rebuilt.rows))
    et_path = out_dir / "entity_table.csv"
    return Folder(out_dir, rebuilt, reviewed.table, read_table(out_dir / "documents.csv"),
                  read_table(et_path) if et_path.exists() else pd.DataFrame(), info)


def exported_facts(folder: Folder) -> Iterator[tuple[FactRow, Fact, str]]:
    """(row, fact, decision) for each fact of an agreed row or a decided conflict."""
    review_of = {r["conflict_id"]: r for r in folder.table.to_dict("records")}
    for row in folder.rebuilt.rows:
        rec = review_of.get(row.conflict_id, {})
        decision = str(rec.get("review_decision", "")) if is_true(rec.get("resolved")) else ""
        if row.status in AGREED and not row.conflict:
            yield from ((row, f, "") for f in row.facts)
        elif row.conflict and decision in ("both_true", "dismissed"):
            yield from ((row, f, decision) for f in row.facts)
        elif row.conflict and decision.startswith("accepted:"):
            for f in row.facts:
                if accepts(decision, f.doc_id, [c.value for c in row.values_of(f.doc_id)]):
                    yield row, f, decision


class _Source(TypedDict):
    """Where a statement comes from: the provenance fields of ``Statement``."""

    fact: Fact
    title: str
    path: str
    row: FactRow
    decision: str


def _most_precise(row: FactRow, attr: str) -> str:
    """The most precise time in an agreeing row ("2015-12-15" over "2015")."""
    return max((getattr(f, attr) for f in row.facts), key=len, default="")


def statements(folder: Folder, wikidata: dict[str, str]) -> tuple[list[Statement], int]:
    """The statements to export, and how many exported facts have no Wikidata property here."""
    labels = folder.labels
    subject_id = str(folder.info.get("subject", ""))

    def item(kb_id: str) -> Item:
        return Item(kb_id, labels.get(kb_id) or _org_name(kb_id) or kb_id, wikidata.get(kb_id, ""))

    out: list[Statement] = []
    quals: list[tuple[str, TimeValue]]
    skipped = 0
    for row, f, decision in exported_facts(folder):
        doc = folder.doc(f.doc_id)
        coalition = item(f.subject or subject_id)
        base: _Source = {"fact": f, "title": str(doc.get("title", "")),
                         "path": str(doc.get("path", "")), "row": row, "decision": decision}
        accepted_one = decision.startswith("accepted:")
        if f.predicate == Predicate.MEMBER and f.role in MEMBER_ROLES and f.object_kb_id:
            when = f.when if accepted_one else _most_precise(row, "when")
            quals = [(START_TIME, {"time": when})] if f.role == "joined" and qs_time(when) else []
            out.append(Statement(item(f.object_kb_id), MEMBER_OF, coalition, quals, **base))
        elif f.predicate == Predicate.FOUNDED and qs_time(f.when):
            when = f.when if accepted_one else _most_precise(row, "when")
            out.append(Statement(coalition, INCEPTION, {"time": when}, **base))
        elif f.predicate == Predicate.HEADQUARTERS and f.object_kb_id:
            out.append(Statement(coalition, HEADQUARTERS, item(f.object_kb_id), **base))
        elif f.predicate == Predicate.MEMBER_COUNT and re.fullmatch(r"\d+", f.value.strip()):
            when = f.as_of or f.when
            quals = [(POINT_IN_TIME, {"time": when})] if qs_time(when) else []
            out.append(Statement(coalition, MEMBER_COUNT, {"amount": int(f.value)}, quals,
                                 **base))
        else:
            skipped += 1
    return out, skipped


def _org_name(kb_id: str) -> str:
    """The English name of an organisation in orgs.yaml (the subject is often not a mention)."""
    try:
        entry = (load_yaml("orgs.yaml") or {}).get(kb_id) or {}
    except Exception:  # a missing data file must not stop an export
        return ""
    return str(entry.get("name", "")) if isinstance(entry, dict) else ""


def quickstatements(stmts: list[Statement], skipped: int) -> str:
    lines = ["/* coalition-facts export: accepted and agreed facts as QuickStatements (V1). "
             f"{len(stmts)} statement(s); {skipped} exported fact(s) have no property here "
             "(founder, leader, non-member). */"]
    warned: set[str] = set()
    for s in stmts:
        for it in s.items():
            if not it.qid and it.kb_id not in warned:
                warned.add(it.kb_id)
                lines.append(f"/* no Wikidata id for {it.label!r} (kb_id {it.kb_id}): its label "
                             "stands in quotes where the item goes; replace it with the item's "
                             "Q-id before running */")
        f = s.fact
        assert f is not None
        cmd = [s.subject.qs(), s.prop, _qs_value(s.value)]
        for prop, val in s.qualifiers:
            cmd += [prop, _qs_value(val)]
        lang = f.lang or "und"
        cmd += [QUOTATION, f"{lang}:{_qs_string(f.evidence)}"]
        if s.title:
            cmd += [TITLE, f"{lang}:{_qs_string(s.title)}"]
        summary = f"source: {s.path or f.doc_id}; fact {f.fact_id}"
        lines.append("\t".join(cmd) + f" /* {summary.replace('*/', '* /')} */")
    return "\n".join(lines) + "\n"


def jsonl(stmts: list[Statement]) -> str:
    out = []
    for s in stmts:
        f = s.fact
        assert f is not None
        value = s.value.json() if isinstance(s.value, Item) else s.value
        out.append(json.dumps({
            "subject": s.subject.json(), "property": s.prop, "value": value,
            "qualifiers": [{"property": p, "value": v} for p, v in s.qualifiers],
            "reference": {"quote": f.evidence, "lang": f.lang, "doc_id": f.doc_id,
                          "source_file": s.path, "title": s.title},
            "fact_id": f.fact_id, "predicate": f.predicate, "derived": f.derived,
            "row": s.row.conflict_id if s.row else "", "status": s.row.status if s.row else "",
            "review_decision": s.decision}, ensure_ascii=False, sort_keys=True))
    return "\n".join(out) + ("\n" if out else "")


def gold(folder: Folder) -> str:
    """The reviewed facts as a gold file (../shared/gold format)."""
    kinds, labels = folder.kinds, folder.labels
    mentions = pd.read_csv(folder.out_dir / "entities.csv", dtype=str, keep_default_na=False) \
        if (folder.out_dir / "entities.csv").exists() else pd.DataFrame()
    docs: dict[str, Any] = {}
    for d in folder.rebuilt.doc_ids:
        mine = mentions[mentions["doc_id"] == d] if len(mentions) else mentions

        def ids(label: str, col: str = "kb_id", mine: pd.DataFrame = mine) -> list[str]:
            if not len(mine):
                return []
            return list(dict.fromkeys(v for v in mine.loc[mine["label"] == label, col] if v))

        facts = []
        for f in folder.rebuilt.kept:
            if f.doc_id != d:
                continue
            entry: dict[str, Any] = {"predicate": f.predicate}
            if f.subject and f.subject != folder.info.get("subject"):
                entry["subject"] = labels.get(f.subject) or _org_name(f.subject) or f.subject
            kind = kinds.get(f.object_kb_id, "")
            if f.predicate == Predicate.MEMBER_COUNT:
                entry["value"] = f.value
            elif f.object_kb_id and f.predicate != Predicate.FOUNDED:
                key = {COUNTRY: "country", PERSON: "person", ORG: "org"}.get(kind, "place")
                entry[key] = f.object_kb_id if key == "country" else \
                    labels.get(f.object_kb_id, f.object_kb_id)
            for k in ("role", "when"):
                if getattr(f, k):
                    entry[k] = getattr(f, k)
            if f.derived:
                entry["derived"] = True
            entry["evidence"] = f.evidence
            facts.append(entry)
        doc = folder.doc(d)
        docs[d] = {"lang": str(doc.get("lang", "")), "countries": ids(COUNTRY),
                   "persons": ids(PERSON, "canonical"), "dates": ids(DATE), "facts": facts}
    conflicts, non_conflicts = [], []
    review_of = {r["conflict_id"]: r for r in folder.table.to_dict("records")}
    for row in folder.rebuilt.rows:
        rec = review_of.get(row.conflict_id, {})
        if not (row.conflict and is_true(rec.get("resolved"))):
            continue
        decision = str(rec.get("review_decision", ""))
        entry = {"predicate": row.predicate,
                 "values": {f.doc_id: f.value or f.object_kb_id or f.when for f in row.facts}}
        if row.object_kb_id:
            kind = kinds.get(row.object_kb_id, "")
            entry[{COUNTRY: "country", PERSON: "person"}.get(kind, "place")] = row.object_kb_id
        if row.when:
            entry["when"] = row.when
        note = f"review {decision}" + (f": {rec.get('review_note')}" if rec.get("review_note")
                                       else "")
        if decision.startswith("accepted:"):
            conflicts.append({**entry, "required": True, "note": note})
        else:  # both true or dismissed: a difference that must not be flagged
            non_conflicts.append({**entry, "note": note})
    data = {"case": folder.out_dir.name, "subject": labels.get(str(folder.info.get("subject")))
            or _org_name(str(folder.info.get("subject", ""))) or folder.info.get("subject", ""),
            "docs": docs, "conflicts": conflicts, "non_conflicts": non_conflicts}
    head = ("# Gold file written by `python -m pipeline export --format gold` from the reviewed "
            "outputs\n# (extracted facts less the rejected ones; conflicts as decided). Format: "
            "SCHEMA.md \"Gold files\".\n")
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


DEFAULT_NAMES = {"quickstatements": "export.qs", "jsonl": "export.jsonl", "gold": "gold.yaml"}


def main_export(out_dir: Path, fmt: str, reviews: Path | None, wikidata: Path | None,
                to: Path | None) -> int:
    out_dir = Path(out_dir)
    if several := one_subject_please(out_dir, "export"):
        print(f"error: {several}", file=sys.stderr)
        return 2
    for name in ("facts.csv", "documents.csv"):
        if not (out_dir / name).exists():
            print(f"error: {out_dir / name} not found; run `python -m pipeline extract --out "
                  f"{out_dir}` first", file=sys.stderr)
            return 2
    try:
        folder = load_folder(out_dir, reviews)
        ids = load_wikidata(wikidata)
    except (ReviewFileError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if fmt == "gold":
        text = gold(folder)
    else:
        stmts, skipped = statements(folder, ids)
        text = quickstatements(stmts, skipped) if fmt == "quickstatements" else jsonl(stmts)
    path = Path(to) if to else out_dir / DEFAULT_NAMES[fmt]
    write_text_atomic(path, text)
    print(f"wrote {path}", file=sys.stderr)
    return 0

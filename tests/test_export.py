"""`python -m pipeline export` on the seeds: QuickStatements checked by a small parser written
from the format's documentation (Help:QuickStatements, version 1 commands), JSON lines, and a gold
file that `evaluate` accepts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import count_conflict

from pipeline.cli import main
from pipeline.output.decisions import change, read_facts, rebuild

pytestmark = pytest.mark.slow

# --- a QuickStatements (V1) parser, from the documentation ---------------------------------
# A command is one line of TAB-separated fields: item, property, value, then pairs of a
# qualifier (P…) or source (S…) property and a value. Values: an item (Q123, or LAST), a
# string in double quotes, a monolingual text lang:"text", a time +YYYY-MM-DDT00:00:00Z/p with
# precision p (9 year, 10 month, 11 day), a coordinate @lat/lon, or a quantity (a number, an
# optional ~tolerance and U<unit item>). A comment /* ... */ at the end of a command becomes the
# edit summary. This export also writes lines that are only a comment, and names an item that
# has no Wikidata id by its label in quotes, after a comment saying so.

ITEM = re.compile(r"^(?:Q[1-9]\d*|LAST)$")
PROP = re.compile(r"^P[1-9]\d*$")
PAIR_KEY = re.compile(r"^[PS][1-9]\d*$")
STRING = re.compile(r'^"[^"\t]*"$')
MONO = re.compile(r'^[a-z]{2,3}(?:-[a-z]+)?:"[^"\t]*"$')
TIME = re.compile(r"^[+-]\d{4,}-\d{2}-\d{2}T00:00:00Z/(?:[0-9]|1[0-4])$")
QUANTITY = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:~\d+(?:\.\d+)?)?(?:U[1-9]\d*)?$")
COORD = re.compile(r"^@-?\d+(?:\.\d+)?/-?\d+(?:\.\d+)?$")
COMMENT = re.compile(r"^(?P<body>.*?)\s*/\*(?P<comment>.*?)\*/\s*$")
MISSING = re.compile(r"no Wikidata id for '(?P<label>[^']*)'")


@dataclass
class Command:
    subject: str
    prop: str
    value: str
    qualifiers: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""


def kind(value: str) -> str:
    for name, pattern in (("item", ITEM), ("string", STRING), ("monolingual", MONO),
                          ("time", TIME), ("quantity", QUANTITY), ("coordinate", COORD)):
        if pattern.match(value):
            return name
    raise ValueError(f"not a QuickStatements value: {value!r}")


def parse_quickstatements(text: str) -> tuple[list[Command], list[str]]:
    """Commands and comment lines; a malformed line raises ValueError naming it."""
    commands, comments = [], []
    labels_without_id: set[str] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = COMMENT.match(line)
        body, summary = (m.group("body"), m.group("comment").strip()) if m else (line, "")
        if not body.strip():
            comments.append(summary)
            if (mm := MISSING.search(summary)):
                labels_without_id.add(f'"{mm.group("label")}"')
            continue
        fields = body.split("\t")
        if len(fields) < 3 or len(fields) % 2 == 0:
            raise ValueError(f"line {n}: {len(fields)} fields: {body!r}")

        def entity(token: str, n: int = n) -> str:
            if ITEM.match(token) or token in labels_without_id:
                return token
            raise ValueError(f"line {n}: {token!r} is no item and no declared label")

        subject, prop, value = fields[:3]
        entity(subject)
        if not PROP.match(prop):
            raise ValueError(f"line {n}: {prop!r} is not a property")
        if STRING.match(value) and value in labels_without_id:
            entity(value)
        else:
            kind(value)
        cmd = Command(subject, prop, value, summary=summary)
        for key, val in zip(fields[3::2], fields[4::2], strict=True):
            if not PAIR_KEY.match(key):
                raise ValueError(f"line {n}: {key!r} is not a qualifier or source property")
            if not (STRING.match(val) and val in labels_without_id):
                kind(val)
            (cmd.sources if key[0] == "S" else cmd.qualifiers).append((key, val))
        commands.append(cmd)
    return commands, comments


def test_parser_refuses_what_the_format_does_not_allow() -> None:
    assert parse_quickstatements("Q1\tP31\tQ5\tS1683\ten:\"a\"\n")[0][0].sources == [
        ("S1683", 'en:"a"')]
    for bad in ('"Nowhere"\tP31\tQ5', "Q1\tX31\tQ5", "Q1\tP31\tfive", "Q1\tP31\tQ5\tS1683",
                "Q1\tP585\t+2015-00-00T00:00:00Z/22"):
        with pytest.raises(ValueError):
            parse_quickstatements(bad)


# --- the export of the seeds --------------------------------------------------------------

def qs_text(text: str) -> str:
    return " ".join(text.split()).replace('"', "'")


@pytest.fixture()
def exported(seeds_run: Any, tmp_path: Path):
    """Run the export command on the seeds' outputs with a reviews file of this test."""
    _, out = seeds_run
    reviews = tmp_path / "reviews.csv"

    def export(fmt: str, *extra: str) -> str:
        to = tmp_path / f"export.{fmt}"
        assert main(["export", "--out", str(out), "--format", fmt, "--reviews", str(reviews),
                     "--to", str(to), *extra]) == 0
        return to.read_text("utf-8")

    return out, reviews, export


def test_quickstatements_of_the_seeds(exported) -> None:
    out, reviews, export = exported
    commands, comments = parse_quickstatements(export("quickstatements"))
    table = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    path_of = dict(zip(docs.doc_id, docs.path, strict=True))
    assert commands and {c.prop for c in commands} <= {"P463", "P571", "P159", "P2124"}

    # Every agreed founding date and membership is there, once per document, each with a
    # reference quoting that document's sentence and an edit summary naming its file.
    # The agreed rows are the ones fact_table.csv grades so; their facts come from facts.csv.
    agreed_ids = set(table[table.status.isin(["agree", "refines"])
                           & (table.conflict != "true")].conflict_id)
    rows = {r.conflict_id: r for r in rebuild(out, None).rows}
    assert agreed_ids and agreed_ids <= set(rows)
    # Nothing else is exported: every statement quotes a sentence of an agreed row, never one
    # only a conflicting or single-source row has.
    allowed = {f"{f.lang}:\"{qs_text(f.evidence)}\"" for cid in agreed_ids for f in rows[cid].facts}
    quoted = {s[1] for c in commands for s in c.sources if s[0] == "S1683"}
    assert quoted and quoted <= allowed
    agreed = [rows[cid] for cid in sorted(agreed_ids)
              if rows[cid].predicate in ("founded", "member")]
    assert len(agreed) >= 2
    for row in agreed:
        assert len({f.doc_id for f in row.facts}) >= 2, row
        for f in row.facts:
            quote = f"{f.lang}:\"{qs_text(f.evidence)}\""
            hits = [c for c in commands if ("S1683", quote) in c.sources]
            assert hits, f"no statement quotes {f.evidence!r}"
            assert any(path_of[f.doc_id] in c.summary for c in hits)
    inception = [c for c in commands if c.prop == "P571"]
    assert {c.value for c in inception} == {"+2015-12-15T00:00:00Z/11"}  # the precise one
    assert {s[1][:3] for c in inception for s in c.sources if s[0] == "S1683"} == {"en:",
                                                                                 "hi:"}
    oman = [c for c in commands if c.subject == '"Oman"' and c.prop == "P463"]
    assert oman and all(("P580", "+2016-12-00T00:00:00Z/10") in c.qualifiers for c in oman)
    # No Wikidata ids given: each label stands in, and a comment line says so.
    assert any("'Oman'" in c for c in comments)

    # The open 32-vs-34 conflict is not exported; once 34 is accepted, it is, with its time.
    assert not [c for c in commands if c.prop == "P2124" and c.value in ("32", "34")]
    conflict = count_conflict(out, {"32", "34"})
    hi = next(d for d in docs.doc_id if str(conflict[d]).startswith("34"))
    change(reviews, conflict_id=conflict.conflict_id, decision=f"accepted:{hi}",
           reviewer="test")
    commands, _ = parse_quickstatements(export("quickstatements"))
    counts = {(c.value, q) for c in commands if c.prop == "P2124" for q in c.qualifiers}
    assert ("34", ("P585", "+2015-12-15T00:00:00Z/11")) in counts
    assert not any(v == "32" for v, _ in counts)


def test_wikidata_ids_replace_labels(exported, tmp_path: Path) -> None:
    _, _, export = exported
    ids = tmp_path / "ids.csv"
    ids.write_text("kb_id,qid\nOMN,Q842\n", encoding="utf-8")
    commands, comments = parse_quickstatements(export("quickstatements", "--wikidata",
                                                      str(ids)))
    assert [c for c in commands if c.subject == "Q842" and c.prop == "P463"]
    assert not [c for c in commands if c.subject == '"Oman"']
    assert not any("'Oman'" in c for c in comments)


def test_jsonl_holds_the_same_statements(exported) -> None:
    _, _, export = exported
    commands, _ = parse_quickstatements(export("quickstatements"))
    lines = [json.loads(x) for x in export("jsonl").splitlines()]
    assert len(lines) == len(commands)
    assert all(x["reference"]["quote"] and x["reference"]["source_file"] for x in lines)
    assert sorted(x["property"] for x in lines) == sorted(c.prop for c in commands)


def test_gold_export_is_evaluation_data(exported, tmp_path: Path) -> None:
    import yaml

    from pipeline.devtools.evaluate import score

    out, reviews, export = exported
    gold_path = tmp_path / "gold.yaml"
    gold_path.write_text(export("gold"), encoding="utf-8")
    scores = score(gold_path, out)
    facts_f1 = scores[scores.area == "facts"].f1
    assert len(facts_f1) and (facts_f1 == 1.0).all()
    # A rejected fact is not in the gold file: the outputs that still hold it score lower.
    wrong = next(r for r in rebuild(out, None).rows if len(r.facts) == 1).facts[0]
    change(reviews, fact_id=wrong.fact_id, decision="rejected", note="not in the text",
           reviewer="test")
    gold_path.write_text(export("gold"), encoding="utf-8")
    data = yaml.safe_load(gold_path.read_text("utf-8"))
    assert len(data["docs"][wrong.doc_id]["facts"]) == sum(
        f.doc_id == wrong.doc_id for f in read_facts(out)) - 1
    scores = score(gold_path, out)
    row = scores[(scores.area == "facts") & (scores.doc_id == wrong.doc_id)].iloc[0]
    assert row.fp == 1 and row.fn == 0

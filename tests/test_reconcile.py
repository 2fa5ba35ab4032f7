"""Reconciliation rules of SCHEMA.md on facts written for the test."""

from __future__ import annotations

from pipeline.core.records import Fact
from pipeline.reconcile import date_relation, reconcile


def fact(doc: str, pred: str, **kw: object) -> Fact:
    return Fact(doc_id=doc, lang="en", subject="X", predicate=pred, evidence=f"{doc} says", **kw)  # type: ignore[arg-type]


def by_pred(rows, pred):
    return [r for r in rows if r.predicate == pred]


def test_date_relation() -> None:
    assert date_relation("2016", "2016-12") == "refines"
    assert date_relation("2015-12-15", "2015-12-15") == "same"
    assert date_relation("2015-12-14", "2015-12-15") == "differ"
    assert date_relation("2015", "") == "unknown"


def test_counts_conflict_only_at_compatible_times() -> None:
    facts = [
        fact("a", "member_count", value="32", when="2015", derived=True),
        fact("b", "member_count", value="34", when="2015-12-15"),
        fact("b", "member_count", value="41", when="2017-11"),
        fact("c", "member_count", value="41"),  # undated: never compared with dated counts
    ]
    rows = by_pred(reconcile(facts, ["a", "b", "c"]), "member_count")
    by_when = {r.when: r for r in rows}
    assert by_when["2015"].status == "conflict"
    assert by_when["2015"].values_by_doc == {"a": "32 (derived) @2015", "b": "34 @2015-12-15"}
    assert by_when["2017"].status == "single_source"
    assert by_when[""].status == "single_source"


def test_precisions_refine_and_different_days_conflict() -> None:
    rows = reconcile(
        [fact("a", "founded", when="2015"), fact("b", "founded", when="2015-12-15")], ["a", "b"]
    )
    assert rows[0].status == "refines" and not rows[0].conflict
    rows = reconcile(
        [fact("a", "founded", when="2002-07-09"), fact("b", "founded", when="2001-07-26")],
        ["a", "b"],
    )
    assert rows[0].conflict


def test_member_join_dates_and_roles() -> None:
    facts = [
        fact("a", "member", object_kb_id="OMN", role="joined", when="2016"),
        fact("b", "member", object_kb_id="OMN", role="joined", when="2016-12"),
        fact("a", "member", object_kb_id="PAK", role="founding"),
        fact("b", "member", object_kb_id="PAK"),
        fact("a", "member", object_kb_id="BRN", role="joined", when="1984-01-07"),
        fact("b", "member", object_kb_id="BRN", role="joined", when="1984-01-08"),
    ]
    rows = {r.object_kb_id: r for r in reconcile(facts, ["a", "b"])}
    assert rows["OMN"].status == "refines"
    assert rows["PAK"].status == "agree"
    assert rows["BRN"].conflict


def test_member_against_non_member_is_a_conflict_shown_side_by_side() -> None:
    facts = [
        fact("a", "member", object_kb_id="PAK", role="founding"),
        fact("b", "non_member", object_kb_id="PAK", role="declined"),
    ]
    rows = reconcile(facts, ["a", "b"])
    nm = by_pred(rows, "non_member")[0]
    assert nm.conflict
    assert nm.values_by_doc == {"a": "founding", "b": "non-member (declined)"}


def test_founders_disjoint_conflict_but_rows_are_keyed_by_hash_not_pairs() -> None:
    facts = [
        fact("a", "founder", object_kb_id="Shinzo Abe"),
        fact("b", "founder", object_kb_id="Manmohan Singh"),
        fact("c", "founder", object_kb_id="Shinzo Abe"),
    ]
    rows = reconcile(facts, ["a", "b", "c"])
    assert len(rows) == 1 and rows[0].conflict
    assert "Manmohan Singh" in rows[0].explanation

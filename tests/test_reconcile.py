"""Reconciliation rules of SCHEMA.md ("When two values conflict", "Time") on facts written for
the test: times from pipeline/timing.py, grades, successions, founding lists, typed cells."""

from __future__ import annotations

from pipeline.core.records import Document, Fact
from pipeline.core.schema import CellValue, Status, Tense, TimeSource
from pipeline.reconcile import date_relation, reconcile
from pipeline.timing import assign_times


def fact(doc: str, pred: str, **kw: object) -> Fact:
    return Fact(doc_id=doc, lang="en", subject="X", predicate=pred, evidence=f"{doc} says", **kw)  # type: ignore[arg-type]


def doc(doc_id: str, date: str = "") -> Document:
    return Document(doc_id=doc_id, path=f"{doc_id}.txt", text="", sha256="", date=date,
                    date_source="date line" if date else "")


def rows_of(facts: list[Fact], docs: list[Document], subject: str = "X"):
    timed = assign_times(facts, docs)
    return reconcile(timed, [d.doc_id for d in docs], subject)


def by_pred(rows, pred):
    return [r for r in rows if r.predicate == pred]


def counts(rows):
    return {(r.when, r.role): r for r in by_pred(rows, "member_count")}


def test_date_relation() -> None:
    assert date_relation("2016", "2016-12") == "refines"
    assert date_relation("2015-12-15", "2015-12-15") == "same"
    assert date_relation("2015-12-14", "2015-12-15") == "differ"
    assert date_relation("2015", "") == "unknown"


def test_times_come_with_their_source() -> None:
    facts = [
        fact("a", "founded", when="2015-12-15"),
        fact("a", "member_count", value="34", when="2015-12-15"),  # on the founding date
        fact("a", "member_count", value="41", when="2017-11"),
        fact("a", "member_count", value="40"),  # undated, no tense: read as present
        fact("a", "member_count", value="39", tense=Tense.PAST),
        fact("a", "member", object_kb_id="PAK", role="founding"),
        fact("b", "leader", object_kb_id="Y", role="secretary-general"),
        fact("b", "member_count", value="12", as_of="2001", as_of_source="founding date"),
        # dated by its own clause, and the date is the document's founding date
        fact("b", "founded", when="1992"),
        fact("b", "member_count", value="7", when="1992", as_of="1992", as_of_source="stated"),
    ]
    timed = {(f.doc_id, f.value or f.object_kb_id): f
             for f in assign_times(facts, [doc("a", "2019-05-03"), doc("b")])}
    assert (timed["a", "34"].as_of, timed["a", "34"].as_of_source) == ("2015-12-15",
                                                                       TimeSource.FOUNDING)
    assert (timed["a", "41"].as_of, timed["a", "41"].as_of_source) == ("2017-11",
                                                                       TimeSource.STATED)
    assert (timed["a", "40"].as_of, timed["a", "40"].as_of_source) == ("2019-05-03",
                                                                       TimeSource.DOCUMENT)
    assert (timed["a", "39"].as_of, timed["a", "39"].as_of_source) == ("", TimeSource.NONE)
    assert (timed["a", "PAK"].as_of, timed["a", "PAK"].as_of_source) == ("2015-12-15",
                                                                         TimeSource.FOUNDING)
    assert (timed["b", "Y"].as_of, timed["b", "Y"].as_of_source) == ("", TimeSource.NONE)
    assert (timed["b", "12"].as_of, timed["b", "12"].as_of_source) == ("2001",
                                                                       TimeSource.FOUNDING)
    assert (timed["b", "7"].as_of, timed["b", "7"].as_of_source) == ("1992",
                                                                     TimeSource.FOUNDING)


def test_a_count_of_a_complete_founding_list_conflicts_with_a_stated_one() -> None:
    # The seeds: 32 listed founding members (list introduced as complete) against 34 stated
    # when the coalition was announced; 34 counted from a running list against 41 stated.
    facts = [
        fact("en", "founded", when="2015"),
        fact("hi", "founded", when="2015-12-15"),
        fact("en", "member_count", value="32", when="2015", derived=True, complete=True),
        fact("hi", "member_count", value="34", when="2015-12-15"),
        fact("en", "member_count", value="34", when="2016", derived=True),
        fact("hi", "member_count", value="41", when="2016-12"),
    ]
    rows = counts(rows_of(facts, [doc("en"), doc("hi")]))
    founding = rows["", "founding"]
    assert founding.status == Status.CONFLICT and founding.conflict
    assert founding.values_of("en") == [CellValue(
        doc_id="en", value="32", when="2015", as_of="2015", as_of_source="founding date",
        derived=True, lower_bound=False, fact_ids=(facts[2].fact_id,))]
    later = rows["2016", ""]
    assert later.status == Status.POSSIBLE_CONFLICT and not later.conflict
    assert "at least 34" in later.explanation and "lower bound" in later.explanation
    assert [c.lower_bound for c in later.cells] == [True, False]


def test_a_partial_list_is_only_a_possible_conflict() -> None:
    facts = [fact("en", "member_count", value="32", when="2015", derived=True),
             fact("hi", "member_count", value="34", when="2015-12-15")]
    (row,) = by_pred(rows_of(facts, [doc("en"), doc("hi")]), "member_count")
    assert row.status == Status.POSSIBLE_CONFLICT and not row.conflict


def test_undated_counts_hold_at_their_articles_dates() -> None:
    # Present-tense counts without a date: the article's date decides.
    facts = [fact("a", "member_count", value="12"), fact("b", "member_count", value="14"),
             fact("c", "member_count", value="13")]
    docs = [doc("a", "2019-03-02"), doc("b", "2021-05-01"), doc("c", "2019-03-02")]
    rows = counts(rows_of(facts, docs))
    assert rows["2021", ""].status == Status.SINGLE_SOURCE  # b: another time, no conflict
    same_day = rows["2019", ""]
    assert same_day.status == Status.CONFLICT  # a and c: the same date, different counts
    assert "the article's own date" in same_day.explanation
    # The same two counts in articles without dates are only a possible conflict.
    rows = counts(rows_of(facts[:2], [doc("a"), doc("b")]))
    assert rows["", ""].status == Status.POSSIBLE_CONFLICT
    assert "may be counts at different times" in rows["", ""].explanation


def test_two_present_counts_of_one_article_conflict_without_a_date() -> None:
    facts = [fact("a", "member_count", value="54"), fact("a", "member_count", value="55"),
             fact("b", "member_count", value="55")]
    (row,) = by_pred(rows_of(facts, [doc("a"), doc("b")]), "member_count")
    assert row.status == Status.CONFLICT


def test_a_present_count_is_not_compared_with_a_founding_count() -> None:
    facts = [fact("en", "founded", when="1969-09-25"),
             fact("en", "member_count", value="57"),
             fact("hi", "founded", when="1969"),
             fact("hi", "member_count", value="24", when="1969"),
             fact("en", "member_count", value="30", when="1969-09-25")]
    rows = counts(rows_of(facts, [doc("en"), doc("hi")]))
    assert rows["", ""].status == Status.SINGLE_SOURCE  # 57 now
    assert rows["", "founding"].status == Status.CONFLICT  # 30 against 24 at the founding


def test_founding_counts_compare_even_when_founding_dates_differ() -> None:
    facts = [fact("en", "founded", when="1926"), fact("hi", "founded", when="1931"),
             fact("en", "member_count", value="7", when="1926", derived=True, complete=True),
             fact("hi", "member_count", value="5", when="1931")]
    rows = rows_of(facts, [doc("en"), doc("hi")])
    assert counts(rows)["", "founding"].conflict
    assert by_pred(rows, "founded")[0].conflict  # the founding dates are a conflict of their own


def test_two_secretaries_general_without_dates_are_a_succession() -> None:
    facts = [fact("a", "leader", object_kb_id="Nayef", role="secretary-general"),
             fact("b", "leader", object_kb_id="Zayani", role="secretary-general")]
    (row,) = rows_of(facts, [doc("a"), doc("b")])
    assert row.status == Status.AGREE and not row.conflict
    assert "succession" in row.explanation
    # Dated to different years (taking office), still a succession...
    dated = [fact("a", "leader", object_kb_id="Nayef", role="secretary-general", when="2020"),
             fact("b", "leader", object_kb_id="Zayani", role="secretary-general", when="2011")]
    assert not rows_of(dated, [doc("a"), doc("b")])[0].conflict
    # ...but two holders named by articles of the same day conflict.
    (row,) = rows_of(facts, [doc("a", "2019-12-10"), doc("b", "2019-12-10")])
    assert row.conflict and "at one time" in row.explanation


def test_complete_founding_lists_are_compared_as_sets() -> None:
    states = ["EGY", "IRQ", "JOR", "LBN", "SAU", "SYR"]
    en = [fact("en", "member", object_kb_id=s, role="founding", complete=True, start=10)
          for s in [*states, "YEM"]]
    hi = [fact("hi", "member", object_kb_id=s, role="founding", complete=True, start=20)
          for s in [*states[:5], "YEM", "LBY"]]
    counted = [fact("en", "member_count", value="7", derived=True, complete=True, start=10),
               fact("hi", "member_count", value="7", derived=True, complete=True, start=20)]
    row = counts(rows_of([*en, *hi, *counted], [doc("en"), doc("hi")]))["", "founding"]
    assert row.conflict  # seven each, but not the same seven
    assert "en lists SYR; hi does not" in row.explanation
    assert "hi lists LBY; en does not" in row.explanation


def test_a_stated_founding_count_names_the_state_a_list_lacks() -> None:
    six = ["ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
    facts = [fact("en", "member", object_kb_id=s, role="founding", complete=True, start=5)
             for s in six]
    facts += [fact("en", "member_count", value="6", derived=True, complete=True, start=5),
              fact("hi", "founded", when="1992"),
              fact("hi", "member_count", value="7", when="1992"),
              fact("hi", "member", object_kb_id="BLR", role="founding", start=40)]
    row = counts(rows_of(facts, [doc("en"), doc("hi")]))["", "founding"]
    assert row.conflict
    assert "hi states 7 founding members; en lists 6; en's list lacks BLR" in row.explanation


def test_member_against_non_member_needs_a_common_time() -> None:
    facts = [fact("a", "member", object_kb_id="PAK", role="founding"),
             fact("b", "non_member", object_kb_id="PAK", role="declined")]
    nm = by_pred(rows_of(facts, [doc("a"), doc("b")]), "non_member")[0]
    assert nm.status == Status.POSSIBLE_CONFLICT and not nm.conflict
    assert [(c.doc_id, c.value) for c in nm.cells] == [("a", "founding"), ("b", "declined")]
    present = [fact("a", "member", object_kb_id="PAK", tense=Tense.PRESENT),
               fact("b", "non_member", object_kb_id="PAK", tense=Tense.PRESENT)]
    nm = by_pred(rows_of(present, [doc("a", "2020-01-05"), doc("b", "2020-01-05")]),
                 "non_member")[0]
    assert nm.conflict


def test_precisions_refine_and_different_days_conflict() -> None:
    rows = rows_of([fact("a", "founded", when="2015"), fact("b", "founded", when="2015-12-15")],
                   [doc("a"), doc("b")])
    assert rows[0].status == Status.REFINES and not rows[0].conflict
    rows = rows_of([fact("a", "founded", when="2002-07-09"),
                    fact("b", "founded", when="2001-07-26")], [doc("a"), doc("b")])
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
    rows = {r.object_kb_id: r for r in rows_of(facts, [doc("a"), doc("b")])}
    assert rows["OMN"].status == Status.REFINES
    assert rows["PAK"].status == Status.AGREE
    assert rows["BRN"].conflict
    assert [(c.value, c.role) for c in rows["BRN"].cells] == [("1984-01-07", "joined"),
                                                              ("1984-01-08", "joined")]


def test_founders_disjoint_conflict_but_rows_are_keyed_by_hash_not_pairs() -> None:
    facts = [
        fact("a", "founder", object_kb_id="Shinzo Abe"),
        fact("b", "founder", object_kb_id="Manmohan Singh"),
        fact("c", "founder", object_kb_id="Shinzo Abe"),
    ]
    rows = rows_of(facts, [doc("a"), doc("b"), doc("c")])
    assert len(rows) == 1 and rows[0].conflict
    assert "Manmohan Singh" in rows[0].explanation


def test_conflict_id_does_not_depend_on_the_subjects_display_label() -> None:
    def ids(label: str) -> list[str]:
        facts = [Fact(doc_id=d, lang="en", subject=label, predicate="member_count", value=v,
                      when="2015") for d, v in (("a", "32"), ("b", "34"))]
        return [r.conflict_id for r in reconcile(assign_times(facts, []), ["a", "b"], label)]

    assert ids("NSP") == ids("Northern Shores Pact") != []
    # another organisation's rows keep their own key
    other = [Fact(doc_id="a", lang="en", subject="OAU", predicate="founded", when="1963")]
    assert reconcile(other, ["a"], "AU")[0].id_key.startswith("OAU|")


def test_a_suspension_and_a_departure_are_one_event() -> None:
    facts = [fact("a", "member", object_kb_id="IDN", role="suspended", when="2009-01"),
             fact("b", "member", object_kb_id="IDN", role="left", when="2008"),
             fact("a", "member", object_kb_id="ECU", role="suspended", when="1992-12"),
             fact("b", "member", object_kb_id="ECU", role="left", when="1992")]
    rows = {r.object_kb_id: r for r in rows_of(facts, [doc("a"), doc("b")])}
    assert rows["IDN"].role == "left" and rows["IDN"].conflict
    assert [(c.value, c.role) for c in rows["IDN"].cells] == [("2009-01", "suspended"),
                                                              ("2008", "left")]
    assert rows["ECU"].status == Status.REFINES


def test_two_join_dates_in_one_text_need_a_departure_between() -> None:
    facts = [fact("a", "member", object_kb_id="BTN", role="joined", when="2004-02"),
             fact("a", "member", object_kb_id="BTN", role="joined", when="2004-07"),
             fact("b", "member", object_kb_id="BTN", role="joined", when="2004-02"),
             # Ecuador joined, left and joined again: no contradiction
             fact("a", "member", object_kb_id="ECU", role="joined", when="1973"),
             fact("a", "member", object_kb_id="ECU", role="joined", when="2007"),
             fact("a", "member", object_kb_id="ECU", role="left", when="1992"),
             fact("b", "member", object_kb_id="ECU", role="joined", when="1973")]
    rows = {(r.object_kb_id, r.role): r for r in rows_of(facts, [doc("a"), doc("b")])}
    btn = rows["BTN", ""]
    assert btn.conflict and "2004-02 and 2004-07" in btn.explanation
    assert not rows["ECU", ""].conflict


def test_a_short_list_in_the_sentence_that_states_the_total_is_no_second_claim() -> None:
    # "The council has six states, namely A, B, C, D and E": five named, six stated.
    facts = [fact("a", "member_count", value="6", start=40),
             fact("a", "member_count", value="5", derived=True, start=40),
             fact("b", "member_count", value="6")]
    (row,) = rows_of(facts, [doc("a"), doc("b")])
    assert row.status == Status.AGREE and not row.conflict


def test_two_lower_bounds_never_conflict() -> None:
    """Two partial lists counted at one time ("at least 4", "at least 8") are compatible; a
    partial list against a stated total is still shown as possible."""
    docs = [doc("a"), doc("b")]
    partial = [fact("a", "member_count", value="4", when="1954", derived=True, start=1),
               fact("b", "member_count", value="8", when="1954", derived=True, start=2)]
    rows = by_pred(rows_of(partial, docs), "member_count")
    assert [r.status for r in rows] == [Status.AGREE] and not rows[0].conflict
    stated = [partial[0], fact("b", "member_count", value="8", when="1954", start=2)]
    assert [r.status for r in by_pred(rows_of(stated, docs), "member_count")] == [
        Status.POSSIBLE_CONFLICT]


def test_undated_counts_of_articles_a_membership_change_lies_between_are_not_compared() -> None:
    """a's latest event is in 2004, b's in 2019, and states joined and left in between: their
    undated "has 9 members" and "has 11 members" count different memberships. With no dated
    change between them a reviewer sees the difference as possible."""
    docs = [doc("a"), doc("b")]
    counts = [fact("a", "member_count", value="9", tense="present", start=1),
              fact("a", "founded", value="2004-05", when="2004-05", start=2),
              fact("b", "member_count", value="11", tense="present", start=3),
              fact("b", "member", object_kb_id="NPL", role="left", when="2019", start=4)]
    joined = fact("b", "member", object_kb_id="BTN", role="joined", when="2012", start=5)
    rows = by_pred(rows_of([*counts, joined], docs), "member_count")
    assert [r.status for r in rows] == [Status.AGREE]
    rows = by_pred(rows_of(counts[:3], docs), "member_count")
    assert [r.status for r in rows] == [Status.POSSIBLE_CONFLICT]


def test_a_candidacy_precedes_admission_and_is_not_compared_with_membership() -> None:
    """An application (2011) and a membership without a date are no conflict of either grade;
    a plain non-membership against the same membership is a possible one."""
    facts = [fact("a", "non_member", object_kb_id="Q", role="candidate", when="2011"),
             fact("b", "member", object_kb_id="Q", role="joined")]
    rows = [r for r in rows_of(facts, [doc("a"), doc("b")]) if r.predicate == "non_member"]
    assert [r.status for r in rows] == [Status.AGREE], rows
    assert "candidacy precede admission" in rows[0].explanation
    plain = [fact("a", "non_member", object_kb_id="Q", when="2011"),
             fact("b", "member", object_kb_id="Q", role="joined")]
    rows = [r for r in rows_of(plain, [doc("a"), doc("b")]) if r.predicate == "non_member"]
    assert [r.status for r in rows] == [Status.POSSIBLE_CONFLICT], rows

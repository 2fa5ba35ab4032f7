"""pipeline.devtools.evaluate against hand-written output folders and gold files.

Every expected number below was counted by hand from the small gold and CSVs in the test, so a
change in a matching rule shows up as a failing count, not as a silently different score.
"""

from __future__ import annotations

import re
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.devtools.evaluate import (
    VALUE_COLUMNS,
    check_conflicts,
    discover_cases,
    load_gold,
    main_eval_all,
    main_evaluate,
    score,
)
from pipeline.timing import same_time

SHARED = Path(__file__).resolve().parents[2] / "shared"

ENTITY_COLUMNS = ["doc_id", "lang", "start", "end", "text", "label", "kb_id", "canonical",
                  "source"]
FACT_COLUMNS = ["fact_id", "doc_id", "lang", "subject", "predicate", "object_kb_id", "value",
                "when", "role", "derived", "evidence", "start", "end"]
TABLE_HEAD = ["conflict_id", "key", "subject", "predicate", "object_kb_id", "when", "role"]
TABLE_TAIL = ["status", "conflict", "explanation"]


def write_gold(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gold.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def write_facts_gold(tmp_path: Path, facts: str, subject: str = "Coalition",
                     other_docs: str = "") -> Path:
    """A gold file whose document ``a`` states ``facts`` (a YAML list) and no entities.

    The facts tests differ only in the facts; ``other_docs`` adds more documents (YAML mapping).
    """
    items = textwrap.indent(textwrap.dedent(facts).strip("\n"), " " * 6)
    more = textwrap.indent(textwrap.dedent(other_docs).strip("\n"), " " * 2)
    text = (f"case: t\nsubject: {subject}\ndocs:\n  a:\n    countries: []\n    persons: []\n"
            f"    dates: []\n    facts:\n{items}\n" + (f"{more}\n" if more else ""))
    path = tmp_path / "gold.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def write_outputs(out: Path, docs: list[str], entities: list[tuple[str, str, str]] = (),
                  facts: list[dict[str, Any]] = (), table: list[dict[str, Any]] = ()) -> Path:
    """An output folder per SCHEMA.md with only the rows a test needs."""
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"doc_id": d, "path": f"{d}.txt", "sha256": "", "lang": "en",
                   "lang_confidence": 1.0, "chars": 0} for d in docs]).to_csv(
        out / "documents.csv", index=False)
    pd.DataFrame([{"doc_id": d, "lang": "en", "start": 0, "end": 1, "text": k, "label": label,
                   "kb_id": k, "canonical": k, "source": "test"} for d, label, k in entities],
                 columns=ENTITY_COLUMNS).to_csv(out / "entities.csv", index=False)
    defaults = {c: "" for c in FACT_COLUMNS} | {"derived": "false", "subject": "Coalition"}
    pd.DataFrame([defaults | f for f in facts], columns=FACT_COLUMNS).to_csv(
        out / "facts.csv", index=False)
    # A table row gives its typed values as {doc: [{"value": ..., "when": ..., "role": ...}]}:
    # fact_table.csv gets the bare values, fact_values.csv one row per value.
    columns = TABLE_HEAD + docs + TABLE_TAIL
    rows, values = [], []
    for r in table:
        r = dict(r)
        given = r.pop("values", {})
        cid = r.setdefault("conflict_id", r.get("key", ""))
        for d, vals in given.items():
            r[d] = "; ".join(v["value"] for v in vals)
            values += [{"conflict_id": cid, "doc_id": d, "when": "", "role": ""} | v
                       for v in vals]
        rows.append({c: "" for c in columns} | {"subject": "Coalition", "status": "agree",
                                                 "conflict": "false"} | r)
    pd.DataFrame(rows, columns=columns).to_csv(out / "fact_table.csv", index=False)
    pd.DataFrame(values, columns=list(VALUE_COLUMNS)).to_csv(out / "fact_values.csv",
                                                            index=False)
    return out


def row(scores: pd.DataFrame, doc_id: str, area: str) -> dict[str, Any]:
    found = scores[(scores["doc_id"] == doc_id) & (scores["area"] == area)]
    assert len(found) == 1, (doc_id, area)
    return found.iloc[0].to_dict()


def counts(scores: pd.DataFrame, doc_id: str, area: str) -> tuple[int, int, int]:
    r = row(scores, doc_id, area)
    return int(r["tp"]), int(r["fp"]), int(r["fn"])


# --------------------------------------------------------------------------------------------
# entity areas
# --------------------------------------------------------------------------------------------


def test_countries_and_dates_are_sets_per_document_with_micro_totals(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, """
        case: t
        subject: Coalition
        docs:
          a: {countries: [SAU, PAK, IRN], persons: [], dates: ["2015", "2016-12"], facts: []}
          b: {countries: [OMN], persons: [], dates: [], facts: []}
          c: {countries: [], persons: [], dates: [], facts: []}
        """)
    out = write_outputs(tmp_path / "out", ["a", "b", "c"], entities=[
        ("a", "COUNTRY", "SAU"), ("a", "COUNTRY", "SAU"), ("a", "COUNTRY", "PAK"),
        ("a", "COUNTRY", "USA"), ("a", "DATE", "2015"), ("a", "DATE", "2016"),
        ("a", "LOC", "IRN"),  # another label never counts as a country
        ("b", "COUNTRY", "OMN"), ("b", "DATE", "2017"),
    ])
    scores = score(gold, out)
    assert list(scores.columns) == ["case", "doc_id", "area", "tp", "fp", "fn", "precision",
                                    "recall", "f1"]
    assert set(scores["case"]) == {"t"}
    assert counts(scores, "a", "countries") == (2, 1, 1)
    assert row(scores, "a", "countries")["f1"] == pytest.approx(2 / 3)
    assert counts(scores, "a", "dates") == (1, 1, 1)  # 2016 is not 2016-12 for entities
    assert row(scores, "b", "countries")["f1"] == 1.0
    b_dates = row(scores, "b", "dates")
    assert (b_dates["precision"], b_dates["recall"], b_dates["f1"]) == (0.0, 0.0, 0.0)
    c_persons = row(scores, "c", "persons")  # nothing in gold, nothing found: a correct answer
    assert (c_persons["precision"], c_persons["recall"], c_persons["f1"]) == (1.0, 1.0, 1.0)
    assert counts(scores, "ALL", "countries") == (3, 1, 1)
    total = row(scores, "ALL", "dates")
    assert counts(scores, "ALL", "dates") == (1, 2, 1)
    assert total["precision"] == pytest.approx(1 / 3)
    assert total["recall"] == pytest.approx(1 / 2)
    assert total["f1"] == pytest.approx(0.4)


def test_persons_match_fuzzily_and_one_to_one(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, """
        case: t
        subject: Coalition
        docs:
          a:
            countries: []
            persons: ["Ahmet Davutoğlu", "Raheel Sharif", "Ash Carter"]
            dates: []
            facts: []
        """)
    out = write_outputs(tmp_path / "out", ["a"], entities=[
        ("a", "PERSON", "ahmet davutoglu"),  # case and diacritics
        ("a", "PERSON", "Rahel Sharif"),  # spelling variant, ratio 96
        ("a", "PERSON", "Raheel Sharif"),  # the same gold name cannot be matched twice
        ("a", "PERSON", "Ashraf Ghani"),  # a different person, ratio 45
    ])
    assert counts(score(gold, out), "a", "persons") == (2, 2, 1)


# --------------------------------------------------------------------------------------------
# facts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("2015", "2015-12-15", True),
    ("2015-12-15", "2015", True),
    ("2016-12", "2016", True),
    ("2016-12", "2016-12", True),
    ("2016-12", "2016-11", False),
    ("2015-12-15", "2015-12-16", False),
    ("2015-1", "2015-12", False),
    ("2015", "2016-01", False),
])
def test_gold_dates_compare_as_the_pipeline_does(a: str, b: str, expected: bool) -> None:
    assert same_time(a, b) is expected


def test_fact_when_matches_refinements_but_not_other_dates(tmp_path: Path) -> None:
    gold = write_facts_gold(tmp_path, """
        - {predicate: founded, when: "2015", evidence: "... 2015 ..."}
        - {predicate: member, country: OMN, role: joined, when: "2016-12"}
        - {predicate: member, country: AFG, role: joined, when: "2016"}
        - {predicate: leader, person: "Raheel Sharif", role: commander-in-chief,
           when: "2017-01-06"}
        """)
    out = write_outputs(tmp_path / "out", ["a"], facts=[
        {"doc_id": "a", "predicate": "founded", "when": "2015-12-15"},  # refinement
        {"doc_id": "a", "predicate": "member", "object_kb_id": "OMN", "role": "joined",
         "when": "2016"},  # coarsening
        {"doc_id": "a", "predicate": "member", "object_kb_id": "AFG", "role": "joined",
         "when": "2017"},  # another year
        {"doc_id": "a", "predicate": "leader", "object_kb_id": "Raheel Sharif",
         "role": "Commander-in-Chief", "when": ""},  # undated: does not match a dated fact
    ])
    scores = score(gold, out)
    assert counts(scores, "a", "facts") == (2, 2, 2)
    assert row(scores, "a", "facts")["f1"] == pytest.approx(0.5)


def test_derived_count_must_be_derived_and_numerically_equal(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, """
        case: t
        subject: Coalition
        docs:
          a:
            facts:
              - {predicate: member_count, value: 32, when: "2015", derived: true}
          b:
            facts:
              - {predicate: member_count, value: 32, when: "2015", derived: true}
              - {predicate: member_count, value: 41, when: "2017-11"}
        """)
    out = write_outputs(tmp_path / "out", ["a", "b"], facts=[
        # stated in the text, but gold counts a list: no match
        {"doc_id": "a", "predicate": "member_count", "value": "32", "when": "2015",
         "derived": "false"},
        {"doc_id": "a", "predicate": "member_count", "value": "31", "when": "2015",
         "derived": "true"},  # derived, but another number
        {"doc_id": "b", "predicate": "member_count", "value": "32.0", "when": "2015",
         "derived": "True"},
        # gold does not say derived: either is accepted
        {"doc_id": "b", "predicate": "member_count", "value": "41", "when": "2017-11",
         "derived": "true"},
        {"doc_id": "b", "predicate": "member_count", "value": "40", "when": "2017-11"},
    ])
    scores = score(gold, out)
    assert counts(scores, "a", "facts") == (0, 2, 1)
    assert counts(scores, "b", "facts") == (2, 1, 0)


def test_roles_and_maximum_one_to_one_matching(tmp_path: Path) -> None:
    gold = write_facts_gold(tmp_path, """
        - {predicate: member, country: AUS}
        - {predicate: member, country: AUS, role: founding, when: "2007"}
        - {predicate: member, country: AUS, role: left, when: "2008-02"}
        - {predicate: member, country: IND}
        - {predicate: member, country: PAK, role: left}
        """)
    out = write_outputs(tmp_path / "out", ["a"], facts=[
        # listed first: a greedy matcher would give it to the role-less gold fact and then
        # have nothing left for the founding one
        {"doc_id": "a", "predicate": "member", "object_kb_id": "AUS", "role": "founding",
         "when": "2007"},
        {"doc_id": "a", "predicate": "member", "object_kb_id": "AUS"},
        {"doc_id": "a", "predicate": "member", "object_kb_id": "AUS", "role": "left",
         "when": "2008-02"},
        # "left" contradicts a plain membership statement
        {"doc_id": "a", "predicate": "member", "object_kb_id": "IND", "role": "left"},
        # and "founding" contradicts a gold "left"
        {"doc_id": "a", "predicate": "member", "object_kb_id": "PAK", "role": "founding"},
    ])
    assert counts(score(gold, out), "a", "facts") == (3, 2, 2)


def test_fact_subjects_separate_the_case_subject_from_other_organisations(tmp_path: Path) -> None:
    gold = write_facts_gold(tmp_path, """
        - {predicate: founded, when: "2001-05-26"}
        - {subject: OAU, predicate: founded, when: "1963-05-25"}
        - {predicate: member_count, value: 55}
        """, subject="African Union (AU)")
    out = write_outputs(tmp_path / "out", ["a"], facts=[
        {"doc_id": "a", "subject": "AU", "predicate": "founded", "when": "2001-05-26"},
        {"doc_id": "a", "subject": "Organisation of African Unity", "predicate": "founded",
         "when": "1963-05-25"},
        # the OAU's count is not the AU's
        {"doc_id": "a", "subject": "OAU", "predicate": "member_count", "value": "55"},
        # the AU's founding date must not match the OAU's
        {"doc_id": "a", "subject": "African Union", "predicate": "founded",
         "when": "1963-05-25"},
    ])
    assert counts(score(gold, out), "a", "facts") == (2, 2, 1)


def test_fact_objects_persons_orgs_places(tmp_path: Path) -> None:
    gold = write_facts_gold(tmp_path, """
        - {predicate: founder, person: "Mohammad bin Salman"}
        - {predicate: headquarters, place: "Riyadh"}
        - {predicate: member, org: EU}
        - {predicate: leader, person: "Hissein Brahim Taha", role: Secretary-General}
        - {predicate: member, country: SAU}
        """, other_docs="""
        c:
          facts:
            - {predicate: headquarters, place: "Riyadh"}
            - {predicate: founder, person: "Shinzo Abe"}
            - {predicate: member, org: AU}
        """)
    out = write_outputs(tmp_path / "out", ["a"], facts=[
        {"doc_id": "a", "predicate": "founder", "object_kb_id": "Mohammed bin Salman"},
        {"doc_id": "a", "predicate": "headquarters", "object_kb_id": "riyadh"},
        {"doc_id": "a", "predicate": "member", "object_kb_id": "European Union"},
        {"doc_id": "a", "predicate": "leader", "object_kb_id": "Hussein Ibrahim Taha",
         "role": "secretary general"},
        {"doc_id": "a", "predicate": "headquarters", "object_kb_id": "Jeddah"},
        {"doc_id": "a", "predicate": "member", "object_kb_id": "SDN"},
        {"doc_id": "b", "predicate": "member", "object_kb_id": "SAU"},  # another document
        {"doc_id": "c", "predicate": "headquarters", "object_kb_id": "Jeddah"},
        {"doc_id": "c", "predicate": "founder", "object_kb_id": "Manmohan Singh"},
        {"doc_id": "c", "predicate": "member", "object_kb_id": "OAU"},
    ])
    scores = score(gold, out)
    assert counts(scores, "a", "facts") == (4, 2, 1)
    assert counts(scores, "c", "facts") == (0, 3, 3)


def test_missing_output_is_an_error_not_a_zero(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_gold(tmp_path, """
        case: t
        subject: Coalition
        docs:
          a: {countries: [SAU]}
        """)
    with pytest.raises(FileNotFoundError):
        score(gold, tmp_path / "nowhere")
    assert main_evaluate([str(gold), "--out", str(tmp_path / "nowhere")]) == 2
    assert "entities.csv" in capsys.readouterr().err


def test_gold_doc_ids_stay_text(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, """
        case: t
        subject: Coalition
        docs:
          0001: {countries: [SAU], dates: [2015-12-15]}
          no: {countries: []}
        """)
    loaded = load_gold(gold)
    assert list(loaded.docs) == ["0001", "no"]
    assert loaded.docs["0001"].dates == ("2015-12-15",)


# --------------------------------------------------------------------------------------------
# conflicts and the command
# --------------------------------------------------------------------------------------------

CONFLICT_GOLD = """
    case: t
    subject: Coalition
    docs:
      en: {countries: [], persons: [], dates: [], facts: []}
      hi: {countries: [], persons: [], dates: [], facts: []}
    conflicts:
      - {predicate: member_count, when: "2015", values: {en: 32, hi: 34}, required: true}
      - {predicate: member, country: AUS, role: left, values: {en: "2008-02", hi: "2007"},
         required: true}
      - {predicate: founder, values: {en: "Shinzo Abe", hi: "Manmohan Singh"}, required: false}
    non_conflicts:
      - {predicate: founded, values: {en: "2015", hi: "2015-12-15"}}
      - {predicate: member, country: AUS, role: left, values: {en: "2008-02"}}
      - {predicate: leader, person: "Raheel Sharif"}
    """


def vals(*items: str, role: str = "") -> list[dict[str, str]]:
    """Typed values: a date is also the value's ``when``."""
    return [{"value": v, "when": v if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", v) else "",
             "role": role} for v in items]


def conflict_table(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """A fact table that shows both required conflicts and flags no non-conflict."""
    rows = {
        "count": {"key": "count", "predicate": "member_count", "when": "2015",
                  "values": {"en": vals("32"), "hi": vals("34")}, "status": "conflict",
                  "conflict": "true"},
        "left": {"key": "left", "predicate": "member", "object_kb_id": "AUS", "role": "left",
                 "values": {"en": vals("2008-02", role="left"), "hi": vals("2007", role="left")},
                 "status": "conflict", "conflict": "True"},
        "founder": {"key": "founder", "predicate": "founder",
                    "values": {"en": vals("Shinzo Abe"), "hi": vals("Manmohan Singh")}},
        "founded": {"key": "founded", "predicate": "founded",
                    "values": {"en": vals("2015"), "hi": vals("2015-12-15")},
                    "status": "refines"},
        "leader": {"key": "leader", "predicate": "leader", "role": "commander-in-chief",
                   "values": {"hi": vals("Raheel Sharif", "Rahil Sharif")},
                   "status": "single_source"},
    }
    for name, change in changes.items():
        rows[name] = rows[name] | change
    return list(rows.values())


def test_conflict_checks_pass_on_a_correct_table(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, CONFLICT_GOLD)
    out = write_outputs(tmp_path / "out", ["en", "hi"], table=conflict_table())
    results = check_conflicts(gold, out)
    assert list(results.columns) == ["case", "kind", "predicate", "detail", "required", "ok"]
    conflicts = results[results["kind"] == "conflict"]
    assert conflicts["ok"].tolist() == [True, True, False]  # the founder row is not flagged
    assert conflicts["required"].tolist() == [True, True, False]
    # the flagged AUS row shows the listed conflict, so it does not break the non-conflict
    assert results[results["kind"] == "non_conflict"]["ok"].tolist() == [True, True, True]
    assert main_evaluate([str(gold), "--out", str(out)]) == 0


def test_a_conflict_that_is_not_required_may_be_a_possible_one(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, CONFLICT_GOLD)
    table = conflict_table(founder={"status": "possible_conflict"})
    results = check_conflicts(gold, write_outputs(tmp_path / "out", ["en", "hi"], table=table))
    assert results[results["kind"] == "conflict"]["ok"].tolist() == [True, True, True]


@pytest.mark.parametrize("changes", [
    {"count": {"conflict": "false", "status": "agree"}},  # not flagged
    {"count": {"conflict": "false", "status": "possible_conflict"}},  # only a possible one
    {"count": {"values": {"en": vals("32"), "hi": vals("33")}}},  # without the values
    {"left": {"role": "", "values": {"en": vals("2008-02", role="left"),  # another event
                                     "hi": vals("2007", role="joined")}}},
])
def test_missing_required_conflict_exits_1(tmp_path: Path, changes: dict[str, Any],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_gold(tmp_path, CONFLICT_GOLD)
    out = write_outputs(tmp_path / "out", ["en", "hi"], table=conflict_table(**changes))
    results = check_conflicts(gold, out)
    assert not results[(results["kind"] == "conflict") & results["required"]]["ok"].all()
    assert main_evaluate([str(gold), "--out", str(out)]) == 1
    assert "FAIL" in capsys.readouterr().out


@pytest.mark.parametrize(("changes", "violated"), [
    ({"founded": {"conflict": "true", "status": "conflict"}}, 0),
    ({"founded": {"status": "possible_conflict"}}, 0),  # flagged at the lower grade
    ({"leader": {"conflict": "True", "status": "conflict"}}, 2),
])
def test_flagged_non_conflict_exits_1(tmp_path: Path, changes: dict[str, Any],
                                      violated: int) -> None:
    gold = write_gold(tmp_path, CONFLICT_GOLD)
    out = write_outputs(tmp_path / "out", ["en", "hi"], table=conflict_table(**changes))
    results = check_conflicts(gold, out)
    non_conflicts = results[results["kind"] == "non_conflict"]["ok"].tolist()
    assert non_conflicts == [i != violated for i in range(3)]
    assert main_evaluate([str(gold), "--out", str(out)]) == 1


def test_thresholds_apply_per_document_and_overall(tmp_path: Path) -> None:
    gold = write_gold(tmp_path, """
        case: t
        subject: Coalition
        docs:
          a: {countries: [SAU, PAK]}
          b: {countries: [SAU, PAK]}
        """)
    out = write_outputs(tmp_path / "out", ["a", "b"], entities=[
        ("a", "COUNTRY", "SAU"), ("a", "COUNTRY", "PAK"), ("b", "COUNTRY", "SAU")])
    # a: F1 1.0, b: F1 2/3, overall 6/7
    assert main_evaluate([str(gold), "--out", str(out), "--min-countries-f1", "0.6"]) == 0
    assert main_evaluate([str(gold), "--out", str(out), "--min-countries-f1", "0.8"]) == 1
    assert main_evaluate([str(gold), "--out", str(out), "--min-facts-f1", "1"]) == 0


# --------------------------------------------------------------------------------------------
# eval-all
# --------------------------------------------------------------------------------------------


def make_shared(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    for name, countries in (("alpha", {"en": ["SAU"], "hi": ["SAU", "IND"]}),
                            ("beta", {"en": ["SAU"]})):
        folder = shared / "cases" / name
        folder.mkdir(parents=True)
        docs = "".join(f"  {d}: {{countries: [{', '.join(c)}]}}\n" for d, c in countries.items())
        (folder / "gold.yaml").write_text(f"case: {name}\nsubject: X\ndocs:\n{docs}",
                                          encoding="utf-8")
        for doc in countries:
            (folder / f"{doc}.txt").write_text("text", encoding="utf-8")
    (shared / "cases" / "no_gold").mkdir()
    return shared


@pytest.fixture
def fake_run(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """Stands in for runtime.run: every document mentions Saudi Arabia, 'beta' can crash."""
    calls: list[list[Path]] = []

    def run(paths: list[Path], out_dir: Path, settings: object = None,
            quiet: bool = False) -> None:
        calls.append(list(paths))
        if any(p.parent.name == "beta" for p in paths) and "crash" in str(out_dir):
            raise RuntimeError("boom")
        write_outputs(Path(out_dir), [p.stem for p in paths],
                      entities=[(p.stem, "COUNTRY", "SAU") for p in paths])

    monkeypatch.setitem(sys.modules, "pipeline.runtime.run", types.SimpleNamespace(run=run))
    return calls


def test_eval_all_runs_and_scores_each_case(tmp_path: Path, fake_run: list[list[Path]],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    shared, out = make_shared(tmp_path), tmp_path / "eval"
    argv = ["--shared", str(shared), "--out", str(out), "--case", "alpha", "--case", "beta"]
    assert main_eval_all(argv) == 0
    assert sorted(p.name for call in fake_run for p in call) == ["en.txt", "en.txt", "hi.txt"]
    assert (out / "alpha" / "entities.csv").is_file()
    scores = pd.read_csv(out / "scores.csv", dtype={"doc_id": str})
    overall = scores[(scores["case"] == "ALL") & (scores["area"] == "countries")].iloc[0]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (3, 0, 1)
    assert "alpha" in capsys.readouterr().out
    # thresholds apply to the micro F1 over the cases (6/7 here)
    assert main_eval_all([*argv, "--no-run", "--min-countries-f1", "0.9"]) == 1
    assert main_eval_all([*argv, "--no-run", "--min-countries-f1", "0.85"]) == 0
    assert main_eval_all(["--shared", str(shared), "--out", str(out), "--case", "nope"]) == 2


def test_eval_all_reports_a_crashing_case_and_scores_the_others(
        tmp_path: Path, fake_run: list[list[Path]]) -> None:
    shared, out = make_shared(tmp_path), tmp_path / "crash"
    argv = ["--shared", str(shared), "--out", str(out), "--case", "alpha", "--case", "beta"]
    assert main_eval_all(argv) == 1
    assert (out / "alpha" / "entities.csv").is_file()
    assert set(pd.read_csv(out / "scores.csv")["case"]) == {"alpha", "ALL"}


def test_eval_all_without_an_importable_pipeline_exits_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pipeline.runtime.run", None)  # import raises ImportError
    shared = make_shared(tmp_path)
    assert main_eval_all(["--shared", str(shared), "--out", str(tmp_path / "o")]) == 2
    assert main_eval_all(["--shared", str(tmp_path / "absent"), "--out", str(tmp_path)]) == 2


def test_discover_cases_finds_seeds_shared_and_test_cases(tmp_path: Path) -> None:
    shared = make_shared(tmp_path)
    (shared / "gold").mkdir()
    (shared / "gold" / "seeds.yaml").write_text("case: seeds\ndocs: {}\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "seeds").mkdir(parents=True)
    (repo / "seeds" / "s1.txt").write_text("x", encoding="utf-8")
    (repo / "tests" / "data" / "cases" / "alpha").mkdir(parents=True)
    (repo / "tests" / "data" / "cases" / "alpha" / "gold.yaml").write_text(
        "case: alpha\ndocs: {}\n", encoding="utf-8")
    cases = discover_cases(shared, repo)
    assert [c.name for c in cases] == ["seeds", "alpha", "beta", "tests-alpha"]
    assert [p.name for p in cases[0].texts] == ["s1.txt"]
    assert [p.name for p in cases[1].texts] == ["en.txt", "hi.txt"]


# --------------------------------------------------------------------------------------------
# the real gold files
# --------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the project")
def test_real_gold_files_load_and_score_an_empty_output(tmp_path: Path) -> None:
    paths = [SHARED / "gold" / "seeds.yaml", *sorted(SHARED.glob("cases/*/gold.yaml"))]
    assert len(paths) > 1
    for path in paths:
        gold = load_gold(path)
        assert gold.docs and gold.subject, path
        if path.name == "gold.yaml":  # a case: its docs are its texts
            assert set(gold.docs) == {p.stem for p in path.parent.glob("*.txt")}, path
        out = write_outputs(tmp_path / gold.case, list(gold.docs))
        scores = score(path, out)
        n_facts = sum(len(d.facts) for d in gold.docs.values())
        assert counts(scores, "ALL", "facts") == (0, 0, n_facts)
        results = check_conflicts(path, out)
        assert len(results) == len(gold.conflicts) + len(gold.non_conflicts)
        assert not results[results["kind"] == "conflict"]["ok"].any()
        assert results[results["kind"] == "non_conflict"]["ok"].all()

"""The whole pipeline on a corpus written for the tests (tests/data/cases/csto_times, English and
Hindi): time decides whether two values conflict (issue 13)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

from pipeline.core.config import DEFAULT
from pipeline.output.tables import read_table

CASE = REPO / "tests" / "data" / "cases" / "csto_times"


@pytest.fixture(scope="module")
def csto(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.runtime.run import run

    out = tmp_path_factory.mktemp("csto")
    run(sorted(CASE.glob("*.txt")), out, quiet=True)
    return out


def counts(out: Path) -> dict[tuple[str, str], pd.Series]:
    table = read_table(out / "fact_table.csv")
    rows = table[table.predicate == "member_count"]
    return {(r.when, r.role): r for _, r in rows.iterrows()}


def given(out: Path, row: pd.Series) -> dict[str, set[str]]:
    values = read_table(out / "fact_values.csv")
    mine = values[values.conflict_id == row.conflict_id]
    return {d: set(g.value) for d, g in mine.groupby("doc_id")}


@pytest.mark.slow
def test_articles_of_one_day_conflict_and_of_other_years_do_not(csto: Path) -> None:
    docs = read_table(csto / "documents.csv").set_index("doc_id")
    assert docs.loc["en", "date"] == docs.loc["hi-2", "date"] == "2010-04-12"
    assert docs.loc["en-3", "date"] == "2019-03-05" and docs.loc["en-2", "date"] == ""
    rows = counts(csto)
    same_day = rows["2010", ""]
    assert same_day.status == "conflict" and same_day.conflict
    assert given(csto, same_day) == {"en": {"7"}, "hi-2": {"8"}}
    assert "the article's date" in same_day.explanation
    later = rows["2019", ""]  # six in 2019 against seven in 2010: different times
    assert later.status == "single_source" and not later.conflict
    values = read_table(csto / "fact_values.csv")
    assert set(values[values.conflict_id == same_day.conflict_id].as_of_source) == {
        "document date"}


@pytest.mark.slow
def test_two_secretaries_general_without_dates_are_a_succession(csto: Path) -> None:
    table = read_table(csto / "fact_table.csv")
    (row,) = [r for _, r in table[table.predicate == "leader"].iterrows()]
    assert given(csto, row) == {"en-2": {"Stanislav Zas"}, "hi": {"Nikolai Bordyujha"}}
    assert row.status == "agree" and not row.conflict and "succession" in row.explanation


@pytest.mark.slow
def test_a_founding_list_of_six_against_a_stated_seven_names_the_missing_state(
        csto: Path) -> None:
    row = counts(csto)["", "founding"]
    assert given(csto, row) == {"en": {"6"}, "hi": {"7"}}
    assert "en's list lacks BLR, which hi names" in row.explanation
    # en's list is introduced as the complete set ("The founding members of the CSTO are ..."):
    # its count is as good as stated.
    assert row.status == "conflict"
    md = (csto / "conflicts.md").read_text(encoding="utf-8")
    assert f"(id {row.conflict_id})" in md and "lacks BLR" in md


@pytest.mark.slow
def test_conflict_ids_survive_a_new_subject_label(csto: Path, tmp_path: Path) -> None:
    from pipeline.runtime.run import run

    run(sorted(CASE.glob("*.txt")), tmp_path,
        replace(DEFAULT, subject="Collective Security Treaty Organization"), quiet=True)
    before = read_table(csto / "fact_table.csv").conflict_id.tolist()
    after = read_table(tmp_path / "fact_table.csv")
    assert sorted(after.conflict_id) == sorted(before)

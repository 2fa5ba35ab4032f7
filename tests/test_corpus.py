"""A folder of articles on many coalitions (issue 16): one subject folder per coalition, an
index, corpus-wide tables, and each subject's facts and conflicts as a run on its files alone.

tests/data/corpus/ holds two invented coalitions written for these tests (SOURCE.md there); the
slow whole-corpus test copies ../shared/cases/* and the seeds into one folder at run time.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import SEEDS, watched_page

from pipeline.core.config import DEFAULT, Settings
from pipeline.core.records import Fact
from pipeline.facts.subject import SubjectChoice
from pipeline.output.decisions import read_facts
from pipeline.output.index import subject_folder, subject_reviews_path
from pipeline.output.tables import read_table
from pipeline.reconcile import reconcile, subject_aliases
from pipeline.runtime.corpus import (
    BEST_SCORE,
    DESCRIBED,
    OWN_CHOICE,
    REMAINDER,
    SHARED_ENTITIES,
    assign,
    attach_by_entities,
    claim_described,
    split_remainder,
)

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SETTINGS = replace(DEFAULT, workers=1, write_parquet=False)


# ---------------------------------------------------------------------- the grouping rule
def choice(kb: str, conf: float, **scores: float) -> SubjectChoice:
    return SubjectChoice(kb, conf, False, {kb: 10.0, **scores} if kb else dict(scores))


def test_one_confident_document_per_organisation_does_not_split() -> None:
    """Two articles each about another body (as yemen_coalition's GCC and Houthis) stay one
    run: an organisation needs corpus_min_documents confident documents."""
    choices = {"a": choice("GCC", 0.76), "b": choice("Houthis", 0.88), "c": choice("", 0.0)}
    assert assign(choices, DEFAULT) is None


def test_low_confidence_documents_do_not_make_a_subject() -> None:
    choices = {"a": choice("X", 0.9), "b": choice("X", 0.9), "c": choice("Y", 0.3),
               "d": choice("Y", 0.4)}
    assert assign(choices, DEFAULT) is None
    assert assign(choices, replace(DEFAULT, corpus_min_confidence=0.3)) is not None


def test_split_and_where_each_document_goes() -> None:
    choices = {
        "a1": choice("AAA", 0.9), "a2": choice("AAA", 0.8),
        "b1": choice("BBB", 0.95), "b2": choice("BBB", 0.6),
        # about something else, but names BBB more than AAA: joins BBB
        "x": choice("Vague", 0.4, BBB=3.0, AAA=1.0),
        # names neither: the remainder, a run of its own
        "y": choice("Other", 0.7),
        # a generic body is never a subject of the corpus
        "g1": SubjectChoice("UN", 0.9, True, {"UN": 9.0}),
        "g2": SubjectChoice("UN", 0.9, True, {"UN": 9.0}),
    }
    plan = assign(choices, DEFAULT)
    assert plan is not None
    groups, placed = plan
    assert [(g.subject, g.doc_ids) for g in groups] == [
        ("AAA", ("a1", "a2")), ("BBB", ("b1", "b2", "x")), ("", ("y", "g1", "g2"))]
    assert placed["b2"].how == OWN_CHOICE and placed["b2"].confidence == 0.6
    assert placed["x"].how == BEST_SCORE and 0 < placed["x"].confidence < 1
    assert placed["y"].how == REMAINDER and placed["y"].subject == ""


def test_the_remainder_splits_by_the_unnamed_coalition_its_documents_describe() -> None:
    """Articles that name no subject of the run but describe the same unnamed coalition
    ("Peru-led coalition" in two of them) form a group; one description alone does not."""
    choices = {"a1": choice("AAA", 0.9), "a2": choice("AAA", 0.8),
               "b1": choice("BBB", 0.95), "b2": choice("BBB", 0.6),
               "p1": choice("Rebels", 0.7), "p2": choice("", 0.0), "q": choice("Other", 0.7),
               "r": choice("", 0.0)}
    plan = assign(choices, DEFAULT)
    assert plan is not None
    groups, placed = plan
    described = {"p1": "Peru-led coalition", "p2": "Peru-led coalition",
                 "q": "coalition of the brave", "r": None}
    groups = split_remainder(groups, placed, described, DEFAULT)
    assert [(g.subject, g.doc_ids) for g in groups] == [
        ("AAA", ("a1", "a2")), ("BBB", ("b1", "b2")), ("Peru-led coalition", ("p1", "p2")),
        ("", ("q", "r"))]
    assert placed["p1"].how == DESCRIBED and placed["q"].how == REMAINDER


def test_the_rest_of_the_remainder_joins_the_group_it_shares_entities_with() -> None:
    """A document that names and describes no coalition goes where its states and persons are;
    one that shares nothing but a state every document names, or shares as much with two
    groups, stays in the remainder."""
    from collections import Counter

    choices = {"a1": choice("AAA", 0.9), "a2": choice("AAA", 0.8),
               "b1": choice("BBB", 0.95), "b2": choice("BBB", 0.6),
               "h": choice("", 0.0), "n": choice("", 0.0), "t": choice("", 0.0)}
    plan = assign(choices, DEFAULT)
    assert plan is not None
    groups, placed = plan
    profiles = {
        "a1": Counter({"USA": 3, "PER": 4, "CHL": 2, "Ana Ruiz": 1}),
        "a2": Counter({"USA": 1, "PER": 2, "BOL": 3}),
        "b1": Counter({"USA": 2, "NOR": 5, "ISL": 2}),
        "b2": Counter({"USA": 1, "NOR": 1, "DNK": 2}),
        "h": Counter({"USA": 6, "PER": 2, "BOL": 1, "Ana Ruiz": 2}),  # AAA's states and person
        "n": Counter({"USA": 4, "JPN": 3}),  # only the state every document names
        "t": Counter({"PER": 1, "NOR": 1, "USA": 1}),  # as much of either group
    }
    groups = attach_by_entities(groups, placed, profiles, DEFAULT)
    assert [(g.subject, g.doc_ids) for g in groups] == [
        ("AAA", ("a1", "a2", "h")), ("BBB", ("b1", "b2")), ("", ("n", "t"))]
    assert placed["h"].how == SHARED_ENTITIES and placed["h"].confidence >= 0.3
    assert placed["n"].how == REMAINDER and placed["t"].how == REMAINDER


def test_a_document_repeating_a_groups_description_joins_it_when_its_entities_agree() -> None:
    """"k" names AAA most but repeats "Peru-led coalition", which p1 and p2 form a group by, and
    names their states: it moves. "m" repeats it too but shares AAA's states: it stays."""
    from collections import Counter

    choices = {"a1": choice("AAA", 0.9), "a2": choice("AAA", 0.8), "k": choice("AAA", 0.8),
               "m": choice("AAA", 0.7), "b1": choice("BBB", 0.95), "b2": choice("BBB", 0.6),
               "p1": choice("", 0.0), "p2": choice("", 0.0)}
    plan = assign(choices, DEFAULT)
    assert plan is not None
    groups, placed = plan
    groups = split_remainder(groups, placed, {"p1": "Peru-led coalition",
                                              "p2": "Peru-led coalition"}, DEFAULT)
    profiles = {"a1": Counter({"NOR": 3, "ISL": 2}), "a2": Counter({"NOR": 1, "DNK": 2}),
                "k": Counter({"PER": 3, "ECU": 2, "NOR": 1}),
                "m": Counter({"NOR": 2, "DNK": 1, "PER": 1}),
                "b1": Counter({"JPN": 2}), "b2": Counter({"KOR": 1}),
                "p1": Counter({"PER": 2, "ECU": 1}), "p2": Counter({"PER": 1, "BOL": 1})}
    groups = claim_described(groups, placed, {"k": "Peru-led coalition",
                                              "m": "Peru-led coalition", "a1": None}, profiles)
    assert [(g.subject, g.doc_ids) for g in groups] == [
        ("AAA", ("a1", "a2", "m")), ("BBB", ("b1", "b2")),
        ("Peru-led coalition", ("k", "p1", "p2"))]
    assert placed["k"].subject == "Peru-led coalition" and placed["m"].how == OWN_CHOICE


def test_subject_folders_are_unique_and_safe() -> None:
    taken: set[str] = set()
    names = [subject_folder(s, taken) for s in
             ("ASEAN", "asean", "coalition of the willing", "../etc", "अंतरराष्ट्रीय सौर गठबंधन",
              "parquet", "", "G-20/<b>")]
    assert names == ["asean", "asean-2", "coalition-of-the-willing", "etc",
                     "अंतरराष्ट्रीय-सौर-गठबंधन", "parquet-subject", "subject", "g-20-b"]
    assert all("/" not in n and not n.startswith(".") for n in names)


def test_subject_reviews_path(tmp_path: Path) -> None:
    assert subject_reviews_path(None, "asean") is None
    assert subject_reviews_path(tmp_path / "reviews.csv", "asean") == \
        tmp_path / "reviews-asean.csv"
    assert subject_reviews_path(tmp_path, "asean") == tmp_path / "reviews-asean.csv"


# ---------------------------------------------------------------------- helpers
def copy_inputs(files: list[Path], folder: Path, prefix: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f"{prefix}{f.name}")
    return folder


def run_quiet(paths: list[Path], out: Path, settings: Settings = SETTINGS) -> Any:
    from pipeline.runtime.run import run

    return run(paths, out, settings, quiet=True)


def table(path: Path) -> pd.DataFrame:
    return read_table(path)


def routed(solo: dict[str, Path], subjects: list[str], folder_of_run: dict[str, str],
           folder_of_subject: dict[str, str]) -> dict[str, list[Fact]]:
    """What each subject folder of the corpus must hold, from runs on each coalition alone: a
    run's facts, except those about another subject of the corpus, which go to its folder."""
    owner = {name: folder_of_subject[s] for s in subjects for name in subject_aliases(s)}
    out: dict[str, list[Fact]] = {}
    for name, solo_out in solo.items():
        for f in read_facts(solo_out):
            out.setdefault(owner.get(f.subject, folder_of_run[name]), []).append(f)
    return out


def check_folder(out: Path, folder: str, subject: str, expected: list[Fact]) -> None:
    """The folder's facts are exactly ``expected``, and its fact table grades each row as
    reconciling ``expected`` does."""
    here = out / folder
    got = table(here / "facts.csv")
    assert sorted(got.fact_id) == sorted(f.fact_id for f in expected)
    doc_ids = list(table(here / "documents.csv").doc_id)
    rows = reconcile(expected, doc_ids, subject)
    grades = table(here / "fact_table.csv").set_index("conflict_id").status.to_dict()
    assert grades == {r.conflict_id: str(r.status) for r in rows}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def index_links(out: Path) -> list[str]:
    parser = Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return parser.hrefs


# ---------------------------------------------------------------------- a written corpus
@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Path]]:
    """The two invented coalitions in one folder, and each run alone."""
    base = tmp_path_factory.mktemp("corpus")
    folder = copy_inputs(sorted(CORPUS.glob("*.txt")), base / "in")
    run_quiet([folder], base / "out")
    solo = {}
    for name in ("dlc", "psa"):
        alone = copy_inputs(sorted(CORPUS.glob(f"{name}-*.txt")), base / "alone" / name)
        run_quiet([alone], base / "alone-out" / name)
        solo[name] = base / "alone-out" / name
    return folder, base / "out", solo


@pytest.mark.slow
def test_two_coalitions_two_folders_and_an_index(small: tuple[Path, Path, dict[str, Path]]
                                                 ) -> None:
    _, out, _ = small
    subjects = table(out / "subjects.csv")
    assert list(subjects.subject) == ["DLC", "PSA"]
    assert list(subjects.label) == ["Desert Locust Council", "Polar Shipping Alliance"]
    assert list(subjects.documents) == ["3", "3"]
    for s in subjects.itertuples():
        facts = table(out / s.folder / "facts.csv")
        rows = table(out / s.folder / "fact_table.csv")
        assert int(s.facts) == len(facts)
        assert int(s.conflicts) == int(rows.conflict.sum()) == 1  # each corpus disagrees once
        assert int(s.possible_conflicts) == int((rows.status == "possible_conflict").sum())
        for name in ("documents.csv", "entities.csv", "entity_table.csv", "fact_table.csv",
                     "fact_values.csv", "conflicts.md", "report.html", "run.json"):
            assert (out / s.folder / name).is_file(), name
    # the disagreements the texts were written with (SOURCE.md), read by hand: Kenya joined the
    # DLC in 2020 or 2021, Denmark the PSA in 2018 or 2019
    for folder, state in (("dlc", "KEN"), ("psa", "DNK")):
        rows = table(out / folder / "fact_table.csv")
        flagged = rows[rows.conflict.astype(bool)]
        assert list(zip(flagged.predicate, flagged.object_kb_id, strict=True)) == [
            ("member", state)], flagged
    assert index_links(out)[:2] == ["dlc/report.html", "psa/report.html"]
    assert not (out / "fact_table.csv").exists()  # no table with a column per document on top


@pytest.mark.slow
def test_each_folder_is_its_coalition_alone(small: tuple[Path, Path, dict[str, Path]]) -> None:
    _, out, solo = small
    subjects = ["DLC", "PSA"]
    expected = routed(solo, subjects, {"dlc": "dlc", "psa": "psa"}, {"DLC": "dlc", "PSA": "psa"})
    for subject, folder in zip(subjects, ("dlc", "psa"), strict=True):
        check_folder(out, folder, subject, expected[folder])
    # psa-en-2 says Chad joined the DLC: that fact is reconciled with the DLC's, and the DLC's
    # table has a column for that one document (the corpus still counts it as a PSA article)
    chad = table(out / "dlc" / "facts.csv").query("object_kb_id == 'TCD'")
    assert list(chad.doc_id) == ["psa-en-2"] and list(chad.subject) == ["DLC"]
    assert "psa-en-2" in table(out / "dlc" / "fact_table.csv").columns
    assert "TCD" not in set(table(out / "psa" / "facts.csv").object_kb_id)
    # PSA's table is the one of a run alone on PSA's files, less the row of that fact
    assert table(out / "psa" / "fact_table.csv").equals(
        table(solo["psa"] / "fact_table.csv").query("object_kb_id != 'TCD'")
        .reset_index(drop=True))


@pytest.mark.slow
def test_corpus_wide_tables(small: tuple[Path, Path, dict[str, Path]]) -> None:
    _, out, _ = small
    docs = table(out / "documents.csv")
    assert list(docs.doc_id) == sorted(docs.doc_id)
    assert dict(zip(docs.doc_id, docs.subject_folder, strict=True)) == {
        d: d.split("-")[0] for d in docs.doc_id}
    assert set(docs.subject) == {"DLC", "PSA"}
    facts = table(out / "facts.csv")
    per_folder = pd.concat([table(out / f / "facts.csv") for f in ("dlc", "psa")])
    assert sorted(facts.fact_id) == sorted(per_folder.fact_id)
    assert (facts[facts.subject_folder == "dlc"].subject == "DLC").all()
    values = table(out / "fact_values.csv")
    assert {"subject", "subject_folder"} <= set(values.columns)
    entities = table(out / "entities.csv")
    assert set(entities.subject) == {"DLC", "PSA"}
    # nothing at the top has a column per document
    for name in ("documents", "entities", "facts", "fact_values", "subjects"):
        cols = set(table(out / f"{name}.csv").columns)
        assert not cols & set(docs.doc_id), name
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [s["folder"] for s in info["subjects"]] == ["dlc", "psa"]
    assert info["subject_by_document"]["psa-hi"]["folder"] == "psa"


@pytest.mark.slow
def test_one_subject_keeps_todays_layout(tmp_path: Path) -> None:
    """A folder on one coalition, or a corpus with --subject, is one subject: no index, the
    files of SCHEMA.md at the top."""
    one = copy_inputs(sorted(CORPUS.glob("dlc-*.txt")), tmp_path / "one")
    res = run_quiet([one], tmp_path / "out-one")
    assert not res.groups and res.subject == "DLC"
    assert (tmp_path / "out-one" / "fact_table.csv").is_file()
    assert not (tmp_path / "out-one" / "subjects.csv").exists()
    both = copy_inputs(sorted(CORPUS.glob("*.txt")), tmp_path / "both")
    res = run_quiet([both], tmp_path / "out-both", replace(SETTINGS, subject="DLC"))
    assert not res.groups and res.subject == "DLC"
    assert not (tmp_path / "out-both" / "index.html").exists()
    # the corpus written over a run of one subject: that run's one-subject files leave the top
    res = run_quiet([both], tmp_path / "out-one")
    assert len(res.groups) == 2 and (tmp_path / "out-one" / "subjects.csv").is_file()
    assert not (tmp_path / "out-one" / "fact_table.csv").exists()
    assert not (tmp_path / "out-one" / "report.html").exists()


@pytest.mark.slow
def test_decisions_per_subject(small: tuple[Path, Path, dict[str, Path]], tmp_path: Path) -> None:
    """Each subject reads its decisions from reviews-<folder>.csv beside the reviews file."""
    folder, out, _ = small
    rows = table(out / "dlc" / "fact_table.csv")
    cid = rows[rows.conflict].conflict_id.iloc[0]
    inputs = copy_inputs(sorted(folder.glob("*.txt")), tmp_path / "in")
    (inputs / "reviews-dlc.csv").write_text(
        f"conflict_id,decision,note,reviewer,date\n{cid},dismissed,test,me,2026-01-01\n",
        encoding="utf-8")
    run_quiet([inputs], tmp_path / "out")
    dlc = table(tmp_path / "out" / "dlc" / "fact_table.csv").set_index("conflict_id")
    assert dlc.loc[cid, "review_decision"] == "dismissed" and dlc.loc[cid, "resolved"]
    psa = table(tmp_path / "out" / "psa" / "fact_table.csv")
    assert not psa.resolved.any()
    info = json.loads((tmp_path / "out" / "dlc" / "run.json").read_text(encoding="utf-8"))
    assert Path(info["reviews"]["path"]).name == "reviews-dlc.csv"


@pytest.mark.browser
@pytest.mark.slow
def test_index_in_chromium(browser: Any, small: tuple[Path, Path, dict[str, Path]]) -> None:
    _, out, _ = small
    page, errors, remote = watched_page(browser)
    page.goto((out / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert errors == [] and remote == []
    links = page.locator("#subjects a")
    assert links.all_inner_texts() == ["DLC", "PSA"]
    links.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/dlc/report.html")
    assert "DLC" in page.title()
    assert errors == [] and remote == []
    page.close()


# ---------------------------------------------------------------------- the development cases
# yemen_coalition's and coalition_of_the_willing's articles never name their coalition. The
# articles that describe it form a group by the description (yemen en-2 and hi-2: "Saudi-led
# coalition"; coalition_of_the_willing en and en-2: "coalition of the willing"); yemen's en.txt,
# which names the GCC most but repeats "Saudi-led coalition", moves to that group; the Hindi
# articles that describe neither (coalition_of_the_willing hi and hi-2, yemen hi) join the group
# whose documents share their states and persons most (runtime/corpus.py).


def _cases(shared: Path) -> list[Path]:
    return sorted(p for p in (shared / "cases").iterdir() if (p / "gold.yaml").is_file())


@pytest.fixture(scope="module")
def whole(shared: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, dict[str, Path], pd.DataFrame]:
    """Every development case and the seeds in one folder (files renamed <case>__<file>), and
    each run alone on the same files."""
    base = tmp_path_factory.mktemp("whole")
    cases = {c.name: sorted(c.glob("*.txt")) for c in _cases(shared)}
    cases["seeds"] = sorted(SEEDS.glob("*.txt"))
    for name, files in cases.items():
        copy_inputs(files, base / "in", f"{name}__")
    run_quiet([base / "in"], base / "out")
    solo = {}
    for name, files in cases.items():
        copy_inputs(files, base / "alone" / name, f"{name}__")
        run_quiet([base / "alone" / name], base / "alone-out" / name)
        solo[name] = base / "alone-out" / name
    return base / "out", solo, table(base / "out" / "documents.csv")


def _case_names() -> list[str]:
    shared = Path(__file__).resolve().parents[2] / "shared"
    names = [c.name for c in _cases(shared)] if (shared / "cases").is_dir() else []
    return [*names, "seeds"]


@pytest.mark.slow
@pytest.mark.parametrize("case", _case_names())
def test_case_in_the_corpus_is_the_case_alone(
        whole: tuple[Path, dict[str, Path], pd.DataFrame], case: str) -> None:
    out, solo, docs = whole
    mine = docs[docs.doc_id.str.startswith(f"{case}__")]
    assert len(mine) == len(table(solo[case] / "documents.csv"))
    folders = set(mine.subject_folder)
    assert len(folders) == 1, f"{case} is split over {sorted(folders)}"
    folder = folders.pop()
    others = docs[(docs.subject_folder == folder) & ~docs.doc_id.str.startswith(f"{case}__")]
    assert others.empty, f"{folder} also holds {list(others.doc_id)}"
    subjects = table(out / "subjects.csv")
    folder_of_subject = dict(zip(subjects.subject, subjects.folder, strict=True))
    folder_of_run = {name: docs[docs.doc_id.str.startswith(f"{name}__")].subject_folder.iloc[0]
                     for name in solo}
    expected = routed(solo, list(subjects.subject), folder_of_run, folder_of_subject)
    subject = subjects.set_index("folder").subject[folder]
    check_folder(out, folder, subject, expected.get(folder, []))
    mine_alone = read_facts(solo[case])
    if all(f in expected.get(folder, []) for f in mine_alone) and \
            len(expected.get(folder, [])) == len(mine_alone):
        # nothing moved in or out: the folder is the run alone, file for file
        for name in ("facts.csv", "fact_table.csv", "fact_values.csv", "conflicts.md",
                     "entity_table.csv", "entities.csv"):
            assert (out / folder / name).read_bytes() == (solo[case] / name).read_bytes(), name



@pytest.mark.slow
def test_commands_on_the_top_of_a_corpus(small: tuple[Path, Path, dict[str, Path]],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`report` re-renders every subject folder; `review` and `export` work on one subject and
    say which folders there are."""
    from pipeline.cli import main

    _, out, _ = small
    before = {f: (out / f / "fact_table.csv").read_bytes() for f in ("dlc", "psa")}
    assert main(["report", "--out", str(out)]) == 0
    assert {f: (out / f / "fact_table.csv").read_bytes() for f in before} == before
    capsys.readouterr()
    for command in ("export", "review"):
        assert main([command, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "2 subjects" in err and f"--out {out / 'dlc'}" in err

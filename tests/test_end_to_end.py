"""The whole pipeline on the seeds: the conflict a reviewer must see, the agreements that must not
be flagged, the evaluation gates of the first issue, determinism, and outputs that follow edits
of the text (nothing about the seeds is hard-coded)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import EN_SEED, HI_SEED, REPO, SEEDS, count_conflict

from pipeline.devtools.evaluate import check_conflicts, score
from pipeline.runtime.run import run

CSVS = ("documents", "entities", "entity_table", "facts", "fact_table")


def table(out: Path, name: str = "fact_table") -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


def test_seeds_conflict_and_non_conflicts(seeds_run) -> None:
    _, out = seeds_run
    # The English founding list is introduced as complete: its count of 32 counts as stated.
    row = count_conflict(out, {"32", "34"})
    assert (row["000_97d93dba3af3a896"], row["004_662676e4d8910313"]) == ("32", "34")
    values = table(out, "fact_values").query(f"conflict_id == '{row.conflict_id}'")
    assert values.set_index("value").derived.to_dict() == {"32": "true", "34": "false"}
    # 34 counted from the running list (32 + Afghanistan + Oman) is only a lower bound
    count_conflict(out, {"34", "41"}, status="possible_conflict")
    ft = table(out)
    flagged = ft[ft.status.isin(["conflict", "possible_conflict"])]
    assert not len(flagged[flagged.predicate.isin(["founded", "leader"])])
    assert not len(flagged[(flagged.predicate == "member")
                           & flagged.object_kb_id.isin(["OMN", "BGD", "PAK"])])
    # रहेल शरीफ and राहील शरीफ are one person
    persons = table(out, "entities").query("label == 'PERSON' and doc_id == '004_662676e4d8910313'")
    sharif = persons[persons.text.str.contains("शरीफ")]
    assert len(sharif) >= 2 and set(sharif.kb_id) == {"Raheel Sharif"}


def test_seeds_meet_the_evaluation_gates(seeds_run, shared: Path) -> None:
    _, out = seeds_run
    gold = shared / "gold" / "seeds.yaml"
    scores = score(gold, out)
    per_doc = scores[scores.doc_id != "ALL"].set_index(["doc_id", "area"]).f1
    assert all(per_doc.xs("countries", level="area") >= 0.95)
    overall = scores[scores.doc_id == "ALL"].set_index("area").f1
    assert overall["dates"] >= 0.9 and overall["facts"] >= 0.85 and overall["persons"] >= 0.85
    checks = check_conflicts(gold, out)
    assert checks[checks.required].ok.all(), checks.to_string()


def test_same_inputs_any_order_give_identical_csvs(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    run([EN_SEED, HI_SEED], a, quiet=True)
    run([HI_SEED, EN_SEED], b, quiet=True)
    for name in CSVS:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name


def edited_seeds(tmp_path: Path, en: tuple[str, str], hi: tuple[str, str]) -> Path:
    d = tmp_path / "seeds"
    d.mkdir()
    for src, (old, new) in ((EN_SEED, en), (HI_SEED, hi)):
        text = src.read_text("utf-8")
        assert old in text
        (d / src.name).write_text(text.replace(old, new), "utf-8")
    return d


def test_outputs_follow_edited_text(tmp_path: Path) -> None:
    # a longer founding list, and the Hindi count in Devanagari digits
    d = edited_seeds(tmp_path, ("United Arab Emirates.", "United Arab Emirates, Jordan."),
                     ("तो 34 सदस्य थे", "तो ३६ सदस्य थे"))
    out = tmp_path / "out"
    run([d], out, quiet=True)
    # (the Hindi text's second 34, "in the original announcement", may stand beside the 36)
    count_conflict(out, {"33", "36"}, exact=False)
    members = table(out, "facts").query("predicate == 'member' and role == 'founding'")
    assert "JOR" in set(members.object_kb_id)


def test_agreeing_counts_are_not_flagged(tmp_path: Path) -> None:
    # the Hindi text (which states 34 twice) now agrees with the 32 counted in the English list,
    # once as a number word
    d = edited_seeds(tmp_path, ("Afghanistan and Oman joined", "Afghanistan and Oman joined"),
                     (" 34 ", " बत्तीस "))
    out = tmp_path / "out"
    run([d], out, quiet=True)
    ft = table(out)
    rows = ft[(ft.predicate == "member_count") & (ft.role == "founding")]
    assert len(rows) == 1 and rows.iloc[0].status == "agree"


@pytest.mark.slow  # runs the command line in subprocesses, each loading the models
def test_cli_help_and_exit_codes(tmp_path: Path) -> None:
    help_text = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--help"],
                               capture_output=True, text=True, cwd=REPO, check=True).stdout
    for option in ("--out", "--backend", "--quiet", "exit codes"):
        assert option in help_text
    bad = tmp_path / "in"
    shutil.copytree(SEEDS, bad)
    (bad / "empty.txt").write_text("")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(bad), "--out",
                           str(tmp_path / "out"), "--quiet"], capture_output=True, text=True,
                          cwd=REPO)
    assert proc.returncode == 1
    assert "empty.txt" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "out" / "fact_table.csv").exists()


@pytest.mark.parametrize("name", ["documents", "entities", "facts", "fact_table", "entity_table"])
def test_schema_columns(seeds_run, name: str) -> None:
    _, out = seeds_run
    required = {
        "documents": ["doc_id", "path", "sha256", "lang", "lang_confidence", "chars"],
        "entities": ["doc_id", "lang", "start", "end", "text", "label", "kb_id", "canonical",
                     "source"],
        "entity_table": ["kb_id", "label", "canonical", "status"],
        "facts": ["fact_id", "doc_id", "lang", "subject", "predicate", "object_kb_id", "value",
                  "when", "role", "derived", "evidence", "start", "end"],
        "fact_table": ["subject", "predicate", "status", "conflict", "explanation",
                       "000_97d93dba3af3a896", "004_662676e4d8910313"],
    }[name]
    assert set(required) <= set(table(out, name).columns)


def test_offsets_point_into_the_normalised_text(seeds_run) -> None:
    res, out = seeds_run
    texts = {d.doc_id: d.text for d in res.documents}
    ents = table(out, "entities")
    for r in ents.itertuples():
        assert texts[r.doc_id][int(r.start):int(r.end)] == r.text
    for r in table(out, "facts").itertuples():
        assert texts[r.doc_id][int(r.start):int(r.end)] == r.evidence


def test_an_unlisted_body_across_scripts_with_datelines(tmp_path: Path) -> None:
    """Three articles on a body no data file lists, one in Hindi with its name transliterated,
    each dated by a dateline: the counts of one day conflict, those of another year do not, two
    secretaries-general of different years are a succession, and two founding years conflict."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(
        "Tisza Beacon Group\n\nSZEGED, 3 May 2019 - The Tisza Beacon Group now has five "
        "members. The group was founded in 2009. Its secretary general is Lena Hofer.\n", "utf-8")
    (d / "b.txt").write_text(
        "टिसा बीकन ग्रुप\n\nसेगेड, 8 जून 2023 (भाषा)। टिसा बीकन ग्रुप में अब छह सदस्य देश हैं। इस "
        "समूह की स्थापना 2010 में हुई थी। कार्ल होर्न इसके महासचिव हैं।\n", "utf-8")
    (d / "c.txt").write_text(
        "Tisza Beacon Group\n\nSZEGED, 8 June 2023 - The Tisza Beacon Group has seven members, "
        "its secretary general Karl Horn said.\n", "utf-8")
    out = tmp_path / "out"
    run([d], out, quiet=True)
    ft = table(out)
    assert set(ft.subject) == {"Tisza Beacon Group"}
    status = {(r.predicate, str(r.when) if r.predicate == "member_count" else ""): r.status
              for r in ft.itertuples()}
    assert status[("founded", "")] == "conflict"
    assert status[("member_count", "2023")] == "conflict"
    assert status[("member_count", "2019")] == "single_source"
    leader = ft[ft.predicate == "leader"].iloc[0]
    assert leader.status == "agree" and "succession" in leader.explanation
    assert {leader.a, leader.b, leader.c} == {"Lena Hofer", "Karl Horn"}

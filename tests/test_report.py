"""report.html and review decisions: from hand-made outputs and from a real run on the seeds."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import count_conflict

from pipeline.core.records import Document, Entity, Fact, Mention
from pipeline.output import tables
from pipeline.output.html import highlight, render_report, romanize
from pipeline.output.reviews import apply_reviews, load_reviews, review
from pipeline.reconcile import reconcile
from pipeline.timing import assign_times

EN = ("The coalition was founded in 2015. The founding members are Pakistan, Egypt "
      "<script>alert('x')</script> and others. Oman joined in 2016.")
HI = "गठबंधन की घोषणा दिसंबर 2015 में हुई। उस समय गठबंधन में 34 सदस्य थे।"


def sentence(text: str, sent: str) -> tuple[str, int, int]:
    """A sentence of ``text`` with its offsets (as facts.csv gives them)."""
    start = text.index(sent)
    return sent, start, start + len(sent)


def mention(doc: str, lang: str, text: str, surface: str, label: str, kb_id: str,
            canonical: str = "") -> Mention:
    start = text.index(surface)
    return Mention(doc, lang, start, start + len(surface), surface, label, kb_id,
                   canonical or kb_id, "test")


def make_outputs(out: Path, complete: bool = True) -> Path:
    """Hand-made outputs: en counts 32 founding members in a list (introduced as complete, or
    not), hi says 34 at the announcement; both at the founding."""
    docs = [Document("a_en", "in/a_en.txt", EN, "0" * 64, lang="en", lang_confidence=0.99),
            Document("b_hi", "in/b_hi.txt", HI, "1" * 64, lang="hi", lang_confidence=0.97)]
    mentions = [mention("a_en", "en", EN, "2015", "DATE", "2015"),
                mention("a_en", "en", EN, "Pakistan", "COUNTRY", "PAK", "Pakistan"),
                mention("a_en", "en", EN, "Egypt", "COUNTRY", "EGY", "Egypt"),
                mention("b_hi", "hi", HI, "दिसंबर 2015", "DATE", "2015-12"),
                mention("b_hi", "hi", HI, "34", "NUMBER", "34")]
    ev_a, sa, ea = sentence(EN, "The founding members are Pakistan, Egypt "
                                "<script>alert('x')</script> and others.")
    ev_f, sf, ef = sentence(EN, "The coalition was founded in 2015.")
    ev_b, sb, eb = sentence(HI, "उस समय गठबंधन में 34 सदस्य थे।")
    ev_h, sh, eh = sentence(HI, "गठबंधन की घोषणा दिसंबर 2015 में हुई।")
    facts = [
        Fact("a_en", "en", "IMCTC", "member_count", value="32", when="2015", derived=True,
             evidence=ev_a, start=sa, end=ea, note="counted: Pakistan, Egypt, ...",
             complete=complete),
        Fact("a_en", "en", "IMCTC", "founded", when="2015", evidence=ev_f, start=sf, end=ef),
        Fact("b_hi", "hi", "IMCTC", "member_count", value="34", when="2015-12",
             evidence=ev_b, start=sb, end=eb),
        Fact("b_hi", "hi", "IMCTC", "founded", when="2015-12", evidence=ev_h, start=sh, end=eh),
    ]
    doc_ids = [d.doc_id for d in docs]
    facts = assign_times(facts, docs)
    rows = reconcile(facts, doc_ids, "IMCTC")
    entities = [Entity(m.kb_id, m.label, m.canonical, (m,)) for m in mentions]
    frames = {
        "documents": tables.documents_frame(docs),
        "entities": tables.entities_frame(mentions),
        "entity_table": tables.entity_table_frame(entities, doc_ids),
        "facts": tables.facts_frame(facts),
        "fact_table": tables.fact_table_frame(rows, doc_ids),
        "fact_values": tables.fact_values_frame(rows),
    }
    info = {"subject": "IMCTC", "pipeline_version": "test", "problems": [], "models": {}}
    tables.write_all(out, frames, info, "", parquet=False)
    return out


def values(out: Path) -> pd.DataFrame:
    return tables.read_table(out / "fact_values.csv")


def conflict_id(out: Path, predicate: str = "member_count") -> str:
    table = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    hits = table[(table.predicate == predicate) & (table.conflict == "true")]
    assert len(hits) == 1, table.to_string()
    return str(hits.conflict_id.iloc[0])


class Tags(HTMLParser):
    """Collects tags and attributes, to check the page as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.fixture()
def outputs(tmp_path: Path) -> Path:
    return make_outputs(tmp_path / "out")


def test_report_is_self_contained_and_escapes_evidence(outputs: Path) -> None:
    page = render_report(outputs)
    assert page == outputs / "report.html"
    html = page.read_text(encoding="utf-8")
    tags = parse(html).tags
    # One script (ours), nothing loaded from anywhere.
    assert [t for t, _ in tags].count("script") == 1
    assert not [a for t, a in tags if t in ("link", "img", "iframe") or a.get("src")]
    assert "http://" not in html and "https://" not in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    cid = conflict_id(outputs)
    block = [a for t, a in tags if a.get("id") == cid]
    assert block and block[0]["data-predicate"] == "member_count"
    assert block[0]["data-docs"] == "a_en|b_hi" and block[0]["data-conflict"] == "true"
    assert not list(outputs.glob(".report.html.*"))  # atomic write left no temp file


def test_highlight_by_offsets() -> None:
    ev = "The founding members are Pakistan, Egypt."
    spans = highlight(ev, 100, [
        {"start": 125, "end": 133, "text": "Pakistan", "label": "COUNTRY", "kb_id": "PAK"},
        {"start": 135, "end": 140, "text": "Egypt", "label": "COUNTRY", "kb_id": "EGY"},
        {"start": 135, "end": 139, "text": "Wrong", "label": "PERSON"},  # offsets miss: plain
        {"start": 90, "end": 95, "text": "x", "label": "DATE"},  # outside the sentence
    ])
    assert "".join(s.text for s in spans) == ev
    assert [(s.text, s.label) for s in spans if s.label] == [("Pakistan", "COUNTRY"),
                                                             ("Egypt", "COUNTRY")]


def test_report_highlights_entities_and_romanises_hindi(outputs: Path) -> None:
    html = render_report(outputs).read_text(encoding="utf-8")
    assert re.search(r'<mark class="ent" data-label="COUNTRY" style="background: #feca74"[^>]*>'
                     r'Pakistan<span class="ent-label">COUNTRY</span></mark>', html)
    assert re.search(r'data-label="NUMBER"[^>]*>34<span', html)
    # Devanagari evidence with its IAST romanisation beneath, highlights kept.
    assert "उस समय गठबंधन में" in html
    assert romanize("उस समय गठबंधन") == "usa samaya gaṭhabaṃdhana"
    assert re.search(r'<p class="roman" lang="hi-Latn"[^>]*>usa samaya gaṭhabaṃdhana', html)
    assert "sadasya" in html
    # Documents with language and confidence; the entity seen in one document only.
    assert "Hindi" in html and "97%" in html
    assert "Entities found in only one document" in html and "EGY" in html


def test_accepted_decision_resolves_the_conflict(outputs: Path) -> None:
    cid = conflict_id(outputs)
    path = outputs.parent / "reviews.csv"
    path.write_text("conflict_id,decision,note,reviewer,date\n"
                    f"{cid},accepted:b_hi,\"the 32 are founding members, 34 at announcement\","
                    "Asha,2025-03-01\n", encoding="utf-8")
    reviews = load_reviews(path)
    table = pd.read_csv(outputs / "fact_table.csv", dtype=str, keep_default_na=False)
    applied, stale = apply_reviews(table, reviews, values(outputs))
    row = applied[applied.conflict_id == cid].iloc[0]
    assert applied.resolved.dtype == bool and row.resolved
    assert row.review_decision == "accepted:b_hi"
    assert row.reviewer == "Asha" and row.review_date == "2025-03-01"
    assert not applied[applied.conflict_id != cid].resolved.any()
    assert stale.empty
    # Accepting by value works too: the values are read from fact_values.csv.
    applied, stale = apply_reviews(table, reviews.assign(decision="accepted:34"), values(outputs))
    assert applied[applied.conflict_id == cid].resolved.iloc[0] and stale.empty
    applied, stale = apply_reviews(table, reviews.assign(decision="accepted:33"), values(outputs))
    assert "'33' is no longer a document or value" in stale.reason.iloc[0]
    html = render_report(outputs, path).read_text(encoding="utf-8")
    block = next(a for t, a in parse(html).tags if a.get("id") == cid)
    assert block["data-resolved"] == "true"
    assert "34 at announcement" in html and 'id="stale"' not in html


def test_stale_decisions_are_reported_not_dropped(outputs: Path, capsys) -> None:
    cid = conflict_id(outputs)
    founded = pd.read_csv(outputs / "fact_table.csv", dtype=str, keep_default_na=False)
    founded_id = founded[founded.predicate == "founded"].conflict_id.iloc[0]  # refines, no conflict
    path = outputs.parent / "reviews.csv"
    path.write_text("conflict_id,decision,note,reviewer,date\n"
                    "0123456789,dismissed,gone,Asha,2025-03-01\n"
                    f"{founded_id},both_true,,Asha,2025-03-01\n"
                    f"{cid},accepted:41,,Asha,2025-03-01\n", encoding="utf-8")
    reviewed = review(pd.read_csv(outputs / "fact_table.csv", dtype=str, keep_default_na=False),
                      path, fact_values=values(outputs))
    reasons = dict(zip(reviewed.stale.conflict_id, reviewed.stale.reason, strict=True))
    assert reasons["0123456789"] == "conflict_id no longer in the fact table"
    assert "no longer a conflict" in reasons[founded_id]
    assert "'41'" in reasons[cid]
    err = capsys.readouterr().err
    assert "stale review decision" in err and "0123456789" in err
    assert len(reviewed.info["stale"]) == 3
    html = render_report(outputs, path).read_text(encoding="utf-8")
    assert "Stale review decisions" in html and "0123456789" in html


def test_a_possible_conflict_says_why_and_shows_times(tmp_path: Path) -> None:
    # The English list is not introduced as complete: its 32 is a lower bound.
    out = make_outputs(tmp_path / "out", complete=False)
    table = tables.read_table(out / "fact_table.csv")
    row = table[table.predicate == "member_count"].iloc[0]
    assert row.status == "possible_conflict" and not row.conflict
    given = values(out).query(f"conflict_id == '{row.conflict_id}'")
    assert given[["doc_id", "value", "as_of", "as_of_source", "derived", "lower_bound"]].to_dict(
        "records") == [
        {"doc_id": "a_en", "value": "32", "as_of": "2015", "as_of_source": "founding date",
         "derived": True, "lower_bound": True},
        {"doc_id": "b_hi", "value": "34", "as_of": "2015-12", "as_of_source": "founding date",
         "derived": False, "lower_bound": False}]
    html = render_report(out).read_text(encoding="utf-8")
    block = next(a for t, a in parse(html).tags if a.get("id") == row.conflict_id)
    assert block["data-status"] == "possible_conflict" and block["data-conflict"] == "false"
    assert "Why this is only a possible conflict" in html
    assert "at least 32" in html and "at the founding (2015)" in html
    assert '<option value="possible_conflict">possible conflict</option>' in html
    # the template offers it for review too
    from pipeline.output.reviews import template_frame

    summary = template_frame(table).summary.tolist()
    assert summary == ["member_count founding: a_en=32; b_hi=34 (possible conflict)"]


def test_conflicts_md_shows_grades_times_and_decisions(outputs: Path) -> None:
    from pipeline.cli import main

    cid = conflict_id(outputs)
    (outputs.parent / "reviews.csv").write_text(
        "conflict_id,decision,note,reviewer,date\n"
        f"{cid},accepted:34,announcement count,Asha,2025-03-01\n", encoding="utf-8")
    assert main(["report", "--out", str(outputs), "--reviews",
                 str(outputs.parent / "reviews.csv")]) == 0
    md = (outputs / "conflicts.md").read_text(encoding="utf-8")
    assert f"## Conflict: member_count — founding (id {cid})" in md
    assert "**Review:** resolved, `accepted:34` by Asha on 2025-03-01 — announcement count." in md
    assert ("| a_en | 32 | derived from a list introduced as complete | at the founding (2015) |"
            in md)
    assert "| b_hi | 34 | stated | at the founding (2015-12) |" in md


def test_parquet_columns_are_typed(tmp_path: Path) -> None:
    out = make_outputs(tmp_path / "out")
    frames = {"facts": tables.read_table(out / "facts.csv"),
              "fact_table": tables.read_table(out / "fact_table.csv"),
              "fact_values": values(out)}
    tables.write_parquet_all(out, frames)
    facts = pd.read_parquet(out / "parquet" / "facts.parquet")
    assert facts.derived.dtype == bool and facts.complete.dtype == bool
    assert set(facts.when) == {"2015", "2015-12"}  # strings at their precision, not 2015.0
    table = pd.read_parquet(out / "parquet" / "fact_table.parquet")
    assert table.conflict.dtype == bool
    given = pd.read_parquet(out / "parquet" / "fact_values.parquet")
    assert given.lower_bound.dtype == bool and set(given.as_of) == {"2015", "2015-12"}
    # the CSV keeps SCHEMA's true/false
    assert set(pd.read_csv(out / "fact_table.csv", dtype=str).conflict) <= {"true", "false"}


@pytest.mark.parametrize(("body", "expected"), [
    ("conflict_id,decision\nabc,maybe\n", r"line 2: decision 'maybe' for abc is not one of"),
    ("conflict_id,decision,date\nabc,dismissed,01/03/2025\n", r"line 2: date '01/03/2025'"),
    ("conflict_id,decision,note\nabc,dismissed,a,b,c\n", r"line 2: 5 fields"),
    ("id,verdict\nabc,dismissed\n", r"line 1: header lacks column\(s\) conflict_id, decision"),
    (",dismissed\n", r"line 1: header lacks"),
    ("conflict_id,decision\n,dismissed\n", r"line 2: decision 'dismissed' without a conflict_id"),
])
def test_malformed_reviews_name_file_and_line(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(body, encoding="utf-8")
    problems: list = []
    frame = load_reviews(path, problems)
    assert frame.empty
    assert len(problems) == 1 and problems[0].path == str(path)
    assert re.search(expected, problems[0].problem), problems[0].problem


def test_unreadable_reviews_files_are_problems(tmp_path: Path) -> None:
    problems: list = []
    load_reviews(tmp_path / "missing.csv", problems)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("conflict_id,decision,note\nabc,dismissed,café\n".encode("latin-1"))
    load_reviews(bad, problems)
    assert [p.problem.split(" (")[0].split(";")[0] for p in problems] == [
        "reviews file not found", "reviews file is not UTF-8"]
    # A BOM (Excel's "CSV UTF-8") and ';' separators are fine; empty decisions are open rows.
    ok = tmp_path / "excel.csv"
    ok.write_bytes("\ufeffconflict_id;decision;note\nabc;dismissed;x\ndef;;\n".encode())
    frame = load_reviews(ok, problems)
    assert list(frame.conflict_id) == ["abc"] and len(problems) == 2


def test_template_lists_open_conflicts_and_report_command(outputs: Path) -> None:
    from pipeline.cli import main

    cid = conflict_id(outputs)
    assert main(["report", "--out", str(outputs)]) == 0
    template = pd.read_csv(outputs / "reviews_template.csv", dtype=str, keep_default_na=False)
    assert list(template.columns) == ["conflict_id", "decision", "note", "reviewer", "date",
                                      "summary"]
    assert list(template.conflict_id) == [cid]
    assert "a_en=32; b_hi=34" in template.summary.iloc[0]
    # The reviewer fills in the template, saves it as reviews.csv and re-renders.
    filled = template.assign(decision="both_true", reviewer="Asha", date="2025-03-02")
    reviews = outputs.parent / "reviews.csv"
    filled.to_csv(reviews, index=False)
    assert main(["report", "--out", str(outputs), "--reviews", str(reviews)]) == 0
    table = pd.read_csv(outputs / "fact_table.csv", dtype=str, keep_default_na=False)
    assert table[table.conflict_id == cid].resolved.iloc[0] == "true"
    assert pd.read_csv(outputs / "reviews_template.csv").empty
    info = json.loads((outputs / "run.json").read_text(encoding="utf-8"))
    assert info["reviews"]["resolved"] == 1 and info["reviews"]["open"] == 0
    assert 'data-resolved="true"' in (outputs / "report.html").read_text(encoding="utf-8")
    # Without --reviews the file recorded in run.json is used again.
    assert main(["report", "--out", str(outputs)]) == 0
    table = pd.read_csv(outputs / "fact_table.csv", dtype=str, keep_default_na=False)
    assert table[table.conflict_id == cid].resolved.iloc[0] == "true"


def test_report_command_on_an_empty_folder_is_a_clear_error(tmp_path: Path, capsys) -> None:
    from pipeline.cli import main

    assert main(["report", "--out", str(tmp_path)]) == 2
    assert "fact_table.csv not found" in capsys.readouterr().err


# --- on the real pipeline output ---------------------------------------------------------------

UNRELATED = ("Local farmers reported a good wheat harvest this spring. Rain came early and the "
             "markets were busy.\n")


def member_count_conflict(out: Path) -> pd.Series:
    return count_conflict(out, {"32", "34"})


@pytest.mark.slow
def test_seeds_report(seeds_run) -> None:
    _, out = seeds_run
    html = (out / "report.html").read_text(encoding="utf-8")
    row = member_count_conflict(out)
    values = {v for v in row.values if isinstance(v, str)}
    assert any(v.startswith("32") for v in values) and any(v.startswith("34") for v in values)
    block = next(a for t, a in parse(html).tags if a.get("id") == row.conflict_id)
    assert block["data-predicate"] == "member_count"
    # The Hindi evidence, with 34 highlighted as a NUMBER, and its romanisation.
    assert re.search(r"जब गठबंधन की घोषणा की गई तो <mark [^>]*data-label=\"NUMBER\"[^>]*>34<", html)
    assert 'lang="hi-Latn"' in html
    assert (out / "reviews_template.csv").exists()
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["reviews"]["stale"] == [] and info["reviews"]["open"] >= 1


@pytest.mark.slow
def test_conflict_id_stable_when_an_unrelated_document_is_added(seeds_run, tmp_path) -> None:
    from pipeline.runtime.run import run

    _, out = seeds_run
    before = member_count_conflict(out).conflict_id
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for f in sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt")):
        (inputs / f.name).write_bytes(f.read_bytes())
    (inputs / "zzz_harvest.txt").write_text(UNRELATED, encoding="utf-8")
    res = run([inputs], tmp_path / "out", quiet=True)
    assert len(res.documents) == 3
    assert member_count_conflict(tmp_path / "out").conflict_id == before


@pytest.mark.slow
def test_many_documents_give_a_compact_report(tmp_path: Path) -> None:
    # More documents than columns a reader can follow: values are listed per row, and each
    # conflict shows one side per distinct value with the other documents named.
    from pipeline.runtime.run import run

    src = tmp_path / "in"
    src.mkdir()
    for i in range(14):
        count = 34 if i % 2 else 32
        (src / f"d{i:02d}.txt").write_text(
            f"The Islamic Military Counter Terrorism Coalition (IMCTC) was established in 2015. "
            f"It had {count} members when it was announced. Report number {i}.", "utf-8")
    out = tmp_path / "out"
    run([src], out, quiet=True)
    page = (out / "report.html").read_text("utf-8")
    assert "values by document" in page
    assert "also 6 other document(s)" in page


@pytest.mark.slow
def test_extract_report_equals_one_rendered_from_the_written_files(seeds_run, tmp_path) -> None:
    # extract renders the page from the tables it holds; `pipeline report` from the CSV files
    # it wrote. With review decisions applied (one accepted, one stale) both pages are the same.
    from pipeline.runtime.run import run

    _, first = seeds_run
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for f in sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt")):
        (inputs / f.name).write_bytes(f.read_bytes())
    cid = member_count_conflict(first).conflict_id
    (inputs / "reviews.csv").write_text(
        "conflict_id,decision,note,reviewer,date\n"
        f"{cid},accepted:34,announcement count,ana,2026-11-23\n"
        "0000000000,accepted:1,gone,ana,2026-11-23\n", "utf-8")
    out = tmp_path / "out"
    run([inputs], out, quiet=True)
    from_extract = (out / "report.html").read_text("utf-8")
    assert "announcement count" in from_extract
    assert from_extract == render_report(out).read_text("utf-8")

"""The review app's server side, the locked reviews file, fact rejections, titles and the chart:
on hand-made outputs (test_report.make_outputs), without a browser or NER."""

from __future__ import annotations

import csv
import multiprocessing
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS
from starlette.testclient import TestClient
from test_report import make_outputs

from pipeline.cli import main
from pipeline.core.records import Fact, FactRow
from pipeline.output.app import MAX_BODY, Config, create_app
from pipeline.output.chart import render_chart, time_span
from pipeline.output.decisions import change, load_rejections, read_facts
from pipeline.output.html import footnotes
from pipeline.output.refresh import refresh_outputs
from pipeline.output.reviews import load_reviews
from pipeline.output.titles import date_line, document_title

BASE = "http://127.0.0.1:8765"


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_many(args: tuple[str, int, int]) -> None:
    path, worker, n = args
    for i in range(n):
        change(Path(path), conflict_id=f"c{worker}-{i}", decision="dismissed",
               reviewer=f"w{worker}")


def test_concurrent_writers_lose_no_decision(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_write_many, [(str(path), w, 25) for w in range(2)])
    got = {r["conflict_id"] for r in rows_of(path)}
    assert got == {f"c{w}-{i}" for w in range(2) for i in range(25)}


def test_change_keeps_the_analysts_rows_columns_and_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("conflict_id;decision;note;reviewer;date;summary\n"
                    "aaa;dismissed;by hand;ana;2026-01-02;count row\n"
                    "bbb;;;;;open one\n", encoding="utf-8")
    change(path, conflict_id="bbb", decision="both_true", note="=HYPERLINK(\"x\")",
           reviewer="Ravi", day="2026-02-03")
    change(path, fact_id="f00d", decision="rejected", note="only announced", reviewer="Ravi",
           day="2026-02-03")
    text = path.read_text("utf-8")
    assert text.splitlines()[0].startswith("conflict_id;decision;note;reviewer;date;summary")
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    assert rows[0] == {"conflict_id": "aaa", "decision": "dismissed", "note": "by hand",
                       "reviewer": "ana", "date": "2026-01-02", "summary": "count row",
                       "fact_id": ""}
    assert rows[1]["decision"] == "both_true" and rows[1]["summary"] == "open one"
    assert rows[1]["note"].startswith("'=")  # a spreadsheet will not run it as a formula
    # Both readers see their own rows, and neither reports the other's as malformed.
    problems: list = []
    decided = load_reviews(path, problems)
    assert set(decided.conflict_id) == {"aaa", "bbb"} and problems == []
    assert list(load_rejections(path, problems)) == ["f00d"] and problems == []
    change(path, conflict_id="bbb", decision="")  # reopened: the row goes
    assert [r["conflict_id"] for r in csv.DictReader(path.read_text("utf-8").splitlines(),
                                                      delimiter=";")] == ["aaa", ""]


def test_rejected_fact_leaves_the_tables_and_comes_back(tmp_path: Path) -> None:
    out = make_outputs(tmp_path / "out")
    reviews = tmp_path / "reviews.csv"
    assert refresh_outputs(out, reviews) == 0
    before = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    founded_hi = next(f for f in read_facts(out)
                      if f.doc_id == "b_hi" and f.predicate == "founded")
    change(reviews, fact_id=founded_hi.fact_id, decision="rejected",
           note="the announcement is not the founding", reviewer="ana")
    assert refresh_outputs(out, reviews) == 0
    after = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    row = after[after.predicate == "founded"].iloc[0]
    assert row["b_hi"] == "" and row["status"] == "single_source"
    assert "the announcement is not the founding" in (out / "conflicts.md").read_text("utf-8")
    assert founded_hi.fact_id in set(pd.read_csv(out / "facts.csv", dtype=str).fact_id)
    change(reviews, fact_id=founded_hi.fact_id, decision="")
    assert refresh_outputs(out, reviews) == 0
    restored = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(restored, before)


@pytest.fixture()
def client(tmp_path: Path) -> tuple[TestClient, Config]:
    out = make_outputs(tmp_path / "out")
    config = Config(out_dir=out, reviews_path=tmp_path / "reviews.csv", token="t0ken")
    refresh_outputs(out, config.reviews_path)
    return TestClient(create_app(config), base_url=BASE, raise_server_exceptions=False), config


def post(c: TestClient, url: str, data: dict[str, str], origin: str | None = BASE,
         **kw: object):
    headers = {"origin": origin} if origin else {}
    return c.post(url, data=data, headers=headers, follow_redirects=False, **kw)


def conflict_of(out: Path) -> str:
    table = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    return str(table[table.conflict == "true"].conflict_id.iloc[0])


def test_app_records_a_decision_and_rerenders(client) -> None:
    c, config = client
    page = c.get("/")
    assert page.status_code == 200 and "frame-ancestors 'none'" in page.headers[
        "content-security-policy"]
    assert 'name="csrf" value="t0ken"' in page.text and 'id="reviewer-form"' in page.text
    assert post(c, "/reviewer", {"csrf": "t0ken", "name": "Ana Rao"}).status_code == 303
    cid = conflict_of(config.out_dir)
    r = post(c, "/decide", {"csrf": "t0ken", "conflict_id": cid, "action": "accept:b_hi",
                            "note": "stated at the announcement"})
    assert r.status_code == 303 and r.headers["location"] == f"/#{cid}"
    (row,) = rows_of(config.reviews_path)
    assert (row["conflict_id"], row["decision"], row["reviewer"]) == (cid, "accepted:b_hi",
                                                                      "Ana Rao")
    table = pd.read_csv(config.out_dir / "fact_table.csv", dtype=str, keep_default_na=False)
    assert table.set_index("conflict_id").loc[cid, "resolved"] == "true"
    assert "accepted:b_hi" in (config.out_dir / "conflicts.md").read_text("utf-8")
    assert "Reviewing as" in c.get("/").text


def test_a_recorded_decision_is_not_reported_lost_when_rendering_fails(client) -> None:
    c, config = client
    assert post(c, "/reviewer", {"csrf": "t0ken", "name": "Ana Rao"}).status_code == 303
    cid = conflict_of(config.out_dir)
    (config.out_dir / "report.html").unlink()
    (config.out_dir / "report.html").mkdir()  # the page cannot be written over a folder
    r = post(c, "/decide", {"csrf": "t0ken", "conflict_id": cid, "action": "dismissed"})
    assert r.status_code == 500 and "Recorded; outputs not refreshed" in r.text
    assert [(row["conflict_id"], row["decision"]) for row in rows_of(config.reviews_path)] == [
        (cid, "dismissed")]


@pytest.mark.parametrize(("data", "origin", "status", "message"), [
    ({"conflict_id": "x", "action": "dismissed"}, BASE, 403, "token"),
    ({"csrf": "wrong", "conflict_id": "x", "action": "dismissed"}, BASE, 403, "token"),
    ({"csrf": "t0ken", "conflict_id": "x", "action": "dismissed"}, "http://evil.example", 403,
     "not from this app"),
    ({"csrf": "t0ken", "conflict_id": "x", "action": "dismissed"}, None, 403, "Origin"),
    ({"csrf": "t0ken", "conflict_id": "CID", "action": "accept:nobody"}, BASE, 400,
     "names neither"),
    ({"csrf": "t0ken", "conflict_id": "CID", "action": "drop table"}, BASE, 400, "not accept"),
    ({"csrf": "t0ken", "conflict_id": "nope", "action": "dismissed"}, BASE, 404, "no row"),
    ({"csrf": "t0ken", "conflict_id": "CID", "action": "dismissed", "note": "x" * 5000}, BASE,
     400, "longer than"),
])
def test_app_refuses_bad_or_forged_forms(client, data, origin, status, message) -> None:
    c, config = client
    post(c, "/reviewer", {"csrf": "t0ken", "name": "Ana"})
    data = {k: v.replace("CID", conflict_of(config.out_dir)) for k, v in data.items()}
    r = post(c, "/decide", data, origin)
    assert r.status_code == status and message in r.text
    assert "Traceback" not in r.text
    assert not config.reviews_path.exists()


def test_app_refuses_other_hosts_and_nameless_decisions(client) -> None:
    c, config = client
    assert c.get("/", headers={"host": "attacker.example"}).status_code == 400
    r = post(c, "/decide", {"csrf": "t0ken", "conflict_id": conflict_of(config.out_dir),
                            "action": "dismissed"})
    assert r.status_code == 400 and "your name" in r.text
    r = post(c, "/reviewer", {"csrf": "t0ken", "name": "  "})
    assert r.status_code == 400
    r = c.post("/decide", content=b"{}", headers={"origin": BASE,
                                                  "content-type": "application/json"})
    assert r.status_code == 400 and "form" in r.text
    assert not config.reviews_path.exists()


def test_app_refuses_a_large_form_sent_without_its_length(client) -> None:
    """A chunked body carries no Content-Length: the app counts the bytes as they arrive and
    answers 413 past MAX_BODY; a small form sent the same way is recorded as usual."""
    c, config = client
    post(c, "/reviewer", {"csrf": "t0ken", "name": "Ana"})
    form = f"csrf=t0ken&conflict_id={conflict_of(config.out_dir)}&action=dismissed"
    seen: list[str | None] = []

    def chunked(extra_kb: int):
        yield (form + ("&note=" if extra_kb else "")).encode()
        for _ in range(extra_kb):
            yield b"x" * 1024

    headers = {"origin": BASE, "content-type": "application/x-www-form-urlencoded"}
    hooks = {"request": [lambda request: seen.append(request.headers.get("content-length"))]}
    c.event_hooks = hooks
    r = c.post("/decide", content=chunked(MAX_BODY // 1024 + 1), headers=headers,
               follow_redirects=False)
    assert seen == [None]  # no length was sent: only counting can refuse it
    assert r.status_code == 413 and f"larger than {MAX_BODY // 1024} KB" in r.text
    assert "Traceback" not in r.text and not config.reviews_path.exists()
    r = c.post("/decide", content=chunked(0), headers=headers, follow_redirects=False)
    assert r.status_code == 303
    assert [row["decision"] for row in rows_of(config.reviews_path)] == ["dismissed"]


def test_app_decides_only_on_conflicts(client) -> None:
    c, config = client
    post(c, "/reviewer", {"csrf": "t0ken", "name": "Ana"})
    table = pd.read_csv(config.out_dir / "fact_table.csv", dtype=str, keep_default_na=False)
    agreed = table[table.conflict != "true"].iloc[0]
    r = post(c, "/decide", {"csrf": "t0ken", "conflict_id": agreed.conflict_id,
                            "action": "dismissed"})
    assert r.status_code == 400 and f"status {agreed.status}" in r.text
    assert not config.reviews_path.exists()


def test_app_rejects_and_restores_a_fact(client) -> None:
    c, config = client
    post(c, "/reviewer", {"csrf": "t0ken", "name": "Ana"})
    fact = next(f for f in read_facts(config.out_dir) if f.predicate == "founded")
    r = post(c, "/reject", {"csrf": "t0ken", "fact_id": fact.fact_id, "action": "reject"})
    assert r.status_code == 400 and "say why" in r.text
    r = post(c, "/reject", {"csrf": "t0ken", "fact_id": fact.fact_id, "action": "reject",
                            "reason": "only announced"})
    assert r.status_code == 303
    assert list(load_rejections(config.reviews_path)) == [fact.fact_id]
    page = c.get("/").text
    assert re.search(rf'id="fact-{fact.fact_id}"[^>]*data-rejected="true"', page)
    post(c, "/reject", {"csrf": "t0ken", "fact_id": fact.fact_id, "action": "restore"})
    assert load_rejections(config.reviews_path) == {}


def test_titles_and_date_lines() -> None:
    assert document_title("# The Pact of Five\n\nIt was signed.") == "The Pact of Five"
    assert document_title("= Northern Accord =\ntext") == "Northern Accord"
    # Navigation left over from a web page is lowercase; the heading is capitalised.
    assert document_title("skip to content\n\nThe Pact of Five\nBy A. Writer\n\nIt was "
                          "signed by three states.") == "The Pact of Five"
    # A Devanagari heading has no case; a paragraph is named by its first sentence.
    assert document_title("पाँच देशों का समझौता\n\nयह 1990 में हुआ।") == "पाँच देशों का समझौता"
    prose = "The pact was signed by five states in 1990. " + "More text follows. " * 20
    assert document_title(prose) == "The pact was signed by five states in 1990."
    assert date_line("The Pact of Five\nBy A. Writer\nUpdated 3 March 2019\n\nText.") == \
        "Updated 3 March 2019"
    assert date_line("The Pact of Five\n\nNo date here.") == ""


def test_footnote_marks_are_set_apart_and_escaped() -> None:
    html = str(footnotes("Qatar (1)\xa0Saudi Arabia <b>, Oman[2]"))
    assert html == ('Qatar <sup class="fn">(1)</sup>\xa0Saudi Arabia &lt;b&gt;, '
                    'Oman<sup class="fn">[2]</sup>')


def test_chart_places_counts_at_their_times_and_marks_conflicts() -> None:
    assert time_span("2015") == (2015.5, 0.5)
    assert time_span("2016-12")[0] == pytest.approx(2016 + 11.5 / 12)
    assert time_span("not a date") is None
    facts = [Fact("a", "en", "X", "member_count", value="32", when="2015", derived=True),
             Fact("b", "hi", "X", "member_count", value="34", when="2015-12-15"),
             Fact("b", "hi", "X", "member_count", value="41", when="", as_of="2017-11"),
             Fact("b", "hi", "X", "member_count", value="40"),
             Fact("a", "en", "X", "member", object_kb_id="OMN", role="joined", when="2016"),
             Fact("a", "en", "X", "member", object_kb_id="QAT", role="suspended",
                  when="2017-06")]
    row = FactRow("X|member_count||2015|", "X", "member_count", "", "2015", "",
                  facts=tuple(facts[:2]), status="conflict", conflict=True)
    chart = render_chart(facts, [row], ["a", "b"], {"a": "<script>x</script>", "b": "B"})
    assert [(p.doc_id, p.value, p.time) for p in chart.points] == [
        ("a", 32, "2015"), ("b", 34, "2015-12-15"), ("b", 41, "2017-11")]
    assert [p.value for p in chart.undated] == [40]
    assert {p.value: p.conflict_id for p in chart.points} == {
        32: row.conflict_id, 34: row.conflict_id, 41: ""}
    assert [(e.kind, e.countries) for e in chart.events] == [("join", ("OMN",)),
                                                             ("departure", ("QAT",))]
    svg = chart.svg
    assert svg.startswith("<svg") and "<script" not in svg and "http" not in svg
    for gid in ("count-a-32-2015", "count-b-41-2017-11", f"conflict-{row.conflict_id}-a",
                "join-a-2016", "departure-a-2017-06"):
        assert f'id="{gid}"' in svg


def test_chart_draws_a_limited_number_of_documents_conflicts_first() -> None:
    """Twenty documents with counts: the figure draws the limit, the ones in a conflict among
    them; the data keeps every document."""
    facts = [Fact(f"d{i:02}", "en", "X", "member_count", value=str(30 + i), when="2015")
             for i in range(20)]
    row = FactRow("X|member_count||2015|", "X", "member_count", "", "2015", "",
                  facts=(facts[18], facts[19]), status="conflict", conflict=True)
    chart = render_chart(facts, [row], [f.doc_id for f in facts], {}, max_documents=5)
    assert (chart.drawn, chart.omitted) == (5, 15)
    assert len(chart.points) == 20
    svg = chart.svg
    assert 'id="count-d18-48-2015"' in svg and 'id="count-d19-49-2015"' in svg
    assert sum(f'id="count-d{i:02}-' in svg for i in range(20)) == 5


def test_many_documents_accept_a_value_for_all_that_give_it(tmp_path: Path) -> None:
    """With more documents than the page shows as columns, a side stands for one value and the
    documents that give it: accepting it accepts the value, not just the first document."""
    from pipeline.core.records import Document
    from pipeline.output import tables
    from pipeline.reconcile import reconcile

    docs, facts = [], []
    for i in range(14):
        text = f"It had {34 if i % 2 else 32} members when it was announced in 2015."
        docs.append(Document(f"d{i:02d}", f"in/d{i:02d}.txt", text, f"{i:064d}", lang="en"))
        facts.append(Fact(f"d{i:02d}", "en", "X", "member_count", value=str(34 if i % 2 else 32),
                          when="2015", evidence=text, start=0, end=len(text)))
    ids = [d.doc_id for d in docs]
    out = tmp_path / "out"
    tables.write_all(out, {"documents": tables.documents_frame(docs),
                           "entities": tables.entities_frame([]),
                           "entity_table": tables.entity_table_frame([], ids),
                           "facts": tables.facts_frame(facts),
                           "fact_table": tables.fact_table_frame(reconcile(facts, ids), ids)},
                     {"subject": "X", "pipeline_version": "test", "problems": [], "models": {}},
                     "", parquet=False)
    config = Config(out_dir=out, reviews_path=tmp_path / "reviews.csv", token="t")
    refresh_outputs(out, config.reviews_path)
    c = TestClient(create_app(config), base_url=BASE)
    page = c.get("/").text
    assert 'value="accept:34"' in page and 'value="accept:32"' in page
    post(c, "/reviewer", {"csrf": "t", "name": "Ana"})
    cid = conflict_of(out)
    assert post(c, "/decide", {"csrf": "t", "conflict_id": cid, "action": "accept:34"}
                ).status_code == 303
    assert rows_of(config.reviews_path)[0]["decision"] == "accepted:34"
    assert pd.read_csv(out / "fact_table.csv", dtype=str).set_index("conflict_id").loc[
        cid, "resolved"] == "true"


def test_review_command_serves_on_loopback_only(tmp_path: Path) -> None:
    """`python -m pipeline review` starts the app on 127.0.0.1, creates the reviews file and
    re-renders the outputs with it; another address of this machine does not answer."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    out = make_outputs(tmp_path / "out")
    reviews = tmp_path / "decided" / "reviews.csv"
    reviews.parent.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "review", "--out", str(out),
                             "--reviews", str(reviews), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    page = r.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        assert 'id="reviewer-form"' in page
        assert rows_of(reviews) == [] and reviews.read_text("utf-8").startswith("conflict_id,")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.connect(("192.0.2.1", 9))  # sends nothing: it picks the outgoing address
                own = s.getsockname()[0]
            except OSError:  # no route at all: no other address to try
                own = "127.0.0.1"
        if own != "127.0.0.1":
            with pytest.raises(OSError), socket.create_connection((own, port), timeout=2):
                pass
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stderr.close()


@pytest.mark.slow
def test_extract_applies_rejections_and_report_renders_the_same(seeds_run, tmp_path) -> None:
    """A rejection in the input folder's reviews.csv is applied by extract itself; `report` on
    those outputs gives the same fact table and page."""
    import json

    from pipeline.output.decisions import rebuild
    from pipeline.runtime.run import run

    _, first = seeds_run
    row = next(r for r in rebuild(first, None).rows if len(r.facts) == 1)
    wrong = row.facts[0]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for f in sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt")):
        (inputs / f.name).write_bytes(f.read_bytes())
    change(inputs / "reviews.csv", fact_id=wrong.fact_id, decision="rejected",
           note="not what the text says", reviewer="ana", day="2026-11-30")
    out = tmp_path / "out"
    run([inputs], out, quiet=True)
    table = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    assert row.conflict_id not in set(table.conflict_id)
    assert wrong.fact_id in set(pd.read_csv(out / "facts.csv", dtype=str).fact_id)
    info = json.loads((out / "run.json").read_text("utf-8"))
    assert info["reviews"]["rejected"] == [{"fact_id": wrong.fact_id,
                                            "reason": "not what the text says",
                                            "reviewer": "ana", "date": "2026-11-30",
                                            "found": True}]
    assert "not what the text says" in (out / "conflicts.md").read_text("utf-8")
    page = (out / "report.html").read_text("utf-8")
    assert refresh_outputs(out) == 0
    pd.testing.assert_frame_equal(
        pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False), table)
    assert (out / "report.html").read_text("utf-8") == page


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
def test_review_refuses_a_reachable_address_without_allow_remote(tmp_path: Path, capsys,
                                                                 host: str) -> None:
    out = make_outputs(tmp_path / "out")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["review", "--out", str(out), "--reviews", str(tmp_path / "reviews.csv"),
                 "--host", host]) == 2
    err = capsys.readouterr().err
    assert f"--host {host}" in err and "--allow-remote" in err
    # refused before anything was written
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_the_runs_settings_limit_the_documents_the_reports_chart_draws(tmp_path: Path) -> None:
    """Settings.chart_max_documents reaches the chart of report.html: with a limit of one, only
    one seed's counts are drawn (both are drawn by default)."""
    from dataclasses import replace

    from pipeline.core.config import DEFAULT
    from pipeline.runtime.run import run

    drawn = {}
    for limit in (1, DEFAULT.chart_max_documents):
        out = tmp_path / str(limit)
        run([SEEDS], out, replace(DEFAULT, chart_max_documents=limit), quiet=True)
        ids = re.findall(r'id="count-(\d{3}_[0-9a-f]+)-', (out / "report.html").read_text())
        drawn[limit] = set(ids)
    assert len(drawn[1]) == 1 and len(drawn[DEFAULT.chart_max_documents]) == 2

"""The review app and the membership chart in headless Chromium, on the seeds' pipeline output.

Clicks through the app as a reviewer would (name, accept, a second tab, reject and restore a
fact), checks what reached reviews.csv and fact_table.csv, that a forged form from another site
is refused, and that neither the app nor the mailed report.html loads anything from the network.
Writes the README's screenshots to docs/.
"""

from __future__ import annotations

import csv
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import count_conflict

from pipeline.output.chart import time_span
from pipeline.output.decisions import rebuild
from pipeline.output.refresh import refresh_outputs

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[1] / "docs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def served(seeds_run: Any, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """The app on a copy of the seeds' outputs, with its own reviews file, on a free port."""
    import uvicorn

    from pipeline.output.app import Config, create_app

    _, first = seeds_run
    out = tmp_path / "out"
    shutil.copytree(first, out)
    reviews = tmp_path / "reviews.csv"
    assert refresh_outputs(out, reviews) == 0
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Config(out_dir=out, reviews_path=reviews)),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the review app did not start"
    try:
        yield f"http://127.0.0.1:{port}", out, reviews
    finally:
        server.should_exit = True
        thread.join(10)


def table(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)


def decisions(reviews: Path) -> dict[str, dict[str, str]]:
    with reviews.open(encoding="utf-8", newline="") as fh:
        return {r["conflict_id"] or r["fact_id"]: r for r in csv.DictReader(fh)}


def doc_with(row: pd.Series, out: Path, value: str) -> str:
    docs = pd.read_csv(out / "documents.csv", dtype=str).doc_id
    (doc,) = [d for d in docs if str(row[d]).split(" ")[0] == value]
    return str(doc)


def check_chart(page: Any, out: Path) -> None:
    """The seeds' 32, 34 and 41 are drawn, left to right in the order of their times."""
    facts = pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False)
    counts = facts[(facts.predicate == "member_count") & facts.value.isin(["32", "34", "41"])]
    assert set(counts.value) == {"32", "34", "41"}
    xs = []
    for f in counts.itertuples():
        when = getattr(f, "as_of", "") or f.when
        mark = page.locator(f'#membership svg [id="count-{f.doc_id}-{f.value}-{when}"]')
        assert mark.count() == 1, f"{f.value} at {when} is not drawn"
        box = mark.bounding_box()
        assert box and box["width"] > 0
        xs.append((time_span(when)[0], box["x"] + box["width"] / 2, f.value))
    drawn = [v for _, _, v in sorted(xs, key=lambda t: t[1])]
    assert drawn == [v for _, _, v in sorted(xs)], xs
    for value in ("32", "34", "41"):
        assert page.locator(f'#chart-data tr[data-value="{value}"]').count() >= 1


def test_review_in_the_browser(browser: Any, served: tuple[str, Path, Path]) -> None:
    base, out, reviews = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    remote: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: remote.append(r.url) if not r.url.startswith(base) else None)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/")

    # The name is asked once; the cookie keeps it for every tab of this browser.
    page.fill("#reviewer-input", "Test Reviewer")
    with page.expect_navigation():
        page.click("#reviewer-form button")
    assert page.inner_text("#reviewer-name") == "Test Reviewer"

    first = count_conflict(out, {"32", "34"})
    # 34 counted from a running list against 41 stated: a possible conflict, reviewable too
    second = count_conflict(out, {"34", "41"}, status="possible_conflict")
    stated = doc_with(first, out, "34")
    tab2 = context.new_page()  # opened now: it will not have seen the first decision
    tab2.goto(base + "/")

    form = page.locator(f'form.decide[data-conflict="{first.conflict_id}"]')
    form.locator('input[name="note"]').fill("stated at the announcement; 32 is a list count")
    with page.expect_navigation():
        form.locator(f'button[value="accept:{stated}"]').click()
    page.reload()
    block = page.locator(f'[id="{first.conflict_id}"]')
    assert "accepted:" + stated in block.locator(".review.done").inner_text()
    assert block.locator(f'section.side.accepted[data-doc="{stated}"]').count() == 1
    saved = decisions(reviews)[first.conflict_id]
    assert (saved["decision"], saved["reviewer"]) == (f"accepted:{stated}", "Test Reviewer")
    row = table(out).set_index("conflict_id").loc[first.conflict_id]
    assert (row["resolved"], row["review_decision"]) == ("true", f"accepted:{stated}")
    # One conflict decided (green), one open (red): the chart for the README.
    DOCS.mkdir(exist_ok=True)
    page.locator("#membership").screenshot(path=str(DOCS / "membership-chart.png"))

    # The second tab still shows the first conflict open; its dismiss must not undo the accept.
    assert tab2.locator(f'[id="{first.conflict_id}"] .review.done').count() == 0
    with tab2.expect_navigation():
        tab2.locator(f'form.decide[data-conflict="{second.conflict_id}"] '
                     'button[value="dismissed"]').click()
    saved = decisions(reviews)
    assert saved[first.conflict_id]["decision"] == f"accepted:{stated}"
    assert saved[second.conflict_id]["decision"] == "dismissed"
    resolved = table(out).set_index("conflict_id").resolved
    assert resolved[first.conflict_id] == resolved[second.conflict_id] == "true"
    page.reload()
    assert page.locator(f'[id="{second.conflict_id}"] .review.done').count() == 1

    # A page on another site posts a form to the app: no token, a foreign Origin, refused.
    evil = context.new_page()
    evil.route("http://attacker.test/**", lambda r: r.fulfill(content_type="text/html", body=(
        f'<form method="post" action="{base}/decide"><input name="conflict_id" '
        f'value="{first.conflict_id}"><input name="action" value="dismissed"></form>'
        "<script>document.forms[0].submit()</script>")))
    with evil.expect_response(lambda r: r.url == base + "/decide") as forged:
        evil.goto("http://attacker.test/")
    assert forged.value.status == 403
    remote = [u for u in remote if not u.startswith("http://attacker.test/")]
    # The same form sent from this origin but without the page's token is refused as well.
    r = page.request.post(base + "/decide", form={"conflict_id": first.conflict_id,
                                                  "action": "dismissed"},
                          headers={"Origin": base})
    assert r.status == 403 and "token" in r.text()
    assert decisions(reviews)[first.conflict_id]["decision"] == f"accepted:{stated}"

    # Reject a single extracted fact: it leaves fact_table.csv, and comes back when restored.
    # (A fact that is the only one of its row: the row goes with it.)
    row = next(r for r in rebuild(out, None).rows if len(r.facts) == 1
               and r.predicate != "member_count")
    wrong = row.facts[0]
    before = table(out)
    assert row.conflict_id in set(before.conflict_id)
    fact_row = page.locator(f'[id="fact-{wrong.fact_id}"]')
    fact_row.locator('input[name="reason"]').fill("the text only mentions it in passing")
    with page.expect_navigation():
        fact_row.locator('button[value="reject"]').click()
    assert decisions(reviews)[wrong.fact_id]["decision"] == "rejected"
    assert row.conflict_id not in set(table(out).conflict_id)
    assert page.locator(f'[id="fact-{wrong.fact_id}"]').get_attribute("data-rejected") == "true"
    assert "the text only mentions it in passing" in (out / "conflicts.md").read_text("utf-8")
    with page.expect_navigation():
        page.locator(f'[id="fact-{wrong.fact_id}"] button[value="restore"]').click()
    assert wrong.fact_id not in decisions(reviews)
    pd.testing.assert_frame_equal(table(out), before)

    # The chart in the app; then the screenshots the README shows.
    check_chart(page, out)
    page.locator(f'[id="{first.conflict_id}"]').screenshot(path=str(DOCS / "review-app.png"))
    assert remote == [] and errors == []
    context.close()


def test_chart_in_the_static_report(browser: Any, seeds_run: Any) -> None:
    _, out = seeds_run
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith("file:") else None)
    page.goto((out / "report.html").as_uri())
    page.wait_for_load_state("load")
    check_chart(page, out)
    # Documents by title, with the doc_id in a tooltip.
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    for d in docs.itertuples():
        assert d.title and page.locator(f'#documents tr[id="doc-{d.doc_id}"]').inner_text() \
            .startswith(d.title)
        assert page.locator(f'.side-head .doc-name[title="{d.doc_id}"]').count() >= 1
    # "Qatar (1) Saudi Arabia": the footnote mark is set apart and the name is one highlight.
    saudi = page.locator("mark.ent", has_text="Saudi Arabia").first
    assert saudi.evaluate("el => el.getClientRects().length") == 1
    assert page.locator("sup.fn", has_text="(1)").count() >= 1
    assert remote == []
    page.close()

"""report.html in a real browser (headless Chromium via Playwright) on the seeds' pipeline output.

The ``browser`` fixture (conftest.py) is skipped with the reason when Chromium or Playwright is
missing, except under CI (env CI set), where a missing browser is a failure.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import count_conflict, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_report_in_chromium(browser: Any, seeds_run: Any) -> None:
    _, out = seeds_run
    table = pd.read_csv(out / "fact_table.csv", dtype=str, keep_default_na=False)
    facts = pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False)
    row = count_conflict(out, {"32", "34"})
    cid = row.conflict_id

    page, errors, remote = watched_page(browser, viewport={"width": 1280, "height": 900})
    page.goto((out / "report.html").as_uri())
    page.wait_for_load_state("load")
    assert errors == [] and remote == []

    # The conflict: both values and both evidence sentences, visible side by side.
    block = page.locator(f'[id="{cid}"]')
    assert block.is_visible()
    text = squash(block.inner_text())
    assert re.search(r"\b32\b", text) and re.search(r"\b34\b", text)
    given = pd.read_csv(out / "fact_values.csv", dtype=str, keep_default_na=False)
    ids = {i for cell in given[given.conflict_id == cid].fact_ids for i in cell.split("; ")}
    evidence = facts[facts.fact_id.isin(ids)].evidence.map(squash)
    assert len(evidence) >= 2
    shown = [squash(t) for t in block.locator("blockquote.evidence").all_inner_texts()]
    for sent in evidence:
        # The label chips (e.g. "COUNTRY") are inside the marks, so compare words in order.
        words = [w for w in re.split(r"\W+", sent) if w]
        assert any(all(w in s for w in words) for s in shown), sent
    assert block.locator("p.roman").count() >= 1  # the Hindi side is romanised
    assert block.locator('blockquote.evidence[lang="hi"] mark.ent').count() >= 1

    rows = page.locator("#fact-table tbody tr")
    n_rows, n_conflicts = len(table), int((table.conflict == "true").sum())
    assert rows.count() == n_rows
    non_conflict = table[table.conflict != "true"].conflict_id.iloc[0]

    def visible() -> int:
        return page.locator("#fact-table tbody tr:not([hidden])").count()

    assert visible() == n_rows
    page.check("#f-conflicts")
    assert visible() == n_conflicts
    assert page.locator(f'[id="row-{non_conflict}"]').is_hidden()
    assert page.locator(f'[id="row-{cid}"]').is_visible()
    assert page.inner_text("#f-shown") == f"{n_conflicts} of {n_rows} rows"

    page.click("#f-reset")
    page.select_option("#f-grade", "possible_conflict")
    assert visible() == int((table.status == "possible_conflict").sum())
    assert block.is_hidden()  # a conflict, not a possible one

    page.click("#f-reset")
    page.select_option("#f-predicate", "member")
    assert visible() == int((table.predicate == "member").sum())
    assert block.is_hidden()  # the member_count conflict does not match predicate=member
    page.select_option("#f-predicate", "member_count")
    assert block.is_visible()
    assert visible() == int((table.predicate == "member_count").sum())

    page.click("#f-reset")
    english = table.columns[list(table.columns).index("role") + 1]
    page.select_option("#f-document", english)
    assert visible() == int((table[english] != "").sum()) < n_rows
    page.click("#f-reset")
    assert visible() == n_rows
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert errors == [] and remote == []
    page.close()

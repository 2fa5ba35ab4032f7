"""Shared fixtures: the repo's seeds, ../shared (skipped cleanly where absent), one pipeline run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
EN_SEED = SEEDS / "000_97d93dba3af3a896.txt"
HI_SEED = SEEDS / "004_662676e4d8910313.txt"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "SCHEMA.md").exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory):
    """One full pipeline run on the seeds, shared by the tests that read its outputs."""
    from pipeline.runtime.run import run

    out = tmp_path_factory.mktemp("seeds_out")
    res = run([SEEDS], out, quiet=True)
    return res, out


def count_conflict(out: Path, values: set[str], status: str = "conflict", exact: bool = True):
    """The member_count row of fact_table.csv graded ``status`` whose documents give exactly
    ``values`` (at least these with ``exact=False``), read from the typed fact_values.csv, not
    from display text."""
    from pipeline.output.tables import read_table

    table = read_table(out / "fact_table.csv")
    given = read_table(out / "fact_values.csv")
    by_row = given.groupby("conflict_id")["value"].agg(lambda v: set(v))
    hits = table[(table.predicate == "member_count") & (table.status == status)]
    hits = hits[hits.conflict_id.map(lambda cid: by_row.get(cid, set()) == values if exact
                                     else values <= by_row.get(cid, set()))]
    assert len(hits) == 1, f"no single member_count {status} {sorted(values)}:\n{table.to_string()}"
    row = hits.iloc[0]
    assert bool(row.conflict) == (status == "conflict")
    return row


# One Chromium per session for every browser test (test_browser.py, test_app_browser.py):
# Playwright's sync API cannot run twice at once in one process.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Session-scoped so that it is set up (or skipped) before the slow seeds run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright==1.65.2)")
    if not CHROMIUM.exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def watched_page(browser: Any, **kw: Any) -> tuple[Any, list[str], list[str]]:
    """A new page that records console errors, page errors and every request that leaves the
    file system (a static report must make none): (page, errors, remote)."""
    page = browser.new_page(**kw)
    errors: list[str] = []
    remote: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith("file:") else None)
    return page, errors, remote

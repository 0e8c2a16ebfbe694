"""End to end in a real headless Chromium: ``storyline serve`` in a subprocess, Playwright
driving Debian's chromium. Screenshots go to test-artifacts/ (or $STORYLINE_TEST_ARTIFACTS).

Locally these skip unless STORYLINE_TEST_CHROMIUM names the browser; on CI (``CI`` set)
a missing browser is an error, as a missing PostgreSQL is (tests/conftest.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.storyline.web.conftest import Served

CHROMIUM_ENV = "STORYLINE_TEST_CHROMIUM"
HOST = "127.0.0.2"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The browser from the environment; on CI its absence is an error, not a skip."""
    path = os.environ.get(CHROMIUM_ENV)
    if not path and os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM_ENV} must be set on CI: the browser tests may not skip")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    """``storyline serve`` on the crawled SQLite archive, as a user would start it."""
    if not chromium_path():
        pytest.skip(f"set {CHROMIUM_ENV} to run the browser tests")
    served: Served = request.getfixturevalue("sqlite_served")
    port = free_port()
    program = Path(sys.executable).parent / "storyline"
    process = subprocess.Popen(
        [str(program), "--db", served.url, "serve", "--host", HOST, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    origin = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(origin + "/static/style.css", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"storyline serve did not start: {process.communicate()}")
            time.sleep(0.1)
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path(), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page whose console errors and uncaught exceptions are collected."""

    def __init__(self, browser: Any, origin: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900}, base_url=origin)
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def assert_clean(self) -> None:
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        problems = [m for m in self.console if m.startswith(("error", "pageerror"))]
        assert not problems, problems


def shot(watched: Watched, folder: Path, name: str) -> None:
    watched.page.screenshot(path=str(folder / name), full_page=True)


def test_an_editor_filters_opens_an_article_and_reads_the_diff(
    browser: Any, server: str, sqlite_served: Served, artifacts_dir: Path
) -> None:
    b = sqlite_served.built
    w = Watched(browser, server)
    page = w.page
    page.goto("/")
    assert page.title().startswith("Changes")
    shot(w, artifacts_dir, "01-changes.png")
    # filter by kind: the select applies itself (progressive enhancement) …
    with page.expect_navigation():
        page.select_option("select[name=kind]", "correction")
    assert "kind=correction" in page.url
    kinds = page.locator("table.changes tbody tr .kind").all_inner_texts()
    rows = page.locator("table.changes tbody tr").count()
    assert rows == 2 and kinds.count("correction") == 2
    shot(w, artifacts_dir, "02-changes-correction.png")
    w.assert_clean()
    # … open the hostile article: its headline is text, its script never runs
    page.click(f"table.changes a[href='/articles/{b.hostile_id}']")
    page.wait_for_url(f"**/articles/{b.hostile_id}")
    assert "<img src=x onerror" in page.locator("h1").inner_text()
    shot(w, artifacts_dir, "03-article-hostile.png")
    w.assert_clean()
    # open its diff, then side by side
    page.click("ol.timeline a[href*='/diff']")
    page.wait_for_url("**/diff?**")
    assert page.locator("section.notes p.note").count() == 1
    shot(w, artifacts_dir, "04-diff-hostile-inline.png")
    page.click("#view-side")
    page.wait_for_url("**view=side**")
    assert page.locator("table.side").is_visible()
    shot(w, artifacts_dir, "05-diff-hostile-side.png")
    w.assert_clean()


def test_the_diff_page_as_the_readme_shows_it(
    browser: Any, server: str, sqlite_served: Served, artifacts_dir: Path
) -> None:
    w = Watched(browser, server)
    page = w.page
    page.goto(f"/articles/{sqlite_served.built.edited_id}/diff?from=1&to=2")
    assert page.locator("table.fields ins").first.inner_text().startswith("Harbour bridge")
    assert page.locator("div.inline ins", has_text="twelve").count() == 1
    shot(w, artifacts_dir, "06-diff-inline.png")
    # the keyboard: "s" switches to side by side (progressive enhancement)
    page.keyboard.press("s")
    page.wait_for_url("**view=side**")
    shot(w, artifacts_dir, "07-diff-side.png")
    # Tab from the top reaches the skip link first, and it is shown when focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    w.assert_clean()


def test_hostile_urls_and_a_huge_body_in_the_browser(
    browser: Any, server: str, sqlite_served: Served, artifacts_dir: Path
) -> None:
    w = Watched(browser, server)
    page = w.page
    page.goto(f"/articles/{sqlite_served.built.js_id}")
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    shot(w, artifacts_dir, "08-article-javascript-url.png")
    page.goto(f"/articles/{sqlite_served.built.big_id}/diff")
    assert page.locator("div.inline ins", has_text="CHANGED").count() == 1
    shot(w, artifacts_dir, "09-diff-5mb.png")
    page.goto("/sources")
    shot(w, artifacts_dir, "10-sources.png")
    w.assert_clean()

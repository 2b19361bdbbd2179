"""Memos and the index in a real headless Chromium with the network blocked."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "build" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("AUDITLIB_SKIP_BROWSER"):
            pytest.skip("AUDITLIB_SKIP_BROWSER is set and there is no chromium")
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install --no-install-recommends chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_page(browser, path: Path):
    """Open a page with every non-file request blocked; collect requests, console errors, dialogs."""
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    seen = {"external": [], "errors": [], "dialogs": []}

    def route(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            seen["external"].append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: seen["errors"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


@pytest.mark.parametrize("name", ["xinzhou-2019", "jiangmen-2021", "bishan-2020", "wuchang-2018", "qionghai-2021"])
def test_memo_is_offline_clean_and_shows_verdict_and_findings(browser, batch_run, name):
    _, out = batch_run
    page, seen = open_page(browser, out / f"{name}.html")
    assert seen["external"] == [] and seen["errors"] == [] and seen["dialogs"] == []
    assert page.locator(".memo-verdict").is_visible()
    assert page.locator("table.findings").is_visible()
    assert page.locator("table.findings tbody tr").count() >= 1
    assert page.locator("svg.chart").count() >= 1
    assert page.title().startswith(name)
    pdf = page.pdf(format="A4", print_background=True)  # printable on A4
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    screenshot(page, name)
    page.context.close()


def test_index_is_offline_sortable_and_links_every_memo(browser, batch_run):
    _, out = batch_run
    page, seen = open_page(browser, out / "index.html")
    assert seen["external"] == [] and seen["errors"] == [] and seen["dialogs"] == []
    rows = page.locator("#portfolio tbody tr")
    assert rows.count() == 9  # five bundled units, the injected one, broken, bomb and escape (its params refused)
    assert "broken" in page.locator("#portfolio").inner_text()
    page.click("#portfolio th:nth-child(2)")  # sort by year, ascending
    texts = [page.locator(f"#portfolio tbody tr:nth-child({i}) td:nth-child(2)").inner_text() for i in range(1, 10)]
    years = [int(text) for text in texts if text.strip().isdigit()]
    assert len(years) == 8 and years == sorted(years)
    for href in page.locator("#portfolio a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert (out / href).is_file()
    screenshot(page, "index")
    page.context.close()


def test_report_text_with_script_and_onerror_does_not_run(browser, batch_run):
    _, out = batch_run
    page, seen = open_page(browser, out / "injected-2021.html")
    assert seen["dialogs"] == [] and seen["errors"] == [] and seen["external"] == []
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    assert "<script>alert(1)</script>" in page.locator("body").inner_text()
    screenshot(page, "injected-2021")
    page.context.close()

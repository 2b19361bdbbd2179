"""notebooks/unit_audit.ipynb run by hand in a real JupyterLab, in Chromium: the memo looks as in the exported
page (cells left-aligned, not Lab's right-aligned table style) and the notebook writes the HTML and Word memos."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, FLAGS, SCREENSHOTS

pytestmark = pytest.mark.slow
LAB_START_SECONDS = 90
RUN_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free localhost port, token disabled, serving a copy of the project."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for the browser tests")
    work = tmp_path_factory.mktemp("lab")
    project = work / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    shutil.copytree(ROOT / "data", project / "data")
    port = free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_DATA_DIR": str(work / "data"),
           "JUPYTER_RUNTIME_DIR": str(work / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
           "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"), "IPYTHONDIR": str(work / "ipython"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root",
         f"--ServerApp.root_dir={project}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + LAB_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                server.wait()
                pytest.fail(f"JupyterLab did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
    try:
        yield url, project
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()


def text_aligns(page, scope: str) -> list[str]:
    """The computed text-align of every non-numeric cell of the memo's key-figures table under scope."""
    return page.evaluate("""scope => Array.from(document.querySelectorAll(scope + ' table.figures td:not(.num)'))
        .map(td => getComputedStyle(td).textAlign)""", scope)


def test_unit_notebook_run_in_jupyterlab_shows_the_memo_as_exported_and_writes_html_and_word(lab):
    from docx import Document
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    url, project = lab
    outputs = project / "outputs"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/lab/tree/notebooks/unit_audit.ipynb")
        page.wait_for_selector(".jp-Notebook", timeout=LAB_START_SECONDS * 1000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'], "
                               ".jp-Toolbar-kernelStatus", timeout=LAB_START_SECONDS * 1000)
        select = page.locator(".jp-Dialog button:has-text('Select')")
        try:  # a notebook without a kernelspec asks which kernel to start
            select.wait_for(timeout=5_000)
            select.click()
        except PlaywrightTimeout:
            pass
        page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=30_000)
        page.click("li.lm-Menu-item[data-command='runmenu:run-all']", timeout=30_000)
        deadline = time.monotonic() + RUN_SECONDS
        while not ((outputs / "xinzhou-2019.html").is_file() and (outputs / "xinzhou-2019.docx").is_file()):
            if time.monotonic() > deadline:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "jupyterlab-failed.png"))
                pytest.fail("the notebook did not write the memo files (see build/screenshots/jupyterlab-failed.png)")
            time.sleep(1)
        page.wait_for_selector(".jp-OutputArea-output .auditlib table.figures td", timeout=30_000)
        in_lab = text_aligns(page, ".jp-OutputArea-output")
        assert in_lab and set(in_lab) == {"left"}, in_lab
        layout = page.evaluate("""() => getComputedStyle(document.querySelector(
            '.jp-OutputArea-output .auditlib table.figures')).tableLayout""")
        assert layout == "auto"
        assert page.locator(".jp-OutputArea-output .memo-findings .finding").count() >= 1
        news = page.locator(".jp-toast-button:has-text('No')")  # Lab's own question about its news
        if news.count():
            news.first.click()
        page.locator(".jp-OutputArea-output .memo-figures").scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab.png"))

        exported = browser.new_page()
        exported.goto((outputs / "xinzhou-2019.html").as_uri())
        assert text_aligns(exported, ".auditlib") == in_lab  # the same alignment as the exported page
        browser.close()
    word = Document(str(outputs / "xinzhou-2019.docx"))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "审核意见书" in text and "审核意见：建议退回修改" in text

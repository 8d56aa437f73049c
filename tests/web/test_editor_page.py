"""The SPARQL editor page: served by the app, YASGUI from node_modules, examples as tabs;
and, in headless Chromium, a query run from the editor that stays on this machine."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from web_pages_support import fixture_app, serve_fixture_app

from synthkg import examples, paths

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = paths.BUILD_DIR / "screenshots"


@pytest.fixture
def web() -> FlaskClient:
    return fixture_app().test_client()


def test_browser_get_of_sparql_is_the_editor(web: FlaskClient) -> None:
    response = web.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert '<script src="/assets/yasgui/yasgui.min.js">' in text
    assert 'href="/assets/yasgui/yasgui.min.css"' in text
    assert 'data-endpoint="/sparql"' in text
    # No page asset comes from another host.
    assert not re.search(r'(src|href)="(https?:)?//', text)
    blob = re.search(r'id="synthkg-examples">(.*?)</script>', text, re.S)
    assert blob is not None
    tabs = json.loads(blob.group(1))
    assert [t["label"] for t in tabs] == [e.label for e in examples.load_examples()]


def test_yasgui_assets_are_served_locally(web: FlaskClient) -> None:
    script = web.get("/assets/yasgui/yasgui.min.js")
    assert script.status_code == 200 and len(script.data) > 100_000
    assert web.get("/assets/yasgui/yasgui.min.css").status_code == 200
    assert web.get("/assets/yasgui/../package.json").status_code == 404
    assert web.get("/static/editor.js").status_code == 200


def test_missing_node_modules_gives_a_setup_page(
    web: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "NODE_MODULES_DIR", tmp_path / "node_modules")
    response = web.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "./dev setup" in text and "yasgui.min.js" in text


@pytest.fixture
def live_server() -> Iterator[str]:
    """The app on a free loopback port, in a process of its own."""
    spawn = multiprocessing.get_context("spawn")
    ports = spawn.Queue()
    process = spawn.Process(target=serve_fixture_app, args=(ports,))
    process.start()
    try:
        yield f"http://127.0.0.1:{ports.get(timeout=60)}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.join(timeout=10)


@pytest.mark.browser
def test_editor_runs_a_query_in_chromium(live_server: str) -> None:
    assert CHROMIUM.is_file(), "Chromium is missing: run ./dev test (it installs it)"
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(live_server + "/sparql?example=paper-by-arxiv-id")
            page.wait_for_selector(".yasgui .tabsList")
            tab_names = page.locator(".tabsList .tab").all_inner_texts()
            assert any("Find a paper by its arXiv ID" in name for name in tab_names)
            assert len(tab_names) >= len(examples.load_examples())
            page.locator(".yasqe_queryButton:visible").first.click()
            page.wait_for_selector(".yasr table.dataTable tbody tr >> visible=true", timeout=20_000)
            table = page.locator(".yasr table.dataTable tbody:visible").first.inner_text()
            assert "Self-instruct" in table
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "editor.png"), full_page=True)
            context.close()
        finally:
            browser.close()
    assert requests, "the page made no requests"
    outside = [
        url for url in requests if not url.startswith(("http://127.0.0.1:", "data:", "blob:"))
    ]
    assert outside == []
    assert errors == []

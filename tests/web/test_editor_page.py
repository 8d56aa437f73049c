"""The SPARQL editor page: served by the app, YASGUI from node_modules, examples as tabs;
and, in headless Chromium, a query run from the editor that stays on this machine."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from web_pages_support import chromium_page, fixture_app, screenshot, served

from synthkg import examples, paths

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


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
    with served(fixture_app) as url:
        yield url


@pytest.mark.browser
def test_editor_runs_a_query_in_chromium(live_server: str) -> None:
    with chromium_page() as (page, watched):
        page.goto(live_server + "/sparql?example=paper-by-arxiv-id")
        page.wait_for_selector(".yasgui .tabsList")
        tab_names = page.locator(".tabsList .tab").all_inner_texts()
        assert any("Find a paper by its arXiv ID" in name for name in tab_names)
        assert len(tab_names) >= len(examples.load_examples())
        page.locator(".yasqe_queryButton:visible").first.click()
        page.wait_for_selector(".yasr table.dataTable tbody tr >> visible=true", timeout=20_000)
        table = page.locator(".yasr table.dataTable tbody:visible").first.inner_text()
        assert "Self-instruct" in table
        screenshot(page, "editor")
    assert watched.requests, "the page made no requests"
    assert watched.outside() == []
    assert watched.errors == []

"""The browsing pages in headless Chromium over the project's own graph: every page type
loads without console errors and without a request leaving this machine, the taxonomy tree
opens, the charts draw, and the instant search finds a paper. Screenshots go to
build/screenshots/ for a look by eye."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web_pages_support import chromium_page, project_app, screenshot, served

from synthkg.store import memory_store

KNOWN_PAPER = """
PREFIX skg: <https://w3id.org/synthkg/ontology/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?paper ?title ?category WHERE {
  ?paper a skg:Paper ; skg:arxivId ?id ; dcterms:title ?title ; skg:usesMethod ?category .
} ORDER BY ?id LIMIT 1
"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with served(project_app) as url:
        yield url


@pytest.fixture(scope="module")
def known() -> dict[str, str]:
    """A paper of the project's graph: its path, title and one of its categories."""
    row = next(iter(memory_store().query(KNOWN_PAPER, use_default_graph_as_union=True)))
    base = "https://w3id.org/synthkg"
    return {
        "path": row["paper"].value.removeprefix(base),
        "title": row["title"].value,
        "category": row["category"].value.rsplit("/", 1)[-1],
    }


@pytest.mark.browser
def test_browsing_pages_in_chromium(site: str, known: dict[str, str]) -> None:
    with chromium_page() as (page, watched):
        # Home, then the tree: a closed branch opens on a click and shows its children.
        page.goto(site + "/")
        assert page.locator("#count-papers").inner_text().isdigit()
        screenshot(page, "home")
        page.goto(site + "/taxonomy")
        # (Element handles: a locator for "a closed branch" would move on once it opens.)
        closed = page.locator("ul.tree details:not([open])").first.element_handle()
        child = closed.query_selector(":scope > ul > li")
        assert child is not None and not child.is_visible()
        summary = closed.query_selector(":scope > summary")
        summary.click(position={"x": 4, "y": 8})
        assert child.is_visible()
        # The keyboard works too: Enter on a focused summary toggles it.
        other = page.locator("ul.tree details:not([open])").first.element_handle()
        other.query_selector(":scope > summary").focus()
        page.keyboard.press("Enter")
        assert other.get_attribute("open") is not None
        screenshot(page, "taxonomy")

        # A category page draws its papers-per-year chart.
        page.goto(site + "/taxonomy/" + known["category"])
        assert page.locator("table.papers tbody tr").count() > 0
        bars = page.locator("svg.chart rect.bar")
        assert bars.count() > 0
        box = bars.first.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
        screenshot(page, "category")

        # The paper page.
        page.goto(site + known["path"])
        assert page.locator("h1").inner_text() == known["title"]
        assert "@" in page.locator("#bibtex").inner_text()
        screenshot(page, "paper")

        # Analysis: both charts draw and the heatmap has filled cells and gaps.
        page.goto(site + "/analysis")
        charts = page.locator("svg.chart")
        assert charts.count() == 2
        for index in range(2):
            box = charts.nth(index).locator("rect.bar").first.bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0
        assert page.locator("table.heatmap td.gap").count() > 0
        filled = page.locator("table.heatmap td a").first
        cell_box = filled.bounding_box()
        assert cell_box is not None and cell_box["width"] > 0
        screenshot(page, "analysis")
        filled.click()
        page.wait_for_selector("table.papers tbody tr")
        screenshot(page, "heatmap-cell")

        # Instant search: typing shows the paper without submitting the form.
        page.goto(site + "/search")
        words = " ".join(known["title"].split()[:3])
        page.locator("#q").press_sequentially(words, delay=20)
        result = page.locator("table.papers.instant a", has_text=known["title"])
        result.wait_for(timeout=10_000)
        assert result.get_attribute("href") == known["path"]
        screenshot(page, "search")
    assert watched.requests, "the pages made no requests"
    assert watched.outside() == []
    assert watched.errors == []

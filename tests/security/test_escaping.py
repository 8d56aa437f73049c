"""Markup in the data (a paper title with a script, an attribute breakout) is shown as text
on every HTML page of the app, never run as markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.routing import Rule

from synthkg import paths
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
from synthkg.web import create_app

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "security"
PAYLOADS = ("<script>alert(", "<img src=x onerror")
# Arguments for the routes with a variable part: the hostile records and a category.
ARGUMENTS = {
    "rest": ["arxiv-2401.99999", "hostile", "SynthesisFromScratch"],
    "name": ["arxiv-2401.99999", "SynthesisFromScratch"],
    "filename": ["synthkg.ttl", "synthkg.csv"],
}
SKIPPED = {"static", "pages.yasgui_asset"}  # files from disk, not pages built from the data


@pytest.fixture(scope="module")
def hostile_app() -> Iterator[Flask]:
    data = [*sorted((RESOURCES / "home" / "data").glob("*.ttl")), RESOURCES / "hostile.ttl"]
    store = memory_store({ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: data})
    app = create_app({"TESTING": True, "SYNTHKG_QUERY_TIMEOUT": 10.0}, store)
    yield app
    app.extensions["synthkg"].pool.close()


def urls_of(rule: Rule) -> list[str]:
    if not rule.arguments:
        return [rule.rule]
    (argument,) = rule.arguments
    prefix = rule.rule.split("<")[0]
    suffix = rule.rule.split(">")[-1]
    return [prefix + value + suffix for value in ARGUMENTS.get(argument, [])]


def page_urls(app: Flask) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and rule.endpoint not in SKIPPED:
            urls.extend(urls_of(rule))
    return sorted(set(urls))


def test_every_page_escapes_markup_from_the_data(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    html_pages = []
    shown = False
    for url in page_urls(hostile_app):
        answer = client.get(url, headers={"Accept": "text/html"})
        if not answer.mimetype.startswith(("text/html", "application/xhtml")):
            continue
        html_pages.append(url)
        text = answer.get_data(as_text=True)
        for payload in PAYLOADS:
            assert payload not in text, f"{url} carries {payload!r} unescaped"
        shown = shown or "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    print("HTML pages checked:", html_pages)
    assert {"/", "/sparql", "/paper/arxiv-2401.99999", "/venue/hostile"} <= set(html_pages)
    assert shown, "the hostile title appears (escaped) on at least one page"


def test_query_results_in_html_browsers_are_not_html(hostile_app: Flask) -> None:
    # A browser asking the endpoint for a SELECT gets data with a non-HTML type.
    query = "SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }"
    answer = hostile_app.test_client().get(
        "/sparql", query_string={"query": query}, headers={"Accept": "text/html, */*;q=0.1"}
    )
    assert answer.status_code == 200
    assert not answer.mimetype.startswith("text/html")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"

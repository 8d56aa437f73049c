"""A query on our endpoint joins our papers with another graph through SERVICE, when that
graph's endpoint is on the allowlist, and is refused (403) otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthkg import paths
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
from synthkg.web import create_app

DATA = Path(__file__).resolve().parents[1] / "resources" / "linking" / "data"
JOIN = """
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?paper ?item WHERE {
  { ?paper wdt:P818 ?key } UNION { ?paper wdt:P356 ?key }
  SERVICE <%s> { { ?item wdt:P818 ?key } UNION { ?item wdt:P356 ?key } }
}
ORDER BY ?paper
"""


@pytest.fixture
def make_app():
    store = memory_store({ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: [DATA / "papers.ttl"]})
    made = []

    def build(**config):
        app = create_app({"TESTING": True, "SYNTHKG_QUERY_TIMEOUT": 10.0, **config}, store)
        made.append(app)
        return app

    yield build
    for app in made:
        app.extensions["synthkg"].pool.close()


def test_service_join_on_derived_wikidata_identifiers(make_app, wikidata):
    app = make_app(SYNTHKG_SERVICE_ALLOWLIST=(wikidata.endpoint,))
    response = app.test_client().post(
        "/sparql",
        data={"query": JOIN % wikidata.endpoint},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = json.loads(response.data)["results"]["bindings"]
    pairs = {(r["paper"]["value"].rsplit("/", 1)[-1], r["item"]["value"]) for r in rows}
    assert pairs == {
        ("arxiv-2401.00001", "http://www.wikidata.org/entity/Q901"),
        ("doi-10.1109_tvcg.2025.12345", "http://www.wikidata.org/entity/Q902"),
    }


def test_an_endpoint_not_on_the_allowlist_is_refused(make_app, wikidata):
    app = make_app(SYNTHKG_SERVICE_ALLOWLIST=("http://127.0.0.1:1/other",))
    response = app.test_client().post("/sparql", data={"query": JOIN % wikidata.endpoint})
    assert response.status_code == 403
    assert wikidata.endpoint in response.get_data(as_text=True)

"""The endpoint as deployed: ``synthkg serve`` (gunicorn, 2 workers, 1 s query limit) over the
project graph, queried with requests and SPARQLWrapper."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import requests
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
from web_protocol_support import LiveServer, start_server

from synthkg import paths
from synthkg.cli import main
from synthkg.namespaces import GRAPH, SD, SKG
from synthkg.store import STAMP_FILE, data_version

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def count(server: LiveServer, **params: str) -> int:
    response = requests.get(server.endpoint, params={"query": COUNT, **params}, timeout=10)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_live_graph_is_the_project_graph(live_server: LiveServer) -> None:
    total = count(live_server)
    ontology = count(live_server, **{"default-graph-uri": str(GRAPH["ontology"])})
    data = count(live_server, **{"default-graph-uri": str(GRAPH["data"])})
    derived = count(live_server, **{"default-graph-uri": str(GRAPH["derived"])})
    assert ontology > 100
    assert derived > 0  # the Wikidata-property identifiers (synthkg.derived)
    assert total == ontology + data + derived


def test_live_post_forms_and_formats(live_server: LiveServer) -> None:
    query = "SELECT ?c WHERE { ?c <http://www.w3.org/2004/02/skos/core#broader> ?p } LIMIT 5"
    form = requests.post(live_server.endpoint, data={"query": query}, timeout=10)
    body = requests.post(
        live_server.endpoint,
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        timeout=10,
    )
    assert len(form.json()["results"]["bindings"]) == 5
    assert body.headers["Content-Type"].startswith("text/csv")
    assert len(body.text.splitlines()) == 6


def test_live_sparqlwrapper_select_and_construct(live_server: LiveServer) -> None:
    wrapper = SPARQLWrapper(live_server.endpoint)
    wrapper.setQuery(
        "PREFIX skg: <https://w3id.org/synthkg/ontology/> "
        "SELECT ?label WHERE { skg:SynthesisMethod <http://www.w3.org/2004/02/skos/core#prefLabel> "
        "?label }"
    )
    wrapper.setReturnFormat(JSON)
    rows = wrapper.query().convert()["results"]["bindings"]
    expected = set(
        map(str, Graph().parse(paths.ONTOLOGY_TTL).objects(SKG.SynthesisMethod, SKOS.prefLabel))
    )
    assert expected
    assert {row["label"]["value"] for row in rows} == expected

    wrapper.setQuery(
        "CONSTRUCT { ?c a ?t } WHERE { GRAPH <https://w3id.org/synthkg/graph/ontology> "
        "{ ?c a ?t } } LIMIT 10"
    )
    wrapper.setReturnFormat(TURTLE)
    turtle = wrapper.query().convert()
    assert len(Graph().parse(data=turtle, format="turtle")) == 10


def test_live_service_description_and_errors(live_server: LiveServer) -> None:
    described = requests.get(live_server.endpoint, headers={"Accept": "text/turtle"}, timeout=10)
    graph = Graph().parse(data=described.text, format="turtle")
    assert (URIRef(live_server.endpoint), RDF.type, SD.Service) in graph
    bad = requests.get(live_server.endpoint, params={"query": "SELECT * {"}, timeout=10)
    assert bad.status_code == 400
    assert "error at 1:" in bad.text
    update = requests.post(live_server.endpoint, data={"update": "CLEAR ALL"}, timeout=10)
    assert update.status_code == 403
    cached = requests.get(live_server.endpoint, params={"query": COUNT}, timeout=10)
    again = requests.get(
        live_server.endpoint,
        params={"query": COUNT},
        headers={"If-None-Match": cached.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 304


def test_live_timeout_frees_the_worker_while_others_answer(live_server: LiveServer) -> None:
    outcome: dict[str, object] = {}

    def heavy() -> None:
        started = time.monotonic()
        response = requests.get(live_server.endpoint, params={"query": HEAVY}, timeout=30)
        outcome["status"] = response.status_code
        outcome["retry"] = response.headers.get("Retry-After")
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=heavy)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    quick = requests.get(live_server.endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    quick_seconds = time.monotonic() - started
    worker.join()
    assert quick.json()["boolean"] is True
    assert quick_seconds < 0.8
    assert outcome["status"] == 503
    assert outcome["retry"]
    assert outcome["seconds"] < 3.0
    # The stopped query left no busy process behind: the server keeps answering.
    assert count(live_server) > 0


def test_live_restart_reuses_the_store(live_server: LiveServer, tmp_path: Path) -> None:
    store_dir = Path(live_server.log_text().split("store ", 1)[1].split(":", 1)[0])
    assert "built" in live_server.log_text().split("\n", 1)[0]
    stamp = store_dir / STAMP_FILE
    assert stamp.read_text(encoding="ascii").strip() == data_version()
    before = stamp.stat().st_mtime_ns
    second = start_server(store_dir, tmp_path / "second.log", "--workers", "1")
    try:
        assert "up to date, reused" in second.log_text()
        assert count(second) == count(live_server)
    finally:
        second.stop()
    assert stamp.stat().st_mtime_ns == before


def test_cli_query_on_the_store(live_server: LiveServer, project_store_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["query", COUNT, "--format", "json", "--store", str(project_store_dir)]
    )
    assert result.exit_code == 0, result.output
    assert int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"]) == count(
        live_server
    )
    broken = runner.invoke(main, ["query", "SELECT * {", "--store", str(project_store_dir)])
    assert broken.exit_code == 2
    assert "error at 1:" in broken.output
    wrong = runner.invoke(
        main, ["query", COUNT, "--format", "turtle", "--store", str(project_store_dir)]
    )
    assert wrong.exit_code == 2

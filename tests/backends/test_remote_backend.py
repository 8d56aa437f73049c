"""The web app in front of a real ``oxigraph serve``: same answers as the embedded store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from backend_support import FIXTURE_SOURCES, RESOURCES, Oxigraph
from flask import Flask

from loopback import free_port
from synthkg.store import memory_store
from synthkg.web import create_app

CONFIG = {"TESTING": True, "SYNTHKG_QUERY_TIMEOUT": 5.0}
QUERIES = [
    block.strip()
    for block in (RESOURCES / "backends" / "queries.txt")
    .read_text(encoding="utf-8")
    .split("\n----\n")
]
QUERIES[0] = "\n".join(line for line in QUERIES[0].splitlines() if not line.startswith("#"))


@pytest.fixture
def apps(oxigraph: Oxigraph) -> Iterator[tuple[Flask, Flask]]:
    """The same app over the remote endpoint and over the embedded fixture store."""
    remote = create_app({**CONFIG, "SYNTHKG_STORE_URL": oxigraph.query})
    local = create_app(CONFIG, memory_store(FIXTURE_SOURCES))
    yield remote, local
    for app in (remote, local):
        app.extensions["synthkg"].pool.close()


def _rows(body: bytes) -> list[dict]:
    document = json.loads(body)
    if "boolean" in document:
        return [{"boolean": document["boolean"]}]
    return sorted(document["results"]["bindings"], key=lambda row: json.dumps(row, sort_keys=True))


def _triples(body: bytes) -> set[ox.Triple]:
    return set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def test_remote_app_reports_the_same_graph_sizes(apps: tuple[Flask, Flask]) -> None:
    remote, local = apps
    sizes = remote.extensions["synthkg"].graph_sizes()
    assert sizes == local.extensions["synthkg"].graph_sizes()
    assert len(sizes) == 2 and all(count > 0 for count in sizes.values())
    assert remote.extensions["synthkg"].backend.kind == "remote"
    assert local.extensions["synthkg"].backend.kind == "embedded"


@pytest.mark.parametrize("number", range(len(QUERIES)))
def test_protocol_answers_equal_the_embedded_stores(apps: tuple[Flask, Flask], number: int) -> None:
    query = QUERIES[number]
    graph = "CONSTRUCT" in query
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    answers = [
        app.test_client().post("/sparql", data={"query": query}, headers={"Accept": accept})
        for app in apps
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content_type == answers[1].content_type
    if graph:
        assert _triples(answers[0].data) == _triples(answers[1].data)
        assert _triples(answers[0].data)
    else:
        assert _rows(answers[0].data) == _rows(answers[1].data)


def test_other_formats_and_truncation_match(oxigraph: Oxigraph) -> None:
    remote = create_app(
        {**CONFIG, "SYNTHKG_STORE_URL": oxigraph.query, "SYNTHKG_MAX_RESULT_ROWS": 2}
    )
    local = create_app({**CONFIG, "SYNTHKG_MAX_RESULT_ROWS": 2}, memory_store(FIXTURE_SOURCES))
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    for accept in ("text/csv", "text/tab-separated-values", "application/sparql-results+xml"):
        answers = [
            app.test_client().get("/sparql", query_string={"query": query},
                                  headers={"Accept": accept})
            for app in (remote, local)
        ]  # fmt: skip
        assert answers[0].status_code == 200
        assert answers[0].data == answers[1].data
        assert answers[0].headers["SynthKG-Results-Truncated"] == "true"
    for app in (remote, local):
        app.extensions["synthkg"].pool.close()


def test_a_syntax_error_is_a_400(apps: tuple[Flask, Flask]) -> None:
    remote, _ = apps
    answer = remote.test_client().get("/sparql", query_string={"query": "SELECT WHERE {"})
    assert answer.status_code == 400


def test_the_deadline_becomes_a_503(oxigraph: Oxigraph) -> None:
    app = create_app({**CONFIG, "SYNTHKG_STORE_URL": oxigraph.query, "SYNTHKG_QUERY_TIMEOUT": 0.3})
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?q ?o }"
    answer = app.test_client().get("/sparql", query_string={"query": slow})
    assert answer.status_code == 503
    assert "Retry-After" in answer.headers
    app.extensions["synthkg"].pool.close()


def test_pages_read_through_the_backend(apps: tuple[Flask, Flask]) -> None:
    remote, _local = apps
    for path in ("/paper/fixture-alpha", "/paper/no-such-paper"):
        answers = [
            app.test_client().get(path, headers={"Accept": "application/n-triples"}) for app in apps
        ]
        assert answers[0].status_code == answers[1].status_code
        if answers[0].status_code == 200:
            assert _triples(answers[0].data) == _triples(answers[1].data)
            assert _triples(answers[0].data)
    assert remote.test_client().get("/paper/fixture-alpha").status_code == 200


def test_an_unreachable_store_is_a_clear_error(runner, tmp_path: Path) -> None:
    from synthkg.cli import main

    result = runner.invoke(main, ["serve", "--store-url", f"http://127.0.0.1:{free_port()}/q"])
    assert result.exit_code == 2
    assert "not a usable SPARQL endpoint" in result.output


def test_a_remote_store_gets_more_query_slots_than_local_processes(
    apps: tuple[Flask, Flask],
) -> None:
    from synthkg.web import guards

    remote, local = apps
    remote.config["SYNTHKG_REMOTE_QUERIES"] = 6
    assert guards.admission(remote).slots == 6  # threads waiting on the store, not processes
    assert guards.admission(local).slots == local.config["SYNTHKG_QUERY_PROCESSES"]

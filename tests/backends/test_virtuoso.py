"""SynthKG in front of a real Virtuoso: the same answers as the embedded store.

Virtuoso writes its answers in its own dialect (``typed-literal``, ``nodeID://`` blank
nodes, ASK as a one-row table, its system graphs in the default graph); the app rewrites
them, so the comparison is of canonical forms: multisets of bindings, sets of triples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from backend_support import RESOURCES
from bench.virtuoso import ADMIN, Virtuoso, start_virtuoso
from flask import Flask

from synthkg.backends.loader import load_remote
from synthkg.backends.remote import RemoteBackend
from synthkg.cli import main
from synthkg.examples import load_examples
from synthkg.store import graph_sizes, memory_store
from synthkg.web import create_app

# Virtuoso comes from Debian's virtuoso-opensource, which `./dev test` installs.
pytestmark = pytest.mark.slow
CONFIG = {"TESTING": True, "SYNTHKG_QUERY_TIMEOUT": 20.0}
PROTOCOL_QUERIES = [
    "\n".join(line for line in block.splitlines() if not line.startswith("#")).strip()
    for block in (RESOURCES / "backends" / "queries.txt")
    .read_text(encoding="utf-8")
    .split("\n----\n")
]
QUERIES = {f"protocol-{n}": q for n, q in enumerate(PROTOCOL_QUERIES)} | {
    f"example-{ex.name}": ex.query for ex in load_examples()
}
# What Virtuoso 7.2 cannot evaluate, and the error it gives: a property path closure with
# neither end bound.
VIRTUOSO_CANNOT = {"protocol-1": "transitive start not given"}


def _expected() -> dict[str, int]:
    return {g.value: n for g, n in graph_sizes(memory_store()).items()}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso holding the project's graph, loaded by anonymous SPARQL Update."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.allow_anonymous_updates()
        load_remote(server.query)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def apps(virtuoso: Virtuoso) -> Iterator[tuple[Flask, Flask]]:
    remote = create_app({**CONFIG, "SYNTHKG_STORE_URL": virtuoso.query})
    local = create_app(CONFIG, memory_store())
    yield remote, local
    for app in (remote, local):
        app.extensions["synthkg"].pool.close()


_CONCAT = re.compile(r"GROUP_CONCAT\b(.*?)\bAS\s+\?(\w+)", re.IGNORECASE | re.DOTALL)
_SEPARATOR = re.compile(r'SEPARATOR\s*=\s*"([^"]*)"', re.IGNORECASE)


def _concatenations(query: str) -> dict[str, str]:
    """Variables bound by GROUP_CONCAT, with their separators (the order of the parts is
    left to the engine by SPARQL, so it is compared as a multiset)."""
    found = {}
    for inner, name in _CONCAT.findall(query):
        separator = _SEPARATOR.search(inner)
        found[name] = separator.group(1) if separator else " "
    return found


def _canonical(body: bytes, graph: bool, query: str = "") -> object:
    if graph:
        return {str(t) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
    document = json.loads(body)
    if "boolean" in document:
        return document["boolean"]
    rows = document["results"]["bindings"]
    for name, separator in _concatenations(query).items():
        for row in rows:
            if name in row:
                # SPARQL 1.1 makes it a simple literal; Oxigraph keeps a shared language tag.
                row[name].pop("xml:lang", None)
                row[name]["value"] = sorted(row[name]["value"].split(separator))
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def test_graph_sizes_are_the_embedded_stores(apps: tuple[Flask, Flask]) -> None:
    remote, local = apps
    sizes = remote.extensions["synthkg"].graph_sizes()
    assert sizes == local.extensions["synthkg"].graph_sizes() == _expected()


@pytest.mark.parametrize("name", sorted(set(QUERIES) - set(VIRTUOSO_CANNOT)))
def test_answers_equal_the_embedded_stores(apps: tuple[Flask, Flask], name: str) -> None:
    query = QUERIES[name]
    graph = query.lstrip().upper().startswith(("CONSTRUCT", "PREFIX")) and "CONSTRUCT" in query
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    answers = [
        app.test_client().post("/sparql", data={"query": query}, headers={"Accept": accept})
        for app in apps
    ]
    assert [a.status_code for a in answers] == [200, 200], answers[0].data[:500]
    assert answers[0].content_type == answers[1].content_type
    expected = _canonical(answers[1].data, graph, query)
    assert _canonical(answers[0].data, graph, query) == expected


@pytest.mark.parametrize("name", sorted(VIRTUOSO_CANNOT))
def test_what_virtuoso_cannot_do_is_a_clear_502(apps: tuple[Flask, Flask], name: str) -> None:
    answers = [app.test_client().post("/sparql", data={"query": QUERIES[name]}) for app in apps]
    assert answers[1].status_code == 200
    assert answers[0].status_code == 502
    assert VIRTUOSO_CANNOT[name] in answers[0].get_data(as_text=True)
    assert answers[0].content_type.startswith("text/plain")


def test_ask_and_csv_come_back_standard(apps: tuple[Flask, Flask]) -> None:
    remote, local = apps
    for query in ("ASK { ?s a <https://w3id.org/synthkg/ontology/Paper> }",
                  "ASK { ?s a <https://w3id.org/synthkg/ontology/NoSuchClass> }"):  # fmt: skip
        for accept in ("application/sparql-results+json", "text/csv"):
            answers = [
                app.test_client().get("/sparql", query_string={"query": query},
                                      headers={"Accept": accept})
                for app in (remote, local)
            ]  # fmt: skip
            assert answers[0].status_code == 200
            assert answers[0].data == answers[1].data


def test_system_graphs_stay_hidden(apps: tuple[Flask, Flask]) -> None:
    # Virtuoso's default graph holds its own schema graphs; the app's dataset does not.
    remote, local = apps
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = [
        json.loads(app.test_client().get("/sparql", query_string={"query": query}).data)
        for app in (remote, local)
    ]
    # Virtuoso's own members of the document ("link", "distinct", "ordered") may pass.
    assert [c["head"]["vars"] for c in counts] == [["n"], ["n"]]
    assert counts[0]["results"]["bindings"] == counts[1]["results"]["bindings"]
    assert int(counts[0]["results"]["bindings"][0]["n"]["value"]) == sum(_expected().values())


def test_queries_go_without_the_dataset_where_virtuosos_graphs_cannot_show(
    apps: tuple[Flask, Flask],
) -> None:
    # Virtuoso answered the matrix ten times slower with the dataset named; its patterns
    # match nothing in Virtuoso's own graphs, so it is sent on the default graph. A count of
    # every triple would see those graphs: the dataset stays named.
    store = apps[0].extensions["synthkg"].backend.store
    assert store.dataset(QUERIES["example-method-application-matrix"]) == {}
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert store.dataset(everything)["default-graph-uri"] == [g.value for g in store.graphs]


def test_the_explicit_mode_always_names_the_dataset(virtuoso: Virtuoso) -> None:
    app = create_app(
        {**CONFIG, "SYNTHKG_STORE_URL": virtuoso.query, "SYNTHKG_STORE_DATASET": "explicit"}
    )
    store = app.extensions["synthkg"].backend.store
    assert store.dataset(QUERIES["example-method-application-matrix"]) != {}
    query = QUERIES["example-method-application-matrix"]
    answers = [
        a.test_client().post("/sparql", data={"query": query}) for a in (app, create_app(CONFIG))
    ]
    assert _canonical(answers[0].data, False) == _canonical(answers[1].data, False)


def test_an_uncapped_json_answer_is_virtuosos_own_with_standard_types(
    apps: tuple[Flask, Flask], virtuoso: Virtuoso
) -> None:
    from urllib.parse import urlencode

    from synthkg.backends.http import HttpEndpoint

    remote, local = apps
    query = QUERIES["example-category-paper-counts"]
    relayed = remote.test_client().post("/sparql", data={"query": query})
    direct = HttpEndpoint(virtuoso.query).request(
        "POST",
        None,
        urlencode({"query": query, **remote.extensions["synthkg"].backend.store.dataset(query)},
                  doseq=True).encode(),
        {"Content-Type": "application/x-www-form-urlencoded",
         "Accept": "application/sparql-results+json"},
    )  # fmt: skip
    assert b'"typed-literal"' in direct.body
    # Sent on as Virtuoso wrote it (its spacing, its "distinct" and "ordered"), with only
    # the term type renamed.
    assert relayed.data == direct.body.replace(b'"type": "typed-literal"', b'"type": "literal"')
    expected = local.test_client().post("/sparql", data={"query": query})
    assert _canonical(relayed.data, False, query) == _canonical(expected.data, False, query)


def test_the_store_dataset_mode_sees_virtuosos_default_graph(virtuoso: Virtuoso) -> None:
    app = create_app(
        {**CONFIG, "SYNTHKG_STORE_URL": virtuoso.query, "SYNTHKG_STORE_DATASET": "store"}
    )
    client = app.test_client()
    everything = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) "
                                                     "WHERE { ?s ?p ?o }"})  # fmt: skip
    count = int(json.loads(everything.data)["results"]["bindings"][0]["n"]["value"])
    assert count > sum(_expected().values())  # Virtuoso's own graphs are seen too
    query = QUERIES["example-method-application-matrix"]
    answers = [
        a.test_client().post("/sparql", data={"query": query}) for a in (app, create_app(CONFIG))
    ]
    assert _canonical(answers[0].data, False) == _canonical(answers[1].data, False)
    for each in answers:
        assert each.status_code == 200


def test_pages_read_through_virtuoso(apps: tuple[Flask, Flask]) -> None:
    paper = next(iter(json.loads(apps[1].test_client().get(
        "/sparql", query_string={"query": "SELECT ?p WHERE { ?p a "
                                 "<https://w3id.org/synthkg/ontology/Paper> } LIMIT 1"},
    ).data)["results"]["bindings"]))["p"]["value"]  # fmt: skip
    path = "/" + paper.split("https://w3id.org/synthkg/", 1)[1]
    answers = [
        app.test_client().get(path, headers={"Accept": "application/n-triples"}) for app in apps
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert _canonical(answers[0].data, True) == _canonical(answers[1].data, True)


@pytest.fixture(scope="module")
def empty_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A fresh Virtuoso whose anonymous user may not update."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-empty"))
    yield server
    server.stop()


def test_load_with_digest_credentials(runner, empty_virtuoso: Virtuoso) -> None:
    user, password = ADMIN
    args = ["load", "--store-url", empty_virtuoso.auth_update, "--user", user]
    result = runner.invoke(main, [*args, "--password", password])
    assert result.exit_code == 0, result.output
    assert "loaded by update" in result.output
    assert RemoteBackend(empty_virtuoso.query).graph_sizes() == _expected()


def test_load_by_graph_store_with_credentials(runner, empty_virtuoso: Virtuoso) -> None:
    user, password = ADMIN
    args = ["load", "--store-url", empty_virtuoso.auth_update, "--user", user]
    args += ["--graph-store-url", empty_virtuoso.auth_graph_store]
    result = runner.invoke(main, args, env={"SYNTHKG_STORE_PASSWORD": password})
    assert result.exit_code == 0, result.output
    assert "loaded by graph-store" in result.output
    assert RemoteBackend(empty_virtuoso.query).graph_sizes() == _expected()


def test_wrong_or_missing_credentials_are_refused(runner, empty_virtuoso: Virtuoso) -> None:
    for extra in ([], ["--user", "dba", "--password", "not-the-password"]):
        result = runner.invoke(main, ["load", "--store-url", empty_virtuoso.auth_update, *extra])
        assert result.exit_code == 2, result.output
        assert "answered 401" in result.output

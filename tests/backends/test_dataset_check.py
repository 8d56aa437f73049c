"""When a query goes to a remote store without naming the dataset, and that its answer is
then the same (real ``oxigraph serve`` processes, one with a graph that is not SynthKG's)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from backend_support import FIXTURE_SOURCES, Oxigraph, running_oxigraph

from loopback import free_port
from synthkg.backends.dataset_check import DatasetCheck, query_shapes
from synthkg.backends.remote import RemoteBackend, template
from synthkg.store import memory_store
from synthkg.web import create_app

PREFIXES = """
PREFIX skg: <https://w3id.org/synthkg/ontology/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TITLE = "<http://purl.org/dc/terms/title>"
BROADER = "<http://www.w3.org/2004/02/skos/core#broader>"
USES = "<https://w3id.org/synthkg/ontology/usesMethod>"
PAPER = "<https://w3id.org/synthkg/ontology/Paper>"
OTHER_GRAPH = "http://example.org/another-dataset"
# Triples of another dataset in the same store: a title and a type SynthKG's graphs do
# not have, with predicates they do.
OTHER_TRIPLES = f"""
<http://example.org/thing> {TYPE} <http://example.org/Thing> ;
    {TITLE} "not one of SynthKG's titles" .
"""


def _shapes(body: str) -> tuple | None:
    return query_shapes(PREFIXES + body)


# -- reading queries ---------------------------------------------------------------------


def test_each_pattern_gives_its_predicate_then_its_object() -> None:
    shapes = _shapes("SELECT ?t WHERE { ?p a skg:Paper ; dcterms:title ?t }")
    assert shapes is not None
    assert set(shapes) == {((TYPE, None), (TYPE, PAPER)), ((TITLE, None),)}


def test_patterns_inside_filters_optionals_and_subqueries_count() -> None:
    shapes = _shapes(
        "SELECT * WHERE { ?p dcterms:title ?t OPTIONAL { ?p skg:usesMethod ?m } "
        "FILTER EXISTS { ?m skos:broader ?c } "
        "{ SELECT ?p WHERE { ?p a skg:Paper } } }"
    )
    assert shapes is not None
    assert {choices[0][0] for choices in shapes} == {TITLE, USES, BROADER, TYPE}


def test_a_variable_or_negated_predicate_asks_about_every_triple() -> None:
    assert _shapes("SELECT * WHERE { ?s ?p ?o }") == (((None, None),),)
    assert ((None, None),) in (_shapes("SELECT * WHERE { ?s !rdf:type ?o }") or ())


def test_every_predicate_of_a_path_is_asked_about() -> None:
    shapes = _shapes("SELECT * WHERE { ?p skg:usesMethod/skos:broader+ ?c }")
    assert shapes is not None
    assert {choices[0][0] for choices in shapes} == {USES, BROADER}


@pytest.mark.parametrize(
    "body",
    [
        "DESCRIBE <https://w3id.org/synthkg/paper/x>",
        "SELECT * FROM <https://w3id.org/synthkg/graph/data> WHERE { ?s skos:broader ?o }",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s skos:broader ?o } }",
        "SELECT ?g WHERE { GRAPH ?g { } }",
        "SELECT ?g WHERE { GRAPH ?g { OPTIONAL { ?s skos:broader ?o } } }",
        "SELECT * WHERE { GRAPH <http://example.org/g> { } }",
        # A zero-length path with both ends open matches every node of the graph.
        "SELECT * WHERE { ?x skos:broader* ?y }",
        "SELECT * WHERE { ?x skos:broader* ?y . ?y skos:related? ?z }",
        # Inside GRAPH ?g, a constant end matches itself in every graph.
        "SELECT ?g WHERE { GRAPH ?g { skg:Application skos:broader* ?y } }",
        "SELECT * WHERE { this is not SPARQL }",
        # Too long to be read here (rdflib's parser is slow on long queries).
        "SELECT * WHERE { ?s skos:broader ?o }" + " " * 9000,
    ],
)
def test_what_can_see_beyond_its_patterns_keeps_the_dataset(body: str) -> None:
    assert _shapes(body) is None


@pytest.mark.parametrize(
    "body",
    [
        # One end joined with a plain pattern: only the terms that pattern matched.
        "SELECT * WHERE { ?p skg:usesMethod ?m . ?m skos:broader* ?c }",
        "SELECT * WHERE { ?p skg:usesMethod|skg:hasApplication ?m . ?m skos:broader* ?c }",
        "SELECT * WHERE { skg:Application skos:broader* ?y }",
        "SELECT ?g WHERE { GRAPH ?g { ?p skg:usesMethod ?m FILTER(isIRI(?m)) } }",
        "ASK {}",
    ],
)
def test_what_sees_only_its_patterns_may_go_without(body: str) -> None:
    assert _shapes(body) is not None


# -- against real stores -----------------------------------------------------------------


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Oxigraph]:
    """SynthKG's graphs beside another dataset, the default graph the union of all."""
    with running_oxigraph(tmp_path) as server:
        _update(server, f"INSERT DATA {{ GRAPH <{OTHER_GRAPH}> {{ {OTHER_TRIPLES} }} }}")
        yield server


@pytest.fixture
def separate_default(tmp_path: Path) -> Iterator[Oxigraph]:
    """SynthKG's graphs in a store whose default graph is a graph of its own (empty)."""
    with running_oxigraph(tmp_path, union_default_graph=False) as server:
        yield server


def _update(server: Oxigraph, text: str) -> None:
    request = Request(server.update, text.encode(), {"Content-Type": "application/sparql-update"})
    with urlopen(request, timeout=10) as reply:
        assert reply.status in (200, 204)


@pytest.mark.parametrize(
    ("body", "goes_without"),
    [
        ("SELECT (COUNT(*) AS ?n) WHERE { ?p skg:usesMethod ?m }", True),
        # rdf:type is in the other dataset, but not with skg:Paper as its object.
        ("SELECT ?p WHERE { ?p a skg:Paper ; skg:usesMethod ?m }", True),
        ("SELECT ?p ?t WHERE { ?p a skg:Paper ; dcterms:title ?t }", False),
        ("SELECT ?s ?type WHERE { ?s a ?type }", False),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", False),
    ],
)
def test_the_dataset_is_named_where_another_dataset_would_show(
    shared: Oxigraph, body: str, goes_without: bool
) -> None:
    remote = create_app({"TESTING": True, "SYNTHKG_STORE_URL": shared.query})
    local = create_app({"TESTING": True}, memory_store(FIXTURE_SOURCES))
    query = PREFIXES + body
    assert (remote.extensions["synthkg"].backend.store.dataset(query) == {}) is goes_without
    answers = [
        json.loads(app.test_client().post("/sparql", data={"query": query}).data)
        for app in (remote, local)
    ]
    assert _sorted_rows(answers[0]) == _sorted_rows(answers[1])
    assert "not one of SynthKG" not in json.dumps(answers[0])
    for app in (remote, local):
        app.extensions["synthkg"].pool.close()


def _sorted_rows(document: dict) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in document["results"]["bindings"])


def test_a_default_graph_of_its_own_keeps_the_dataset_named(separate_default: Oxigraph) -> None:
    backend = RemoteBackend(separate_default.query)
    query = PREFIXES + "SELECT ?p WHERE { ?p skg:usesMethod ?m }"
    assert backend.store.dataset(query) != {}
    assert len(list(backend.store.query(query))) == 2
    # Once the default graph holds the same triples, the two agree.
    _update(
        separate_default,
        "INSERT { ?p <https://w3id.org/synthkg/ontology/usesMethod> ?m } "
        "WHERE { GRAPH ?g { ?p <https://w3id.org/synthkg/ontology/usesMethod> ?m } }",
    )
    assert RemoteBackend(separate_default.query).store.dataset(query) == {}
    backend.close()


def test_answers_are_remembered_then_asked_again(shared: Oxigraph) -> None:
    backend = RemoteBackend(shared.query, dataset="explicit")
    now = [0.0]
    check = DatasetCheck(
        backend.store.ask_for_check,
        tuple(g.value for g in backend.store.graphs),
        template,
        seconds=60.0,
        clock=lambda: now[0],
    )
    shape = (BROADER, None)
    assert check.agrees(shape)
    _update(shared, f"INSERT DATA {{ GRAPH <{OTHER_GRAPH}> {{ <x:a> {BROADER} <x:b> }} }}")
    now[0] = 59.0
    assert check.agrees(shape)  # remembered
    now[0] = 61.0
    assert not check.agrees(shape)  # asked again: the other dataset now has one
    assert backend.store.dataset(PREFIXES + "ASK { ?a skos:broader ?b }") != {}  # explicit
    backend.close()


def test_an_unreachable_store_keeps_the_dataset_named() -> None:
    backend = RemoteBackend(f"http://127.0.0.1:{free_port()}/query", page_timeout=1.0)
    assert backend.store.dataset(PREFIXES + "ASK { ?p skg:usesMethod ?m }") != {}


def test_the_modes_are_refused_by_name() -> None:
    with pytest.raises(Exception, match="one of checked, explicit, store"):
        RemoteBackend("http://127.0.0.1:1/query", dataset="sometimes")


def test_the_check_queries_are_sent_as_written(shared: Oxigraph) -> None:
    # The templates are real queries the store accepts, with and without a dataset.
    graphs = " ".join(f"<{g.value}>" for g in RemoteBackend(shared.query).store.graphs)
    text = template("dataset-outside").substitute(
        pattern=f"?s {TITLE} ?o", graphs=graphs, graph_list=graphs.replace("> <", ">, <")
    )
    request = Request(
        shared.query,
        urlencode({"query": text}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    with urlopen(request, timeout=10) as reply:
        assert json.loads(reply.read())["boolean"] is True  # the other dataset's title

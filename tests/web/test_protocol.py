"""The SPARQL 1.1 Protocol at /sparql, through Flask's test client on the fixture graph."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from synthkg.namespaces import GRAPH, SD

TITLES = "SELECT ?paper ?title WHERE { ?paper <http://purl.org/dc/terms/title> ?title }"
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
DATA_TRIPLES = 11
ONTOLOGY_TRIPLES = 17


def bindings(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return json.loads(response.data)["results"]["bindings"]


def test_get_select_json(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": TITLES})
    assert response.mimetype == "application/sparql-results+json"
    rows = bindings(response)
    titles = {row["title"]["value"]: row["title"] for row in rows}
    assert len(rows) == 3
    assert titles["Gamma: données synthétiques"]["xml:lang"] == "fr"
    assert 'Beta, with a comma and "quotes"' in titles


def test_post_form_and_post_query_body_agree(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": TITLES})
    body = client.post(
        "/sparql", data=TITLES, content_type="application/sparql-query; charset=UTF-8"
    )
    assert sorted(map(str, bindings(form))) == sorted(map(str, bindings(body)))
    assert len(bindings(form)) == 3


def test_ask(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "ASK { ?p a <https://w3id.org/synthkg/ontology/Paper> }"}
    )
    assert json.loads(response.data)["boolean"] is True
    xml = client.get("/sparql", query_string={"query": "ASK { ?x ?x ?x }", "format": "xml"})
    assert ET.fromstring(xml.data).find(f"{RESULTS_NS}boolean").text == "false"


def test_select_xml_csv_tsv(client: FlaskClient) -> None:
    xml = client.get("/sparql", query_string={"query": TITLES}, headers={"Accept": "text/xml"})
    assert xml.mimetype == "application/sparql-results+xml"
    assert len(ET.fromstring(xml.data).findall(f"{RESULTS_NS}results/{RESULTS_NS}result")) == 3

    text = client.get("/sparql", query_string={"query": TITLES, "format": "csv"})
    assert text.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(text.data.decode())))
    assert rows[0] == ["paper", "title"]
    assert ["https://w3id.org/synthkg/paper/fixture-beta", 'Beta, with a comma and "quotes"'] in (
        rows
    )

    tsv = client.get("/sparql", query_string={"query": TITLES, "format": "tsv"})
    lines = tsv.data.decode().splitlines()
    assert tsv.mimetype == "text/tab-separated-values"
    assert lines[0] == "?paper\t?title"
    assert "<https://w3id.org/synthkg/paper/fixture-alpha>\t" in "\n".join(lines)
    assert len(lines) == 4


@pytest.mark.parametrize(
    ("fmt", "mimetype", "parser"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("ntriples", "application/n-triples", "nt"),
        ("rdfxml", "application/rdf+xml", "xml"),
        ("jsonld", "application/ld+json", "json-ld"),
    ],
)
def test_construct_graph_formats(client: FlaskClient, fmt: str, mimetype: str, parser: str) -> None:
    response = client.get("/sparql", query_string={"query": EVERYTHING, "format": fmt})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    graph = Graph().parse(data=response.data, format=parser)
    assert len(graph) == DATA_TRIPLES + ONTOLOGY_TRIPLES
    assert (
        URIRef("https://w3id.org/synthkg/paper/fixture-gamma"),
        URIRef("http://purl.org/dc/terms/title"),
        Literal("Gamma: données synthétiques", lang="fr"),
    ) in graph


@pytest.mark.parametrize(("fmt", "parser"), [("nquads", "nquads"), ("trig", "trig")])
def test_construct_dataset_formats(client: FlaskClient, fmt: str, parser: str) -> None:
    response = client.get("/sparql", query_string={"query": EVERYTHING, "format": fmt})
    dataset = Dataset().parse(data=response.data, format=parser)
    assert len(dataset) == DATA_TRIPLES + ONTOLOGY_TRIPLES


def test_describe(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "DESCRIBE <https://w3id.org/synthkg/paper/fixture-alpha>"},
        headers={"Accept": "text/turtle"},
    )
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(graph) == 4


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("application/*;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0, */*;q=0.2", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ],
)
def test_negotiated_results(client: FlaskClient, accept: str, mimetype: str) -> None:
    response = client.get("/sparql", query_string={"query": TITLES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_negotiated_graph_prefers_higher_q(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data=EVERYTHING,
        content_type="application/sparql-query",
        headers={"Accept": "text/turtle;q=0.5, application/ld+json;q=0.9"},
    )
    assert response.mimetype == "application/ld+json"
    assert len(Graph().parse(data=response.data, format="json-ld")) == 28


def test_not_acceptable(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": TITLES}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406
    assert response.mimetype == "text/plain"
    assert "application/sparql-results+json" in response.data.decode()
    wrong_kind = client.get("/sparql", query_string={"query": TITLES, "format": "turtle"})
    assert wrong_kind.status_code == 406
    unknown = client.get("/sparql", query_string={"query": TITLES, "format": "yaml"})
    assert unknown.status_code == 400
    assert "yaml" in unknown.data.decode()


def test_format_parameter_media_type(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": TITLES, "format": "text/csv"})
    assert response.mimetype == "text/csv"


def test_syntax_error_names_line_and_column(client: FlaskClient) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o FILTER(\n}"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    message = response.data.decode()
    assert "at 4:" in message  # line 4, where the parenthesis is left open
    assert "Traceback" not in message


def test_two_queries_refused(client: FlaskClient) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400
    assert "exactly one" in response.data.decode()


def test_updates_refused(client: FlaskClient) -> None:
    update = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
    for response in (
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
        client.get("/sparql", query_string={"query": update}),
    ):
        assert response.status_code == 403
        assert "read-only" in response.data.decode()
    assert (
        json.loads(
            client.get("/sparql", query_string={"query": "ASK { <http://e/a> ?p ?o }"}).data
        )["boolean"]
        is False
    )


def test_unsupported_content_type(client: FlaskClient) -> None:
    response = client.post("/sparql", data=TITLES, content_type="text/plain")
    assert response.status_code == 415
    latin = client.post(
        "/sparql", data=TITLES, content_type="application/sparql-query; charset=latin1"
    )
    assert latin.status_code == 415


def test_query_too_large(make_app: Callable[..., Flask]) -> None:
    client = make_app(SYNTHKG_MAX_QUERY_BYTES=200).test_client()
    small = client.get("/sparql", query_string={"query": TITLES})
    assert small.status_code == 200
    big = TITLES + " #" + "x" * 300
    for response in (
        client.get("/sparql", query_string={"query": big}),
        client.post("/sparql", data=big, content_type="application/sparql-query"),
    ):
        assert response.status_code == 413
        assert "200" in response.data.decode()


def test_nesting_depth_refused(client: FlaskClient) -> None:
    query = "SELECT * WHERE { " + "{" * 300 + " ?s ?p ?o " + "}" * 300 + " }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "nested too deeply" in response.data.decode()


def test_service_refused_unless_allowed(make_app: Callable[..., Flask]) -> None:
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused = make_app().test_client().get("/sparql", query_string={"query": query})
    assert refused.status_code == 403
    assert "<http://127.0.0.1:9/sparql>" in refused.data.decode()
    allowed = make_app(SYNTHKG_SERVICE_ALLOWLIST=("http://127.0.0.1:9/sparql",)).test_client()
    answered = allowed.get("/sparql", query_string={"query": query})
    assert answered.status_code == 200  # SILENT: the unreachable service yields no rows
    assert bindings(answered) == [{}] or bindings(answered) == []


def test_service_by_prefixed_name_and_variable_refused(client: FlaskClient) -> None:
    prefixed = "PREFIX r: <http://remote.example/> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": prefixed})
    assert response.status_code == 403
    assert "http://remote.example/sparql" in response.data.decode()
    variable = "SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }"
    assert client.get("/sparql", query_string={"query": variable}).status_code == 403


def test_service_word_in_literal_is_not_a_service(client: FlaskClient) -> None:
    query = 'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" } # SERVICE <http://y/>'
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    assert bindings(response) == []


def test_dataset_from_and_protocol_parameters(client: FlaskClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = bindings(client.get("/sparql", query_string={"query": count}))
    assert union[0]["n"]["value"] == str(DATA_TRIPLES + ONTOLOGY_TRIPLES)
    from_data = count.replace("WHERE", f"FROM <{GRAPH['data']}> WHERE")
    assert bindings(client.get("/sparql", query_string={"query": from_data}))[0]["n"]["value"] == (
        str(DATA_TRIPLES)
    )
    by_parameter = client.get(
        "/sparql", query_string={"query": count, "default-graph-uri": str(GRAPH["ontology"])}
    )
    assert bindings(by_parameter)[0]["n"]["value"] == str(ONTOLOGY_TRIPLES)
    named = client.get(
        "/sparql",
        query_string={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": str(GRAPH["data"]),
        },
    )
    assert [row["g"]["value"] for row in bindings(named)] == [str(GRAPH["data"])]


def test_dataset_outside_the_store_refused(client: FlaskClient) -> None:
    remote = "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }"
    response = client.get("/sparql", query_string={"query": remote})
    assert response.status_code == 400
    assert "http://example.org/remote.ttl" in response.data.decode()
    by_parameter = client.get(
        "/sparql", query_string={"query": TITLES, "named-graph-uri": "file:///etc/passwd"}
    )
    assert by_parameter.status_code == 400


def test_cors_preflight_and_simple_request(client: FlaskClient) -> None:
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    simple = client.get(
        "/sparql", query_string={"query": TITLES}, headers={"Origin": "https://example.org"}
    )
    assert simple.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in simple.headers["Access-Control-Expose-Headers"]


def test_etag_and_not_modified(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": TITLES})
    tag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get("/sparql", query_string={"query": TITLES}, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    other_format = client.get("/sparql", query_string={"query": TITLES, "format": "csv"})
    assert other_format.headers["ETag"] != tag
    since = client.get(
        "/sparql",
        query_string={"query": TITLES},
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert since.status_code == 304


def test_etag_follows_data_version(make_app: Callable[..., Flask]) -> None:
    one = make_app(SYNTHKG_DATA_VERSION="one").test_client()
    two = make_app(SYNTHKG_DATA_VERSION="two").test_client()
    tags = {c.get("/sparql", query_string={"query": TITLES}).headers["ETag"] for c in (one, two)}
    assert len(tags) == 2


def test_head(client: FlaskClient) -> None:
    get = client.get("/sparql", query_string={"query": TITLES})
    head = client.head("/sparql", query_string={"query": TITLES})
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["ETag"] == get.headers["ETag"]


def test_service_description(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    endpoint = URIRef("http://localhost/sparql")
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    assert (
        endpoint,
        SD.resultFormat,
        URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON"),
    ) in (graph)
    sizes = {
        str(graph.value(named, SD.name)): int(
            graph.value(graph.value(named, SD.graph), URIRef("http://rdfs.org/ns/void#triples"))
        )
        for named in graph.objects(None, SD.namedGraph)
    }
    assert sizes == {str(GRAPH["data"]): DATA_TRIPLES, str(GRAPH["ontology"]): ONTOLOGY_TRIPLES}
    jsonld = client.get("/sparql", query_string={"format": "jsonld"})
    assert (endpoint, RDF.type, SD.Service) in Graph().parse(data=jsonld.data, format="json-ld")


def test_browser_gets_html(client: FlaskClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    curl = client.get("/sparql", headers={"Accept": "*/*"})
    assert curl.mimetype == "text/turtle"


def test_row_cap_truncates_and_says_so(make_app: Callable[..., Flask]) -> None:
    client = make_app(SYNTHKG_MAX_RESULT_ROWS=2).test_client()
    response = client.get("/sparql", query_string={"query": TITLES})
    assert len(bindings(response)) == 2
    assert response.headers["SynthKG-Results-Truncated"] == "true"
    assert response.headers["SynthKG-Result-Limit"] == "2"
    xml = client.get("/sparql", query_string={"query": TITLES, "format": "xml"})
    assert len(ET.fromstring(xml.data).findall(f"{RESULTS_NS}results/{RESULTS_NS}result")) == 2
    graph = client.get("/sparql", query_string={"query": EVERYTHING, "format": "ntriples"})
    assert len(Graph().parse(data=graph.data, format="nt")) == 2
    assert graph.headers["SynthKG-Results-Truncated"] == "true"
    small = client.get("/sparql", query_string={"query": TITLES + " LIMIT 2"})
    assert "SynthKG-Results-Truncated" not in small.headers


def test_timeout_stops_the_query_and_the_next_one_runs(make_app: Callable[..., Flask]) -> None:
    client = make_app(SYNTHKG_QUERY_TIMEOUT=1.0).test_client()
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": HEAVY})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "1 s" in response.data.decode()
    assert elapsed < 3.0
    after = client.get("/sparql", query_string={"query": TITLES})
    assert len(bindings(after)) == 3

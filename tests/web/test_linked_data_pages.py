"""Resource pages, content negotiation, VoID, dumps and the home page."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID
from web_pages_support import fixture_app

from synthkg.namespaces import DATASET, PAPER

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SELF_INSTRUCT = "/paper/arxiv-2212.10560"


@pytest.fixture
def web() -> FlaskClient:
    return fixture_app().test_client()


def test_paper_page_for_a_browser(web: FlaskClient) -> None:
    response = web.get(SELF_INSTRUCT, headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "<h1>Self-instruct: Aligning language models" in text
    # Linked resources are local links with their labels; outside IRIs stay absolute.
    assert 'href="/ontology/SynthesisFromScratch"' in text and "Synthesis from scratch" in text
    assert 'href="/venue/arxiv"' in text
    assert 'href="https://arxiv.org/abs/2212.10560"' in text
    # Incoming links: the classification that names the paper.
    assert 'href="/classification/arxiv-2212.10560/SynthesisFromScratch"' in text


def test_titles_are_escaped(web: FlaskClient) -> None:
    text = web.get("/paper/title-a-script-title", headers={"Accept": BROWSER}).get_data(
        as_text=True
    )
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends" in text


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("text/html;q=0.5, text/turtle;q=0.9", "text/turtle", "turtle"),
        ("application/ld+json;q=0.2, application/rdf+xml;q=0.7", "application/rdf+xml", "xml"),
    ],
)
def test_paper_as_rdf_by_negotiation(
    web: FlaskClient, accept: str, media_type: str, rdflib_format: str
) -> None:
    response = web.get(SELF_INSTRUCT, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers.get("Vary", "")
    graph = Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
    paper = PAPER["arxiv-2212.10560"]
    assert (paper, DCTERMS.title, None) in graph
    # Labels of linked resources travel with the description.
    venue = URIRef("https://w3id.org/synthkg/venue/arxiv")
    assert (venue, RDFS.label, Literal("arXiv")) in graph
    # Incoming links too.
    assert (None, None, paper) in graph


def test_format_override_and_errors(web: FlaskClient) -> None:
    response = web.get(SELF_INSTRUCT + "?format=ttl", headers={"Accept": BROWSER})
    assert response.mimetype == "text/turtle"
    assert web.get(SELF_INSTRUCT + "?format=pdf").status_code == 400
    assert web.get(SELF_INSTRUCT, headers={"Accept": "application/pdf"}).status_code == 406


def test_unknown_resource_is_a_helpful_404(web: FlaskClient) -> None:
    response = web.get("/paper/arxiv-0000.00000", headers={"Accept": BROWSER})
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "https://w3id.org/synthkg/paper/arxiv-0000.00000" in text
    assert "/sparql" in text
    plain = web.get("/venue/nowhere", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.mimetype == "text/plain"


def test_category_venue_source_and_ontology_dereference(web: FlaskClient) -> None:
    for path in (
        "/ontology/SynthesisFromScratch",
        "/venue/iclr",
        "/source/current-list/aaaaaaaaaaaa/L67",
        "/classification/arxiv-2212.10560/SynthesisFromScratch",
        "/ontology",
    ):
        assert web.get(path, headers={"Accept": BROWSER}).status_code == 200, path
    category = web.get("/ontology/SynthesisFromScratch", headers={"Accept": BROWSER})
    assert 'href="/paper/arxiv-2212.10560"' in category.get_data(as_text=True)
    ontology = web.get("/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=ontology.get_data(as_text=True), format="turtle")
    assert (URIRef("https://w3id.org/synthkg/ontology"), RDF.type, None) in graph
    assert len(graph) > 300  # the whole ontology document, not only its header


def test_home_links_everything(web: FlaskClient) -> None:
    text = web.get("/").get_data(as_text=True)
    for target in ("/sparql", "/examples", "/.well-known/void", "/dumps/synthkg.ttl", "/ontology"):
        assert f'href="{target}' in text, target


def void_graph(web: FlaskClient) -> Graph:
    response = web.get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


def test_void_describes_the_dataset(web: FlaskClient) -> None:
    graph = void_graph(web)
    dataset = URIRef(str(DATASET))
    assert (dataset, RDF.type, VOID.Dataset) in graph
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        VOID.entities,
        VOID.sparqlEndpoint,
        VOID.exampleResource,
        VOID.uriSpace,
    ):
        assert graph.value(dataset, prop) is not None, prop
    assert str(graph.value(dataset, VOID.sparqlEndpoint)).endswith("/sparql")
    assert PAPER["arxiv-2212.10560"] in set(graph.objects(dataset, VOID.exampleResource))
    assert len(set(graph.objects(dataset, VOID.classPartition))) > 3
    jsonld = web.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert json.loads(jsonld.get_data(as_text=True))
    assert web.get("/.well-known/void", headers={"Accept": BROWSER}).mimetype == "text/html"


def test_void_sizes_and_counts_equal_the_real_dumps(web: FlaskClient) -> None:
    graph = void_graph(web)
    dataset = URIRef(str(DATASET))
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) >= 3
    seen = set()
    for dist in distributions:
        url = str(graph.value(dist, DCAT.downloadURL))
        # Named, not blank: each distribution is the IRI of its own file.
        assert isinstance(dist, URIRef) and str(dist) == url
        path = "/" + url.split("/", 3)[3]
        response = web.get(path)
        assert response.status_code == 200, path
        body = response.get_data()
        assert int(graph.value(dist, DCAT.byteSize)) == len(body), path
        assert str(graph.value(dist, DCAT.mediaType)).endswith(response.mimetype)
        assert "attachment" in response.headers["Content-Disposition"]
        seen.add(path.rsplit(".", 1)[-1])
        if path.endswith(".nt"):
            lines = [line for line in body.decode().splitlines() if line.strip()]
            assert int(graph.value(dataset, VOID.triples)) == len(lines)
            assert int(graph.value(dist, VOID.triples)) == len(lines)
        if path.endswith(".nq"):
            quads = Dataset().parse(data=body.decode(), format="nquads")
            names = {str(c.identifier) for c in quads.graphs()}
            assert "https://w3id.org/synthkg/graph/ontology" in names
            assert "https://w3id.org/synthkg/graph/data" in names
        if path.endswith(".ttl"):
            parsed = Graph().parse(data=body.decode(), format="turtle")
            assert len(parsed) == int(graph.value(dataset, VOID.triples))
    assert {"ttl", "nt", "nq"} <= seen
    assert web.get("/dumps/other.ttl").status_code == 404

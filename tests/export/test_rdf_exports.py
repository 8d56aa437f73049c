"""RDF exports: deterministic bytes, faithful round trips, named graphs, derived triples."""

from __future__ import annotations

import json

import owlready2
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from synthkg.export import FORMATS, export
from synthkg.export.dataset import export_quads
from synthkg.export.jsonld import CONTEXT_FILE, CONTEXT_IRI
from synthkg.namespaces import PAPER, PREFIXES, WDT
from synthkg.store import DATA_GRAPH, DERIVED_GRAPH, ONTOLOGY_GRAPH

from .export_support import fresh_store

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "rdfxml": "xml"}


def source_graph(store: ox.Store, *, data_only: bool = False) -> Graph:
    """The triples an export should hold, read through N-Triples into rdflib."""
    quads = export_quads(store, ontology=not data_only)
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=text.decode(), format="nt")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_same_bytes_from_two_separately_loaded_stores(name: str) -> None:
    first = export(name, fresh_store()).body
    second = export(name, fresh_store()).body
    assert first, f"{name} export is empty"
    assert first == second


@pytest.mark.parametrize("name", sorted(RDFLIB_FORMATS))
def test_triple_formats_parse_back_to_the_source_graph(name: str, export_store) -> None:
    result = export(name, export_store)
    parsed = Graph().parse(data=result.body, format=RDFLIB_FORMATS[name])
    expected = source_graph(export_store)
    assert len(parsed) == len(expected) == result.count
    assert isomorphic(parsed, expected)


def local_context_document(body: bytes) -> dict:
    """The exported JSON-LD with its context IRI replaced by the local file (no network)."""
    document = json.loads(body)
    assert document["@context"] == CONTEXT_IRI
    document["@context"] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return document


def test_jsonld_is_compacted_and_expands_to_the_source_graph(export_store) -> None:
    body = export("jsonld", export_store).body
    document = local_context_document(body)
    nodes = {node["@id"]: node for node in document["@graph"]}
    paper = nodes["paper:arxiv-2401.00001"]
    assert paper["title"] == "Growing data from nothing"
    assert paper["year"] == "2024"
    assert paper["publishedIn"] == "venue:arxiv"
    assert paper["wikidataArxivId"] == "2401.00001"
    assert sorted(paper["@type"]) == ["skg:Paper", "skg:Preprint"]
    parsed = Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(parsed, source_graph(export_store))


def test_context_declares_every_project_prefix() -> None:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    for name, iri in PREFIXES.items():
        assert context.get(name) == iri, name


@pytest.mark.parametrize(("name", "parser"), [("trig", "trig"), ("nq", "nquads")])
def test_dataset_formats_keep_the_named_graphs(name: str, parser: str, export_store) -> None:
    result = export(name, export_store)
    dataset = Dataset().parse(data=result.body, format=parser)
    sizes = {str(graph.identifier): len(graph) for graph in dataset.graphs() if len(graph) > 0}
    expected = {
        graph.value: sum(1 for _ in export_store.quads_for_pattern(None, None, None, graph))
        for graph in (ONTOLOGY_GRAPH, DATA_GRAPH, DERIVED_GRAPH)
    }
    assert sizes == expected
    assert sum(sizes.values()) == result.count


def test_derived_wikidata_identifiers_are_exported(export_store) -> None:
    graph = Graph().parse(data=export("ttl", export_store).body, format="turtle")
    doi_paper = PAPER["doi-10.1109_tvcg.2025.12345"]
    assert (doi_paper, WDT.P356, Literal("10.1109/TVCG.2025.12345")) in graph
    assert (PAPER["arxiv-2401.00001"], WDT.P818, Literal("2401.00001")) in graph
    assert (PAPER["arxiv-2302.00002"], WDT.P8968, Literal("AbCdEf123")) in graph
    in_derived = set(export_store.quads_for_pattern(None, None, None, DERIVED_GRAPH))
    assert len(in_derived) == 4  # two arXiv IDs, one DOI, one OpenReview ID


def test_data_only_leaves_the_ontology_out(export_store) -> None:
    full = Graph().parse(data=export("ttl", export_store).body, format="turtle")
    data = Graph().parse(data=export("ttl", export_store, data_only=True).body, format="turtle")
    ontology_class = URIRef("https://w3id.org/synthkg/ontology/Paper")
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (ontology_class, rdf_type, owl_class) in full
    assert (ontology_class, rdf_type, owl_class) not in data
    assert isomorphic(data, source_graph(export_store, data_only=True))
    assert len(data) < len(full)


def test_rdfxml_loads_in_owlready2(export_store, tmp_path) -> None:
    path = tmp_path / "synthkg.owl"
    path.write_bytes(export("rdfxml", export_store).body)
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    assert ontology is not None
    paper_class = world["https://w3id.org/synthkg/ontology/Paper"]
    assert paper_class is not None
    papers = {entity.iri for entity in paper_class.instances(world=world)}
    assert str(PAPER["arxiv-2401.00001"]) in papers
    assert len(papers) == 5

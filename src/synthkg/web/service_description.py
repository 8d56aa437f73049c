"""The SPARQL 1.1 Service Description, sent for a plain GET of the endpoint by an RDF client."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pyoxigraph as ox
from rdflib.namespace import RDF, VOID

from synthkg.namespaces import DATASET, SD
from synthkg.web.negotiation import ALL_FORMATS


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(SD[name]))


_TYPE = ox.NamedNode(str(RDF.type))
_TRIPLES = ox.NamedNode(str(VOID.triples))
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
# Where pyoxigraph's format IRI differs from the W3C "Unique URIs for File Formats" list.
_FORMAT_IRIS = {"jsonld": "http://www.w3.org/ns/formats/JSON-LD"}


def service_description(
    endpoint: str, graph_sizes: Mapping[str, int], service_allowlist: Collection[str] = ()
) -> list[ox.Triple]:
    """The triples describing the endpoint at ``endpoint`` over a store with these graphs."""
    service = ox.NamedNode(endpoint)
    dataset = ox.NamedNode(str(DATASET))
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, _TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(
            service,
            _sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _TYPE, _sd("Graph")),
        ox.Triple(
            default_graph, _TRIPLES, ox.Literal(str(sum(graph_sizes.values())), datatype=_INTEGER)
        ),
    ]
    if service_allowlist:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    seen: set[str] = set()
    for fmt in ALL_FORMATS:
        iri = _FORMAT_IRIS.get(fmt.name, fmt.writer.iri)
        if iri not in seen:
            seen.add(iri)
            triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)))
    for index, (name, size) in enumerate(sorted(graph_sizes.items())):
        named = ox.BlankNode(f"namedGraph{index}")
        graph = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, _TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(name)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, _TYPE, _sd("Graph")),
            ox.Triple(graph, _TRIPLES, ox.Literal(str(size), datatype=_INTEGER)),
        ]
    return sorted(triples, key=lambda triple: (str(triple.subject), str(triple.predicate)))

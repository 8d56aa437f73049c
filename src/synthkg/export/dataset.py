"""What an RDF export holds: the quads of the chosen graphs, in one stable order.

By default an export holds the ontology, the curated data and the derived triples (each in
its named graph for TriG and N-Quads; merged into one graph for the triple formats). Blank
nodes (the ontology has a few, e.g. in a property chain) get labels computed from the graph
around them, so two exports of the same files are the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from synthkg.store import DATA_GRAPH, DERIVED_GRAPH, ONTOLOGY_GRAPH, memory_store

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def chosen_graphs(*, ontology: bool = True, derived: bool = True) -> list[ox.NamedNode]:
    """The named graphs an export holds."""
    graphs = [DATA_GRAPH]
    if ontology:
        graphs.insert(0, ONTOLOGY_GRAPH)
    if derived:
        graphs.append(DERIVED_GRAPH)
    return graphs


def quad_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def export_quads(
    store: ox.Store | None = None, *, ontology: bool = True, derived: bool = True
) -> list[ox.Quad]:
    """The quads of the chosen graphs of ``store`` (the project's graph by default), blank
    nodes labelled canonically, sorted by graph, subject, predicate and object."""
    source = store if store is not None else memory_store()
    quads: list[ox.Quad] = []
    for graph in chosen_graphs(ontology=ontology, derived=derived):
        in_graph = list(source.quads_for_pattern(None, None, None, graph))
        plain = [q for q in in_graph if not _has_blank(q)]
        quads.extend(plain)
        quads.extend(_canonical_blank_quads([q for q in in_graph if _has_blank(q)], graph))
    return sorted(set(quads), key=quad_key)


def as_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The quads as triples of one graph: duplicates across graphs dropped, order kept."""
    return list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _canonical_blank_quads(quads: list[ox.Quad], graph: ox.NamedNode) -> list[ox.Quad]:
    """The quads that touch blank nodes, relabelled by rdflib's canonical labelling (run on
    just these quads: the rest of the graph names no blank node)."""
    if not quads:
        return []
    scratch = Graph()
    for quad in quads:
        scratch.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
    return [
        ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph)  # type: ignore[arg-type]
        for s, p, o in to_canonical_graph(scratch)
    ]


def _to_rdflib(term: Term) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _to_ox(term: object) -> Term:
    if isinstance(term, BNode):
        # A short stable label: the canonical one is long (a hash) and only needs to be unique.
        label = "b" + hashlib.sha256(str(term).encode()).hexdigest()[:16]
        return ox.BlankNode(label)
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    datatype = term.datatype or URIRef("http://www.w3.org/2001/XMLSchema#string")
    return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))

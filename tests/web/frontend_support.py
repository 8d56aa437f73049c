"""The browsing pages' fixture graph, and the numbers the pages should show, worked out in
plain Python (rdflib, no SPARQL) so that the pages' queries are checked against them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from flask import Flask
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from synthkg import paths
from synthkg.importers.identifiers import PROPERTY
from synthkg.namespaces import SKG, TAXONOMY_SCHEME
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
from synthkg.taxonomy import LINK_PROPERTY
from synthkg.web.app import create_app

FRONTEND_DATA = Path(__file__).resolve().parents[1] / "resources" / "frontend" / "data.ttl"
LINKS = tuple(LINK_PROPERTY.values())
# The literal identifier properties (a plain URL is a link, not an identifier).
IDENTIFIERS = tuple(prop for scheme, prop in PROPERTY.items() if scheme != "url")


def frontend_store() -> ox.Store:
    return memory_store({ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: [FRONTEND_DATA]})


def frontend_app(store: ox.Store | None = None) -> Flask:
    return create_app({"TESTING": True, "SYNTHKG_QUERY_PROCESSES": 1}, store or frontend_store())


class Expected:
    """Counts over a graph, by walking its triples."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.papers = set(graph.subjects(RDF.type, SKG["Paper"]))
        self.categories = set(graph.subjects(SKOS.inScheme, TAXONOMY_SCHEME))

    @classmethod
    def of_files(cls, files: Iterable[Path]) -> Expected:
        graph = Graph()
        for path in files:
            graph.parse(path)
        return cls(graph)

    def below(self, category: URIRef) -> set[URIRef]:
        """The category and every category under it."""
        found, todo = set(), [category]
        while todo:
            current = todo.pop()
            found.add(current)
            todo.extend(c for c in self.graph.subjects(SKOS.broader, current) if c not in found)
        return found

    def papers_under(self, category: URIRef, links: Iterable[URIRef] = LINKS) -> set[URIRef]:
        wanted = self.below(category)
        return {
            p
            for p in self.papers
            for link in links
            for c in self.graph.objects(p, link)
            if c in wanted
        }

    def cell(self, method: URIRef, application: URIRef) -> set[URIRef]:
        return self.papers_under(method, [SKG["usesMethod"]]) & self.papers_under(
            application, [SKG["hasApplication"]]
        )

    def identifiers(self) -> int:
        return sum(
            1 for p in self.papers for prop in IDENTIFIERS for _ in self.graph.objects(p, prop)
        )

    def year(self, paper: URIRef) -> str | None:
        from synthkg.namespaces import FABIO

        value = self.graph.value(paper, FABIO.hasPublicationYear)
        return str(value) if value is not None else None

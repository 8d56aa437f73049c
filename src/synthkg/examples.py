"""The catalogue of example queries, one Turtle file per example.

The files follow the SIB ``sparql-examples`` convention: each example is a
``sh:SPARQLExecutable`` (and ``sh:SPARQLSelectExecutable``, ``...AskExecutable`` or
``...ConstructExecutable``) with ``rdfs:label``, ``rdfs:comment``, the query text in
``sh:select`` / ``sh:ask`` / ``sh:construct``, ``schema:target`` and ``schema:keywords``.
The catalogue is served at ``/.well-known/sparql-examples`` and opened as editor tabs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from synthkg import paths
from synthkg.errors import InputError
from synthkg.graph import new_graph, parse_files
from synthkg.namespaces import BASE, SCHEMA, SH

EXAMPLES_BASE = BASE + ".well-known/sparql-examples/"

# The query property each executable type carries, and the query form it holds.
QUERY_PROPERTIES: dict[URIRef, tuple[URIRef, str]] = {
    SH["SPARQLSelectExecutable"]: (SH["select"], "SELECT"),
    SH["SPARQLAskExecutable"]: (SH["ask"], "ASK"),
    SH["SPARQLConstructExecutable"]: (SH["construct"], "CONSTRUCT"),
}


@dataclass(frozen=True)
class Example:
    """One example query of the catalogue."""

    iri: URIRef
    label: str
    comment: str
    query: str
    form: str
    keywords: tuple[str, ...]
    path: Path

    @property
    def name(self) -> str:
        """The short name of the example (the last segment of its IRI)."""
        return str(self.iri).removeprefix(EXAMPLES_BASE)


def example_files(folder: Path | None = None) -> list[Path]:
    """The catalogue's files, in the order the editor shows them."""
    return sorted((folder or paths.EXAMPLES_DIR).glob("*.ttl"))


def _one_literal(graph: Graph, subject: URIRef, predicate: URIRef, path: Path) -> str:
    values = [str(v) for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
    if len(values) != 1:
        raise InputError(
            f"{path}: example {subject} needs exactly one {predicate}, found {len(values)}"
        )
    return values[0]


def _read_example(path: Path) -> Example:
    graph = parse_files([path])
    subjects = set(graph.subjects(RDF.type, SH["SPARQLExecutable"]))
    if len(subjects) != 1:
        raise InputError(f"{path}: expected one sh:SPARQLExecutable, found {len(subjects)}")
    subject = subjects.pop()
    if not isinstance(subject, URIRef) or not str(subject).startswith(EXAMPLES_BASE):
        raise InputError(f"{path}: example IRI {subject} must start with {EXAMPLES_BASE}")
    kinds = [k for k in QUERY_PROPERTIES if (subject, RDF.type, k) in graph]
    if len(kinds) != 1:
        raise InputError(f"{path}: {subject} needs one of the SELECT/ASK/CONSTRUCT types")
    query_property, form = QUERY_PROPERTIES[kinds[0]]
    if (subject, SCHEMA["target"], None) not in graph:
        raise InputError(f"{path}: {subject} has no schema:target")
    return Example(
        iri=subject,
        label=_one_literal(graph, subject, RDFS.label, path),
        comment=_one_literal(graph, subject, RDFS.comment, path),
        query=_one_literal(graph, subject, query_property, path),
        form=form,
        keywords=tuple(sorted(str(k) for k in graph.objects(subject, SCHEMA["keywords"]))),
        path=path,
    )


def load_examples(folder: Path | None = None) -> list[Example]:
    """Every example of the catalogue; a malformed file raises ``InputError`` naming it."""
    return [_read_example(path) for path in example_files(folder)]


def catalogue_graph(folder: Path | None = None) -> Graph:
    """All examples as one RDF graph (what ``/.well-known/sparql-examples`` serves)."""
    graph = new_graph()
    graph.bind("ex", EXAMPLES_BASE)
    return parse_files(example_files(folder), graph)

"""Loading the graph into Oxigraph, the engine every query runs on.

The ontology goes into one named graph and the data into another; queries see their union
as the default graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from synthkg import paths
from synthkg.errors import InputError
from synthkg.graph import data_files
from synthkg.namespaces import GRAPH

ONTOLOGY_GRAPH = ox.NamedNode(str(GRAPH["ontology"]))
DATA_GRAPH = ox.NamedNode(str(GRAPH["data"]))

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
}


def default_sources() -> dict[ox.NamedNode, list[Path]]:
    """The project's files, by the named graph they load into."""
    return {ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: data_files()}


def load_files(
    store: ox.Store, files: Iterable[Path], graph: ox.NamedNode | ox.DefaultGraph
) -> None:
    """Bulk-load RDF files into one graph of the store; a bad file raises ``InputError``."""
    for path in files:
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path}: unknown RDF file type {path.suffix!r}")
        try:
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
        except (SyntaxError, ValueError, OSError) as error:
            raise InputError(f"{path}: cannot load: {error}") from error


def memory_store(sources: dict[ox.NamedNode, list[Path]] | None = None) -> ox.Store:
    """A new in-memory store holding the given files (the project's by default)."""
    store = ox.Store()
    for graph, files in (sources or default_sources()).items():
        load_files(store, files, graph)
    return store

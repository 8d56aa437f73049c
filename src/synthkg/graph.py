"""Reading the graph's RDF files: the one place that parses them.

rdflib handles what it does best here (pyshacl, owlready2 interchange, serialisation);
queries go through Oxigraph (see ``synthkg.store``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from synthkg import paths
from synthkg.errors import InputError
from synthkg.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".rdf": "xml", ".jsonld": "json-ld"}


def rdf_format(path: Path) -> str:
    """The rdflib parser name for a file, chosen by its suffix."""
    try:
        return RDF_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"{path}: unknown RDF file type {path.suffix!r} "
            f"(expected one of {', '.join(sorted(RDF_SUFFIXES))})"
        ) from None


def data_files(data_dir: Path | None = None) -> list[Path]:
    """The curated data files, in a stable order."""
    folder = data_dir or paths.DATA_DIR
    return sorted(folder.glob("*.ttl"))


def shape_files(shapes_dir: Path | None = None) -> list[Path]:
    """The SHACL shape files, in a stable order."""
    folder = shapes_dir or paths.SHAPES_DIR
    return sorted(folder.glob("*.ttl"))


def new_graph() -> Graph:
    """An empty rdflib graph with the project's prefixes bound."""
    # Imported here: the web server lists data files through this module but never parses
    # them, and every one of its processes would otherwise carry rdflib.
    from rdflib import Graph

    graph = Graph(bind_namespaces="core")
    for name, iri in PREFIXES.items():
        graph.bind(name, iri, override=True, replace=True)
    return graph


def parse_files(files: Iterable[Path], graph: Graph | None = None) -> Graph:
    """Parse RDF files into one rdflib graph; a broken file raises ``InputError``
    naming the file (and the line, where the parser gives one)."""
    target = graph if graph is not None else new_graph()
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        try:
            target.parse(path, format=rdf_format(path))
        except InputError:
            raise
        except Exception as error:  # rdflib raises many parser-specific types
            line = getattr(error, "lines", None)  # the Turtle parser's 0-based line
            if isinstance(line, int):
                why = getattr(error, "_why", None) or "syntax error"
                raise InputError(f"{path}:{line + 1}: not valid RDF: {why}") from error
            raise InputError(f"{path}: not valid RDF: {error}") from error
    return target


def load_ontology() -> Graph:
    """The ontology (the edited Turtle source) as an rdflib graph."""
    return parse_files([paths.ONTOLOGY_TTL])


def load_data(data_dir: Path | None = None) -> Graph:
    """The curated data graph (without the ontology)."""
    return parse_files(data_files(data_dir))

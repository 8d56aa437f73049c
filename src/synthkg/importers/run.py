"""``synthkg import``: read a list, merge it into the curated graph, write the files.

The curated graph lives in three files (``papers.ttl``, ``venues.ttl``, ``provenance.ttl``);
each subject goes to the file of its IRI namespace. Nothing is written unless the whole
import succeeded, and then all three files are replaced together.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from synthkg import paths
from synthkg.graph import new_graph, parse_files
from synthkg.importers.build import GraphBuilder, ImportReport
from synthkg.importers.markdown import parse_markdown
from synthkg.namespaces import PAPER, VENUE
from synthkg.taxonomy import load_taxonomy
from synthkg.turtle import serialize, write_atomic

PAPERS_FILE = "papers.ttl"
VENUES_FILE = "venues.ttl"
PROVENANCE_FILE = "provenance.ttl"
DATA_FILES = (PAPERS_FILE, VENUES_FILE, PROVENANCE_FILE)


def load_curated(data_dir: Path) -> Graph:
    """The graph held in the importer's files of ``data_dir`` (empty when there are none)."""
    files = [data_dir / name for name in DATA_FILES if (data_dir / name).is_file()]
    return parse_files(files, new_graph())


def file_for(subject: URIRef) -> str:
    """The data file a subject is written to."""
    if str(subject).startswith(str(PAPER)):
        return PAPERS_FILE
    if str(subject).startswith(str(VENUE)):
        return VENUES_FILE
    return PROVENANCE_FILE


def render(graph: Graph) -> dict[str, str]:
    """The canonical text of each data file."""
    parts: dict[str, list] = {name: [] for name in DATA_FILES}
    for triple in graph:
        parts[file_for(triple[0])].append(triple)  # type: ignore[arg-type]
    return {name: serialize(triples) for name, triples in parts.items()}


def import_list(source: Path, data_dir: Path | None = None) -> ImportReport:
    """Import one awesome-list Markdown file into ``data_dir`` (default: the project's
    ``data/``). Raises ``InputError`` (and writes nothing) on unreadable input."""
    folder = data_dir or paths.DATA_DIR
    parsed = parse_markdown(source)
    graph = load_curated(folder)
    report = GraphBuilder(graph, load_taxonomy()).add_list(parsed)
    texts = render(graph)
    write_atomic({folder / name: text for name, text in texts.items()})
    return report

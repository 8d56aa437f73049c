"""The curated files of a data folder as one graph that remembers where each triple lives.

A curation command reads every ``*.ttl`` file of the folder, changes the merged graph and
writes back only what changed: a removed triple leaves the file that held it, an added
triple joins the file that already describes its subject (or, for a new subject, the file
of its IRI namespace). So files written by other tools keep their triples where they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from synthkg.errors import InputError
from synthkg.graph import data_files, new_graph, parse_files
from synthkg.namespaces import AUTHOR, CHANGE, CURATOR, DATASET, PAPER, RELEASE, VENUE
from synthkg.turtle import serialize, write_atomic

PAPERS_FILE = "papers.ttl"
VENUES_FILE = "venues.ttl"
PROVENANCE_FILE = "provenance.ttl"
AUTHORS_FILE = "authors.ttl"
CURATION_FILE = "curation.ttl"
DATASET_FILE = "dataset.ttl"

# New subjects go to the file of their namespace; longest namespace first.
_ROUTES: tuple[tuple[str, str], ...] = (
    (str(PAPER), PAPERS_FILE),
    (str(VENUE), VENUES_FILE),
    (str(AUTHOR), AUTHORS_FILE),
    (str(CHANGE), CURATION_FILE),
    (str(CURATOR), CURATION_FILE),
    (str(RELEASE), DATASET_FILE),
)


def route(subject: URIRef) -> str:
    """The file a new subject is written to."""
    if subject == DATASET:
        return DATASET_FILE
    for namespace, name in _ROUTES:
        if str(subject).startswith(namespace):
            return name
    return PROVENANCE_FILE


@dataclass
class DataFolder:
    """The files of one data folder, each parsed on its own, and their union."""

    folder: Path
    files: dict[Path, Graph] = field(default_factory=dict)
    graph: Graph = field(default_factory=new_graph)

    @classmethod
    def load(cls, folder: Path) -> DataFolder:
        if not folder.is_dir():
            raise InputError(f"{folder}: no such data folder")
        loaded = cls(folder)
        for path in data_files(folder):
            part = parse_files([path])
            loaded.files[path] = part
            for triple in part:
                loaded.graph.add(triple)
        if not loaded.files:
            raise InputError(f"{folder}: no data files (*.ttl)")
        return loaded

    def snapshot(self) -> set:
        return set(self.graph)

    def render(self, before: set) -> dict[Path, str]:
        """The new text of every file the changes since ``before`` touch."""
        after = set(self.graph)
        removed, added = before - after, after - before
        touched: set[Path] = set()
        for triple in removed:
            for path, part in self.files.items():
                if triple in part:
                    part.remove(triple)
                    touched.add(path)
        homes: dict[URIRef, Path] = {}
        for triple in sorted(added, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            subject = triple[0]
            if subject not in homes:
                homes[subject] = self._home(subject)  # type: ignore[arg-type]
            path = homes[subject]
            self.files.setdefault(path, Graph()).add(triple)
            touched.add(path)
        return {path: serialize(self.files[path]) for path in sorted(touched)}  # type: ignore[arg-type]

    def _home(self, subject: URIRef) -> Path:
        for path, part in self.files.items():
            if (subject, None, None) in part:
                return path
        return self.folder / route(subject)

    def write(self, before: set) -> list[Path]:
        """Write every changed file, all or nothing."""
        return write_atomic(self.render(before))

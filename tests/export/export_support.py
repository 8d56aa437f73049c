"""Helpers of the export tests: the fixture sources and a BibTeX reader."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pyoxigraph as ox
from bibtexparser.bparser import BibTexParser

from synthkg import paths
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store

EXPORT_RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "export"
FIXTURE_SOURCES = {
    ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL],
    DATA_GRAPH: [EXPORT_RESOURCES / "data.ttl"],
}


def fresh_store() -> ox.Store:
    """A newly loaded fixture store (its blank nodes get new internal labels each time)."""
    return memory_store(FIXTURE_SOURCES)


def parse_bibtex(body: bytes) -> dict[str, dict[str, str]]:
    """The entries bibtexparser reads from a BibTeX text, by key."""
    parser = BibTexParser(common_strings=False, ignore_nonstandard_types=False)
    database = bibtexparser.loads(body.decode("utf-8"), parser=parser)
    return {entry["ID"]: entry for entry in database.entries}

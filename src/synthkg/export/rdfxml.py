"""RDF/XML export: every graph merged into one; the format owlready2 and Protégé read."""

from __future__ import annotations

import pyoxigraph as ox

from synthkg.export.dataset import as_triples
from synthkg.namespaces import PREFIXES


def render(quads: list[ox.Quad]) -> bytes:
    """RDF/XML of the quads' triples, in the quads' (sorted) order."""
    return ox.serialize(as_triples(quads), format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES) or b""

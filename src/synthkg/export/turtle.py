"""Turtle export: every graph merged into one, the project's prefixes declared."""

from __future__ import annotations

import pyoxigraph as ox

from synthkg.export.dataset import as_triples
from synthkg.namespaces import PREFIXES


def render(quads: list[ox.Quad]) -> bytes:
    """Turtle of the quads' triples, in the quads' (sorted) order."""
    return ox.serialize(as_triples(quads), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""

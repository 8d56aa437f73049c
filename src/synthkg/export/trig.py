"""TriG export: the named graphs (ontology, data, derived) kept apart."""

from __future__ import annotations

import pyoxigraph as ox

from synthkg.namespaces import PREFIXES


def render(quads: list[ox.Quad]) -> bytes:
    """TriG of the quads, graph by graph, in the quads' (sorted) order."""
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""

"""N-Triples export: every graph merged into one, one triple a line, sorted."""

from __future__ import annotations

import pyoxigraph as ox

from synthkg.export.dataset import as_triples


def render(quads: list[ox.Quad]) -> bytes:
    """N-Triples of the quads' triples, in the quads' (sorted) order."""
    return ox.serialize(as_triples(quads), format=ox.RdfFormat.N_TRIPLES) or b""

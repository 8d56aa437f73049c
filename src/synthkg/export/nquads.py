"""N-Quads export: one statement a line with its named graph, sorted."""

from __future__ import annotations

import pyoxigraph as ox


def render(quads: list[ox.Quad]) -> bytes:
    """N-Quads of the quads, in their (sorted) order."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

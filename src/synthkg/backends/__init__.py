"""Where queries run: the embedded Oxigraph store, or any SPARQL 1.1 endpoint.

Both backends offer the same surface to the web app: ``run(job, timeout)`` answers a
protocol query completely (or raises ``QueryTimeout``), ``store`` is what the pages read
(a pyoxigraph ``Store``, or an adapter with the part of its API the pages use), and
``graph_sizes()`` counts the triples of each named graph.
"""

from synthkg.backends.base import Backend
from synthkg.backends.embedded import EmbeddedBackend
from synthkg.backends.remote import RemoteBackend, RemoteStore

__all__ = ["Backend", "EmbeddedBackend", "RemoteBackend", "RemoteStore"]

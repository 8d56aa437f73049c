"""The embedded Oxigraph store: queries run in forked query processes (``RunnerPool``)."""

from __future__ import annotations

import pyoxigraph as ox

from synthkg.web.executor import RunnerPool
from synthkg.web.results import Answer, QueryJob


class EmbeddedBackend:
    """A pyoxigraph store in this process, with the query processes that evaluate on it."""

    kind = "embedded"

    def __init__(self, store: ox.Store, pool: RunnerPool) -> None:
        self._store = store
        self.pool = pool
        self._sizes: dict[str, int] | None = None

    @property
    def store(self) -> ox.Store:
        return self._store

    def run(self, job: QueryJob, timeout: float) -> Answer:
        return self.pool.run(job, timeout)

    def graph_sizes(self) -> dict[str, int]:
        if self._sizes is None:
            self._sizes = {
                graph.value: sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))
                for graph in sorted(self._store.named_graphs(), key=str)
                if isinstance(graph, ox.NamedNode)
            }
        return self._sizes

    def close(self) -> None:
        self.pool.close()

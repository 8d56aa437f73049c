"""The embedded Oxigraph store: queries run in forked query processes (``RunnerPool``)."""

from __future__ import annotations

import pyoxigraph as ox

from synthkg.store import count_graphs
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
            self._sizes = count_graphs(self._store)
        return self._sizes

    def close(self) -> None:
        self.pool.close()

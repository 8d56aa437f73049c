"""The embedded Oxigraph store: queries run in query processes (``RunnerPool``, or for an
in-memory store the threads of one shared process, ``SharedStorePool``).

The web worker leaves the store to its query processes, the pages' own queries included
(``RunnerStore``): a worker that opened an on-disk store filled storage-engine caches of
its own, and one that scanned an inherited in-memory store copied the pages it read. At
10^6 triples on disk the workers went from about 126 to 60 MiB each.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from synthkg.store import count_graphs
from synthkg.web.results import NATIVE_TRIPLES, Answer, PatternJob, QueryJob
from synthkg.web.shared_pool import QueryPool

# A page's query may read the whole graph once per data version (the paper index).
PAGE_QUERY_TIMEOUT = 600.0


class PageQueryFailed(RuntimeError):
    """A page's own query was answered with an error."""


class RunnerStore:
    """The part of pyoxigraph's ``Store`` API the pages use, answered by query processes."""

    def __init__(self, pool: QueryPool, timeout: float = PAGE_QUERY_TIMEOUT) -> None:
        self.pool = pool
        self.timeout = timeout

    def _run(self, job: QueryJob | PatternJob) -> Answer:
        answer = self.pool.run(job, self.timeout, trusted=True)
        if answer.status != 200:
            raise PageQueryFailed(answer.body.decode("utf-8", "replace").strip()[:500])
        return answer

    def query(
        self,
        text: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> Any:
        """Results like ``Store.query``: solutions, a boolean, or an iterator of triples."""
        given = default_graph is not None or named_graphs is not None
        job = QueryJob(
            query=text,
            result_format="json",
            graph_format="ntriples",
            max_rows=0,
            default_graphs=tuple(g.value for g in default_graph or ()) if given else None,
            named_graphs=tuple(g.value for g in named_graphs or ()) if given else None,
            union_default_graph=use_default_graph_as_union,
            base_iri=base_iri,
            native=True,
        )
        answer = self._run(job)
        if answer.media_type == NATIVE_TRIPLES:
            return (quad.triple for quad in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)

    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        """The quads that match a pattern (blank nodes keep the store's labels both ways)."""
        answer = self._run(PatternJob(subject, predicate, obj, graph_name))
        return iter(ox.parse(answer.body, format=ox.RdfFormat.N_QUADS))

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        """The store's named graphs that hold at least one quad."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return iter([row["g"] for row in rows])


class EmbeddedBackend:
    """A pyoxigraph store (or its ``RunnerStore``), with the query processes that evaluate
    queries on it."""

    kind = "embedded"

    def __init__(self, store: ox.Store | RunnerStore, pool: QueryPool) -> None:
        self._store = store
        self.pool = pool
        self._sizes: dict[str, int] | None = None

    @property
    def store(self) -> ox.Store | RunnerStore:
        return self._store

    def run(self, job: QueryJob, timeout: float) -> Answer:
        return self.pool.run(job, timeout)

    def graph_sizes(self) -> dict[str, int]:
        if self._sizes is None:
            self._sizes = count_graphs(self._store)
        return self._sizes

    def close(self) -> None:
        self.pool.close()

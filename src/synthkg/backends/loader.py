"""Pushing the graph to a remote SPARQL store: Graph Store Protocol or SPARQL Update.

With a Graph Store Protocol URL each named graph is replaced by one ``PUT`` (atomic per
graph on every store we know). Otherwise the triples go by SPARQL Update into a scratch
graph, in batches, which then replaces the target graph with one ``MOVE``: a reader sees
the old graph or the new one, never half of it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from synthkg.backends.auth import Credentials
from synthkg.backends.http import EndpointTimeout, EndpointUnavailable, HttpEndpoint
from synthkg.backends.remote import template
from synthkg.errors import InputError
from synthkg.store import Sources, memory_store

DEFAULT_BATCH = 5_000
SCRATCH_SUFFIX = "-loading"
# Batches are split on refusal down to this size; below it a refusal is the data's fault.
MIN_SPLIT = 200


@dataclass(frozen=True)
class LoadReport:
    """What was pushed: triples per graph and the time it took."""

    method: str
    triples: dict[str, int]
    seconds: float


def _graphs(sources: Sources | None) -> dict[ox.NamedNode, list[ox.Triple]]:
    """Every named graph the embedded store would serve (derived ones included)."""
    store = memory_store(sources)
    return {
        graph: [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]
        for graph in sorted(store.named_graphs(), key=str)
        if isinstance(graph, ox.NamedNode)
    }


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    # Triples that share blank nodes must arrive in one request, or the labels would name
    # different nodes: they all go in the first batch (sent as an INSERT template).
    blank = [t for t in triples if _has_blank(t)]
    plain = [t for t in triples if not _has_blank(t)]
    if blank:
        yield blank
    for start in range(0, len(plain), size):
        yield plain[start : start + size]


def _check(
    endpoint: HttpEndpoint,
    method: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    params: dict[str, str] | None = None,
) -> None:
    try:
        reply = endpoint.request(method, params, body, headers, timeout)
    except (EndpointTimeout, EndpointUnavailable) as failure:
        raise InputError(str(failure)) from failure
    if reply.status >= 300:
        detail = reply.body.decode("utf-8", "replace").strip()[:500]
        raise InputError(f"{endpoint.url}: {method} answered {reply.status}: {detail}")


def _update(endpoint: HttpEndpoint, text: str, timeout: float) -> None:
    _check(
        endpoint,
        "POST",
        text.encode(),
        {"Content-Type": "application/sparql-update"},
        timeout,
    )


def _insert(
    endpoint: HttpEndpoint, graph: ox.NamedNode, part: list[ox.Triple], timeout: float
) -> None:
    """Add one batch; a batch the store finds too big is split in halves and sent again.

    Virtuoso's SPARQL compiler runs out of memory on a few thousand triples in one request
    and refuses the whole request (so nothing was added, and resending is safe).
    """
    lines = (ox.serialize(part, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    blank = _has_blank(part[0])
    text = template("insert-template" if blank else "insert-data").substitute(
        graph=str(graph), triples=lines
    )
    try:
        _update(endpoint, text, timeout)
    except InputError as refusal:
        # Blank-node batches must stay whole (their labels are scoped to one request).
        if blank or len(part) < MIN_SPLIT or "answered 400" not in str(refusal):
            raise
        half = len(part) // 2
        _insert(endpoint, graph, part[:half], timeout)
        _insert(endpoint, graph, part[half:], timeout)


def load_remote(
    update_url: str | None = None,
    graph_store_url: str | None = None,
    sources: Sources | None = None,
    batch: int = DEFAULT_BATCH,
    timeout: float = 300.0,
    credentials: Credentials | None = None,
) -> LoadReport:
    """Replace the graph's named graphs at a remote store by the contents of the files."""
    if not update_url and not graph_store_url:
        raise InputError("give a SPARQL Update URL or a Graph Store Protocol URL")
    started = time.perf_counter()
    counts: dict[str, int] = {}
    # Everything is read (and checked) before the store is touched.
    chosen = _graphs(sources)
    if graph_store_url:
        store = HttpEndpoint(graph_store_url, credentials)
        for graph, triples in chosen.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            _check(
                store,
                "PUT",
                body,
                {"Content-Type": "application/n-triples"},
                timeout,
                {"graph": graph.value},
            )
            counts[graph.value] = len(triples)
        return LoadReport("graph-store", counts, time.perf_counter() - started)
    assert update_url is not None
    endpoint = HttpEndpoint(update_url, credentials)
    for graph, triples in chosen.items():
        scratch = ox.NamedNode(graph.value + SCRATCH_SUFFIX)
        _update(endpoint, template("drop-graph").substitute(graph=str(scratch)), timeout)
        for part in _batches(triples, batch):
            _insert(endpoint, scratch, part, timeout)
        move = template("move-graph").substitute(source=str(scratch), target=str(graph))
        _update(endpoint, move, timeout)
        counts[graph.value] = len(triples)
    return LoadReport("update", counts, time.perf_counter() - started)

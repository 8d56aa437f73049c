"""A bounded load client: latency at concurrency 1, throughput at concurrency 8.

Every measure is bounded twice, in requests and in seconds, so a slow server cannot make
the run endless. Requests go over kept-alive connections (one per client thread) as GETs
with the query in the URL, which every server compared accepts.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

from synthkg.backends.http import EndpointTimeout, EndpointUnavailable, HttpEndpoint, Reply

RESULTS = "application/sparql-results+json"
GRAPH = "text/turtle"


@dataclass(frozen=True)
class Query:
    """One query of the mix."""

    name: str
    text: str
    graph: bool  # CONSTRUCT / DESCRIBE
    point: bool  # a point lookup (the rest is analytical)


@dataclass(frozen=True)
class Latency:
    """Timings of one query run one request at a time."""

    p50: float | None
    p99: float | None
    runs: int
    size: int  # bytes of the last answer
    status: int
    note: str = ""


def ask(endpoint: HttpEndpoint, query: Query, timeout: float) -> Reply:
    """Send one query of the mix as a GET; the whole reply."""
    return endpoint.request(
        "GET",
        None,
        None,
        {"Accept": GRAPH if query.graph else RESULTS},
        timeout,
        path=endpoint.path + ("&" if "?" in endpoint.path else "?") + "query=" + quote(query.text),
    )


def send_query(endpoint: HttpEndpoint, query: Query, timeout: float) -> tuple[int, int]:
    """Send one query of the mix; its status and the size of its answer."""
    reply = ask(endpoint, query, timeout)
    return reply.status, len(reply.body)


def warm_up(url: str, mix: list[Query], timeout: float = 60.0) -> float:
    """Send every query of the mix once, answers unmeasured (as BSBM's warm-up runs); the
    seconds it took. A query that fails or times out here is measured, and reported, later."""
    endpoint = HttpEndpoint(url)
    began = time.perf_counter()
    try:
        for query in mix:
            try:
                send_query(endpoint, query, timeout)
            except (EndpointTimeout, EndpointUnavailable):
                continue
    finally:
        endpoint.close()
    return time.perf_counter() - began


def latency(
    url: str, query: Query, max_runs: int = 30, max_seconds: float = 5.0, timeout: float = 60.0
) -> Latency:
    """p50 and p99 over sequential runs, after one warm-up run."""
    endpoint = HttpEndpoint(url)
    try:
        began = time.perf_counter()
        status, size = send_query(endpoint, query, timeout)
        first = time.perf_counter() - began
        if status != 200:
            return Latency(None, None, 1, size, status, "error")
        times: list[float] = []
        budget = time.perf_counter() + max_seconds
        while len(times) < max_runs and (len(times) < 3 or time.perf_counter() < budget):
            if first > max_seconds and len(times) >= 1:
                break  # one timed run is all a very slow query gets
            began = time.perf_counter()
            status, size = send_query(endpoint, query, timeout)
            times.append(time.perf_counter() - began)
        return _summary(times, size, status)
    except EndpointTimeout:
        return Latency(None, None, 0, 0, 0, f"no answer within {timeout:g} s")
    except EndpointUnavailable as failure:
        return Latency(None, None, 0, 0, 0, f"failed: {failure}")
    finally:
        endpoint.close()


def paired_latency(
    urls: tuple[str, str],
    query: Query,
    max_runs: int = 30,
    max_seconds: float = 5.0,
    timeout: float = 60.0,
) -> tuple[Latency, Latency]:
    """p50 and p99 of one query on two servers, asked in turn (which goes first alternates).

    A relay and the store behind it are compared on the same instance and in the same
    minutes, so that the store's own drift (Virtuoso's times for one query varied by 1.7x
    between runs on one instance here) falls on both sides alike.
    """
    endpoints = (HttpEndpoint(urls[0]), HttpEndpoint(urls[1]))
    times: tuple[list[float], list[float]] = ([], [])
    sizes, statuses = [0, 0], [0, 0]
    try:
        for side in (0, 1):  # warm-up
            statuses[side], sizes[side] = send_query(endpoints[side], query, timeout)
        budget = time.perf_counter() + 2 * max_seconds
        while statuses == [200, 200] and len(times[0]) < max_runs:
            if len(times[0]) >= 3 and time.perf_counter() > budget:
                break
            order = (0, 1) if len(times[0]) % 2 == 0 else (1, 0)
            for side in order:
                began = time.perf_counter()
                statuses[side], sizes[side] = send_query(endpoints[side], query, timeout)
                times[side].append(time.perf_counter() - began)
    except EndpointTimeout:
        unanswered = Latency(None, None, 0, 0, 0, f"no answer within {timeout:g} s")
        return unanswered, unanswered
    except EndpointUnavailable as failure:
        failed = Latency(None, None, 0, 0, 0, f"failed: {failure}")
        return failed, failed
    finally:
        for endpoint in endpoints:
            endpoint.close()
    first, second = (_paired_side(times[side], sizes[side], statuses[side]) for side in (0, 1))
    return first, second


def _paired_side(times: list[float], size: int, status: int) -> Latency:
    if status != 200 or not times:
        return Latency(None, None, len(times), size, status, "error")
    return _summary(times, size, status)


def _summary(times: list[float], size: int, status: int) -> Latency:
    """p50 and p99 of timed runs."""
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return Latency(statistics.median(ordered), p99, len(ordered), size, status)


@dataclass(frozen=True)
class Throughput:
    """Requests answered per second by ``threads`` clients cycling through queries."""

    per_second: float
    requests: int
    errors: int
    seconds: float


def throughput(
    url: str,
    queries: list[Query],
    threads: int = 8,
    max_requests: int = 4000,
    max_seconds: float = 10.0,
    timeout: float = 60.0,
) -> Throughput:
    """Run the queries round-robin from ``threads`` threads until either bound is hit."""
    lock = threading.Lock()
    counts = {"sent": 0, "done": 0, "errors": 0}
    deadline = time.perf_counter() + max_seconds

    def worker(offset: int) -> None:
        endpoint = HttpEndpoint(url)
        index = offset
        while time.perf_counter() < deadline:
            with lock:
                if counts["sent"] >= max_requests:
                    break
                counts["sent"] += 1
            try:
                status, _ = send_query(endpoint, queries[index % len(queries)], timeout)
                ok = status == 200
            except (EndpointTimeout, EndpointUnavailable):
                ok = False
            with lock:
                counts["done" if ok else "errors"] += 1
            index += 1
        endpoint.close()

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    return Throughput(counts["done"] / elapsed, counts["done"], counts["errors"], elapsed)

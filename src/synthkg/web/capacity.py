"""How much work a server takes on at once, and what it refuses quickly instead of queueing.

A web process runs at most ``SYNTHKG_QUERY_PROCESSES`` queries at once. A request that finds
every slot taken waits at most ``SYNTHKG_QUEUE_WAIT`` seconds for one and is then answered
503 with ``Retry-After``: under overload clients get a quick refusal rather than a queue
that grows as long as the overload lasts.

The gunicorn settings are defined here once, for ``synthkg serve`` and for
``server/gunicorn.conf.py``: threaded workers (a thread mostly waits on its query process,
so a few per worker cost little and let a worker refuse what it cannot run; see
``synthkg.web.worker``), a short listen
backlog, workers recycled after a number of requests, and a graceful shutdown long enough
for a query in flight to finish.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from synthkg.web.warmup import warm_worker

# Query processes per worker by default (``SYNTHKG_QUERY_PROCESSES``).
QUERY_PROCESSES = 2
# Request threads per worker process.
THREADS = 32
# Connections a worker holds at once; more wait in the listen backlog, bounded below.
WORKER_CONNECTIONS = 64
BACKLOG = 128
# Recycle a worker after this many requests (plus jitter), so no slow leak accumulates.
MAX_REQUESTS = 5000
MAX_REQUESTS_JITTER = 500
# A GET query up to about 8 KB fits in the request line (gunicorn's maximum).
LIMIT_REQUEST_LINE = 8190


class Overloaded(Exception):
    """Every query slot stayed taken for the whole wait."""


class Admission:
    """The query slots of one web process (shared by its request threads)."""

    def __init__(self, slots: int, wait: float) -> None:
        self.slots = max(1, slots)
        self._slots = threading.BoundedSemaphore(self.slots)
        self._wait = max(0.0, wait)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a query slot, or raise ``Overloaded`` after the wait."""
        if not self._slots.acquire(timeout=self._wait):
            raise Overloaded(
                f"the server is busy: no query slot became free within {self._wait:g} s"
            )
        try:
            yield
        finally:
            self._slots.release()


def available_cpus() -> int:
    """The CPUs this process may run on (a container or taskset may allow fewer)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers(cpus: int | None = None) -> int:
    """Web workers for ``cpus`` CPUs (this machine's by default): one query process per CPU.

    A worker mostly waits on its query processes, which do the evaluation. On the 2-core
    machine of ``docs/benchmarks.md`` one worker with its two query processes answered the
    query mix at concurrency 8 as fast as two workers with four, in less memory.
    """
    count = available_cpus() if cpus is None else cpus
    return max(1, count // QUERY_PROCESSES)


def end_worker(server: object, worker: object) -> None:
    """Leave a worker without interpreter teardown once gunicorn has drained it.

    Tearing down a threaded worker that holds open Oxigraph stores crashed it (SIGSEGV)
    after its last request; nothing is left to flush at this point (answers are sent, the
    query processes end when their pipe closes), so the worker exits at once instead.
    """
    os._exit(0)


def gunicorn_options(query_timeout: float, workers: int = 2) -> dict[str, Any]:
    """gunicorn settings that bound the server's queue and its shutdown.

    A lone worker is not recycled: while a recycled worker drains its requests it accepts
    no new ones, and without a second worker the server would stop answering for as long as
    the longest query in flight.
    """
    recycle = workers > 1
    return {
        "worker_class": "synthkg.web.worker.KeepAliveThreadWorker",
        "threads": THREADS,
        "worker_connections": WORKER_CONNECTIONS,
        "backlog": BACKLOG,
        "max_requests": MAX_REQUESTS if recycle else 0,
        "max_requests_jitter": MAX_REQUESTS_JITTER if recycle else 0,
        "limit_request_line": LIMIT_REQUEST_LINE,
        # A worker waits for its query process; gunicorn must not kill it first.
        "timeout": int(query_timeout) + 30,
        # On SIGTERM, requests in flight (a query up to its deadline) may finish.
        "graceful_timeout": int(query_timeout) + 5,
        "worker_exit": end_worker,
        # Reader pages computed per data version are ready before the first visit.
        "post_worker_init": warm_worker,
    }

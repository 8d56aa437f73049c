"""The WSGI app of one rung of the fixed-cost ladder (``bench.ladder``).

gunicorn imports ``bench.ladder_app:app``; the environment says which rung it is:

* ``http``: the answer's bytes, fixed: gunicorn and SynthKG's worker class alone;
* ``hop``: the same bytes, fetched from a query process (``synthkg.web.executor``) that
  answers every job with them: the round trip to a query process, without a query;
* ``lookup``: the query process evaluates the lookup on the store, as ``synthkg serve``'s do.

The query processes are forked by the worker on its first request, as SynthKG's are.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from synthkg.web.executor import RunnerPool
from synthkg.web.results import Answer, PatternJob, QueryJob, run_job

RUNGS = ("http", "hop", "lookup")
MEDIA_TYPE = "application/sparql-results+json"


def lookup_job(query: str) -> QueryJob:
    """The job of the lookup, as every rung and ``synthkg serve`` run it (SPARQL JSON)."""
    return QueryJob(query=query, result_format="json", graph_format=None, max_rows=10_000)


class LadderApp:
    """Answers every request with the lookup's answer, by the means of one rung."""

    def __init__(self, rung: str, store: str, query: str, body: bytes) -> None:
        if rung not in RUNGS:
            raise ValueError(f"unknown rung {rung!r}; one of {', '.join(RUNGS)}")
        self.rung, self.store, self.body = rung, store, body
        self.job = lookup_job(query)
        self._fixed = Answer(200, MEDIA_TYPE, body)
        self._pool: RunnerPool | None = None

    def fixed_answer(self, store: ox.Store, job: QueryJob | PatternJob) -> Answer:
        """What a ``hop`` query process answers to every job."""
        return self._fixed

    def answer(self) -> bytes:
        """The body of one answer."""
        if self.rung == "http":
            return self.body
        if self._pool is None:
            answer_job = self.fixed_answer if self.rung == "hop" else run_job
            store = self.store
            self._pool = RunnerPool(lambda: ox.Store.read_only(store), answer_job=answer_job)
        return self._pool.run(self.job, 60.0).body

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        body = self.answer()
        start_response("200 OK", [("Content-Type", MEDIA_TYPE), ("Content-Length", str(len(body)))])
        return [body]


def from_environ(environ: dict[str, str] | None = None) -> LadderApp:
    """The app that ``LADDER_RUNG``, ``LADDER_STORE``, ``LADDER_QUERY`` and ``LADDER_BODY``
    (hexadecimal) describe."""
    env = os.environ if environ is None else environ
    return LadderApp(
        env.get("LADDER_RUNG", "http"),
        env.get("LADDER_STORE", ""),
        env.get("LADDER_QUERY", ""),
        bytes.fromhex(env.get("LADDER_BODY", "")),
    )


app = from_environ() if os.environ.get("LADDER_RUNG") else None

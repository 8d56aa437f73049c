"""One query process per web worker for an in-memory store: its threads share one copy.

Oxigraph's in-memory engine writes to what it reads (reference counts and version marks),
so a forked process that scans an inherited in-memory store ends up with a private copy of
it: with two query processes per worker, the store was held three times (the worker's
pristine copy and one per query process; at 10^5 triples 207 MiB against 86 MiB for
``oxigraph serve`` in memory). Here one query process per worker holds the store and
answers on several threads ("lanes"), so the server holds it once (121 MiB at 10^5). The
engine evaluates with Python's lock released: on the benchmark's mix at 10^5, two threads
of one process answered 1.4 to 1.8 times as fast as one, two forked processes 1.9 times
(see docs/benchmarks.md, "Memory", item 6).

The process opens the on-disk store read-only, answers from it at once, and copies it into
memory in a background thread (``upgrade``); the lanes move to the copy when it is complete
and the on-disk store is closed after its last query: "open from disk, serve from memory",
so that neither start-up nor a replaced process waits for the copy. A query past its
deadline still kills the process, the only way to stop it, and with it the other lanes'
queries: those are not at fault and run once more, on a fresh process.
"""

from __future__ import annotations

import threading
from collections import Counter

from synthkg.web.executor import (
    CRASHED,
    JobRunner,
    QueryProcess,
    QueryRunner,
    RunnerLost,
    RunnerPool,
    StoreOpener,
    StoreUpgrade,
)
from synthkg.web.results import Answer, PatternJob, QueryJob, error, run_job

# How long a query may wait for its process to open the store.
LOAD_LIMIT = 600.0


class SharedStorePool:
    """The lanes of one query process: at most ``size`` public queries at once, and
    ``extra`` lanes of their own for the pages' queries (the ``RunnerPool`` interface)."""

    def __init__(
        self,
        opener: StoreOpener,
        size: int = 2,
        extra: int = 2,
        answer_job: JobRunner = run_job,
        grace: float = 5.0,
        upgrade: StoreUpgrade | None = None,
    ) -> None:
        self._opener = opener
        self._upgrade = upgrade
        self._answer_job = answer_job
        self._grace = grace
        self.size = max(1, size)
        extra = max(1, extra)
        # Every job holds a slot, so a process with a lane per slot never runs short.
        self._lanes = self.size + extra
        self._slots = threading.BoundedSemaphore(self.size)
        self._trusted = threading.BoundedSemaphore(extra)
        self._lock = threading.Lock()
        self._process: QueryProcess | None = None
        self._free: list[QueryRunner] = []
        # Lanes in use, per process: a process replaced while some of its lanes were busy
        # is stopped when the last of them comes back.
        self._busy: Counter[QueryProcess] = Counter()

    @property
    def process(self) -> QueryProcess | None:
        """The query process new jobs go to (None before the first one)."""
        return self._process

    def run(self, job: QueryJob | PatternJob, timeout: float, *, trusted: bool = False) -> Answer:
        """Run a job on a free lane; once more on a fresh process if it lost its first."""
        with self._trusted if trusted else self._slots:
            for attempt in range(2):
                runner = self._take()
                try:
                    # Opening the store is not the query's time: its deadline starts once
                    # the process can answer.
                    if not runner.process.wait_ready(LOAD_LIMIT):
                        runner.stop()
                        return error(503, "the store is still being opened")
                    return runner.run(job, timeout)
                except RunnerLost:
                    if attempt:
                        # Lost twice: most likely this query is what crashed the engine.
                        return error(400, CRASHED)
                finally:
                    self._give_back(runner)
        raise AssertionError("unreachable")

    def _take(self) -> QueryRunner:
        with self._lock:
            process = self._live_process()
            # The slots bound the lanes in use to the lanes a process has.
            runner = self._free.pop()
            self._busy[process] += 1
            return runner

    def _live_process(self) -> QueryProcess:
        """The current process, started anew if there is none or it died (lock held)."""
        if self._process is not None and self._process.alive:
            return self._process
        if self._process is not None and self._busy[self._process] == 0:
            self._process.close()
            del self._busy[self._process]
        process = QueryProcess(
            self._opener, self._lanes, self._grace, self._answer_job, self._upgrade
        )
        self._process = process
        self._free = [QueryRunner(process=process, lane=lane) for lane in range(self._lanes)]
        return process

    def _give_back(self, runner: QueryRunner) -> None:
        with self._lock:
            process = runner.process
            self._busy[process] -= 1
            if process is self._process and process.alive:
                self._free.append(runner)
            elif self._busy[process] <= 0:
                # Dead or replaced, and no lane in use any more.
                del self._busy[process]
                process.close()

    def warm(self, count: int = 1) -> None:
        """Start the query process now, so that it opens and copies the store before the
        first query (``count`` is the ``RunnerPool`` interface's: one process holds all)."""
        with self._lock:
            self._live_process()

    def renew(self) -> None:
        """The store was replaced: new jobs go to a new process; the old one is stopped once
        its queries in progress have finished."""
        with self._lock:
            old, self._process, self._free = self._process, None, []
            if old is not None and self._busy[old] == 0:
                old.close()
                del self._busy[old]

    def close(self) -> None:
        """Stop the query process (and any replaced one still finishing)."""
        with self._lock:
            for process in {*self._busy, *([self._process] if self._process else [])}:
                process.close()
            self._busy.clear()
            self._process, self._free = None, []


# Where a web process's queries run: query processes of their own, or lanes of a shared one.
QueryPool = RunnerPool | SharedStorePool

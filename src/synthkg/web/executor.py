"""Queries run in child processes so that a deadline really stops them.

pyoxigraph evaluates a query inside native code that neither a Python signal nor a thread
can interrupt. Each web process therefore keeps a few long-lived *query runners*: child
processes forked from it (an on-disk store is reopened read-only by the child, which takes
about 10 ms; a store handed in is inherited copy-on-write) that take jobs over a pipe and
send back complete answers. When a query passes its deadline its runner is killed with
SIGKILL, which frees the CPU at once, and a fresh runner is forked for the next query.
A query process may also answer on several pipes ("lanes"), a thread each, over one store:
``synthkg.web.shared_pool`` runs an in-memory store that way.

Measured on the 2-core machine with 210,000 triples: forking a runner costs about 35 ms,
while a query sent to a live runner adds well under a millisecond; hence long-lived runners
rather than a fork per query. A runner also arms ``alarm()`` while it answers, so that it
ends itself even if its parent dies and nobody is left to kill it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import gc
import math
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import pyoxigraph as ox

from synthkg.web.placement import SPREAD_AFTER_MS, Placement
from synthkg.web.results import Answer, PatternJob, QueryJob, error, run_job

StoreOpener = Callable[[], ox.Store]
# What a query process turns its open store into, in the background (its in-memory copy).
StoreUpgrade = Callable[[ox.Store], ox.Store]
# What a query process does with a job: ``run_job``, unless a benchmark times the hop alone.
JobRunner = Callable[[ox.Store, QueryJob | PatternJob], Answer]

_FORK = multiprocessing.get_context("fork")


# After an answer larger than this, a runner hands the memory it freed back to the system.
LARGE_ANSWER = 1 << 20
# An answer up to this size crosses the pipe pickled whole, in one message.
SMALL_ANSWER = 1 << 16


def release_free_memory() -> None:
    """Return freed heap memory to the system (glibc keeps it otherwise; a no-op elsewhere).

    A runner that wrote a large answer would keep its peak size for the rest of its life,
    and every runner of every worker may have written one.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()


class QueryTimeout(Exception):
    """A query ran past its deadline; its process has been killed."""


class RunnerLost(Exception):
    """The query process died under a query that was not at fault: it was stopped for the
    sake of another query of the same process (or another query crashed it)."""


CRASHED = (
    "the query could not be evaluated: it crashed the query engine "
    "(too long or too deeply nested); simplify it"
)


class _Alarm:
    """One alarm for the whole process, which ends it once the latest deadline of the jobs
    in progress has passed: a safety net for a parent that died and can kill nobody.

    ``alarm()`` is per process, so with several lanes it is armed for the latest of their
    deadlines; the parent kills the process at the earliest one.
    """

    def __init__(self, grace: float) -> None:
        self._grace = grace
        self._lock = threading.Lock()
        self._ends: dict[int, float] = {}

    def start(self, lane: int, timeout: float) -> None:
        with self._lock:
            self._ends[lane] = time.monotonic() + timeout + self._grace
            self._arm()

    def done(self, lane: int) -> None:
        with self._lock:
            self._ends.pop(lane, None)
            self._arm()

    def _arm(self) -> None:
        if not self._ends:
            signal.alarm(0)
            return
        signal.alarm(max(1, math.ceil(max(self._ends.values()) - time.monotonic())))


class _Current:
    """The store the lanes answer from: the one opened, until its upgrade replaces it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.trim = False  # memory to hand back once the old store's last job has ended


def _upgrade_store(current: _Current, upgrade: StoreUpgrade) -> None:
    try:
        better = upgrade(current.store)
    except Exception as failure:  # the lanes keep answering from the store they have
        print(f"query process {os.getpid()}: store kept as opened: {failure}", flush=True)
        return
    current.store = better  # the next jobs use it; the old one goes with its last job
    current.trim = True


def _serve_jobs(
    opener: StoreOpener,
    conns: list[Connection],
    ready: Connection,
    grace: float,
    answer_job: JobRunner,
    upgrade: StoreUpgrade | None = None,
) -> None:
    """The query process: open the store once, say so on ``ready``, then answer on every
    lane (a thread each) until the parent closes the pipes; with ``upgrade``, replace the
    store by what it makes of it, in the background, while the lanes answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, not runners
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    # Drop every descriptor inherited from the web worker (its listening socket, the client
    # connections in flight, the pipes of the other runners): otherwise a runner outliving
    # its worker would hold clients' connections open and keep the port accepting.
    low = 3
    for keep in sorted(conn.fileno() for conn in [*conns, ready]):
        os.closerange(low, keep)
        low = keep + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))
    # The objects inherited from the web worker are never freed here: keep the collector
    # from walking them, which would write to (and so copy) every page that holds one.
    gc.freeze()
    current = _Current(opener())
    ready.send_bytes(b"")
    ready.close()
    if upgrade is not None:
        threading.Thread(target=_upgrade_store, args=(current, upgrade), daemon=True).start()
    alarm = _Alarm(grace)
    for lane, conn in enumerate(conns[1:], start=1):
        args = (current, conn, lane, alarm, answer_job)
        threading.Thread(target=_answer_jobs, args=args, daemon=True).start()
    _answer_jobs(current, conns[0], 0, alarm, answer_job)


def _answer_jobs(
    current: _Current, conn: Connection, lane: int, alarm: _Alarm, answer_job: JobRunner
) -> None:
    """One lane's loop. Each answer carries the thread's id, so the parent can place it."""
    thread = threading.get_native_id()
    while True:
        try:
            job, timeout = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        alarm.start(lane, timeout)
        try:
            answer = answer_job(current.store, job)
        except Exception as failure:  # anything else must still produce an answer
            answer = error(500, f"query failed: {type(failure).__name__}: {failure}")
        alarm.done(lane)
        if len(answer.body) <= SMALL_ANSWER:
            conn.send((True, answer, thread))  # one message: one write here, one read there
        else:
            # The body goes as raw bytes after a small header: pickled inside the answer it
            # would be copied once more on each side.
            conn.send((False, dataclasses.replace(answer, body=b""), thread))
            conn.send_bytes(answer.body)
        large = len(answer.body) > LARGE_ANSWER
        del answer
        if current.trim:  # the store was replaced: what the old one held can go back
            current.trim = False
            large = True
        if large:
            release_free_memory()


class QueryProcess:
    """A child process that opens the store once and answers on ``lanes`` pipes, each
    served by a thread of its own (one lane: the process's only thread). With ``upgrade``
    it replaces the store, once, by what ``upgrade`` makes of it (its in-memory copy),
    answering from the store as opened meanwhile."""

    def __init__(
        self,
        opener: StoreOpener,
        lanes: int = 1,
        grace: float = 5.0,
        answer_job: JobRunner = run_job,
        upgrade: StoreUpgrade | None = None,
    ) -> None:
        self.owner = os.getpid()
        pairs = [_FORK.Pipe() for _ in range(max(1, lanes))]
        self._ready, ready_end = _FORK.Pipe(duplex=False)
        self._process: BaseProcess = _FORK.Process(
            target=_serve_jobs,
            args=(opener, [child for _, child in pairs], ready_end, grace, answer_job, upgrade),
            daemon=True,
        )
        self._process.start()
        for _, child in pairs:
            child.close()
        ready_end.close()
        self.conns = [parent for parent, _ in pairs]
        self.stopped = False  # set before the parent kills it
        self._opened = False  # whether the child said it has opened its store
        self._closed = False
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The child's process id."""
        return self._process.pid

    @property
    def alive(self) -> bool:
        """Whether the child is still running (and belongs to this process)."""
        return self.owner == os.getpid() and not self.stopped and self._process.is_alive()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the child has opened its store (or died); False if it is still
        opening it after ``timeout`` seconds. Call it only while using one of its lanes
        (the pipes are closed once none is in use)."""
        if not self._opened:
            self._opened = self._ready.poll(timeout)
        return self._opened

    def kill(self) -> None:
        """Kill the child at once and reap it (every lane's query with it). The pipes stay
        open: another thread may still be reading its lane's."""
        if self.owner != os.getpid():
            return
        with self._lock:
            if not self.stopped:
                self.stopped = True
                self._process.kill()
                self._process.join(timeout=5)

    def close(self) -> None:
        """Kill the child and close every pipe: only once no thread uses a lane."""
        if self.owner != os.getpid():
            return
        self.kill()
        with self._lock:
            if not self._closed:
                self._closed = True
                for conn in [*self.conns, self._ready]:
                    conn.close()


class QueryRunner:
    """One lane to a query process: a job at a time, answered by one thread of the child.

    Made from an opener, it forks a query process of its own with this one lane.
    """

    def __init__(
        self,
        opener: StoreOpener | None = None,
        grace: float = 5.0,
        generation: int = 0,
        answer_job: JobRunner = run_job,
        *,
        process: QueryProcess | None = None,
        lane: int = 0,
    ) -> None:
        if process is None:
            assert opener is not None, "a runner needs an opener or a query process"
            process = QueryProcess(opener, 1, grace, answer_job)
        self.process = process
        self.owner = process.owner
        self.generation = generation  # runners of an older store are not reused
        self._conn = process.conns[lane]
        # One poll object for the runner's life (``Connection.poll`` builds a selector on
        # every call).
        self._answered = select.poll()
        self._answered.register(self._conn.fileno(), select.POLLIN)
        # Placed only once its thread has answered (its store is open by then, and the
        # answer names the thread): pinned while opening an on-disk store, a child forked
        # from a process with storage-engine threads of its own (a test process) hung in
        # the engine's thread set-up.
        self._placement: Placement | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id."""
        return self.process.pid

    @property
    def alive(self) -> bool:
        """Whether the child is still running (and belongs to this process)."""
        return self.process.alive

    def run(self, job: QueryJob | PatternJob, timeout: float) -> Answer:
        """Send a job and wait for its answer; on the deadline kill the child."""
        deadline = time.monotonic() + timeout
        placement = self._placement
        if placement is not None:
            placement.beside_caller()
        self._conn.send((job, timeout))
        answered = False
        if placement is not None and placement.placed:
            answered = bool(self._answered.poll(SPREAD_AFTER_MS))
            if not answered:
                placement.spread()
        if not answered and not self._wait(deadline):
            self.stop()
            raise QueryTimeout(f"query stopped after {timeout:g} s")
        try:
            whole, answer, thread = self._conn.recv()
            if not whole:
                answer = dataclasses.replace(answer, body=self._conn.recv_bytes())
        except (EOFError, OSError):
            # Stopped for another lane's query, or crashed: by which query is known only
            # when this lane is the process's only one.
            lost = self.process.stopped or len(self.process.conns) > 1
            self.stop()
            if lost:
                raise RunnerLost("the query process stopped under this query") from None
            # The engine died on this query (a stack overflow on a pathological one): the
            # query is at fault, not the server, which replaces the process and carries on.
            return error(400, CRASHED)
        if placement is None:
            self._placement = Placement(thread)
        return answer

    def _wait(self, deadline: float) -> bool:
        """Whether the answer (or the end of the pipe) arrived before the deadline."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            # poll() takes milliseconds; rounded up so that it never spins on a last fraction.
            if self._answered.poll(math.ceil(left * 1000)):
                return True

    def stop(self) -> None:
        """Kill the child at once and reap it. A lane shared with others leaves the pipes
        to its pool, which closes them once none is in use."""
        if len(self.process.conns) == 1:
            self.process.close()
        else:
            self.process.kill()


class RunnerPool:
    """Query runners of one web process: at most ``size`` public queries run at once.

    The pages' own queries (``trusted``) have ``extra`` slots of their own, so that a page
    never waits behind a visitor's long query; a runner started for one of them beyond
    ``size`` idle runners is stopped after it.
    """

    def __init__(
        self, opener: StoreOpener, size: int = 2, extra: int = 2, answer_job: JobRunner = run_job
    ) -> None:
        self._opener = opener
        self._answer_job = answer_job
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._trusted = threading.BoundedSemaphore(extra)
        self._lock = threading.Lock()
        self._idle: list[QueryRunner] = []
        self._generation = 0

    def run(self, job: QueryJob | PatternJob, timeout: float, *, trusted: bool = False) -> Answer:
        """Run a job on an idle runner (forking one when none is left)."""
        with self._trusted if trusted else self._slots:
            runner = self._take()
            try:
                answer = runner.run(job, timeout)
            except BaseException:
                runner.stop()
                raise
            with self._lock:
                keep = (
                    runner.alive
                    and runner.generation == self._generation
                    and len(self._idle) < self.size
                )
                if keep:
                    self._idle.append(runner)
            if not keep:
                runner.stop()  # dead, its store replaced while it ran, or one too many
            return answer

    def _take(self) -> QueryRunner:
        with self._lock:
            # Runners inherited from a parent process (before a fork) are not ours to use.
            self._idle = [runner for runner in self._idle if runner.owner == os.getpid()]
            while self._idle:
                runner = self._idle.pop()
                if runner.alive:
                    return runner
        return self._new_runner()

    def _new_runner(self) -> QueryRunner:
        return QueryRunner(self._opener, generation=self._generation, answer_job=self._answer_job)

    def warm(self, count: int = 1) -> None:
        """Start ``count`` runners now rather than on the first queries."""
        with self._lock:
            for _ in range(count):
                self._idle.append(self._new_runner())

    def renew(self) -> None:
        """The store was replaced: stop the idle runners; busy ones stop after their query."""
        with self._lock:
            self._generation += 1
            for runner in self._idle:
                runner.stop()
            self._idle.clear()

    def close(self) -> None:
        """Stop every idle runner."""
        with self._lock:
            for runner in self._idle:
                runner.stop()
            self._idle.clear()

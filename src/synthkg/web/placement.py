"""Which CPU a query process answers on: beside its caller first, anywhere after a while.

A web worker sends a query to its query process and then only waits for the answer. When
the process is woken on another CPU that was idle, the wake-up alone took about 100 µs on
the 2-core virtual machine of ``docs/benchmarks.md``: more than a point lookup's own
evaluation. Woken on the CPU its caller is about to leave idle, it starts at once (a pipe
round trip with 40 µs of work: 62 µs against 127 to 164 µs, medians of 2,000).

So a query process is placed on its caller's CPU while it answers, and given back every
CPU the server may use once the query has run for ``SPREAD_AFTER_MS``: a long query then
runs wherever the system finds room, in parallel with the others. Where the platform
cannot do this (no ``sched_setaffinity`` or ``sched_getcpu``), nothing is placed. The
query runner places a process only once it has answered (see ``executor.QueryRunner``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
from collections.abc import Callable

# A query still running after this long is let loose on every CPU.
SPREAD_AFTER_MS = 5


def _sched_getcpu() -> Callable[[], int] | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    try:
        function = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").sched_getcpu
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int
    function.argtypes = []
    return function


_GETCPU = _sched_getcpu()


class Placement:
    """Places one child process beside the thread that calls ``beside_caller``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        # The CPUs the server itself may use (a container or taskset may restrict them).
        self.cpus = os.sched_getaffinity(0) if _GETCPU is not None else set()
        self.cpu: int | None = None  # the CPU the child is placed on, if it is

    @property
    def placed(self) -> bool:
        """Whether the child may only run on one CPU now."""
        return self.cpu is not None

    def beside_caller(self) -> None:
        """Let the child run only on the CPU the calling thread runs on now."""
        if _GETCPU is None or len(self.cpus) < 2:
            return
        cpu = _GETCPU()
        if cpu != self.cpu and cpu in self.cpus:  # already there: no system call
            self.cpu = cpu if self._set({cpu}) else None

    def spread(self) -> None:
        """Let the child run on any of the server's CPUs again."""
        if self.placed:
            self._set(self.cpus)
            self.cpu = None

    def _set(self, cpus: set[int]) -> bool:
        # The child may have just died (its query crashed it): the caller finds out next.
        with contextlib.suppress(OSError):
            os.sched_setaffinity(self.pid, cpus)
            return True
        return False

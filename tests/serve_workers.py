"""How many workers a started ``synthkg serve`` should have, and how many it has."""

from __future__ import annotations

from collections.abc import Sequence

import psutil

from synthkg.web.capacity import default_workers


def expected_workers(args: Sequence[str]) -> int:
    """The number of workers ``synthkg serve`` starts with these arguments."""
    if "--workers" in args:
        return int(args[list(args).index("--workers") + 1])
    return default_workers()


def all_workers_up(master_pid: int, args: Sequence[str]) -> bool:
    """Whether the master has forked all its workers (the first may answer before the
    master has forked the others)."""
    try:
        return len(psutil.Process(master_pid).children()) >= expected_workers(args)
    except psutil.NoSuchProcess:
        return False

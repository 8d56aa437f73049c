"""Per-client query-time budgets: a client that spends too much gets 429 for a while.

Each client (its address, or a header named by ``SYNTHKG_CLIENT_HEADER`` when a proxy in
front of the server sets one) may spend ``SYNTHKG_CLIENT_BUDGET`` seconds of query time per
``SYNTHKG_CLIENT_WINDOW`` seconds. The spent time is a leaky bucket: it drains at
budget/window seconds per second. Before a query the bucket is checked; a full one answers
429 with ``Retry-After`` (the time until it drains below the budget). After the query its
elapsed time is added, a query stopped at the deadline counting in full. A budget of 0 turns
the check off.

Every worker process of a server must see the same spending, and the check sits on the path
of every query, so the buckets are a fixed table in one file under
``SYNTHKG_FAIRNESS_DIR``, mapped into memory by each process (``mmap``, shared) and updated
under ``flock``: a check or a charge costs two system calls, not a file opened, read and
rewritten. A slot holds a 16-byte hash of the client key and two numbers (nothing that names
the client). When the probed slots are all taken, a drained bucket is reused first, then the
one that has spent least.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import mmap
import os
import struct
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TABLE_FILE = "budgets.bin"
MAGIC = b"SKGBUDG1"
HEADER = struct.Struct("<8sQ")  # magic, number of slots
SLOT = struct.Struct("<16sdd")  # hash of the client key, seconds spent, when last updated
SLOTS = 8192
PROBES = 32  # slots looked at for one client before one is reused
_EMPTY = bytes(16)


class OverBudget(Exception):
    """The client spent its query-time budget; ``retry_after`` seconds until it may ask."""

    def __init__(self, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _Table:
    """This process's mapping of the shared table (reopened after a fork: ``flock`` locks
    belong to an open file, which a forked child would otherwise share with its parent)."""

    def __init__(self, path: Path, slots: int) -> None:
        self.pid = os.getpid()
        self.slots = slots
        size = HEADER.size + slots * SLOT.size
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                stat = os.fstat(self.fd)
                fresh = stat.st_size != size or os.pread(self.fd, HEADER.size, 0) != HEADER.pack(
                    MAGIC, slots
                )
                if fresh:  # new, or not a table of this layout: start from empty buckets
                    os.ftruncate(self.fd, 0)
                    os.ftruncate(self.fd, size)
                    os.pwrite(self.fd, HEADER.pack(MAGIC, slots), 0)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            self.map = mmap.mmap(self.fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        except BaseException:
            os.close(self.fd)
            raise

    def update(self, key: bytes, add: float, rate: float) -> float:
        """Drain the bucket of ``key`` to now, add ``add`` seconds and return the total."""
        now = time.time()
        start = int.from_bytes(key[:8], "little") % self.slots
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            spare, spare_spent = -1, math.inf
            for step in range(min(PROBES, self.slots)):
                index = (start + step) % self.slots
                offset = HEADER.size + index * SLOT.size
                owner, spent, since = SLOT.unpack_from(self.map, offset)
                drained = max(0.0, spent - max(0.0, now - since) * rate)
                if owner == key:
                    total = drained + add
                    if add:
                        SLOT.pack_into(self.map, offset, key, total, now)
                    return total
                if owner == _EMPTY:
                    drained = -1.0  # an empty slot is the best one to take
                if drained < spare_spent:
                    spare, spare_spent = offset, drained
                if owner == _EMPTY:
                    break  # the key was never stored past an empty slot
            if add and spare >= 0:
                SLOT.pack_into(self.map, spare, key, add, now)
            return add
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Budget:
    """``seconds`` of query time per ``window`` seconds for each client, kept in ``folder``."""

    seconds: float
    window: float
    folder: Path
    slots: int = SLOTS
    _tables: dict[int, _Table] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def enabled(self) -> bool:
        return self.seconds > 0 and self.window > 0

    @property
    def rate(self) -> float:
        """How fast a bucket drains, in seconds of query time per second."""
        return self.seconds / self.window

    def _table(self) -> _Table:
        pid = os.getpid()
        table = self._tables.get(pid)
        if table is None:
            with self._lock:
                table = self._tables.get(pid)
                if table is None:
                    table = _Table(self.folder / TABLE_FILE, self.slots)
                    self._tables.clear()  # a parent's mapping is not ours to lock with
                    self._tables[pid] = table
        return table

    def _update(self, client: str, add: float) -> float:
        key = hashlib.blake2b(client.encode(), digest_size=16).digest()
        if key == _EMPTY:  # keeps the empty marker unambiguous
            key = b"\x01" + key[1:]
        return self._table().update(key, add, self.rate)

    def spent(self, client: str) -> float:
        """Seconds of query time the client has in its bucket now."""
        return self._update(client, 0.0) if self.enabled else 0.0

    def check(self, client: str) -> None:
        """Raise ``OverBudget`` when the client has no query time left."""
        if not self.enabled:
            return
        spent = self._update(client, 0.0)
        if spent >= self.seconds:
            wait = max(1, math.ceil((spent - self.seconds) / self.rate) + 1)
            raise OverBudget(
                wait,
                f"query-time budget spent: {spent:.1f} s of query time in the last "
                f"{self.window:g} s (the limit is {self.seconds:g} s); retry in {wait} s",
            )

    def charge(self, client: str, seconds: float) -> None:
        """Add the query time a client just used."""
        if self.enabled and seconds > 0:
            self._update(client, seconds)


def default_folder() -> Path:
    """A folder for the buckets shared by the processes of one user on this machine."""
    return Path(tempfile.gettempdir()) / f"synthkg-fairness-{os.getuid()}"

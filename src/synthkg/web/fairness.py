"""Per-client query-time budgets: a client that spends too much gets 429 for a while.

Each client (its address, or a header named by ``SYNTHKG_CLIENT_HEADER`` when a proxy in
front of the server sets one) may spend ``SYNTHKG_CLIENT_BUDGET`` seconds of query time per
``SYNTHKG_CLIENT_WINDOW`` seconds. The spent time is a leaky bucket: it drains at
budget/window seconds per second. Before a query the bucket is checked; a full one answers
429 with ``Retry-After`` (the time until it drains below the budget). After the query its
elapsed time is added, a query stopped at the deadline counting in full. A budget of 0 turns
the check off.

The buckets live in small files under ``SYNTHKG_FAIRNESS_DIR`` (one per client, named by a
hash of its key, locked with ``flock`` while read and rewritten), so that every worker
process of a server sees the same spending; the files hold only a hash and two numbers.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class OverBudget(Exception):
    """The client spent its query-time budget; ``retry_after`` seconds until it may ask."""

    def __init__(self, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Budget:
    """``seconds`` of query time per ``window`` seconds for each client, kept in ``folder``."""

    seconds: float
    window: float
    folder: Path

    @property
    def enabled(self) -> bool:
        return self.seconds > 0 and self.window > 0

    @property
    def rate(self) -> float:
        """How fast a bucket drains, in seconds of query time per second."""
        return self.seconds / self.window

    def _file(self, client: str) -> Path:
        return self.folder / hashlib.sha256(client.encode()).hexdigest()[:32]

    def _update(self, client: str, add: float) -> float:
        """Drain the client's bucket to now, add ``add`` seconds, store and return it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        now = time.time()
        fd = os.open(self._file(client), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, 64, 0).decode("ascii", "replace").split()
            try:
                spent, since = float(raw[0]), float(raw[1])
            except (IndexError, ValueError):  # a new client (or an unreadable file)
                spent, since = 0.0, now
            spent = max(0.0, spent - max(0.0, now - since) * self.rate) + add
            if add or raw:
                record = f"{spent:.6f} {now:.6f}".ljust(64).encode()
                os.pwrite(fd, record, 0)
            return spent
        finally:
            os.close(fd)

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

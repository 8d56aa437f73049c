"""The per-process memory table names a server's master, workers and query processes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bench.generate import generate
from bench.processes import PeaksByPhase, process_table
from bench.servers import start

from synthkg.web.capacity import QUERY_PROCESSES, default_workers


@pytest.mark.slow
def test_the_table_shows_each_process_of_synthkg(tmp_path: Path) -> None:
    home = tmp_path / "graph"
    generate(3_000, 1, home)
    server = start("synthkg", home, tmp_path / "work", limit=120)
    try:
        # The default workers, each with its query processes started before its page
        # warm-up. The first worker may answer before the master has forked the others.
        workers = default_workers()
        deadline = time.monotonic() + 30
        while True:
            rows = process_table(server.process.pid)
            roles = [role for _, role, _, _ in rows]
            if (
                roles.count("worker") == workers
                and roles.count("query process") >= QUERY_PROCESSES * workers
            ):
                break
            assert time.monotonic() < deadline, roles
            time.sleep(0.2)
        assert roles.count("server") == 1
        peaks = PeaksByPhase(server.process.pid, every=0.05)
        peaks.phase = "a pass"
        time.sleep(0.5)
        peaks.stop()
        highest = peaks.highest["a pass"]
        assert [pid for pid, *_ in highest] == [pid for pid, *_ in rows]
        assert sum(pss for _, _, pss, _ in highest) > 0
        assert rows[0][0] == server.process.pid
        assert all(0 < pss <= rss for _, _, pss, rss in rows)
    finally:
        server.stop()

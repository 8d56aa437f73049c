"""Where a server's memory is: the PSS of each process of its tree, after start-up and
after one pass of the mix, and what ran when the sum was highest.

    python -m bench.processes --size 1e6 --kind synthkg --settle 20

The benchmark itself (``bench.run``) records only the peak of the sum; this prints the
parts, so that a change to how the processes share the store can be judged per process.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
import time

import psutil

from bench.client import send_query
from bench.generate import generate
from bench.mix import query_mix
from bench.run import OUT, size_name
from bench.servers import KINDS, start
from synthkg.backends.http import EndpointTimeout, EndpointUnavailable, HttpEndpoint


def process_table(root: int) -> list[tuple[int, str, int, int]]:
    """(pid, role, PSS MiB, RSS MiB) for a process and its descendants."""
    rows = []
    top = psutil.Process(root)
    for proc in [top, *top.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            info = proc.memory_full_info()
            depth = 0 if proc.pid == root else len(proc.parents()) - len(top.parents())
            role = {0: "server", 1: "worker"}.get(depth, "query process")
            rows.append((proc.pid, role, info.pss >> 20, info.rss >> 20))
    return rows


class PeaksByPhase:
    """Samples the tree's PSS in the background; keeps, per phase (what the client is
    doing), the highest sum and each process's share of it."""

    def __init__(self, root: int, every: float = 0.2) -> None:
        self.root, self.every, self.phase = root, every, "start-up"
        self.highest: dict[str, list[tuple[int, str, int, int]]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.NoSuchProcess):
                rows, phase = process_table(self.root), self.phase
                if sum(r[2] for r in rows) > sum(r[2] for r in self.highest.get(phase, [])):
                    self.highest[phase] = rows
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def show(self, count: int = 5) -> None:
        print("-- highest sums (MiB PSS), by what the client was doing")
        ranked = sorted(self.highest.items(), key=lambda item: -sum(r[2] for r in item[1]))
        for phase, rows in ranked[:count]:
            parts = " + ".join(f"{role} {pss}" for _, role, pss, _ in rows)
            print(f"{sum(r[2] for r in rows):>8} {phase}: {parts}")


def show(label: str, root: int) -> None:
    rows = process_table(root)
    print(f"-- {label}")
    for pid, role, pss, rss in rows:
        print(f"{pid:>8} {role:<14} PSS {pss:>6} MiB  RSS {rss:>6} MiB")
    print(f"{'':>8} {'total':<14} PSS {sum(r[2] for r in rows):>6} MiB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Per-process memory of one server kind.")
    parser.add_argument("--size", default="1e6")
    parser.add_argument("--kind", default="synthkg", choices=KINDS)
    parser.add_argument("--settle", type=float, default=20.0, help="seconds after start-up")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    name = size_name(int(float(args.size)))
    home = OUT / "data" / name
    generate(int(float(args.size)), args.seed, home)
    server = start(args.kind, home, OUT / "work" / name, query_timeout=f"{args.timeout:g}")
    peaks = PeaksByPhase(server.process.pid)
    try:
        time.sleep(args.settle)  # the workers' page warm-up runs in the background
        show(f"{args.kind} at {name}, {args.settle:g} s after start-up", server.process.pid)
        for query in query_mix():
            peaks.phase = query.name
            # A connection per query, as from many clients: the queries spread over the
            # workers and their query processes.
            endpoint = HttpEndpoint(server.url)
            with contextlib.suppress(EndpointTimeout, EndpointUnavailable):
                send_query(endpoint, query, args.timeout)
            endpoint.close()
        show("after one pass of the mix", server.process.pid)
    finally:
        peaks.stop()
        peak = server.stop()
    peaks.show()
    print(f"peak of the sum while it ran: {peak >> 20} MiB")


if __name__ == "__main__":
    main()

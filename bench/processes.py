"""Where a server's memory is: the PSS of each process of its tree, after start-up and
after one pass of the mix.

    python -m bench.processes --size 1e6 --kind synthkg --settle 20

The benchmark itself (``bench.run``) records only the peak of the sum; this prints the
parts, so that a change to how the processes share the store can be judged per process.
"""

from __future__ import annotations

import argparse
import contextlib
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
    try:
        time.sleep(args.settle)  # the workers' page warm-up runs in the background
        show(f"{args.kind} at {name}, {args.settle:g} s after start-up", server.process.pid)
        for query in query_mix():
            # A connection per query, as from many clients: the queries spread over the
            # workers and their query processes.
            endpoint = HttpEndpoint(server.url)
            with contextlib.suppress(EndpointTimeout, EndpointUnavailable):
                send_query(endpoint, query, args.timeout)
            endpoint.close()
        show("after one pass of the mix", server.process.pid)
    finally:
        peak = server.stop()
    print(f"peak of the sum while it ran: {peak >> 20} MiB")


if __name__ == "__main__":
    main()

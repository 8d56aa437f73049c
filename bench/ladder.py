"""The fixed cost of a point lookup, rung by rung: what each layer of SynthKG's path adds.

    python -m bench.ladder --size 1e5 --starts 2 --requests 3000

One point lookup of the mix, sent by the benchmark's client one request at a time on a
kept-alive connection, to five servers started in turn on the same generated graph:

* ``http``: gunicorn with SynthKG's worker class and thread count, answering the lookup's
  answer as fixed bytes (``bench.ladder_app``);
* ``hop``: the same, the bytes fetched from a query process that answers every job with
  them: the round trip to a query process;
* ``lookup``: the query process evaluates the lookup on SynthKG's store;
* ``synthkg``: ``synthkg serve`` itself (the protocol's checks, negotiation, cache headers,
  CORS and its access log on top of ``lookup``);
* ``oxigraph``: ``oxigraph serve-read-only``.

Per rung: the median time per request at the client, and the CPU time (user and system,
from psutil) per request of the client, of the web worker and of the query processes.
Every rung but ``oxigraph`` is checked to send the very bytes ``synthkg serve`` sends.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pyoxigraph as ox

from bench.client import Query, ask
from bench.generate import generate
from bench.ladder_app import lookup_job
from bench.loopback import free_port
from bench.mix import query_mix
from bench.run import OUT, size_name
from bench.servers import BIN, PROJECT, Running, cpu_seconds, launch, start, wait_until_idle
from synthkg.backends.http import HttpEndpoint
from synthkg.web import capacity
from synthkg.web.results import run_job

RUNGS = ("http", "hop", "lookup", "synthkg", "oxigraph")
WARM_REQUESTS = 300


@dataclass(frozen=True)
class Step:
    """One rung's figures, in microseconds per request."""

    rung: str
    wall: float
    client: float
    worker: float
    query_processes: float
    server: float  # every process of the server's tree


def _roles(root: int) -> dict[str, list[psutil.Process]]:
    """The server's processes by role: the master, its workers, their query processes."""
    top = psutil.Process(root)
    roles: dict[str, list[psutil.Process]] = {"master": [top], "worker": [], "query": []}
    for child in top.children():
        roles["worker"].append(child)
        roles["query"].extend(child.children(recursive=True))
    return roles


def _ask(endpoint: HttpEndpoint, query: Query) -> bytes:
    reply = ask(endpoint, query, 10.0)
    if reply.status != 200:
        raise RuntimeError(f"{query.name} answered {reply.status}: {reply.body[:200]!r}")
    return reply.body


def measure(rung: str, url: str, root: int, query: Query, requests: int) -> tuple[Step, bytes]:
    """Time ``requests`` lookups one after the other; the figures and the last answer."""
    endpoint = HttpEndpoint(url)
    try:
        for _ in range(WARM_REQUESTS):  # the query processes are started by now
            body = _ask(endpoint, query)
        roles, client = _roles(root), psutil.Process()
        before = {role: cpu_seconds(group) for role, group in roles.items()}
        before_client = cpu_seconds([client])
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            body = _ask(endpoint, query)
            times.append(time.perf_counter() - began)
        per = 1e6 / requests
        used = {role: (cpu_seconds(group) - before[role]) * per for role, group in roles.items()}
        step = Step(
            rung,
            statistics.median(times) * 1e6,
            (cpu_seconds([client]) - before_client) * per,
            used["worker"],
            used["query"],
            sum(used.values()),
        )
        return step, body
    finally:
        endpoint.close()


def start_rung(rung: str, store: Path, query: Query, body: bytes, log: Path) -> Running:
    """gunicorn serving one rung of ``bench.ladder_app``, as ``synthkg serve`` runs it."""
    port = free_port()
    options = capacity.gunicorn_options(60.0, workers=1)
    args = [str(BIN / "gunicorn"), "--worker-class", options["worker_class"]]
    args += ["--threads", str(options["threads"]), "--workers", "1"]
    args += ["--bind", f"127.0.0.1:{port}", "bench.ladder_app:app"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PROJECT), os.environ.get("PYTHONPATH", "")]),
        "LADDER_RUNG": rung,
        "LADDER_STORE": str(store),
        "LADDER_QUERY": query.text,
        "LADDER_BODY": body.hex(),
    }
    return launch(rung, args, f"http://127.0.0.1:{port}/sparql", log, env, limit=60.0)


def climb(home: Path, work: Path, query: Query, requests: int) -> list[Step]:
    """One start of every rung, in order; SynthKG's store is built by its own start."""
    steps: list[Step] = []
    server = start("synthkg", home, work, query_timeout="60")
    store = work / "store-synthkg" / "oxigraph"
    try:
        server.settle()
        step, served = measure("synthkg", server.url, server.process.pid, query, requests)
    finally:
        server.stop()
    expected = run_job(ox.Store.read_only(str(store)), lookup_job(query.text)).body
    if served != expected:
        raise RuntimeError("synthkg serve's answer differs from the query process's own")
    steps.append(step)
    for rung in ("http", "hop", "lookup"):
        server = start_rung(rung, store, query, expected, work / f"ladder-{rung}.log")
        try:
            wait_until_idle((server.process.pid,), 30.0)
            step, body = measure(rung, server.url, server.process.pid, query, requests)
        finally:
            server.stop()
        if body != expected:
            raise RuntimeError(f"rung {rung} answered other bytes than synthkg serve")
        steps.append(step)
    server = start("oxigraph", home, work, query_timeout="60")
    try:
        server.settle()
        steps.append(measure("oxigraph", server.url, server.process.pid, query, requests)[0])
    finally:
        server.stop()
    order = {rung: index for index, rung in enumerate(RUNGS)}
    return sorted(steps, key=lambda step: order[step.rung])


def table(rounds: list[list[Step]]) -> str:
    """The figures as a Markdown table, a row per rung and start."""
    lines = [
        "| rung | start | p50 at the client (µs) | client CPU | worker CPU | query process CPU "
        "| server CPU (whole tree) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rung in RUNGS:
        for number, steps in enumerate(rounds, 1):
            for s in steps:
                if s.rung == rung:
                    lines.append(
                        f"| {rung} | {number} | {s.wall:.0f} | {s.client:.0f} | {s.worker:.0f} "
                        f"| {s.query_processes:.0f} | {s.server:.0f} |"
                    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The fixed cost of a point lookup, by layer.")
    parser.add_argument("--size", default="1e5")
    parser.add_argument("--query", default="point-paper-by-arxiv-id")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--starts", type=int, default=2, help="times each rung is started")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    triples = int(float(args.size))
    name = size_name(triples)
    home = OUT / "data" / name
    generate(triples, args.seed, home)
    query = next(q for q in query_mix() if q.name == args.query)
    work = OUT / "work" / f"{name}-ladder"
    work.mkdir(parents=True, exist_ok=True)
    rounds = []
    for number in range(1, args.starts + 1):
        rounds.append(climb(home, work, query, args.requests))
        print(f"start {number} of {args.starts} done", flush=True)
    print(f"{args.query} at {name}, {args.requests} requests per rung and start (µs per request)")
    print(table(rounds))


if __name__ == "__main__":
    main()

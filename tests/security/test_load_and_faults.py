"""Load and faults on loopback, bounded in clients and time: steady load without a 5xx,
overload answered by quick refusals and followed by recovery, a worker killed mid-load and
replaced, per-client budgets, and a graceful stop that lets requests in flight finish."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from security_support import Server, load, start

MIX = [
    "ASK { ?s ?p ?o }",
    "PREFIX skg: <https://w3id.org/synthkg/ontology/> "
    "SELECT ?c (COUNT(?p) AS ?n) WHERE { ?p skg:usesMethod ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX fabio: <http://purl.org/spar/fabio/> "
    "SELECT ?p ?t ?y WHERE { ?p dcterms:title ?t ; fabio:hasPublicationYear ?y } "
    "ORDER BY DESC(?y) LIMIT 20",
    "DESCRIBE <https://w3id.org/synthkg/paper/arxiv-2505.03335>",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
]
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLOW_BUT_FINITE = "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b }"


def report(name: str, figures: dict[str, object]) -> None:
    """Print the measured figures (docs/reliability.md quotes them)."""
    print(f"\n[{name}] " + ", ".join(f"{key}={value}" for key, value in figures.items()))


def start_fresh(store: Path, log: Path, workers: int) -> Server:
    """A server of its own (2 s limit, 1 s queue wait) for a test that hurts it."""
    return start(
        store,
        log,
        "--workers",
        str(workers),
        "--timeout",
        "2",
        env={"SYNTHKG_CLIENT_BUDGET": "0", "SYNTHKG_QUEUE_WAIT": "1"},
    )


@pytest.fixture
def fresh(security_store: Path, served: Server, tmp_path: Path) -> Iterator[Server]:
    """A server of its own with 2 workers."""
    server = start_fresh(security_store, tmp_path / "serve.log", 2)
    yield server
    server.stop()


@pytest.fixture
def lone(security_store: Path, served: Server, tmp_path: Path) -> Iterator[Server]:
    """A server of its own with a single worker (the default on two CPUs)."""
    server = start_fresh(security_store, tmp_path / "serve.log", 1)
    yield server
    server.stop()


@pytest.mark.slow
def test_twenty_clients_for_sixty_seconds(served: Server) -> None:
    result = load(served.port, MIX, clients=20, seconds=60)
    report(
        "20 clients, 60 s",
        {
            "requests": result.requests,
            "per_second": round(result.requests / 60),
            "p50_ms": round(result.percentile(0.5) * 1000, 1),
            "p99_ms": round(result.percentile(0.99) * 1000, 1),
            "statuses": dict(result.statuses),
            "errors": len(result.errors),
        },
    )
    assert result.errors == []
    assert set(result.statuses) == {200}
    assert result.requests > 1000


@pytest.mark.slow
def test_overload_is_refused_quickly_then_recovers(fresh: Server) -> None:
    result = load(fresh.port, [CARTESIAN], clients=100, seconds=8)
    report(
        "100 clients, runaway queries, 8 s",
        {
            "requests": result.requests,
            "statuses": dict(result.statuses),
            "p50_s": round(result.percentile(0.5), 2),
            "p99_s": round(result.percentile(0.99), 2),
            "max_s": round(max(result.latencies), 2),
            "errors": len(result.errors),
        },
    )
    assert result.errors == []
    assert set(result.statuses) <= {503, 429}
    assert result.percentile(0.5) < 3.0  # most refusals come within the queue wait
    assert max(result.latencies) < 10  # nobody waits in an ever-growing queue
    started = time.monotonic()
    assert requests.get(fresh.endpoint, params={"query": MIX[1]}, timeout=10).status_code == 200
    assert time.monotonic() - started < 1.0


def kill_a_worker_under_load(server: Server, name: str) -> None:
    """Kill one of the server's workers while 10 clients send queries; it must be replaced
    and only the requests it held may fail."""
    victims = server.workers()
    outcome = {}

    def run() -> None:
        outcome["result"] = load(server.port, MIX, clients=10, seconds=6)

    loader = threading.Thread(target=run)
    loader.start()
    time.sleep(2)
    os.kill(victims[0], signal.SIGKILL)
    killed_at = time.monotonic()
    replaced_in = None
    while time.monotonic() - killed_at < 10:
        now = server.workers()
        if len(now) == len(victims) and victims[0] not in now:
            replaced_in = time.monotonic() - killed_at
            break
        time.sleep(0.05)
    loader.join()
    result = outcome["result"]
    report(
        name,
        {
            "replaced_in_s": None if replaced_in is None else round(replaced_in, 2),
            "requests": result.requests,
            "statuses": dict(result.statuses),
            "connection_errors": len(result.errors),
        },
    )
    assert replaced_in is not None and replaced_in < 5
    assert set(result.statuses) == {200}
    assert len(result.errors) <= 10  # only requests the dead worker held (one per client)
    assert requests.get(server.endpoint, params={"query": MIX[0]}, timeout=5).status_code == 200


@pytest.mark.slow
def test_a_killed_worker_is_replaced_under_load(fresh: Server) -> None:
    assert len(fresh.workers()) == 2
    kill_a_worker_under_load(fresh, "worker killed mid-load")


@pytest.mark.slow
def test_a_killed_lone_worker_is_replaced_and_the_waiting_requests_answered(lone: Server) -> None:
    # Without a second worker, the requests sent while it is replaced wait in the listen
    # backlog and are answered by the new worker.
    assert len(lone.workers()) == 1
    kill_a_worker_under_load(lone, "lone worker killed mid-load")


@pytest.mark.slow
def test_client_over_budget_gets_429(security_store: Path, served: Server, tmp_path: Path) -> None:
    env = {
        "SYNTHKG_CLIENT_BUDGET": "3",
        "SYNTHKG_CLIENT_WINDOW": "600",
        "SYNTHKG_CLIENT_HEADER": "X-Client",
        "SYNTHKG_FAIRNESS_DIR": str(tmp_path / "budgets"),
    }
    server = start(security_store, tmp_path / "serve.log", "--timeout", "1", env=env)
    try:
        greedy = {"X-Client": "greedy"}
        first = [
            requests.get(server.endpoint, params={"query": CARTESIAN}, headers=greedy, timeout=10)
            for _ in range(4)
        ]
        assert [a.status_code for a in first[:3]] == [503, 503, 503]  # 1 s each, 3 s budget
        refused = first[3]
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 1
        assert "budget" in refused.text
        # Every worker shares the budget; another client is served as before.
        again = requests.get(server.endpoint, params={"query": "ASK{}"}, headers=greedy)
        assert again.status_code == 429
        other = requests.get(
            server.endpoint, params={"query": "ASK{}"}, headers={"X-Client": "modest"}
        )
        assert other.status_code == 200
    finally:
        server.stop()


@pytest.mark.slow
def test_sigterm_lets_requests_in_flight_finish(
    security_store: Path, served: Server, tmp_path: Path
) -> None:
    server = start(security_store, tmp_path / "serve.log", "--timeout", "10")
    outcome = {}

    def ask() -> None:
        started = time.monotonic()
        answer = requests.get(server.endpoint, params={"query": SLOW_BUT_FINITE}, timeout=30)
        outcome["answer"], outcome["seconds"] = answer, time.monotonic() - started

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.3)
    server.process.send_signal(signal.SIGTERM)
    asking.join()
    code = server.process.wait(timeout=30)
    answer = outcome["answer"]
    report("SIGTERM", {"query_s": round(outcome["seconds"], 2), "exit": code})
    assert answer.status_code == 200
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 0
    assert outcome["seconds"] > 0.3  # it was in flight when the signal came
    assert code == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(server.endpoint, params={"query": "ASK{}"}, timeout=5)

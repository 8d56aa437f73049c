"""``synthkg serve --in-memory`` as deployed: one query process per worker holds the only
in-memory copy of the store and answers on several threads; a query past its deadline is
stopped without stopping the server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests
from web_protocol_support import LiveServer, start_server

from synthkg.examples import load_examples

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def memory_server(
    project_store_dir: Path, tmp_path_factory: pytest.TempPathFactory, live_server: LiveServer
) -> Iterator[LiveServer]:
    """``--in-memory``, one worker, a 1 s query limit (after ``live_server`` built the store)."""
    log = tmp_path_factory.mktemp("serve-memory") / "serve.log"
    server = start_server(project_store_dir, log, "--in-memory", "--workers", "1", "--timeout", "1")
    yield server
    server.stop()


def select(server: LiveServer, query: str, timeout: float = 30) -> requests.Response:
    return requests.get(
        server.endpoint,
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=timeout,
    )


def rows(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(repr(sorted(row.items())) for row in response.json()["results"]["bindings"])


def query_processes(server: LiveServer) -> list[psutil.Process]:
    (worker,) = psutil.Process(server.process.pid).children()
    return worker.children()


def the_query_process(server: LiveServer) -> psutil.Process:
    """The worker's one query process."""
    (process,) = query_processes(server)
    return process


def test_in_memory_answers_as_the_disk_store_does(
    memory_server: LiveServer, live_server: LiveServer
) -> None:
    compared = 0
    for example in load_examples():
        # GROUP_CONCAT joins its values, and LIMIT cuts ties, in the order the engine met them.
        text = example.query.upper()
        if example.form != "SELECT" or "GROUP_CONCAT" in text or "LIMIT" in text:
            continue
        compared += 1
        assert rows(select(memory_server, example.query)) == rows(
            select(live_server, example.query)
        ), example.name
    assert compared >= 5


def test_one_query_process_holds_the_store_and_answers_on_threads(
    memory_server: LiveServer,
) -> None:
    # Two queries at once, the pages' own queries besides: still one query process.
    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(select(memory_server, COUNT).status_code))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [200] * 4
    assert the_query_process(memory_server).num_threads() >= 2


def test_a_stopped_query_leaves_the_other_lanes_answering(memory_server: LiveServer) -> None:
    before = the_query_process(memory_server)
    outcome: dict[str, requests.Response] = {}

    def heavy() -> None:
        outcome["heavy"] = select(memory_server, HEAVY)

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.2)
    # Another thread of the same process answers while the heavy query runs.
    quick = select(memory_server, "ASK { ?s ?p ?o }")
    assert thread.is_alive() and quick.json()["boolean"] is True
    thread.join(30)
    assert outcome["heavy"].status_code == 503
    assert outcome["heavy"].headers.get("Retry-After")
    # The process was killed to stop it; a new one answers (from the on-disk store until
    # its copy in memory is made).
    assert rows(select(memory_server, COUNT)) != []
    assert the_query_process(memory_server).pid != before.pid

"""Curator writes against a real server: off by default, behind bearer tokens, validated
before they commit, recorded, visible to readers at once, and never offered to other
origins."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests
from curator_support import PAPER, TITLE, make_home, retitle
from security_support import Server, start

TOKENS = "token-alice=alice,token-bob=bob"
DATA_GRAPH = "https://w3id.org/synthkg/graph/data"


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    home = make_home(tmp_path_factory.mktemp("curator") / "home")
    env = {
        "SYNTHKG_HOME": str(home),
        "SYNTHKG_WRITE_TOKENS": TOKENS,
        "SYNTHKG_CLIENT_BUDGET": "0",
    }
    server = start(home / "build" / "store", home / "serve.log", "--workers", "2", env=env)
    yield server, home
    server.stop()


def title(server: Server) -> str:
    query = f"SELECT ?t WHERE {{ <{PAPER}> <{TITLE}> ?t }}"
    rows = requests.get(server.endpoint, params={"query": query}, timeout=10).json()
    return rows["results"]["bindings"][0]["t"]["value"]


def update(server: Server, text: str, token: str | None = "token-alice") -> requests.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(server.url + "/sparql/update", data=text.encode(), headers=headers)


def test_writes_are_off_without_tokens(served: Server) -> None:
    answer = requests.post(
        served.url + "/sparql/update",
        data=retitle(1).encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer x"},
        timeout=10,
    )
    assert answer.status_code == 404
    assert "disabled" in answer.text


def test_tokens_are_required(curated: tuple[Server, Path]) -> None:
    server, home = curated
    files = {p.name: p.read_bytes() for p in (home / "data").glob("*.ttl")}
    assert update(server, retitle(1), token=None).status_code == 401
    assert update(server, retitle(1), token=None).headers["WWW-Authenticate"].startswith("Bearer")
    assert update(server, retitle(1), token="token-mallory").status_code == 403
    put = requests.put(
        server.url + "/rdf-graphs/service",
        params={"graph": DATA_GRAPH},
        data=b"",
        headers={"Content-Type": "text/turtle", "Authorization": "Bearer wrong"},
        timeout=10,
    )
    assert put.status_code == 403
    assert {p.name: p.read_bytes() for p in (home / "data").glob("*.ttl")} == files


def test_a_valid_write_commits_is_recorded_and_seen(curated: tuple[Server, Path]) -> None:
    server, home = curated
    answer = update(server, retitle(7), token="token-bob")
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert set(result["files"]) == {"papers.ttl", "provenance.ttl"}
    assert result["added"] == result["removed"] >= 2
    # Every worker serves the new data at once (several requests land on both workers).
    assert {title(server) for _ in range(8)} == {"Title 7"}
    assert '"Title 7"' in (home / "data" / "papers.ttl").read_text(encoding="utf-8")
    log = home / "build" / "curator" / "writes.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["curator"] == "bob"
    assert records[-1]["id"] == result["id"]
    assert records[-1]["time"].startswith("20")


def test_an_invalid_write_is_refused_with_the_report(curated: tuple[Server, Path]) -> None:
    server, home = curated
    before = {p.name: p.read_bytes() for p in (home / "data").glob("*.ttl")}
    shown = title(server)
    answer = update(server, f"DELETE WHERE {{ <{PAPER}> <{TITLE}> ?t }}")
    assert answer.status_code == 422
    assert "dcterms:title" in answer.text and "Violation" in answer.text
    assert {p.name: p.read_bytes() for p in (home / "data").glob("*.ttl")} == before
    assert title(server) == shown


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("LOAD <file:///etc/passwd>", 403),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403),
        ("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }", 400),
        ("SELECT * WHERE { ?s ?p ?o }", 400),
        ("INSERT DATA { <urn:x:s> <urn:x:p> ", 400),
    ],
)
def test_updates_that_reach_out_or_do_not_parse(
    curated: tuple[Server, Path], text: str, status: int
) -> None:
    server, _ = curated
    answer = update(server, text)
    assert answer.status_code == status, answer.text
    assert "Traceback" not in answer.text


def test_graph_store_protocol(curated: tuple[Server, Path]) -> None:
    server, home = curated
    auth = {"Authorization": "Bearer token-alice", "Content-Type": "text/turtle"}
    url = server.url + "/rdf-graphs/service"
    graph = {"graph": DATA_GRAPH}
    data = home / "data"
    whole = b"\n".join(
        (data / n).read_bytes() for n in ("papers.ttl", "venues.ttl", "provenance.ttl")
    )
    # POST adds to the graph.
    short = f'<{PAPER}> <https://w3id.org/synthkg/ontology/shortName> "FGSM" .'.encode()
    added = requests.post(url, params=graph, data=short, headers=auth, timeout=30)
    assert added.status_code == 200, added.text
    assert added.json()["added"] == 1
    assert '"FGSM"' in (data / "papers.ttl").read_text(encoding="utf-8")
    # PUT replaces it: the curated graph becomes exactly what was sent.
    changed = whole.replace(b'"Title 7"', b'"Put title"', 1)
    assert changed != whole
    put = requests.put(url, params=graph, data=changed, headers=auth, timeout=30)
    assert put.status_code == 200, put.text
    assert title(server) == "Put title"
    assert '"FGSM"' not in (data / "papers.ttl").read_text(encoding="utf-8")
    # Refused: a broken document, other graphs, the default graph, formats that fetch or expand.
    before = {p.name: p.read_bytes() for p in data.glob("*.ttl")}
    bad = requests.put(url, params=graph, data=b"<a> <b> ", headers=auth, timeout=10)
    assert bad.status_code == 400
    onto = {"graph": "https://w3id.org/synthkg/graph/ontology"}
    assert requests.put(url, params=onto, data=short, headers=auth, timeout=10).status_code == 404
    default = requests.put(url, params={"default": ""}, data=short, headers=auth, timeout=10)
    assert default.status_code == 400
    for media_type in ("application/rdf+xml", "application/ld+json"):
        other = requests.put(
            url, params=graph, data=b"{}", headers={**auth, "Content-Type": media_type}
        )
        assert other.status_code == 415
    assert {p.name: p.read_bytes() for p in data.glob("*.ttl")} == before


def test_write_routes_offer_no_cors(curated: tuple[Server, Path]) -> None:
    server, _ = curated
    preflight = requests.options(
        server.url + "/sparql/update",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
        timeout=10,
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
    refused = update(server, retitle(2), token=None)
    assert "Access-Control-Allow-Origin" not in refused.headers
    read = requests.get(server.endpoint, params={"query": "ASK{}"}, timeout=10)
    assert read.headers["Access-Control-Allow-Origin"] == "*"


def _thread_names(pid: int) -> list[str]:
    names = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # the thread may have ended meanwhile
            names.append((task / "comm").read_text().strip())
    return names


def test_the_forking_processes_never_hold_the_storage_engine(
    curated: tuple[Server, Path],
) -> None:
    # Regression: the server built its store in its master process, whose storage-engine
    # threads (RocksDB) left locks in a copied state in every process forked from it; a
    # query process forked after a write could hang for good opening the store. The master
    # and the workers fork: neither may have started those threads, builds included.
    server, _ = curated
    assert update(server, retitle(41)).status_code == 200
    assert title(server) == "Title 41"
    master = psutil.Process(server.process.pid)
    workers = master.children()
    assert workers
    for process in (master, *workers):
        names = _thread_names(process.pid)
        assert not [name for name in names if name.startswith("rocksdb")], names
    # The query processes, below the workers, open the store and have them.
    runners = [child for worker in workers for child in worker.children()]
    assert any(
        name.startswith("rocksdb") for runner in runners for name in _thread_names(runner.pid)
    )

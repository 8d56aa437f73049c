"""The pages' own queries on an on-disk store run in the query processes: the same answers
as the store gives directly, and the web process never opens the database."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from synthkg.backends.embedded import PageQueryFailed, RunnerStore
from synthkg.store import memory_store
from synthkg.web.app import create_app
from synthkg.web.executor import QueryTimeout, RunnerPool
from synthkg.web.results import QueryJob
from synthkg.web.shared_pool import SharedStorePool

EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")
P = ox.NamedNode(EX + "p")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("runner-store") / "db"
    store = ox.Store(str(path))
    node = ox.BlankNode("n1")
    store.extend(
        [
            ox.Quad(ox.NamedNode(EX + "a"), P, node, G1),
            ox.Quad(node, P, ox.Literal("inside", language="en"), G1),
            ox.Quad(
                ox.NamedNode(EX + "b"), P, ox.Literal("2", datatype=ox.NamedNode(EX + "t")), G2
            ),
        ]
    )
    store.flush()
    del store
    return path


@pytest.fixture()
def pair(database: Path) -> Iterator[tuple[ox.Store, RunnerStore]]:
    pool = RunnerPool(lambda: ox.Store.read_only(str(database)), size=1)
    try:
        yield ox.Store.read_only(str(database)), RunnerStore(pool, timeout=30)
    finally:
        pool.close()


def rows(result: object) -> list[dict[str, object]]:
    return [{v.value: s[v] for v in result.variables} for s in result]  # type: ignore[attr-defined]


def test_select_ask_and_construct_match_the_store(pair: tuple[ox.Store, RunnerStore]) -> None:
    direct, relayed = pair
    select = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s ?o"
    for options in (
        {"use_default_graph_as_union": True},
        {"default_graph": [G2]},
        {"default_graph": [], "named_graphs": [G1]},
    ):
        assert rows(relayed.query(select, **options)) == rows(direct.query(select, **options))
    ask = "ASK { ?s ?p 'inside'@en }"
    assert bool(relayed.query(ask, use_default_graph_as_union=True)) is True
    assert bool(relayed.query(ask)) is bool(direct.query(ask)) is False
    construct = "CONSTRUCT { ?o <http://example.org/q> ?s } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert set(relayed.query(construct)) == set(direct.query(construct))
    relative = "SELECT ?x WHERE { BIND(<b> AS ?x) }"
    assert rows(relayed.query(relative, base_iri=EX)) == [{"x": ox.NamedNode(EX + "b")}]


def test_quad_patterns_keep_blank_nodes(pair: tuple[ox.Store, RunnerStore]) -> None:
    direct, relayed = pair
    (quad,) = relayed.quads_for_pattern(ox.NamedNode(EX + "a"), None, None, None)
    assert isinstance(quad.object, ox.BlankNode)
    # The blank node found by one call is the same node for the next one.
    inside = list(relayed.quads_for_pattern(quad.object, None, None, G1))
    assert inside == list(direct.quads_for_pattern(quad.object, None, None, G1))
    assert len(inside) == 1
    assert list(relayed.quads_for_pattern(None, None, None, G2)) == list(
        direct.quads_for_pattern(None, None, None, G2)
    )
    assert set(relayed.named_graphs()) == {G1, G2}


def test_a_failed_page_query_raises(pair: tuple[ox.Store, RunnerStore]) -> None:
    _, relayed = pair
    with pytest.raises(PageQueryFailed, match="parse"):
        relayed.query("SELECT WHERE {")


def test_a_page_query_does_not_wait_behind_a_visitors_query(database: Path) -> None:
    pool = RunnerPool(lambda: ox.Store.read_only(str(database)), size=1)
    # Each of the three joined patterns has 3 solutions per variable; 40 copies of it make
    # a product far too large to finish before the visitor's deadline.
    heavy = (
        "SELECT (COUNT(*) AS ?n) WHERE { "
        + " ".join(f"?s{n} ?p{n} ?o{n} ." for n in range(40))
        + " }"
    )
    visitor = QueryJob(heavy, "json", None, 10, union_default_graph=True)
    outcome: list[object] = []

    def visit() -> None:
        try:
            outcome.append(pool.run(visitor, 5))
        except QueryTimeout as stopped:
            outcome.append(stopped)

    busy = threading.Thread(target=visit)
    busy.start()
    try:
        relayed = RunnerStore(pool, timeout=30)
        found = rows(relayed.query("SELECT ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
        assert len(found) == 3
        assert busy.is_alive() and not outcome  # answered while the visitor's query runs
    finally:
        busy.join(timeout=60)
        pool.close()
    assert len(outcome) == 1 and isinstance(outcome[0], QueryTimeout)


def open_files_under(folder: Path) -> list[str]:
    found = []
    for entry in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(entry)
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


@pytest.mark.parametrize("in_memory", [False, True], ids=["disk", "in-memory"])
def test_pages_answer_without_the_worker_touching_the_store(
    tmp_path: Path, in_memory: bool
) -> None:
    folder = tmp_path / "store"
    config = {"SYNTHKG_STORE": str(folder), "SYNTHKG_QUERY_PROCESSES": 1}
    app = create_app({**config, "SYNTHKG_IN_MEMORY": in_memory})
    reference = create_app({"SYNTHKG_QUERY_PROCESSES": 1}, store=memory_store())
    shared = app.extensions["synthkg"]
    try:
        assert isinstance(shared.store, RunnerStore)
        # The graph sizes come from the build, before any query process exists.
        assert shared._graphs
        if in_memory:
            assert isinstance(shared.pool, SharedStorePool) and shared.pool.process is None
        else:
            assert not shared.pool._idle
        client, expected = app.test_client(), reference.test_client()
        for path in ("/", "/taxonomy", "/analysis", "/taxonomy/SynthesisMethod", "/search?q=data"):
            assert client.get(path).status_code == 200, path
        for query in ("data", "diffusion model", "zzz"):
            got = client.get("/search.json", query_string={"q": query}).get_json()
            assert got == expected.get("/search.json", query_string={"q": query}).get_json()
        # The query processes open the store (or copy it into memory); this process never.
        assert open_files_under(folder) == []
    finally:
        shared.pool.close()
        reference.extensions["synthkg"].pool.close()


BUILD_THEN_LIST_THREADS = """
import os, sys
from synthkg.web.app import create_app
app = create_app({"SYNTHKG_STORE": sys.argv[1], "SYNTHKG_QUERY_PROCESSES": 1})
names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")]
print(" ".join(names))
"""


def test_an_app_that_builds_its_store_starts_no_storage_engine_thread(tmp_path: Path) -> None:
    # Under server/wsgi.py each worker builds a stale store itself and then forks its query
    # processes; a worker with the engine's threads could leave them hung on a copied lock.
    import subprocess
    import sys

    folder = tmp_path / "store"
    listed = subprocess.run(
        [sys.executable, "-c", BUILD_THEN_LIST_THREADS, str(folder)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    assert (folder / "data-version").is_file()
    assert not [name for name in listed.stdout.split() if name.startswith("rocksdb")], listed


def thread_names(pid: int) -> list[str]:
    tasks = Path(f"/proc/{pid}/task")
    return [(tasks / task / "comm").read_text().strip() for task in os.listdir(tasks)]


def test_a_server_forks_its_workers_from_a_master_without_engine_threads(live_server) -> None:
    # The master creates the app before forking (preload): it must not have opened the store.
    import psutil

    master = psutil.Process(live_server.process.pid)
    workers = master.children()
    assert len(workers) == 2
    for pid in (master.pid, *(worker.pid for worker in workers)):
        assert not [name for name in thread_names(pid) if name.startswith("rocksdb")], pid

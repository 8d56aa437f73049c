"""Helpers of the backend tests: the fixture graph and a real ``oxigraph serve``."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from loopback import free_port
from synthkg.backends.loader import load_remote
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
FIXTURE_SOURCES = {
    ONTOLOGY_GRAPH: [RESOURCES / "web" / "ontology.ttl"],
    DATA_GRAPH: [RESOURCES / "web" / "data.ttl"],
}
OXIGRAPH = str(Path(sys.executable).with_name("oxigraph"))


@dataclass
class Oxigraph:
    """A running ``oxigraph serve``: its query, update and graph store URLs."""

    base: str

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"

    @property
    def store(self) -> str:
        return self.base + "/store"


def start_oxigraph(port: int, log: Path, union_default_graph: bool = True) -> subprocess.Popen:
    """``oxigraph serve`` in memory, 5 s query limit; by default its default graph is the
    union of its named graphs (otherwise a graph of its own)."""
    union = ["--union-default-graph"] if union_default_graph else []
    with log.open("w") as sink:
        process = subprocess.Popen(
            [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", *union, "--timeout-s", "5"],
            stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2):
                return process
        except (URLError, OSError):
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("oxigraph serve did not start")


@contextmanager
def running_oxigraph(
    folder: Path, loaded: bool = True, union_default_graph: bool = True
) -> Iterator[Oxigraph]:
    """``oxigraph serve`` on a free port, by default loaded with the web fixture graph
    (by SPARQL Update); stopped on leaving."""
    port = free_port()
    process = start_oxigraph(port, folder / "log", union_default_graph)
    try:
        server = Oxigraph(f"http://127.0.0.1:{port}")
        if loaded:
            load_remote(server.update, sources=FIXTURE_SOURCES, batch=50)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)

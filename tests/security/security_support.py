"""Real ``synthkg serve`` processes, a loopback canary and a bounded load client, for the
security and reliability tests."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import requests

from loopback import free_port
from serve_workers import all_workers_up

SYNTHKG = str(Path(sys.executable).with_name("synthkg"))
QUERY_LIMIT = 2.0  # the query time limit of the shared test server, in seconds
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass
class Server:
    """A running ``synthkg serve`` (gunicorn master and its workers)."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def workers(self) -> list[int]:
        """The pids of the gunicorn workers (children of the master that serve requests)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(entry.name))
        return sorted(found)

    def count(self) -> int:
        """Triples in the store, as the endpoint answers."""
        answer = requests.get(self.endpoint, params={"query": COUNT_ALL}, timeout=10)
        assert answer.status_code == 200, answer.text
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(store_dir: Path, log: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """Start ``synthkg serve`` on a free loopback port and wait until it answers."""
    port = free_port()
    environ = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [SYNTHKG, "serve", "--port", str(port), "--store", str(store_dir), *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=environ,
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"synthkg serve exited early:\n{server.log_text()}")
        try:
            answered = requests.get(server.endpoint + "?query=ASK%7B%7D", timeout=2).ok
            if answered and all_workers_up(process.pid, args):
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"synthkg serve did not answer:\n{server.log_text()}")


class Canary:
    """An HTTP server on loopback that counts every connection made to it."""

    def __init__(self) -> None:
        self.connections = 0
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                canary.connections += 1
                super().setup()

            def do_GET(self) -> None:
                body = b"<http://canary/s> <http://canary/p> <http://canary/o> .\n"
                self.send_response(200)
                self.send_header("Content-Type", "application/n-triples")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class LoadResult:
    """What a load run saw: statuses, latencies and failures to connect."""

    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def load(port: int, queries: list[str], clients: int, seconds: float) -> LoadResult:
    """``clients`` threads each sending GET queries (in turn) for ``seconds`` seconds."""
    result = LoadResult()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        turn = number
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            query = queries[turn % len(queries)]
            turn += 1
            path = "/sparql?" + urlencode({"query": query})
            started = time.monotonic()
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as failure:
                connection.close()
                with lock:
                    result.errors.append(f"{type(failure).__name__}: {failure}")
                time.sleep(0.05)
                continue
            with lock:
                result.statuses[status] += 1
                result.latencies.append(time.monotonic() - started)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result

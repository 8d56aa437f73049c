"""Starting a real ``synthkg serve`` process for the end-to-end endpoint tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from loopback import free_port
from serve_workers import all_workers_up

SYNTHKG = str(Path(sys.executable).with_name("synthkg"))


@dataclass
class LiveServer:
    """A running ``synthkg serve`` process."""

    process: subprocess.Popen[str]
    url: str
    log: Path
    started_in: float

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(store_dir: Path, log: Path, *extra: str, wait: float = 60.0) -> LiveServer:
    """Start ``synthkg serve`` on a free port and wait until it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [SYNTHKG, "serve", "--port", str(port), "--store", str(store_dir), *extra],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
    server = LiveServer(process, url, log, 0.0)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"synthkg serve exited early:\n{server.log_text()}")
        try:
            answered = requests.get(url + "/sparql?query=ASK%7B%7D", timeout=2).status_code == 200
            if answered and all_workers_up(process.pid, extra):
                server.started_in = time.perf_counter() - started
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"synthkg serve did not answer within {wait} s:\n{server.log_text()}")

"""The gunicorn worker class, run for real: kept-alive clients, fairness, stopping."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopback import free_port

# A WSGI app that names the request it answers (and, for /slow, takes a while).
APP = """
import time

def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(0.5)
    body = (environ["PATH_INFO"] + "?" + environ["QUERY_STRING"]).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


def _serve(folder: Path, threads: int) -> tuple[subprocess.Popen, int]:
    (folder / "echo_app.py").write_text(APP, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--chdir", str(folder), "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--threads", str(threads),
         "--worker-class", "synthkg.web.worker.KeepAliveThreadWorker",
         "--graceful-timeout", "10", "echo_app:app"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/ready")
            connection.getresponse().read()
            connection.close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start: " + process.stderr.read().decode()[-2000:])


@pytest.fixture
def one_thread(tmp_path: Path) -> Iterator[int]:
    process, port = _serve(tmp_path, threads=1)
    yield port
    process.kill()
    process.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    process, port = _serve(tmp_path, threads=4)
    yield process, port
    process.kill()
    process.wait()


def _get(connection: http.client.HTTPConnection, path: str) -> str:
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status == 200
    return response.read().decode()


def test_a_kept_alive_connection_gets_every_answer_in_order(
    served: tuple[subprocess.Popen, int],
) -> None:
    _, port = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for n in range(300):
            assert _get(connection, f"/item?n={n}") == f"/item?n={n}"
            if n % 100 == 99:
                time.sleep(0.05)  # a pause longer than the wait on the same thread
    finally:
        connection.close()


# A client in a process of its own (no lock shared with the test) that sends requests back
# to back on one connection, then prints when it was done.
BUSY_CLIENT = """
import http.client, sys, time
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
print("started", flush=True)
for n in range(int(sys.argv[2])):
    connection.request("GET", f"/busy?n={n}")
    connection.getresponse().read()
print(time.time(), flush=True)
"""


def test_a_busy_client_does_not_hold_the_only_thread(one_thread: int) -> None:
    # One thread, two clients: the first sends requests back to back; the second must be
    # answered long before the first is done.
    busy = subprocess.Popen(
        [sys.executable, "-c", BUSY_CLIENT, str(one_thread), "3000"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert busy.stdout is not None
    assert busy.stdout.readline().strip() == "started"
    time.sleep(0.3)
    other = http.client.HTTPConnection("127.0.0.1", one_thread, timeout=30)
    assert _get(other, "/other") == "/other?"
    answered = time.time()
    other.close()
    finished, _ = busy.communicate(timeout=60)
    assert busy.returncode == 0
    assert answered < float(finished.strip())


def test_stopping_lets_a_request_in_flight_finish_and_ends_promptly(
    served: tuple[subprocess.Popen, int],
) -> None:
    process, port = served
    idle = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    assert _get(idle, "/warm") == "/warm?"  # a kept-alive connection left open
    answers: list[str] = []

    def slow() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        answers.append(_get(connection, "/slow"))

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.2)
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    thread.join(10)
    assert answers == ["/slow?"]
    assert process.wait(timeout=15) == 0
    assert time.monotonic() - began < 8  # not the whole graceful timeout
    idle.close()

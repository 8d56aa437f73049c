"""Starting the throw-away Virtuoso of the benchmark and the remote-backend tests.

Regression: two ports picked one after the other could be the same port, and a Virtuoso
that exited at start-up was reported with an empty message (its log file, not its output).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from bench.loopback import free_ports

from bench import virtuoso

pytestmark = pytest.mark.slow


def test_free_ports_are_distinct_and_free() -> None:
    for _ in range(50):
        ports = free_ports(3)
        assert len(set(ports)) == 3
        for port in ports:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port))


def _one_port_twice(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """Make the next ``times`` starts give Virtuoso one port for both of its listeners."""
    calls: list[int] = []

    def ports(count: int) -> list[int]:
        calls.append(count)
        if len(calls) <= times:
            port = free_ports(1)[0]
            return [port] * count
        return free_ports(count)

    monkeypatch.setattr(virtuoso, "free_ports", ports)
    return calls


def test_a_start_that_fails_at_once_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _one_port_twice(monkeypatch, times=1)
    server = virtuoso.start_virtuoso(tmp_path / "db", limit=60)
    try:
        assert len(calls) == 2
        assert virtuoso._answers(server.query)
    finally:
        server.stop()


def test_a_start_that_keeps_failing_says_what_virtuoso_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_port_twice(monkeypatch, times=virtuoso.START_ATTEMPTS)
    with pytest.raises(RuntimeError) as failed:
        virtuoso.start_virtuoso(tmp_path / "db", limit=60)
    message = str(failed.value)
    assert message.count("virtuoso-t exited with status") == virtuoso.START_ATTEMPTS
    assert "Failed HTTP listen" in message or "Failed to start listening" in message

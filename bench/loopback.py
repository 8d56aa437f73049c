"""Servers on the loopback interface: a free port, and whether a SPARQL endpoint answers."""

from __future__ import annotations

import socket
from urllib.error import URLError
from urllib.parse import quote
from urllib.request import Request, urlopen


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports nobody listens on right now.

    All are held at once while chosen: two calls of ``free_port`` in a row may return the
    same port, and a server given it twice fails to start.
    """
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def answers(url: str, query: str, accept: str) -> bool:
    """Whether the endpoint at ``url`` answers ``query`` with 200 within 5 s."""
    request = Request(url + "?query=" + quote(query), headers={"Accept": accept})
    try:
        with urlopen(request, timeout=5) as response:
            return response.status == 200
    except (URLError, OSError):
        return False

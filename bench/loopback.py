"""Servers on the loopback interface: a free port, and whether a SPARQL endpoint answers."""

from __future__ import annotations

import socket
from urllib.error import URLError
from urllib.parse import quote
from urllib.request import Request, urlopen


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str, query: str, accept: str) -> bool:
    """Whether the endpoint at ``url`` answers ``query`` with 200 within 5 s."""
    request = Request(url + "?query=" + quote(query), headers={"Accept": accept})
    try:
        with urlopen(request, timeout=5) as response:
            return response.status == 200
    except (URLError, OSError):
        return False

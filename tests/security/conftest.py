"""Fixtures of the security tests: a real ``synthkg serve`` over the project graph (2
workers, a 2 s query limit, client budgets off so the tests' own queries are not throttled)
and a loopback canary that must never be contacted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from security_support import QUERY_LIMIT, Canary, Server, start


@pytest.fixture(scope="session")
def security_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory of the project graph, built by the first server."""
    return tmp_path_factory.mktemp("security-store") / "store"


@pytest.fixture(scope="session")
def served(security_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``synthkg serve`` over the project graph."""
    log = tmp_path_factory.mktemp("security-serve") / "serve.log"
    server = start(
        security_store,
        log,
        "--workers",
        "2",
        "--timeout",
        str(QUERY_LIMIT),
        env={"SYNTHKG_CLIENT_BUDGET": "0"},
    )
    yield server
    server.stop()


@pytest.fixture
def canary() -> Iterator[Canary]:
    """A loopback HTTP server counting the connections made to it."""
    server = Canary()
    yield server
    server.close()

"""Fixtures of the backend tests: a real ``oxigraph serve`` on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backend_support import FIXTURE_SOURCES, Oxigraph, start_oxigraph

from loopback import free_port
from synthkg.backends.loader import load_remote


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """``oxigraph serve`` loaded with the web fixture graph (by SPARQL Update)."""
    port = free_port()
    process = start_oxigraph(port, tmp_path_factory.mktemp("oxigraph") / "log")
    server = Oxigraph(f"http://127.0.0.1:{port}")
    load_remote(server.update, sources=FIXTURE_SOURCES, batch=50)
    yield server
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def empty_oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    """A fresh, empty ``oxigraph serve`` for one test."""
    port = free_port()
    process = start_oxigraph(port, tmp_path / "log")
    yield Oxigraph(f"http://127.0.0.1:{port}")
    process.terminate()
    process.wait(timeout=10)

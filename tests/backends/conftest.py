"""Fixtures of the backend tests: a real ``oxigraph serve`` on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backend_support import Oxigraph, running_oxigraph


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """``oxigraph serve`` loaded with the web fixture graph (by SPARQL Update)."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture
def empty_oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    """A fresh, empty ``oxigraph serve`` for one test."""
    with running_oxigraph(tmp_path, loaded=False) as server:
        yield server

"""Fixtures of the web tests: an app over a small fixture graph, its test client, and a real
``synthkg serve`` process over the project graph."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from web_protocol_support import LiveServer, start_server

from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
from synthkg.web import create_app

WEB_RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "web"
FIXTURE_SOURCES = {
    ONTOLOGY_GRAPH: [WEB_RESOURCES / "ontology.ttl"],
    DATA_GRAPH: [WEB_RESOURCES / "data.ttl"],
}
TEST_CONFIG: dict[str, Any] = {"TESTING": True, "SYNTHKG_QUERY_TIMEOUT": 5.0}


@pytest.fixture(scope="session")
def fixture_store() -> ox.Store:
    """The fixture ontology and data in memory (read-only for every test)."""
    return memory_store(FIXTURE_SOURCES)


@pytest.fixture
def make_app(fixture_store: ox.Store) -> Iterator[Callable[..., Flask]]:
    """Build apps over the fixture store with extra configuration; their query processes
    are stopped afterwards."""
    made: list[Flask] = []

    def build(**config: Any) -> Flask:
        app = create_app({**TEST_CONFIG, **config}, fixture_store)
        made.append(app)
        return app

    yield build
    for app in made:
        app.extensions["synthkg"].pool.close()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app over the fixture graph with the test configuration."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture(scope="session")
def project_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory for the project graph, empty until the first server builds it."""
    return tmp_path_factory.mktemp("store") / "store"


@pytest.fixture(scope="session")
def live_server(
    project_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """``synthkg serve`` over the project graph, 2 workers, a 1 s query time limit."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    server = start_server(project_store_dir, log, "--workers", "2", "--timeout", "1")
    yield server
    server.stop()

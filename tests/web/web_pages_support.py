"""Stores and apps shared by the page, example and Linked Data tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Flask

from synthkg import paths
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
from synthkg.web.app import create_app

FIXTURE_DATA = Path(__file__).resolve().parents[1] / "resources" / "web_pages" / "data.ttl"


def fixture_store() -> ox.Store:
    """The ontology plus the small fixture graph (five papers, three venues)."""
    return memory_store({ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: [FIXTURE_DATA]})


def fixture_app() -> Flask:
    """The web app over the fixture store."""
    app = create_app({"TESTING": True}, fixture_store())
    return app


def serve_fixture_app(ports: Any) -> None:
    """Serve the fixture app on a free loopback port (run in its own process) and report
    the port. A separate process keeps the query runners the app forks away from the
    browser driver's pipes."""
    from werkzeug.serving import make_server

    os.setpgrp()  # its own process group, so that the test can end the runners with it
    server = make_server("127.0.0.1", 0, fixture_app(), threaded=True)
    ports.put(server.server_port)
    server.serve_forever()

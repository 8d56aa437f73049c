"""The Flask application factory: no global app, no global graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Flask, current_app

from synthkg.store import memory_store

DEFAULT_CONFIG: dict[str, Any] = {
    "SYNTHKG_QUERY_TIMEOUT": 30.0,
    "SYNTHKG_MAX_QUERY_BYTES": 100_000,
    "SYNTHKG_MAX_RESULT_ROWS": 100_000,
    "SYNTHKG_SERVICE_ALLOWLIST": (),
}


@dataclass
class AppState:
    """What every request handler shares: the store (read-only for requests)."""

    store: ox.Store


def create_app(config: dict[str, Any] | None = None, store: ox.Store | None = None) -> Flask:
    """Build the web app over a store (the project's graph in memory by default)."""
    app = Flask(__name__)
    app.config.update(DEFAULT_CONFIG)
    app.config.update(config or {})
    app.extensions["synthkg"] = AppState(store=store if store is not None else memory_store())

    from synthkg.web import pages, sparql

    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(pages.blueprint)
    return app


def state() -> AppState:
    """The current app's shared state."""
    return current_app.extensions["synthkg"]

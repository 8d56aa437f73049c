"""The Flask application factory: no global app, no global graph.

``create_app(config, store)`` serves the given store; without one it serves the project's
graph: from the persistent store directory named by ``SYNTHKG_STORE`` (built first when its
data-version stamp does not match the files), or else parsed into memory.

Configuration keys (all optional): ``SYNTHKG_QUERY_TIMEOUT`` (seconds, default 30),
``SYNTHKG_MAX_QUERY_BYTES`` (413 above it), ``SYNTHKG_MAX_RESULT_ROWS`` (answers are cut
to this many rows or triples and flagged with ``SynthKG-Results-Truncated: true``),
``SYNTHKG_SERVICE_ALLOWLIST`` (SERVICE endpoints a query may call; none by default),
``SYNTHKG_QUERY_PROCESSES`` (query runners per web process), ``SYNTHKG_STORE`` and
``SYNTHKG_IN_MEMORY`` (see above and ``synthkg.web.server``), ``SYNTHKG_DATA_VERSION``
(the ETag seed of a store passed in; by default a hash of its content),
``SYNTHKG_QUERY_FAST_PATH`` (protocol queries answered in front of Flask's dispatch, on by
default; see ``synthkg.web.fast_path``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Flask, current_app

from synthkg.store import (
    count_graphs,
    data_version,
    memory_copy,
    memory_store,
    prepare_store_apart,
    stored_graph_sizes,
)
from synthkg.web.capacity import QUERY_PROCESSES
from synthkg.web.executor import RunnerPool
from synthkg.web.shared_pool import QueryPool, SharedStorePool

DEFAULT_CONFIG: dict[str, Any] = {
    "SYNTHKG_QUERY_TIMEOUT": 30.0,
    "SYNTHKG_MAX_QUERY_BYTES": 100_000,
    "SYNTHKG_MAX_RESULT_ROWS": 100_000,
    "SYNTHKG_SERVICE_ALLOWLIST": (),
    "SYNTHKG_QUERY_PROCESSES": QUERY_PROCESSES,
    "SYNTHKG_STORE": None,
    "SYNTHKG_IN_MEMORY": False,
    "SYNTHKG_DATA_VERSION": None,
    # Overload and fairness (synthkg.web.guards) and curator writes (synthkg.web.writes).
    "SYNTHKG_QUEUE_WAIT": 1.0,
    "SYNTHKG_CLIENT_BUDGET": 60.0,
    "SYNTHKG_CLIENT_WINDOW": 60.0,
    "SYNTHKG_FAIRNESS_DIR": None,
    "SYNTHKG_CLIENT_HEADER": None,
    "SYNTHKG_WRITE_TOKENS": None,
    "SYNTHKG_AUDIT_LOG": None,
    "SYNTHKG_STORE_URL": None,
    # With SYNTHKG_STORE_URL: "checked", "explicit" or "store" (synthkg.backends.remote).
    "SYNTHKG_STORE_DATASET": "checked",
    # With SYNTHKG_STORE_URL: queries each worker sends to the store at once.
    "SYNTHKG_REMOTE_QUERIES": 8,
    # Protocol queries answered in front of Flask's dispatch (synthkg.web.fast_path).
    "SYNTHKG_QUERY_FAST_PATH": True,
}


@dataclass
class AppState:
    """What every request handler shares: the store (read-only for requests)."""

    # An ox.Store, or an adapter with its query API (RunnerStore, RemoteStore).
    store: Any
    version: str = ""
    modified: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    store_path: Path | None = None  # the on-disk database the store was opened from
    store_dir: Path | None = None  # the store directory (its saved page data)
    # With ``SYNTHKG_IN_MEMORY``: the on-disk database the query process copies into memory.
    memory_source: Path | None = None
    pool: QueryPool | None = None
    _graphs: dict[str, int] | None = None
    # Where queries run (synthkg.backends); for a remote endpoint ``store`` is its adapter.
    backend: Any = None

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph (computed once: the store never changes while served)."""
        if self._graphs is None and self.backend is not None:
            self._graphs = self.backend.graph_sizes()
        if self._graphs is None:
            self._graphs = count_graphs(self.store)
        return self._graphs


def content_version(store: ox.Store) -> str:
    """A version for a store handed in without one: the SHA-256 of its N-Quads dump."""
    return hashlib.sha256(store.dump(format=ox.RdfFormat.N_QUADS)).hexdigest()


def build_state(config: dict[str, Any], store: ox.Store | None) -> AppState:
    """Open (or take) the store and record its data version."""
    if store is not None:
        version = config.get("SYNTHKG_DATA_VERSION") or content_version(store)
        return AppState(store=store, version=version)
    if config.get("SYNTHKG_STORE"):
        # Built apart: this process forks its query processes (and, as a gunicorn
        # worker's app, may itself have been forked), see ``prepare_store_apart``.
        prepared = prepare_store_apart(Path(config["SYNTHKG_STORE"]))
        in_memory = bool(config.get("SYNTHKG_IN_MEMORY"))
        stamp = prepared.path / "data-version"
        return AppState(
            # The store is opened (or copied into memory) by the query processes only.
            store=None,
            version=prepared.version,
            modified=datetime.fromtimestamp(int(stamp.stat().st_mtime), UTC),
            store_path=None if in_memory else prepared.database,
            memory_source=prepared.database if in_memory else None,
            store_dir=prepared.path,
            _graphs=stored_graph_sizes(prepared.path),  # counted at build time
        )
    return AppState(store=memory_store(), version=data_version())


def create_app(config: dict[str, Any] | None = None, store: ox.Store | None = None) -> Flask:
    """Build the web app over a store (the project's graph by default)."""
    app = Flask(__name__)
    app.config.update(DEFAULT_CONFIG)
    app.config.update(config or {})
    if store is None and app.config.get("SYNTHKG_STORE_URL"):
        # A remote SPARQL endpoint: same app, queries sent over HTTP (no query processes).
        from synthkg.backends.remote import RemoteBackend

        remote = RemoteBackend(
            str(app.config["SYNTHKG_STORE_URL"]),
            dataset=str(app.config.get("SYNTHKG_STORE_DATASET") or "checked"),
        )
        version = app.config.get("SYNTHKG_DATA_VERSION") or remote.version()
        remote_state = AppState(store=remote.store, version=version, backend=remote)
        remote_state.pool = remote  # type: ignore[assignment]  # same run(job, timeout)
        return _finish(app, remote_state)
    shared = build_state(app.config, store)
    from synthkg.backends.embedded import EmbeddedBackend, RunnerStore

    size = int(app.config["SYNTHKG_QUERY_PROCESSES"])
    path, source, memory = shared.store_path, shared.memory_source, shared.store
    if source is not None:
        # One query process per worker opens the on-disk store, copies it into memory and
        # answers on ``size`` threads (synthkg.web.shared_pool): the store is held once.
        shared.pool = SharedStorePool(
            lambda: ox.Store.read_only(str(source)), size=size, upgrade=memory_copy
        )
    elif path is not None:
        # Each query process opens the on-disk store read-only.
        shared.pool = RunnerPool(lambda: ox.Store.read_only(str(path)), size=size)
    else:
        # A store handed in: the query processes inherit it.
        shared.pool = RunnerPool(lambda: memory, size=size)
    if path is not None or source is not None:
        # The pages' queries go to the query processes too: a worker that opened the disk
        # store would fill caches of its own, and none holds the in-memory copy.
        shared.store = RunnerStore(shared.pool)
    shared.backend = EmbeddedBackend(shared.store, shared.pool)
    return _finish(app, shared)


def _finish(app: Flask, shared: AppState) -> Flask:
    app.extensions["synthkg"] = shared

    from synthkg.web import exports, fast_path, pages, sparql, writes

    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(exports.blueprint)
    app.register_blueprint(writes.blueprint)  # curator writes (off without tokens)
    fast_path.install(app)
    return app


def state() -> AppState:
    """The current app's shared state."""
    return current_app.extensions["synthkg"]

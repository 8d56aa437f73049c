"""Running the web app under gunicorn, and its configuration from the environment.

How the store reaches the workers (measured on this 2-core machine, 210,000 triples):

* parsing the Turtle files into memory: 0.56 s; copying an on-disk store into memory:
  1.5 s; opening the on-disk store read-only: 0.013 s;
* a group-by over all papers and a "20 most recent" query took the same time on both
  (35-48 ms); the on-disk store only falls behind on scans of far larger graphs.

So the default is: the gunicorn master makes sure the persistent store directory matches
the files (building it atomically only when the data-version stamp differs), and every
query process of a worker opens that directory read-only; the workers themselves leave it
to them, pages included (``synthkg.backends.embedded.RunnerStore``), since every process
that opens it fills caches of its own. Restarts are instant. With ``--in-memory`` each
worker's one query process copies that store into memory and answers on several threads
(``synthkg.web.shared_pool``): for scan-heavy loads on graphs that fit in memory.

With an embedded store the master creates the app before it forks the workers
(``preload_app``) and reads the pages' saved per-version data into it
(``page_queries.load_saved_values``): the workers share the imported code and that data
copy-on-write instead of each holding a copy, and a worker started to replace another is
warm at once. In front of a remote store each worker creates its own app, so that no
connection to the store is opened before the fork and then shared.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from synthkg import paths
from synthkg.store import PreparedStore, prepare_store_apart
from synthkg.web import capacity, guards, page_queries
from synthkg.web.allocator import tune_allocator
from synthkg.web.app import DEFAULT_CONFIG, create_app

# Environment variables read by ``config_from_env`` and their types.
_ENV_TYPES: dict[str, type] = {
    "SYNTHKG_QUERY_TIMEOUT": float,
    "SYNTHKG_MAX_QUERY_BYTES": int,
    "SYNTHKG_MAX_RESULT_ROWS": int,
    "SYNTHKG_QUERY_PROCESSES": int,
    "SYNTHKG_STORE": str,
    "SYNTHKG_STORE_URL": str,
    "SYNTHKG_STORE_DATASET": str,  # checked | explicit | store (see synthkg.backends.remote)
}


def config_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """App configuration from ``SYNTHKG_*`` environment variables (unset ones keep defaults).

    ``SYNTHKG_SERVICE_ALLOWLIST`` is a space- or comma-separated list of endpoint IRIs;
    ``SYNTHKG_IN_MEMORY`` is true for 1/true/yes. ``SYNTHKG_STORE`` defaults to build/store.
    """
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {"SYNTHKG_STORE": str(paths.STORE_DIR)}
    for key, kind in _ENV_TYPES.items():
        if env.get(key):
            config[key] = kind(env[key])
    if env.get("SYNTHKG_SERVICE_ALLOWLIST"):
        config["SYNTHKG_SERVICE_ALLOWLIST"] = tuple(
            env["SYNTHKG_SERVICE_ALLOWLIST"].replace(",", " ").split()
        )
    if env.get("SYNTHKG_IN_MEMORY"):
        config["SYNTHKG_IN_MEMORY"] = env["SYNTHKG_IN_MEMORY"].lower() in ("1", "true", "yes")
    config.update(guards.config_from_environ(env))  # budgets, queue wait, write tokens
    return config


class SynthKGServer(BaseApplication):
    """gunicorn, configured in code, serving ``create_app(config)``."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self.app_config = config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings differ between gunicorn versions
                self.cfg.set(key, value)

    def load(self) -> Flask:
        app = create_app(self.app_config)
        if self.cfg.preload_app:
            with app.app_context():
                page_queries.load_saved_values()
            # Kept out of the collector's reach, so that no worker's collection writes to
            # (and so un-shares) the pages holding what the master loaded.
            gc.freeze()
        return app


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    store_dir: Path | None = None,
    timeout: float | None = None,
    in_memory: bool = False,
    store_url: str | None = None,
) -> PreparedStore | None:
    """Prepare the store, then run gunicorn in the foreground until it is stopped.

    With ``store_url`` the app runs in front of that SPARQL endpoint and no store is built.
    ``workers`` defaults to ``capacity.default_workers()``.
    """
    workers = workers or capacity.default_workers()
    prepared = None if store_url else prepare_store_apart(store_dir or paths.STORE_DIR)
    tune_allocator()  # before the fork, so the workers and query processes inherit it
    config = config_from_env()
    if prepared is not None:
        config["SYNTHKG_STORE"] = str(prepared.path)
    else:
        config["SYNTHKG_STORE_URL"] = store_url
    config["SYNTHKG_IN_MEMORY"] = in_memory
    if timeout is not None:
        config["SYNTHKG_QUERY_TIMEOUT"] = timeout
    query_timeout = float(
        config.get("SYNTHKG_QUERY_TIMEOUT", DEFAULT_CONFIG["SYNTHKG_QUERY_TIMEOUT"])
    )
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "preload_app": store_url is None,
        "accesslog": "-",
        "proc_name": "synthkg",
        # No control socket: several servers (tests, staging) may run side by side.
        "control_socket_disable": True,
    }
    # A bounded queue and a graceful stop.
    options.update(capacity.gunicorn_options(query_timeout, workers))
    SynthKGServer(config, options).run()
    return prepared

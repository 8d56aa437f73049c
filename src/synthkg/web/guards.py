"""The per-app guards of the query route: query slots and client budgets, from the config.

``SYNTHKG_QUEUE_WAIT`` (seconds a request waits for a query slot before 503; a worker has
``SYNTHKG_QUERY_PROCESSES`` slots, or ``SYNTHKG_REMOTE_QUERIES`` in front of a remote store),
``SYNTHKG_CLIENT_BUDGET`` / ``SYNTHKG_CLIENT_WINDOW`` (query seconds per window and client;
0 turns it off), ``SYNTHKG_FAIRNESS_DIR`` (where the budgets are kept; by default a folder
per server under the temporary directory) and ``SYNTHKG_CLIENT_HEADER`` (a header that
names the client, set by a trusted proxy; otherwise the peer address).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.wrappers import Request

from synthkg.web.app import AppState
from synthkg.web.capacity import Admission
from synthkg.web.fairness import Budget, default_folder


def admission(app: Flask) -> Admission:
    """This process's query slots (created on first use, after any fork)."""
    key = f"synthkg.admission.{os.getpid()}"
    found = app.extensions.get(key)
    if found is None:
        config = app.config
        slots = int(config["SYNTHKG_QUERY_PROCESSES"])
        shared: AppState = app.extensions["synthkg"]
        if getattr(shared.backend, "kind", "") == "remote":
            # A remote query holds a thread, not a local process: the store sets the pace.
            slots = int(config["SYNTHKG_REMOTE_QUERIES"])
        found = Admission(slots, float(config["SYNTHKG_QUEUE_WAIT"]))
        app.extensions[key] = found
    return found


def budget(app: Flask, request: Request) -> Budget:
    """The client budget of this app (``request`` tells which server runs it)."""
    found = app.extensions.get("synthkg.budget")
    if found is None:
        config = app.config
        folder = config.get("SYNTHKG_FAIRNESS_DIR")
        if not folder:
            # Workers of one gunicorn master share its pid as parent: one folder per server.
            seed = f"{os.getppid()}:{config.get('SYNTHKG_STORE')}:{id(app)}"
            if request.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
                seed = f"{os.getppid()}:{config.get('SYNTHKG_STORE')}"
            folder = default_folder() / hashlib.sha256(seed.encode()).hexdigest()[:16]
        found = Budget(
            float(config["SYNTHKG_CLIENT_BUDGET"]),
            float(config["SYNTHKG_CLIENT_WINDOW"]),
            Path(folder),
        )
        app.extensions["synthkg.budget"] = found
    return found


def client_key(app: Flask, request: Request) -> str:
    """Who is asking: the trusted proxy's header when configured, else the peer address."""
    header = app.config.get("SYNTHKG_CLIENT_HEADER")
    if header and request.headers.get(header):
        return request.headers[header].split(",")[0].strip()
    return request.remote_addr or "unknown"


_ENV_NUMBERS = (
    "SYNTHKG_QUEUE_WAIT",
    "SYNTHKG_CLIENT_BUDGET",
    "SYNTHKG_CLIENT_WINDOW",
    "SYNTHKG_REMOTE_QUERIES",
)
_ENV_TEXTS = ("SYNTHKG_FAIRNESS_DIR", "SYNTHKG_CLIENT_HEADER", "SYNTHKG_AUDIT_LOG")


def config_from_environ(env: Mapping[str, str]) -> dict[str, Any]:
    """The guard and write settings given as environment variables.

    ``SYNTHKG_WRITE_TOKENS`` is a comma-separated list of ``token=curator`` pairs.
    """
    config: dict[str, Any] = {}
    for key in _ENV_NUMBERS:
        if env.get(key):
            config[key] = float(env[key])
    for key in _ENV_TEXTS:
        if env.get(key):
            config[key] = env[key]
    if env.get("SYNTHKG_WRITE_TOKENS"):
        pairs = (item.partition("=") for item in env["SYNTHKG_WRITE_TOKENS"].split(","))
        config["SYNTHKG_WRITE_TOKENS"] = {
            token.strip(): name.strip() for token, _, name in pairs if token.strip()
        }
    return config

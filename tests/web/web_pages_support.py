"""Stores and apps shared by the page, example and Linked Data tests, and the way the
browser tests run an app: in a process of its own, driven by headless Chromium."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Flask

from synthkg import paths
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
from synthkg.web.app import create_app

FIXTURE_DATA = Path(__file__).resolve().parents[1] / "resources" / "web_pages" / "data.ttl"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = paths.BUILD_DIR / "screenshots"
# Where a page may fetch from: this machine only.
LOCAL_PREFIXES = ("http://127.0.0.1:", "data:", "blob:")


def fixture_store() -> ox.Store:
    """The ontology plus the small fixture graph (five papers, three venues)."""
    return memory_store({ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: [FIXTURE_DATA]})


def fixture_app() -> Flask:
    """The web app over the fixture store."""
    app = create_app({"TESTING": True}, fixture_store())
    return app


def project_app() -> Flask:
    """The web app over the project's own graph, in memory."""
    return create_app({"TESTING": True, "SYNTHKG_QUERY_PROCESSES": 1}, memory_store())


def serve_app(ports: Any, factory: Callable[[], Flask] = fixture_app) -> None:
    """Serve the app a factory makes on a free loopback port (run in its own process) and
    report the port. A separate process keeps the query runners the app forks away from
    the browser driver's pipes."""
    from werkzeug.serving import make_server

    os.setpgrp()  # its own process group, so that the test can end the runners with it
    server = make_server("127.0.0.1", 0, factory(), threaded=True)
    ports.put(server.server_port)
    server.serve_forever()


def serve_fixture_app(ports: Any) -> None:
    """``serve_app`` for the fixture app."""
    serve_app(ports, fixture_app)


@contextlib.contextmanager
def served(factory: Callable[[], Flask] = fixture_app) -> Iterator[str]:
    """The base URL of an app served in a spawned process group, ended afterwards."""
    spawn = multiprocessing.get_context("spawn")
    ports = spawn.Queue()
    process = spawn.Process(target=serve_app, args=(ports, factory))
    process.start()
    try:
        yield f"http://127.0.0.1:{ports.get(timeout=60)}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.join(timeout=10)


@dataclass
class Watched:
    """What the pages of a browser context did: every request, every console error."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        """Requests that left this machine."""
        return [url for url in self.requests if not url.startswith(LOCAL_PREFIXES)]


@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 900) -> Iterator[tuple[Any, Watched]]:
    """A page of headless Chromium (Debian's), with its requests and errors recorded."""
    assert CHROMIUM.is_file(), "Chromium is missing: run ./dev test (it installs it)"
    from playwright.sync_api import sync_playwright

    watched = Watched()
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.on("request", lambda r: watched.requests.append(r.url))
            page.on(
                "console", lambda m: watched.errors.append(m.text) if m.type == "error" else None
            )
            page.on("pageerror", lambda e: watched.errors.append(str(e)))
            yield page, watched
            context.close()
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under build/screenshots/ for a look by eye."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target

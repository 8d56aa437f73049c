"""Workers compute the reader pages' per-version data when they start."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from frontend_support import frontend_app

from synthkg.web import page_queries as pq
from synthkg.web.app import create_app, state
from synthkg.web.warmup import warm_pages, warm_worker


def kept_keys(app) -> set[str]:
    with app.app_context():
        shared = state()
        return set(pq._memo.get((id(shared.store), shared.version), {}))


def test_warm_pages_computes_what_the_pages_keep() -> None:
    app = frontend_app()
    answered = warm_pages(app)
    assert answered and all(status == 200 for _, status in answered), answered
    assert {"home", "tree", "analysis", "paper-index"} <= kept_keys(app)


def test_worker_hook_warms_in_the_background_unless_turned_off() -> None:
    app = frontend_app()
    app.config["SYNTHKG_WARM_PAGES"] = False
    before = threading.active_count()
    warm_worker(SimpleNamespace(wsgi=app))
    assert threading.active_count() == before
    app.config["SYNTHKG_WARM_PAGES"] = True
    warm_worker(SimpleNamespace(wsgi=app))
    (thread,) = [t for t in threading.enumerate() if t.name == "warm-pages"]
    thread.join(timeout=60)
    assert "paper-index" in kept_keys(app)


def test_worker_hook_starts_the_query_processes_of_a_disk_store_first(tmp_path) -> None:
    disk = create_app({"SYNTHKG_STORE": str(tmp_path / "store"), "SYNTHKG_WARM_PAGES": False})
    memory = frontend_app()
    memory.config["SYNTHKG_WARM_PAGES"] = False
    try:
        for app in (disk, memory):
            warm_worker(SimpleNamespace(wsgi=app))
        pool = disk.extensions["synthkg"].pool
        assert len(pool._idle) == pool.size >= 1
        assert all(runner.alive for runner in pool._idle)
        # An in-memory store's query processes are forked on demand.
        assert memory.extensions["synthkg"].pool._idle == []
    finally:
        disk.extensions["synthkg"].pool.close()
        memory.extensions["synthkg"].pool.close()

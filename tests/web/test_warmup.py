"""Workers compute the reader pages' per-version data when they start."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from frontend_support import frontend_app

from synthkg.web import page_queries as pq
from synthkg.web.app import create_app, state
from synthkg.web.shared_pool import SharedStorePool
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


def test_worker_hook_starts_the_query_processes_of_a_built_store_first(tmp_path) -> None:
    config = {"SYNTHKG_STORE": str(tmp_path / "store"), "SYNTHKG_WARM_PAGES": False}
    disk = create_app(config)
    in_memory = create_app({**config, "SYNTHKG_IN_MEMORY": True})
    handed_in = frontend_app()
    handed_in.config["SYNTHKG_WARM_PAGES"] = False
    apps = (disk, in_memory, handed_in)
    try:
        for app in apps:
            warm_worker(SimpleNamespace(wsgi=app))
        pool = disk.extensions["synthkg"].pool
        assert len(pool._idle) == pool.size >= 1
        assert all(runner.alive for runner in pool._idle)
        # The in-memory store's one query process starts copying the store at once.
        shared = in_memory.extensions["synthkg"].pool
        assert isinstance(shared, SharedStorePool)
        assert shared.process is not None and shared.process.alive
        # A store handed in is inherited by query processes forked on demand.
        assert handed_in.extensions["synthkg"].pool._idle == []
    finally:
        for app in apps:
            app.extensions["synthkg"].pool.close()

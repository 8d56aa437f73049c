"""Filling a worker's per-version page data when it starts, not at a visit.

The home, taxonomy and analysis pages and the paper index behind the category lists and
search keep data per data version and worker (``page_queries.per_version``). A store built
on disk brings that data, computed once by its build (``page_data``), and the warm-up only
reads it and draws the pages once; over any other store the warm-up computes it, which
takes seconds on a large graph (about 8 to 13 s at 10^5 papers). Either way each gunicorn
worker does it in a background thread as soon as it starts.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask

from synthkg.taxonomy import METHOD_ROOT
from synthkg.web.executor import RunnerPool
from synthkg.web.shared_pool import SharedStorePool

LOG = logging.getLogger(__name__)

# One page of each kind whose data is kept per version; the category page builds the paper
# index that every category list and title search shares.
WARM_PATHS = ("/", "/taxonomy", "/analysis", f"/taxonomy/{METHOD_ROOT.rsplit('/', 1)[-1]}")


def warm_pages(app: Flask) -> list[tuple[str, int]]:
    """Ask for each page once, through the app itself; returns (path, status) pairs."""
    client = app.test_client()
    answered = []
    for path in WARM_PATHS:
        try:
            answered.append((path, client.get(path).status_code))
        except Exception:  # a page that fails here fails the same way for a visitor
            LOG.exception("warming %s failed", path)
            answered.append((path, 500))
    return answered


def warm_worker(worker: Any) -> None:
    """gunicorn's ``post_worker_init`` hook: start the query processes, then warm the pages
    in a daemon thread.

    The query processes are forked first, while the worker's heap is small: one forked
    during the warm-up kept a private copy of the warm-up's short-lived data (at 10^6
    triples, 30 to 110 MiB more per query process). The query process of an in-memory store
    starts copying the store into memory at once, before the first query needs it.
    """
    app = getattr(worker, "wsgi", None)
    if not isinstance(app, Flask):
        return
    shared = app.extensions.get("synthkg")
    pool = getattr(shared, "pool", None)
    if isinstance(pool, SharedStorePool):
        pool.warm()
    elif isinstance(pool, RunnerPool) and getattr(shared, "store_path", None) is not None:
        pool.warm(pool.size)
    if app.config.get("SYNTHKG_WARM_PAGES", True):
        threading.Thread(target=warm_pages, args=(app,), name="warm-pages", daemon=True).start()

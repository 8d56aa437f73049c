"""Computing the reader pages' per-version data when a worker starts, not at a visit.

The home, taxonomy and analysis pages and the paper index behind the category lists and
search are computed once per data version and worker (``page_queries.per_version``). On a
large graph that first computation takes seconds (about 8 to 13 s at 10^5 papers), so each
gunicorn worker does it in a background thread as soon as it starts.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask

from synthkg.taxonomy import METHOD_ROOT
from synthkg.web.executor import RunnerPool

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

    The query processes are forked first, while the worker's heap is small: a process
    forked during the warm-up would keep a private copy of the warm-up's short-lived data
    (at 10^6 triples, 110 MiB more per query process).
    """
    app = getattr(worker, "wsgi", None)
    if not isinstance(app, Flask):
        return
    pool = getattr(app.extensions.get("synthkg"), "pool", None)
    if isinstance(pool, RunnerPool):
        pool.warm(pool.size)
    if app.config.get("SYNTHKG_WARM_PAGES", True):
        threading.Thread(target=warm_pages, args=(app,), name="warm-pages", daemon=True).start()

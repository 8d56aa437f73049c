"""The reader pages' per-version data, computed once when the store is built.

The home, taxonomy and analysis pages and the paper index behind category lists and title
search read the whole graph (``page_queries.per_version``). At 10^7 triples that took
minutes and, per query, up to 1.5 GB in a query process; every web worker did it again
when it started, so two workers warming at once doubled the server's peak memory, and
each replaced worker repeated it. The store build now computes it once, in the build's
own process, and saves it beside the database; a worker reads the file.

The file is keyed by the data version and by a hash of the code that computes it (the
web package and the pages' queries): a file written by other code, or for other data, is
ignored, and the worker computes the data itself as before.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from synthkg import paths

LOG = logging.getLogger(__name__)

PAGE_DATA_FILE = "page-data.pickle"
_FORMAT = 1


@cache
def code_key() -> str:
    """A hash of the sources whose output the file holds."""
    digest = hashlib.sha256(str(_FORMAT).encode())
    sources = sorted((paths.PACKAGE_DIR / "web").glob("*.py"))
    sources += sorted((paths.QUERIES_DIR / "pages").glob("*.rq"))
    sources.append(paths.PACKAGE_DIR / "taxonomy.py")
    for path in sources:
        for part in (path.name.encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    digest.update(ox.__version__.encode())
    return digest.hexdigest()


def compute_page_data(store: ox.Store, version: str, sizes: dict[str, int]) -> dict[str, Any]:
    """Every per-version value the pages' warm-up fills, computed over ``store``."""
    from synthkg.web import page_queries
    from synthkg.web.app import create_app
    from synthkg.web.warmup import warm_pages

    config = {"SYNTHKG_DATA_VERSION": version, "SYNTHKG_WARM_PAGES": False}
    app = create_app(config, store=store)
    shared = app.extensions["synthkg"]
    shared._graphs = sizes  # counted by the build already
    try:
        answered = warm_pages(app)
    finally:
        values = page_queries.take_values(shared)
        # Nothing may keep the store open: the build closes it before moving its folder.
        shared.pool.close()
        shared.store = shared.backend = shared.pool = None
        app.extensions.clear()
        del app
        gc.collect()
    failed = [path for path, status in answered if status != 200]
    if failed:
        raise RuntimeError(f"the pages {', '.join(failed)} failed while computing them")
    return values


def write_page_data(store_dir: Path, version: str, values: dict[str, Any]) -> None:
    """Save the values for this version, atomically (a reader sees all or nothing).

    The file holds two pickles: a small header (code key, data version, length of the
    rest), then the values, so that checking the header does not read the values.
    """
    from synthkg.export import write_bytes_atomic

    blob = pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
    header = {"code": code_key(), "version": version, "values_bytes": len(blob)}
    write_bytes_atomic(
        store_dir / PAGE_DATA_FILE, pickle.dumps(header, pickle.HIGHEST_PROTOCOL) + blob
    )


def store_page_data(store: ox.Store, store_dir: Path, version: str, sizes: dict[str, int]) -> None:
    """Compute and save the page data of a built store."""
    write_page_data(store_dir, version, compute_page_data(store, version, sizes))


def page_data_current(store_dir: Path, version: str) -> bool:
    """Whether the store directory holds page data for this version and this code."""
    return _read(store_dir, version, values=False) is not None


def read_page_data(store_dir: Path, version: str) -> dict[str, Any]:
    """The saved values for this version, or nothing when the file is missing, unreadable,
    or written for other data or other code."""
    return _read(store_dir, version, values=True) or {}


def _read(store_dir: Path, version: str, *, values: bool) -> dict[str, Any] | None:
    path = store_dir / PAGE_DATA_FILE
    try:
        with path.open("rb") as source:
            # Written by the store build into the store directory: trusted exactly as far
            # as the database beside it.
            header = pickle.load(source)
            if not isinstance(header, dict) or header.get("code") != code_key():
                return None
            if header.get("version") != version:
                return None
            if os.fstat(source.fileno()).st_size - source.tell() != header.get("values_bytes"):
                LOG.warning("ignoring %s: cut short", path)
                return None
            if not values:
                return header
            found = pickle.load(source)
    except FileNotFoundError:
        return None
    except Exception as failure:  # a torn or foreign file: the data is computed instead
        LOG.warning("ignoring %s: %s", path, failure)
        return None
    return dict(found) if isinstance(found, dict) else None

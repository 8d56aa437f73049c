"""The reader pages' per-version data is computed by the store build and read by workers."""

from __future__ import annotations

import pickle
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask

from synthkg.store import PreparedStore, prepare_store, prepare_store_apart
from synthkg.web.app import create_app
from synthkg.web.page_data import (
    PAGE_DATA_FILE,
    page_data_current,
    read_page_data,
    write_page_data,
)
from synthkg.web.warmup import WARM_PATHS

MARK = "release-from-the-saved-page-data"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> PreparedStore:
    return prepare_store(tmp_path_factory.mktemp("page-data") / "store")


@pytest.fixture
def store_copy(built: PreparedStore, tmp_path: Path) -> Path:
    """A copy of the built store that a test may change."""
    copy = tmp_path / "store"
    shutil.copytree(built.path, copy)
    return copy


@pytest.fixture
def serve(built: PreparedStore) -> Iterator:
    apps: list[Flask] = []

    def app_over(store_dir: Path) -> Flask:
        app = create_app({"SYNTHKG_STORE": str(store_dir), "SYNTHKG_WARM_PAGES": False})
        apps.append(app)
        return app

    yield app_over
    for app in apps:
        app.extensions["synthkg"].pool.close()


def home_page(app: Flask) -> str:
    response = app.test_client().get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_build_saves_what_the_pages_would_compute(built: PreparedStore, serve) -> None:
    assert (built.path / PAGE_DATA_FILE).is_file()
    assert page_data_current(built.path, built.version)
    saved = read_page_data(built.path, built.version)
    assert {"home", "tree", "analysis", "paper-index"} <= set(saved)
    assert len(saved["paper-index"]) > 100  # the project's papers, not an empty index
    # The pages drawn from the saved values are the pages drawn from a live computation.
    from_file = serve(built.path)
    live = create_app(
        {"SYNTHKG_DATA_VERSION": built.version, "SYNTHKG_WARM_PAGES": False},
        store=ox.Store.read_only(str(built.database)),
    )
    live.extensions["synthkg"].modified = from_file.extensions["synthkg"].modified
    for path in (*WARM_PATHS, "/taxonomy/Application", "/search?q=diffusion"):
        answers = [app.test_client().get(path) for app in (from_file, live)]
        assert [a.status_code for a in answers] == [200, 200], path
        # Chart element ids come from a counter of the process that drew the chart.
        x, y = (re.sub(r"chart\d+-", "chart-", a.get_data(as_text=True)) for a in answers)
        assert x == y, path


def test_a_worker_serves_the_saved_values(store_copy: Path, built: PreparedStore, serve) -> None:
    saved = read_page_data(store_copy, built.version)
    saved["home"] = {**saved["home"], "release": MARK}
    write_page_data(store_copy, built.version, saved)
    assert MARK in home_page(serve(store_copy))


def test_values_saved_for_other_data_or_other_code_are_ignored(
    store_copy: Path, built: PreparedStore, serve
) -> None:
    saved = read_page_data(store_copy, built.version)
    saved["home"] = {**saved["home"], "release": MARK}
    write_page_data(store_copy, "another-data-version", saved)
    assert not page_data_current(store_copy, built.version)
    assert MARK not in home_page(serve(store_copy))
    with (store_copy / PAGE_DATA_FILE).open("wb") as out:
        pickle.dump({"code": "other code", "version": built.version}, out)
        pickle.dump(saved, out)
    assert read_page_data(store_copy, built.version) == {}
    assert MARK not in home_page(serve(store_copy))


def test_a_torn_file_is_ignored_then_replaced(
    store_copy: Path, built: PreparedStore, serve
) -> None:
    path = store_copy / PAGE_DATA_FILE
    path.write_bytes(path.read_bytes()[:200])
    assert read_page_data(store_copy, built.version) == {}
    assert "Statements" in home_page(serve(store_copy))  # computed by the worker instead
    prepare_store(store_copy)  # the next check of the store saves it again
    assert page_data_current(store_copy, built.version)
    assert "paper-index" in read_page_data(store_copy, built.version)


def test_a_store_without_page_data_gets_it_when_a_server_prepares_it(
    store_copy: Path, built: PreparedStore
) -> None:
    (store_copy / PAGE_DATA_FILE).unlink()
    prepared = prepare_store_apart(store_copy)
    assert not prepared.built  # the database itself was not rebuilt
    assert page_data_current(store_copy, built.version)


def test_a_preloading_master_holds_the_saved_values_before_it_forks(
    built: PreparedStore,
) -> None:
    import gc

    from synthkg.web import page_queries
    from synthkg.web.server import SynthKGServer

    server = SynthKGServer({"SYNTHKG_STORE": str(built.path)}, {"preload_app": True})
    app = server.load()
    try:
        shared = app.extensions["synthkg"]
        kept = page_queries._memo.get((id(shared.store), shared.version), {})
        assert {"home", "tree", "analysis", "paper-index"} <= set(kept)
        assert gc.get_freeze_count() > 0
        assert shared.pool._idle == []  # no query process yet: the workers fork their own
    finally:
        gc.unfreeze()
        app.extensions["synthkg"].pool.close()

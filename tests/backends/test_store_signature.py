"""Start-up with a persisted store: the files are hashed only when their size or time moved."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from backend_support import FIXTURE_SOURCES

import synthkg.store as store_module
from synthkg.store import (
    DATA_GRAPH,
    SIGNATURE_FILE,
    Sources,
    graph_sizes,
    memory_store,
    prepare_store,
    stored_graph_sizes,
)
from synthkg.web import create_app


@pytest.fixture
def sources(tmp_path: Path) -> Sources:
    """Copies of the fixture files that the tests may touch and edit."""
    copied: Sources = {}
    for graph, files in FIXTURE_SOURCES.items():
        copied[graph] = []
        for path in files:
            target = tmp_path / "files" / path.name
            target.parent.mkdir(exist_ok=True)
            shutil.copy(path, target)
            copied[graph].append(target)
    return copied


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the calls of the full hash over the files."""
    calls: list[int] = []
    real = store_module.data_version

    def counted(chosen: Sources | None = None) -> str:
        calls.append(1)
        return real(chosen)

    monkeypatch.setattr(store_module, "data_version", counted)
    return calls


def test_an_unchanged_store_opens_without_reading_the_files(
    sources: Sources, tmp_path: Path, hashes: list[int]
) -> None:
    first = prepare_store(tmp_path / "store", sources)
    assert first.built and (first.path / SIGNATURE_FILE).is_file()
    hashes.clear()
    again = prepare_store(tmp_path / "store", sources)
    assert not again.built
    assert again.version == first.version
    assert hashes == []


def test_a_touched_file_is_hashed_once_and_not_rebuilt(
    sources: Sources, tmp_path: Path, hashes: list[int]
) -> None:
    first = prepare_store(tmp_path / "store", sources)
    data = sources[DATA_GRAPH][0]
    os.utime(data, ns=(data.stat().st_atime_ns, data.stat().st_mtime_ns + 5_000_000_000))
    hashes.clear()
    touched = prepare_store(tmp_path / "store", sources)
    assert not touched.built and touched.version == first.version
    assert hashes == [1]
    hashes.clear()
    assert not prepare_store(tmp_path / "store", sources).built
    assert hashes == []  # the new times were recorded


def test_an_edited_file_rebuilds_the_store(sources: Sources, tmp_path: Path) -> None:
    first = prepare_store(tmp_path / "store", sources)
    data = sources[DATA_GRAPH][0]
    data.write_text(
        data.read_text(encoding="utf-8") + "\n<https://example.org/a> "
        "<https://example.org/b> <https://example.org/c> .\n",
        encoding="utf-8",
    )
    edited = prepare_store(tmp_path / "store", sources)
    assert edited.built and edited.version != first.version


def test_a_store_without_a_signature_is_checked_by_hash(
    sources: Sources, tmp_path: Path, hashes: list[int]
) -> None:
    first = prepare_store(tmp_path / "store", sources)
    (first.path / SIGNATURE_FILE).unlink()  # a store built before signatures existed
    hashes.clear()
    again = prepare_store(tmp_path / "store", sources)
    assert not again.built and hashes == [1]
    assert (first.path / SIGNATURE_FILE).is_file()


def test_graph_sizes_are_recorded_at_build_time(sources: Sources, tmp_path: Path) -> None:
    prepared = prepare_store(tmp_path / "store", sources)
    recorded = stored_graph_sizes(prepared.path)
    counted = {g.value: n for g, n in graph_sizes(memory_store(sources)).items()}
    assert recorded == counted and len(recorded) >= 2


def test_the_app_reads_the_recorded_sizes(tmp_path: Path) -> None:
    prepared = prepare_store(tmp_path / "store")  # the project's graph
    app = create_app({"TESTING": True, "SYNTHKG_STORE": str(prepared.path)})
    try:
        state = app.extensions["synthkg"]
        assert state._graphs == stored_graph_sizes(prepared.path)  # read, not counted
        assert state._graphs == {g.value: n for g, n in graph_sizes(memory_store()).items()}
    finally:
        app.extensions["synthkg"].pool.close()

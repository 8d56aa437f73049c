"""``synthkg load --store-url``: the project's graph pushed to a real ``oxigraph serve``."""

from __future__ import annotations

from pathlib import Path

import pytest
from backend_support import FIXTURE_SOURCES, RESOURCES, Oxigraph

from synthkg.backends.loader import load_remote
from synthkg.backends.remote import RemoteBackend
from synthkg.cli import main
from synthkg.errors import InputError
from synthkg.store import graph_sizes, memory_store


def _expected() -> dict[str, int]:
    return {g.value: n for g, n in graph_sizes(memory_store()).items()}


def test_load_by_sparql_update(runner, empty_oxigraph: Oxigraph) -> None:
    result = runner.invoke(main, ["load", "--store-url", empty_oxigraph.update])
    assert result.exit_code == 0, result.output
    assert "loaded by update" in result.output
    assert RemoteBackend(empty_oxigraph.query).graph_sizes() == _expected()


def test_load_by_graph_store_protocol_replaces_the_graphs(runner, empty_oxigraph: Oxigraph) -> None:
    load_remote(empty_oxigraph.update, sources=FIXTURE_SOURCES)  # something to replace
    args = ["load", "--store-url", empty_oxigraph.update]
    result = runner.invoke(main, [*args, "--graph-store-url", empty_oxigraph.store])
    assert result.exit_code == 0, result.output
    assert "loaded by graph-store" in result.output
    assert RemoteBackend(empty_oxigraph.query).graph_sizes() == _expected()


def test_a_second_load_leaves_the_same_graph(empty_oxigraph: Oxigraph) -> None:
    for _ in range(2):
        report = load_remote(empty_oxigraph.update, sources=FIXTURE_SOURCES, batch=7)
    sizes = RemoteBackend(empty_oxigraph.query).graph_sizes()
    assert sizes == report.triples
    assert sizes == {g.value: n for g, n in graph_sizes(memory_store(FIXTURE_SOURCES)).items()}


def test_a_bad_file_loads_nothing(empty_oxigraph: Oxigraph, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    sources = {**FIXTURE_SOURCES}
    sources[next(iter(sources))] = [broken]
    with pytest.raises(InputError, match=r"broken\.ttl"):
        load_remote(empty_oxigraph.update, sources=sources)
    assert RemoteBackend(empty_oxigraph.query).graph_sizes() == {}


def test_a_refused_update_is_an_input_error(runner, oxigraph: Oxigraph) -> None:
    # The query endpoint does not take updates: the store's refusal is reported.
    result = runner.invoke(main, ["load", "--store-url", oxigraph.query])
    assert result.exit_code == 2
    assert "answered" in result.output
    assert RESOURCES.is_dir()

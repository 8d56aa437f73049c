"""Fixtures of the link tests: a Wikidata-shaped ``oxigraph serve`` and a data folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .oxigraph_server import OxigraphServer, wikidata_graph

LINKING_RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "linking"


@pytest.fixture
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A running Wikidata-shaped SPARQL server (its own store; stopped afterwards)."""
    folder = tmp_path_factory.mktemp("wikidata")
    graph = folder / "wikidata.nt"
    graph.write_text(wikidata_graph(), encoding="utf-8")
    server = OxigraphServer(folder / "store")
    server.load(graph)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the fixture data folder (the link run writes links.ttl into it)."""
    target = tmp_path / "data"
    shutil.copytree(LINKING_RESOURCES / "data", target)
    return target

"""The fixed-cost ladder: each rung answers the lookup's own bytes, by the means it names."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from bench.generate import generate
from bench.ladder import RUNGS, climb, table
from bench.ladder_app import LadderApp, from_environ, lookup_job
from bench.mix import query_mix

from synthkg.web.results import run_job

LOOKUP = next(q for q in query_mix() if q.name == "point-paper-by-arxiv-id")


@pytest.fixture()
def store_path(tmp_path: Path) -> str:
    store = ox.Store(str(tmp_path / "store"))
    paper = ox.NamedNode("https://w3id.org/synthkg/paper/arxiv-2401.00001")
    store.add(
        ox.Quad(
            paper,
            ox.NamedNode("https://w3id.org/synthkg/ontology/arxivId"),
            ox.Literal("2401.00001"),
        )
    )
    store.add(ox.Quad(paper, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("A paper")))
    store.flush()
    del store
    return str(tmp_path / "store")


def expected_body(store_path: str) -> bytes:
    return run_job(ox.Store.read_only(store_path), lookup_job(LOOKUP.text)).body


def call(app: LadderApp) -> tuple[str, bytes]:
    seen: list[str] = []
    body = b"".join(app({}, lambda status, headers: seen.append(status)))
    return seen[0], body


def test_every_gunicorn_rung_answers_the_lookups_bytes(store_path: str) -> None:
    body = expected_body(store_path)
    assert b"A paper" in body
    for rung in ("http", "hop", "lookup"):
        app = LadderApp(rung, store_path, LOOKUP.text, body)
        try:
            assert call(app) == ("200 OK", body)
        finally:
            if app._pool is not None:
                app._pool.close()


def test_the_hop_rung_asks_a_query_process_which_never_queries(store_path: str) -> None:
    # Fixed bytes that the store could not produce: the query process returned them.
    app = LadderApp("hop", store_path, LOOKUP.text, b"fixed")
    try:
        assert call(app)[1] == b"fixed"
        assert app._pool is not None
        pids = {runner.pid for runner in app._pool._idle}
        assert pids and os.getpid() not in pids
    finally:
        app._pool.close()


def test_the_lookup_rung_evaluates_the_query(store_path: str) -> None:
    # Given other bytes to hold, the lookup rung still answers what the store says.
    app = LadderApp("lookup", store_path, LOOKUP.text, b"not the answer")
    try:
        assert call(app)[1] == expected_body(store_path)
    finally:
        if app._pool is not None:
            app._pool.close()


def test_the_rung_comes_from_the_environment(store_path: str) -> None:
    app = from_environ({"LADDER_RUNG": "http", "LADDER_BODY": b"ok".hex()})
    assert call(app) == ("200 OK", b"ok")
    with pytest.raises(ValueError, match="unknown rung"):
        from_environ({"LADDER_RUNG": "teleport"})


@pytest.mark.slow
def test_one_climb_measures_every_rung(tmp_path: Path) -> None:
    home = tmp_path / "graph"
    generate(3_000, 1, home)
    steps = climb(home, tmp_path / "work", LOOKUP, requests=200)
    assert [step.rung for step in steps] == list(RUNGS)
    for step in steps:
        assert step.wall > 0 and step.client > 0
    by_rung = {step.rung: step for step in steps}
    # Only the rungs with query processes spend CPU time in them.
    assert by_rung["http"].query_processes == 0
    assert by_rung["lookup"].query_processes > 0
    rendered = table([steps])
    assert rendered.count("\n") == len(RUNGS) + 1

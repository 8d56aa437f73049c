"""The query mix parses, and runs on a tiny graph on every server kind compared."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from bench.client import latency, paired_latency, warm_up
from bench.generate import generate
from bench.mix import bench_queries, query_mix
from bench.servers import CutOff, start


def test_every_query_of_the_mix_parses() -> None:
    mix = query_mix()
    assert len(bench_queries()) >= 10
    assert {q.name for q in mix if q.point} >= {"point-paper-by-arxiv-id"}
    assert any(q.graph for q in mix) and any(not q.point for q in mix)
    store = ox.Store()
    for query in mix:
        store.query(query.text)  # raises SyntaxError when it does not parse


@pytest.fixture(scope="module")
def tiny_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("tiny") / "graph"
    generate(3_000, 1, home)
    return home


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind", ["synthkg", "oxigraph", "oxigraph-memory", "rdflib-endpoint", "synthkg-virtuoso"]
)
def test_the_mix_runs_on_every_server(kind: str, tiny_graph: Path, tmp_path: Path) -> None:
    server = start(kind, tiny_graph, tmp_path / "work", limit=120)
    try:
        assert server.start_seconds > 0
        assert server.settle(max_seconds=30) < 30
        assert warm_up(server.url, query_mix()) > 0
        for query in query_mix():
            timing = latency(server.url, query, max_runs=1, max_seconds=0.1, timeout=60)
            assert timing.status == 200, (kind, query.name, timing)
            assert timing.p50 is not None and timing.p50 > 0
            if query.name == "point-paper-by-arxiv-id":
                assert timing.size > 0
        if server.virtuoso is not None and kind != "virtuoso":
            query = next(q for q in query_mix() if q.name == "per-year-counts")
            urls = (server.url, server.virtuoso.query)
            relay, direct = paired_latency(urls, query, max_runs=4, max_seconds=0.1)
            assert relay.status == direct.status == 200
            assert relay.runs == direct.runs == 4 and relay.p50 and direct.p50
    finally:
        peak = server.stop()
    assert peak > 1_000_000


@pytest.mark.slow
def test_synthkg_and_oxigraph_give_the_same_rows(tiny_graph: Path, tmp_path: Path) -> None:
    from synthkg.backends.http import HttpEndpoint

    counts: dict[str, dict[str, int]] = {}
    for kind in ("synthkg-memory", "oxigraph-memory"):
        server = start(kind, tiny_graph, tmp_path / kind, limit=120)
        try:
            endpoint = HttpEndpoint(server.url)
            for query in query_mix():
                if query.graph:
                    continue
                reply = endpoint.request(
                    "POST", None, query.text.encode(),
                    {"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"},
                )  # fmt: skip
                document = json.loads(reply.body)
                rows = document.get("results", {}).get("bindings", [document.get("boolean")])
                counts.setdefault(kind, {})[query.name] = len(rows)
        finally:
            server.stop()
    # SynthKG's store also holds the derived graph (Wikidata-style identifiers), which only
    # a query listing every property of a paper can see.
    for kind in counts:
        counts[kind].pop("point-paper-properties")
    assert counts["synthkg-memory"] == counts["oxigraph-memory"]
    assert counts["synthkg-memory"]["point-paper-by-arxiv-id"] == 1


def test_a_server_past_the_cut_off_is_recorded_as_cut_off(tiny_graph: Path, tmp_path: Path) -> None:
    began = time.perf_counter()
    with pytest.raises(CutOff, match=r"did not answer within 0\.01 s"):
        start("rdflib-endpoint", tiny_graph, tmp_path / "work", limit=0.01)
    assert time.perf_counter() - began < 30


@pytest.mark.slow
def test_synthkg_is_measured_without_client_budget_and_with_the_clients_deadline(
    tiny_graph: Path, tmp_path: Path
) -> None:
    import psutil

    server = start("synthkg", tiny_graph, tmp_path / "work", limit=120, query_timeout="77")
    try:
        process = psutil.Process(server.process.pid)
        arguments = process.cmdline()
        assert arguments[arguments.index("--timeout") + 1] == "77"
        # One load client asking for far more than a fair share must not be refused 429.
        assert process.environ()["SYNTHKG_CLIENT_BUDGET"] == "0"
        heavy = next(q for q in query_mix() if q.name == "method-application-matrix")
        for _ in range(3):
            assert latency(server.url, heavy, max_runs=3, max_seconds=0.5).status == 200
    finally:
        server.stop()


def test_the_report_gives_the_paired_ratio_of_the_mix() -> None:
    from bench.report import paired_tables

    def timing(p50: float | None) -> dict:
        return {"p50": p50, "p99": p50, "runs": 3, "size": 2048, "status": 200, "note": ""}

    paired = {
        "a": {"relay": timing(0.012), "direct": timing(0.010)},
        "b": {"relay": timing(0.110), "direct": timing(0.090)},
        "c": {"relay": timing(None), "direct": timing(5.0)},  # left out of both sums
    }
    lines = paired_tables({"synthkg-virtuoso": {"paired_with_virtuoso": paired}})
    assert "p50 sums 122.0 against 100.0 ms over 2 queries, ratio 1.22" in lines[0]
    assert "| a | 12.0 | 10.0 | 1.20 | 2.0 |" in lines
    assert "| c | - | 5000.0 | - | 2.0 |" in lines

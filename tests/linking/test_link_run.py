"""``synthkg link`` against a real Wikidata-shaped SPARQL server on loopback."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from synthkg.cli import main
from synthkg.linking.client import EndpointError, SparqlClient
from synthkg.linking.links import SSSOM
from synthkg.linking.run import link_papers
from synthkg.namespaces import PAPER
from synthkg.turtle import canonical_file

from .oxigraph_server import FlakyProxy, OxigraphServer, free_port

WD = "http://www.wikidata.org/entity/"
XSD_DOUBLE = URIRef("http://www.w3.org/2001/XMLSchema#double")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
DAY = date(2025, 1, 31)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_links_by_identifier_then_title_with_provenance(wikidata, data_dir, tmp_path):
    report = link_papers(
        wikidata.endpoint,
        data_dir=data_dir,
        batch_size=2,
        state_path=tmp_path / "s.json",
        today=DAY,
    )
    assert report.papers == 5  # the incomplete record is not linked
    assert report.batches == 3
    assert report.by_method == {"arxiv": 1, "doi": 1, "title": 1}
    links = Graph().parse(data_dir / "links.ttl")
    arxiv_paper = PAPER["arxiv-2401.00001"]
    assert (arxiv_paper, OWL.sameAs, URIRef(WD + "Q901")) in links
    assert (PAPER["doi-10.1109_tvcg.2025.12345"], OWL.sameAs, URIRef(WD + "Q902")) in links
    # A title match is the looser skos:exactMatch, found through another spelling.
    assert (PAPER["arxiv-2302.00002"], SKOS.exactMatch, URIRef(WD + "Q903")) in links
    # Two items share "Twin titles" once normalised: no link; nothing for unknown papers.
    targets = {str(o) for o in links.objects(None, OWL.sameAs)}
    targets |= {str(o) for o in links.objects(None, SKOS.exactMatch)}
    assert targets == {WD + "Q901", WD + "Q902", WD + "Q903"}
    record = links.value(predicate=OWL.annotatedSource, object=arxiv_paper)
    assert links.value(record, OWL.annotatedTarget) == URIRef(WD + "Q901")
    assert links.value(record, SSSOM["confidence"]) == Literal("1.0", datatype=XSD_DOUBLE)
    assert links.value(record, SSSOM["mapping_date"]) == Literal("2025-01-31", datatype=XSD_DATE)
    assert links.value(record, SSSOM["mapping_provider"]) == URIRef(wikidata.endpoint)
    assert str(links.value(record, SSSOM["match_string"])) == "2401.00001"
    title_record = links.value(predicate=OWL.annotatedSource, object=PAPER["arxiv-2302.00002"])
    assert float(links.value(title_record, SSSOM["confidence"])) == 0.9
    # The file is in the canonical form the other data files keep.
    assert canonical_file(data_dir / "links.ttl") == (data_dir / "links.ttl").read_text()


def test_a_second_run_redoes_this_endpoint_without_duplicates(wikidata, data_dir, tmp_path):
    for _ in range(2):
        link_papers(wikidata.endpoint, data_dir=data_dir, state_path=tmp_path / "s.json", today=DAY)
    first = (data_dir / "links.ttl").read_bytes()
    report = link_papers(
        wikidata.endpoint, data_dir=data_dir, state_path=tmp_path / "s.json", today=DAY
    )
    assert report.batches_skipped == report.batches
    assert report.requests == 0
    assert not report.changed
    assert (data_dir / "links.ttl").read_bytes() == first


def test_failure_half_way_writes_nothing_and_the_rerun_resumes(wikidata, data_dir, tmp_path):
    state = tmp_path / "state.json"
    before = snapshot(data_dir)

    def stop_after_first(done: int, total: int, skipped: bool) -> None:
        if done == 1:
            wikidata.stop()

    with pytest.raises(EndpointError, match="gave up after 2 attempts"):
        link_papers(
            wikidata.endpoint,
            data_dir=data_dir,
            batch_size=2,
            state_path=state,
            retries=1,
            backoff=0.01,
            on_batch=stop_after_first,
        )
    assert snapshot(data_dir) == before  # data/ untouched
    assert len(json.loads(state.read_text())["batches"]) == 1
    wikidata.start()  # same port, same store
    report = link_papers(
        wikidata.endpoint, data_dir=data_dir, batch_size=2, state_path=state, today=DAY
    )
    assert report.batches_skipped == 1
    assert report.by_method == {"arxiv": 1, "doi": 1, "title": 1}
    assert (data_dir / "links.ttl").is_file()


def test_server_errors_are_retried_with_back_off(wikidata):
    proxy = FlakyProxy(wikidata.endpoint, failures=2)
    try:
        client = SparqlClient(proxy.endpoint, timeout=5, retries=3, backoff=0.01)
        rows = client.select("SELECT ?item WHERE { ?item ?p ?o } LIMIT 1")
    finally:
        proxy.close()
    assert len(rows) == 1
    assert client.requests == 3
    assert proxy.seen == 3


def test_a_dead_endpoint_fails_after_its_retries(tmp_path):
    client = SparqlClient(
        f"http://127.0.0.1:{free_port()}/query", timeout=2, retries=2, backoff=0.01
    )
    with pytest.raises(EndpointError, match="gave up after 3 attempts"):
        client.select("ASK {}")


def test_link_command_reports_and_writes(wikidata: OxigraphServer, data_dir, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "link",
            "--endpoint",
            wikidata.endpoint,
            "--data",
            str(data_dir),
            "--batch-size",
            "3",
            "--state",
            str(tmp_path / "state.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "5 papers in 2 batches" in result.stderr
    assert (data_dir / "links.ttl").is_file()


def test_link_command_failure_exit_code(data_dir, tmp_path):
    before = snapshot(data_dir)
    result = CliRunner().invoke(
        main,
        [
            "link",
            "--endpoint",
            f"http://127.0.0.1:{free_port()}/query",
            "--data",
            str(data_dir),
            "--retries",
            "0",
            "--state",
            str(tmp_path / "state.json"),
        ],
    )
    assert result.exit_code == 2
    assert "gave up" in result.stderr
    assert snapshot(data_dir) == before

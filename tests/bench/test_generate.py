"""The graph generator: deterministic from its seed, shaped like the curated graph."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from bench.generate import ANCHOR_ARXIV, generate

from synthkg.namespaces import BASE, PREFIXES

SKG = PREFIXES["skg"]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = generate(4000, 7, tmp_path / "a")
    second = generate(4000, 7, tmp_path / "b")
    generate(4000, 8, tmp_path / "c")
    assert first == second
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["data/papers.ttl"] != _digest(tmp_path / "c")["data/papers.ttl"]
    assert set(_digest(tmp_path / "a")) == {
        "dataset.nq", "data/papers.ttl", "data/provenance.ttl", "data/venues.ttl",
        "ontology/synthkg.ttl",
    }  # fmt: skip


@pytest.mark.parametrize("triples", [10_000, 100_000])
def test_counts_per_size(tmp_path: Path, triples: int) -> None:
    counts = generate(triples, 1, tmp_path / "g")
    assert triples <= counts.triples < triples * 1.001 + 60
    quads = list(ox.parse(path=str(tmp_path / "g" / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == counts.triples
    graphs = Counter(q.graph_name.value for q in quads)
    assert graphs == {
        BASE + "graph/ontology": counts.ontology_triples,
        BASE + "graph/data": counts.data_triples,
    }
    # About 32 triples per paper, as in the curated graph.
    assert 25 < counts.data_triples / counts.papers < 40


def test_shape_of_the_papers(tmp_path: Path) -> None:
    generate(20_000, 3, tmp_path / "g")
    store = ox.Store()
    for name in ("papers", "provenance", "venues"):
        store.bulk_load(
            path=str(tmp_path / "g" / "data" / f"{name}.ttl"), format=ox.RdfFormat.TURTLE
        )
    store.bulk_load(
        path=str(tmp_path / "g" / "ontology" / "synthkg.ttl"), format=ox.RdfFormat.TURTLE
    )
    papers = {
        q.subject
        for q in store.quads_for_pattern(
            None, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(SKG + "Paper")
        )
    }
    assert len(papers) > 400
    assert ox.NamedNode(f"{BASE}paper/arxiv-{ANCHOR_ARXIV}") in papers
    for prop in ("http://purl.org/dc/terms/title", PREFIXES["fabio"] + "hasPublicationYear"):
        per_paper = Counter(
            q.subject for q in store.quads_for_pattern(None, ox.NamedNode(prop), None)
        )
        assert papers <= set(per_paper)
        assert {per_paper[paper] for paper in papers} == {1}
    # Every category link points into the real taxonomy, at the right root.
    query = (
        "PREFIX skg: <" + SKG + "> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT (COUNT(*) AS ?bad) WHERE { ?p skg:usesMethod ?c "
        "FILTER NOT EXISTS { ?c skos:broader+ skg:SynthesisMethod } }"
    )
    assert next(iter(store.query(query)))["bad"].value == "0"
    rows = next(iter(store.query(
        "PREFIX skg: <" + SKG + "> SELECT (COUNT(DISTINCT ?c) AS ?n) "
        "WHERE { ?x skg:classifiedPaper ?p ; skg:category ?c }"
    )))  # fmt: skip
    assert int(rows["n"].value) > 20

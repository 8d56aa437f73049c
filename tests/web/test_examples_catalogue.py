"""The example catalogue: every file is well formed, parses and runs; answers on a fixture."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF
from web_pages_support import fixture_app, fixture_store

from synthkg import examples
from synthkg.errors import InputError
from synthkg.namespaces import SCHEMA, SH

ALL = examples.load_examples()


def run(store: ox.Store, example: examples.Example) -> list[dict[str, str]] | bool | int:
    result = store.query(example.query, use_default_graph_as_union=True)
    if example.form == "ASK":
        return bool(result)
    if example.form == "CONSTRUCT":
        return len(list(result))
    names = [v.value for v in result.variables]
    return [
        {n: row[n].value for n in names if row[n] is not None}
        for row in result  # type: ignore[union-attr]
    ]


def by_name(name: str) -> examples.Example:
    return next(e for e in ALL if e.name == name)


def test_catalogue_has_enough_examples_with_all_fields() -> None:
    assert len(ALL) >= 12
    assert len({e.name for e in ALL}) == len(ALL)
    for example in ALL:
        assert example.label and len(example.comment) > 40, example.path
        assert example.keywords, example.path
        assert example.form in example.query.upper(), example.path


def test_every_file_is_an_sh_executable_with_a_target() -> None:
    graph = examples.catalogue_graph()
    executables = set(graph.subjects(RDF.type, SH["SPARQLExecutable"]))
    assert len(executables) == len(ALL)
    for subject in executables:
        assert (subject, SCHEMA["target"], None) in graph


@pytest.mark.parametrize("example", ALL, ids=lambda e: e.name)
def test_example_parses_and_runs_on_pyoxigraph(example: examples.Example) -> None:
    store = fixture_store()
    answer = run(store, example)
    # Every example has an answer on the fixture graph, which was made to cover them all.
    assert answer, example.name


def test_malformed_example_names_its_file(tmp_path: Path) -> None:
    bad = tmp_path / "01-bad.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://w3id.org/synthkg/.well-known/sparql-examples/bad> a sh:SPARQLExecutable .\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"01-bad\.ttl"):
        examples.load_examples(tmp_path)


def test_fixture_answers() -> None:
    store = fixture_store()
    (row,) = run(store, by_name("paper-by-arxiv-id"))
    assert row["title"].startswith("Self-instruct")
    assert "Synthesis from scratch" in row["categories"]
    (row,) = run(store, by_name("paper-by-doi"))
    assert row["paper"].endswith("doi-10.1109_cvpr52733.2024.00705")
    (row,) = run(store, by_name("classification-provenance"))
    assert row["line"] == "67" and row["fileName"] == "current-list.md"
    (row,) = run(store, by_name("conflicting-years"))
    assert row["statedYears"] == "2024, 2025"
    (row,) = run(store, by_name("incomplete-records"))
    assert row["shortName"] == "Mystery"
    published = {
        r["paper"].rsplit("/", 1)[-1] for r in run(store, by_name("preprints-later-published"))
    }
    assert published == {"arxiv-2406.04412"}
    matrix = {
        (r["methodLabel"], r["applicationLabel"]): int(r["papers"])
        for r in run(store, by_name("method-application-matrix"))
    }
    assert matrix == {
        ("Generation-based synthesis", "Model-centric AI"): 2,
        ("Augmentation-based synthesis", "Data-centric AI"): 1,
    }
    venues = [(r["label"], int(r["papers"])) for r in run(store, by_name("venues-ranked"))]
    assert venues[0] == ("CVPR", 2)
    assert run(store, by_name("has-papers-under-challenge")) is True


def test_catalogue_served_as_turtle_by_default_and_html_for_browsers() -> None:
    client = fixture_app().test_client()
    response = client.get("/.well-known/sparql-examples")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert len(set(graph.subjects(RDF.type, SH["SPARQLExecutable"]))) == len(ALL)
    jsonld = client.get("/.well-known/sparql-examples", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    assert len(Graph().parse(data=jsonld.get_data(as_text=True), format="json-ld")) == len(graph)
    page = client.get(
        "/.well-known/sparql-examples",
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for example in ALL:
        assert example.label in text
    assert client.get("/examples").status_code == 200


def test_lookup_examples_give_their_key_as_a_constant() -> None:
    # A key computed in the query (BIND of LCASE before the pattern) made the DOI lookup
    # compare every DOI in the graph: 1.5 s at 10^7 triples against 0.4 ms for a constant.
    lookups = [ex for ex in examples.load_examples() if "lookup" in ex.keywords]
    assert {ex.name for ex in lookups} >= {"paper-by-doi", "paper-by-arxiv-id"}
    for example in lookups:
        where = example.query.split("WHERE", 1)[1]
        assert "BIND" not in where.split("?paper", 1)[0], example.name

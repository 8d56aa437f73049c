"""Each example query on the real project graph (ontology + data/), checked against facts
from the sources and against counts made directly in Python over the same files."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from synthkg import examples
from synthkg.graph import data_files, load_data, load_ontology
from synthkg.namespaces import FABIO, PROV, SCHEMA, SKG
from synthkg.store import memory_store

LINKS = (SKG["usesMethod"], SKG["hasApplication"], SKG["addressesChallenge"])
ROOTS = (SKG["SynthesisMethod"], SKG["Application"], SKG["Challenge"])


@pytest.fixture(scope="module")
def store() -> ox.Store:
    assert data_files(), "data/ holds no Turtle files yet"
    return memory_store()


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_ontology() + load_data()


def run(store: ox.Store, name: str) -> list[dict[str, str]]:
    example = next(e for e in examples.load_examples() if e.name == name)
    result = store.query(example.query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def ancestors(graph: Graph, category: URIRef) -> set[URIRef]:
    """The category and every broader one."""
    found, todo = set(), [category]
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(o for o in graph.objects(node, SKOS.broader) if isinstance(o, URIRef))
    return found


def categories_of(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Paper -> every category it sits under, broader ones included."""
    result: dict[URIRef, set[URIRef]] = defaultdict(set)
    for link in LINKS:
        for paper, category in graph.subject_objects(link):
            result[paper] |= ancestors(graph, category)
    return result


def test_arxiv_lookup_finds_self_instruct(store: ox.Store) -> None:
    (row,) = run(store, "paper-by-arxiv-id")
    assert row["paper"] == "https://w3id.org/synthkg/paper/arxiv-2212.10560"
    assert row["title"].lower().startswith("self-instruct")
    assert row["year"] == "2022"
    assert "Synthesis from scratch" in row["categories"]


def test_doi_lookup_finds_the_cvpr_paper(store: ox.Store) -> None:
    (row,) = run(store, "paper-by-doi")
    assert row["title"].startswith("Scaling laws of synthetic images")
    assert row["venueLabel"] == "CVPR"
    assert row["doiIri"] == "https://doi.org/10.1109/cvpr52733.2024.00705"


def test_classification_provenance_points_at_the_list_line(store: ox.Store) -> None:
    rows = run(store, "classification-provenance")
    current = [r for r in rows if r["fileName"] == "awesome-synthetic-data-generation.md"]
    assert current, rows
    assert {r["line"] for r in current} == {"67"}
    assert all("Synthesis from scratch" in r["section"] for r in current)


def test_papers_under_category_match_python(store: ox.Store, graph: Graph) -> None:
    expected = {str(p) for p, cats in categories_of(graph).items() if SKG["DataCentricAI"] in cats}
    assert expected
    assert {r["paper"] for r in run(store, "papers-under-category")} == expected


def test_category_counts_match_python(store: ox.Store, graph: Graph) -> None:
    counts: dict[str, int] = defaultdict(int)
    for cats in categories_of(graph).values():
        for category in cats:
            counts[str(category)] += 1
    rows = run(store, "category-paper-counts")
    assert len(rows) >= 70
    for row in rows:
        assert int(row["papers"]) == counts.get(row["category"], 0), row["label"]


def test_matrix_has_rows_matching_python(store: ox.Store, graph: Graph) -> None:
    families = set(graph.subjects(SKOS.broader, SKG["SynthesisMethod"]))
    areas = set(graph.subjects(SKOS.broader, SKG["Application"]))
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for cats in categories_of(graph).values():
        for family in families & cats:
            for area in areas & cats:
                cells[(str(family), str(area))] += 1
    rows = run(store, "method-application-matrix")
    assert len(rows) >= 4
    assert {(r["method"], r["application"]): int(r["papers"]) for r in rows} == dict(cells)


def test_papers_per_year_total_matches_python(store: ox.Store, graph: Graph) -> None:
    tops = {t for root in ROOTS for t in graph.subjects(SKOS.broader, root)}
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for paper, cats in categories_of(graph).items():
        for year in graph.objects(paper, FABIO["hasPublicationYear"]):
            for top in tops & cats:
                expected[(str(year), str(top))] += 1
    rows = run(store, "papers-per-year-per-top-category")
    assert {(r["year"], r["top"]): int(r["papers"]) for r in rows} == dict(expected)


def test_several_top_categories_match_python(store: ox.Store, graph: Graph) -> None:
    tops = {t for root in ROOTS for t in graph.subjects(SKOS.broader, root)}
    expected = {str(p) for p, cats in categories_of(graph).items() if len(tops & cats) >= 2}
    assert {r["paper"] for r in run(store, "papers-in-several-top-categories")} == expected


def test_venues_ranked_match_python(store: ox.Store, graph: Graph) -> None:
    counts: dict[str, set[str]] = defaultdict(set)
    for paper, venue in graph.subject_objects(SKG["publishedIn"]):
        counts[str(venue)].add(str(paper))
    rows = run(store, "venues-ranked")
    assert {r["venue"]: int(r["papers"]) for r in rows} == {v: len(p) for v, p in counts.items()}
    assert [int(r["papers"]) for r in rows] == sorted(
        (int(r["papers"]) for r in rows), reverse=True
    )


def test_most_recent_papers_are_from_the_latest_year(store: ox.Store, graph: Graph) -> None:
    latest = max(str(y) for y in graph.objects(None, FABIO["hasPublicationYear"]))
    rows = run(store, "most-recent-papers")
    assert len(rows) == 25
    assert rows[0]["year"] == latest


def test_preprints_later_published_include_every_arxiv_paper_elsewhere(
    store: ox.Store, graph: Graph
) -> None:
    arxiv = URIRef("https://w3id.org/synthkg/venue/arxiv")
    expected = {
        str(p)
        for p, _ in graph.subject_objects(SKG["arxivId"])
        if any(v != arxiv for v in graph.objects(p, SKG["publishedIn"]))
    }
    found = {r["paper"] for r in run(store, "preprints-later-published")}
    assert expected and expected <= found


def test_conflicting_years_match_python(store: ox.Store, graph: Graph) -> None:
    expected = set()
    for paper in set(graph.subjects(None, SKG["Paper"])):
        years = {
            str(y)
            for row in graph.objects(paper, PROV.wasDerivedFrom)
            for y in graph.objects(row, SKG["statedYear"])
        }
        if len(years) >= 2:
            expected.add(str(paper))
    assert {r["paper"] for r in run(store, "conflicting-years")} == expected


def test_identifiers_as_iris_cover_every_same_as(store: ox.Store, graph: Graph) -> None:
    papers = set(graph.subjects(None, SKG["Paper"]))
    expected = {(str(p), str(i)) for p, i in graph.subject_objects(SCHEMA["sameAs"]) if p in papers}
    assert {(r["paper"], r["iri"]) for r in run(store, "identifiers-as-iris")} == expected


def test_incomplete_records_match_python(store: ox.Store, graph: Graph) -> None:
    expected = {str(p) for p in graph.subjects(SKG["recordStatus"], SKG["Incomplete"])}
    assert expected
    assert {r["paper"] for r in run(store, "incomplete-records")} == expected

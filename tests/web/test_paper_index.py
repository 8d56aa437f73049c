"""The category lists' and title search's Python ordering and matching give exactly what the
SPARQL list queries give."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from synthkg.store import memory_store
from synthkg.web import page_queries as pq
from synthkg.web.paper_index import build_index, in_order, ordered
from synthkg.web.tree import load_tree


@pytest.fixture(scope="module")
def project() -> ox.Store:
    return memory_store()


def sparql_order(store: ox.Store, category: str, sort: str, descending: bool) -> list[str]:
    solutions = pq.select(
        store,
        "category-papers",
        category=ox.NamedNode(category),
        order=pq.order_clause(sort, descending),
        limit=100_000,
        offset=0,
    )
    seen: dict[str, None] = {}
    for solution in solutions:
        seen.setdefault(solution["paper"].value, None)
    return list(seen)


def test_every_category_and_order_matches_the_sparql_query(project: ox.Store) -> None:
    tree = load_tree(project)
    index = build_index(project, tree)
    compared = 0
    for category in tree.nodes:
        for sort in pq.ORDERS:
            for descending in (False, True):
                expected = sparql_order(project, category, sort, descending)
                assert ordered(index, category, sort, descending) == expected, (
                    category,
                    sort,
                    descending,
                )
                compared += len(expected)
    assert compared > 1000  # the project graph, not an empty one


def words_filter(words: tuple[str, ...]) -> pq.Fragment:
    """The search query's filter: every word in the lower-cased title and short names."""
    return pq.Fragment(" && ".join(f"CONTAINS(?text, {ox.Literal(w)})" for w in words))


@pytest.mark.parametrize(
    "words", [("synthetic",), ("data", "diffusion"), ("self-instruct",), ("zzz",)]
)
def test_title_search_matches_the_sparql_query(project: ox.Store, words: tuple[str, ...]) -> None:
    index = build_index(project, load_tree(project))
    found = {k.iri for k in index.keys.values() if all(word in k.text for word in words)}
    for sort in pq.ORDERS:
        solutions = pq.select(
            project,
            "search-title",
            words=words_filter(words),
            order=pq.order_clause(sort, True),
            limit=100_000,
            offset=0,
        )
        expected = list(dict.fromkeys(s["paper"].value for s in solutions))
        assert in_order(index, found, sort, True) == expected

"""The category lists' and title search's Python ordering and matching give exactly what the
SPARQL list queries give."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from synthkg.store import memory_store
from synthkg.web import page_queries as pq
from synthkg.web.paper_index import PaperIndex, build_index, in_order, matching, ordered
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
                found = [index.iri(paper) for paper in ordered(index, category, sort, descending)]
                assert found == expected, (
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
    found = matching(index, words)
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
        assert [index.iri(paper) for paper in in_order(index, found, sort, True)] == expected


def test_a_word_matches_within_one_paper_only(project: ox.Store) -> None:
    index = build_index(project, load_tree(project))
    texts = [
        index.search_text[index.search_starts[n] : index.search_starts[n + 1]].decode()
        for n in range(len(index))
    ]
    # Words made of the end of one paper's text and the start of the next one's.
    across = [texts[n].rstrip("\n")[-4:] + texts[n + 1][:4] for n in range(0, 40, 4)]
    for word in [*across, "data", "synthetic data"]:
        expected = {n for n, text in enumerate(texts) if word in text}
        assert matching(index, (word,)) == expected, word
    assert matching(index, ()) == set(range(len(index)))
    assert matching(index, ("",)) == set(range(len(index)))


def test_every_paper_has_an_id_in_iri_order(project: ox.Store) -> None:
    index: PaperIndex = build_index(project, load_tree(project))
    iris = [index.iri(paper) for paper in range(len(index))]
    assert iris == sorted(iris) and len(set(iris)) == len(iris) > 200
    for ranks in index.ranks.values():
        assert sorted(ranks) == list(range(len(index)))

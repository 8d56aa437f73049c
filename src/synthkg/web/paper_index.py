"""Category paper lists and title search that stay fast at 10^5 papers.

Sorting a category's papers in SPARQL reads every paper's title, year and venue again for
each page (about 3 s a page for a category of 10^5 papers). Instead, the sort keys of all
papers and the paper-to-category links are read once per data version; a page is then a
Python sort (kept per category and order) and one query for the fields of its rows; a
title search matches the words in Python over the same index. The
orders are those of ``page_queries.ORDERS``: the same SPARQL ordering rules (an unbound
year first when ascending, last when descending; lower-cased strings compared by code
point; the paper IRI last).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from synthkg.web import page_queries as pq
from synthkg.web.executor import release_free_memory
from synthkg.web.listing import Listing, Paging, paper_row
from synthkg.web.tree import Tree


@dataclass(frozen=True)
class PaperIndex:
    """Every paper's place in each list order, the papers under each category, and the
    text that title search matches, held in a few flat arrays.

    A paper is known by its position in IRI order (its *id*). Every web worker holds one
    index: as one object per paper (a dict of keys, sets of IRIs) it took 46 MiB of Python
    objects at 31,821 papers (10^6 triples), as these arrays 7 MiB.
    """

    iri_text: bytes  # every paper IRI, UTF-8, in id order
    iri_starts: array  # where each IRI begins in ``iri_text``; one more entry at the end
    ranks: dict[tuple[str, bool], array]  # (sort, descending) -> each paper's place
    members: dict[str, array]  # category IRI -> ids of its papers, subcategories included
    search_text: bytes  # each paper's lower-cased title and short names, UTF-8, "\n" after
    search_starts: array  # where each paper's search text begins; one more entry at the end

    def __len__(self) -> int:
        return len(self.iri_starts) - 1

    def iri(self, paper: int) -> str:
        """The IRI of a paper id."""
        return self.iri_text[self.iri_starts[paper] : self.iri_starts[paper + 1]].decode()


def _offsets(parts: list[bytes]) -> array:
    starts = array("q", [0])
    total = 0
    for part in parts:
        total += len(part)
        starts.append(total)
    return starts


def _dense(values: list[Any]) -> list[int]:
    """Each value's rank among the distinct values (equal values share a rank)."""
    order = {value: rank for rank, value in enumerate(sorted(set(values)))}
    return [order[value] for value in values]


def _places(keys: Iterable[Any], count: int) -> array:
    """For each paper id, its place when the papers are sorted by ``keys``."""
    by_key = sorted(range(count), key=list(keys).__getitem__)
    places = array("i", bytes(4 * count))
    for place, paper in enumerate(by_key):
        places[paper] = place
    return places


def _rows(store: Any, name: str) -> Iterator[ox.QuerySolution]:
    yield from store.query(pq.render(name), use_default_graph_as_union=True)


def build_index(store: Any, tree: Tree) -> PaperIndex:
    """Read the sort keys and the category links from the store."""
    fields: dict[str, tuple[str, str | None, str, str]] = {}
    for row in _rows(store, "paper-sort-keys"):
        title = pq.text(row["title"]) or ""
        fields[row["paper"].value] = (
            title.lower(),
            pq.text(row["year"]),
            (pq.text(row["venueLabel"]) or "").lower(),
            f"{title} {pq.text(row['shortNames']) or ''}".lower(),
        )
    iris = sorted(fields)
    count = len(iris)
    # Dense ranks of the compared values, so that a descending key is a negated number and
    # the tie-breakers (title, then IRI, both ascending) keep their direction.
    titles = _dense([fields[iri][0] for iri in iris])
    # An unbound year sorts before every year (as in SPARQL's ascending order).
    years = _dense([(0, "") if fields[iri][1] is None else (1, fields[iri][1]) for iri in iris])
    venues = _dense([fields[iri][2] for iri in iris])
    ranks: dict[tuple[str, bool], array] = {}
    for descending in (False, True):
        sign = -1 if descending else 1
        ids = range(count)
        ranks["year", descending] = _places(((sign * years[i], titles[i], i) for i in ids), count)
        ranks["venue", descending] = _places(((sign * venues[i], -years[i], i) for i in ids), count)
        ranks["title", descending] = _places(((sign * titles[i], i) for i in ids), count)
    search = [fields[iri][3].replace("\n", " ").encode() + b"\n" for iri in iris]
    ids_of = {iri: paper for paper, iri in enumerate(iris)}
    groups: dict[str, set[int]] = {}
    for row in _rows(store, "paper-category-links"):
        paper, node = ids_of.get(row["paper"].value), tree.nodes.get(row["category"].value)
        if paper is None or node is None:
            continue
        for above in (*tree.path(node), node):
            groups.setdefault(above.iri, set()).add(paper)
    encoded = [iri.encode() for iri in iris]
    index = PaperIndex(
        iri_text=b"".join(encoded),
        iri_starts=_offsets(encoded),
        ranks=ranks,
        members={category: array("i", sorted(ids)) for category, ids in groups.items()},
        search_text=b"".join(search),
        search_starts=_offsets(search),
    )
    del fields, iris, titles, years, venues, search, ids_of, groups, encoded
    release_free_memory()  # the row objects above were many and short-lived
    return index


def in_order(index: PaperIndex, papers: Iterable[int], sort: str, descending: bool) -> array:
    """Paper ids in one of the list orders."""
    return array("i", sorted(papers, key=index.ranks[sort, descending].__getitem__))


def ordered(index: PaperIndex, category: str, sort: str, descending: bool) -> array:
    """The ids of the category's papers in the chosen order."""
    return in_order(index, index.members.get(category, ()), sort, descending)


def matching(index: PaperIndex, words: Iterable[str]) -> set[int]:
    """The ids of the papers whose search text holds every word (words lower-cased)."""
    found: set[int] | None = None
    text, starts = index.search_text, index.search_starts
    for word in words:
        needle = word.encode()
        if not needle:
            continue  # an empty word is in every text
        hits: set[int] = set()
        position = text.find(needle)
        while position != -1:
            paper = bisect_right(starts, position) - 1
            hits.add(paper)
            position = text.find(needle, starts[paper + 1])  # on to the next paper
        found = hits if found is None else found & hits
        if not found:
            break
    return set(range(len(index))) if found is None else found


def current_index(store: Any, tree: Tree) -> PaperIndex:
    """The index of the served data version (built on first use)."""
    return pq.per_version("paper-index", lambda: build_index(store, tree))


def category_listing(store: Any, tree: Tree, category: str, paging: Paging) -> Listing:
    """One page of a category's papers (subcategories included)."""
    index = current_index(store, tree)
    descending = paging.order == "desc"
    papers = pq.per_version(
        f"paper-order:{category}:{paging.sort}:{paging.order}",
        lambda: ordered(index, category, paging.sort, descending),
    )
    return page_of(store, index, papers, paging)


def search_listing(
    store: Any, tree: Tree, words: tuple[str, ...], paging: Paging, extra: dict[str, str]
) -> Listing:
    """One page of the papers whose title or short name holds every word (words are
    case-folded; titles lower-cased, as SPARQL's LCASE does)."""
    index = current_index(store, tree)
    papers = in_order(index, matching(index, words), paging.sort, paging.order == "desc")
    listing = page_of(store, index, papers, paging)
    listing.extra = extra
    return listing


def page_of(store: Any, index: PaperIndex, papers: array, paging: Paging) -> Listing:
    """The rows of one page of an ordered list of paper ids."""
    page = [index.iri(paper) for paper in papers[paging.offset : paging.offset + paging.size]]
    rows = []
    if page:
        values = pq.Fragment(" ".join(str(ox.NamedNode(iri)) for iri in page))
        found: dict[str, Any] = {}
        for solution in pq.select(store, "paper-rows", papers=values):
            found.setdefault(solution["paper"].value, solution)
        rows = [paper_row(found[iri]) for iri in page if iri in found]
    return Listing(rows=rows, total=len(papers), paging=paging)

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

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from synthkg.web import page_queries as pq
from synthkg.web.listing import Listing, Paging, paper_row
from synthkg.web.tree import Tree


@dataclass(frozen=True)
class SortKeys:
    """What the list orders compare for one paper."""

    iri: str
    title: str  # lower-cased, "" when the paper has none
    year: tuple[int, str]  # (0, "") when the paper has none, so it sorts first
    venue: str  # lower-cased venue label, "" when none
    text: str  # lower-cased title and short names, for word search


@dataclass
class PaperIndex:
    """Every paper's sort keys and the papers under each category, subcategories included."""

    keys: dict[str, SortKeys]
    members: dict[str, set[str]]  # category IRI -> paper IRIs


def build_index(store: Any, tree: Tree) -> PaperIndex:
    """Read the sort keys and the category links from the store."""
    keys: dict[str, SortKeys] = {}
    for row in pq.select(store, "paper-sort-keys"):
        iri = row["paper"].value
        year = pq.text(row["year"])
        title = pq.text(row["title"]) or ""
        keys[iri] = SortKeys(
            iri=iri,
            title=title.lower(),
            year=(1, year) if year is not None else (0, ""),
            venue=(pq.text(row["venueLabel"]) or "").lower(),
            text=f"{title} {pq.text(row['shortNames']) or ''}".lower(),
        )
    members: dict[str, set[str]] = {}
    for row in pq.select(store, "paper-category-links"):
        paper, category = row["paper"].value, row["category"].value
        node = tree.nodes.get(category)
        if node is None or paper not in keys:
            continue
        for above in (*tree.path(node), node):
            members.setdefault(above.iri, set()).add(paper)
    return PaperIndex(keys=keys, members=members)


def ordered(index: PaperIndex, category: str, sort: str, descending: bool) -> list[str]:
    """The category's papers in the chosen order."""
    return in_order(index, index.members.get(category, set()), sort, descending)


def in_order(index: PaperIndex, papers: set[str], sort: str, descending: bool) -> list[str]:
    """Papers in one of the list orders."""
    rows = sorted((index.keys[iri] for iri in papers), key=_by_iri)
    # Stable sorts from the last key to the first, each in its own direction.
    if sort == "year":
        rows.sort(key=_by_title)
        rows.sort(key=_by_year, reverse=descending)
    elif sort == "venue":
        rows.sort(key=_by_year, reverse=True)
        rows.sort(key=_by_venue, reverse=descending)
    else:
        rows.sort(key=_by_title, reverse=descending)
    return [row.iri for row in rows]


def _by_iri(keys: SortKeys) -> str:
    return keys.iri


def _by_title(keys: SortKeys) -> str:
    return keys.title


def _by_year(keys: SortKeys) -> tuple[int, str]:
    return keys.year


def _by_venue(keys: SortKeys) -> str:
    return keys.venue


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
    return page_of(store, papers, paging)


def search_listing(
    store: Any, tree: Tree, words: tuple[str, ...], paging: Paging, extra: dict[str, str]
) -> Listing:
    """One page of the papers whose title or short name holds every word (words are
    case-folded; titles lower-cased, as SPARQL's LCASE does)."""
    index = current_index(store, tree)
    found = {k.iri for k in index.keys.values() if all(word in k.text for word in words)}
    papers = in_order(index, found, paging.sort, paging.order == "desc")
    listing = page_of(store, papers, paging)
    listing.extra = extra
    return listing


def page_of(store: Any, papers: list[str], paging: Paging) -> Listing:
    """The rows of one page of an ordered list of papers."""
    page = papers[paging.offset : paging.offset + paging.size]
    rows = []
    if page:
        values = pq.Fragment(" ".join(str(ox.NamedNode(iri)) for iri in page))
        found: dict[str, Any] = {}
        for solution in pq.select(store, "paper-rows", papers=values):
            found.setdefault(solution["paper"].value, solution)
        rows = [paper_row(found[iri]) for iri in page if iri in found]
    return Listing(rows=rows, total=len(papers), paging=paging)

"""Paged, sortable paper lists (category pages, heatmap cells, search results).

``?page=N`` (from 1), ``?sort=year|venue|title`` and ``?order=asc|desc`` come from the
request; the list query gets LIMIT/OFFSET and its total comes from a separate COUNT query,
so a page costs the same however many papers the graph holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import request

from synthkg.web import page_queries as pq
from synthkg.web.linked_data import link_for

PAGE_SIZE = 50
DEFAULT_ORDER = {"year": "desc", "venue": "asc", "title": "asc"}


@dataclass(frozen=True)
class PaperRow:
    """One line of a paper list."""

    iri: str
    href: str
    title: str
    year: str | None
    venue: str | None
    venue_href: str | None
    preprint: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "url": self.href,
            "title": self.title,
            "year": self.year,
            "venue": self.venue,
            "preprint": self.preprint,
        }


def paper_row(solution: Any) -> PaperRow:
    """A list row from a solution binding ?paper ?title ?year ?venue ?venueLabel ?preprint."""
    iri = solution["paper"].value
    venue = solution["venue"]
    venue_label = pq.text(solution["venueLabel"])
    if venue is not None and venue_label is None:
        venue_label = venue.value.rsplit("/", 1)[-1]
    preprint = solution["preprint"]
    return PaperRow(
        iri=iri,
        href=link_for(iri, {})["href"],
        title=pq.text(solution["title"]) or iri.rsplit("/", 1)[-1],
        year=pq.text(solution["year"]),
        venue=venue_label,
        venue_href=link_for(venue.value, {})["href"] if venue is not None else None,
        preprint=preprint is not None and preprint.value == "true",
    )


@dataclass
class Paging:
    """The visitor's choice of page and order, read from the query string."""

    page: int = 1
    sort: str = "year"
    order: str = "desc"
    size: int = PAGE_SIZE

    @classmethod
    def from_request(cls, default_sort: str = "year") -> Paging:
        sort = request.args.get("sort", default_sort)
        if sort not in pq.ORDERS:
            sort = default_sort
        order = request.args.get("order", DEFAULT_ORDER[sort])
        if order not in ("asc", "desc"):
            order = DEFAULT_ORDER[sort]
        try:
            page = max(1, int(request.args.get("page", "1")))
        except ValueError:
            page = 1
        return cls(page=page, sort=sort, order=order)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def params(self) -> dict[str, pq.Param]:
        """The ORDER BY, LIMIT and OFFSET parameters of a list query."""
        return {
            "order": pq.order_clause(self.sort, self.order == "desc"),
            "limit": self.size,
            "offset": self.offset,
        }


@dataclass
class Listing:
    """One page of a paper list, with what the template needs to link the others."""

    rows: list[PaperRow]
    total: int
    paging: Paging
    extra: dict[str, str] = field(default_factory=dict)  # other query-string values kept

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.paging.size))

    @property
    def first(self) -> int:
        return self.paging.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.paging.offset + len(self.rows)

    def url(self, page: int | None = None, sort: str | None = None) -> str:
        """The query string of another page or order of this list."""
        values = dict(self.extra)
        if sort is None:
            values.update(sort=self.paging.sort, order=self.paging.order)
        else:
            # Choosing the current column again flips its direction.
            same = sort == self.paging.sort
            flipped = "asc" if self.paging.order == "desc" else "desc"
            values.update(sort=sort, order=flipped if same else DEFAULT_ORDER[sort])
        values["page"] = str(page or (self.paging.page if sort is None else 1))
        return "?" + urlencode(values)

    def aria_sort(self, column: str) -> str | None:
        if column != self.paging.sort:
            return None
        return "descending" if self.paging.order == "desc" else "ascending"

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.paging.page,
            "pages": self.pages,
            "results": [row.as_json() for row in self.rows],
        }


def listing(
    store: Any,
    query: str,
    count_query: str,
    paging: Paging,
    extra: dict[str, str] | None = None,
    **params: pq.Param,
) -> Listing:
    """Run a list query and its COUNT for one page."""
    total = pq.number(pq.select(store, count_query, **params)[0]["papers"])
    rows = [paper_row(s) for s in pq.select(store, query, **params, **paging.params())]
    return Listing(rows=rows, total=total, paging=paging, extra=extra or {})

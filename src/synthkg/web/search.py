"""Search: ``/search?q=`` (a server-rendered page, works without JavaScript) and
``/search.json?q=`` (the same results for the instant search box).

A query that is an arXiv ID (``2212.10560``, ``arXiv:2212.10560v2``, an arxiv.org link) or a
DOI (``10.1109/...``, ``doi:...``, a doi.org link; any case) finds the paper holding that
identifier; anything else is a list of title words, every one of which must occur in the
title (or short name), ignoring case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from synthkg.importers.identifiers import PROPERTY, arxiv, doi, from_link
from synthkg.web import page_queries as pq
from synthkg.web.listing import Listing, Paging, paper_row
from synthkg.web.paper_index import search_listing
from synthkg.web.tree import current_tree

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
_WORD = re.compile(r"\w[\w'+.-]*", re.UNICODE)


@dataclass(frozen=True)
class Parsed:
    """What a search text asks for: an identifier, or title words."""

    scheme: str | None = None
    value: str | None = None
    words: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.scheme is None and not self.words


def parse(text: str) -> Parsed:
    """Read a search text."""
    text = text.strip()[:MAX_QUERY_CHARS]
    if not text:
        return Parsed()
    if " " not in text:
        found = arxiv(text.removeprefix("arXiv:").removeprefix("arxiv:")) or (
            doi(text) if text.lower().startswith(("10.", "doi:")) else None
        )
        if found is None and ("/" in text or ":" in text) and "." in text:
            link = from_link(text)
            found = link if link is not None and link.scheme != "url" else None
        if found is not None:
            return Parsed(scheme=found.scheme, value=found.value)
    words = [w.casefold() for w in _WORD.findall(text)]
    return Parsed(words=tuple(dict.fromkeys(words))[:MAX_WORDS])


def run_search(store: Any, text: str, paging: Paging) -> tuple[Parsed, Listing]:
    """The results of one search, one page of them."""
    parsed = parse(text)
    if parsed.empty:
        return parsed, Listing(rows=[], total=0, paging=paging, extra={"q": text})
    if parsed.scheme is not None:
        solutions = pq.select(
            store,
            "search-identifier",
            property=ox.NamedNode(str(PROPERTY[parsed.scheme])),
            value=ox.Literal(parsed.value or ""),
        )
        rows = [paper_row(s) for s in solutions]
        return parsed, Listing(rows=rows, total=len(rows), paging=paging, extra={"q": text})
    found = search_listing(store, current_tree(), parsed.words, paging, extra={"q": text})
    return parsed, found


def search_page() -> Response:
    """The search form and, for a query, its results page by page."""
    from synthkg.web.app import state

    text = request.args.get("q", "")
    parsed, found = run_search(state().store, text, Paging.from_request("year"))
    html = render_template("search.html", q=text, parsed=parsed, listing=found)
    return Response(html, mimetype="text/html")


def search_json() -> Response:
    """The results as JSON, for the instant search box."""
    from synthkg.web.app import state

    text = request.args.get("q", "")
    parsed, found = run_search(state().store, text, Paging.from_request("year"))
    body = {"q": text, "kind": parsed.scheme or ("words" if parsed.words else None)}
    body.update(found.as_json())
    return jsonify(body)


def register(blueprint: Blueprint) -> None:
    """Add the search routes."""
    blueprint.add_url_rule("/search", "search", search_page)
    blueprint.add_url_rule("/search.json", "search_json", search_json)

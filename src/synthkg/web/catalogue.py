"""The example catalogue on the web: ``/.well-known/sparql-examples`` and ``/examples``."""

from __future__ import annotations

import threading

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from synthkg import examples
from synthkg.web.linked_data import HTML, RDF_FIRST, negotiate, rdf_response

_lock = threading.Lock()
_cache: dict[tuple[tuple[str, int], ...], tuple[list[examples.Example], list[ox.Triple]]] = {}


def _version() -> tuple[tuple[str, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns) for p in examples.example_files())


def _load() -> tuple[list[examples.Example], list[ox.Triple]]:
    """The examples and their triples, re-read when a file of the catalogue changes."""
    key = _version()
    with _lock:
        if key not in _cache:
            graph = examples.catalogue_graph()
            n_triples = graph.serialize(format="nt", encoding="utf-8")
            triples = sorted(
                ox.parse(n_triples, format=ox.RdfFormat.N_TRIPLES),
                key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
            )
            _cache.clear()
            _cache[key] = (examples.load_examples(), triples)
        return _cache[key]


def cached_examples() -> list[examples.Example]:
    """Every example of the catalogue, in order."""
    return _load()[0]


def catalogue_view() -> Response:
    """The catalogue as RDF (Turtle by default) or, for browsers, as the HTML list."""
    media_type = negotiate(RDF_FIRST)
    triples = _load()[1]
    if media_type == HTML:
        return examples_page()
    return rdf_response(triples, media_type, "sparql-examples")


def examples_page() -> Response:
    """The human-readable list of example queries."""
    html = render_template("examples.html", examples=cached_examples())
    return Response(html, mimetype=HTML)


def register(blueprint: Blueprint) -> None:
    """Add the catalogue routes."""
    blueprint.add_url_rule("/.well-known/sparql-examples", "sparql_examples", catalogue_view)
    blueprint.add_url_rule("/examples", "examples", examples_page)

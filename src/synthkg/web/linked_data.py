"""Dereferenceable IRIs: HTML for browsers, RDF for clients that ask for it.

``https://w3id.org/synthkg/<path>`` redirects to this server's ``/<path>``; the request
path is mapped back onto the IRI by prefixing the base. The representation is chosen by
content negotiation (q-values honoured) or forced with ``?format=``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request, url_for

from synthkg.namespaces import BASE, ONTOLOGY_IRI, PAPER, PREFIXES, SKG, TAXONOMY_SCHEME
from synthkg.store import ONTOLOGY_GRAPH
from synthkg.web.describe import Description, compact, describe, exists, local_path

HTML = "text/html"
# Media type -> (pyoxigraph format, file extension).
RDF_MEDIA_TYPES: dict[str, tuple[ox.RdfFormat, str]] = {
    "text/turtle": (ox.RdfFormat.TURTLE, "ttl"),
    "application/n-triples": (ox.RdfFormat.N_TRIPLES, "nt"),
    "application/rdf+xml": (ox.RdfFormat.RDF_XML, "rdf"),
    "application/ld+json": (ox.RdfFormat.JSON_LD, "jsonld"),
}
# Values accepted by ``?format=``.
FORMAT_NAMES = {
    "html": HTML,
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
}
RDF_FIRST = [*RDF_MEDIA_TYPES, HTML]
HTML_FIRST = [HTML, *RDF_MEDIA_TYPES]
LINKED_PREFIXES = ("paper", "venue", "source", "classification", "ontology")


def negotiate(offered: list[str]) -> str:
    """The media type to answer with: ``?format=`` first, then the Accept header.

    Aborts with 400 for an unknown ``format`` and 406 when nothing offered is acceptable.
    """
    forced = request.args.get("format")
    if forced:
        media_type = FORMAT_NAMES.get(forced.strip().lower())
        if media_type is None or media_type not in offered:
            names = ", ".join(sorted(k for k, v in FORMAT_NAMES.items() if v in offered))
            abort(
                Response(
                    f"unknown format {forced!r}; use one of: {names}\n", 400, mimetype="text/plain"
                )
            )
        return media_type
    if not request.headers.get("Accept"):
        return offered[0]
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        abort(
            Response(
                "none of the requested media types can be given; available: "
                + ", ".join(offered)
                + "\n",
                406,
                mimetype="text/plain",
            )
        )
    return best


def rdf_response(triples: Iterable[ox.Triple] | bytes, media_type: str, filename: str) -> Response:
    """Serialise triples (or pass through ready bytes) with the right headers."""
    fmt, extension = RDF_MEDIA_TYPES[media_type]
    if isinstance(triples, bytes):
        body = triples
    else:
        items = list(triples)
        first = items[0].subject if items else None
        # Group by subject (the described resource first) so Turtle reads as blocks.
        items.sort(key=lambda t: (t.subject != first, str(t.subject)))
        prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        body = ox.serialize(items, format=fmt, prefixes=prefixes) or b""
    response = Response(body, mimetype=media_type)
    if media_type in ("text/turtle", "application/n-triples"):
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.{extension}"'
    response.vary.add("Accept")
    return response


def link_for(iri: str, labels: dict[str, str]) -> dict[str, Any]:
    """How the HTML shows one IRI: a local link for the graph's own IRIs."""
    path = local_path(iri)
    href = request.script_root + quote(path, safe="/:@-._~!$&'()*+,;=") if path else iri
    return {
        "iri": iri,
        "href": href,
        "local": path is not None,
        "label": labels.get(iri),
        "short": compact(iri),
    }


def _value(term: Any, description: Description, labels: dict[str, str], depth: int = 0):
    if isinstance(term, ox.NamedNode):
        return {"kind": "iri", **link_for(term.value, labels)}
    if isinstance(term, ox.BlankNode):
        rows = _rows(description, term, labels, depth + 1) if depth < 4 else []
        return {"kind": "bnode", "rows": rows}
    datatype = term.datatype.value if term.datatype else ""
    return {
        "kind": "literal",
        "value": term.value,
        "language": term.language,
        "datatype": compact(datatype) if not term.language else "",
    }


def _rows(description: Description, subject: Any, labels: dict[str, str], depth: int = 0):
    """The outgoing triples of ``subject``, grouped by property, for the template."""
    grouped: dict[str, list[Any]] = {}
    for triple in description.outgoing:
        if triple.subject == subject:
            grouped.setdefault(triple.predicate.value, []).append(triple.object)
    return [
        {
            "property": link_for(prop, labels),
            "values": [_value(v, description, labels, depth) for v in values],
        }
        for prop, values in grouped.items()
    ]


def resource_context(description: Description) -> dict[str, Any]:
    """Everything the resource template shows, every string still unescaped."""
    labels = description.labels()
    iri = description.iri.value
    incoming = [
        {
            "subject": link_for(t.subject.value, labels),
            "property": link_for(t.predicate.value, labels),
        }
        for t in description.incoming
        if isinstance(t.subject, ox.NamedNode)
    ]
    return {
        "iri": iri,
        "title": labels.get(iri) or compact(iri),
        "short": compact(iri),
        "rows": _rows(description, description.iri, labels),
        "incoming": incoming,
        "incoming_total": description.incoming_total,
        "formats": {name: f"?format={name}" for name in ("ttl", "nt", "rdf", "jsonld")},
        "category_page": _category_page(description),
    }


def _category_page(description: Description) -> str | None:
    """The browsing page of a taxonomy category, for a link from its resource page."""
    scheme = ox.NamedNode(str(TAXONOMY_SCHEME))
    if not any(t.object == scheme for t in description.outgoing):
        return None
    return url_for("pages.category", name=description.iri.value.removeprefix(str(SKG)))


def not_found(iri: str, media_type: str) -> Response:
    """A helpful 404: HTML for browsers, plain text for the rest."""
    if media_type != HTML:
        return Response(f"{iri} is not described in this graph\n", 404, mimetype="text/plain")
    return Response(render_template("not_found.html", iri=iri), 404, mimetype=HTML)


def resource_view(**_: str) -> Response:
    """Any IRI of the graph, from the request path."""
    from synthkg.web.app import state

    iri = BASE + request.path.lstrip("/")
    media_type = negotiate(HTML_FIRST)
    store = state().store
    node = ox.NamedNode(iri)
    if not exists(store, node):
        return not_found(iri, media_type)
    name = iri.rstrip("/").rsplit("/", 1)[-1] or "resource"
    if media_type != HTML and iri == str(ONTOLOGY_IRI):
        # The ontology IRI names the whole ontology document.
        quads = store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        return rdf_response(triples, media_type, "synthkg-ontology")
    description = describe(store, node)
    if media_type != HTML:
        return rdf_response(description.triples(), media_type, name)
    html = None
    if iri.startswith(str(PAPER)):
        from synthkg.web.paper_page import render_paper

        html = render_paper(store, description)  # a paper's own page (None if no paper)
    if html is None:
        html = render_template("resource.html", **resource_context(description))
    response = Response(html, mimetype=HTML)
    response.vary.add("Accept")
    return response


def register(blueprint: Blueprint) -> None:
    """Add the Linked Data routes."""
    blueprint.add_url_rule("/ontology", "ontology", resource_view)
    for prefix in LINKED_PREFIXES:
        blueprint.add_url_rule(f"/{prefix}/<path:rest>", f"ld_{prefix}", resource_view)

"""The ``/sparql`` endpoint: SPARQL 1.1 Protocol (query only), with CORS and caching.

A request that holds a query is answered by ``synthkg.web.query_answer`` (usually already in
front of Flask, by ``synthkg.web.fast_path``); this route serves those that reach it, the
CORS preflight, and a plain GET: the query editor or the Service Description.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request, url_for

from synthkg.namespaces import PREFIXES, SD
from synthkg.web import negotiation
from synthkg.web.app import state
from synthkg.web.negotiation import GRAPH_FORMATS
from synthkg.web.protocol import ProtocolRequest
from synthkg.web.query_answer import (
    METHODS,
    add_cors,
    answer_protocol_request,
    cache_headers,
    choose_format,
    etag,
    not_modified,
)
from synthkg.web.service_description import service_description

blueprint = Blueprint("sparql", __name__)


@blueprint.after_request
def cors(response: Response) -> Response:
    """CORS and no-sniffing on every answer of this blueprint."""
    return add_cors(response, request.method, request.headers)


@blueprint.route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS"])
def endpoint() -> Response:
    """Answer one protocol request."""
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": METHODS})
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    answer = answer_protocol_request(app, request, describe_service)
    assert answer is not None  # a request without a query is described
    return answer


def describe_service(asked: ProtocolRequest) -> Response:
    """A plain GET: the query editor for browsers, the Service Description for the rest."""
    if not asked.format and negotiation.prefers_html(request.headers.get("Accept")):
        return _editor()
    fmt = choose_format(request, asked, GRAPH_FORMATS)
    shared = state()
    tag = etag(shared.version, "service-description", fmt.name, request.url_root)
    if not_modified(shared, request, tag):
        return cache_headers(shared, Response(status=304), tag)
    triples: list[ox.Triple] | list[ox.Quad] = service_description(
        url_for("sparql.endpoint", _external=True),
        shared.graph_sizes(),
        current_app.config["SYNTHKG_SERVICE_ALLOWLIST"] or (),
    )
    assert isinstance(fmt.writer, ox.RdfFormat)
    if fmt.writer.supports_datasets:
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    prefixes = {"sd": str(SD), "void": PREFIXES["void"]}
    turtle_like = fmt.writer in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    body = ox.serialize(triples, format=fmt.writer, prefixes=prefixes if turtle_like else None)
    response = Response(body, 200, content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return cache_headers(shared, response, tag)


def _editor() -> Response | str:
    try:
        from synthkg.web.editor import render_editor
    except ImportError:
        # The editor page ships separately; without it a browser still gets a usable form.
        return Response(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>SynthKG SPARQL endpoint</title></head><body>"
            "<h1>SynthKG SPARQL endpoint</h1>"
            '<form method="post" action=""><textarea name="query" rows="12" cols="80">'
            "SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea><br>"
            '<button type="submit">Run</button></form></body></html>',
            mimetype="text/html",
        )
    return render_editor()

"""The ``/sparql`` endpoint: SPARQL 1.1 Protocol (query only), with CORS and caching.

Order of work for a query: read the protocol request (405/413/415/403/400), check the query
text (size, nesting, SERVICE, FROM), choose the answer format (406), answer 304 when the
client's ETag matches, then run the query in a query process under the deadline (503 when
it is stopped) and send the complete answer.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime
from email.utils import format_datetime
from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request, url_for

from synthkg.namespaces import PREFIXES, SD
from synthkg.web import guards, negotiation
from synthkg.web.app import state
from synthkg.web.capacity import Overloaded
from synthkg.web.executor import LARGE_ANSWER, QueryTimeout, release_free_memory
from synthkg.web.fairness import OverBudget
from synthkg.web.limits import QueryRejected, check_graphs, check_query
from synthkg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, AnswerFormat
from synthkg.web.protocol import ProtocolRequest, read_request
from synthkg.web.results import QueryJob
from synthkg.web.service_description import service_description

blueprint = Blueprint("sparql", __name__)

METHODS = "GET, HEAD, POST, OPTIONS"
EXPOSED = "ETag, Last-Modified, Retry-After, SynthKG-Results-Truncated, SynthKG-Result-Limit"
RETRY_AFTER_SECONDS = 10


def text_response(status: int, message: str, **headers: str) -> Response:
    """A short plain-text answer (errors never carry a stack trace)."""
    response = Response(message.rstrip() + "\n", status, mimetype="text/plain")
    response.headers.update(headers)
    return response


@blueprint.after_request
def add_cors(response: Response) -> Response:
    """Let pages on any origin query the endpoint (read-only, no credentials)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Answers are data: a browser must not guess HTML from a result that holds markup.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = METHODS
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Content-Type, Accept"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


@blueprint.route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS"])
def endpoint() -> Response:
    """Answer one protocol request."""
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": METHODS})
    config = current_app.config
    try:
        asked = read_request(request, int(config["SYNTHKG_MAX_QUERY_BYTES"]))
        if asked.query is None:
            return describe_service(asked)
        return answer_query(asked)
    except QueryRejected as refusal:
        extra = {"Allow": METHODS} if refusal.status == 405 else {}
        return text_response(refusal.status, str(refusal), **extra)
    except negotiation.UnknownFormat as failure:
        return text_response(400, str(failure))
    except negotiation.NotAcceptable as failure:
        return text_response(406, str(failure))


def _choose(asked: ProtocolRequest, offers: tuple[AnswerFormat, ...]) -> AnswerFormat:
    if asked.format:
        return negotiation.by_parameter(asked.format, offers)
    return negotiation.choose(request.headers.get("Accept"), offers)


def _maybe(asked: ProtocolRequest, offers: tuple[AnswerFormat, ...]) -> AnswerFormat | None:
    try:
        return _choose(asked, offers)
    except negotiation.NotAcceptable:
        return None


def answer_query(asked: ProtocolRequest) -> Response:
    """Check, negotiate, and run a query."""
    config = current_app.config
    shared = state()
    graphs = shared.graph_sizes()
    text = asked.query or ""
    info = check_query(
        text,
        max_bytes=int(config["SYNTHKG_MAX_QUERY_BYTES"]),
        service_allowlist=frozenset(config["SYNTHKG_SERVICE_ALLOWLIST"] or ()),
        graphs=graphs,
    )
    check_graphs(asked.default_graphs, graphs, "default-graph-uri")
    check_graphs(asked.named_graphs, graphs, "named-graph-uri")
    # The form decides which formats apply; when the tokenizer could not tell (the query
    # does not parse), both are chosen and the query process reports the syntax error.
    if info.form in ("SELECT", "ASK"):
        result_format, graph_format = _choose(asked, RESULT_FORMATS), None
    elif info.form in ("CONSTRUCT", "DESCRIBE"):
        result_format, graph_format = None, _choose(asked, GRAPH_FORMATS)
    else:
        result_format, graph_format = _maybe(asked, RESULT_FORMATS), _maybe(asked, GRAPH_FORMATS)
    job = QueryJob(
        query=text,
        result_format=result_format.name if result_format else None,
        graph_format=graph_format.name if graph_format else None,
        max_rows=int(config["SYNTHKG_MAX_RESULT_ROWS"]),
        default_graphs=tuple(asked.default_graphs) if asked.has_dataset else None,
        named_graphs=tuple(asked.named_graphs) if asked.has_dataset else None,
        union_default_graph=not info.has_dataset,
    )
    tag = _etag(shared.version, repr(job))
    cacheable = request.method in ("GET", "HEAD")
    if cacheable and _not_modified(tag):
        return _cache_headers(Response(status=304), tag)
    timeout = float(config["SYNTHKG_QUERY_TIMEOUT"])
    assert shared.pool is not None
    budget, client = guards.budget(), guards.client_key()
    try:
        budget.check(client)
        with guards.admission().slot():
            started = time.monotonic()
            try:
                answer = shared.pool.run(job, timeout)
            finally:
                budget.charge(client, time.monotonic() - started)
    except OverBudget as refusal:
        return text_response(429, str(refusal), **{"Retry-After": str(refusal.retry_after)})
    except Overloaded as refusal:
        return text_response(503, str(refusal), **{"Retry-After": "1"})
    except QueryTimeout:
        return text_response(
            503,
            f"query stopped: it ran longer than the {timeout:g} s limit of this endpoint",
            **{"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    response = Response(answer.body, answer.status, content_type=answer.media_type)
    if len(answer.body) > LARGE_ANSWER:
        # Once sent, a large answer's memory goes back to the system (see ``executor``).
        response.call_on_close(release_free_memory)
    if answer.status == 200:
        response.headers["Vary"] = "Accept"
        if cacheable:
            _cache_headers(response, tag)
        if answer.truncated:
            response.headers["SynthKG-Results-Truncated"] = "true"
            response.headers["SynthKG-Result-Limit"] = str(job.max_rows)
    return response


def describe_service(asked: ProtocolRequest) -> Response:
    """A plain GET: the query editor for browsers, the Service Description for the rest."""
    if not asked.format and negotiation.prefers_html(request.headers.get("Accept")):
        return _editor()
    fmt = _choose(asked, GRAPH_FORMATS)
    shared = state()
    tag = _etag(shared.version, "service-description", fmt.name, request.url_root)
    if _not_modified(tag):
        return _cache_headers(Response(status=304), tag)
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
    return _cache_headers(response, tag)


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


def _etag(version: str, *parts: str) -> str:
    digest = hashlib.sha256(version.encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


def _not_modified(tag: str) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(tag)
    since = request.if_modified_since
    return since is not None and state().modified <= since


@lru_cache(maxsize=8)
def _http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _cache_headers(response: Response, tag: str) -> Response:
    response.set_etag(tag)
    response.headers["Last-Modified"] = _http_date(state().modified)
    response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response

"""Answering a protocol query, given the app and its request objects but no request context.

Both ways a query reaches the server use this: the ``/sparql`` route of the Flask app and
the query path in front of it (``synthkg.web.fast_path``), so their answers cannot drift.

Order of work: read the protocol request (405/413/415/403/400), check the query text (size,
nesting, SERVICE, FROM), choose the answer format (406), answer 304 when the client's ETag
matches, then run the query in a query process under the deadline (503 when it is stopped)
and send the complete answer.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import format_datetime
from functools import lru_cache

from flask import Flask, Response
from werkzeug.wrappers import Request

from synthkg.web import guards, negotiation
from synthkg.web.app import AppState
from synthkg.web.capacity import Overloaded
from synthkg.web.executor import LARGE_ANSWER, QueryTimeout, release_free_memory
from synthkg.web.fairness import OverBudget
from synthkg.web.limits import QueryRejected, check_graphs, check_query
from synthkg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, AnswerFormat
from synthkg.web.protocol import ProtocolRequest, read_request
from synthkg.web.results import QueryJob

METHODS = "GET, HEAD, POST, OPTIONS"
EXPOSED = "ETag, Last-Modified, Retry-After, SynthKG-Results-Truncated, SynthKG-Result-Limit"
RETRY_AFTER_SECONDS = 10


def text_response(status: int, message: str, **headers: str) -> Response:
    """A short plain-text answer (errors never carry a stack trace)."""
    response = Response(message.rstrip() + "\n", status, mimetype="text/plain")
    response.headers.update(headers)
    return response


def add_cors(response: Response, method: str, request_headers: Mapping[str, str]) -> Response:
    """Let pages on any origin query the endpoint (read-only, no credentials)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Answers are data: a browser must not guess HTML from a result that holds markup.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = METHODS
        response.headers["Access-Control-Allow-Headers"] = request_headers.get(
            "Access-Control-Request-Headers", "Content-Type, Accept"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def answer_protocol_request(
    app: Flask,
    request: Request,
    without_query: Callable[[ProtocolRequest], Response] | None = None,
) -> Response | None:
    """The answer to a GET or POST of a query. A request without one (a plain GET asks for
    the query editor or the Service Description) is answered by ``without_query``, or left
    unanswered (None) when it is not given."""
    try:
        asked = read_request(request, int(app.config["SYNTHKG_MAX_QUERY_BYTES"]))
        if asked.query is None:
            return without_query(asked) if without_query else None
        return answer_query(app, request, asked)
    except QueryRejected as refusal:
        extra = {"Allow": METHODS} if refusal.status == 405 else {}
        return text_response(refusal.status, str(refusal), **extra)
    except negotiation.UnknownFormat as failure:
        return text_response(400, str(failure))
    except negotiation.NotAcceptable as failure:
        return text_response(406, str(failure))


def choose_format(
    request: Request, asked: ProtocolRequest, offers: tuple[AnswerFormat, ...]
) -> AnswerFormat:
    """The answer format: the ``format`` parameter when given, else the Accept header."""
    if asked.format:
        return negotiation.by_parameter(asked.format, offers)
    return negotiation.choose(request.headers.get("Accept"), offers)


def _maybe(
    request: Request, asked: ProtocolRequest, offers: tuple[AnswerFormat, ...]
) -> AnswerFormat | None:
    try:
        return choose_format(request, asked, offers)
    except negotiation.NotAcceptable:
        return None


def answer_query(app: Flask, request: Request, asked: ProtocolRequest) -> Response:
    """Check, negotiate, and run a query."""
    config = app.config
    shared: AppState = app.extensions["synthkg"]
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
        result_format, graph_format = choose_format(request, asked, RESULT_FORMATS), None
    elif info.form in ("CONSTRUCT", "DESCRIBE"):
        result_format, graph_format = None, choose_format(request, asked, GRAPH_FORMATS)
    else:
        result_format = _maybe(request, asked, RESULT_FORMATS)
        graph_format = _maybe(request, asked, GRAPH_FORMATS)
    job = QueryJob(
        query=text,
        result_format=result_format.name if result_format else None,
        graph_format=graph_format.name if graph_format else None,
        max_rows=int(config["SYNTHKG_MAX_RESULT_ROWS"]),
        default_graphs=asked.default_graphs if asked.has_dataset else None,
        named_graphs=asked.named_graphs if asked.has_dataset else None,
        union_default_graph=not info.has_dataset,
    )
    tag = etag(shared.version, repr(job))
    cacheable = request.method in ("GET", "HEAD")
    if cacheable and not_modified(shared, request, tag):
        return cache_headers(shared, Response(status=304), tag)
    timeout = float(config["SYNTHKG_QUERY_TIMEOUT"])
    assert shared.pool is not None
    budget, client = guards.budget(app, request), guards.client_key(app, request)
    try:
        budget.check(client)
        with guards.admission(app).slot():
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
            cache_headers(shared, response, tag)
        if answer.truncated:
            response.headers["SynthKG-Results-Truncated"] = "true"
            response.headers["SynthKG-Result-Limit"] = str(job.max_rows)
    return response


def etag(version: str, *parts: str) -> str:
    """An entity tag for an answer: the data version and what was asked, hashed."""
    digest = hashlib.sha256(version.encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


def not_modified(shared: AppState, request: Request, tag: str) -> bool:
    """Whether the client's cached copy (by ETag, else by date) is still current."""
    environ = request.environ
    if "HTTP_IF_NONE_MATCH" not in environ and "HTTP_IF_MODIFIED_SINCE" not in environ:
        return False  # most requests: no header to parse
    if request.if_none_match:
        return request.if_none_match.contains(tag)
    since = request.if_modified_since
    return since is not None and shared.modified <= since


@lru_cache(maxsize=8)
def _http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def cache_headers(shared: AppState, response: Response, tag: str) -> Response:
    """Validators for revalidation on every use: the ETag and the data's modification date."""
    response.set_etag(tag)
    response.headers["Last-Modified"] = _http_date(shared.modified)
    response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response

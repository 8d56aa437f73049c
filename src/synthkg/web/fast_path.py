"""The query path in front of Flask: protocol queries answered without Flask's dispatch.

A point lookup costs the query engine a few microseconds; most of its latency is fixed cost
per request, and Flask's share of that (contexts, routing, hooks, response finalisation) is a
fifth or more. This WSGI layer answers a GET, HEAD or POST of a query to ``/sparql`` with the
same code as the Flask route (``synthkg.web.query_answer``): the same checks, limits, guards,
negotiation, cache validators and CORS headers. Everything else goes to Flask unchanged.

It steps aside while curator writes are enabled: there every request first checks whether the
store was rebuilt (``synthkg.web.writes.refresh``), a Flask hook.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.wsgi import ClosingIterator

from synthkg.web.protocol import max_body_bytes
from synthkg.web.query_answer import add_cors, answer_protocol_request, text_response

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

ROUTE = "/sparql"


class QueryFastPath:
    """WSGI middleware answering ``/sparql`` queries; other requests pass to ``flask_app``."""

    def __init__(self, app: Flask, flask_app: WsgiApp) -> None:
        self.app = app
        self.flask_app = flask_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = environ.get("REQUEST_METHOD", "")
        config = self.app.config
        if environ.get("PATH_INFO") != ROUTE or method not in ("GET", "HEAD", "POST"):
            return self.flask_app(environ, start_response)
        if config.get("SYNTHKG_WRITE_TOKENS"):
            return self.flask_app(environ, start_response)
        if method != "POST" and "query" not in environ.get("QUERY_STRING", ""):
            return self.flask_app(environ, start_response)  # the editor or the description
        request = self.app.request_class(environ)
        body: bytes | None = None
        if method == "POST":
            length = request.content_length
            if length is None or length > max_body_bytes(int(config["SYNTHKG_MAX_QUERY_BYTES"])):
                return self.flask_app(environ, start_response)
            # Larger bodies go to Flask for the 413. This one is kept, so that a POST without
            # a query can still be handed to Flask whole.
            body = request.get_data(cache=True, parse_form_data=False)
        try:
            response = answer_protocol_request(self.app, request)
        except Exception:
            self.app.logger.exception("error while answering a query on %s", ROUTE)
            response = text_response(500, "internal error while answering the query")
        if response is None:
            if body is not None:
                environ["wsgi.input"] = io.BytesIO(body)
            return self.flask_app(environ, start_response)
        add_cors(response, method, request.headers)
        if response.status_code == 200 and method != "HEAD":
            # What ``response(environ, start_response)`` sends for a complete 200 answer,
            # without rebuilding its headers (HEAD, 304 and errors take werkzeug's way).
            start_response(response.status, response.headers.to_wsgi_list())
            return ClosingIterator(response.response, response.close)
        return response(environ, start_response)


def install(app: Flask) -> None:
    """Put the query path in front of the app (``SYNTHKG_QUERY_FAST_PATH``, on by default)."""
    if not app.config.get("SYNTHKG_QUERY_FAST_PATH"):
        return
    app.wsgi_app = QueryFastPath(app, app.wsgi_app)  # type: ignore[method-assign]

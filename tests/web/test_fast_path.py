"""The query path in front of Flask: which requests it answers, and that its answers are
exactly the Flask route's (status, headers and body) for every kind of protocol request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, request_started

from synthkg.web import query_answer

TITLES = "SELECT ?paper ?title WHERE { ?paper <http://purl.org/dc/terms/title> ?title }"
PAPERS = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?o . ?s ?p ?o }"
FORM = "application/x-www-form-urlencoded"

# (method, query string, headers, body): each kind of answer and refusal the route gives.
REQUESTS: list[tuple[str, dict[str, Any], dict[str, str], dict[str, str] | str | None]] = [
    ("GET", {"query": TITLES}, {}, None),
    ("GET", {"query": TITLES}, {"Accept": "text/csv"}, None),
    ("GET", {"query": TITLES, "format": "tsv"}, {}, None),
    ("GET", {"query": TITLES, "format": "nonsense"}, {}, None),
    ("GET", {"query": TITLES}, {"Accept": "image/png"}, None),
    ("GET", {"query": "ASK { ?s ?p ?o }"}, {"Accept": "application/sparql-results+xml"}, None),
    ("GET", {"query": PAPERS}, {"Accept": "text/turtle"}, None),
    ("GET", {"query": PAPERS}, {"Accept": "application/n-quads"}, None),
    ("GET", {"query": "DESCRIBE <https://w3id.org/synthkg/paper/fixture-alpha>"}, {}, None),
    ("GET", {"query": "SELECT * WHERE { ?s ?p }"}, {}, None),
    ("GET", {"query": ["ASK {}", "ASK {}"]}, {}, None),
    ("GET", {"update": "CLEAR ALL"}, {}, None),
    ("GET", {"query": "SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }"}, {}, None),
    ("GET", {"query": TITLES, "default-graph-uri": "http://nowhere.example/"}, {}, None),
    ("GET", {"query": TITLES}, {"Origin": "https://example.org"}, None),
    ("HEAD", {"query": TITLES}, {}, None),
    ("GET", {"query": TITLES}, {"If-None-Match": "*"}, None),
    ("GET", {"query": TITLES}, {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, None),
    ("POST", {}, {"Content-Type": FORM, "If-None-Match": "*"}, {"query": TITLES}),
    ("POST", {}, {"Content-Type": FORM}, {"query": TITLES}),
    ("POST", {}, {"Content-Type": FORM}, {"query": TITLES, "format": "xml"}),
    ("POST", {}, {"Content-Type": "application/sparql-query"}, TITLES),
    ("POST", {"query": TITLES}, {"Content-Type": "application/sparql-query"}, TITLES),
    ("POST", {}, {"Content-Type": "application/sparql-update"}, "CLEAR ALL"),
    ("POST", {}, {"Content-Type": "text/plain"}, TITLES),
    ("POST", {}, {"Content-Type": "application/sparql-query; charset=latin-1"}, TITLES),
    # Without a query: handed on to Flask with the body intact.
    ("POST", {}, {"Content-Type": FORM}, {"format": "turtle"}),
    ("GET", {}, {"Accept": "text/turtle"}, None),
]


@contextmanager
def flask_dispatches(app: Flask) -> Iterator[list[str]]:
    """The paths of the requests Flask itself dispatched while in the block."""
    seen: list[str] = []

    def record(sender: Flask, **extra: Any) -> None:
        from flask import request

        seen.append(request.path)

    request_started.connect(record, app)
    try:
        yield seen
    finally:
        request_started.disconnect(record, app)


def send(app: Flask, method: str, query: dict[str, Any], headers: dict[str, str], body: Any):
    return app.test_client().open(
        "/sparql", method=method, query_string=query, headers=headers, data=body
    )


@pytest.mark.parametrize(
    ("method", "query", "headers", "body"),
    REQUESTS,
    ids=[f"{number:02d}-{request[0]}" for number, request in enumerate(REQUESTS)],
)
def test_same_answer_with_and_without_the_fast_path(
    make_app: Callable[..., Flask],
    method: str,
    query: dict[str, Any],
    headers: dict[str, str],
    body: Any,
) -> None:
    fast = make_app(SYNTHKG_DATA_VERSION="v1")
    plain = make_app(SYNTHKG_DATA_VERSION="v1", SYNTHKG_QUERY_FAST_PATH=False)
    plain.extensions["synthkg"].modified = fast.extensions["synthkg"].modified
    if isinstance(body, dict):
        # The test client encodes the form and sets its type.
        headers = {name: value for name, value in headers.items() if name != "Content-Type"}
    answers = [send(app, method, query, headers, body) for app in (fast, plain)]
    assert answers[0].status_code == answers[1].status_code
    assert answers[0].status_code != 500
    assert sorted(answers[0].headers.items()) == sorted(answers[1].headers.items())
    assert answers[0].get_data() == answers[1].get_data()


def test_queries_skip_flask_and_other_requests_reach_it(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    client = app.test_client()
    with flask_dispatches(app) as seen:
        assert client.get("/sparql", query_string={"query": TITLES}).status_code == 200
        assert client.post("/sparql", data={"query": TITLES}).status_code == 200
        assert seen == []
        assert client.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200
        assert client.options("/sparql").status_code == 204
        assert client.post("/sparql", data={"format": "turtle"}).status_code == 200
        assert seen == ["/sparql", "/sparql", "/sparql"]


def test_curator_writes_send_every_request_through_flask(make_app: Callable[..., Flask]) -> None:
    app = make_app(SYNTHKG_WRITE_TOKENS={"secret": "ada"})
    with flask_dispatches(app) as seen:
        response = app.test_client().get("/sparql", query_string={"query": TITLES})
    assert response.status_code == 200
    assert seen == ["/sparql"]


def test_an_oversized_body_is_refused_by_flask_with_413(make_app: Callable[..., Flask]) -> None:
    app = make_app(SYNTHKG_MAX_QUERY_BYTES=100)
    with flask_dispatches(app) as seen:
        response = app.test_client().post("/sparql", data={"query": "#" * 2000 + TITLES})
    assert response.status_code == 413
    assert seen == ["/sparql"]


def test_an_unexpected_error_is_a_500_and_the_next_query_is_answered(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    client = app.test_client()
    real = query_answer.answer_query

    def failing(*args: Any) -> Any:
        raise RuntimeError("fault injected by the test")

    monkeypatch.setattr(query_answer, "answer_query", failing)
    response = client.get("/sparql", query_string={"query": TITLES})
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    assert "fault injected" not in response.get_data(as_text=True)
    monkeypatch.setattr(query_answer, "answer_query", real)
    assert client.get("/sparql", query_string={"query": TITLES}).status_code == 200

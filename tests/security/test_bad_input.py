"""Bad requests against the real server: each gets its exact status and a short plain
error without a stack trace, the workers survive, and the store is unchanged."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from security_support import Server

QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
NESTED = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
PARENS = "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
NOTS = "ASK { FILTER(" + "!" * 9500 + "true) }"
MINUSES = "ASK { ?a ?b ?c " + " MINUS { ?a ?b ?c }" * 5000 + " }"
INSERT = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"

CASES: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("malformed", "GET", {"params": {"query": "SELEC * WHERE {"}}, 400, "does not parse"),
    ("unbalanced", "GET", {"params": {"query": "ASK { ?s ?p ?o "}}, 400, "does not parse"),
    ("nested braces", "POST", {"data": NESTED, "ct": QUERY}, 400, "nested too deeply"),
    ("nested parentheses", "POST", {"data": PARENS, "ct": QUERY}, 400, "nested too deeply"),
    ("long unary chain", "POST", {"data": NOTS, "ct": QUERY}, 400, "too complex"),
    ("long MINUS chain", "POST", {"data": MINUSES, "ct": QUERY}, 400, "too complex"),
    ("oversized body", "POST", {"data": "ASK{}" + "#" * 120_000, "ct": QUERY}, 413, "too large"),
    ("oversized form", "POST", {"data": {"query": "ASK{}" + " " * 400_000}}, 413, "too large"),
    ("oversized URL", "GET", {"params": {"query": "ASK{}" + " " * 9000}}, 414, ""),
    (
        "two queries",
        "GET",
        {"params": [("query", "ASK{}"), ("query", "ASK{}")]},
        400,
        "exactly one",
    ),
    (
        "query in body and URL",
        "POST",
        {"data": "ASK{}", "ct": QUERY, "params": {"query": "ASK{}"}},
        400,
        "both",
    ),
    ("no content type", "POST", {"data": b"ASK{}", "ct": ""}, 415, "unsupported content type"),
    ("text/plain body", "POST", {"data": b"ASK{}", "ct": "text/plain"}, 415, "unsupported"),
    ("JSON body", "POST", {"data": b'{"query":"ASK{}"}', "ct": "application/json"}, 415, ""),
    ("latin-1 charset", "POST", {"data": b"ASK{}", "ct": QUERY + "; charset=latin-1"}, 415, ""),
    ("invalid UTF-8 body", "POST", {"data": b"ASK { \xff\xfe }", "ct": QUERY}, 400, "UTF-8"),
    ("update parameter", "GET", {"params": {"update": INSERT}}, 403, "read-only"),
    ("update as query", "GET", {"params": {"query": INSERT}}, 403, "read-only"),
    ("update form", "POST", {"data": {"update": INSERT}}, 403, "read-only"),
    (
        "update body",
        "POST",
        {"data": b"DROP ALL", "ct": "application/sparql-update"},
        403,
        "read-only",
    ),
    ("DROP in a query", "GET", {"params": {"query": "DROP ALL"}}, 403, "read-only"),
    ("CLEAR in a query", "GET", {"params": {"query": "CLEAR DEFAULT"}}, 403, "read-only"),
    (
        "unsupported Accept",
        "GET",
        {"params": {"query": "ASK{}"}, "accept": "image/png"},
        406,
        "acceptable",
    ),
    (
        "unsupported Accept for a graph",
        "GET",
        {"params": {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}, "accept": "text/csv"},
        406,
        "",
    ),
    ("unknown format parameter", "GET", {"params": {"query": "ASK{}", "format": "xlsx"}}, 400, ""),
    ("PUT on the endpoint", "PUT", {"data": b"ASK{}", "ct": QUERY}, 405, ""),
    ("DELETE on the endpoint", "DELETE", {}, 405, ""),
]


def send(server: Server, method: str, options: dict[str, Any]) -> requests.Response:
    headers = {}
    if "ct" in options:
        headers["Content-Type"] = options["ct"]
    if "accept" in options:
        headers["Accept"] = options["accept"]
    data = options.get("data")
    if isinstance(data, str):
        data = data.encode()
    return requests.request(
        method,
        server.endpoint,
        params=options.get("params"),
        data=data,
        headers=headers,
        timeout=20,
    )


@pytest.fixture(scope="module")
def triples_before(served: Server) -> int:
    return served.count()


@pytest.mark.parametrize(("name", "method", "options", "status", "says"), CASES)
def test_bad_request_answered_exactly(
    served: Server,
    triples_before: int,
    name: str,
    method: str,
    options: dict[str, Any],
    status: int,
    says: str,
) -> None:
    answer = send(served, method, options)
    assert answer.status_code == status, f"{name}: {answer.status_code} {answer.text[:300]}"
    assert says in answer.text
    assert len(answer.content) < 2000
    assert "Traceback" not in answer.text
    assert 'File "' not in answer.text
    # The server goes on answering, over the same, unchanged store.
    assert served.count() == triples_before


def test_workers_alive_after_the_bad_requests(served: Server) -> None:
    workers = served.workers()
    for _, method, options, _, _ in CASES:
        send(served, method, options)
    assert served.workers() == workers
    assert "Traceback" not in served.log_text()

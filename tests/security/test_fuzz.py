"""Property-based fuzzing of the protocol parameters and of query text against the real
server: whatever arrives, the answer is never a 5xx other than a deadline's 503, carries no
stack trace, and the workers stay alive."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_support import Server

FRAGMENTS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "{",
    "}",
    "(",
    ")",
    "?s",
    "?p",
    "?o",
    "<urn:x:a>",
    '"text"',
    "'x'",
    ".",
    ";",
    ",",
    "FILTER",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "GRAPH",
    "SERVICE",
    "FROM",
    "NAMED",
    "LIMIT 5",
    "OFFSET",
    "ORDER BY",
    "GROUP BY",
    "COUNT(*)",
    "AS",
    "BIND",
    "VALUES",
    'REGEX(?o, "a")',
    "!",
    "|",
    "/",
    "*",
    "+",
    "^",
    "a",
    "PREFIX x:",
    "x:y",
    "BASE",
    "INSERT",
    "DELETE",
    "LOAD",
    "#",
    "\n",
    "\\",
    "\x00",
    "é",
    "\U0001f600",
]
PARAMETERS = ["query", "update", "format", "default-graph-uri", "named-graph-uri", "output", "x"]
ACCEPTS = [
    None,
    "*/*",
    "text/html",
    "application/sparql-results+json",
    "text/csv;q=0.5, */*;q=0",
    "application/json;q=abc",
    "text/turtle",
    ";;;",
    "image/*",
]
CONTENT_TYPES = [
    "application/sparql-query",
    "application/x-www-form-urlencoded",
    "application/sparql-update",
    "text/plain",
    "",
    "multipart/form-data; boundary=x",
    "application/sparql-query; charset=utf-16",
]

query_text = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join),
    st.text(max_size=200),
)


@pytest.fixture(scope="module")
def workers_before(served: Server) -> list[int]:
    return served.workers()


def check(server: Server, answer: requests.Response) -> None:
    assert answer.status_code < 500 or answer.status_code == 503, answer.text[:300]
    if answer.status_code == 503:
        assert "Retry-After" in answer.headers
    assert "Traceback" not in answer.text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.lists(st.tuples(st.sampled_from(PARAMETERS), query_text), min_size=0, max_size=4),
    accept=st.sampled_from(ACCEPTS),
    method=st.sampled_from(["GET", "POST"]),
)
def test_fuzz_protocol_parameters(
    served: Server,
    workers_before: list[int],
    params: list[tuple[str, str]],
    accept: str | None,
    method: str,
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    if method == "GET":
        answer = requests.get(served.endpoint, params=params, headers=headers, timeout=20)
    else:
        answer = requests.post(served.endpoint, data=params, headers=headers, timeout=20)
    check(served, answer)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        query_text.map(lambda text: text.encode("utf-8", "surrogatepass")), st.binary(max_size=200)
    ),
    content_type=st.sampled_from(CONTENT_TYPES),
)
def test_fuzz_query_bodies(
    served: Server, workers_before: list[int], body: bytes, content_type: str
) -> None:
    answer = requests.post(
        served.endpoint, data=body, headers={"Content-Type": content_type}, timeout=20
    )
    check(served, answer)


def test_workers_alive_after_fuzzing(served: Server, workers_before: list[int]) -> None:
    assert len(workers_before) == 2
    assert served.count() > 0
    assert served.workers() == workers_before
    assert "Traceback" not in served.log_text()

"""HTTP Basic authentication against a small guarded server, and store dialects of JSON."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pyoxigraph as ox
import pytest

from synthkg.backends.auth import Credentials, parse_challenge
from synthkg.backends.http import HttpEndpoint
from synthkg.backends.remote import parse_json_results

USER, PASSWORD = "curator", "s3cret:with colon"


class Guarded(BaseHTTPRequestHandler):
    """Answers 204 to requests with the right Basic credentials, 401 otherwise."""

    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        authorised = self.headers.get("Authorization") == expected
        Guarded.seen.append(f"{self.command} {len(body)} {authorised}")
        self.send_response(204 if authorised else 401)
        if not authorised:
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def guarded() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Guarded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Guarded.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/update"
    server.shutdown()
    server.server_close()


def test_basic_credentials_answer_the_challenge(guarded: str) -> None:
    endpoint = HttpEndpoint(guarded, Credentials(USER, PASSWORD))
    assert endpoint.request("POST", body=b"INSERT DATA {}").status == 204
    assert endpoint.request("POST", body=b"INSERT DATA {}").status == 204
    # One bodiless probe learns the scheme; every request after it carries the answer.
    assert Guarded.seen == ["HEAD 0 False", "POST 14 True", "POST 14 True"]


def test_without_or_with_wrong_credentials_the_401_stays(guarded: str) -> None:
    assert HttpEndpoint(guarded).request("POST", body=b"x").status == 401
    wrong = HttpEndpoint(guarded, Credentials(USER, "nope"))
    assert wrong.request("POST", body=b"x").status == 401


def test_digest_challenge_parameters_are_read() -> None:
    scheme, params = parse_challenge(
        'Digest realm="SPARQL", domain="/sparql-auth", nonce="abc,def", qop="auth", '
        'algorithm=MD5, opaque="5ebe"'
    )
    assert scheme == "digest"
    assert params == {
        "realm": "SPARQL", "domain": "/sparql-auth", "nonce": "abc,def", "qop": "auth",
        "algorithm": "MD5", "opaque": "5ebe",
    }  # fmt: skip
    header = Credentials("dba", "dba").answer(
        'Digest realm="SPARQL", nonce="n1", qop="auth"', "POST", "/sparql-auth"
    )["Authorization"]
    assert header.startswith('Digest username="dba", realm="SPARQL", nonce="n1"')
    assert "qop=auth, nc=00000001" in header


def test_virtuoso_blank_nodes_and_ask_become_standard() -> None:
    table = (
        b'{"head":{"vars":["s","o"]},"results":{"bindings":[{"s":{"type":"bnode",'
        b'"value":"nodeID://b10000"},"o":{"type":"typed-literal","datatype":'
        b'"http://www.w3.org/2001/XMLSchema#integer","value":"7"}},{"s":{"type":"bnode",'
        b'"value":"nodeID://b10001"},"o":{"type":"bnode","value":"nodeID://b10000"}}]}}'
    )
    rows = list(parse_json_results(table))
    assert rows[0]["s"] == rows[1]["o"] != rows[1]["s"]
    assert isinstance(rows[0]["s"], ox.BlankNode)
    assert rows[0]["o"] == ox.Literal("7", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))  # fmt: skip
    yes = b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":{"type":"typed-literal","value":"1"}}]}}'  # noqa: E501
    no = b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[]}}'
    assert bool(parse_json_results(yes)) is True
    assert bool(parse_json_results(no)) is False


def test_a_relayed_answer_is_rewritten_standard_whether_capped_or_not() -> None:
    import json

    from synthkg.backends.remote import SPARQL_JSON, _translate
    from synthkg.web.results import QueryJob

    body = (
        b'{"head":{"link":[],"vars":["s","n"]},"results":{"distinct":false,"ordered":true,'
        b'"bindings":[' + b",".join(
            b'{"s":{"type":"uri","value":"http://example.org/%d"},"n":{"type":"typed-literal",'
            b'"datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"%d"}}' % (i, i)
            for i in range(5)
        ) + b"]}}"
    )  # fmt: skip
    whole = _translate(200, SPARQL_JSON, body, QueryJob("q", "json", None, max_rows=100))
    capped = _translate(200, SPARQL_JSON, body, QueryJob("q", "json", None, max_rows=3))
    assert b"typed-literal" not in whole.body and not whole.truncated
    rows = json.loads(whole.body)["results"]["bindings"]
    assert len(rows) == 5
    assert rows[0]["n"] == {
        "type": "literal",
        "value": "0",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert capped.truncated and json.loads(capped.body)["results"]["bindings"] == rows[:3]
    xml = _translate(200, SPARQL_JSON, body, QueryJob("q", "xml", None, max_rows=100))
    assert xml.status == 200 and xml.body.count(b"<result>") == 5


VIRTUOSO_ROWS = (
    b'{ "head": { "link": [], "vars": ["s", "t"] },\n'
    b'  "results": { "distinct": false, "ordered": true, "bindings": [\n'
    b'    { "s": { "type": "uri", "value": "http://example.org/1" }\t, "t": { "type": '
    b'"typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#gYear", "value": '
    b'"2024" }},\n    { "s": { "type": "uri", "value": "http://example.org/2" }\t, "t": '
    b'{ "type": "literal", "xml:lang": "en", "value": "a \\"quoted\\" title" }} ] } }'
)


def test_a_standard_json_answer_is_sent_on_unchanged() -> None:
    from synthkg.backends.remote import standard_json_as_is

    standard = VIRTUOSO_ROWS.replace(b'"typed-literal"', b'"literal"')
    assert standard_json_as_is(standard, max_rows=100) is standard
    renamed = standard_json_as_is(VIRTUOSO_ROWS, max_rows=100)
    assert renamed is not None and b"typed-literal" not in renamed
    parse = ox.QueryResultsFormat.JSON
    assert list(ox.parse_query_results(renamed, format=parse)) == list(
        ox.parse_query_results(VIRTUOSO_ROWS, format=parse)
    )


@pytest.mark.parametrize(
    ("body", "max_rows"),
    [
        (VIRTUOSO_ROWS, 1),  # a cap may apply
        (
            VIRTUOSO_ROWS.replace(
                b'"uri", "value": "http://example.org/2"', b'"bnode", "value": "nodeID://b1"'
            ),
            100,
        ),
        (b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[]}}', 100),
        # The type name inside a string value (its quotes escaped) is left alone, so the
        # answer goes to the parser.
        (VIRTUOSO_ROWS.replace(b'a \\"quoted\\" title', b'\\"type\\": \\"typed-literal\\"'), 100),
        (b"Virtuoso 37000 Error SP031: SPARQL compiler", 100),
    ],
    ids=["capped", "blank-node", "ask-table", "type-name-in-a-value", "not-json"],
)
def test_answers_that_need_a_parse_are_not_sent_on(body: bytes, max_rows: int) -> None:
    from synthkg.backends.remote import standard_json_as_is

    assert standard_json_as_is(body, max_rows) is None


def test_an_answer_that_is_not_json_is_a_502_not_relayed() -> None:
    from synthkg.backends.remote import SPARQL_JSON, _translate
    from synthkg.web.results import QueryJob

    answer = _translate(200, SPARQL_JSON, b"Error: out of memory", QueryJob("q", "json", None, 100))
    assert answer.status == 502 and b"does not parse" in answer.body

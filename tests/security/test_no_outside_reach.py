"""Nothing a public request sends makes the server open a connection or read a file:
SERVICE, FROM, FROM NAMED, LOAD and the dataset parameters aimed at a loopback canary and
at ``file:`` targets are refused, and the canary sees no connection at all."""

from __future__ import annotations

import pytest
import requests
from security_support import Canary, Server

FILE = "file:///etc/passwd"


def attempts(target: str) -> list[tuple[dict[str, str], int]]:
    """(query parameters, expected status) aimed at ``target``."""
    return [
        ({"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"}, 403),
        ({"query": f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}"}, 403),
        (
            {
                "query": f"PREFIX t: <{target}> SELECT * WHERE {{ SERVICE t: {{ ?s ?p ?o }} }}",
            },
            403,
        ),
        (
            {
                "query": f"BASE <{target}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
            },
            403,
        ),
        ({"query": "SELECT * WHERE { BIND(<x:y> AS ?e) SERVICE ?e { ?s ?p ?o } }"}, 403),
        ({"query": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}"}, 400),
        ({"query": f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}, 400),
        ({"query": f"LOAD <{target}>"}, 403),
        ({"query": f"LOAD SILENT <{target}> INTO GRAPH <urn:x:g>"}, 403),
        ({"update": f"LOAD <{target}>"}, 403),
        ({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": target}, 400),
        ({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "named-graph-uri": target}, 400),
        ({"query": f"DESCRIBE <{target}>"}, 200),  # describes the IRI from the store only
    ]


@pytest.mark.parametrize("kind", ["loopback", "file"])
def test_no_request_reaches_outside(served: Server, canary: Canary, kind: str) -> None:
    target = canary.url if kind == "loopback" else FILE
    for params, status in attempts(target):
        for method in ("GET", "POST"):
            if method == "GET":
                answer = requests.get(served.endpoint, params=params, timeout=10)
            else:
                answer = requests.post(served.endpoint, data=params, timeout=10)
            assert answer.status_code == status, (params, answer.text)
            assert "root:" not in answer.text
            assert "canary" not in answer.text
    assert canary.connections == 0


def test_the_canary_counts(canary: Canary) -> None:
    # The check above means something only if the canary does see a connection.
    requests.get(canary.url, timeout=5)
    assert canary.connections == 1

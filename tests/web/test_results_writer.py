"""The SPARQL JSON results writer: every kind of term, escaping, unbound variables."""

from __future__ import annotations

import json

import pyoxigraph as ox

from synthkg.web.results import QueryJob, json_results, run_query

EX = "http://example.org/"


def _store() -> ox.Store:
    store = ox.Store()
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    for obj in (
        ox.NamedNode(EX + "o?q=1&r=\u00e9"),
        ox.Literal('a "quoted"\\ line\nbreak\ttab \u0001 ünï 中文 \U0001f4da'),
        ox.Literal("chat", language="fr"),
        ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.BlankNode("b1"),
        ox.Triple(s, p, ox.Literal("x")),
    ):
        store.add(ox.Quad(s, p, obj))
    return store


def test_the_writer_gives_the_standard_json_of_every_term() -> None:
    store = _store()
    text = "SELECT ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?missing } }"
    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    document = json.loads(json_results(names, list(solutions)))
    assert document["head"] == {"vars": ["o", "missing"]}
    bindings = sorted(document["results"]["bindings"], key=json.dumps)
    assert all(set(row) == {"o"} for row in bindings)  # unbound variables are left out
    # pyoxigraph's own writer is the reference for the same solutions.
    native = json.loads(store.query(text).serialize(format=ox.QueryResultsFormat.JSON))
    assert bindings == sorted(native["results"]["bindings"], key=json.dumps)
    literals = [row["o"] for row in bindings if row["o"]["type"] == "literal"]
    assert {"type": "literal", "value": "chat", "xml:lang": "fr"} in literals
    assert {
        "type": "literal",
        "value": "3",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    } in literals
    assert any("ünï 中文 \U0001f4da" in term["value"] for term in literals)


def test_the_answer_keeps_non_ascii_text_unescaped_and_caps_rows() -> None:
    store = _store()
    job = QueryJob("SELECT ?o WHERE { ?s ?p ?o }", "json", None, max_rows=2)
    answer = run_query(store, job)
    assert answer.status == 200 and answer.truncated and answer.count == 2
    assert len(json.loads(answer.body)["results"]["bindings"]) == 2
    full = run_query(store, QueryJob("SELECT ?o WHERE { ?s ?p ?o }", "json", None, 100))
    assert "中文".encode() in full.body and not full.truncated


def test_a_large_answer_crosses_from_the_query_process_intact() -> None:
    from synthkg.web.executor import LARGE_ANSWER, RunnerPool

    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    for n in range(20_000):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{n}"), p, ox.Literal(f"value {n} " + "x" * 60)))
    job = QueryJob("SELECT ?s ?o WHERE { ?s ?p ?o }", "json", None, max_rows=50_000)
    direct = run_query(store, job)
    assert len(direct.body) > LARGE_ANSWER
    pool = RunnerPool(lambda: store, size=1)
    try:
        for _ in range(2):  # the same runner again, after it released its memory
            relayed = pool.run(job, 30)
            assert relayed == direct
    finally:
        pool.close()


def test_answers_of_every_size_cross_from_the_query_process_intact() -> None:
    # Up to SMALL_ANSWER an answer crosses in one message, beyond it as header and body.
    from synthkg.web.executor import SMALL_ANSWER, RunnerPool

    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    for n in range(2_000):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{n:04}"), p, ox.Literal("x" * 40)))
    pool = RunnerPool(lambda: store, size=1)
    try:
        sizes = []
        for limit in (0, 1, 10, 500, 2_000):
            text = f"SELECT ?s ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s LIMIT {limit}"
            job = QueryJob(text, "json", None, max_rows=50_000)
            relayed = pool.run(job, 30)
            assert relayed == run_query(store, job)
            sizes.append(len(relayed.body))
        assert min(sizes) <= SMALL_ANSWER < max(sizes)
        ask = pool.run(QueryJob("ASK { ?s ?p ?o }", "json", None, 10), 30)
        assert ask.status == 200 and json.loads(ask.body)["boolean"] is True
    finally:
        pool.close()

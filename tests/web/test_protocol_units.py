"""The pieces under the endpoint: Accept parsing, the query tokenizer, the store stamp."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from synthkg import paths
from synthkg.store import (
    DATA_GRAPH,
    ONTOLOGY_GRAPH,
    data_version,
    open_store,
    prepare_store,
    stored_version,
)
from synthkg.web.limits import QueryRejected, check_query, inspect_query
from synthkg.web.negotiation import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    NotAcceptable,
    UnknownFormat,
    by_parameter,
    choose,
    parse_accept,
    prefers_html,
    quality,
)
from synthkg.web.protocol import read_request
from synthkg.web.server import config_from_env

WEB_RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "web"


def test_parse_accept_reads_q_and_parameters() -> None:
    ranges = parse_accept("text/turtle;charset=utf-8;q=0.4, application/*;q=0.9, */*;q=0.1, bad")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "turtle", 0.4),
        ("application", "*", 0.9),
        ("*", "*", 0.1),
    ]
    assert ranges[0].params == (("charset", "utf-8"),)
    assert parse_accept(None)[0].q == 1.0


def test_most_specific_range_decides() -> None:
    ranges = parse_accept("text/*;q=0.3, text/csv;q=0.8, */*;q=0.1")
    assert quality(ranges, "text/csv") == 0.8
    assert quality(ranges, "text/turtle") == 0.3
    assert quality(ranges, "application/json") == 0.1
    assert quality(parse_accept("text/csv"), "application/json") == 0.0


def test_choose_by_q_then_server_order() -> None:
    assert choose("text/csv;q=0.9, application/sparql-results+xml", RESULT_FORMATS).name == "xml"
    assert choose("text/csv, text/tab-separated-values", RESULT_FORMATS).name == "csv"
    assert choose("application/json", GRAPH_FORMATS).name == "jsonld"
    assert choose("*/*;q=0.5, text/turtle;q=0", GRAPH_FORMATS).name == "ntriples"
    with pytest.raises(NotAcceptable):
        choose("text/html", RESULT_FORMATS)


def test_a_remembered_accept_header_still_refuses() -> None:
    # The choice is remembered per header; a refusal is raised again, never remembered.
    for _ in range(2):
        assert choose("text/csv", RESULT_FORMATS).name == "csv"
        with pytest.raises(NotAcceptable):
            choose("image/png", RESULT_FORMATS)
    assert choose("text/turtle", GRAPH_FORMATS).name == "turtle"
    with pytest.raises(NotAcceptable):
        choose("text/csv", GRAPH_FORMATS)  # the same header, other offers


def test_a_repeated_query_string_is_read_once() -> None:
    query_string = "query=ASK%20%7B%7D&default-graph-uri=urn%3Ag&format=json"
    first = read_request(Request(EnvironBuilder(query_string=query_string).get_environ()), 1000)
    again = read_request(Request(EnvironBuilder(query_string=query_string).get_environ()), 1000)
    assert again is first  # remembered, and frozen so that no caller can change it
    assert (first.query, first.default_graphs, first.format) == ("ASK {}", ("urn:g",), "json")
    with pytest.raises(AttributeError):
        first.query = "ASK { ?s ?p ?o }"  # type: ignore[misc]


def test_a_refused_query_string_is_refused_every_time() -> None:
    for query_string, status in (
        ("update=CLEAR%20ALL", 403),
        ("query=ASK%7B%7D&query=ASK%7B%7D", 400),
    ):
        for _ in range(2):
            request = Request(EnvironBuilder(query_string=query_string).get_environ())
            with pytest.raises(QueryRejected) as refused:
                read_request(request, 1000)
            assert refused.value.status == status


def test_a_post_body_query_is_not_taken_from_a_remembered_get() -> None:
    get = Request(EnvironBuilder(query_string="default-graph-uri=urn%3Ag").get_environ())
    assert read_request(get, 1000).query is None
    post = Request(
        EnvironBuilder(
            method="POST",
            query_string="default-graph-uri=urn%3Ag",
            data=b"ASK {}",
            content_type="application/sparql-query",
        ).get_environ()
    )
    asked = read_request(post, 1000)
    assert (asked.query, asked.default_graphs) == ("ASK {}", ("urn:g",))
    assert read_request(get, 1000).query is None


def test_format_parameter() -> None:
    assert by_parameter("TSV", RESULT_FORMATS).name == "tsv"
    assert by_parameter("application/n-quads", GRAPH_FORMATS).name == "nquads"
    with pytest.raises(NotAcceptable):
        by_parameter("csv", GRAPH_FORMATS)
    with pytest.raises(UnknownFormat):
        by_parameter("excel", RESULT_FORMATS)


def test_prefers_html() -> None:
    assert prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert not prefers_html("*/*")
    assert not prefers_html("text/turtle, text/html;q=0.5")
    assert not prefers_html(None)


def test_tokenizer_ignores_strings_comments_and_iris() -> None:
    query = """PREFIX ex: <http://ex.org/#>
    # SERVICE <http://comment/>
    SELECT * FROM ex:g WHERE {
      ?s ?p '''SERVICE <http://long/> { {''' .
      ?s ?q "SELECT \\" {" .
      FILTER(?s < ?q && ?q > 2)
      SERVICE SILENT ex:endpoint { ?a ?b ?c }
    }"""
    info = inspect_query(query)
    assert info.form == "SELECT"
    assert info.services == ("http://ex.org/#endpoint",)
    assert info.default_graphs == ("http://ex.org/#g",)
    assert info.depth == 2
    assert not info.update


def test_tokenizer_finds_updates_and_base() -> None:
    assert inspect_query("PREFIX a: <http://a/> LOAD <http://x/data.ttl>").update
    assert not inspect_query("SELECT * WHERE { ?s <http://x/DELETE> ?o }").update
    based = inspect_query("BASE <http://b.org/x/> SELECT * FROM NAMED <g1> WHERE {}")
    assert based.named_graphs == ("http://b.org/x/g1",)


def test_check_query_limits() -> None:
    graphs = {"http://g/1"}
    check_query("SELECT * FROM <http://g/1> {}", max_bytes=100, service_allowlist=(), graphs=graphs)
    cases = [
        ("SELECT * {" + " " * 2000 + "}", 413),
        ("SELECT * " + "{" * 201 + "}" * 201, 400),
        ("SELECT * { SERVICE <http://s/> {} }", 403),
        ("SELECT * FROM <http://g/2> {}", 400),
    ]
    for query, status in cases:
        with pytest.raises(QueryRejected) as refused:
            check_query(query, max_bytes=1000, service_allowlist=(), graphs=graphs)
        assert refused.value.status == status


def test_store_dir_built_once_and_rebuilt_on_change(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_bytes((WEB_RESOURCES / "data.ttl").read_bytes())
    sources = {ONTOLOGY_GRAPH: [WEB_RESOURCES / "ontology.ttl"], DATA_GRAPH: [data]}
    target = tmp_path / "store"
    first = prepare_store(target, sources)
    assert first.built
    assert stored_version(target) == first.version == data_version(sources)
    again = prepare_store(target, sources)
    assert not again.built
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".store.lock"]
    store = open_store(again, in_memory=False)
    assert len(list(store.quads_for_pattern(None, None, None, DATA_GRAPH))) == 11
    del store
    with data.open("a", encoding="utf-8") as extra:
        extra.write(
            "<https://w3id.org/synthkg/paper/x> a <https://w3id.org/synthkg/ontology/Paper> .\n"
        )
    changed = prepare_store(target, sources)
    assert changed.built
    assert changed.version != first.version
    memory = open_store(changed)
    assert len(list(memory.quads_for_pattern(None, None, None, DATA_GRAPH))) == 12


def test_broken_file_leaves_the_old_store(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_bytes((WEB_RESOURCES / "data.ttl").read_bytes())
    sources = {DATA_GRAPH: [data]}
    target = tmp_path / "store"
    good = prepare_store(target, sources)
    data.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"data\.ttl"):
        prepare_store(target, sources)
    assert stored_version(target) == good.version
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "data.ttl", "store"]


def test_config_from_env() -> None:
    config = config_from_env(
        {
            "SYNTHKG_QUERY_TIMEOUT": "2.5",
            "SYNTHKG_MAX_RESULT_ROWS": "10",
            "SYNTHKG_SERVICE_ALLOWLIST": "https://query.wikidata.org/sparql, http://x/sparql",
            "SYNTHKG_IN_MEMORY": "yes",
        }
    )
    assert config["SYNTHKG_QUERY_TIMEOUT"] == 2.5
    assert config["SYNTHKG_MAX_RESULT_ROWS"] == 10
    assert config["SYNTHKG_SERVICE_ALLOWLIST"] == (
        "https://query.wikidata.org/sparql",
        "http://x/sparql",
    )
    assert config["SYNTHKG_IN_MEMORY"] is True
    assert config["SYNTHKG_STORE"] == str(paths.STORE_DIR)


def test_wsgi_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHKG_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("SYNTHKG_MAX_QUERY_BYTES", "64")
    app = runpy.run_path(str(paths.PROJECT_ROOT / "server" / "wsgi.py"))["app"]
    try:
        assert stored_version(tmp_path / "store") == data_version()
        client = app.test_client()
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        too_big = client.get("/sparql", query_string={"query": "ASK {}" + " " * 100})
        assert too_big.status_code == 413
    finally:
        app.extensions["synthkg"].pool.close()

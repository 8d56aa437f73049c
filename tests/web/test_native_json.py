"""SELECT answers written by pyoxigraph's JSON writer: rows counted, the cap kept, and the
Python writer taking over wherever the bytes cannot tell the rows apart."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from synthkg.web.native_json import RowCountingSink, UnsureRowCount, _PastTheCap, write_json_rows
from synthkg.web.results import QueryJob, run_query

EX = "http://example.org/"
# Values that look like the start of a row, or like an empty row, once inside a string.
TRICKY = ['x},{"o":{"type":"uri"', "a},{\\", "}},{", "{ }", "\u00e9 中文"]


def _store(count: int = 12) -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    for index in range(count):
        subject = ox.NamedNode(f"{EX}s{index:02d}")
        value = TRICKY[index % len(TRICKY)] + f" {index}"
        store.add(ox.Quad(subject, p, ox.Literal(value)))
        if index % 3 == 0:
            store.add(ox.Quad(subject, ox.NamedNode(EX + "q"), ox.NamedNode(f"{EX}o{index}")))
    return store


SELECT = f"SELECT ?s ?v ?w WHERE {{ ?s <{EX}p> ?v OPTIONAL {{ ?s <{EX}q> ?w }} }} ORDER BY ?s"


def _rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def test_every_cap_cuts_after_exactly_that_many_rows() -> None:
    store = _store()
    full = _rows(store.query(SELECT).serialize(format=ox.QueryResultsFormat.JSON))
    assert len(full) == 12
    for cap in range(1, 15):
        body, count, truncated = write_json_rows(store.query(SELECT), cap)
        rows = _rows(body)
        assert rows == full[:cap]
        assert count == len(rows) == min(cap, 12)
        assert truncated == (cap < 12)


def test_rows_split_between_writes_are_counted_once() -> None:
    store = _store()
    document = store.query(SELECT).serialize(format=ox.QueryResultsFormat.JSON)
    for size in (1, 2, 3, 7, 16, 64):
        for cap in (5, 100):
            sink = RowCountingSink(cap, longest_name=1)
            try:
                for start in range(0, len(document), size):
                    sink.write(document[start : start + size])
            except _PastTheCap:
                assert cap == 5
                assert sink.cut is not None
                assert len(_rows(b"".join(sink.parts)[: sink.cut] + b"]}}")) == 5
            else:
                assert cap == 100 and sink.later_rows == 11


def test_a_write_after_the_writer_stopped_changes_nothing() -> None:
    # pyoxigraph's buffered writer writes its buffer once more when it is dropped after an
    # error; counting that second write moved the cut to the wrong row.
    document = _store().query(SELECT).serialize(format=ox.QueryResultsFormat.JSON)
    sink = RowCountingSink(2, longest_name=1)
    with pytest.raises(_PastTheCap):
        sink.write(document)
    cut, parts = sink.cut, list(sink.parts)
    with pytest.raises(_PastTheCap):
        sink.write(document)
    assert (sink.cut, sink.parts) == (cut, parts)


def test_an_empty_row_or_braces_in_a_value_leave_the_rows_to_python() -> None:
    store = _store()
    unbound = f"SELECT ?w WHERE {{ ?s <{EX}p> ?v OPTIONAL {{ ?s <{EX}none> ?w }} }}"
    with pytest.raises(UnsureRowCount):
        write_json_rows(store.query(unbound), 100)
    store.add(ox.Quad(ox.NamedNode(EX + "z"), ox.NamedNode(EX + "p"), ox.Literal("set {}")))
    with pytest.raises(UnsureRowCount):
        write_json_rows(store.query(SELECT), 100)
    # The endpoint's answers are right either way, counted and capped.
    for text, total in ((unbound, 13), (SELECT, 13)):
        for cap, truncated in ((5, True), (100, False)):
            answer = run_query(store, QueryJob(text, "json", None, max_rows=cap))
            assert answer.status == 200
            assert len(_rows(answer.body)) == answer.count == min(cap, total)
            assert answer.truncated is truncated


def test_no_rows_and_non_ascii_text() -> None:
    store = _store()
    nothing = f"SELECT ?s ?v WHERE {{ ?s <{EX}p> ?v FILTER(false) }}"
    body, count, truncated = write_json_rows(store.query(nothing), 5)
    assert (_rows(body), count, truncated) == ([], 0, False)
    answer = run_query(store, QueryJob(SELECT, "json", None, max_rows=100))
    assert "中文".encode() in answer.body and answer.count == 12 and not answer.truncated


def test_every_results_format_gets_the_same_capped_rows() -> None:
    store = _store()
    expected = _rows(run_query(store, QueryJob(SELECT, "json", None, max_rows=5)).body)
    subjects = [row["s"]["value"] for row in expected]
    for name, media_type in (("xml", "xml"), ("csv", "csv"), ("tsv", "tab-separated")):
        answer = run_query(store, QueryJob(SELECT, name, None, max_rows=5))
        assert answer.status == 200 and media_type in answer.media_type
        assert answer.count == 5 and answer.truncated
        if name == "xml":
            again = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.XML)
            assert _rows(again.serialize(format=ox.QueryResultsFormat.JSON)) == expected
        else:  # a header line, then one line per row, the subject first
            lines = answer.body.decode().strip().splitlines()
            assert len(lines) == 6
            assert [line.split("\t" if name == "tsv" else ",")[0] for line in lines[1:]] == [
                f"<{s}>" if name == "tsv" else s for s in subjects
            ]

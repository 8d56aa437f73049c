"""Running one query on a store and writing the whole answer as bytes.

Answers are buffered completely (never streamed), so that a query that fails or runs out
of time can never turn into a truncated ``200``. Row caps are applied here: a result with
more than ``max_rows`` rows (or triples) is cut to ``max_rows`` and flagged as truncated.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _quote  # JSON string, non-ASCII kept
from typing import Any

import pyoxigraph as ox

from synthkg.namespaces import PREFIXES
from synthkg.web.native_json import UnsureRowCount, write_json_rows
from synthkg.web.negotiation import ALL_FORMATS, AnswerFormat

_BY_NAME = {f.name: f for f in ALL_FORMATS}
_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


@dataclass(frozen=True)
class QueryJob:
    """A query and how to run and write it (plain data: it crosses a process boundary)."""

    query: str
    result_format: str | None  # for SELECT / ASK; None when no results format is acceptable
    graph_format: str | None  # for CONSTRUCT / DESCRIBE
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    base_iri: str | None = None
    # A page's own query: the whole answer in pyoxigraph's SPARQL JSON or N-Triples, uncapped.
    native: bool = False


@dataclass(frozen=True)
class PatternJob:
    """The quads that match a pattern (``None`` matches anything; pyoxigraph terms pickle)."""

    subject: Any = None
    predicate: Any = None
    object: Any = None
    graph_name: Any = None


NATIVE_RESULTS = "application/sparql-results+json"
NATIVE_TRIPLES = "application/n-triples"
NATIVE_QUADS = "application/n-quads"


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer body, or an error message with its status."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    count: int | None = None


def error(status: int, message: str) -> Answer:
    """A short plain-text error answer."""
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


def run_job(store: ox.Store, job: QueryJob | PatternJob) -> Answer:
    """Answer a query job or a quad pattern job."""
    if isinstance(job, PatternJob):
        quads = store.quads_for_pattern(job.subject, job.predicate, job.object, job.graph_name)
        return Answer(200, NATIVE_QUADS, ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    return run_query(store, job)


def run_query(store: ox.Store, job: QueryJob) -> Answer:
    """Evaluate a query and serialise its answer; errors become 400/502/500 answers."""
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **options)
        if job.native:
            return _write_native(result)
        fmt = _BY_NAME.get(job.result_format or "")
        if (
            isinstance(result, ox.QuerySolutions)
            and fmt is not None
            and isinstance(fmt.writer, ox.QueryResultsFormat)
            and job.max_rows > 0
        ):
            try:
                document, count, truncated = write_json_rows(result, job.max_rows)
            except UnsureRowCount:  # evaluated again, the rows written from Python
                result = store.query(job.query, **options)
            else:
                return _rows_answer(document, count, truncated, fmt)
        return _write(result, job)
    except SyntaxError as failure:
        return error(400, f"query does not parse: {failure}")
    except OSError as failure:  # a SERVICE call that failed
        return error(502, f"query failed: {failure}")
    except (ValueError, TypeError, RuntimeError) as failure:
        return error(500, f"query failed: {failure}")


def _write_native(result: object) -> Answer:
    if isinstance(result, ox.QueryTriples):
        return Answer(200, NATIVE_TRIPLES, result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    assert isinstance(result, (ox.QuerySolutions, ox.QueryBoolean))
    return Answer(200, NATIVE_RESULTS, result.serialize(format=ox.QueryResultsFormat.JSON) or b"")


def _write(result: object, job: QueryJob) -> Answer:
    if isinstance(result, ox.QueryTriples):
        return _write_graph(result, job)
    fmt = _BY_NAME.get(job.result_format or "")
    if fmt is None:
        return error(406, "no acceptable format for SELECT/ASK results (json, xml, csv, tsv)")
    if isinstance(result, ox.QueryBoolean):
        return Answer(200, _content_type(fmt), result.serialize(format=fmt.writer), count=1)
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    # Rows are written as they come (never all held at once); one past the cap means cut.
    rows = _Capped(result, job.max_rows)
    document = json_results(names, rows).encode()
    return _rows_answer(document, rows.count, rows.truncated, fmt)


def _rows_answer(document: bytes, count: int, truncated: bool, fmt: AnswerFormat) -> Answer:
    """The answer of capped rows written as SPARQL JSON, in the format asked for."""
    if fmt.writer != ox.QueryResultsFormat.JSON:
        # pyoxigraph writes the other formats; the capped rows reach it as parsed JSON.
        parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
        document = parsed.serialize(format=fmt.writer)
    return Answer(200, _content_type(fmt), document, truncated, count)


class _Capped:
    """The first ``cap`` items of an iterator; ``truncated`` once it turned out to hold more."""

    def __init__(self, items: Iterable[Any], cap: int) -> None:
        self._items = iter(items)
        self._cap = cap
        self.count = 0
        self.truncated = False

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            if self.count == self._cap:
                self.truncated = True
                return
            self.count += 1
            yield item


def _write_graph(result: Iterable[ox.Triple], job: QueryJob) -> Answer:
    fmt = _BY_NAME.get(job.graph_format or "")
    if fmt is None:
        return error(406, "no acceptable RDF format (turtle, ntriples, rdfxml, jsonld, ...)")
    triples = list(itertools.islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    del triples[job.max_rows :]
    assert isinstance(fmt.writer, ox.RdfFormat)
    items: list[ox.Triple] | list[ox.Quad] = triples
    if fmt.writer.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    prefixes = PREFIXES if fmt.writer in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = ox.serialize(items, format=fmt.writer, prefixes=prefixes)
    return Answer(200, _content_type(fmt), body, truncated, len(triples))


def _content_type(fmt: AnswerFormat) -> str:
    return f"{fmt.media_type}; charset=utf-8"


def json_results(names: list[str], rows: Iterable[ox.QuerySolution]) -> str:
    """SPARQL 1.1 JSON results, written as text directly.

    Building a dict per term for ``json.dumps`` took three times as long on large answers
    (tens of thousands of rows), where the writer, not the engine, was most of the time.
    """
    keys = [_quote(name) + ":" for name in names]
    # A solution iterates its values in the order of the result's variables.
    bindings = ",".join(
        "{"
        + ",".join(
            key + _term_text(term) for key, term in zip(keys, row, strict=True) if term is not None
        )
        + "}"
        for row in rows
    )
    head = ",".join(_quote(name) for name in names)
    return '{"head":{"vars":[' + head + ']},"results":{"bindings":[' + bindings + "]}}"


def _term_text(term: Any) -> str:
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + _quote(term.value) + "}"
    if kind is ox.Literal:
        text = '{"type":"literal","value":' + _quote(term.value)
        if term.language:
            return text + ',"xml:lang":' + _quote(term.language) + "}"
        datatype = term.datatype.value
        if datatype in (_STRING, _LANG_STRING, _DIR_LANG_STRING):
            return text + "}"
        return text + ',"datatype":' + _quote(datatype) + "}"
    return json.dumps(term_json(term), ensure_ascii=False, separators=(",", ":"))


def term_json(term: Any) -> dict[str, Any]:
    """An RDF term in the SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        datatype = term.datatype.value
        if term.language:
            out["xml:lang"] = term.language
        elif datatype not in (_STRING, _LANG_STRING, _DIR_LANG_STRING):
            out["datatype"] = datatype
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def write_result(result: object, job: QueryJob) -> Answer:
    """Write evaluated solutions or a boolean (also ones parsed from another endpoint)."""
    return _write(result, job)


def write_triples(triples: Iterable[ox.Triple], job: QueryJob) -> Answer:
    """Write a graph result (also one parsed from another endpoint's answer)."""
    return _write_graph(triples, job)

"""A remote SPARQL 1.1 endpoint as the store: QLever, Virtuoso, GraphDB, Fuseki, oxigraph.

Protocol queries are sent over HTTP with the query deadline as the HTTP timeout (no query
process is needed: the remote server does the work, and an unanswered request is simply
abandoned). The answer is read completely and written by the same writers as the embedded
store's, so row caps, formats and truncation flags are identical; a JSON answer wanted as
JSON that needs neither a cap nor a dialect fix is sent on as it came.

Queries go as form-encoded POSTs (the one request form every store accepts: Virtuoso 7
does not answer ``application/sparql-query`` bodies). A query without its own dataset must
see exactly what it would see in the embedded store, and not the store's own system graphs
(Virtuoso keeps thousands of triples of its own in its default graph). By default
(``dataset="checked"``) it is sent on the store's default graph when the store has been
asked and agrees with the named graphs on every pattern of the query
(``synthkg.backends.dataset_check``), and otherwise with the graph's named graphs as its
dataset (``default-graph-uri`` and ``named-graph-uri``); ``"explicit"`` always names them,
``"store"`` never does. Answers
in the dialect of a store (Virtuoso's ``nodeID://`` blank nodes and its ASK answered as
a one-row table) are brought back to the standard first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from string import Template
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from synthkg import paths
from synthkg import store as local_store
from synthkg.backends.auth import Credentials
from synthkg.backends.dataset_check import CHECK_TIMEOUT, DatasetCheck
from synthkg.backends.http import EndpointTimeout, EndpointUnavailable, HttpEndpoint
from synthkg.errors import InputError
from synthkg.web.executor import QueryTimeout
from synthkg.web.negotiation import ALL_FORMATS
from synthkg.web.results import Answer, QueryJob, error, write_result, write_triples

QUERIES = paths.QUERIES_DIR / "backends"
SPARQL_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
# "checked": the dataset named unless the store's default graph is shown to give the same
# answer; "explicit": every query names the graph's graphs as its dataset; "store": the
# store's own default graph, which must then be the union of the graphs (its system graphs
# become visible). Virtuoso evaluated a matrix query 7x slower with the dataset named: 58
# against 8 ms at 10^5 triples.
DATASET_MODES = ("checked", "explicit", "store")
# The variable Virtuoso answers an ASK with, as a one-row table in JSON.
_VIRTUOSO_ASK = "__ASK_RETVAL"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
# Media types of RDF a remote endpoint may answer with, and how to parse them.
_RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
_BY_NAME = {f.name: f for f in ALL_FORMATS}


def known_graphs() -> tuple[ox.NamedNode, ...]:
    """The named graphs the embedded store fills (``*_GRAPH`` of ``synthkg.store``)."""
    found = {
        value
        for name, value in vars(local_store).items()
        if name.endswith("_GRAPH") and isinstance(value, ox.NamedNode)
    }
    return tuple(sorted(found, key=str))


def template(name: str) -> Template:
    """A query template of ``queries/backends``."""
    return Template((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _with_base(text: str, base_iri: str | None) -> str:
    # A BASE declaration may precede the query's own prologue.
    return f"BASE <{base_iri}>\n{text}" if base_iri else text


def _values(variable: str, terms: list[Any]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(str(t) for t in terms)} }}"


def _form(text: str, params: dict[str, Any]) -> bytes:
    return urlencode({"query": text, **params}, doseq=True).encode()


def parse_json_results(body: bytes) -> Any:
    """SPARQL JSON results parsed by pyoxigraph, a store's dialect brought to the standard."""
    if b'"bnode"' in body or _VIRTUOSO_ASK.encode() in body:
        body = _standard_json(body)
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


def standard_json_as_is(body: bytes, max_rows: int) -> bytes | None:
    """The endpoint's JSON answer, to be sent on unchanged, or None when it must be rewritten.

    Parsing and writing again a 10 MB answer costs about 200 ms; the checks here are byte
    scans. An answer passes when no row cap can apply (every row is a JSON object, so there
    are fewer rows than opening braces) and it holds none of the dialects that need a
    parse: blank nodes (relabelled) and Virtuoso's ASK table. Virtuoso's term type
    ``"typed-literal"`` (from a draft of the format) is renamed in place: a string value
    cannot hold the quoted pattern, since its own quotes are escaped.
    """
    framed = body[:64].lstrip().startswith(b"{") and body[-64:].rstrip().endswith(b"}")
    if not framed or body.count(b"{") > max_rows:
        return None  # not a JSON object (left to the parser to report), or a cap may apply
    if b"typed-literal" in body:
        body = body.replace(b'"type": "typed-literal"', b'"type": "literal"')
        body = body.replace(b'"type":"typed-literal"', b'"type":"literal"')
    if b"typed-literal" in body or b'"bnode"' in body or _VIRTUOSO_ASK.encode() in body:
        return None
    return body


def _standard_json(body: bytes) -> bytes:
    document = json.loads(body)
    names = document.get("head", {}).get("vars", [])
    rows = document.get("results", {}).get("bindings", [])
    if names == [_VIRTUOSO_ASK] and len(rows) <= 1:
        # True is one row holding 1; false is no row at all.
        value = rows[0].get(_VIRTUOSO_ASK, {}).get("value") if rows else None
        return json.dumps({"head": {}, "boolean": value in ("1", "true")}).encode()
    for row in rows:
        for term in row.values():
            _standard_term(term)
    return json.dumps(document).encode()


def _standard_term(term: dict[str, Any]) -> None:
    # Blank node labels such as ``nodeID://b10000`` are not valid identifiers: the label is
    # re-written one-to-one (it names nothing outside this answer anyway).
    if term.get("type") == "bnode" and not str(term.get("value", "")).isalnum():
        term["value"] = "x" + str(term["value"]).encode().hex()
    elif term.get("type") == "triple":
        for part in term.get("value", {}).values():
            _standard_term(part)


class RemoteStore:
    """The part of pyoxigraph's ``Store`` API the pages use, answered by the endpoint."""

    def __init__(
        self,
        endpoint: HttpEndpoint,
        graphs: tuple[ox.NamedNode, ...],
        timeout: float,
        mode: str = "explicit",
    ) -> None:
        self.endpoint = endpoint
        self.graphs = graphs
        self.timeout = timeout
        self.mode = mode
        self.check: DatasetCheck | None = None
        if mode == "checked":
            asker = RemoteStore(endpoint, graphs, CHECK_TIMEOUT)
            self.check = DatasetCheck(asker.ask_for_check, tuple(g.value for g in graphs), template)

    def dataset(self, text: str | None = None) -> dict[str, list[str]]:
        """Protocol parameters for a query without its own dataset: the graph's graphs as
        the whole dataset, or none where the store's default graph gives the same answer."""
        if self.mode == "store" or (self.check is not None and text and self.check.allows(text)):
            return {}
        names = [g.value for g in self.graphs]
        return {"default-graph-uri": names, "named-graph-uri": names}

    def ask_for_check(self, text: str, named: bool) -> Any:
        """A check's query, on the graph's graphs (``named``) or on the default graph."""
        if named:
            return self.query(text, default_graph=list(self.graphs))
        return self.query(text, use_default_graph_as_union=False)

    def _post(self, text: str, accept: str, params: dict[str, Any] | None = None) -> Any:
        reply = self.endpoint.request(
            "POST",
            None,
            _form(text, params or {}),
            {"Content-Type": FORM, "Accept": accept},
            self.timeout,
        )
        if reply.status != 200:
            detail = reply.body.decode("utf-8", "replace").strip()[:500]
            raise OSError(f"{self.endpoint.url} answered {reply.status}: {detail}")
        return reply

    def query(
        self,
        text: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = True,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> Any:
        """Results like ``Store.query``: solutions, a boolean, or an iterator of triples."""
        params: dict[str, Any] = {}
        if default_graph is not None:
            params["default-graph-uri"] = [g.value for g in default_graph]
        if named_graphs is not None:
            params["named-graph-uri"] = [g.value for g in named_graphs]
        if not params and use_default_graph_as_union:
            params = self.dataset(text)
        reply = self._post(
            _with_base(text, base_iri), f"{SPARQL_JSON}, {GRAPH_ACCEPT};q=0.8", params
        )
        media = _media(reply.content_type)
        if media in _RDF_TYPES:
            return iter(ox.parse(reply.body, format=_RDF_TYPES[media]))
        return parse_json_results(reply.body)

    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        """The quads of the graph's named graphs that match a pattern."""
        if isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode):
            return iter(())  # remote blank node labels do not survive between requests
        graphs = [g for g in self.graphs if graph_name is None or g == graph_name]
        if not graphs:
            return iter(())
        clauses = [_values("g", graphs)]
        for name, term in (("s", subject), ("p", predicate), ("o", obj)):
            if term is not None:
                clauses.append(_values(name, [term]))
        text = template("quads").substitute(bindings="\n  ".join(clauses))
        rows = self.query(text)
        return (ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The graph's named graphs that hold at least one triple."""
        return iter(g for g in self.graphs if graph_sizes(self).get(g.value))


def graph_sizes(store: RemoteStore) -> dict[str, int]:
    """Triples per named graph, counted by the endpoint."""
    text = template("graph-sizes").substitute(graphs=" ".join(str(g) for g in store.graphs))
    return {row["g"].value: int(row["triples"].value) for row in store.query(text)}


class RemoteBackend:
    """The web app in front of a SPARQL 1.1 endpoint."""

    kind = "remote"

    def __init__(
        self,
        url: str,
        graphs: tuple[ox.NamedNode, ...] | None = None,
        page_timeout: float = 30.0,
        credentials: Credentials | None = None,
        dataset: str = "checked",
    ) -> None:
        if dataset not in DATASET_MODES:
            raise InputError(f"dataset mode {dataset!r}: one of {', '.join(DATASET_MODES)}")
        self.url = url
        self.endpoint = HttpEndpoint(url, credentials)
        self._store = RemoteStore(self.endpoint, graphs or known_graphs(), page_timeout, dataset)
        self._sizes: dict[str, int] | None = None

    @property
    def store(self) -> RemoteStore:
        return self._store

    def graph_sizes(self) -> dict[str, int]:
        if self._sizes is None:
            self._sizes = {g: n for g, n in sorted(graph_sizes(self._store).items()) if n}
        return self._sizes

    def version(self) -> str:
        """A data version for caching: the URL and the size of every graph."""
        seed = json.dumps([self.url, self.graph_sizes()], sort_keys=True)
        return hashlib.sha256(seed.encode()).hexdigest()

    def run(self, job: QueryJob, timeout: float) -> Answer:
        """Send the query; the deadline is the HTTP timeout."""
        if job.result_format and job.graph_format:
            accept = f"{SPARQL_JSON}, {GRAPH_ACCEPT};q=0.8"
        elif job.graph_format:
            accept = GRAPH_ACCEPT
        else:
            accept = SPARQL_JSON
        params: dict[str, Any] = {}
        if job.default_graphs is not None:
            params["default-graph-uri"] = list(job.default_graphs)
        if job.named_graphs is not None:
            params["named-graph-uri"] = list(job.named_graphs)
        if not params and job.union_default_graph:
            params = self._store.dataset(job.query)
        try:
            reply = self.endpoint.request(
                "POST",
                None,
                _form(_with_base(job.query, job.base_iri), params),
                {"Content-Type": FORM, "Accept": accept},
                timeout,
            )
        except EndpointTimeout as failure:
            raise QueryTimeout(f"query stopped after {timeout:g} s") from failure
        except EndpointUnavailable as failure:
            return error(502, f"the store did not answer: {failure}")
        return _translate(reply.status, reply.content_type, reply.body, job)

    def close(self) -> None:
        self.endpoint.close()


def _translate(status: int, content_type: str, body: bytes, job: QueryJob) -> Answer:
    """The remote answer written as the embedded store would have written it."""
    detail = body.decode("utf-8", "replace").strip()[:2000]
    if status == 400:
        return error(400, f"query does not parse: {detail}")
    if status != 200:
        return error(502, f"the store answered {status}: {detail}")
    media = _media(content_type)
    try:
        if media in _RDF_TYPES:
            return write_triples(ox.parse(body, format=_RDF_TYPES[media]), job)
        if media == SPARQL_JSON:
            return _write_json_results(body, job)
    except (SyntaxError, ValueError) as failure:
        return error(502, f"the store's answer does not parse: {failure}")
    return error(502, f"the store answered with an unexpected type {media!r}")


def _write_json_results(body: bytes, job: QueryJob) -> Answer:
    fmt = _BY_NAME.get(job.result_format or "")
    if fmt is None:
        return error(406, "no acceptable format for SELECT/ASK results (json, xml, csv, tsv)")
    if fmt.name == "json":
        standard = standard_json_as_is(body, job.max_rows)
        if standard is not None:
            return Answer(200, f"{fmt.media_type}; charset=utf-8", standard)
    # Otherwise rewritten: a row cap applies, another format is wanted, or the endpoint's
    # dialect of the JSON format needs more than a byte-level fix.
    parsed = parse_json_results(body)
    if isinstance(parsed, ox.QuerySolutions) and body.count(b"{") <= job.max_rows:
        # Every row is a JSON object, so there are fewer rows than opening braces: no cap
        # can apply, and pyoxigraph rewrites the whole answer natively, without a Python
        # object per row (half the time on answers of tens of thousands of rows).
        return Answer(200, f"{fmt.media_type}; charset=utf-8", parsed.serialize(format=fmt.writer))
    return write_result(parsed, job)


def check_endpoint(url: str, timeout: float = 10.0) -> str:
    """A one-line summary of the graphs an endpoint holds; ``InputError`` when unusable."""
    try:
        sizes = RemoteBackend(url, page_timeout=timeout).graph_sizes()
    except (OSError, EndpointTimeout, EndpointUnavailable, SyntaxError, ValueError) as failure:
        raise InputError(f"{url}: not a usable SPARQL endpoint: {failure}") from failure
    if not sizes:
        return "reachable, but it holds none of the graph's named graphs: run `synthkg load`"
    return ", ".join(f"{graph}: {count} triples" for graph, count in sizes.items())

"""Reading a SPARQL 1.1 Protocol request: where the query and its dataset come from.

* GET with ``query`` (and ``default-graph-uri`` / ``named-graph-uri``) in the URL;
* POST ``application/x-www-form-urlencoded`` with the same parameters in the body;
* POST ``application/sparql-query`` with the query as the body (UTF-8) and the dataset
  parameters in the URL.

Updates (an ``update`` parameter or an ``application/sparql-update`` body) are refused with
403: this endpoint is read-only. Any other body type is refused with 415.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from synthkg.web.limits import QueryRejected

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only"


@dataclass
class ProtocolRequest:
    """The query of a request (None for a plain GET) and its protocol parameters."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None

    @property
    def has_dataset(self) -> bool:
        """Whether the request names the dataset (overriding FROM in the query)."""
        return bool(self.default_graphs or self.named_graphs)


def max_body_bytes(max_query_bytes: int) -> int:
    """The largest POST body read for a query of at most ``max_query_bytes``."""
    # A form body may percent-encode every byte of the query: three bytes for one.
    return 3 * max_query_bytes + 4096


def read_request(request: Request, max_bytes: int) -> ProtocolRequest:
    """The protocol request, or ``QueryRejected`` with the status to answer."""
    if request.method == "POST":
        mimetype = request.mimetype
        length = request.content_length
        if length is not None and length > max_body_bytes(max_bytes):
            raise QueryRejected(413, f"request body too large: {length} bytes")
        if mimetype == UPDATE_BODY:
            raise QueryRejected(403, READ_ONLY)
        if mimetype == FORM:
            params = MultiDict(request.args)
            params.update(request.form)
            return _from_params(params)
        if mimetype == QUERY_BODY:
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise QueryRejected(415, f"charset {charset} not supported: send UTF-8")
            try:
                text = request.get_data(cache=True).decode("utf-8")
            except UnicodeDecodeError as failure:
                raise QueryRejected(400, f"query body is not UTF-8: {failure}") from None
            if "query" in request.args:
                raise QueryRejected(400, "query given both in the body and as a parameter")
            found = _from_params(request.args)
            found.query = text
            return found
        raise QueryRejected(
            415,
            f"unsupported content type {mimetype or '(none)'}: POST {QUERY_BODY} or {FORM}",
        )
    return _from_params(request.args)


def _from_params(params: MultiDict[str, str]) -> ProtocolRequest:
    if "update" in params:
        raise QueryRejected(403, READ_ONLY)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise QueryRejected(400, f"{len(queries)} query parameters given; send exactly one")
    formats = params.getlist("format")
    if len(formats) > 1:
        raise QueryRejected(400, "more than one format parameter given")
    return ProtocolRequest(
        query=queries[0] if queries else None,
        default_graphs=params.getlist("default-graph-uri"),
        named_graphs=params.getlist("named-graph-uri"),
        format=formats[0] if formats and formats[0] else None,
    )

"""Reading a SPARQL 1.1 Protocol request: where the query and its dataset come from.

* GET with ``query`` (and ``default-graph-uri`` / ``named-graph-uri``) in the URL;
* POST ``application/x-www-form-urlencoded`` with the same parameters in the body;
* POST ``application/sparql-query`` with the query as the body (UTF-8) and the dataset
  parameters in the URL.

Updates (an ``update`` parameter or an ``application/sparql-update`` body) are refused with
403: this endpoint is read-only. Any other body type is refused with 415.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from synthkg.web.limits import QueryRejected

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only"


@dataclass(frozen=True)
class ProtocolRequest:
    """The query of a request (None for a plain GET) and its protocol parameters."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
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
            return replace(_from_params(request.args), query=text)
        raise QueryRejected(
            415,
            f"unsupported content type {mimetype or '(none)'}: POST {QUERY_BODY} or {FORM}",
        )
    return _from_query_string(request)


# The protocol requests read from the most recent GET query strings are kept: decoding a
# percent-encoded query string is the largest part of reading a GET (about 20 µs for a
# lookup with its prefixes, in pure Python), and clients repeat theirs (a page's own
# fetches, a script polling one query, a crawler's lookups by one template). A refusal
# raises and is not kept; longer query strings are rare and costly to keep.
_REMEMBERED_QUERY_STRINGS = 512
_REMEMBERED_LENGTH = 8192


def _from_query_string(request: Request) -> ProtocolRequest:
    key = request.query_string
    if len(key) <= _REMEMBERED_LENGTH:
        return _read_remembered(key)
    return _from_params(request.args)


@lru_cache(maxsize=_REMEMBERED_QUERY_STRINGS)
def _read_remembered(query_string: bytes) -> ProtocolRequest:
    # werkzeug's own decoding of the query string, from an environ that holds only it.
    return _from_params(Request({"QUERY_STRING": query_string.decode("latin-1")}).args)


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
        default_graphs=tuple(params.getlist("default-graph-uri")),
        named_graphs=tuple(params.getlist("named-graph-uri")),
        format=formats[0] if formats and formats[0] else None,
    )

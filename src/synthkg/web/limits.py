"""What a query may do here, checked before it runs.

Oxigraph offers no hook to refuse a federated call or a dataset clause, and a deeply nested
query crashes its recursive parser, so the query text is read first by a small tokenizer
that knows where strings, comments and IRIs are (keywords inside them are not keywords).
It finds the query form, the nesting depth, every ``SERVICE`` endpoint and every ``FROM`` /
``FROM NAMED`` graph; the checks below refuse what the endpoint must not do.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

MAX_NESTING = 200
# Operators and group keywords build left-nested trees that the engine walks recursively:
# measured on pyoxigraph 0.5.13, ~5,000 BIND clauses, MINUS blocks or `- 1` terms, or
# ~9,000 `!` or `&&`, overflow its stack and kill the process. A real query uses tens.
MAX_OPERATORS = 2000
OPERATOR_CHARS = frozenset("|/&!-+*^=<>")
OPERATOR_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "VALUES"})

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7-\uffff]+)
  | (?P<pname>(?:[^\W\d_][\w\-.\u00b7-\uffff]*)?:(?:[\w\-.:%\u00b7-\uffff]|\\.)*)
  | (?P<word>[^\W\d][\w]*)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


# The words whose following tokens the inspection reads.
_CLAUSE_WORDS = QUERY_FORMS | UPDATE_WORDS | {"PREFIX", "BASE", "SERVICE", "FROM"}


class QueryRejected(Exception):
    """A query the endpoint refuses to run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryInfo:
    """What the tokenizer learnt about a query."""

    form: str | None = None
    update: bool = False
    depth: int = 0
    operators: int = 0  # operator characters and group keywords (see MAX_OPERATORS)
    services: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        """Whether the query names its own dataset with FROM / FROM NAMED."""
        return bool(self.default_graphs or self.named_graphs)


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """The (kind, text) tokens of a query, without spaces and comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield kind, match.group()


# What is learnt about the most recent short queries is kept: clients repeat the same
# queries (an application's lookups, the example catalogue), and reading one costs tens of
# microseconds, a good part of answering a point lookup. At most 512 x 8 KB are kept.
_REMEMBERED_QUERIES = 512
_REMEMBERED_LENGTH = 8192


def inspect_query(text: str) -> QueryInfo:
    """Read a query's form, nesting depth, SERVICE endpoints and dataset clauses."""
    if len(text) <= _REMEMBERED_LENGTH:
        return _inspect_remembered(text)
    return _inspect(text)


@lru_cache(maxsize=_REMEMBERED_QUERIES)
def _inspect_remembered(text: str) -> QueryInfo:
    return _inspect(text)


def _inspect(text: str) -> QueryInfo:
    form: str | None = None
    update = False
    deepest = operators = depth = 0
    services: list[str] = []
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    prefixes: dict[str, str] = {}
    base = ""
    items = list(tokens(text))

    def resolve(kind: str, value: str) -> str:
        if kind == "iri":
            return urljoin(base, value[1:-1]) if base else value[1:-1]
        if kind == "pname":
            prefix, _, local = value.rstrip(".").partition(":")
            return prefixes.get(prefix, prefix + ":") + re.sub(r"\\(.)", r"\1", local)
        return value  # a variable

    for index, (kind, value) in enumerate(items):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "other" and value in OPERATOR_CHARS:
            operators += 1
        if kind != "word":
            continue
        word = value.upper()
        if word in OPERATOR_WORDS:
            operators += 1
            continue
        if word not in _CLAUSE_WORDS:
            continue
        following = items[index + 1 : index + 4]
        if word == "PREFIX" and len(following) >= 2 and following[1][0] == "iri":
            prefixes[following[0][1].rstrip(":")] = resolve(*following[1])
        elif word == "BASE" and following and following[0][0] == "iri":
            base = resolve(*following[0])
        elif word in QUERY_FORMS and form is None and not update:
            form = word
        elif word in UPDATE_WORDS and form is None and depth == 0:
            update = True
        elif word == "SERVICE":
            rest = following
            if rest and rest[0][1].upper() == "SILENT":
                rest = rest[1:]
            if rest and rest[0][0] in ("iri", "pname", "var"):
                services.append(resolve(*rest[0]))
        elif word == "FROM" and following:
            named = following[0][1].upper() == "NAMED"
            target = following[1:] if named else following
            if target and target[0][0] in ("iri", "pname"):
                graph = resolve(*target[0])
                (named_graphs if named else default_graphs).append(graph)
    return QueryInfo(
        form, update, deepest, operators,
        tuple(services), tuple(default_graphs), tuple(named_graphs),
    )  # fmt: skip


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets, braces and parentheses outside strings and IRIs."""
    return inspect_query(text).depth


def check_query(
    text: str,
    *,
    max_bytes: int,
    service_allowlist: Collection[str],
    graphs: Collection[str],
) -> QueryInfo:
    """Refuse a query the endpoint must not run; return what was learnt about it."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise QueryRejected(413, f"query too large: {size} bytes; the limit is {max_bytes}")
    info = inspect_query(text)
    if info.depth > MAX_NESTING:
        raise QueryRejected(
            400, f"query nested too deeply: depth {info.depth}; the limit is {MAX_NESTING}"
        )
    if info.operators > MAX_OPERATORS:
        raise QueryRejected(
            400,
            f"query too complex: {info.operators} operators and group clauses; "
            f"the limit is {MAX_OPERATORS}",
        )
    if info.update:
        raise QueryRejected(403, "SPARQL Update is not accepted: this endpoint is read-only")
    for endpoint in info.services:
        if endpoint.startswith(("?", "$")):
            raise QueryRejected(403, f"SERVICE {endpoint}: a variable endpoint is not allowed")
        if endpoint not in service_allowlist:
            allowed = ", ".join(sorted(service_allowlist)) or "none"
            raise QueryRejected(
                403, f"SERVICE <{endpoint}> is not allowed (allowed endpoints: {allowed})"
            )
    check_graphs([*info.default_graphs, *info.named_graphs], graphs, "FROM")
    return info


def check_graphs(requested: Collection[str], graphs: Collection[str], what: str) -> None:
    """Refuse a dataset that names a graph the store does not hold (no remote loading)."""
    for graph in requested:
        if graph not in graphs:
            known = ", ".join(f"<{g}>" for g in sorted(graphs)) or "none"
            raise QueryRejected(
                400, f"{what} <{graph}>: not a graph of this store (its graphs: {known})"
            )

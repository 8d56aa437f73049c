"""Whether a query may be sent to a remote store without naming the dataset.

Naming the graph's graphs as a query's dataset (``default-graph-uri``,
``named-graph-uri``) keeps the store's other graphs out of the answer, but a store may
evaluate it far more slowly: Virtuoso took 8.2 s instead of 0.8 s for the method x
application matrix at 10^7 triples. Without the dataset, the query reads the store's
default graph. The answer is the same when, for every triple pattern of the query, the
default graph holds exactly the triples of the named graphs that match it, and nothing in
the query can see beyond its patterns (a ``GRAPH ?g {}`` listing graphs, a ``DESCRIBE``,
a zero-length path over every node of the graph).

``query_shapes`` reads the query (rdflib's parser; the result is remembered per query)
and gives, for each pattern, the shapes to ask about, from the most general to the most
specific: ``(predicate, None)`` then ``(predicate, object)``. Subjects are never part of a
shape, so that the lookups of ever new resources reuse the answers about their
predicates. ``DatasetCheck`` asks the store about each shape once (the named graphs'
matches counted with and without the dataset, and whether the default graph holds a match
they do not) and remembers the answer for ``CHECK_SECONDS``: a graph loaded into the store
beside SynthKG's is seen by that time at the latest.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

# A shape: the predicate and the object of a triple pattern as SPARQL terms, None when
# the position is a variable (or, for the object, left open).
Shape = tuple[str | None, str | None]
# Seconds an answer about a shape is trusted; answers kept at most.
CHECK_SECONDS = 300.0
MAX_SHAPES = 4096
# Seconds a check query may take before the shape counts as not shown to be safe.
CHECK_TIMEOUT = 10.0
# Longer queries keep the dataset named: rdflib's parser took 0.55 s for 7 KB of UNIONs,
# and the texts read are remembered.
MAX_QUERY_BYTES = 8192

# rdflib's algebra nodes that make an answer depend on more than the query's patterns.
_UNSAFE_NODES = {"ServiceGraphPattern", "DescribeQuery"}


def query_shapes(text: str) -> tuple[tuple[Shape, ...], ...] | None:
    """Per triple pattern, the shapes to ask about; None when the dataset must be named.

    None too when rdflib cannot read the query (the store may still) or when it is longer
    than ``MAX_QUERY_BYTES``: naming the dataset is always correct.
    """
    if len(text.encode()) > MAX_QUERY_BYTES:
        return None  # checked before the memo, which would otherwise keep the long text
    return _read_shapes(text)


@lru_cache(maxsize=1024)
def _read_shapes(text: str) -> tuple[tuple[Shape, ...], ...] | None:
    try:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        query = translateQuery(parseQuery(text))
    except Exception:  # any refusal of rdflib's parser: keep the dataset named
        return None
    if query.algebra.name in _UNSAFE_NODES or query.algebra.get("datasetClause"):
        return None
    found: list[tuple[Shape, ...]] = []
    try:
        _walk(query.algebra, found, inside_graph=False)
    except _NeedsDataset:
        return None
    return tuple(dict.fromkeys(found))


class _NeedsDataset(Exception):
    """Raised while reading a query that can see beyond its triple patterns."""


def _walk(node: Any, found: list[tuple[Shape, ...]], inside_graph: bool) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name in _UNSAFE_NODES:
            raise _NeedsDataset
        if node.name == "BGP":
            found.extend(_bgp_shapes(node.triples, inside_graph))
            return
        if node.name == "Graph":
            _check_graph(node)
            _walk(node.p, found, inside_graph=True)
            return
        if "triples" in node or node.name.endswith(("GraphPattern", "GraphPatternSub")):
            raise _NeedsDataset  # a pattern rdflib left untranslated: not read here
        for value in _parts(node):
            _walk(value, found, inside_graph)
    elif isinstance(node, list | tuple):
        for value in node:
            _walk(value, found, inside_graph)


def _parts(node: Any) -> list[Any]:
    """A node's values; rdflib sets some (the pattern of an ``EXISTS``, once translated)
    as attributes beside its items, and those win."""
    attributes = {k: v for k, v in vars(node).items() if k not in {"name", "_evalfn"}}
    return [attributes.get(key, value) for key, value in node.items()] + [
        value for key, value in attributes.items() if key not in node
    ]


def _check_graph(node: Any) -> None:
    """Without a dataset, ``GRAPH ?g`` ranges over every graph of the store and ``GRAPH
    <g>`` reads a graph SynthKG may not have: allowed only around triple patterns, which
    match nothing in graphs that are not SynthKG's once their shapes are checked (a
    ``GRAPH ?g {}``, or an ``OPTIONAL`` alone inside, would still list the others)."""
    inner = node.p
    while inner.name in {"Filter", "Extend"}:
        inner = inner.p
    if inner.name != "BGP" or not inner.triples:
        raise _NeedsDataset


def _bgp_shapes(
    triples: list[tuple[Any, Any, Any]], inside_graph: bool
) -> Iterator[tuple[Shape, ...]]:
    from rdflib.paths import Path
    from rdflib.term import URIRef, Variable

    # Terms a pattern can only bind to terms of matched triples (not a zero-length path).
    plain_ends = {
        term
        for subject, predicate, obj in triples
        if not (isinstance(predicate, Path) and _zero_length(predicate))
        for term in (subject, obj)
    }
    for subject, predicate, obj in triples:
        if isinstance(predicate, URIRef):
            yield _shapes(predicate.n3(), None if _is_open(obj) else obj.n3())
        elif isinstance(predicate, Variable):
            yield ((None, None),)
        elif isinstance(predicate, Path):
            if _zero_length(predicate) and not _bound_end(subject, obj, plain_ends, inside_graph):
                raise _NeedsDataset
            yield from ((shape,) for shape in _path_shapes(predicate))
        else:
            raise _NeedsDataset


def _shapes(predicate: str, obj: str | None) -> tuple[Shape, ...]:
    return ((predicate, None),) if obj is None else ((predicate, None), (predicate, obj))


def _is_open(term: Any) -> bool:
    from rdflib.term import BNode, Variable

    return isinstance(term, Variable | BNode)


def _bound_end(subject: Any, obj: Any, plain_ends: set[Any], inside_graph: bool) -> bool:
    """Whether a zero-length match can only be of terms the rest of the pattern gives.

    A path of length zero matches every node of the graph when both its ends are open;
    joined in the same group with a pattern on one end that cannot match zero-length, it
    only matches terms of triples that pattern matched. A constant end matches itself.
    """
    ends = [t for t in (subject, obj) if _is_open(t)]
    if any(end in plain_ends for end in ends):
        return True
    # Inside GRAPH, a constant end still matches itself in every graph of the store.
    return len(ends) < 2 and not inside_graph


def _zero_length(path: Any) -> bool:
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(path, MulPath):
        return path.zero
    if isinstance(path, SequencePath):
        return all(_zero_length(part) for part in path.args)
    if isinstance(path, AlternativePath):
        return any(_zero_length(part) for part in path.args)
    if isinstance(path, InvPath):
        return _zero_length(path.arg)
    return False  # a predicate, or a negated property set: one step exactly


def _path_shapes(path: Any) -> Iterator[Shape]:
    """Every predicate a path can follow, each with its object open."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.term import URIRef

    if isinstance(path, URIRef):
        yield (path.n3(), None)
    elif isinstance(path, MulPath):
        yield from _path_shapes(path.path)
    elif isinstance(path, InvPath):
        yield from _path_shapes(path.arg)
    elif isinstance(path, SequencePath | AlternativePath):
        for part in path.args:
            yield from _path_shapes(part)
    elif isinstance(path, NegatedPath):
        yield (None, None)  # any predicate but the ones named
    else:
        raise _NeedsDataset


# Asks the store one query: (text, with the dataset named?) -> a boolean or solutions.
Asker = Callable[[str, bool], Any]


class DatasetCheck:
    """Remembered answers, per shape, to: does the store's default graph agree with the
    named graphs on the triples of this shape?"""

    def __init__(
        self,
        ask: Asker,
        graphs: tuple[str, ...],
        templates: Callable[[str], Any],
        seconds: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ask = ask
        self._graphs = " ".join(f"<{g}>" for g in graphs)
        self._graph_list = ", ".join(f"<{g}>" for g in graphs)
        # Read once: a check runs on every new shape.
        self._outside = templates("dataset-outside")
        self._count = templates("dataset-count")
        self._seconds = seconds
        self._clock = clock
        self._known: OrderedDict[Shape, tuple[bool, float]] = OrderedDict()
        self._lock = threading.Lock()
        query_shapes("ASK {}")  # rdflib's parser built now, before the workers fork

    def allows(self, text: str) -> bool:
        """Whether ``text`` gets the same answer without the dataset named."""
        shapes = query_shapes(text)
        if shapes is None:
            return False
        return all(any(self.agrees(shape) for shape in choices) for choices in shapes)

    def agrees(self, shape: Shape) -> bool:
        """The remembered answer for a shape, asked of the store when unknown or old."""
        now = self._clock()
        with self._lock:
            known = self._known.get(shape)
            if known is not None and known[1] > now:
                self._known.move_to_end(shape)
                return known[0]
        answer = self._ask_store(shape)
        with self._lock:
            self._known[shape] = (answer, now + self._seconds)
            self._known.move_to_end(shape)
            while len(self._known) > MAX_SHAPES:
                self._known.popitem(last=False)
        return answer

    def _ask_store(self, shape: Shape) -> bool:
        predicate, obj = shape
        pattern = f"?s {predicate or '?p'} {obj or '?o'}"
        try:
            outside = self._ask(
                self._outside.substitute(
                    pattern=pattern, graphs=self._graphs, graph_list=self._graph_list
                ),
                False,
            )
            if bool(outside):  # pyoxigraph's QueryBoolean; anything but false counts as true
                return False
            count = self._count.substitute(pattern=pattern)
            return _number(self._ask(count, False)) == _number(self._ask(count, True))
        except Exception:  # a failed check (time-out, refusal): keep the dataset named
            return False


def _number(solutions: Any) -> int | None:
    for row in solutions:
        return int(row["triples"].value)
    return None

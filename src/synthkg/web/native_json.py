"""SELECT answers in JSON written by pyoxigraph's own writer, with the row cap kept.

Writing the rows from Python (``results.json_results``) lets the cap stop the evaluation
after ``max_rows`` rows, but costs about 1.5 µs per term: at 10^5 triples the category
subtree of the benchmark (1,026 rows, 195 kB) took 13.1 ms written from Python and 10.1 ms
written by pyoxigraph, the evaluation itself being 9.6 ms.

Here pyoxigraph writes into a ``RowCountingSink`` that finds where each row starts as the
bytes pass and stops the writer once a row beyond the cap begins, so the cap still bounds
the work and the memory. A row after the first starts with ``},{"name":{"type":``: a raw
quote cannot occur inside a JSON string, so this never matches inside a value. Only a row
with no bound variable (``{}``) has no such start; as ``{}`` may also occur inside a value,
its presence makes the count uncertain, and the caller then writes the rows from Python.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

# The start of every row after the first (the name is a SPARQL variable: no quote in it).
_NEXT_ROW = re.compile(rb'\},\{"[^"\\]*":\{"type":')
_EMPTY_ROW = b"{}"
_BINDINGS = b'"bindings":['
_END = b"]}}"


class UnsureRowCount(Exception):
    """The answer holds ``{}`` (an empty row, or text in a value): rows cannot be counted
    from the bytes alone."""


class _PastTheCap(Exception):
    """A row beyond the cap started: the writer is stopped."""


class RowCountingSink:
    """A binary file-like object for pyoxigraph's JSON results writer.

    ``longest_name`` is the longest variable name in bytes: a row start split between two
    writes is found in the end of the previous write kept for that.
    """

    def __init__(self, cap: int, longest_name: int) -> None:
        self.cap = cap
        self.parts: list[bytes] = []
        self.later_rows = 0  # rows started after the first
        self.received = 0
        self.cut: int | None = None  # where the answer ends when it is cut at the cap
        self._keep = longest_name + len('},{"":{"type":')
        self._tail = b""
        self._stopped: Exception | None = None

    def write(self, chunk: bytes) -> int:
        if self._stopped is not None:
            # pyoxigraph's buffered writer tries once more to write what it holds when it is
            # dropped after an error: that second attempt must change nothing.
            raise self._stopped
        try:
            return self._take(bytes(chunk))
        except (UnsureRowCount, _PastTheCap) as stop:
            self._stopped = stop
            raise

    def _take(self, chunk: bytes) -> int:
        window = self._tail + chunk
        if _EMPTY_ROW in window:
            raise UnsureRowCount
        self.parts.append(chunk)
        for match in _NEXT_ROW.finditer(window):
            if match.end() <= len(self._tail):
                continue  # found with the previous write already
            self.later_rows += 1
            if self.later_rows + 1 > self.cap:
                # The answer ends with the cap-th row: just after the brace closing it.
                self.cut = self.received - len(self._tail) + match.start() + 1
                raise _PastTheCap
        self.received += len(chunk)
        self._tail = window[-self._keep :]
        return len(chunk)

    def flush(self) -> None:
        """Nothing is buffered here."""


def write_json_rows(result: ox.QuerySolutions, cap: int) -> tuple[bytes, int, bool]:
    """The SPARQL JSON document of at most ``cap`` rows; its row count and whether rows
    were left out. Raises ``UnsureRowCount`` where the rows cannot be counted this way."""
    names = [variable.value for variable in result.variables]
    sink = RowCountingSink(cap, max((len(name.encode()) for name in names), default=0))
    try:
        result.serialize(sink, format=ox.QueryResultsFormat.JSON)
    except _PastTheCap:
        assert sink.cut is not None
        return b"".join(sink.parts)[: sink.cut] + _END, cap, True
    body = b"".join(sink.parts)
    first = body.find(_BINDINGS) + len(_BINDINGS)
    has_rows = body[first : first + 1] == b"{"
    return body, sink.later_rows + 1 if has_rows else 0, False

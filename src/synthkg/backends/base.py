"""The interface every backend offers to the web app."""

from __future__ import annotations

from typing import Any, Protocol

from synthkg.web.results import Answer, QueryJob


class Backend(Protocol):
    """A read-only store the web app queries."""

    kind: str  # "embedded" or "remote"

    @property
    def store(self) -> Any:
        """What pages read: ``query``, ``quads_for_pattern``, ``named_graphs``."""

    def run(self, job: QueryJob, timeout: float) -> Answer:
        """The complete answer to one protocol query; ``QueryTimeout`` past the deadline."""

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph, by graph IRI."""

    def close(self) -> None:
        """Release processes and connections."""

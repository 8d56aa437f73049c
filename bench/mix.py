"""The query mix: the example catalogue plus the heavier queries of ``bench/queries``.

Files named ``point-*.rq`` are point lookups; every other query counts as analytical.
"""

from __future__ import annotations

import re
from pathlib import Path

from bench.client import Query
from synthkg.examples import load_examples

QUERY_DIR = Path(__file__).resolve().parent / "queries"
_GRAPH_FORM = re.compile(r"^\s*(CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
# Catalogue examples that look up one resource.
_POINT_EXAMPLES = ("paper-by-arxiv-id", "paper-by-doi")


def bench_queries(folder: Path = QUERY_DIR) -> list[Query]:
    """The queries of ``bench/queries``, by file name."""
    return [
        Query(
            path.stem,
            path.read_text(encoding="utf-8"),
            bool(_GRAPH_FORM.search(path.read_text(encoding="utf-8"))),
            path.stem.startswith("point-"),
        )
        for path in sorted(folder.glob("*.rq"))
    ]


def catalogue_queries() -> list[Query]:
    """The project's example queries."""
    return [
        Query(
            "example-" + ex.name,
            ex.query,
            ex.form == "CONSTRUCT",
            ex.name in _POINT_EXAMPLES,
        )
        for ex in load_examples()
    ]


def query_mix() -> list[Query]:
    """Every query the benchmark runs, catalogue first."""
    return catalogue_queries() + bench_queries()

"""Data-quality checks beyond SHACL: named SPARQL queries whose rows are problems.

Each ``queries/quality/<name>.rq`` starts with a comment header: its first line says what
the query finds, the following lines why that matters. The queries run on Oxigraph over
ontology + data (the default graph being their union). The checks are informational:
``synthkg validate --quality`` prints them but its exit code stays about SHACL conformance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from synthkg import paths
from synthkg.errors import InputError
from synthkg.graph import data_files
from synthkg.namespaces import PREFIXES
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store


@dataclass(frozen=True)
class QualityCheck:
    """One quality query and what its header says about it."""

    name: str
    summary: str
    why: str
    query: str


@dataclass(frozen=True)
class QualityResult:
    """The rows a check returned (each row a problem), as display strings."""

    check: QualityCheck
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def read_check(path: Path) -> QualityCheck:
    """A check from its .rq file: the leading ``#`` lines are its summary and reason."""
    text = path.read_text(encoding="utf-8")
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("#").strip())
    if not header:
        raise InputError(f"{path}: a quality query needs a comment header (what, why)")
    summary_end = next((i for i, line in enumerate(header) if line.endswith(".")), 0) + 1
    return QualityCheck(
        name=path.stem,
        summary=" ".join(header[:summary_end]),
        why=" ".join(header[summary_end:]),
        query=text,
    )


def load_checks(folder: Path | None = None) -> list[QualityCheck]:
    """Every quality check, by name."""
    return [read_check(path) for path in sorted((folder or paths.QUALITY_DIR).glob("*.rq"))]


def quality_store(
    files: Sequence[Path] | None = None, ontology: Sequence[Path] | None = None
) -> ox.Store:
    """An in-memory store with the ontology and the data files (``data/`` by default)."""
    return memory_store(
        {
            ONTOLOGY_GRAPH: list(ontology or [paths.ONTOLOGY_TTL]),
            DATA_GRAPH: list(files or data_files()),
        }
    )


def _display(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        iri = term.value
        # The longest namespace first, so paper: wins over a shorter base.
        for name, base in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if iri.startswith(base) and "/" not in iri[len(base) :]:
                return f"{name}:{iri[len(base) :]}"
        return f"<{iri}>"
    if isinstance(term, ox.Literal):
        return term.value
    return "" if term is None else str(term)


def run_check(store: ox.Store, check: QualityCheck) -> QualityResult:
    """Run one check; its rows are the problems found."""
    try:
        solutions = store.query(check.query, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise InputError(f"{check.name}.rq: not valid SPARQL: {error}") from error
    assert isinstance(solutions, ox.QuerySolutions)
    columns = tuple(variable.value for variable in solutions.variables)
    rows = tuple(tuple(_display(solution[c]) for c in columns) for solution in solutions)
    return QualityResult(check=check, columns=columns, rows=rows)


def run_checks(
    store: ox.Store, checks: Sequence[QualityCheck] | None = None
) -> list[QualityResult]:
    """Run every check (or the given ones) on a store."""
    return [run_check(store, check) for check in (checks or load_checks())]


def render_text(results: Sequence[QualityResult]) -> str:
    """Each check with its summary and rows, then a count of checks with findings."""
    lines: list[str] = []
    for result in results:
        lines.append(f"== {result.check.name}: {len(result.rows)} row(s)")
        lines.append(f"   {result.check.summary}")
        if result.rows:
            lines.append("   " + " | ".join(result.columns))
            lines.extend("   " + " | ".join(row) for row in result.rows)
        lines.append("")
    flagged = sum(1 for r in results if r.rows)
    lines.append(f"quality: {flagged} of {len(results)} check(s) found something (informational)")
    return "\n".join(lines)


def as_json(results: Sequence[QualityResult]) -> list[dict[str, object]]:
    """``[{"check", "summary", "why", "columns", "rows": [{column: value}]}]``."""
    return [
        {
            "check": r.check.name,
            "summary": r.check.summary,
            "why": r.check.why,
            "columns": list(r.columns),
            "rows": [dict(zip(r.columns, row, strict=True)) for row in r.rows],
        }
        for r in results
    ]

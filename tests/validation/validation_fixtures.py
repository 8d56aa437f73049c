"""Shared helpers for the validation tests: fixture paths and cached validation runs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from synthkg.validate import Finding, validate_files

FIXTURES = Path(__file__).resolve().parents[1] / "resources" / "validation"


def fixture(name: str) -> Path:
    path = FIXTURES / f"{name}.ttl"
    assert path.is_file(), path
    return path


@cache
def findings_for(name: str) -> tuple[Finding, ...]:
    """Validate one fixture; keep only results about nodes the fixture itself describes.

    Paper, venue and category fixtures are validated with the project's ontology (the
    category checks need its taxonomy); ontology-header fixtures stand in for the ontology
    and are validated with a fixture venue as data.
    """
    path = fixture(name)
    if name.startswith("ontology-"):
        outcome = validate_files([fixture("venue-valid")], ontology=[path])
    else:
        outcome = validate_files([path])
    subjects = set(Graph().parse(path, format="turtle").subjects())
    return tuple(f for f in outcome.findings if f.focus in subjects)


def shapes_hit(name: str) -> dict[str, set[str]]:
    """The shapes (or named SPARQL constraints) a fixture trips, with their severities."""
    hit: dict[str, set[str]] = {}
    for finding in findings_for(name):
        key = (finding.constraint or finding.source_shape or "?").removeprefix("skgsh:")
        hit.setdefault(key, set()).add(finding.severity)
    return hit

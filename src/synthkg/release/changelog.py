"""The human-readable changelog of a release, read from its changeset graph with the
named query ``queries/curation/release-changes.rq``."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from synthkg import paths
from synthkg.turtle import iri_term

QUERY = paths.QUERIES_DIR / "curation" / "release-changes.rq"
SECTIONS = (
    ("added", "Added"),
    ("removed", "Removed"),
    ("reclassified", "Reclassified"),
    ("corrected", "Corrected"),
)


def change_rows(changes: Graph) -> list[dict[str, str]]:
    """The rows of ``release-changes.rq`` over a changeset graph, as plain strings."""
    store = ox.Store()
    store.load(changes.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    rows = []
    for solution in store.query(QUERY.read_text(encoding="utf-8")):
        rows.append(
            {
                name: solution[name].value if solution[name] is not None else ""
                for name in ("kind", "paper", "title", "property", "oldValues", "newValues")
            }
        )
    return rows


def _value(text: str) -> str:
    parts = [iri_term(v) if "://" in v else f'"{v}"' for v in text.split(" | ") if v]
    return ", ".join(parts) or "nothing"


def changelog(changes: Graph, version: str, date: str, prior: str | None) -> str:
    """Markdown: one section per kind of change, one line per paper and field."""
    rows = change_rows(changes)
    lines = [f"# SynthKG {version} ({date})", ""]
    lines.append(f"Changes since {prior}." if prior else "First release.")
    for kind, heading in SECTIONS:
        found = [r for r in rows if r["kind"] == kind]
        papers = sorted({r["paper"] for r in found})
        lines += ["", f"## {heading} ({len(papers)})", ""]
        if not found:
            lines.append("None.")
        for row in found:
            entry = f"- {row['title'] or '(untitled)'} — `{iri_term(row['paper'])}`"
            if row["property"]:
                entry += (
                    f": `{iri_term(row['property'])}` {_value(row['oldValues'])}"
                    f" → {_value(row['newValues'])}"
                )
            lines.append(entry)
    return "\n".join(lines) + "\n"

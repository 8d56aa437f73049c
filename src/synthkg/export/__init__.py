"""Exports of the graph: RDF in six syntaxes, BibTeX, CSV and the awesome-list Markdown.

One module per format. ``export(name, store)`` gives the bytes of one export; the same
store and options give the same bytes every time (statements, entries and rows are
sorted, blank nodes labelled canonically). An RDF export holds the ontology, the data and
the derived triples unless told otherwise (``data_only``: the data and derived triples);
BibTeX, CSV and Markdown describe the papers.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from synthkg.errors import InputError
from synthkg.export import (
    bibtex,
    csvtable,
    jsonld,
    markdown,
    nquads,
    ntriples,
    rdfxml,
    trig,
    turtle,
)
from synthkg.export.dataset import export_quads
from synthkg.export.records import category_tree, paper_records
from synthkg.store import memory_store


@dataclass(frozen=True)
class Format:
    """One export format."""

    name: str
    extension: str
    media_type: str
    rdf: bool  # an RDF syntax (counts triples), else a document about the papers
    quads: bool = False  # keeps the named graphs


_RDF_RENDERERS: dict[str, Callable[[list[ox.Quad]], bytes]] = {
    "ttl": turtle.render,
    "nt": ntriples.render,
    "rdfxml": rdfxml.render,
    "jsonld": jsonld.render,
    "trig": trig.render,
    "nq": nquads.render,
}

FORMATS: dict[str, Format] = {
    "ttl": Format("ttl", "ttl", "text/turtle", True),
    "nt": Format("nt", "nt", "application/n-triples", True),
    "rdfxml": Format("rdfxml", "rdf", "application/rdf+xml", True),
    "jsonld": Format("jsonld", "jsonld", "application/ld+json", True),
    "trig": Format("trig", "trig", "application/trig", True, quads=True),
    "nq": Format("nq", "nq", "application/n-quads", True, quads=True),
    "bibtex": Format("bibtex", "bib", "application/x-bibtex", False),
    "csv": Format("csv", "csv", "text/csv", False),
    "markdown": Format("markdown", "md", "text/markdown", False),
}


@dataclass(frozen=True)
class Export:
    """The bytes of one export and how many statements (RDF) or records it holds."""

    format: Format
    body: bytes
    count: int


def export(name: str, store: ox.Store | None = None, *, data_only: bool = False) -> Export:
    """One export of ``store`` (the project's graph when ``None``)."""
    try:
        fmt = FORMATS[name]
    except KeyError:
        raise InputError(
            f"unknown export format {name!r} (expected one of {', '.join(FORMATS)})"
        ) from None
    source = store if store is not None else memory_store()
    if fmt.rdf:
        quads = export_quads(source, ontology=not data_only)
        count = (
            len(quads) if fmt.quads else len({(q.subject, q.predicate, q.object) for q in quads})
        )
        return Export(fmt, _RDF_RENDERERS[name](quads), count)
    if name == "markdown":
        body = markdown.render_store(source)
        return Export(fmt, body, len(paper_records(source)))
    records = paper_records(source)
    if name == "bibtex":
        return Export(fmt, bibtex.render_records(records), len(records))
    return Export(fmt, csvtable.render_records(records, category_tree(source)), len(records))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a file all or nothing: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

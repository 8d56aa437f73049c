"""Downloads beyond the RDF dumps of ``void.py``: the JSON-LD context, the whole graph as
compacted JSON-LD, RDF/XML, BibTeX, CSV and Markdown, and per-resource exports (a paper's
BibTeX, a category's papers as CSV).

Routes: ``/context.jsonld`` (the IRI ``https://w3id.org/synthkg/context.jsonld`` redirects
here), ``/dumps/synthkg-compact.jsonld``, ``/dumps/synthkg.rdf``, ``/dumps/synthkg.bib``,
``/dumps/synthkg.csv``, ``/dumps/synthkg.md``, ``/export/paper/<id>.bib`` and
``/export/category/<Name>.csv`` (the category and every category below it). Dumps are built
once per data version of the served store and kept in memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, abort

from synthkg.export import FORMATS, export
from synthkg.export.bibtex import entry
from synthkg.export.csvtable import render_records
from synthkg.export.jsonld import CONTEXT_FILE
from synthkg.export.records import CategoryTree, PaperRecord, category_tree, paper_records
from synthkg.namespaces import PAPER, SKG

blueprint = Blueprint("exports", __name__)

# Dump file name -> export format.
EXTRA_DUMPS = {
    "synthkg-compact.jsonld": "jsonld",
    "synthkg.rdf": "rdfxml",
    "synthkg.bib": "bibtex",
    "synthkg.csv": "csv",
    "synthkg.md": "markdown",
}


@dataclass(frozen=True)
class ExtraDump:
    """One downloadable file; ``triples`` is ``None`` for the formats that are not RDF."""

    filename: str
    media_type: str
    body: bytes
    triples: int | None


@dataclass
class _Built:
    dumps: dict[str, ExtraDump]
    records: list[PaperRecord]
    tree: CategoryTree


_lock = threading.Lock()
_cache: dict[tuple[int, str], _Built] = {}


def _built(store: ox.Store, version: str) -> _Built:
    key = (id(store), version)
    with _lock:
        if key not in _cache:
            _cache.clear()  # one data version at a time
            dumps = {}
            for filename, name in EXTRA_DUMPS.items():
                result = export(name, store)
                triples = result.count if result.format.rdf else None
                dumps[filename] = ExtraDump(
                    filename, result.format.media_type, result.body, triples
                )
            _cache[key] = _Built(dumps, paper_records(store), category_tree(store))
        return _cache[key]


def extra_dumps(store: ox.Store, version: str) -> list[ExtraDump]:
    """The dumps this blueprint serves, for the dataset description (VoID/DCAT)."""
    return list(_built(store, version).dumps.values())


def _current() -> _Built:
    from synthkg.web.app import state

    shared = state()
    return _built(shared.store, shared.version)


def _text_response(body: bytes, media_type: str, filename: str, inline: bool = False) -> Response:
    response = Response(body, mimetype=media_type)
    if media_type.startswith("text/") or media_type == "application/x-bibtex":
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@blueprint.route("/context.jsonld")
def context() -> Response:
    """The JSON-LD context every compacted export names."""
    response = Response(CONTEXT_FILE.read_bytes(), mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # JSON-LD processors in browsers
    return response


def dump(filename: str) -> Response:
    item = _current().dumps[filename]
    return _text_response(item.body, item.media_type, filename)


for _filename in EXTRA_DUMPS:
    _endpoint = "dump_" + _filename.replace(".", "_").replace("-", "_")
    blueprint.add_url_rule(f"/dumps/{_filename}", _endpoint, lambda f=_filename: dump(f))


@blueprint.route("/export/paper/<path:name>")
def paper_bibtex(name: str) -> Response:
    """One paper's BibTeX entry: ``/export/paper/arxiv-2505.03335.bib``."""
    if not name.endswith(".bib"):
        abort(404)
    iri = str(PAPER[name.removesuffix(".bib")])
    record = next((r for r in _current().records if r.iri == iri), None)
    if record is None:
        abort(Response(f"{iri} is not a paper of this graph\n", 404, mimetype="text/plain"))
    return _text_response(entry(record).encode("utf-8"), FORMATS["bibtex"].media_type, name, True)


@blueprint.route("/export/category/<name>.csv")
def category_csv(name: str) -> Response:
    """The papers under a category (its subcategories included) as CSV."""
    built = _current()
    iri = str(SKG[name])
    if iri not in built.tree.nodes:
        abort(Response(f"{iri} is not a category of this graph\n", 404, mimetype="text/plain"))
    wanted = set(built.tree.descendants(iri))
    records = [r for r in built.records if wanted.intersection(r.all_categories())]
    body = render_records(records, built.tree)
    return _text_response(body, FORMATS["csv"].media_type, f"{name}.csv", True)

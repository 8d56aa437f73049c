"""The dataset's self-description (VoID + DCAT) and its downloadable dumps.

Dumps are serialised from the store on first request and kept in memory for as long as
the app's data version stays the same (the store is read-only for requests; a reload
brings a new version). The VoID byte sizes and triple counts
are read from those very dumps, so they always match what a client downloads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from synthkg import paths
from synthkg.namespaces import BASE, DATASET, ONTOLOGY_IRI, PREFIXES, SKG
from synthkg.web.describe import describe
from synthkg.web.linked_data import HTML, RDF_FIRST, negotiate, rdf_response, resource_context

DUMP_NAME = "synthkg"
# Extension -> (media type, format, whether graph names are kept).
DUMP_FORMATS: dict[str, tuple[str, ox.RdfFormat, bool]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE, False),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES, False),
    "nq": ("application/n-quads", ox.RdfFormat.N_QUADS, True),
    "trig": ("application/trig", ox.RdfFormat.TRIG, True),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, False),
}
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
TITLE = "SynthKG"
DESCRIPTION = (
    "The knowledge graph of the research literature on synthetic data generation for "
    "machine learning: papers, venues, the survey taxonomy as an OWL ontology and SKOS "
    "scheme, and the provenance of every classification."
)


@dataclass(frozen=True)
class Dump:
    """One serialisation of the whole store."""

    extension: str
    media_type: str
    body: bytes
    statements: int

    @property
    def filename(self) -> str:
        return f"{DUMP_NAME}.{self.extension}"


_lock = threading.Lock()
_cache: dict[tuple[int, str], dict[str, Dump]] = {}


def _build_dumps(store: ox.Store) -> dict[str, Dump]:
    quads = sorted(
        store.quads_for_pattern(None, None, None, None),
        key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)),
    )
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    dumps = {}
    for extension, (media_type, fmt, with_graphs) in DUMP_FORMATS.items():
        statements = quads if with_graphs else triples
        prefixes = None if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else PREFIXES
        body = ox.serialize(statements, format=fmt, prefixes=prefixes) or b""
        dumps[extension] = Dump(extension, media_type, body, len(statements))
    return dumps


def dumps_for(store: ox.Store, version: str) -> dict[str, Dump]:
    """Every dump of the store, built once per data version."""
    key = (id(store), version)
    with _lock:
        if key not in _cache:
            _cache.clear()  # one version at a time: old dumps are not served again
            _cache[key] = _build_dumps(store)
        return _cache[key]


def _query(store: ox.Store, name: str) -> list[ox.QuerySolution]:
    text = (paths.QUERIES_DIR / "pages" / f"{name}.rq").read_text(encoding="utf-8")
    return list(store.query(text, use_default_graph_as_union=True, base_iri=BASE))


def _nn(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _int(value: int, datatype: object = XSD.integer) -> ox.Literal:
    return ox.Literal(str(value), datatype=_nn(datatype))


def void_triples(store: ox.Store, version: str) -> list[ox.Triple]:
    """The VoID + DCAT description of the dataset, with this server's URLs."""
    dataset = _nn(DATASET)
    dumps = dumps_for(store, version)
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: object, o: ox.NamedNode | ox.BlankNode | ox.Literal):
        out.append(ox.Triple(s, _nn(p), o))

    licenses = [
        q.object
        for q in store.quads_for_pattern(_nn(ONTOLOGY_IRI), _nn(DCTERMS.license), None, None)
    ]
    add(dataset, RDF.type, _nn(VOID.Dataset))
    add(dataset, RDF.type, _nn(DCAT.Dataset))
    add(dataset, DCTERMS.title, ox.Literal(TITLE, language="en"))
    add(dataset, DCTERMS.description, ox.Literal(DESCRIPTION, language="en"))
    add(dataset, DCTERMS.license, licenses[0] if licenses else _nn(DEFAULT_LICENSE))
    # The release the served data is (data/dataset.ttl, written by `synthkg release`).
    for fact in (OWL.versionInfo, OWL.versionIRI, OWL.priorVersion, DCTERMS.hasVersion,
                 DCTERMS.issued):  # fmt: skip
        for quad in store.quads_for_pattern(dataset, _nn(fact), None, None):
            add(dataset, fact, quad.object)
    add(dataset, VOID.triples, _int(dumps["nt"].statements))
    entities = _query(store, "void-entities")[0]["entities"]
    add(dataset, VOID.entities, _int(int(entities.value)))
    add(dataset, VOID.uriSpace, ox.Literal(BASE))
    add(dataset, VOID.vocabulary, _nn(SKG))
    add(dataset, VOID.sparqlEndpoint, _nn(request.url_root + "sparql"))
    for row in _query(store, "example-resources"):
        add(dataset, VOID.exampleResource, row["resource"])
    classes = _query(store, "void-class-partitions")
    add(dataset, VOID.classes, _int(len(classes)))
    for row in classes:
        part = ox.BlankNode()
        add(dataset, VOID.classPartition, part)
        add(part, VOID["class"], row["class"])
        add(part, VOID.entities, _int(int(row["entities"].value)))
    properties = _query(store, "void-property-partitions")
    add(dataset, VOID.properties, _int(len(properties)))
    for row in properties:
        part = ox.BlankNode()
        add(dataset, VOID.propertyPartition, part)
        add(part, VOID.property, row["property"])
        add(part, VOID.triples, _int(int(row["triples"].value)))
    for dump in dumps.values():
        url = _nn(url_for("pages.dump", filename=dump.filename, _external=True))
        add(dataset, VOID.dataDump, url)
        dist = url  # named by its file, as a release's are: another graph can link to it
        add(dataset, DCAT.distribution, dist)
        add(dist, RDF.type, _nn(DCAT.Distribution))
        add(dist, DCTERMS.title, ox.Literal(f"{TITLE} as {dump.extension}", language="en"))
        add(dist, DCAT.downloadURL, url)
        add(
            dist,
            DCAT.mediaType,
            _nn("https://www.iana.org/assignments/media-types/" + dump.media_type),
        )
        add(dist, DCAT.byteSize, _int(len(dump.body), XSD.nonNegativeInteger))
        add(dist, VOID.triples, _int(dump.statements))
    # The further downloads of synthkg.web.exports (compacted JSON-LD, RDF/XML, BibTeX,
    # CSV, Markdown); a file that is not RDF has a byte size but no triple count.
    from synthkg.web.exports import extra_dumps

    for extra in extra_dumps(store, version):
        url = _nn(request.url_root + "dumps/" + extra.filename)
        dist = url
        add(dataset, DCAT.distribution, dist)
        add(dist, RDF.type, _nn(DCAT.Distribution))
        add(dist, DCTERMS.title, ox.Literal(f"{TITLE} as {extra.filename}", language="en"))
        add(dist, DCAT.downloadURL, url)
        add(dist, DCAT.mediaType, _nn(IANA_MEDIA_TYPES + extra.media_type))
        add(dist, DCAT.byteSize, _int(len(extra.body), XSD.nonNegativeInteger))
        if extra.triples is not None:
            add(dataset, VOID.dataDump, url)
            add(dist, VOID.triples, _int(extra.triples))
    return out


def void_view() -> Response:
    """``/.well-known/void``: Turtle by default, HTML for browsers, other RDF by request."""
    from synthkg.web.app import state

    media_type = negotiate(RDF_FIRST)
    shared = state()
    triples = void_triples(shared.store, shared.version)
    if media_type != HTML:
        return rdf_response(triples, media_type, "void")
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    context = resource_context(describe(scratch, _nn(DATASET)))
    return Response(render_template("resource.html", **context), mimetype=HTML)


def dump_view(filename: str) -> Response:
    """One dump file, as an attachment."""
    from synthkg.web.app import state

    stem, _, extension = filename.partition(".")
    if stem != DUMP_NAME or extension not in DUMP_FORMATS:
        abort(404)
    shared = state()
    dump = dumps_for(shared.store, shared.version)[extension]
    response = Response(dump.body, mimetype=dump.media_type)
    if dump.media_type.startswith(("text/", "application/n-")):
        response.headers["Content-Type"] = f"{dump.media_type}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{dump.filename}"'
    return response


def register(blueprint: Blueprint) -> None:
    """Add the VoID, dataset and dump routes."""
    blueprint.add_url_rule("/.well-known/void", "void", void_view)
    blueprint.add_url_rule("/dumps/<filename>", "dump", dump_view)
    blueprint.add_url_rule("/dataset", "dataset", lambda: redirect(url_for("pages.void"), code=303))

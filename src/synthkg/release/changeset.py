"""The differences between two versions of the data graph, as data.

``release:<v>/changes`` is a ``skg:Changeset`` from the prior release to ``v``: papers added,
removed, reclassified (categories differ) and corrected (title, year, venue, identifiers or
authors differ); each differing field is a ``skg:FieldChange`` with its old and new values.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from synthkg.curation.records import paper_local, record_field
from synthkg.graph import new_graph
from synthkg.importers.identifiers import PROPERTY
from synthkg.namespaces import FABIO, RELEASE, SKG
from synthkg.taxonomy import LINK_PROPERTY

CATEGORY_PROPERTIES = tuple(LINK_PROPERTY.values())
CORRECTABLE = (
    DCTERMS.title,
    FABIO.hasPublicationYear,
    SKG["publishedIn"],
    SKG["shortName"],
    SKG["recordStatus"],
    DCTERMS.creator,
    *PROPERTY.values(),
)


def changeset_iri(version: str) -> URIRef:
    return RELEASE[f"{version}/changes"]


def release_iri(version: str) -> URIRef:
    return RELEASE[version]


def papers(graph: Graph) -> set[URIRef]:
    return {p for p in graph.subjects(RDF.type, SKG["Paper"]) if isinstance(p, URIRef)}


def changeset(old: Graph, new: Graph, version: str, prior: str | None) -> Graph:
    """The changeset graph from ``old`` (the prior release's data, empty for a first
    release) to ``new``."""
    out = new_graph()
    node = changeset_iri(version)
    out.add((node, RDF.type, SKG["Changeset"]))
    out.add((node, SKG["toRelease"], release_iri(version)))
    if prior:
        out.add((node, SKG["fromRelease"], release_iri(prior)))
    before, after = papers(old), papers(new)
    for paper in sorted(after - before):
        out.add((node, SKG["addedPaper"], paper))
        out.add((paper, DCTERMS.title, new.value(paper, DCTERMS.title)))
    for paper in sorted(before - after):
        out.add((node, SKG["removedPaper"], paper))
        out.add((paper, DCTERMS.title, old.value(paper, DCTERMS.title)))
    for paper in sorted(before & after):
        local = paper_local(paper)
        for kind, props in (
            (SKG["reclassifiedPaper"], CATEGORY_PROPERTIES),
            (SKG["correctedPaper"], CORRECTABLE),
        ):
            for prop in props:
                name = str(prop).rsplit("/", 1)[-1]
                change = record_field(
                    out,
                    node,
                    paper,
                    prop,
                    old.objects(paper, prop),
                    new.objects(paper, prop),
                    node=URIRef(f"{node}/{local}/{name}"),
                )
                if change is not None:
                    out.add((node, kind, paper))
                    out.set((paper, DCTERMS.title, new.value(paper, DCTERMS.title)))
    return out

"""Every IRI base and prefix of the graph, defined once.

The data model (see ``ontology/README.md``):

* taxonomy categories are OWL classes *and* SKOS concepts under the same IRI (punning),
  e.g. ``skg:FederatedLearning``; a paper points at them with ``skg:usesMethod``,
  ``skg:hasApplication`` or ``skg:addressesChallenge``;
* papers live under ``PAPER``, venues under ``VENUE``, imported sources and their table
  rows under ``SOURCE``, qualified classifications (with provenance) under
  ``CLASSIFICATION``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

BASE = "https://w3id.org/synthkg/"

ONTOLOGY_IRI = URIRef(BASE + "ontology")
SKG = Namespace(BASE + "ontology/")
TAXONOMY_SCHEME = SKG["taxonomy"]

PAPER = Namespace(BASE + "paper/")
VENUE = Namespace(BASE + "venue/")
SOURCE = Namespace(BASE + "source/")
CLASSIFICATION = Namespace(BASE + "classification/")
# People who wrote papers (author:<orcid> or author:<name slug>), curators who changed the
# graph, curation records (one per add/edit/remove), and releases with their changesets.
AUTHOR = Namespace(BASE + "author/")
CURATOR = Namespace(BASE + "curator/")
CHANGE = Namespace(BASE + "change/")
RELEASE = Namespace(BASE + "release/")
# Qualified links to other scholarly graphs (data/links.ttl).
LINK = Namespace(BASE + "link/")
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
ORCID = Namespace("https://orcid.org/")
# SHACL shapes (shapes/*.ttl); not a data prefix, so not in PREFIXES.
SHAPES = Namespace(BASE + "shapes/")
GRAPH = Namespace(BASE + "graph/")
DATASET = URIRef(BASE + "dataset")

FABIO = Namespace("http://purl.org/spar/fabio/")
DATACITE = Namespace("http://purl.org/spar/datacite/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")

# Prefixes bound in every file the project writes, in this order.
PREFIXES: dict[str, str] = {
    "skg": str(SKG),
    "paper": str(PAPER),
    "venue": str(VENUE),
    "source": str(SOURCE),
    "classification": str(CLASSIFICATION),
    "dcterms": str(DCTERMS),
    "fabio": str(FABIO),
    "datacite": str(DATACITE),
    "bibo": str(BIBO),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "foaf": str(FOAF),
    "dcat": str(DCAT),
    "void": str(VOID),
    "vann": str(VANN),
    "wdt": str(WDT),
    "sh": str(SH),
    "author": str(AUTHOR),
    "curator": str(CURATOR),
    "change": str(CHANGE),
    "release": str(RELEASE),
}


def sparql_prefixes() -> str:
    """The ``PREFIX`` lines for every prefix above, for queries built in code."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

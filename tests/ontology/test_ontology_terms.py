"""The ontology's Turtle source: header metadata and the documentation of every term."""

from __future__ import annotations

import pytest

# XSD through its module: pytest warns about a closed namespace held at module level.
import rdflib.namespace as rdf_namespaces
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from synthkg import __version__, paths
from synthkg.graph import parse_files
from synthkg.namespaces import ONTOLOGY_IRI, SKG, TAXONOMY_SCHEME, VANN
from synthkg.taxonomy import taxonomy_from_graph

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)

# The classes and properties of docs/data-model.md.
DATA_MODEL_CLASSES = [
    "Category",
    "Paper",
    "Preprint",
    "Venue",
    "Conference",
    "Journal",
    "PreprintServer",
    "SourceList",
    "SourceDocument",
    "SourceRow",
    "Classification",
    "RecordStatus",
]
DATA_MODEL_OBJECT_PROPERTIES = [
    "classifiedUnder",
    "usesMethod",
    "hasApplication",
    "addressesChallenge",
    "publishedIn",
    "category",
    "classifiedPaper",
    "sectionCategory",
    "statedLink",
    "recordStatus",
]
DATA_MODEL_DATATYPE_PROPERTIES = [
    "identifier",
    "arxivId",
    "doi",
    "openReviewId",
    "neuripsHash",
    "aclAnthologyId",
    "pmlrId",
    "cvfId",
    "ijcaiId",
    "shortName",
    "lineNumber",
    "section",
    "statedTitle",
    "statedYear",
    "statedVenue",
    "fileName",
    "sha256",
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_files([paths.ONTOLOGY_TTL])


def skg_terms(graph: Graph) -> list[URIRef]:
    """Every IRI in the skg: namespace that the ontology types as a class, property or
    individual."""
    found = {
        s
        for kind in TERM_TYPES
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(str(SKG))
    }
    return sorted(found)


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return [
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == "en" and str(o).strip()
    ]


def test_turtle_parses_into_a_sizeable_graph(ontology: Graph) -> None:
    assert len(ontology) > 900
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology


def test_every_term_has_label_definition_and_is_defined_by(ontology: Graph) -> None:
    terms = skg_terms(ontology)
    assert len(terms) > 74 + 12 + 27  # categories, classes and properties of the model
    problems = []
    for term in terms:
        if len(english(ontology, term, RDFS.label)) != 1:
            problems.append(f"{term}: needs exactly one rdfs:label@en")
        definitions = english(ontology, term, SKOS.definition)
        if len(definitions) != 1 or definitions[0] == "TODO" or len(definitions[0]) < 30:
            problems.append(f"{term}: needs one real skos:definition@en")
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append(f"{term}: needs rdfs:isDefinedBy {ONTOLOGY_IRI}")
    assert problems == []


def test_no_definition_is_left_as_todo(ontology: Graph) -> None:
    assert not list(ontology.subjects(SKOS.definition, Literal("TODO", lang="en")))


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (DATA_MODEL_CLASSES, OWL.Class),
        (DATA_MODEL_OBJECT_PROPERTIES, OWL.ObjectProperty),
        (DATA_MODEL_DATATYPE_PROPERTIES, OWL.DatatypeProperty),
    ],
)
def test_data_model_terms_are_declared(ontology: Graph, names: list[str], kind: URIRef) -> None:
    missing = [name for name in names if (SKG[name], RDF.type, kind) not in ontology]
    assert missing == []


def test_property_hierarchy_follows_the_data_model(ontology: Graph) -> None:
    for link in ("usesMethod", "hasApplication", "addressesChallenge"):
        assert (SKG[link], RDFS.subPropertyOf, SKG["classifiedUnder"]) in ontology
    assert (SKG["classifiedUnder"], RDFS.subPropertyOf, DCTERMS.subject) in ontology
    assert (SKG["identifier"], RDFS.subPropertyOf, DCTERMS.identifier) in ontology
    for scheme in ("arxivId", "doi", "openReviewId", "neuripsHash", "aclAnthologyId"):
        assert (SKG[scheme], RDFS.subPropertyOf, SKG["identifier"]) in ontology
    for scheme in ("pmlrId", "cvfId", "ijcaiId"):
        assert (SKG[scheme], RDFS.subPropertyOf, SKG["identifier"]) in ontology
    assert (SKG["Preprint"], RDFS.subClassOf, SKG["Paper"]) in ontology
    assert (SKG["Incomplete"], RDF.type, SKG["RecordStatus"]) in ontology


def test_identifiers_link_to_wikidata(ontology: Graph) -> None:
    wikidata = {
        "arxivId": "P818",
        "doi": "P356",
        "openReviewId": "P8968",
    }
    for name, prop in wikidata.items():
        targets = {str(o) for o in ontology.objects(SKG[name], None) if isinstance(o, URIRef)}
        assert f"http://www.wikidata.org/entity/{prop}" in targets, name


def test_header_metadata(ontology: Graph) -> None:
    header = dict.fromkeys(
        [
            DCTERMS.title,
            DCTERMS.description,
            DCTERMS.creator,
            DCTERMS.license,
            DCTERMS.created,
            DCTERMS.modified,
            OWL.versionIRI,
            OWL.versionInfo,
            VANN.preferredNamespacePrefix,
            VANN.preferredNamespaceUri,
        ]
    )
    for predicate in header:
        header[predicate] = ontology.value(ONTOLOGY_IRI, predicate)
    assert all(value is not None for value in header.values()), header
    assert header[DCTERMS.license] == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert header[DCTERMS.created].datatype == rdf_namespaces.XSD.date
    assert header[DCTERMS.modified].datatype == rdf_namespaces.XSD.date
    assert header[DCTERMS.created].toPython() <= header[DCTERMS.modified].toPython()
    assert str(header[VANN.preferredNamespacePrefix]) == "skg"
    assert str(header[VANN.preferredNamespaceUri]) == str(SKG)


def test_version_matches_the_package(ontology: Graph) -> None:
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == __version__
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert version_iri == URIRef(f"{SKG}{__version__}")


def test_taxonomy_scheme_has_the_three_roots(ontology: Graph) -> None:
    assert (TAXONOMY_SCHEME, RDF.type, SKOS.ConceptScheme) in ontology
    assert english(ontology, TAXONOMY_SCHEME, SKOS.definition)
    tops = set(ontology.objects(TAXONOMY_SCHEME, SKOS.hasTopConcept))
    assert tops == {SKG["SynthesisMethod"], SKG["Application"], SKG["Challenge"]}
    for top in tops:
        assert (top, SKOS.topConceptOf, TAXONOMY_SCHEME) in ontology


def test_categories_are_punned_and_mirror_their_tree(ontology: Graph) -> None:
    taxonomy = taxonomy_from_graph(ontology)
    assert len(taxonomy.categories) == 74
    for iri, category in taxonomy.categories.items():
        assert (iri, RDF.type, OWL.Class) in ontology
        assert (iri, RDF.type, SKOS.Concept) in ontology
        assert (iri, RDFS.subClassOf, category.parent) in ontology
        broader = ontology.value(iri, SKOS.broader)
        assert broader == (None if category.parent == SKG["Category"] else category.parent)


def test_in_context_learning_records_its_move(ontology: Graph) -> None:
    icl = SKG["InContextLearning"]
    assert ontology.value(icl, SKOS.broader) == SKG["DomainModelEnhancement"]
    notes = english(ontology, icl, SKOS.editorialNote) + english(ontology, icl, SKOS.scopeNote)
    assert any("Model Evaluation" in note and "Domain Model Enhancement" in note for note in notes)


def test_external_terms_in_axioms_are_declared(ontology: Graph) -> None:
    """OWL 2 DL needs a type for every class and property an axiom mentions."""
    declared = set(ontology.subjects(RDF.type, None))
    used = set()
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        used |= {o for o in ontology.objects(None, predicate) if isinstance(o, URIRef)}
    used |= {p for _, p, _ in ontology if not str(p).startswith(str(RDF))}
    builtin = (str(OWL), str(RDFS), str(rdf_namespaces.XSD))
    undeclared = sorted(u for u in used if u not in declared and not str(u).startswith(builtin))
    assert undeclared == []


def test_no_axiom_uses_xsd_gyear(ontology: Graph) -> None:
    """HermiT rejects xsd:gYear, which is outside the OWL 2 datatype map."""
    assert not list(ontology.subjects(RDFS.range, rdf_namespaces.XSD.gYear))

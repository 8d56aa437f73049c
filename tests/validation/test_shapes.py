"""Every shape constraint: one fixture that breaks it and one that meets it."""

from __future__ import annotations

import datetime

import pytest
from rdflib import BNode, URIRef
from rdflib.namespace import RDF, RDFS
from validation_fixtures import FIXTURES, findings_for, shapes_hit

from synthkg.graph import shape_files
from synthkg.namespaces import SH, SHAPES
from synthkg.validate import load_shapes, validate_files

# (fixture that breaks the shape, shape or named SPARQL constraint, expected severity)
FAILING = [
    ("paper-title-missing", "PaperTitle", "Violation"),
    ("paper-title-twice", "PaperTitle", "Violation"),
    ("paper-title-blank", "PaperTitle", "Violation"),
    ("paper-year-string", "PaperYearFormat", "Violation"),
    ("paper-year-twice", "PaperYearFormat", "Violation"),
    ("paper-year-too-early", "PaperYearRange", "Violation"),
    ("paper-year-future", "PaperYearRange", "Violation"),
    ("paper-venue-untyped", "PaperVenueIsVenue", "Violation"),
    ("paper-venue-twice", "PaperVenueIsVenue", "Violation"),
    ("paper-category-missing", "PaperHasCategory", "Violation"),
    ("paper-category-unknown", "PaperCategoryInTaxonomy", "Violation"),
    ("paper-method-wrong-root", "PaperMethodCategory", "Violation"),
    ("paper-application-wrong-root", "PaperApplicationCategory", "Violation"),
    ("paper-challenge-wrong-root", "PaperChallengeCategory", "Violation"),
    ("paper-arxiv-version", "PaperArxivId", "Violation"),
    ("paper-arxiv-url", "PaperArxivId", "Violation"),
    ("paper-arxiv-twice", "PaperArxivId", "Violation"),
    ("paper-doi-upper-case", "PaperDoi", "Violation"),
    ("paper-doi-url", "PaperDoi", "Violation"),
    ("paper-doi-arxiv", "PaperDoiNotArxiv", "Violation"),
    ("paper-openreview-bad", "PaperOpenReviewId", "Violation"),
    ("paper-neurips-bad", "PaperNeuripsHash", "Violation"),
    ("paper-acl-bad", "PaperAclAnthologyId", "Violation"),
    ("paper-pmlr-bad", "PaperPmlrId", "Violation"),
    ("paper-cvf-bad", "PaperCvfId", "Violation"),
    ("paper-ijcai-bad", "PaperIjcaiId", "Violation"),
    ("paper-id-without-link", "PaperIdentifierHasLink", "Violation"),
    ("paper-id-link-mismatch", "PaperIdentifierHasLink", "Violation"),
    ("paper-id-link-mismatch", "PaperLinkHasIdentifier", "Violation"),
    ("paper-link-without-id", "PaperLinkHasIdentifier", "Violation"),
    ("paper-year-missing", "PaperYearRequired", "Violation"),
    ("paper-venue-missing", "PaperVenueRequired", "Violation"),
    ("paper-identifier-missing", "PaperIdentifierRequired", "Violation"),
    ("paper-stub", "PaperYearExpected", "Warning"),
    ("paper-stub", "PaperVenueExpected", "Warning"),
    ("paper-stub", "PaperIdentifierExpected", "Warning"),
    ("venue-label-missing", "VenueLabel", "Violation"),
    ("venue-label-twice", "VenueLabel", "Violation"),
    ("venue-preflabel-untagged", "VenuePrefLabel", "Violation"),
    ("category-no-scheme", "CategoryInScheme", "Violation"),
    ("category-label-not-english", "CategoryLabel", "Violation"),
    ("category-definition-missing", "CategoryDefinition", "Violation"),
    ("category-definition-todo", "CategoryDefinitionWritten", "Violation"),
    ("category-two-parents", "CategoryBroader", "Violation"),
    ("category-no-parent", "CategoryShape", "Violation"),
    ("ontology-header-untyped", "OntologyShape", "Violation"),
    ("ontology-header-bare", "OntologyTitle", "Violation"),
    ("ontology-header-bare", "OntologyDescription", "Violation"),
    ("ontology-header-bare", "OntologyCreator", "Violation"),
    ("ontology-header-bare", "OntologyLicense", "Violation"),
    ("ontology-header-untyped", "OntologyLicense", "Violation"),
    ("ontology-header-bare", "OntologyCreated", "Violation"),
    ("ontology-header-bare", "OntologyModified", "Violation"),
    ("ontology-header-bare", "OntologyVersionIri", "Violation"),
    ("ontology-header-bare", "OntologyVersionInfo", "Violation"),
    ("ontology-header-bare", "OntologyPrefix", "Violation"),
    ("ontology-header-bare", "OntologyNamespace", "Violation"),
]

# Fixtures that meet every shape of their kind (the stub meets all but its three warnings).
PASSING_BY_KIND = {
    "Paper": ["paper-complete", "paper-stub-complete"],
    "Venue": ["valid", "venue-valid"],
    "Category": ["category-valid"],
    "Ontology": ["ontology-header-valid"],
}
# Fixtures that meet one shape in particular: the severity split between stubs and papers.
PASSING_SPECIFIC = [
    ("paper-stub", "PaperYearRequired"),
    ("paper-stub", "PaperVenueRequired"),
    ("paper-stub", "PaperIdentifierRequired"),
    ("paper-year-missing", "PaperYearExpected"),
    ("paper-venue-missing", "PaperVenueExpected"),
    ("paper-identifier-missing", "PaperIdentifierExpected"),
]


# ---------------------------------------------------------------------------------------
# Authors, bylines, curation records, removed papers and link records (what curation and
# linking write into data/).
FAILING += [
    ("author-name-missing", "AuthorName", "Violation"),
    ("author-name-twice", "AuthorName", "Violation"),
    ("author-label-differs", "AuthorLabel", "Warning"),
    ("author-orcid-bad", "AuthorOrcid", "Violation"),
    ("author-orcid-url", "AuthorOrcid", "Violation"),
    ("author-orphan", "AuthorHasPaper", "Warning"),
    ("author-iri-outside", "AuthorIri", "Violation"),
    ("author-orcid-without-link", "AuthorOrcidHasLink", "Violation"),
    ("author-orcid-url", "AuthorOrcidHasLink", "Violation"),
    ("author-link-without-orcid", "AuthorLinkHasOrcid", "Violation"),
    ("author-iri-orcid-mismatch", "AuthorIriMatchesOrcid", "Violation"),
    ("authorship-author-missing", "AuthorshipAuthor", "Violation"),
    ("authorship-author-twice", "AuthorshipAuthor", "Violation"),
    ("authorship-position-zero", "AuthorshipPosition", "Violation"),
    ("authorship-position-string", "AuthorshipPosition", "Violation"),
    ("authorship-no-paper", "AuthorshipPaper", "Violation"),
    ("authorship-iri-mismatch", "AuthorshipIri", "Violation"),
    ("authorship-position-duplicate", "AuthorshipPositionUnique", "Violation"),
    ("authorship-position-gap", "AuthorshipPositionContiguous", "Violation"),
    ("authorship-untyped", "PaperAuthorship", "Violation"),
    ("authorship-creator-extra", "PaperCreatorHasAuthorship", "Violation"),
    ("authorship-author-missing", "PaperCreatorHasAuthorship", "Violation"),
    ("authorship-creator-missing", "PaperAuthorshipHasCreator", "Violation"),
    ("curation-kind-missing", "CurationKind", "Violation"),
    ("curation-curator-missing", "CurationCurator", "Violation"),
    ("curation-curator-undescribed", "CurationCurator", "Violation"),
    ("curation-time-date", "CurationTime", "Violation"),
    ("curation-time-no-zone", "CurationTime", "Violation"),
    ("curation-reason-blank", "CurationReason", "Violation"),
    ("curation-reason-missing", "CurationReason", "Violation"),
    ("curation-paper-missing", "CurationPaper", "Violation"),
    ("curation-paper-unknown", "CurationPaper", "Violation"),
    ("curation-fieldchange-untyped", "CurationFieldChange", "Violation"),
    ("curation-fieldchange-other-paper", "CurationFieldChangeSamePaper", "Violation"),
    ("curation-correction-empty", "CurationCorrectionChanges", "Violation"),
    ("curation-removal-unrecorded", "CurationRemovalInvalidates", "Violation"),
    ("curation-removed-invalidation-missing", "CurationRemovalInvalidates", "Violation"),
    ("curation-fieldchange-values-missing", "FieldChangeValues", "Violation"),
    ("curation-fieldchange-paper-missing", "FieldChangePaper", "Violation"),
    ("curation-fieldchange-property-twice", "FieldChangeProperty", "Violation"),
    ("curation-fieldchange-property-literal", "FieldChangeProperty", "Violation"),
    ("curation-fieldchange-same-value", "FieldChangeDisjoint", "Violation"),
    ("curation-curator-unlabelled", "CuratorLabel", "Violation"),
    ("curation-removed-title-missing", "RemovedPaperTitle", "Violation"),
    ("curation-removed-invalidation-missing", "RemovedPaperInvalidation", "Violation"),
    ("curation-removed-invalidation-wrong-kind", "RemovedPaperInvalidation", "Violation"),
    ("curation-removed-time-missing", "RemovedPaperTime", "Violation"),
    ("curation-removed-still-paper", "RemovedPaperNotPaper", "Violation"),
    ("curation-removed-replacement-unknown", "RemovedPaperReplacement", "Violation"),
    ("link-source-missing", "LinkSource", "Violation"),
    ("link-source-removed", "LinkSourceIsPaper", "Warning"),
    ("link-property-other", "LinkProperty", "Violation"),
    ("link-target-literal", "LinkTarget", "Violation"),
    ("link-method-unknown", "LinkMatchField", "Violation"),
    ("link-match-string-missing", "LinkMatchString", "Violation"),
    ("link-justification-other", "LinkJustification", "Violation"),
    ("link-confidence-above-one", "LinkConfidence", "Violation"),
    ("link-confidence-string", "LinkConfidence", "Violation"),
    ("link-date-datetime", "LinkDate", "Violation"),
    ("link-provider-missing", "LinkProvider", "Violation"),
    ("link-tool-missing", "LinkTool", "Warning"),
    ("link-not-asserted", "LinkAsserted", "Violation"),
    ("link-title-as-sameas", "LinkMethodFitsProperty", "Violation"),
    ("link-identifier-confidence", "LinkMethodFitsProperty", "Violation"),
    ("link-match-string-stale", "LinkMatchStringCurrent", "Warning"),
]
# "Authorship" before "Author": a shape's kind is the first key its name starts with.
PASSING_BY_KIND["Paper"].append("authorship-valid")
PASSING_BY_KIND |= {
    "Authorship": ["authorship-valid"],
    "Author": ["authorship-valid"],
    "Curation": ["curation-valid"],
    "Curator": ["curation-valid"],
    "FieldChange": ["curation-valid"],
    "RemovedPaper": ["curation-valid"],
    "Link": ["link-valid"],
}


def _kind(shape: str) -> str:
    return next(kind for kind in PASSING_BY_KIND if shape.startswith(kind))


@pytest.mark.parametrize(("name", "shape", "severity"), FAILING)
def test_fixture_breaks_shape(name: str, shape: str, severity: str) -> None:
    hit = shapes_hit(name)
    assert shape in hit, f"{name} should break {shape}; it broke {sorted(hit)}"
    assert hit[shape] == {severity}


@pytest.mark.parametrize("shape", sorted({shape for _, shape, _ in FAILING}))
def test_valid_fixtures_meet_shape(shape: str) -> None:
    for name in PASSING_BY_KIND[_kind(shape)]:
        assert shape not in shapes_hit(name), f"{name} should meet {shape}"


@pytest.mark.parametrize(("name", "shape"), PASSING_SPECIFIC)
def test_severity_depends_on_record_status(name: str, shape: str) -> None:
    assert shapes_hit(name), f"{name} should break some other shape"
    assert shape not in shapes_hit(name)


@pytest.mark.parametrize("name", ["valid", "paper-complete", "paper-stub-complete", "venue-valid"])
def test_valid_fixtures_have_no_findings_but_the_stub_warnings(name: str) -> None:
    findings = findings_for(name)
    # valid.ttl holds one draft stub, which is expected to warn (and only warn)
    assert all(str(f.focus).endswith("title-self-instruct") for f in findings)
    assert all(f.severity == "Warning" for f in findings)


def test_stub_warns_and_does_not_violate() -> None:
    findings = findings_for("paper-stub")
    assert len(findings) == 3
    assert {f.severity for f in findings} == {"Warning"}


def _year_fixture(tmp_path, year: int):
    text = (FIXTURES / "paper-complete.ttl").read_text(encoding="utf-8")
    path = tmp_path / f"year-{year}.ttl"
    path.write_text(text.replace('"2024"^^xsd:gYear', f'"{year}"^^xsd:gYear'), encoding="utf-8")
    return path


def test_year_bound_follows_the_clock(tmp_path) -> None:
    this_year = datetime.date.today().year
    next_year = validate_files([_year_fixture(tmp_path, this_year + 1)])
    assert not any(f.source_shape == "skgsh:PaperYearRange" for f in next_year.findings)
    later = validate_files([_year_fixture(tmp_path, this_year + 2)])
    assert [f.source_shape for f in later.findings] == ["skgsh:PaperYearRange"]
    earliest = validate_files([_year_fixture(tmp_path, 1950)])
    assert earliest.findings == []


def _constraint_shapes() -> set[str]:
    """Named shapes and SPARQL constraints that carry constraints of their own."""
    shapes = load_shapes()
    structural = {RDF.type, RDFS.comment, SH.message, SH.property, SH.sparql, SH.severity}
    structural |= {SH.targetClass, SH.targetNode, SH.deactivated}
    targeted = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetNode))
    used = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    names = set()
    for node in targeted | used:
        if not isinstance(node, URIRef):
            continue
        own = {p for p in shapes.predicates(node, None)} - structural
        if own or (node, RDF.type, SH.SPARQLConstraint) in shapes:
            names.add(str(node).removeprefix(str(SHAPES)))
    return names


def test_every_constraint_has_a_failing_fixture() -> None:
    covered = {shape for _, shape, _ in FAILING}
    assert _constraint_shapes() - covered == set()
    assert covered - _constraint_shapes() == set()


def test_every_shape_has_message_and_reason() -> None:
    shapes = load_shapes()
    nodes = set(shapes.subjects(SH.path, None))
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        nodes |= set(shapes.subjects(RDF.type, kind))
    nodes |= set(shapes.objects(None, SH.sparql))
    assert len(nodes) > 40
    for node in nodes:
        label = node if not isinstance(node, BNode) else shapes.value(node, SH.message)
        assert shapes.value(node, SH.message), f"{label}: no sh:message"
        assert shapes.value(node, RDFS.comment), f"{label}: no rdfs:comment"


def test_one_shape_file_per_target_class() -> None:
    assert [path.name for path in shape_files()] == [
        "author.ttl",
        "authorship.ttl",
        "category.ttl",
        "curation.ttl",
        "link.ttl",
        "ontology.ttl",
        "paper.ttl",
        "removed-paper.ttl",
        "venue.ttl",
    ]


def test_project_ontology_meets_category_and_header_shapes() -> None:
    outcome = validate_files([FIXTURES / "venue-valid.ttl"])
    assert [(str(f.focus), f.message) for f in outcome.findings] == []


@pytest.mark.parametrize("name", ["authorship-valid", "curation-valid", "link-valid"])
def test_record_fixtures_have_no_findings(name: str) -> None:
    assert [(str(f.focus), f.message) for f in findings_for(name)] == []

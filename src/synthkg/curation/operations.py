"""``synthkg add``, ``edit`` and ``remove``: change the curated graph by hand, with a record.

Every operation reads the data folder, makes its change on the merged graph, validates
the result against the shapes (with the ontology) and only then writes the changed files,
all or nothing. A violation on any node the change touched refuses the change (exit 1)
and leaves the folder byte for byte as it was; a bad argument is refused before anything
is built (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from synthkg import paths
from synthkg.curation import records
from synthkg.curation.datafiles import DataFolder
from synthkg.curation.lookup import REMOVED, check_not_duplicate, describe, find_paper
from synthkg.curation.paper import (
    PaperInput,
    build_paper,
    classification_node,
    classify,
    parse_identifier,
    parse_year,
    resolve_category,
    set_venue,
    unclassify,
)
from synthkg.curation.people import Person, authorships, byline, drop_orphans, set_authors
from synthkg.errors import ConformanceError, InputError
from synthkg.graph import parse_files
from synthkg.importers.build import add_identifier, new_paper_iri
from synthkg.importers.identifiers import PROPERTY
from synthkg.importers.titles import clean_title
from synthkg.namespaces import FABIO, SKG
from synthkg.taxonomy import LINK_PROPERTY, load_taxonomy
from synthkg.validate import load_shapes, validate_graph


@dataclass
class Outcome:
    """What an operation did: the paper, its record and the files written."""

    paper: URIRef
    record: URIRef
    written: list[Path] = field(default_factory=list)
    message: str = ""


@dataclass
class Edit:
    """The fields ``synthkg edit`` may change; ``None`` leaves a field alone."""

    title: str | None = None
    year: str | None = None
    venue: str | None = None
    add_categories: list[str] = field(default_factory=list)
    remove_categories: list[str] = field(default_factory=list)
    authors: list[Person] | None = None
    add_identifiers: list[str] = field(default_factory=list)


def _check(graph: Graph, before: set, focus: set[URIRef]) -> None:
    """Validate data + ontology; refuse when a node the change touched breaks a shape."""
    touched = {s for s, _, _ in set(graph) - before} | focus
    merged = parse_files([paths.ONTOLOGY_TTL])
    for triple in graph:
        merged.add(triple)
    outcome = validate_graph(merged, load_shapes())
    problems = dict.fromkeys(
        f"  {graph.namespace_manager.normalizeUri(f.focus)}: {f.path + ': ' if f.path else ''}"
        f"{f.message}" + (f" (value: {f.value})" if f.value else "")
        for f in outcome.findings
        if f.severity == "Violation" and f.focus in touched
    )
    if problems:
        raise ConformanceError(
            "the change breaks the shapes; nothing was written:\n" + "\n".join(problems)
        )


def _finish(data: DataFolder, before: set, paper: URIRef, record: URIRef) -> Outcome:
    _check(data.graph, before, {paper, record})
    return Outcome(paper=paper, record=record, written=data.write(before))


def add_paper(
    given: PaperInput,
    curator: str,
    why: str,
    data_dir: Path | None = None,
    when: datetime | None = None,
) -> Outcome:
    """Add one paper; refuse duplicates (same identifier or title) naming the paper."""
    taxonomy = load_taxonomy()
    identifier = parse_identifier(given.identifier)
    if not given.categories:
        raise InputError("give at least one category (--category FederatedLearning)")
    categories = [resolve_category(taxonomy, name) for name in given.categories]
    if not (given.title and given.title.strip()):
        raise InputError("give the paper's title with --title (nothing is fetched online)")
    if given.year:
        parse_year(given.year)
    data = DataFolder.load(data_dir or paths.DATA_DIR)
    graph = data.graph
    check_not_duplicate(graph, identifier, given.title)
    before = data.snapshot()
    taken = {s for s in graph.subjects() if isinstance(s, URIRef)}
    paper = new_paper_iri([identifier], clean_title(given.title), taken)
    record = records.start_record(
        graph, records.ADDITION, paper, curator, why, when or records.now()
    )
    build_paper(graph, taxonomy, paper, given, identifier, categories, record)
    outcome = _finish(data, before, paper, record)
    outcome.message = f"added {describe(graph, paper)}"
    return outcome


def edit_paper(
    reference: str,
    edit: Edit,
    curator: str,
    why: str,
    data_dir: Path | None = None,
    when: datetime | None = None,
) -> Outcome:
    """Correct fields of one paper; the record lists each field's old and new values."""
    taxonomy = load_taxonomy()
    adding = [resolve_category(taxonomy, name) for name in edit.add_categories]
    dropping = [resolve_category(taxonomy, name) for name in edit.remove_categories]
    year = parse_year(edit.year) if edit.year else None
    data = DataFolder.load(data_dir or paths.DATA_DIR)
    graph = data.graph
    paper = find_paper(graph, reference)
    identifiers = [parse_identifier(text) for text in edit.add_identifiers]
    for identifier in identifiers:
        check_not_duplicate(graph, identifier, None, ignore=paper)
    if edit.title is not None:
        if not edit.title.strip():
            raise InputError("a paper's title cannot be empty")
        check_not_duplicate(graph, None, edit.title, ignore=paper)
    before = data.snapshot()
    watched = [DCTERMS.title, FABIO.hasPublicationYear, SKG["publishedIn"], DCTERMS.creator]
    watched += list(LINK_PROPERTY.values())
    # An added identifier is recorded through its literal (or URL) property.
    watched += sorted({PROPERTY[identifier.scheme] for identifier in identifiers})
    old = {prop: set(graph.objects(paper, prop)) for prop in watched}
    old_byline = byline(graph, paper)
    record = records.start_record(
        graph, records.CORRECTION, paper, curator, why, when or records.now()
    )
    if edit.title is not None:
        graph.set((paper, DCTERMS.title, Literal(clean_title(edit.title))))
    if year is not None:
        graph.set((paper, FABIO.hasPublicationYear, year))
    if edit.venue is not None:
        set_venue(graph, paper, edit.venue)
    for category in dropping:
        unclassify(graph, taxonomy, paper, category)
    for category in adding:
        classify(graph, taxonomy, paper, category, record)
    if edit.authors is not None:
        set_authors(graph, paper, edit.authors)
    for identifier in identifiers:
        add_identifier(graph, paper, identifier)
    changed = 0
    for prop in watched:
        new = set(graph.objects(paper, prop))
        changed += records.record_field(graph, record, paper, prop, old[prop], new) is not None
    new_byline = byline(graph, paper)
    same_people = old[DCTERMS.creator] == set(graph.objects(paper, DCTERMS.creator))
    if edit.authors is not None and old_byline != new_byline and same_people:
        # Same people in a new order: the byline, in order, is the changed value (also when
        # other fields change in the same edit).
        def order(people: list[URIRef]) -> Literal:
            return Literal(" ; ".join(str(person) for person in people))

        records.record_field(
            graph, record, paper, SKG["authorship"], [order(old_byline)], [order(new_byline)]
        )
        changed = 1
    if not changed:
        raise InputError(f"nothing to change on {describe(graph, paper)}")
    outcome = _finish(data, before, paper, record)
    outcome.message = f"corrected {describe(graph, paper)}"
    return outcome


def remove_paper(
    reference: str,
    curator: str,
    why: str,
    data_dir: Path | None = None,
    replaced_by: str | None = None,
    when: datetime | None = None,
) -> Outcome:
    """Remove one paper. Its IRI keeps a ``skg:RemovedPaper`` record (title, identifiers,
    the removal, and the replacing paper if given) so links to it still resolve."""
    taxonomy = load_taxonomy()
    data = DataFolder.load(data_dir or paths.DATA_DIR)
    graph = data.graph
    paper = find_paper(graph, reference)
    replacement = find_paper(graph, replaced_by) if replaced_by else None
    if replacement == paper:
        raise InputError("a paper cannot replace itself")
    before = data.snapshot()
    title = graph.value(paper, DCTERMS.title)
    kept = [(p, v) for p in PROPERTY.values() for v in graph.objects(paper, p)]
    kept += [(PROV.wasDerivedFrom, v) for v in graph.objects(paper, PROV.wasDerivedFrom)]
    people = set(graph.objects(paper, DCTERMS.creator))
    for category in taxonomy.categories:
        if (classification_node(paper, category), None, None) in graph:
            graph.remove((classification_node(paper, category), None, None))
    for node in authorships(graph, paper):
        graph.remove((node, None, None))
    graph.remove((paper, None, None))
    drop_orphans(graph, people)
    record = records.start_record(
        graph, records.REMOVAL, paper, curator, why, when or records.now()
    )
    graph.add((paper, RDF.type, REMOVED))
    if title is not None:
        graph.add((paper, DCTERMS.title, title))
    for prop, value in kept:
        graph.add((paper, prop, value))
    graph.add((paper, PROV.wasInvalidatedBy, record))
    graph.add((paper, PROV.invalidatedAtTime, graph.value(record, PROV.endedAtTime)))
    if replacement is not None:
        graph.add((paper, DCTERMS.isReplacedBy, replacement))
    outcome = _finish(data, before, paper, record)
    outcome.message = f"removed {describe(graph, paper)}"
    return outcome

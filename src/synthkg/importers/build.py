"""Adding one parsed list to the curated graph: papers, venues, rows and classifications.

Curated values win: a title, year or venue already on a paper is never replaced; the
importer only adds what is missing. Every row becomes an immutable ``skg:SourceRow`` under
the document version it came from, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from synthkg.importers.identifiers import PROPERTY, Identifier, from_link, iri_safe
from synthkg.importers.markdown import MarkdownList, Skipped
from synthkg.importers.merge import Cluster, ExistingPapers, ImportRow, choose, cluster_rows
from synthkg.importers.titles import clean_title, title_slug
from synthkg.importers.venues import Venue, normalise_venue
from synthkg.namespaces import CLASSIFICATION, FABIO, PAPER, SCHEMA, SKG, SOURCE, VENUE
from synthkg.taxonomy import Taxonomy

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Conflict:
    paper: URIRef
    field: str
    values: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass
class ImportReport:
    """What one import did, for the summary the command prints."""

    document: URIRef
    rows_read: int = 0
    papers_added: int = 0
    rows_merged: int = 0
    classifications_added: int = 0
    incomplete_added: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def list_slug(parsed: MarkdownList) -> str:
    """The list's IRI name: its file name without ``.md``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", parsed.path.stem).strip("-") or "list"


def _category(taxonomy: Taxonomy, section: tuple[str, ...]) -> URIRef | None:
    """The deepest heading of the chain that names a category."""
    for heading in reversed(section):
        try:
            found = taxonomy.resolve(heading)
        except ValueError:
            continue
        if found is not None:
            return found
    return None


def _import_rows(parsed: MarkdownList, taxonomy: Taxonomy, report: ImportReport) -> list:
    rows: list[ImportRow] = []
    for row in parsed.rows:
        category = _category(taxonomy, row.section)
        if category is None:
            where = " > ".join(row.section) or "no heading"
            report.skipped.append(Skipped(row.line, f"no taxonomy category for section {where!r}"))
            continue
        year = _YEAR.search(row.year) if row.year else None
        rows.append(
            ImportRow(
                row=row,
                category=category,
                identifier=from_link(row.link) if row.link else None,
                year=year.group(1) if year else None,
                venue=normalise_venue(row.venue) if row.venue else None,
            )
        )
    return rows


class GraphBuilder:
    """Adds the rows of one list to ``graph`` (the curated data, changed in place)."""

    def __init__(self, graph: Graph, taxonomy: Taxonomy) -> None:
        self.graph = graph
        self.taxonomy = taxonomy

    def add_list(self, parsed: MarkdownList) -> ImportReport:
        slug = list_slug(parsed)
        source_list = SOURCE[slug]
        document = SOURCE[f"{slug}/{parsed.sha256[:12]}"]
        report = ImportReport(document=document)
        report.rows_read = len(parsed.rows) + len(parsed.skipped)
        report.skipped.extend(parsed.skipped)
        self._add_document(source_list, document, parsed)
        rows = _import_rows(parsed, self.taxonomy, report)
        existing = ExistingPapers(self.graph)
        taken = set(existing.iris)
        for cluster in cluster_rows(rows, existing):
            if cluster.existing in existing.removed:
                report.skipped.extend(
                    Skipped(item.row.line, f"{cluster.existing} was removed by a curator")
                    for item in cluster.all_rows
                )
                continue
            paper = cluster.existing or self._new_iri(cluster, taken)
            taken.add(paper)
            if cluster.existing is None:
                report.papers_added += 1
                report.rows_merged += len(cluster.all_rows) - 1
                report.incomplete_added += int(cluster.is_stub)
            else:
                report.rows_merged += len(cluster.all_rows)
            for other in cluster.ambiguous:
                report.warnings.append(
                    f"rows at lines {', '.join(str(r.row.line) for r in cluster.all_rows)} "
                    f"match both {paper} and {other}; kept {paper}"
                )
            self._add_paper(paper, cluster)
            for item in cluster.all_rows:
                row_iri = URIRef(f"{document}/L{item.row.line}")
                self._add_row(row_iri, document, item)
                report.classifications_added += self._classify(paper, item, row_iri)
            report.conflicts.extend(self._conflicts(paper, cluster))
        report.skipped.sort(key=lambda s: s.line)
        return report

    def _add_document(self, source_list: URIRef, document: URIRef, parsed: MarkdownList) -> None:
        g = self.graph
        g.add((source_list, RDF.type, SKG["SourceList"]))
        if g.value(source_list, DCTERMS.title) is None:
            g.add((source_list, DCTERMS.title, Literal(parsed.title)))
        if (document, RDF.type, SKG["SourceDocument"]) in g:
            return
        for kind in (SKG["SourceDocument"], PROV.Entity):
            g.add((document, RDF.type, kind))
        g.add((document, DCTERMS.isVersionOf, source_list))
        g.add((document, DCTERMS.title, Literal(parsed.title)))
        g.add((document, SKG["fileName"], Literal(parsed.path.name)))
        g.add((document, SKG["sha256"], Literal(parsed.sha256)))

    def _new_iri(self, cluster: Cluster, taken: set[URIRef]) -> URIRef:
        return new_paper_iri(cluster.identifiers(), self._title(cluster), taken)

    @staticmethod
    def _deciding_rows(cluster: Cluster) -> list[ImportRow]:
        # A short name says little about the full paper: it decides only for a stub.
        return sorted(cluster.rows or cluster.short_rows, key=lambda r: r.row.line)

    def _title(self, cluster: Cluster) -> str:
        rows = self._deciding_rows(cluster)
        return choose([(_reviewed(r), clean_title(r.row.title)) for r in rows]) or ""

    def _add_paper(self, paper: URIRef, cluster: Cluster) -> None:
        g = self.graph
        rows = self._deciding_rows(cluster)
        g.add((paper, RDF.type, SKG["Paper"]))
        if g.value(paper, DCTERMS.title) is None:
            g.add((paper, DCTERMS.title, Literal(self._title(cluster))))
        if g.value(paper, FABIO.hasPublicationYear) is None:
            year = choose([(_reviewed(r), r.year) for r in rows if r.year])
            if year:
                g.add((paper, FABIO.hasPublicationYear, Literal(year, datatype=XSD.gYear)))
        venues = {r.venue.slug: r.venue for r in rows if r.venue}
        for item in cluster.all_rows:
            if item.venue is not None:
                self._add_venue(item.venue, item.row.venue or "")
        if g.value(paper, SKG["publishedIn"]) is None:
            slug = choose([(_reviewed(r), r.venue.slug) for r in rows if r.venue])
            if slug:
                g.add((paper, SKG["publishedIn"], VENUE[venues[slug].slug]))
        if g.value(paper, SKG["publishedIn"]) == VENUE["arxiv"]:
            g.add((paper, RDF.type, SKG["Preprint"]))
        else:
            g.remove((paper, RDF.type, SKG["Preprint"]))
        if cluster.is_stub and cluster.existing is None:
            g.add((paper, SKG["recordStatus"], SKG["Incomplete"]))
        for item in cluster.short_rows:
            g.add((paper, SKG["shortName"], Literal(clean_title(item.row.title))))
        for identifier in cluster.identifiers():
            add_identifier(g, paper, identifier)

    def _add_venue(self, venue: Venue, stated: str) -> None:
        add_venue(self.graph, venue, stated)

    def _add_row(self, row_iri: URIRef, document: URIRef, item: ImportRow) -> None:
        g = self.graph
        row = item.row
        for kind in (SKG["SourceRow"], PROV.Entity):
            g.add((row_iri, RDF.type, kind))
        g.add((row_iri, DCTERMS.isPartOf, document))
        g.add((row_iri, SKG["lineNumber"], Literal(row.line)))
        g.add((row_iri, SKG["section"], Literal(" > ".join(row.section))))
        g.add((row_iri, SKG["sectionCategory"], item.category))
        g.add((row_iri, SKG["statedTitle"], Literal(row.title)))
        if row.year:
            g.add((row_iri, SKG["statedYear"], Literal(row.year)))
        if row.venue:
            g.add((row_iri, SKG["statedVenue"], Literal(row.venue)))
        if row.link and item.identifier is not None:
            g.add((row_iri, SKG["statedLink"], URIRef(iri_safe(row.link or ""))))

    def _classify(self, paper: URIRef, item: ImportRow, row_iri: URIRef) -> int:
        g = self.graph
        category = item.category
        local = str(paper).removeprefix(str(PAPER))
        node = CLASSIFICATION[f"{local}/{str(category).removeprefix(str(SKG))}"]
        added = int((node, RDF.type, SKG["Classification"]) not in g)
        g.add((node, RDF.type, SKG["Classification"]))
        g.add((node, SKG["classifiedPaper"], paper))
        g.add((node, SKG["category"], category))
        g.add((node, PROV.wasDerivedFrom, row_iri))
        g.add((paper, self.taxonomy.link_property(category), category))
        g.add((paper, PROV.wasDerivedFrom, row_iri))
        return added

    def _conflicts(self, paper: URIRef, cluster: Cluster) -> list[Conflict]:
        g = self.graph
        found: list[Conflict] = []
        chosen_year = g.value(paper, FABIO.hasPublicationYear)
        chosen_venue = g.value(paper, SKG["publishedIn"])
        checks = (
            ("year", chosen_year, lambda r: r.year),
            ("venue", chosen_venue, lambda r: str(VENUE[r.venue.slug]) if r.venue else None),
        )
        for name, chosen, get in checks:
            stated = {get(r): r.row.line for r in reversed(cluster.all_rows) if get(r)}
            values = set(stated) | ({str(chosen)} if chosen is not None else set())
            if len(values) > 1:
                labels = tuple(sorted(v.removeprefix(str(VENUE)) for v in values))
                found.append(Conflict(paper, name, labels, tuple(sorted(stated.values()))))
        return found


def new_paper_iri(identifiers: list[Identifier], title: str, taken: set[URIRef]) -> URIRef:
    """A fresh paper IRI from the best identifier (or the title), numbered past ``taken``."""
    ordered = sorted(identifiers, key=lambda i: (i.rank, i.value))
    base = ordered[0].paper_slug() if ordered else "title-" + title_slug(title)
    candidate, number = PAPER[base], 1
    while candidate in taken:
        number += 1
        candidate = PAPER[f"{base}-{number}"]
    return candidate


def add_identifier(graph: Graph, paper: URIRef, identifier: Identifier) -> None:
    """The identifier as its literal property and its IRI in ``schema:sameAs`` (a plain
    link goes to ``schema:url``)."""
    prop = PROPERTY[identifier.scheme]
    if identifier.scheme == "url":
        graph.add((paper, prop, URIRef(identifier.iri)))
        return
    if (paper, prop, Literal(identifier.value)) in graph:
        return
    graph.add((paper, prop, Literal(identifier.value)))
    graph.add((paper, SCHEMA.sameAs, URIRef(identifier.iri)))


def add_venue(graph: Graph, venue: Venue, stated: str) -> None:
    """The venue resource (typed and labelled once); ``stated`` as an alternative label
    when it differs from the label."""
    iri = VENUE[venue.slug]
    if (iri, RDF.type, SKG["Venue"]) not in graph:
        graph.add((iri, RDF.type, SKG["Venue"]))
        if venue.kind:
            graph.add((iri, RDF.type, SKG[venue.kind]))
        graph.add((iri, RDFS.label, Literal(venue.label)))
        if venue.full_name:
            graph.add((iri, SKOS.prefLabel, Literal(venue.full_name, lang="en")))
    stated = " ".join(stated.split())
    if stated and stated != str(graph.value(iri, RDFS.label)):
        graph.add((iri, SKOS.altLabel, Literal(stated)))


def _reviewed(item: ImportRow) -> bool:
    """Whether the row names a venue other than a preprint server."""
    return item.venue is not None and not item.venue.is_preprint

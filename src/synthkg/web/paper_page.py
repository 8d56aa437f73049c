"""The HTML page of a paper IRI: what a reader wants at a glance (title, year, venue,
identifiers as links, categories, the source rows that listed it, a BibTeX entry, the same
work in other graphs), then every statement of the graph about it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import render_template, url_for
from rdflib.namespace import RDF

from synthkg.export.bibtex import entry
from synthkg.export.records import PaperRecord, Venue
from synthkg.importers.identifiers import SCHEME_OF_PROPERTY, from_link
from synthkg.namespaces import SKG
from synthkg.web import page_queries as pq
from synthkg.web.describe import Description, compact
from synthkg.web.linked_data import link_for, resource_context

RDF_TYPE = ox.NamedNode(str(RDF.type))
PAPER_CLASS = ox.NamedNode(str(SKG["Paper"]))
# How each identifier is shown: scheme -> name.
SCHEME_NAMES = {
    "arxiv": "arXiv",
    "doi": "DOI",
    "openreview": "OpenReview",
    "neurips": "NeurIPS proceedings",
    "acl": "ACL Anthology",
    "pmlr": "PMLR",
    "cvf": "CVF open access",
    "ijcai": "IJCAI proceedings",
}
ROLE_NAMES = {"usesMethod": "Method", "hasApplication": "Application"}
ROLE_NAMES["addressesChallenge"] = "Challenge"
# Wikidata properties derived from the identifiers: property -> what the value is.
WIKIDATA_NAMES = {
    "P818": "arXiv ID",
    "P356": "DOI",
    "P8968": "OpenReview ID",
    "P8978": "DBLP",
    "P10283": "OpenAlex",
    "P4011": "Semantic Scholar",
}


def _identifiers(store: Any, paper: ox.NamedNode) -> tuple[dict[str, list[str]], list[dict]]:
    """The literal identifiers by property, and every link (identifier IRIs first)."""
    by_property: dict[str, list[str]] = {}
    for row in pq.select(store, "paper-identifiers", paper=paper):
        local = row["property"].value.removeprefix(str(SKG))
        by_property.setdefault(local, []).append(row["value"].value)
    links = []
    for row in pq.select(store, "paper-links", paper=paper):
        link = row["link"].value
        parsed = from_link(link)
        scheme = parsed.scheme if parsed else "url"
        links.append(
            {
                "href": link,
                "scheme": scheme,
                "name": SCHEME_NAMES.get(scheme, "Web page"),
                "value": parsed.value if parsed and scheme != "url" else link,
                "rank": parsed.rank if parsed else 99,
            }
        )
    links.sort(key=lambda item: (item["rank"], item["href"]))
    # A literal identifier without its IRI still shows (as text).
    shown = {(item["scheme"], item["value"]) for item in links}
    for prop, values in by_property.items():
        scheme = SCHEME_OF_PROPERTY.get(SKG[prop], prop)
        for value in values:
            if (scheme, value) not in shown:
                name = SCHEME_NAMES.get(scheme, prop)
                links.append({"href": None, "scheme": scheme, "name": name, "value": value})
    return by_property, links


def _record(summary: Any, iri: str, identifiers: dict, links: list, categories: list, authors):
    """The paper as the BibTeX export sees it."""
    venue = None
    if summary["venue"] is not None:
        kind = pq.text(summary["venueKind"])
        venue = Venue(
            iri=summary["venue"].value,
            label=pq.text(summary["venueLabel"]) or summary["venue"].value.rsplit("/", 1)[-1],
            name=pq.text(summary["venueName"]),
            kind=kind.removeprefix(str(SKG)) if kind else None,
        )
    record = PaperRecord(
        iri=iri,
        title=pq.text(summary["title"]) or "",
        year=pq.text(summary["year"]),
        venue=venue,
        incomplete=pq.text(summary["status"]) == str(SKG["Incomplete"]),
        identifiers=identifiers,
        links=[item["href"] for item in links if item["href"]],
        authors=[name for _, name in authors],
    )
    for item in categories:
        record.categories.setdefault(item["role_key"], []).append(item["iri"])
    return record


def paper_context(store: Any, description: Description) -> dict[str, Any] | None:
    """Everything the paper template shows, or ``None`` when the IRI is no paper."""
    paper = description.iri
    if not any(t.predicate == RDF_TYPE and t.object == PAPER_CLASS for t in description.outgoing):
        return None  # a removed paper, or an IRI under paper/ that is no paper
    summary = pq.select(store, "paper-summary", paper=paper)[0]
    iri = paper.value
    identifiers, links = _identifiers(store, paper)
    categories = []
    for row in pq.select(store, "paper-categories", paper=paper):
        role = row["property"].value.removeprefix(str(SKG))
        category = row["category"].value
        name = category.removeprefix(str(SKG))
        categories.append(
            {
                "role": ROLE_NAMES.get(role, role),
                "role_key": role,
                "iri": category,
                "label": pq.text(row["label"]) or name,
                "href": url_for("pages.category", name=name)
                if category.startswith(str(SKG))
                else category,
            }
        )
    roles = list(ROLE_NAMES)
    categories.sort(key=lambda c: (roles.index(c["role_key"]), c["label"].casefold()))
    authors = [
        (row["author"].value, row["name"].value)
        for row in pq.select(store, "paper-authors", paper=paper)
    ]
    sources = []
    for row in pq.select(store, "paper-sources", paper=paper):
        row_iri = row["row"].value
        sources.append(
            {
                "row": link_for(row_iri, {}),
                "file": pq.text(row["fileName"]) or compact(pq.text(row["document"]) or row_iri),
                "line": pq.text(row["line"]),
                "section": pq.text(row["section"]),
                "title": pq.text(row["statedTitle"]),
                "year": pq.text(row["statedYear"]),
                "venue": pq.text(row["statedVenue"]),
            }
        )
    other = [
        {"href": row["target"].value, "kind": compact(row["property"].value)}
        for row in pq.select(store, "paper-other-graphs", paper=paper)
    ]
    wikidata = []
    for row in pq.select(store, "paper-wikidata", paper=paper):
        prop = row["property"].value.rsplit("/", 1)[-1]
        value = row["value"].value
        query = f'haswbstatement:{prop}="{value}"'
        wikidata.append(
            {
                "property": prop,
                "name": WIKIDATA_NAMES.get(prop, prop),
                "value": value,
                "href": "https://www.wikidata.org/w/index.php?" + urlencode({"search": query}),
            }
        )
    record = _record(summary, iri, identifiers, links, categories, authors)
    venue = summary["venue"]
    return {
        "iri": iri,
        "title": record.title or compact(iri),
        "short_name": pq.text(summary["shortName"]),
        "year": record.year,
        "venue": record.venue,
        "venue_href": link_for(venue.value, {})["href"] if venue is not None else None,
        "incomplete": record.incomplete,
        "authors": [name for _, name in authors],
        "links": links,
        "categories": categories,
        "sources": sources,
        "other_graphs": other,
        "wikidata": wikidata,
        "bibtex": entry(record),
        "bibtex_url": url_for("exports.paper_bibtex", name=quote(record.slug) + ".bib"),
        "resource": resource_context(description),
    }


def render_paper(store: Any, description: Description) -> str | None:
    """The paper page's HTML, or ``None`` for an IRI that is no paper."""
    context = paper_context(store, description)
    if context is None:
        return None
    return render_template("paper.html", **context)

"""Authors: one resource per person across papers, and each paper's ordered byline.

A person is ``author:<ORCID>`` when an ORCID iD is known, else ``author:<name slug>``. Two
bylines name the same person when they give the same ORCID iD, or, failing that, the same
name after normalisation (case, accents, punctuation and spacing ignored) and no
conflicting ORCID iDs. The order of a byline is kept in authorship nodes
``<paper>/authorship/<n>`` (no blank nodes, no RDF lists); ``dcterms:creator`` links the
paper to each author directly, for easy querying.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from synthkg.errors import InputError
from synthkg.importers.titles import title_key, title_slug
from synthkg.namespaces import AUTHOR, ORCID, SCHEMA, SKG

_ORCID = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")


@dataclass(frozen=True)
class Person:
    """An author as given on the command line: a name and, optionally, an ORCID iD."""

    name: str
    orcid: str | None = None


def _orcid_checksum_ok(digits: str) -> bool:
    # ISO 7064 MOD 11-2, as ORCID specifies.
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def normalise_orcid(text: str) -> str:
    """``0000-0002-1825-0097`` from that form, without hyphens, or as an orcid.org IRI."""
    value = text.strip().removeprefix("https://").removeprefix("http://")
    value = value.removeprefix("orcid.org/").upper()
    match = _ORCID.match(value)
    if not match or not _orcid_checksum_ok("".join(match.groups())):
        raise InputError(f"{text!r} is not a valid ORCID iD (e.g. 0000-0002-1825-0097)")
    return "-".join(match.groups())


def parse_person(text: str) -> Person:
    """``"Ada Lovelace"`` or ``"Ada Lovelace|0000-0002-1825-0097"``."""
    name, _, orcid = text.partition("|")
    name = " ".join(name.split())
    if not name:
        raise InputError(f"author {text!r} has no name")
    return Person(name, normalise_orcid(orcid) if orcid.strip() else None)


def _people(graph: Graph) -> list[URIRef]:
    return sorted(p for p in graph.subjects(RDF.type, FOAF.Person) if isinstance(p, URIRef))


def person_iri(graph: Graph, person: Person) -> URIRef:
    """The resource of this person: an existing one with the same ORCID iD, or the same
    name and no other ORCID iD; otherwise a new IRI."""
    key = title_key(person.name)
    for iri in _people(graph):
        orcid = graph.value(iri, SKG["orcid"])
        if person.orcid and orcid is not None and str(orcid) == person.orcid:
            return iri
    for iri in _people(graph):
        orcid = graph.value(iri, SKG["orcid"])
        same_name = any(title_key(str(n)) == key for n in graph.objects(iri, FOAF.name))
        if same_name and (orcid is None or person.orcid is None or str(orcid) == person.orcid):
            return iri
    if person.orcid:
        return AUTHOR[person.orcid]
    base, number = title_slug(person.name, limit=60), 1
    candidate = AUTHOR[base]
    while (candidate, None, None) in graph:
        number += 1
        candidate = AUTHOR[f"{base}-{number}"]
    return candidate


def add_person(graph: Graph, person: Person) -> URIRef:
    """The person's resource, created or completed (an ORCID iD learnt later is added)."""
    iri = person_iri(graph, person)
    graph.add((iri, RDF.type, FOAF.Person))
    graph.add((iri, RDF.type, SCHEMA.Person))
    if graph.value(iri, FOAF.name) is None:
        graph.add((iri, FOAF.name, Literal(person.name)))
        graph.add((iri, RDFS.label, Literal(person.name)))
    if person.orcid and graph.value(iri, SKG["orcid"]) is None:
        graph.add((iri, SKG["orcid"], Literal(person.orcid)))
        graph.add((iri, SCHEMA.sameAs, ORCID[person.orcid]))
    return iri


def authorships(graph: Graph, paper: URIRef) -> list[URIRef]:
    """The paper's authorship nodes in byline order."""
    nodes = [n for n in graph.objects(paper, SKG["authorship"]) if isinstance(n, URIRef)]
    return sorted(nodes, key=lambda n: int(graph.value(n, SKG["authorPosition"]) or 0))


def byline(graph: Graph, paper: URIRef) -> list[URIRef]:
    """The paper's authors in order."""
    found = [graph.value(node, SKG["author"]) for node in authorships(graph, paper)]
    return [a for a in found if isinstance(a, URIRef)]


def set_authors(graph: Graph, paper: URIRef, people: list[Person]) -> None:
    """Replace the paper's byline; people who then author nothing are dropped."""
    previous = set(graph.objects(paper, DCTERMS.creator))
    for node in authorships(graph, paper):
        graph.remove((node, None, None))
        graph.remove((paper, SKG["authorship"], node))
    graph.remove((paper, DCTERMS.creator, None))
    for position, person in enumerate(people, start=1):
        iri = add_person(graph, person)
        node = URIRef(f"{paper}/authorship/{position}")
        graph.add((paper, SKG["authorship"], node))
        graph.add((node, RDF.type, SKG["Authorship"]))
        graph.add((node, SKG["author"], iri))
        graph.add((node, SKG["authorPosition"], Literal(position)))
        graph.add((paper, DCTERMS.creator, iri))
    drop_orphans(graph, previous)


def drop_orphans(graph: Graph, people: set) -> None:
    """Remove the resources of these people when no paper names them any more."""
    for iri in people:
        if isinstance(iri, URIRef) and (None, DCTERMS.creator, iri) not in graph:
            graph.remove((iri, None, None))

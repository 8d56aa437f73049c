"""What the server says about one resource: its triples and the labels around them.

The description is CBD-like: every triple with the resource as subject (following blank
nodes), the triples pointing at it, and the labels of the resources it links to, so that a
client gets readable names without a second request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDFS, SKOS

from synthkg.namespaces import BASE, PREFIXES

# The properties that name a resource, best first.
LABEL_PROPERTIES = (
    ox.NamedNode(str(SKOS.prefLabel)),
    ox.NamedNode(str(RDFS.label)),
    ox.NamedNode(str(DCTERMS.title)),
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Description:
    """One resource's description, read from the store."""

    iri: ox.NamedNode
    outgoing: list[ox.Triple] = field(default_factory=list)
    incoming: list[ox.Triple] = field(default_factory=list)
    incoming_total: int = 0
    label_triples: list[ox.Triple] = field(default_factory=list)

    def labels(self) -> dict[str, str]:
        """IRI -> best label, for every linked resource (and the resource itself)."""
        found: dict[str, tuple[int, str]] = {}
        for triple in self.label_triples + self.outgoing:
            if triple.predicate not in LABEL_PROPERTIES:
                continue
            rank = LABEL_PROPERTIES.index(triple.predicate)
            obj = triple.object
            english = isinstance(obj, ox.Literal) and obj.language in (None, "en")
            score = rank * 2 + (0 if english else 1)
            key = str(triple.subject.value)
            if key not in found or score < found[key][0]:
                found[key] = (score, str(obj.value))
        return {key: label for key, (_, label) in found.items()}

    def triples(self) -> list[ox.Triple]:
        """Everything the description holds, for RDF serialisation."""
        seen: dict[ox.Triple, None] = {}
        for triple in self.outgoing + self.incoming + self.label_triples:
            seen.setdefault(triple, None)
        return list(seen)


def _triples(store: ox.Store, s: Term | None, p: ox.NamedNode | None, o: Term | None):
    """Distinct triples of the union of every graph matching a pattern."""
    seen: dict[ox.Triple, None] = {}
    for quad in store.quads_for_pattern(s, p, o, None):
        seen.setdefault(ox.Triple(quad.subject, quad.predicate, quad.object), None)
    return sorted(seen, key=lambda t: (str(t.predicate.value), _sort_key(t.object)))


def _sort_key(term: object) -> str:
    return str(getattr(term, "value", term))


def exists(store: ox.Store, iri: ox.NamedNode) -> bool:
    """Whether the store says anything about or pointing at ``iri``."""
    return any(True for _ in store.quads_for_pattern(iri, None, None, None)) or any(
        True for _ in store.quads_for_pattern(None, None, iri, None)
    )


def describe(store: ox.Store, iri: ox.NamedNode, incoming_limit: int = 2000) -> Description:
    """The description of ``iri`` (empty lists when the store knows nothing of it)."""
    description = Description(iri=iri)
    pending: list[ox.NamedNode | ox.BlankNode] = [iri]
    visited: set[ox.NamedNode | ox.BlankNode] = set()
    while pending:  # the resource, then the blank nodes it leads to
        subject = pending.pop(0)
        if subject in visited:
            continue
        visited.add(subject)
        for triple in _triples(store, subject, None, None):
            description.outgoing.append(triple)
            if isinstance(triple.object, ox.BlankNode):
                pending.append(triple.object)
    incoming = [t for t in _triples(store, None, None, iri) if t.subject != iri]
    description.incoming_total = len(incoming)
    description.incoming = incoming[:incoming_limit]
    linked: dict[ox.NamedNode, None] = {}
    for triple in description.outgoing:
        linked.setdefault(triple.predicate, None)
        if isinstance(triple.object, ox.NamedNode):
            linked.setdefault(triple.object, None)
    for triple in description.incoming:
        linked.setdefault(triple.predicate, None)
        if isinstance(triple.subject, ox.NamedNode):
            linked.setdefault(triple.subject, None)
    linked.pop(iri, None)
    for node in linked:
        for prop in LABEL_PROPERTIES:
            description.label_triples.extend(_triples(store, node, prop, None))
    return description


def compact(iri: str) -> str:
    """``skg:Paper`` for a known namespace, else the IRI itself."""
    best = ""
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = name
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(ch.isalnum() or ch in "-_." for ch in local):
            return f"{best}:{local}"
    return iri


def local_path(iri: str) -> str | None:
    """The server path an IRI of the graph dereferences at, or ``None`` for others."""
    if not iri.startswith(BASE) or "#" in iri:
        return None
    return "/" + iri[len(BASE) :]

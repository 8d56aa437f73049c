"""The survey taxonomy as read from the ontology: categories, their labels and tree.

Headings in the awesome lists are matched to categories through every label the ontology
gives a category (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``), after
normalisation, so both the draft's and the current list's names resolve.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from synthkg.graph import load_ontology
from synthkg.namespaces import SKG

CATEGORY_ROOT = SKG["Category"]
METHOD_ROOT = SKG["SynthesisMethod"]
APPLICATION_ROOT = SKG["Application"]
CHALLENGE_ROOT = SKG["Challenge"]

# The property that links a paper to a category under each root.
LINK_PROPERTY: dict[URIRef, URIRef] = {
    METHOD_ROOT: SKG["usesMethod"],
    APPLICATION_ROOT: SKG["hasApplication"],
    CHALLENGE_ROOT: SKG["addressesChallenge"],
}

_NUMBERING = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")


def normalise_heading(text: str) -> str:
    """A key under which two spellings of one heading compare equal.

    Numbering ("1.1 "), Markdown emphasis, case, "&" versus "and", hyphens, slashes and
    spacing are ignored.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.strip().strip("#*_ ").strip()
    text = _NUMBERING.sub("", text)
    text = text.casefold().replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", "", text)


@dataclass(frozen=True)
class Category:
    """One category of the taxonomy."""

    iri: URIRef
    label: str
    parent: URIRef | None
    alt_labels: tuple[str, ...] = ()

    @property
    def local_name(self) -> str:
        return str(self.iri).removeprefix(str(SKG))


@dataclass
class Taxonomy:
    """All categories, indexed by IRI and by normalised label."""

    categories: dict[URIRef, Category] = field(default_factory=dict)
    by_key: dict[str, set[URIRef]] = field(default_factory=dict)

    def resolve(self, heading: str) -> URIRef | None:
        """The one category a heading names, or ``None`` when it names none.

        Raises ``ValueError`` when the heading is ambiguous (names several categories).
        """
        matches = self.by_key.get(normalise_heading(heading), set())
        if len(matches) > 1:
            names = ", ".join(sorted(str(m) for m in matches))
            raise ValueError(f"heading {heading!r} matches several categories: {names}")
        return next(iter(matches), None)

    def ancestors(self, iri: URIRef) -> list[URIRef]:
        """The category's parents up to (not including) ``skg:Category``, nearest first."""
        chain: list[URIRef] = []
        parent = self.categories[iri].parent
        while parent is not None and parent != CATEGORY_ROOT:
            chain.append(parent)
            parent = self.categories[parent].parent
        return chain

    def root_of(self, iri: URIRef) -> URIRef:
        """The top category (method, application or challenge) a category falls under."""
        chain = [iri, *self.ancestors(iri)]
        return chain[-1]

    def link_property(self, iri: URIRef) -> URIRef:
        """The property that links a paper to this category."""
        return LINK_PROPERTY[self.root_of(iri)]

    def children(self, iri: URIRef) -> list[URIRef]:
        return sorted(c.iri for c in self.categories.values() if c.parent == iri)


def taxonomy_from_graph(ontology: Graph) -> Taxonomy:
    """Read every ``skos:Concept`` of the taxonomy scheme, with labels and parent."""
    taxonomy = Taxonomy()
    for iri in sorted(set(ontology.subjects(SKOS.inScheme, SKG["taxonomy"]))):
        if not isinstance(iri, URIRef):
            continue
        parent = ontology.value(iri, SKOS.broader)
        label = ontology.value(iri, SKOS.prefLabel) or ontology.value(iri, RDFS.label)
        alts = tuple(sorted(str(a) for a in ontology.objects(iri, SKOS.altLabel)))
        category = Category(
            iri=iri,
            label=str(label),
            parent=parent if isinstance(parent, URIRef) else CATEGORY_ROOT,
            alt_labels=alts,
        )
        taxonomy.categories[iri] = category
        for name in (category.label, *alts, str(ontology.value(iri, RDFS.label) or "")):
            if name:
                taxonomy.by_key.setdefault(normalise_heading(name), set()).add(iri)
    return taxonomy


@cache
def load_taxonomy() -> Taxonomy:
    """The taxonomy of the project's ontology (read once per process)."""
    return taxonomy_from_graph(load_ontology())

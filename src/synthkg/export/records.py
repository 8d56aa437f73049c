"""Paper records read from a store, for the non-RDF exports (BibTeX, CSV, Markdown).

Every query is a named file in ``queries/export/``; the store's graphs are read as their
union, so the same code serves the project's graph, a fixture or the web app's store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from synthkg import paths
from synthkg.importers.identifiers import SCHEME_ORDER, from_link
from synthkg.namespaces import PAPER, SKG

EXPORT_QUERIES_DIR = paths.QUERIES_DIR / "export"


def run(store: ox.Store, name: str) -> list[ox.QuerySolution]:
    """The solutions of ``queries/export/<name>.rq`` over the union of the store's graphs."""
    text = (EXPORT_QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    return list(store.query(text, use_default_graph_as_union=True))


def _text(term: ox.NamedNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


@dataclass(frozen=True)
class Venue:
    iri: str
    label: str
    name: str | None
    kind: str | None  # "Conference", "Journal", "PreprintServer" or None

    @property
    def full_name(self) -> str:
        return self.name or self.label


@dataclass
class PaperRecord:
    """What the exports say about one paper."""

    iri: str
    title: str
    year: str | None = None
    venue: Venue | None = None
    incomplete: bool = False
    identifiers: dict[str, list[str]] = field(default_factory=dict)  # property local name
    links: list[str] = field(default_factory=list)
    categories: dict[str, list[str]] = field(default_factory=dict)  # property local name
    authors: list[str] = field(default_factory=list)  # names in byline order

    @property
    def slug(self) -> str:
        """The paper IRI's local name (``arxiv-2505.03335``)."""
        return self.iri.removeprefix(str(PAPER))

    def identifier(self, local: str) -> str | None:
        values = self.identifiers.get(local)
        return values[0] if values else None

    @cached_property
    def best_link(self) -> str | None:
        """The link naming the paper best: the first identifier scheme in the data model's
        order (arXiv, DOI, OpenReview, ...), a plain URL last."""

        def rank(link: str) -> tuple[int, str]:
            parsed = from_link(link)
            return (parsed.rank if parsed else len(SCHEME_ORDER), link)

        return min(self.links, key=rank) if self.links else None

    def all_categories(self) -> list[str]:
        return sorted({c for values in self.categories.values() for c in values})


def paper_records(store: ox.Store) -> list[PaperRecord]:
    """Every paper of the store, sorted by IRI."""
    records: dict[str, PaperRecord] = {}
    for row in run(store, "papers"):
        venue = None
        if row["venue"] is not None:
            label = _text(row["venueLabel"]) or row["venue"].value.rsplit("/", 1)[-1]
            kind = _text(row["venueKind"])
            venue = Venue(
                iri=row["venue"].value,
                label=label,
                name=_text(row["venueName"]),
                kind=kind.removeprefix(str(SKG)) if kind else None,
            )
        iri = row["paper"].value
        records[iri] = PaperRecord(
            iri=iri,
            title=_text(row["title"]) or "",
            year=_text(row["year"]),
            venue=venue,
            incomplete=row["status"] is not None and row["status"].value == str(SKG["Incomplete"]),
        )
    for row in run(store, "paper-identifiers"):
        record = records[row["paper"].value]
        local = row["property"].value.removeprefix(str(SKG))
        record.identifiers.setdefault(local, []).append(row["value"].value)
    for row in run(store, "paper-links"):
        records[row["paper"].value].links.append(row["link"].value)
    for row in run(store, "paper-categories"):
        local = row["property"].value.removeprefix(str(SKG))
        records[row["paper"].value].categories.setdefault(local, []).append(row["category"].value)
    for row in run(store, "paper-authors"):
        records[row["paper"].value].authors.append(row["name"].value)
    return [records[iri] for iri in sorted(records)]


@dataclass(frozen=True)
class CategoryNode:
    iri: str
    label: str
    parent: str | None

    @property
    def local_name(self) -> str:
        return self.iri.removeprefix(str(SKG))


@dataclass
class CategoryTree:
    """The taxonomy as the store's ontology gives it."""

    nodes: dict[str, CategoryNode] = field(default_factory=dict)
    children: dict[str | None, list[str]] = field(default_factory=lambda: defaultdict(list))

    def label(self, iri: str) -> str:
        node = self.nodes.get(iri)
        return node.label if node else iri.removeprefix(str(SKG))

    def descendants(self, iri: str) -> list[str]:
        """The category and every category below it."""
        found, todo = [], [iri]
        while todo:
            current = todo.pop()
            found.append(current)
            todo.extend(self.children.get(current, []))
        return sorted(found)

    def roots(self) -> list[str]:
        """The top categories (methods, applications, challenges)."""
        top = str(SKG["Category"])
        return [iri for iri, node in self.nodes.items() if node.parent in (None, top)]


def category_tree(store: ox.Store) -> CategoryTree:
    """The categories of the store's taxonomy scheme, with labels and parents."""
    tree = CategoryTree()
    for row in run(store, "categories"):
        iri = row["category"].value
        parent = _text(row["parent"])
        tree.nodes[iri] = CategoryNode(iri, _text(row["label"]) or iri, parent)
        tree.children[parent].append(iri)
    return tree

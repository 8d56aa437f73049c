"""Clustering table rows into papers, and matching them with the papers already curated.

Rows that share an identifier or a normalised title are one paper (union-find). A row that
gives only a short name and no link ("Self-Instruct") joins the one paper whose title, or
whose title's part before the colon, is that name; with no such single paper it becomes an
incomplete record of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from synthkg.importers.identifiers import PROPERTY, Identifier
from synthkg.importers.markdown import TableRow
from synthkg.importers.titles import head_key, is_short_name, title_key
from synthkg.importers.venues import Venue
from synthkg.namespaces import SKG


@dataclass(frozen=True)
class ImportRow:
    """A table row with what the importer made of it."""

    row: TableRow
    category: URIRef
    identifier: Identifier | None
    year: str | None
    venue: Venue | None

    @property
    def is_short_name(self) -> bool:
        return self.identifier is None and is_short_name(self.row.title)


@dataclass
class Cluster:
    """The rows of one paper; ``existing`` is the curated paper they matched, if any."""

    rows: list[ImportRow]
    existing: URIRef | None = None
    short_rows: list[ImportRow] = field(default_factory=list)
    ambiguous: list[URIRef] = field(default_factory=list)

    @property
    def all_rows(self) -> list[ImportRow]:
        return sorted(self.rows + self.short_rows, key=lambda r: r.row.line)

    @property
    def is_stub(self) -> bool:
        return not self.rows

    def identifiers(self) -> list[Identifier]:
        """Every identifier of the rows, first spelling of each kept, in row order."""
        seen: dict[Identifier, Identifier] = {}
        for item in self.all_rows:
            if item.identifier is not None and item.identifier not in seen:
                seen[item.identifier] = item.identifier
        return list(seen.values())


class ExistingPapers:
    """The curated papers, indexed by identifier, title and short name."""

    def __init__(self, graph: Graph) -> None:
        self.iris: set[URIRef] = set()
        # Papers a curator removed: their record keeps title and identifiers, so a later
        # import recognises them and does not bring them back.
        self.removed: set[URIRef] = set()
        self.by_identifier: dict[tuple[str, str], URIRef] = {}
        self.by_title: dict[str, set[URIRef]] = {}
        self.by_head: dict[str, set[URIRef]] = {}
        self.by_short_name: dict[str, set[URIRef]] = {}
        papers = [(p, False) for p in graph.subjects(RDF.type, SKG["Paper"])]
        papers += [(p, True) for p in graph.subjects(RDF.type, SKG["RemovedPaper"])]
        for paper, removed in papers:
            if not isinstance(paper, URIRef):
                continue
            self.iris.add(paper)
            if removed:
                self.removed.add(paper)
            for scheme, prop in PROPERTY.items():
                for value in graph.objects(paper, prop):
                    self.by_identifier.setdefault((scheme, str(value)), paper)
            for title in graph.objects(paper, DCTERMS.title):
                self.by_title.setdefault(title_key(str(title)), set()).add(paper)
                if head_key(str(title)):
                    self.by_head.setdefault(head_key(str(title)), set()).add(paper)
            for name in graph.objects(paper, SKG["shortName"]):
                self.by_short_name.setdefault(title_key(str(name)), set()).add(paper)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, key: Hashable) -> Hashable:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: Hashable, b: Hashable) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller key wins, so the result does not depend on the order of calls.
            low, high = sorted((root_a, root_b), key=repr)
            self.parent[high] = low


def _single(candidates: Iterable[URIRef | int]) -> URIRef | int | None:
    found = set(candidates)
    return next(iter(found)) if len(found) == 1 else None


def cluster_rows(rows: list[ImportRow], existing: ExistingPapers) -> list[Cluster]:
    """Group rows into papers and attach each group to the curated paper it matches."""
    full = [r for r in rows if not r.is_short_name]
    sets = _UnionFind()
    for index, item in enumerate(full):
        node = ("row", index)
        sets.union(node, ("title", title_key(item.row.title)))
        if item.identifier is not None:
            key = (item.identifier.scheme, item.identifier.value)
            sets.union(node, ("id", *key))
            if key in existing.by_identifier:
                sets.union(node, ("paper", str(existing.by_identifier[key])))
        for paper in existing.by_title.get(title_key(item.row.title), ()):
            sets.union(node, ("paper", str(paper)))
    groups: dict[Hashable, list[ImportRow]] = {}
    for index, item in enumerate(full):
        groups.setdefault(sets.find(("row", index)), []).append(item)
    clusters = [Cluster(rows=group) for group in groups.values()]
    papers_of: dict[Hashable, list[URIRef]] = {}
    for key in list(sets.parent):
        if key[0] == "paper":
            papers_of.setdefault(sets.find(key), []).append(URIRef(key[1]))
    for root, cluster in zip(groups, clusters, strict=True):
        matched = sorted(papers_of.get(root, []))
        if matched:
            cluster.existing = matched[0]
            cluster.ambiguous = matched[1:]
    _attach_short_names(rows, clusters, existing)
    return sorted(clusters, key=lambda c: c.all_rows[0].row.line)


def _attach_short_names(
    rows: list[ImportRow], clusters: list[Cluster], existing: ExistingPapers
) -> None:
    """Short-name rows join the one paper they name, or form an incomplete record."""
    names: dict[str, list[ImportRow]] = {}
    for item in rows:
        if item.is_short_name:
            names.setdefault(title_key(item.row.title), []).append(item)
    by_existing = {c.existing: c for c in clusters if c.existing is not None}
    new = [c for c in clusters if c.existing is None]
    for key, group in names.items():
        target = _short_name_target(key, clusters, new, existing)
        if isinstance(target, int):
            new[target].short_rows.extend(group)
        elif isinstance(target, URIRef):
            cluster = by_existing.get(target)
            if cluster is None:
                cluster = by_existing[target] = Cluster(rows=[], existing=target)
                clusters.append(cluster)
            cluster.short_rows.extend(group)
        else:
            clusters.append(Cluster(rows=[], short_rows=list(group)))


def _short_name_target(
    key: str, clusters: list[Cluster], new: list[Cluster], existing: ExistingPapers
) -> URIRef | int | None:
    """The paper a short name names: first by whole title, then by the part before the
    colon or a recorded short name; only a single match counts."""

    def new_matches(keyer: Callable[[str], str]) -> list[int]:
        return [i for i, c in enumerate(new) if any(keyer(r.row.title) == key for r in c.rows)]

    exact: list[URIRef | int] = [*existing.by_title.get(key, ()), *new_matches(title_key)]
    if exact:
        return _single(exact)
    partial: list[URIRef | int] = [
        *existing.by_head.get(key, ()),
        *existing.by_short_name.get(key, ()),
        *new_matches(head_key),
    ]
    return _single(partial)


def choose(values: list[tuple[bool, str]]) -> str | None:
    """The value to keep among the rows' ``(peer_reviewed, value)``: peer-reviewed rows
    first, then the most frequent value, then the first row's."""
    if not values:
        return None
    preferred = [v for reviewed, v in values if reviewed] or [v for _, v in values]
    counts = Counter(preferred)
    best = max(counts.values())
    return next(v for v in preferred if counts[v] == best)

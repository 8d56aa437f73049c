"""The taxonomy as the served store gives it, with paper counts that include every
subcategory (one query each for the categories and the counts, kept per data version)."""

from __future__ import annotations

from dataclasses import dataclass, field

from synthkg.namespaces import SKG
from synthkg.taxonomy import APPLICATION_ROOT, CATEGORY_ROOT, CHALLENGE_ROOT, METHOD_ROOT
from synthkg.web import page_queries as pq

ROOTS = (str(METHOD_ROOT), str(APPLICATION_ROOT), str(CHALLENGE_ROOT))


@dataclass
class Node:
    """One category: label, parent, children in the survey's order, papers below it."""

    iri: str
    label: str
    parent: str | None
    first_line: int | None
    papers: int = 0
    children: list[Node] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The local name, as in ``/taxonomy/<name>``."""
        return self.iri.removeprefix(str(SKG))

    @property
    def depth(self) -> int:
        return 0 if self.parent in (None, str(CATEGORY_ROOT)) else 1

    def walk(self) -> list[Node]:
        """This category and every one below it, depth first."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found

    def sort_key(self) -> tuple[int, str]:
        lines = [n.first_line for n in self.walk() if n.first_line is not None]
        return (min(lines) if lines else 10**9, self.label.casefold())


@dataclass
class Tree:
    nodes: dict[str, Node]
    roots: list[Node]

    def get(self, name: str) -> Node | None:
        return self.nodes.get(str(SKG) + name)

    def path(self, node: Node) -> list[Node]:
        """The ancestors of a category, top first (``skg:Category`` left out)."""
        chain: list[Node] = []
        current = self.nodes.get(node.parent or "")
        while current is not None:
            chain.insert(0, current)
            current = self.nodes.get(current.parent or "")
        return chain

    def under(self, root: str, depth: int) -> list[Node]:
        """The categories ``depth`` levels below a root (1 = its children)."""
        level = [self.nodes[root]] if root in self.nodes else []
        for _ in range(depth):
            level = [child for node in level for child in node.children]
        return level


def load_tree(store: object) -> Tree:
    """Read the taxonomy and the counts from the store."""
    nodes: dict[str, Node] = {}
    for row in pq.select(store, "taxonomy-categories"):
        iri = row["category"].value
        line = row["firstLine"]
        nodes[iri] = Node(
            iri=iri,
            label=pq.text(row["label"]) or iri,
            parent=pq.text(row["parent"]),
            first_line=int(line.value) if line is not None else None,
        )
    for row in pq.select(store, "taxonomy-counts"):
        node = nodes.get(row["category"].value)
        if node is not None:
            node.papers = pq.number(row["papers"])
    for node in nodes.values():
        parent = nodes.get(node.parent or "")
        if parent is not None:
            parent.children.append(node)
    for node in nodes.values():
        node.children.sort(key=Node.sort_key)
    roots = [nodes[iri] for iri in ROOTS if iri in nodes]
    return Tree(nodes=nodes, roots=roots)


def current_tree() -> Tree:
    """The served store's taxonomy, computed once per data version."""
    from synthkg.web.app import state

    return pq.per_version("tree", lambda: load_tree(state().store))

"""Markdown export: the awesome-list tables regenerated from the graph.

One heading per category, in the survey's order, and one table (Paper Title | Year |
Conference/Journal) under every category that has papers, each title linked to the paper's
best identifier IRI. The order is read from the provenance, not from an annotation: the
source documents are ranked by their number of rows (the fullest list first), a category
sorts by the first line at which each document lists it (a parent by its first child),
and a paper within a table by the first line at which each document lists it there; what
no document lists comes last, by label or title. Importing the output with
``synthkg import`` gives back the same papers and the same paper-to-category links.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache

import pyoxigraph as ox

from synthkg.export.records import CategoryTree, PaperRecord, category_tree, paper_records, run

DEFAULT_TITLE = "SynthKG: Synthetic Data Generation Papers"
HEADER = "| Paper Title | Year | Conference/Journal |"
RULE = "| --- | --- | --- |"
Position = tuple[float, ...]


class SurveyOrder:
    """Positions of categories and papers in the source documents."""

    def __init__(self, store: ox.Store, tree: CategoryTree) -> None:
        documents = run(store, "documents")
        self.title = next((r["title"].value for r in documents if r["title"] is not None), None)
        rank = {row["document"].value: index for index, row in enumerate(documents)}
        self.size = len(rank)
        self.tree = tree
        self._category: dict[str, dict[int, int]] = defaultdict(dict)
        self._paper: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
        for row in run(store, "row-positions"):
            doc = rank[row["document"].value]
            category, line = row["category"].value, int(row["first"].value)
            seen = self._category[category]
            seen[doc] = min(seen.get(doc, line), line)
            if row["paper"] is not None:
                self._paper[(category, row["paper"].value)][doc] = line

    def _vector(self, lines: dict[int, int]) -> Position:
        return tuple(float(lines[d]) if d in lines else math.inf for d in range(self.size))

    @cache  # noqa: B019 - one instance per export, dropped with it
    def category_key(self, iri: str) -> tuple[Position, str]:
        own = self._vector(self._category.get(iri, {}))
        below = [self.category_key(child)[0] for child in self.tree.children.get(iri, [])]
        first = tuple(min(values) for values in zip(own, *below, strict=True))
        return first, self.tree.label(iri).casefold()

    def paper_key(self, category: str, record: PaperRecord) -> tuple[Position, str, str]:
        lines = self._paper.get((category, record.iri), {})
        return self._vector(lines), record.title.casefold(), record.iri


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table_row(record: PaperRecord) -> str:
    title = _cell(record.title)
    if record.best_link:
        title = f"[{title}]({record.best_link.replace(' ', '%20').replace(')', '%29')})"
    year = record.year or "-"
    venue = _cell(record.venue.label) if record.venue else "-"
    return f"| {title} | {year} | {venue} |"


def render_store(store: ox.Store) -> bytes:
    """The Markdown list of every paper of the store."""
    tree = category_tree(store)
    records = paper_records(store)
    order = SurveyOrder(store, tree)
    by_category: dict[str, list[PaperRecord]] = defaultdict(list)
    for record in records:
        for category in record.all_categories():
            by_category[category].append(record)
    lines = [
        f"# {order.title or DEFAULT_TITLE}",
        "",
        "Generated from the SynthKG graph (`synthkg export --format markdown`).",
    ]

    def section(iri: str, number: str, depth: int) -> None:
        lines.extend(["", f"{'#' * min(depth + 2, 6)} {number} {_cell(tree.label(iri))}"])
        papers = by_category.get(iri, [])
        if papers:
            lines.extend(["", HEADER, RULE])
            papers = sorted(papers, key=lambda r: order.paper_key(iri, r))
            lines.extend(table_row(record) for record in papers)
        children = sorted(tree.children.get(iri, []), key=order.category_key)
        for index, child in enumerate(children, start=1):
            section(child, f"{number.rstrip('.')}.{index}", depth + 1)

    for index, root in enumerate(sorted(tree.roots(), key=order.category_key), start=1):
        section(root, f"{index}.", 0)
    return ("\n".join(lines) + "\n").encode("utf-8")

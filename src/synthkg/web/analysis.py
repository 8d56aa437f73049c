"""Trends across the graph: ``/analysis`` (papers per year per top category, the
method x application heatmap, preprint vs peer-reviewed share per category) and
``/analysis/papers?method=X&application=Y`` (the papers of one heatmap cell)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from synthkg.namespaces import SKG
from synthkg.taxonomy import APPLICATION_ROOT, METHOD_ROOT
from synthkg.web import charts
from synthkg.web import page_queries as pq
from synthkg.web.listing import Paging, listing
from synthkg.web.tree import Node, Tree, current_tree

VENUE_KINDS = (
    ("peer-reviewed", "Peer-reviewed", "#0072b2"),
    ("preprint", "Preprint", "#e69f00"),
    ("unknown", "Venue unknown", "#999999"),
)


@dataclass
class Heatmap:
    """Rows: method categories (second level, each followed by its leaves); columns:
    application categories of the second level; cells: distinct papers under both."""

    rows: list[Node]
    columns: list[Node]
    cells: dict[tuple[str, str], int]
    peak: int

    def count(self, row: Node, column: Node) -> int:
        return self.cells.get((row.iri, column.iri), 0)

    def shade(self, count: int) -> int:
        """The cell's colour intensity, 0 (empty) to 8 (the fullest cell); on a square-root
        scale, so that small counts stay visible next to large ones."""
        if not count or not self.peak:
            return 0
        return max(1, min(8, round(8 * (count / self.peak) ** 0.5)))

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.rows for c in self.columns if not self.count(r, c))


def _heatmap(store: Any, tree: Tree) -> Heatmap:
    rows = [n for group in tree.under(str(METHOD_ROOT), 1) for n in group.walk()]
    columns = tree.under(str(APPLICATION_ROOT), 2)
    cells = {
        (r["method"].value, r["application"].value): pq.number(r["papers"])
        for r in pq.select(store, "analysis-heatmap")
    }
    shown = [cells.get((r.iri, c.iri), 0) for r in rows for c in columns]
    return Heatmap(rows=rows, columns=columns, cells=cells, peak=max(shown, default=0))


def _years(store: Any, tree: Tree) -> dict[str, Any]:
    counts: dict[tuple[str, str], int] = {}
    for row in pq.select(store, "analysis-years"):
        counts[(row["root"].value, row["year"].value)] = pq.number(row["papers"])
    years = sorted({year for _, year in counts})
    if years and int(years[-1]) - int(years[0]) < 60:
        years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    series = [(root.label, [counts.get((root.iri, y), 0) for y in years]) for root in tree.roots]
    chart = None
    if years:
        chart = charts.grouped_bars(
            years,
            series,
            title="Papers per year in each top category",
            desc="; ".join(
                f"{name}: " + ", ".join(f"{y} {v}" for y, v in zip(years, values, strict=True) if v)
                for name, values in series
            ),
        )
    return {"years": years, "series": series, "chart": chart}


def _shares(store: Any, tree: Tree) -> dict[str, Any]:
    counts: dict[tuple[str, str], int] = {}
    for row in pq.select(store, "analysis-venue-kinds"):
        counts[(row["category"].value, row["kind"].value)] = pq.number(row["papers"])
    rows = []
    for root in tree.roots:
        for node in [root, *root.children]:
            values = [counts.get((node.iri, key), 0) for key, _, _ in VENUE_KINDS]
            if sum(values):
                rows.append((node, values))
    chart = None
    if rows:
        chart = charts.stacked_shares(
            [(node.label, values, node.depth == 0) for node, values in rows],
            [(label, colour) for _, label, colour in VENUE_KINDS],
            title="Preprint and peer-reviewed share per category",
            desc="; ".join(
                f"{node.label}: "
                + ", ".join(
                    f"{v} {label}" for v, (_, label, _) in zip(values, VENUE_KINDS, strict=True)
                )
                for node, values in rows
            ),
        )
    return {"rows": rows, "chart": chart, "kinds": VENUE_KINDS}


def analysis_page() -> Response:
    """Every analysis on one page, each chart with its numbers as a table."""
    from synthkg.web.app import state

    store = state().store
    tree = current_tree()
    data = pq.per_version(
        "analysis",
        lambda: {
            "trend": _years(store, tree),
            "heatmap": _heatmap(store, tree),
            "shares": _shares(store, tree),
        },
    )
    return Response(render_template("analysis.html", tree=tree, **data), mimetype="text/html")


def cell_page() -> Response:
    """The papers classified under both a method and an application category."""
    from synthkg.web.app import state

    tree = current_tree()
    method = tree.get(request.args.get("method", ""))
    application = tree.get(request.args.get("application", ""))
    if method is None or application is None:
        abort(404)
    paging = Paging.from_request("year")
    papers = listing(
        state().store,
        "cell-papers",
        "cell-papers-count",
        paging,
        extra={"method": method.name, "application": application.name},
        method=ox.NamedNode(str(SKG) + method.name),
        application=ox.NamedNode(str(SKG) + application.name),
    )
    html = render_template("cell.html", method=method, application=application, listing=papers)
    return Response(html, mimetype="text/html")


def register(blueprint: Blueprint) -> None:
    """Add the analysis routes."""
    blueprint.add_url_rule("/analysis", "analysis", analysis_page)
    blueprint.add_url_rule("/analysis/papers", "analysis_cell", cell_page)

"""The taxonomy browser: ``/taxonomy`` (the tree, with counts) and ``/taxonomy/<Name>``
(one category: its subcategories, papers per year, its papers page by page, and the SPARQL
that produced the page)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, url_for

from synthkg.namespaces import SKG
from synthkg.web import charts
from synthkg.web import page_queries as pq
from synthkg.web.listing import Paging
from synthkg.web.paper_index import category_listing
from synthkg.web.tree import current_tree


def taxonomy_page() -> Response:
    """Methods, applications and challenges as an expandable tree."""
    tree = current_tree()
    return Response(render_template("taxonomy.html", tree=tree), mimetype="text/html")


def year_chart(rows: list[tuple[str, int]], label: str):
    """Papers per year as bars (papers without a year are left out of the chart)."""
    dated = [(year, n) for year, n in rows if year]
    if not dated:
        return None
    first, last = int(dated[0][0]), int(dated[-1][0])
    counts = dict(dated)
    years = [str(y) for y in range(first, last + 1)] if last - first < 60 else [y for y, _ in dated]
    return charts.grouped_bars(
        years,
        [("Papers", [counts.get(y, 0) for y in years])],
        title=f"Papers per year: {label}",
        desc=", ".join(f"{y}: {n}" for y, n in dated),
    )


def category_page(name: str) -> Response:
    """One category, its papers (sortable, paged) and the queries behind the page."""
    from synthkg.web.app import state

    tree = current_tree()
    node = tree.get(name)
    if node is None:
        abort(404)
    store = state().store
    category = ox.NamedNode(str(SKG) + name)
    paging = Paging.from_request("year")
    papers = category_listing(store, tree, category.value, paging)
    years = pq.per_version(
        f"category-years:{name}",
        lambda: [
            (pq.text(r["year"]) or "", pq.number(r["papers"]))
            for r in pq.select(store, "category-years", category=category)
        ],
    )
    queries = {
        "Papers (this page)": pq.render("category-papers", category=category, **paging.params()),
        "Number of papers": pq.render("category-papers-count", category=category),
        "Papers per year": pq.render("category-years", category=category),
    }
    html = render_template(
        "category.html",
        node=node,
        path=tree.path(node),
        listing=papers,
        years=years,
        chart=year_chart(years, node.label),
        queries=queries,
        csv_url=url_for("exports.category_csv", name=name),
        iri_url=url_for("pages.ld_ontology", rest=name),
    )
    return Response(html, mimetype="text/html")


def register(blueprint: Blueprint) -> None:
    """Add the taxonomy routes."""
    blueprint.add_url_rule("/taxonomy", "taxonomy", taxonomy_page)
    blueprint.add_url_rule("/taxonomy/<name>", "category", category_page)

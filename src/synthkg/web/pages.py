"""The browser-facing and Linked Data routes: home, editor assets, examples, resource
pages, VoID and dumps, the taxonomy browser, analysis and search. Each area adds its routes
to this one blueprint."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template

from synthkg.web import (
    analysis,
    browse,
    catalogue,
    editor,
    linked_data,
    search,
    void,
)
from synthkg.web import (
    page_queries as pq,
)
from synthkg.web.linked_data import link_for
from synthkg.web.tree import current_tree

blueprint = Blueprint("pages", __name__, template_folder="templates")


def home_facts(store: Any, statements: int) -> dict[str, Any]:
    """What the graph holds and where it comes from (computed once per data version);
    ``statements`` is the number of statements in the store's named graphs."""
    counts = pq.select(store, "home-counts")[0]
    sources = [
        {
            "file": pq.text(row["fileName"]) or row["document"].value,
            "sha256": (pq.text(row["sha256"]) or "")[:12],
            "title": pq.text(row["title"]),
            "rows": pq.number(row["rows"]),
            "href": link_for(row["document"].value, {})["href"],
        }
        for row in pq.select(store, "home-sources")
    ]
    release = pq.select(store, "home-release")
    return {
        "counts": {
            **{
                key: pq.number(counts[key])
                for key in ("papers", "categories", "venues", "identifiers")
            },
            "statements": statements,
        },
        "sources": sources,
        "release": pq.text(release[0]["version"]) if release else None,
        "issued": pq.text(release[0]["issued"]) if release else None,
    }


@blueprint.route("/")
def home() -> Response:
    """What the graph holds, the top of the taxonomy, and links to everything else."""
    from synthkg.web.app import state

    shared = state()
    facts = pq.per_version(
        "home", lambda: home_facts(shared.store, sum(shared.graph_sizes().values()))
    )
    html = render_template(
        "home.html",
        tree=current_tree(),
        version=shared.version,
        modified=shared.modified,
        **facts,
    )
    return Response(html, mimetype="text/html")


editor.register(blueprint)
catalogue.register(blueprint)
linked_data.register(blueprint)
void.register(blueprint)
browse.register(blueprint)
analysis.register(blueprint)
search.register(blueprint)

"""The SPARQL editor page: YASGUI served from the local node_modules, examples as tabs.

Nothing is fetched from the internet at run time: the YASGUI build comes from
``node_modules`` through ``/assets/yasgui/``, and the two autocompleters that would query
Linked Open Vocabularies are switched off in ``static/editor.js``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_from_directory

from synthkg import paths
from synthkg.web.catalogue import cached_examples

YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css", "yasgui.min.js.map")


def yasgui_dir() -> Path:
    """Where the YASGUI build lies (installed by the setup from npm)."""
    return paths.NODE_MODULES_DIR / "@zazuko" / "yasgui" / "build"


def yasgui_missing() -> list[str]:
    """The YASGUI files the editor needs and cannot find."""
    return [name for name in YASGUI_FILES[:2] if not (yasgui_dir() / name).is_file()]


def render_editor() -> Response:
    """The editor page for a browser GET of ``/sparql`` without a query."""
    missing = yasgui_missing()
    if missing:
        html = render_template("setup_missing.html", folder=str(yasgui_dir()), missing=missing)
        return Response(html, 500, mimetype="text/html")
    examples = [
        {"name": e.name, "label": e.label, "comment": e.comment, "query": e.query}
        for e in cached_examples()
    ]
    selected = request.args.get("example", "")
    html = render_template(
        "editor.html",
        examples=examples,
        selected=selected,
        sparql_path=request.script_root + "/sparql",
    )
    response = Response(html, mimetype="text/html")
    response.vary.add("Accept")
    return response


def yasgui_asset(filename: str) -> Response:
    """One file of the YASGUI build, served locally."""
    if filename not in YASGUI_FILES or not (yasgui_dir() / filename).is_file():
        abort(404)
    response = send_from_directory(yasgui_dir(), filename, max_age=86400)
    return response


def register(blueprint: Blueprint) -> None:
    """Add the asset route (``/sparql`` itself belongs to the protocol routes)."""
    blueprint.add_url_rule("/assets/yasgui/<path:filename>", "yasgui_asset", yasgui_asset)

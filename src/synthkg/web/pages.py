"""The browser-facing and Linked Data routes: home, editor assets, examples, resource
pages, VoID and dumps. Each area adds its routes to this one blueprint."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from synthkg.web import catalogue, editor, linked_data, void

blueprint = Blueprint("pages", __name__, template_folder="templates")


@blueprint.route("/")
def home() -> Response:
    """A short page linking everything the server offers."""
    return Response(render_template("home.html"), mimetype="text/html")


editor.register(blueprint)
catalogue.register(blueprint)
linked_data.register(blueprint)
void.register(blueprint)

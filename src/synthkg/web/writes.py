"""Curator writes over HTTP: SPARQL Update and the Graph Store Protocol, behind tokens.

Disabled unless ``SYNTHKG_WRITE_TOKENS`` maps at least one bearer token to a curator name
(the routes then answer 404). Routes:

* ``POST /sparql/update``: an ``application/sparql-update`` body, or a form with ``update``;
* ``PUT``/``POST``/``DELETE /rdf-graphs/service?graph=<data graph>``: replace, add to or empty
  the curated graph with a Turtle (or N-Triples) body.

A request without a token gets 401, a wrong token 403. The routes carry no CORS headers, so
no web page on another origin can call them from a browser. Each write is validated, atomic
and recorded by ``synthkg.curator_store``; then the served store is rebuilt from the files
(a fresh directory swapped in) and its new data version becomes visible to every worker: each
request of a server with writes enabled compares the store's stamp with the version it
serves and reopens the store when they differ.
"""

from __future__ import annotations

import hmac
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Blueprint, Response, current_app, request

from synthkg.backends.embedded import RunnerStore
from synthkg.errors import InputError, WriteRefused
from synthkg.namespaces import GRAPH
from synthkg.store import prepare_store_apart, stored_version
from synthkg.web.app import state

if TYPE_CHECKING:
    from synthkg.curator_store import CuratedFiles, WriteResult

blueprint = Blueprint("writes", __name__)

MAX_WRITE_BYTES = 10_000_000
DATA_GRAPH = str(GRAPH["data"])
GRAPH_TYPES = ("text/turtle", "application/n-triples")
_reopening = threading.Lock()


def _text(status: int, message: str, **headers: str) -> Response:
    response = Response(message.rstrip() + "\n", status, mimetype="text/plain")
    response.headers.update(headers)
    return response


def _tokens() -> dict[str, str]:
    return dict(current_app.config.get("SYNTHKG_WRITE_TOKENS") or {})


def _curator() -> str | Response:
    """The curator named by the request's bearer token, or the refusal to answer with."""
    tokens = _tokens()
    if not tokens:
        return _text(404, "curator writes are disabled on this server")
    if not current_app.config.get("SYNTHKG_STORE") or current_app.config.get("SYNTHKG_IN_MEMORY"):
        return _text(503, "curator writes need the persistent store (SYNTHKG_STORE)")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return _text(
            401, "a bearer token is required", **{"WWW-Authenticate": 'Bearer realm="synthkg"'}
        )
    for token, name in tokens.items():
        if hmac.compare_digest(token.encode(), given.strip().encode()):
            return name
    return _text(403, "this token may not write")


def _files() -> CuratedFiles:
    # Imported on the first write: the files' editor brings rdflib, the importers and the
    # SHACL validator, which a read-only server would otherwise hold in every process.
    from synthkg.curator_store import CuratedFiles

    return CuratedFiles.default(current_app.config.get("SYNTHKG_AUDIT_LOG"))


def _body() -> bytes | Response:
    length = request.content_length
    if length is not None and length > MAX_WRITE_BYTES:
        return _text(413, f"request body too large: {length} bytes")
    data = request.get_data(cache=True)
    if len(data) > MAX_WRITE_BYTES:
        return _text(413, f"request body too large: {len(data)} bytes")
    return data


def rebuild_store(folder: Path) -> str:
    """Rebuild the served store from the files; return its data version.

    The build runs in a freshly spawned process (see ``prepare_store_apart``): this web
    worker forks query processes and must not start the storage engine's threads itself.
    """
    try:
        return prepare_store_apart(folder).version
    except (InputError, OSError) as failure:
        raise WriteRefused(500, f"the store could not be rebuilt: {failure}") from failure


def _committed(result: WriteResult) -> Response:
    version = rebuild_store(Path(current_app.config["SYNTHKG_STORE"]))
    refresh()
    document = {
        "id": result.write_id,
        "added": result.added,
        "removed": result.removed,
        "files": result.changed_files,
        "data_version": version,
    }
    return Response(json.dumps(document) + "\n", 200, mimetype="application/json")


@blueprint.route("/sparql/update", methods=["POST"])
def update() -> Response:
    """Apply a SPARQL Update to the curated graph."""
    curator = _curator()
    if isinstance(curator, Response):
        return curator
    body = _body()
    if isinstance(body, Response):
        return body
    if request.mimetype == "application/sparql-update":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _text(400, "update body is not UTF-8")
    elif request.mimetype == "application/x-www-form-urlencoded":
        updates = request.form.getlist("update")
        if len(updates) != 1:
            return _text(400, "send exactly one update parameter")
        text = updates[0]
    else:
        return _text(415, "POST application/sparql-update or a form with an update parameter")
    try:
        return _committed(_files().update(text, curator))
    except WriteRefused as refusal:
        return _text(refusal.status, str(refusal))


@blueprint.route("/rdf-graphs/service", methods=["PUT", "POST", "DELETE"])
def graph_store() -> Response:
    """The Graph Store Protocol on the curated data graph."""
    curator = _curator()
    if isinstance(curator, Response):
        return curator
    if "default" in request.args:
        return _text(400, "the default graph is the read-only union; write graph=" + DATA_GRAPH)
    graphs = request.args.getlist("graph")
    if graphs != [DATA_GRAPH]:
        return _text(404, f"only the curated data graph <{DATA_GRAPH}> can be written")
    try:
        if request.method == "DELETE":
            return _committed(_files().clear(curator))
        if request.mimetype not in GRAPH_TYPES:
            return _text(415, f"send the graph as {' or '.join(GRAPH_TYPES)}")
        body = _body()
        if isinstance(body, Response):
            return body
        merge = request.method == "POST"
        return _committed(_files().replace(body, curator, merge=merge))
    except WriteRefused as refusal:
        return _text(refusal.status, str(refusal))


@blueprint.before_app_request
def reopen_when_rebuilt() -> None:
    """With writes enabled, serve the newest store: reopen it when its stamp changed."""
    if _tokens():
        refresh()


def refresh() -> None:
    """Reopen the served store if a write rebuilt it since this process opened it."""
    shared = state()
    folder = current_app.config.get("SYNTHKG_STORE")
    if shared.store_path is None or not folder:
        return
    stamp = stored_version(Path(folder))
    if stamp is None or stamp == shared.version:
        return
    with _reopening:
        if stamp == shared.version:
            return
        if shared.pool is not None:
            shared.pool.renew()
        shared.store = RunnerStore(shared.pool)  # a new object: nothing kept for the old
        shared.version = stamp
        shared.modified = datetime.now(UTC).replace(microsecond=0)
        shared._graphs = None
        if shared.backend is not None and getattr(shared.backend, "kind", "") == "embedded":
            shared.backend = type(shared.backend)(shared.store, shared.pool)

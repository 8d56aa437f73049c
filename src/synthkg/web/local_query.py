"""Running a query on the local store from the command line (``synthkg query``).

The same checks and writers as the endpoint, without the HTTP layer and without the query
process: a local user may interrupt the command, and SERVICE calls are theirs to make.
"""

from __future__ import annotations

from pathlib import Path

from synthkg.errors import InputError
from synthkg.store import open_store, prepare_store
from synthkg.web import negotiation
from synthkg.web.limits import MAX_NESTING, inspect_query
from synthkg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, AnswerFormat
from synthkg.web.results import Answer, QueryJob, run_query


def _pick(fmt: str | None, offers: tuple[AnswerFormat, ...], default: str) -> str | None:
    try:
        return negotiation.by_parameter(fmt or default, offers).name
    except negotiation.NotAcceptable:
        return None
    except negotiation.UnknownFormat as error:
        raise InputError(str(error)) from None


def query_store(
    sparql: str, fmt: str | None = None, store_dir: Path | None = None, max_rows: int = 1_000_000
) -> Answer:
    """The complete answer to a query on the persistent store (built first when stale)."""
    info = inspect_query(sparql)
    if info.depth > MAX_NESTING:
        raise InputError(f"query nested too deeply: depth {info.depth} (limit {MAX_NESTING})")
    if info.update:
        raise InputError("SPARQL Update is not supported: edit the files in data/ instead")
    result_format = _pick(fmt, RESULT_FORMATS, "csv")
    graph_format = _pick(fmt, GRAPH_FORMATS, "turtle")
    if info.form in ("SELECT", "ASK") and result_format is None:
        raise InputError(f"format {fmt!r} cannot express {info.form} results")
    if info.form in ("CONSTRUCT", "DESCRIBE") and graph_format is None:
        raise InputError(f"format {fmt!r} cannot express an RDF graph")
    store = open_store(prepare_store(store_dir), in_memory=False)
    job = QueryJob(
        query=sparql,
        result_format=result_format,
        graph_format=graph_format,
        max_rows=max_rows,
        union_default_graph=not info.has_dataset,
    )
    answer = run_query(store, job)
    if answer.status != 200:
        raise InputError(answer.body.decode("utf-8", "replace").strip())
    return answer

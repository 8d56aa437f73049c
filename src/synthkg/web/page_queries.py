"""The SPARQL behind the browsing pages: named templates in ``queries/pages/``.

A template names its parameters ``${name}``. Every value put in is an RDF term written in
its N-Triples form (which pyoxigraph escapes), a whole number, or an ORDER BY clause chosen
from a fixed list, so what a visitor types never becomes SPARQL syntax. The pages run these
trusted queries on the app's store (an in-memory Oxigraph store, the query processes' view
of an on-disk one, or the remote adapter), and results that depend only on the data are
kept per data version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from string import Template
from typing import Any, TypeVar

import pyoxigraph as ox

from synthkg import paths

PAGE_QUERIES_DIR = paths.QUERIES_DIR / "pages"
T = TypeVar("T")

# The paper-list orders a visitor may choose: ?sort= and ?order= pick one of these.
ORDERS: dict[str, str] = {
    "year": '${dir}(?year) LCASE(COALESCE(?title, "")) ?paper',
    "venue": '${dir}(LCASE(COALESCE(?venueLabel, ""))) DESC(?year) ?paper',
    "title": '${dir}(LCASE(COALESCE(?title, ""))) ?paper',
}


class Fragment(str):
    """A piece of SPARQL built by this module from fixed text (never from a visitor)."""


Param = ox.NamedNode | ox.Literal | int | Fragment


@cache
def template(name: str) -> Template:
    """The text of ``queries/pages/<name>.rq`` as a template."""
    return Template((PAGE_QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8"))


def _render_value(value: Param) -> str:
    if isinstance(value, bool):
        raise TypeError("a query parameter cannot be a boolean")
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, (ox.NamedNode, ox.Literal, Fragment)):
        return str(value)
    raise TypeError(f"unsupported query parameter {value!r}")


def render(name: str, **params: Param) -> str:
    """The query text with its parameters filled in."""
    return template(name).substitute({key: _render_value(v) for key, v in params.items()})


def order_clause(sort: str, descending: bool) -> Fragment:
    """The ORDER BY clause of a paper list (``sort`` must be a key of ``ORDERS``)."""
    return Fragment(Template(ORDERS[sort]).substitute(dir="DESC" if descending else "ASC"))


def select(store: Any, name: str, **params: Param) -> list[ox.QuerySolution]:
    """The solutions of a page query over the union of the store's graphs."""
    return list(store.query(render(name, **params), use_default_graph_as_union=True))


def text(term: Any) -> str | None:
    """A term's lexical value, ``None`` for an unbound variable."""
    return None if term is None else str(term.value)


def number(term: Any) -> int:
    return int(term.value) if term is not None else 0


_lock = threading.Lock()
_memo: dict[tuple[int, str], dict[str, Any]] = {}


def per_version(key: str, compute: Callable[[], T]) -> T:
    """A value computed once per served data version (the store never changes meanwhile).

    A store built on disk brings the values its build computed (``page_data``); only the
    ones missing there are computed here.
    """
    from synthkg.web.app import state

    shared = state()
    slot = (id(shared.store), shared.version)
    with _lock:
        values = _values_of(shared, slot)
        if key in values:
            return values[key]
    value = compute()
    with _lock:
        # Kept only if the data version it was computed for is still the one served.
        if slot in _memo:
            _memo[slot][key] = value
    return value


def load_saved_values() -> int:
    """Keep the current app's saved per-version values now (a gunicorn master does this
    before forking its workers); returns how many there were."""
    from synthkg.web.app import state

    shared = state()
    with _lock:
        return len(_values_of(shared, (id(shared.store), shared.version)))


def take_values(shared: Any) -> dict[str, Any]:
    """The values kept for the app state's current version (and forget them here)."""
    with _lock:
        return _memo.pop((id(shared.store), shared.version), {})


def _values_of(shared: Any, slot: tuple[int, str]) -> dict[str, Any]:
    # Called with the lock held.
    values = _memo.get(slot)
    if values is None:
        _memo.clear()  # one data version at a time
        values = _memo[slot] = _saved_values(shared.store_dir, slot[1])
    return values


def _saved_values(store_dir: Path | None, version: str) -> dict[str, Any]:
    if store_dir is None:
        return {}
    from synthkg.web.page_data import read_page_data

    return read_page_data(store_dir, version)

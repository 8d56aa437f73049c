"""Derived triples: facts computed from the curated graph when a store is built.

Each ``queries/derived/*.rq`` is a CONSTRUCT over the ontology and data; what they build goes
into its own named graph (``graph/derived``), so the curated files stay the only source of
truth and the derived facts can be told apart. Today they give the paper identifiers under
Wikidata's properties (arXiv P818, DOI P356 in upper case, OpenReview P8968, and the DBLP,
OpenAlex and Semantic Scholar IDs of linked papers), so a federated query joins on the same
literal as Wikidata.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from synthkg import paths

DERIVED_QUERIES_DIR = paths.QUERIES_DIR / "derived"


def derived_queries(folder: Path | None = None) -> list[Path]:
    """The CONSTRUCT queries, in a stable order."""
    return sorted((folder or DERIVED_QUERIES_DIR).glob("*.rq"))


def derived_triples(store: ox.Store) -> list[ox.Triple]:
    """Every triple the derived queries construct over the store (graphs as one union),
    without duplicates, sorted."""
    found: set[ox.Triple] = set()
    for query in derived_queries():
        text = query.read_text(encoding="utf-8")
        found.update(store.query(text, use_default_graph_as_union=True))
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def add_derived(store: ox.Store, graph: ox.NamedNode) -> int:
    """Compute the derived triples and put them into ``graph`` (replacing what it held).
    Returns how many there are."""
    if graph in set(store.named_graphs()):
        store.clear_graph(graph)
    triples = derived_triples(store)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return len(triples)

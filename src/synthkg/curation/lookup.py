"""Finding papers: duplicates of a new paper, and the paper a curator names."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from synthkg.curation.records import paper_local
from synthkg.errors import InputError
from synthkg.importers.identifiers import Identifier
from synthkg.importers.merge import ExistingPapers
from synthkg.importers.titles import title_key
from synthkg.namespaces import PAPER, SKG

REMOVED = SKG["RemovedPaper"]


def describe(graph: Graph, paper: URIRef) -> str:
    """``paper:arxiv-2505.03335 "Absolute zero: …"``, for messages."""
    title = graph.value(paper, DCTERMS.title)
    return f'paper:{paper_local(paper)} "{title}"' if title else f"paper:{paper_local(paper)}"


def check_not_duplicate(
    graph: Graph, identifier: Identifier | None, title: str | None, ignore: URIRef | None = None
) -> None:
    """Refuse an identifier or title that a paper (or a removed paper's record) already has,
    naming that paper."""
    existing = ExistingPapers(graph)
    if identifier is not None:
        found = existing.by_identifier.get((identifier.scheme, identifier.value))
        if found is not None and found != ignore:
            if found in existing.removed:
                raise InputError(
                    f"{identifier.scheme} {identifier.value} belonged to "
                    f"{describe(graph, found)}, removed earlier ({removal_reason(graph, found)})"
                )
            raise InputError(
                f"{identifier.scheme} {identifier.value} is already in the graph as "
                f"{describe(graph, found)}; use `synthkg edit` to change it"
            )
    if title:
        matches = sorted(p for p in existing.by_title.get(title_key(title), ()) if p != ignore)
        if matches:
            status = " (removed earlier)" if matches[0] in existing.removed else ""
            raise InputError(
                "a paper with this title is already in the graph: "
                f"{describe(graph, matches[0])}{status}"
            )


def removal_reason(graph: Graph, removed: URIRef) -> str:
    """Why a curator removed a paper, as its removal record says."""
    return str(graph.value(graph.value(removed, PROV.wasInvalidatedBy), SKG["reason"]))


def find_paper(graph: Graph, reference: str) -> URIRef:
    """The paper a curator names: its IRI, ``paper:local``, local name or an identifier
    (arXiv ID, DOI, URL)."""
    from synthkg.curation.paper import parse_identifier

    text = reference.strip()
    local = text.removeprefix("paper:").removeprefix(str(PAPER))
    candidate = PAPER[local]
    if (candidate, RDF.type, SKG["Paper"]) in graph:
        return candidate
    if (candidate, RDF.type, REMOVED) in graph:
        raise InputError(f"{describe(graph, candidate)} was removed already")
    try:
        identifier = parse_identifier(text)
    except InputError:
        identifier = None
    if identifier is not None:
        found = ExistingPapers(graph).by_identifier.get((identifier.scheme, identifier.value))
        if found is not None and (found, RDF.type, REMOVED) in graph:
            raise InputError(f"{describe(graph, found)} was removed already")
        if found is not None:
            return found
    raise InputError(f"no paper {reference!r} in the graph (give paper:<name> or an identifier)")

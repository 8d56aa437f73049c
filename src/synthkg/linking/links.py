"""The links file (``data/links.ttl``): each link as a plain triple and as a record with
its provenance.

An identifier match (same arXiv ID or DOI) is ``owl:sameAs``; a title match is the looser
``skos:exactMatch`` (same normalised title, which two different works can share). The
record is an OWL axiom annotation with SSSOM mapping metadata::

    <https://w3id.org/synthkg/link/arxiv-2401.00001/wikidata-Q901> a owl:Axiom ;
        owl:annotatedSource paper:arxiv-2401.00001 ;
        owl:annotatedProperty owl:sameAs ;
        owl:annotatedTarget <http://www.wikidata.org/entity/Q901> ;
        sssom:subject_match_field skg:arxivId ;
        sssom:match_string "2401.00001" ;
        sssom:mapping_justification semapv:LexicalMatching ;
        sssom:confidence 1.0 ;
        sssom:mapping_date "2025-01-31"^^xsd:date ;
        sssom:mapping_provider <http://127.0.0.1:7878/query> ;
        sssom:mapping_tool "synthkg link" .
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

from synthkg.graph import new_graph, parse_files
from synthkg.linking.state import Match
from synthkg.namespaces import LINK, SEMAPV, SKG, SSSOM
from synthkg.turtle import serialize, write_atomic

LINKS_FILE = "links.ttl"
TOOL = "synthkg link"

# Match method -> (link property, confidence, the field of ours that matched).
METHODS: dict[str, tuple[URIRef, float, URIRef]] = {
    "arxiv": (OWL.sameAs, 1.0, SKG["arxivId"]),
    "doi": (OWL.sameAs, 1.0, SKG["doi"]),
    "title": (SKOS.exactMatch, 0.9, DCTERMS.title),
}


def record_iri(match: Match, kind: str) -> URIRef:
    paper = match.paper.rsplit("/", 1)[-1]
    tail = re.sub(r"[^A-Za-z0-9._-]", "_", match.target.rstrip("/").rsplit("/", 1)[-1])
    if not tail or len(tail) > 60:
        tail = hashlib.sha1(match.target.encode()).hexdigest()[:12]
    return LINK[f"{paper}/{kind}-{tail}"]


def add_match(graph: Graph, match: Match, kind: str, endpoint: str, day: date) -> None:
    prop, confidence, field = METHODS[match.method]
    paper, target = URIRef(match.paper), URIRef(match.target)
    node = record_iri(match, kind)
    graph.add((paper, prop, target))
    graph.add((node, RDF.type, OWL.Axiom))
    graph.add((node, OWL.annotatedSource, paper))
    graph.add((node, OWL.annotatedProperty, prop))
    graph.add((node, OWL.annotatedTarget, target))
    graph.add((node, SSSOM["subject_match_field"], field))
    graph.add((node, SSSOM["match_string"], Literal(match.value)))
    graph.add((node, SSSOM["mapping_justification"], SEMAPV["LexicalMatching"]))
    graph.add((node, SSSOM["confidence"], Literal(str(confidence), datatype=XSD.double)))
    graph.add((node, SSSOM["mapping_date"], Literal(day.isoformat(), datatype=XSD.date)))
    graph.add((node, SSSOM["mapping_provider"], URIRef(endpoint)))
    graph.add((node, SSSOM["mapping_tool"], Literal(TOOL)))


def drop_provider(graph: Graph, endpoint: str) -> None:
    """Remove every link an earlier run against ``endpoint`` wrote (it is redone)."""
    for node in set(graph.subjects(SSSOM["mapping_provider"], URIRef(endpoint))):
        source = graph.value(node, OWL.annotatedSource)
        prop = graph.value(node, OWL.annotatedProperty)
        target = graph.value(node, OWL.annotatedTarget)
        graph.remove((node, None, None))
        still_claimed = any(
            graph.value(other, OWL.annotatedProperty) == prop
            and graph.value(other, OWL.annotatedTarget) == target
            for other in graph.subjects(OWL.annotatedSource, source)
        )
        if not still_claimed:
            graph.remove((source, prop, target))


def links_text(existing: Path, matches: list[Match], kind: str, endpoint: str, day: date) -> str:
    """The new content of the links file: what it held, with this endpoint's links redone."""
    graph = parse_files([existing], new_graph()) if existing.is_file() else new_graph()
    drop_provider(graph, endpoint)
    for match in matches:
        add_match(graph, match, kind, endpoint, day)
    return serialize(graph)  # type: ignore[arg-type]


def write_links(path: Path, text: str) -> bool:
    """Write the links file atomically; returns whether it changed."""
    return bool(write_atomic({path: text}))

"""JSON-LD export: compacted against the published context, nodes sorted by ``@id``.

The document names its context by IRI (``https://w3id.org/synthkg/context.jsonld``, served
by the web app at ``/context.jsonld``; the file ships as ``synthkg/export/context.jsonld``).
Compaction is done here rather than by a generic JSON-LD processor so that the output is
the same bytes every time: each triple's property becomes the context term whose IRI and
value type fit exactly, else a compact IRI (``skos:prefLabel``) with a full value object.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from synthkg.export.dataset import as_triples
from synthkg.namespaces import BASE
from synthkg.turtle import _LOCAL  # the same rule for a safe local name

CONTEXT_FILE = Path(__file__).with_name("context.jsonld")
CONTEXT_IRI = BASE + "context.jsonld"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@cache
def context() -> dict[str, Any]:
    """The published ``@context`` object (the file's content)."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


@cache
def _prefixes() -> list[tuple[str, str]]:
    found = [(k, v) for k, v in context().items() if isinstance(v, str)]
    return sorted(found, key=lambda item: -len(item[1]))  # the longest namespace wins


def _expand(value: str) -> str:
    prefix, _, local = value.partition(":")
    namespace = context().get(prefix)
    return namespace + local if isinstance(namespace, str) else value


@cache
def _terms() -> dict[tuple[str, str | None], str]:
    """(property IRI, coerced type or None) -> term name."""
    found: dict[tuple[str, str | None], str] = {}
    for name, definition in context().items():
        if isinstance(definition, dict):
            kind = definition.get("@type")
            kind = kind if kind in (None, "@id") else _expand(kind)
            found[(_expand(definition["@id"]), kind)] = name
    return found


def compact_iri(iri: str) -> str:
    """``prefix:local`` when a context prefix covers the IRI with a plain local name."""
    for name, namespace in _prefixes():
        if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace) :]):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact_iri(term.value)


def _key_and_value(predicate: str, obj: Any) -> tuple[str, Any]:
    """The property key and the value as this context writes them."""
    if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
        term = _terms().get((predicate, "@id"))
        if term:
            return term, _node_id(obj)
        return compact_iri(predicate), {"@id": _node_id(obj)}
    datatype = obj.datatype.value if obj.datatype else XSD_STRING
    if obj.language:
        return compact_iri(predicate), {"@value": obj.value, "@language": obj.language}
    if datatype == XSD_STRING:
        term = _terms().get((predicate, None))
        return (term, obj.value) if term else (compact_iri(predicate), obj.value)
    term = _terms().get((predicate, datatype))
    if term:
        return term, obj.value
    return compact_iri(predicate), {"@value": obj.value, "@type": compact_iri(datatype)}


def document(quads: list[ox.Quad]) -> dict[str, Any]:
    """The compacted JSON-LD document of the quads' triples (graphs merged)."""
    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for triple in as_triples(quads):
        node = nodes[_node_id(triple.subject)]
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node["@type"].append(compact_iri(triple.object.value))
            continue
        key, value = _key_and_value(triple.predicate.value, triple.object)
        node[key].append(value)
    graph = []
    for node_id in sorted(nodes):
        entry: dict[str, Any] = {"@id": node_id}
        for key in sorted(nodes[node_id]):
            values = sorted(nodes[node_id][key], key=lambda v: json.dumps(v, sort_keys=True))
            entry[key] = values[0] if len(values) == 1 else values
        graph.append(entry)
    return {"@context": CONTEXT_IRI, "@graph": graph}


def render(quads: list[ox.Quad]) -> bytes:
    """The JSON-LD text, UTF-8, keys in a fixed order."""
    text = json.dumps(document(quads), indent=1, ensure_ascii=False)
    return (text + "\n").encode("utf-8")

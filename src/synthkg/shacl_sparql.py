"""SHACL SPARQL-based constraints, evaluated on Oxigraph in one query per constraint.

pyshacl runs a SPARQL constraint once per focus node and parses the query text again each
time with rdflib's parser: on a few hundred papers that took over 40 seconds. The shapes
files keep their ``sh:sparql`` constraints (any SHACL engine can run them); this module
runs each of them once over all targets instead:

* ``$this`` becomes a variable joined with the shape's targets
  (``?this rdf:type/rdfs:subClassOf* <class>`` for ``sh:targetClass``, ``VALUES`` for
  ``sh:targetNode``);
* ``$PATH`` becomes the property shape's path (a plain IRI);
* each solution becomes a ``sh:ValidationResult`` with the shape's severity, the
  constraint's message (``{?var}`` filled in), ``?value`` and ``?path`` when bound.

Only what the project's shapes use is supported: targets by class or node, paths that are
IRIs, constraints reached through ``sh:sparql`` from a targeted node shape or from one of
its ``sh:property`` shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF

from synthkg.errors import InputError
from synthkg.namespaces import SH

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint with the shape it belongs to, rewritten for all targets."""

    shape: Node
    constraint: Node
    query: str
    path: URIRef | None
    severity: URIRef
    messages: tuple[Literal, ...]


def strip_sparql(shapes: Graph) -> Graph:
    """A copy of the shapes without their ``sh:sparql`` links (for pyshacl to skip them)."""
    copy = Graph()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace)
    for triple in shapes:
        if triple[1] != SH.sparql:
            copy.add(triple)
    return copy


def _prefix_lines(shapes: Graph, constraint: Node) -> str:
    lines = []
    for declarations in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarations, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _target_pattern(shapes: Graph, node_shape: Node) -> str:
    patterns = [
        f"{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}"
        for cls in shapes.objects(node_shape, SH.targetClass)
    ]
    nodes = " ".join(f"<{n}>" for n in shapes.objects(node_shape, SH.targetNode))
    if nodes:
        patterns.append(f"{{ VALUES ?this {{ {nodes} }} }}")
    if not patterns:
        raise InputError(f"shape {node_shape}: SPARQL constraints need sh:targetClass/Node")
    return " UNION ".join(patterns)


def _rewrite(select: str, target: str, path: URIRef | None, where: Node) -> str:
    text = select.replace("$this", "?this")
    if "$PATH" in text:
        if path is None:
            raise InputError(f"{where}: $PATH in a constraint without a plain IRI path")
        text = text.replace("$PATH", f"<{path}>")
    match = _WHERE.search(text)
    if match is None:
        raise InputError(f"{where}: sh:select has no WHERE clause")
    return f"{text[: match.end()]}\n    {target}\n{text[match.end() :]}"


def collect(shapes: Graph) -> Iterator[SparqlConstraint]:
    """Every SPARQL constraint of a targeted node shape or of its property shapes."""
    targeted = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetNode))
    for node_shape in sorted(targeted, key=str):
        owners = [(node_shape, None)]
        for prop in shapes.objects(node_shape, SH.property):
            path = shapes.value(prop, SH.path)
            owners.append((prop, path if isinstance(path, URIRef) else None))
        target = _target_pattern(shapes, node_shape)
        for owner, path in owners:
            severity = shapes.value(owner, SH.severity) or SH.Violation
            for constraint in shapes.objects(owner, SH.sparql):
                select = shapes.value(constraint, SH.select)
                if select is None:
                    raise InputError(f"{constraint}: SPARQL constraint without sh:select")
                body = _rewrite(str(select), target, path, constraint)
                query = f"{_prefix_lines(shapes, constraint)}\n{body}"
                messages = tuple(
                    m
                    for source in (constraint, owner)
                    for m in shapes.objects(source, SH.message)
                    if isinstance(m, Literal)
                )
                yield SparqlConstraint(
                    shape=owner,
                    constraint=constraint,
                    query=query,
                    path=path,
                    severity=severity if isinstance(severity, URIRef) else SH.Violation,
                    messages=messages[:1],
                )


def _to_rdflib(term: object) -> Node | None:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return None


def _fill(message: Literal, solution: ox.QuerySolution) -> Literal:
    def value(match: re.Match[str]) -> str:
        term = solution[match.group(1)]
        return getattr(term, "value", match.group(0)) if term is not None else match.group(0)

    return Literal(_MESSAGE_VARIABLE.sub(value, str(message)), lang=message.language)


def evaluate(store: ox.Store, shapes: Graph, report: Graph, report_node: Node) -> int:
    """Run every SPARQL constraint on the store; add a result to the report per solution.

    Returns how many results were added.
    """
    added = 0
    for item in collect(shapes):
        try:
            solutions = store.query(item.query, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise InputError(
                f"{item.constraint}: sh:select is not valid SPARQL: {error}"
            ) from error
        assert isinstance(solutions, ox.QuerySolutions)
        names = {v.value for v in solutions.variables}
        for solution in solutions:
            focus = _to_rdflib(solution["this"])
            if focus is None:
                continue
            result = BNode()
            report.add((report_node, SH.result, result))
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.focusNode, focus))
            report.add((result, SH.resultSeverity, item.severity))
            report.add((result, SH.sourceShape, item.shape))
            report.add((result, SH.sourceConstraint, item.constraint))
            report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            path = _to_rdflib(solution["path"]) if "path" in names else None
            if path is None:
                path = item.path
            if path is not None:
                report.add((result, SH.resultPath, path))
            value = _to_rdflib(solution["value"]) if "value" in names else None
            if value is not None:
                report.add((result, SH.value, value))
            for message in item.messages:
                report.add((result, SH.resultMessage, _fill(message, solution)))
            added += 1
    return added

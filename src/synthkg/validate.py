"""SHACL validation of the graph against ``shapes/*.ttl``.

The data is validated merged with the ontology: the paper shapes check category links
against the taxonomy, and the category and ontology shapes check the ontology itself.

Outcome and exit codes of ``synthkg validate``:

* 0: the graph conforms; warnings (draft stubs missing a year, venue or link) are allowed;
* 1: at least one ``sh:Violation``;
* 2: a file cannot be read or parsed (the message names the file and the line).

pyshacl runs the SHACL Core constraints with ``inference="none"`` on one merged rdflib
graph: the shapes follow ``rdfs:subClassOf`` and ``skos:broader`` explicitly, so no
reasoning is needed and the graph is not copied. The SPARQL-based constraints run on
Oxigraph instead, one query each over all focus nodes (pyshacl re-parses them per focus
node, which took over 40 s on the curated data).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from synthkg import paths, shacl_sparql
from synthkg.errors import InputError
from synthkg.graph import data_files, new_graph, parse_files, shape_files
from synthkg.namespaces import SH, SHAPES, SKG
from synthkg.shacl_sparql import strip_sparql

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Finding:
    """One ``sh:ValidationResult``, in plain values."""

    focus: Node
    severity: str
    path: str | None
    message: str
    value: str | None
    source_shape: str | None
    component: str | None
    constraint: str | None = None  # a named SPARQL constraint, when the result comes from one


@dataclass
class Outcome:
    """The result of validating a graph: the report graph and its results."""

    report: Graph
    data: Graph
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> int:
        return sum(1 for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "Warning")

    @property
    def conforms(self) -> bool:
        """True when nothing is a violation (warnings do not count)."""
        return self.violations == 0


def load_shapes(shapes_dir: Path | None = None) -> Graph:
    """Every shape file merged into one graph."""
    files = shape_files(shapes_dir)
    if not files:
        raise InputError(f"{shapes_dir or paths.SHAPES_DIR}: no shape files (*.ttl)")
    graph = parse_files(files)
    graph.bind("skgsh", str(SHAPES))
    return graph


def validate_files(
    files: Sequence[Path] | None = None,
    ontology: Sequence[Path] | None = None,
    shapes_dir: Path | None = None,
) -> Outcome:
    """Validate data files (``data/*.ttl`` when none are given) merged with the ontology."""
    data_paths = list(files) if files else data_files()
    if not data_paths:
        raise InputError(f"{paths.DATA_DIR}: no data files (*.ttl) to validate")
    graph = parse_files([*(ontology or [paths.ONTOLOGY_TTL]), *data_paths])
    return validate_graph(graph, load_shapes(shapes_dir))


def validate_graph(graph: Graph, shapes: Graph) -> Outcome:
    """Validate a graph that already holds data and ontology.

    pyshacl checks the SHACL Core constraints; the SPARQL-based ones run on Oxigraph, one
    query per constraint over all targets (see ``synthkg.shacl_sparql``).
    """
    _conforms, report, _text = shacl_validate(
        graph,
        shacl_graph=strip_sparql(shapes),
        inference="none",
        allow_warnings=True,
        advanced=False,
        inplace=True,  # nothing is inferred, so the graph is not changed; skip the copy
    )
    if not isinstance(report, Graph):  # pyshacl reports a broken shapes graph this way
        raise InputError(f"shapes: {_text}")
    report.bind("skgsh", str(SHAPES))
    report_node = report.value(None, RDF.type, SH.ValidationReport, any=False)
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    shacl_sparql.evaluate(store, shapes, report, report_node)
    outcome = Outcome(report=report, data=graph, findings=_findings(report, shapes))
    report.set((report_node, SH.conforms, Literal(outcome.conforms)))
    return outcome


def _findings(report: Graph, shapes: Graph) -> list[Finding]:
    findings = []
    # Only the report's own results: pyshacl also types the nested results of sh:node as
    # sh:ValidationResult (reached through sh:detail), which would repeat each failure.
    for result in report.objects(None, SH.result):
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        constraint = report.value(result, SH.sourceConstraint)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        findings.append(
            Finding(
                focus=report.value(result, SH.focusNode),
                severity=str(severity).removeprefix(str(SH)),
                path=render_path(path, report, shapes) if path is not None else None,
                message=messages[0] if messages else "",
                value=_render_node(value, report) if value is not None else None,
                source_shape=_render_node(shape, shapes) if isinstance(shape, URIRef) else None,
                component=str(component).removeprefix(str(SH)) if component else None,
                constraint=_render_node(constraint, shapes)
                if isinstance(constraint, URIRef)
                else None,
            )
        )
    findings.sort(key=lambda f: (str(f.focus), SEVERITY_ORDER.get(f.severity, 9), f.message))
    return findings


def _render_node(node: Node, graph: Graph) -> str:
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    if isinstance(node, Literal):
        return str(node)
    return str(node)


def render_path(path: Node, report: Graph, shapes: Graph) -> str:
    """A SHACL property path in SPARQL syntax (``skg:a|skg:b``, ``rdfs:subClassOf*``)."""
    if isinstance(path, URIRef):
        return report.namespace_manager.normalizeUri(path)
    # Complex paths are blank nodes; pyshacl copies them into the report, but fall back to
    # the shapes graph where it does not.
    for graph in (report, shapes):
        if isinstance(path, BNode) and (path, None, None) in graph:
            return _render_complex(path, graph)
    return "?"


def _render_complex(path: Node, graph: Graph) -> str:
    if isinstance(path, URIRef):
        return graph.namespace_manager.normalizeUri(path)
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({_render_complex(inner, graph)}){suffix}"
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _render_complex(inverse, graph)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_render_complex(p, graph) for p in Collection(graph, alternatives))
    if graph.value(path, RDF.first) is not None:
        return "/".join(_render_complex(p, graph) for p in Collection(graph, path))
    return "?"


def source_lines(graph: Graph, focus: Node) -> list[str]:
    """Where a paper came from: ``file.md:LINE`` for each source row it derives from."""
    places = set()
    for row in graph.objects(focus, PROV.wasDerivedFrom):
        line = graph.value(row, SKG.lineNumber)
        document = graph.value(row, DCTERMS.isPartOf)
        name = graph.value(document, SKG.fileName) if document is not None else None
        if line is not None:
            places.add((str(name or document or "?"), int(line)))
    return [f"{name}:{line}" for name, line in sorted(places)]


def _compact(places: list[str]) -> str:
    """``a.md:1, a.md:5, b.md:2`` as ``a.md:1,5; b.md:2``."""
    by_file: dict[str, list[str]] = defaultdict(list)
    for place in places:
        name, _, line = place.rpartition(":")
        by_file[name].append(line)
    return "; ".join(f"{name}:{','.join(lines)}" for name, lines in by_file.items())


def _focus_title(graph: Graph, focus: Node) -> str:
    for predicate in (DCTERMS.title, RDFS.label):
        title = graph.value(focus, predicate)
        if title is not None:
            return str(title)
    return ""


def summary_line(outcome: Outcome) -> str:
    verdict = "conforms" if outcome.conforms else "does not conform"
    return (
        f"{verdict}: {outcome.violations} violation(s), {outcome.warnings} warning(s) "
        f"on {len({f.focus for f in outcome.findings})} node(s)"
    )


def render_text(outcome: Outcome) -> str:
    """The report grouped by focus node (papers, venues, categories), most severe first."""
    groups: dict[Node, list[Finding]] = defaultdict(list)
    for finding in outcome.findings:
        groups[finding.focus].append(finding)
    graph = outcome.data
    papers = set(graph.subjects(RDF.type, SKG.Paper))

    def order(focus: Node) -> tuple[int, int, str]:
        worst = min(SEVERITY_ORDER.get(f.severity, 9) for f in groups[focus])
        return (0 if focus in papers else 1, worst, str(focus))

    lines: list[str] = []
    for focus in sorted(groups, key=order):
        title = _focus_title(graph, focus)
        name = _render_node(focus, graph)
        lines.append(f'{name}  "{title}"' if title else name)
        sources = _compact(source_lines(graph, focus))
        if sources:
            lines.append(f"  from {sources}")
        for finding in groups[focus]:
            where = f"{finding.path}: " if finding.path else ""
            lines.append(f"  [{finding.severity}] {where}{finding.message}")
            if finding.value is not None and finding.value != name:
                lines.append(f"      value: {finding.value}")
        lines.append("")
    lines.append(summary_line(outcome))
    return "\n".join(lines)


def as_json(outcome: Outcome) -> dict[str, object]:
    """The report as plain JSON.

    ``{"conforms": bool, "violations": int, "warnings": int, "results": [...]}``; each
    result has ``focusNode``, ``title``, ``resultSeverity`` ("Violation", "Warning"),
    ``resultPath``, ``resultMessage``, ``value``, ``sourceShape``,
    ``sourceConstraintComponent``, ``sourceConstraint`` (the SHACL names, SHACL prefix
    dropped, other IRIs as prefixed names) and ``sources``
    (``file.md:LINE`` of the rows the node derives from).
    """
    graph = outcome.data
    return {
        "conforms": outcome.conforms,
        "violations": outcome.violations,
        "warnings": outcome.warnings,
        "results": [
            {
                "focusNode": str(f.focus),
                "title": _focus_title(graph, f.focus) or None,
                "resultSeverity": f.severity,
                "resultPath": f.path,
                "resultMessage": f.message,
                "value": f.value,
                "sourceShape": f.source_shape,
                "sourceConstraintComponent": f.component,
                "sourceConstraint": f.constraint,
                "sources": source_lines(graph, f.focus),
            }
            for f in outcome.findings
        ],
    }


def render(outcome: Outcome, fmt: str) -> str:
    """The report as ``text``, ``turtle`` (the sh:ValidationReport graph) or ``json``."""
    if fmt == "text":
        return render_text(outcome)
    if fmt == "turtle":
        report = new_graph()
        report.bind("skgsh", str(SHAPES))
        for triple in outcome.report:
            report.add(triple)
        return report.serialize(format="turtle")
    if fmt == "json":
        return json.dumps(as_json(outcome), indent=2, ensure_ascii=False)
    raise InputError(f"unknown report format {fmt!r} (expected text, turtle or json)")

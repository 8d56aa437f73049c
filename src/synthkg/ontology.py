"""The ontology's generated artefacts: the RDF/XML copy, its freshness check, the HTML
documentation and the OWL 2 consistency check with HermiT.

The Turtle file is the edited source. owlready2 and Protégé read RDF/XML, so
``build_rdfxml`` writes a copy; the copy is written by a small serialiser of our own
because rdflib's RDF/XML output changes order from run to run (it iterates over sets),
and a generated file under version control must not change when its source did not.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import shutil
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from synthkg import paths
from synthkg.errors import ConformanceError, InputError
from synthkg.graph import parse_files
from synthkg.namespaces import ONTOLOGY_IRI, PREFIXES, SKG

BUILD_COMMAND = "synthkg ontology build"

# Prefixes the RDF/XML may use beyond the project's own, in declaration order.
_EXTRA_PREFIXES = {"wd": "http://www.wikidata.org/entity/"}

# The node element chosen for a subject with several types, most specific first, the way
# ontology editors lay out their RDF/XML; subjects are grouped in this order too.
_ELEMENT_ORDER: tuple[URIRef, ...] = (
    OWL.Ontology,
    OWL.AnnotationProperty,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.Class,
    RDFS.Datatype,
    OWL.NamedIndividual,
)


# --- writing -----------------------------------------------------------------------------


def _atomic_write(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file in the same folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temp_name, 0o644)  # mkstemp makes the file private; the output is not
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _is_ncname(text: str) -> bool:
    return (
        bool(text)
        and (text[0].isalpha() or text[0] == "_")
        and all(c.isalnum() or c in "._-" for c in text)
    )


class _QNames:
    """Maps IRIs to ``prefix:local`` element names, recording the prefixes used."""

    def __init__(self) -> None:
        self.known = {**PREFIXES, **_EXTRA_PREFIXES}
        self.used: set[str] = set()

    def qname(self, iri: URIRef) -> str:
        text = str(iri)
        # The longest matching namespace wins (skg: is inside the project's base IRI).
        for prefix, namespace in sorted(self.known.items(), key=lambda kv: -len(kv[1])):
            local = text.removeprefix(namespace)
            if local != text and _is_ncname(local):
                self.used.add(prefix)
                return f"{prefix}:{local}"
        raise InputError(f"{iri}: cannot be written as an RDF/XML element name (no known prefix)")

    def declarations(self) -> str:
        return "".join(
            f"\n     xmlns:{prefix}={quoteattr(namespace)}"
            for prefix, namespace in self.known.items()
            if prefix in self.used
        )


def _literal_element(name: str, literal: Literal) -> str:
    attributes = ""
    if literal.language:
        attributes = f" xml:lang={quoteattr(literal.language)}"
    elif literal.datatype is not None and literal.datatype != XSD.string:
        attributes = f" rdf:datatype={quoteattr(str(literal.datatype))}"
    return f"<{name}{attributes}>{escape(str(literal))}</{name}>"


def _object_key(node: object) -> tuple[int, str, str]:
    if isinstance(node, URIRef):
        return (0, str(node), "")
    if isinstance(node, BNode):
        return (1, str(node), "")
    assert isinstance(node, Literal)
    return (2, str(node), f"{node.language or ''}|{node.datatype or ''}")


def serialize_rdfxml(graph: Graph) -> str:
    """RDF/XML for ``graph`` that depends only on its triples (up to blank-node renaming):
    subjects grouped by kind and sorted by IRI, properties sorted, prefixes in a fixed
    order, blank nodes numbered in a canonical order."""
    canonical = to_canonical_graph(graph)
    bnode_ids = {
        node: f"n{index}"
        for index, node in enumerate(
            sorted({n for triple in canonical for n in triple if isinstance(n, BNode)}, key=str)
        )
    }
    names = _QNames()

    def subject_rank(subject: object) -> tuple[int, str]:
        if isinstance(subject, BNode):
            return (len(_ELEMENT_ORDER) + 1, bnode_ids[subject])
        types = set(canonical.objects(subject, RDF.type))
        rank = next((i for i, t in enumerate(_ELEMENT_ORDER) if t in types), len(_ELEMENT_ORDER))
        return (rank, str(subject))

    blocks: list[str] = []
    for subject in sorted(set(canonical.subjects()), key=subject_rank):
        types = set(canonical.objects(subject, RDF.type))
        element_type = next((t for t in _ELEMENT_ORDER if t in types), None)
        if element_type is None and types:
            element_type = min((t for t in types if isinstance(t, URIRef)), key=str, default=None)
        element = names.qname(element_type) if element_type is not None else "rdf:Description"
        if isinstance(subject, BNode):
            opening = f"<{element} rdf:nodeID={quoteattr(bnode_ids[subject])}>"
        else:
            opening = f"<{element} rdf:about={quoteattr(str(subject))}>"
        lines = [f"    {opening}"]
        pairs = sorted(
            canonical.predicate_objects(subject), key=lambda po: (str(po[0]), _object_key(po[1]))
        )
        for predicate, obj in pairs:
            if predicate == RDF.type and obj == element_type:
                continue
            name = names.qname(URIRef(predicate))
            if isinstance(obj, Literal):
                lines.append(f"        {_literal_element(name, obj)}")
            elif isinstance(obj, BNode):
                lines.append(f"        <{name} rdf:nodeID={quoteattr(bnode_ids[obj])}/>")
            else:
                lines.append(f"        <{name} rdf:resource={quoteattr(str(obj))}/>")
        if len(lines) == 1:  # a bare declaration
            lines[0] = lines[0][:-1] + "/>"
        else:
            lines.append(f"    </{element}>")
        blocks.append("\n".join(lines))

    names.used.add("rdf")
    header = '<?xml version="1.0" encoding="utf-8"?>\n'
    header += "<!-- Generated from synthkg.ttl by `synthkg ontology build`; do not edit. -->\n"
    return f"{header}<rdf:RDF{names.declarations()}>\n\n" + "\n\n".join(blocks) + "\n\n</rdf:RDF>\n"


def build_rdfxml(
    ttl_path: Path = paths.ONTOLOGY_TTL, owl_path: Path = paths.ONTOLOGY_RDFXML
) -> Path:
    """Write the RDF/XML copy of the Turtle ontology (atomically) and return its path."""
    graph = parse_files([ttl_path])
    _atomic_write(owl_path, serialize_rdfxml(graph))
    return owl_path


def check_fresh(
    ttl_path: Path = paths.ONTOLOGY_TTL, owl_path: Path = paths.ONTOLOGY_RDFXML
) -> None:
    """Raise ``ConformanceError`` unless the RDF/XML copy holds the same graph as the
    Turtle source (compared as graphs, so formatting does not matter)."""
    source = parse_files([ttl_path])
    if not owl_path.is_file():
        raise ConformanceError(f"{owl_path} is missing: run `{BUILD_COMMAND}`")
    copy = parse_files([owl_path])
    if not isomorphic(source, copy):
        raise ConformanceError(
            f"{owl_path} is stale (it differs from {ttl_path.name}): run `{BUILD_COMMAND}`"
        )


# --- documentation -----------------------------------------------------------------------


def _import_pylode() -> tuple[Any, type[Exception]]:
    """pyLODE's ``OntPub`` and ``PylodeError``, imported on first use (pyLODE is slow to
    import).

    pyLODE 3.4.1 reads its own version from a ``pyproject.toml`` that its wheel does not
    ship, so its import fails when installed from PyPI; the version is then taken from the
    installed distribution's metadata instead.
    """
    # pyLODE also configures the root logger at DEBUG level on import: undo that.
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        import pylode
    except FileNotFoundError:
        for name in [m for m in sys.modules if m == "pylode" or m.startswith("pylode.")]:
            del sys.modules[name]
        version = types.ModuleType("pylode.version")
        version.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = version
        import pylode
    finally:
        root.setLevel(level)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
    return pylode.OntPub, pylode.PylodeError


def build_docs(out_dir: Path = paths.DOCS_BUILD_DIR, ttl_path: Path = paths.ONTOLOGY_TTL) -> Path:
    """Write the HTML documentation of the ontology (pyLODE) to ``out_dir/ontology.html``."""
    OntPub, PylodeError = _import_pylode()
    graph = parse_files([ttl_path])
    # pyLODE titles the page after the last ontology *or concept scheme* it finds, so the
    # taxonomy scheme would steal the title; OntPub renders nothing else of the scheme type.
    graph.remove((None, RDF.type, SKOS.ConceptScheme))
    # The declarations of other vocabularies' terms are there for OWL 2 DL; documented as
    # entries of their own they would crowd out the SynthKG terms.
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef) and subject != ONTOLOGY_IRI and subject not in SKG:
            graph.remove((subject, None, None))
    try:
        html = OntPub(ontology=graph, sort_subjects=True).make_html(include_css=True)
    except PylodeError as error:
        raise InputError(f"{ttl_path}: cannot document the ontology: {error}") from error
    target = out_dir / "ontology.html"
    _atomic_write(target, html)
    return target


# --- reasoning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasoningReport:
    """What HermiT found in a consistent ontology."""

    path: Path
    classes: int
    unsatisfiable: tuple[str, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.unsatisfiable


def _java() -> str:
    java = os.environ.get("JAVA_HOME")
    candidate = str(Path(java) / "bin" / "java") if java else shutil.which("java")
    if not candidate or not Path(candidate).exists():
        raise InputError("HermiT needs Java: install a Java runtime (e.g. default-jre-headless)")
    return candidate


def classify(
    owl_path: Path,
    *,
    infer_property_values: bool = False,
    ignore_unsupported_datatypes: bool = False,
) -> Any:
    """Load an RDF/XML ontology (and the data in it) into a fresh owlready2 ``World`` and
    run HermiT on it; the world, with the inferences added, is returned.

    HermiT refuses literals outside the OWL 2 datatype map, such as the data's
    ``xsd:gYear`` years, unless ``ignore_unsupported_datatypes`` is set.
    Raises ``ConformanceError`` when the ontology is inconsistent.
    """
    import owlready2  # imported here: owlready2 sets up a default world on import

    if not owl_path.is_file():
        raise InputError(f"{owl_path}: no such file")
    owlready2.JAVA_EXE = _java()
    world = owlready2.World()
    try:
        ontology = world.get_ontology(owl_path.resolve().as_uri()).load()
    except Exception as error:  # owlready2's parsers raise assorted types
        raise InputError(f"{owl_path}: owlready2 cannot load it: {error}") from error
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(
                world,
                infer_property_values=infer_property_values,
                ignore_unsupported_datatypes=ignore_unsupported_datatypes,
                debug=0,
            )
    except owlready2.OwlReadyInconsistentOntologyError as error:
        raise ConformanceError(f"{owl_path}: the ontology is inconsistent (HermiT)") from error
    except owlready2.OwlReadyJavaError as error:
        raise InputError(f"{owl_path}: HermiT failed: {error}") from error
    return world


def reason(owl_path: Path = paths.ONTOLOGY_RDFXML) -> ReasoningReport:
    """Classify an RDF/XML ontology with HermiT in a fresh owlready2 world.

    Raises ``ConformanceError`` when the ontology is inconsistent; unsatisfiable classes
    are listed in the report.
    """
    import owlready2

    started = time.perf_counter()
    world = classify(owl_path)
    unsatisfiable = tuple(
        sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    )
    return ReasoningReport(
        path=owl_path,
        classes=len(list(world.classes())),
        unsatisfiable=unsatisfiable,
        seconds=time.perf_counter() - started,
    )

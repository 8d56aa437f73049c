"""Canonical Turtle: one byte sequence per graph, so the curated files diff cleanly.

Every prefix of ``namespaces.PREFIXES`` is declared, in that order; subjects are sorted by
IRI, predicates follow ``PREDICATE_ORDER`` (then the others by IRI), objects are sorted;
a predicate with several objects lists one per line. Blank nodes are refused: every node of
the curated graph has an IRI.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from synthkg.errors import InputError
from synthkg.namespaces import FABIO, PREFIXES, SCHEMA, SKG

Triple = tuple[URIRef, URIRef, URIRef | Literal]

PREDICATE_ORDER: list[URIRef] = [
    RDF.type,
    DCTERMS.title,
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKG["shortName"],
    FABIO.hasPublicationYear,
    SKG["publishedIn"],
    SKG["recordStatus"],
    SKG["arxivId"],
    SKG["doi"],
    SKG["openReviewId"],
    SKG["neuripsHash"],
    SKG["aclAnthologyId"],
    SKG["pmlrId"],
    SKG["cvfId"],
    SKG["ijcaiId"],
    SCHEMA.sameAs,
    SCHEMA.url,
    SKG["usesMethod"],
    SKG["hasApplication"],
    SKG["addressesChallenge"],
    SKG["classifiedPaper"],
    SKG["category"],
    DCTERMS.isVersionOf,
    DCTERMS.isPartOf,
    SKG["fileName"],
    SKG["sha256"],
    SKG["lineNumber"],
    SKG["section"],
    SKG["sectionCategory"],
    SKG["statedTitle"],
    SKG["statedYear"],
    SKG["statedVenue"],
    SKG["statedLink"],
    PROV.wasDerivedFrom,
]
_RANK = {predicate: index for index, predicate in enumerate(PREDICATE_ORDER)}
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Longest namespace first, so the most specific prefix wins.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def iri_term(iri: str) -> str:
    """An IRI as ``prefix:local`` when that is valid Turtle, else ``<iri>``."""
    for name, namespace in _NAMESPACES:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if _LOCAL.match(local):
                return f"{name}:{local}"
    escaped = "".join(c if c not in '<>"{}|^`\\ ' else f"%{ord(c):02X}" for c in iri)
    return f"<{escaped}>"


def literal_term(literal: Literal) -> str:
    text = "".join(
        _ESCAPES.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or c == "\x7f" else c)
        for c in str(literal)
    )
    if literal.language:
        return f'"{text}"@{literal.language.lower()}'
    datatype = literal.datatype
    if datatype is None or datatype == XSD.string:
        return f'"{text}"'
    if datatype == XSD.integer and re.fullmatch(r"-?[0-9]+", str(literal)):
        return str(int(str(literal)))
    return f'"{text}"^^{iri_term(str(datatype))}'


def term(node: URIRef | Literal) -> str:
    if isinstance(node, BNode):
        raise InputError("blank nodes have no place in the curated graph; give the node an IRI")
    if isinstance(node, URIRef):
        return "a" if node == RDF.type else iri_term(str(node))
    return literal_term(node)


def _object_key(node: URIRef | Literal) -> tuple[int, str]:
    return (0 if isinstance(node, URIRef) else 1, term(node))


def _predicate_key(predicate: URIRef) -> tuple[int, str]:
    return (_RANK.get(predicate, len(_RANK)), str(predicate))


def serialize(triples: Iterable[Triple]) -> str:
    """The canonical Turtle text of a set of triples."""
    by_subject: dict[URIRef, dict[URIRef, set]] = defaultdict(lambda: defaultdict(set))
    for subject, predicate, obj in triples:
        if isinstance(subject, BNode) or isinstance(obj, BNode):
            raise InputError("blank nodes have no place in the curated graph; give the node an IRI")
        by_subject[subject][predicate].add(obj)
    lines = [f"@prefix {name}: <{iri}> ." for name, iri in PREFIXES.items()]
    for subject in sorted(by_subject, key=str):
        lines.append("")
        predicates = by_subject[subject]
        parts: list[str] = []
        for predicate in sorted(predicates, key=_predicate_key):
            objects = [term(o) for o in sorted(predicates[predicate], key=_object_key)]
            if len(objects) == 1 or predicate == RDF.type:
                # Types stay on one line, as in the data model's examples.
                parts.append(f"    {term(predicate)} {', '.join(objects)}")
            else:
                listed = ",\n".join(f"        {o}" for o in objects)
                parts.append(f"    {term(predicate)}\n{listed}")
        lines.append(f"{term(subject)}\n" + " ;\n".join(parts) + " .")
    return "\n".join(lines) + "\n"


def canonical_file(path: Path) -> str:
    """The canonical text of one Turtle file (the file parsed on its own)."""
    from synthkg.graph import parse_files  # graph reads files; this module only writes them

    return serialize(parse_files([path]))  # type: ignore[arg-type]


def format_files(files: Iterable[Path], check: bool = False) -> list[Path]:
    """Rewrite the files canonically (atomically, all or nothing); with ``check``, write
    nothing. Returns the files that were (or, with ``check``, would be) changed."""
    wanted = {path: canonical_file(path) for path in files}
    stale = [path for path, text in wanted.items() if path.read_bytes() != text.encode()]
    if not check:
        write_atomic({path: wanted[path] for path in stale})
    return stale


def write_atomic(files: Mapping[Path, str]) -> list[Path]:
    """Write several files all or nothing: each goes to a temporary file beside its target
    first; only when every one is written are they moved into place. Files whose content is
    unchanged are left alone. Returns the files that changed."""
    pending: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            data = text.encode("utf-8")
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            pending.append((Path(temp), path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
    except BaseException:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
        raise
    for temp, path in pending:
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    return [path for _, path in pending]

"""``synthkg release VERSION``: a numbered, citable set of dumps in ``build/releases/VERSION/``.

A release folder holds:

* ``synthkg.ttl``, ``synthkg.nt`` (ontology + data as one graph) and ``synthkg.nq`` (the
  ontology and the data in their named graphs, as the server loads them), sorted so the
  same graph always gives the same bytes;
* ``ontology.ttl``: the ontology with ``owl:versionIRI``/``owl:versionInfo`` of this release
  and ``owl:priorVersion`` the prior release's ontology;
* ``changes.ttl``: the changeset from the prior release (``synthkg.release.changeset``);
* ``CHANGELOG.md``: the same changes for people;
* ``void.ttl``: VoID + DCAT: version, release date, prior version, each dump's byte size,
  triple count and SHA-256;
* ``SHA256SUMS``: the checksums of every other file, as ``sha256sum --check`` reads them.

The data folder's ``dataset.ttl`` then states the version (``owl:versionInfo``,
``dcterms:hasVersion``, ``owl:versionIRI``, ``owl:priorVersion``, ``dcterms:issued``), so the
served graph says which release it is. The folder is written beside its target and moved
into place only when complete; an existing version, or one that does not sort after the
prior release, is refused (exit 2).

No ``synthkg.export`` module existed when this was written, so dumps are serialised here
with pyoxigraph directly.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pyoxigraph as ox
from packaging.version import InvalidVersion, Version
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from synthkg import paths
from synthkg.curation.datafiles import DataFolder
from synthkg.errors import InputError
from synthkg.graph import new_graph, parse_files
from synthkg.namespaces import DATASET, GRAPH, ONTOLOGY_IRI, PREFIXES, SKG
from synthkg.release.changelog import changelog
from synthkg.release.changeset import changeset, release_iri
from synthkg.turtle import serialize

RELEASES = "releases"
SUMS = "SHA256SUMS"
SPDX = "http://spdx.org/rdf/terms#"
MEDIA_TYPES = {
    "synthkg.ttl": "text/turtle",
    "synthkg.nt": "application/n-triples",
    "synthkg.nq": "application/n-quads",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VERSION_FACTS = (OWL.versionInfo, DCTERMS.hasVersion, OWL.versionIRI, OWL.priorVersion)


@dataclass
class ReleaseReport:
    version: str
    prior: str | None
    folder: Path
    files: dict[str, tuple[int, str]] = field(default_factory=dict)  # size, sha256
    counts: dict[str, int] = field(default_factory=dict)


def parse_version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise InputError(f"{text!r} is not a version number (e.g. 1.0.0, 2026.1)") from None


def releases(build_dir: Path) -> list[str]:
    """The versions released into ``build_dir/releases``, oldest first."""
    folder = build_dir / RELEASES
    found = [p.name for p in folder.iterdir() if (p / SUMS).is_file()] if folder.is_dir() else []
    valid = []
    for name in found:
        try:
            valid.append((Version(name), name))
        except InvalidVersion:
            continue
    return [name for _, name in sorted(valid)]


def _pick_prior(version: str, prior: str | None, known: list[str], build_dir: Path) -> str | None:
    wanted = parse_version(version)
    if version in known or (build_dir / RELEASES / version).exists():
        raise InputError(f"release {version} exists already in {build_dir / RELEASES}")
    if prior is not None:
        parse_version(prior)
        if prior not in known:
            raise InputError(f"no release {prior} in {build_dir / RELEASES} to compare with")
    elif known:
        prior = known[-1]
    if prior is not None and wanted <= Version(prior):
        raise InputError(f"version {version} does not sort after the prior release {prior}")
    return prior


def _release_date(given: str | None) -> str:
    if given is None:
        return datetime.now(UTC).date().isoformat()
    try:
        if not _DATE.match(given):
            raise ValueError
        return date.fromisoformat(given).isoformat()
    except ValueError:
        raise InputError(f"release date {given!r} is not a date YYYY-MM-DD") from None


def state_version(graph: Graph, version: str, prior: str | None, issued: str) -> None:
    """The dataset description's version facts, replacing any earlier ones."""
    for prop in (*_VERSION_FACTS, DCTERMS.issued):
        graph.remove((DATASET, prop, None))
    graph.add((DATASET, OWL.versionInfo, Literal(version)))
    graph.add((DATASET, DCTERMS.hasVersion, Literal(version)))
    graph.add((DATASET, OWL.versionIRI, release_iri(version)))
    graph.add((DATASET, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    if prior:
        graph.add((DATASET, OWL.priorVersion, release_iri(prior)))


def versioned_ontology(version: str, prior: str | None) -> Graph:
    """The ontology as released: its version IRI and prior version name this release."""
    ontology = parse_files([paths.ONTOLOGY_TTL])
    for prop in (OWL.versionIRI, OWL.versionInfo, OWL.priorVersion):
        ontology.remove((ONTOLOGY_IRI, prop, None))
    ontology.add((ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/{version}")))
    ontology.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(version)))
    if prior:
        ontology.add((ONTOLOGY_IRI, OWL.priorVersion, URIRef(f"{ONTOLOGY_IRI}/{prior}")))
    # The ontology's blank nodes (property chains) get labels from their content, so the
    # same ontology always gives the same dump bytes.
    canonical = new_graph()
    for triple in to_canonical_graph(ontology):
        canonical.add(triple)
    return canonical


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def _quad_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def dumps(ontology: Graph, data: Graph) -> dict[str, tuple[bytes, int]]:
    """Each dump's bytes and statement count."""
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(GRAPH[name])))
        for name, part in (("ontology", ontology), ("data", data))
        for t in _ox_triples(part)
    ]
    quads.sort(key=_quad_key)
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    out = {}
    for name, fmt, statements, prefixes in (
        ("synthkg.ttl", ox.RdfFormat.TURTLE, triples, PREFIXES),
        ("synthkg.nt", ox.RdfFormat.N_TRIPLES, triples, None),
        ("synthkg.nq", ox.RdfFormat.N_QUADS, quads, None),
    ):
        body = ox.serialize(statements, format=fmt, prefixes=prefixes) or b""
        out[name] = (body, len(statements))
    return out


def prior_data(build_dir: Path, prior: str | None) -> Graph:
    """The data graph of a prior release, read back from its N-Quads dump."""
    graph = new_graph()
    if prior is None:
        return graph
    data_graph = ox.NamedNode(str(GRAPH["data"]))
    quads = ox.parse(
        path=str(build_dir / RELEASES / prior / "synthkg.nq"), format=ox.RdfFormat.N_QUADS
    )
    triples = [
        ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == data_graph
    ]
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph.parse(data=body.decode("utf-8"), format="nt")
    return graph


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def void_description(
    version: str, prior: str | None, issued: str, made: dict[str, tuple[bytes, int]]
) -> Graph:
    """VoID + DCAT of the release; distributions are IRIs (no blank nodes)."""
    graph = new_graph()
    node = release_iri(version)
    graph.add((node, RDF.type, SKG["Release"]))
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.title, Literal(f"SynthKG {version}", lang="en")))
    graph.add((node, DCTERMS.isVersionOf, DATASET))
    graph.add((node, OWL.versionInfo, Literal(version)))
    graph.add((node, DCTERMS.hasVersion, Literal(version)))
    graph.add((node, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    graph.add((node, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    if prior:
        graph.add((node, OWL.priorVersion, release_iri(prior)))
    graph.add((node, VOID.triples, Literal(made["synthkg.nt"][1])))
    for name, media in MEDIA_TYPES.items():
        body, statements = made[name]
        dist = URIRef(f"{node}/{name}")
        checksum = URIRef(f"{dist}/sha256")
        graph.add((node, VOID.dataDump, dist))
        graph.add((node, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(f"SynthKG {version} as {name}", lang="en")))
        graph.add((dist, DCAT.downloadURL, dist))
        graph.add(
            (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
        )
        graph.add((dist, DCAT.byteSize, Literal(len(body), datatype=XSD.nonNegativeInteger)))
        graph.add((dist, VOID.triples, Literal(statements)))
        graph.add((dist, URIRef(SPDX + "checksum"), checksum))
        graph.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
        graph.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        graph.add(
            (
                checksum,
                URIRef(SPDX + "checksumValue"),
                Literal(_sha256(body), datatype=XSD.hexBinary),
            )
        )
    return graph


def make_release(
    version: str,
    prior: str | None = None,
    issued: str | None = None,
    data_dir: Path | None = None,
    build_dir: Path | None = None,
) -> ReleaseReport:
    """Write ``build_dir/releases/VERSION`` and state the version in ``dataset.ttl``."""
    build = build_dir or paths.BUILD_DIR
    prior = _pick_prior(version, prior, releases(build), build)
    day = _release_date(issued)
    data = DataFolder.load(data_dir or paths.DATA_DIR)
    before = data.snapshot()
    state_version(data.graph, version, prior, day)
    ontology = versioned_ontology(version, prior)
    made = dumps(ontology, data.graph)
    changes = changeset(prior_data(build, prior), data.graph, version, prior)
    texts: dict[str, bytes] = {name: body for name, (body, _) in made.items()}
    texts["ontology.ttl"] = (
        ox.serialize(
            sorted(_ox_triples(ontology), key=str), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
        )
        or b""
    )
    texts["changes.ttl"] = serialize(changes).encode("utf-8")  # type: ignore[arg-type]
    texts["CHANGELOG.md"] = changelog(changes, version, day, prior).encode("utf-8")
    texts["void.ttl"] = serialize(void_description(version, prior, day, made)).encode("utf-8")  # type: ignore[arg-type]
    texts[SUMS] = "".join(f"{_sha256(b)}  {n}\n" for n, b in sorted(texts.items())).encode()
    target = build / RELEASES / version
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=target.parent))
    try:
        for name, body in texts.items():
            (staging / name).write_bytes(body)
            os.chmod(staging / name, 0o644)
        os.chmod(staging, 0o755)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    data.write(before)
    report = ReleaseReport(version=version, prior=prior, folder=target)
    report.files = {n: (len(b), _sha256(b)) for n, b in sorted(texts.items())}
    report.counts = {
        kind: len(set(changes.objects(None, SKG[f"{kind}Paper"])))
        for kind in ("added", "removed", "reclassified", "corrected")
    }
    return report

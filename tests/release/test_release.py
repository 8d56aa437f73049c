"""``synthkg release``: versioned dumps with checksums, VoID/DCAT, changeset and changelog."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL

from curation.curation_support import copy_data, digests, load, run
from synthkg import paths
from synthkg.namespaces import DATASET, GRAPH, ONTOLOGY_IRI, PAPER, RELEASE, SKG

SPDX = "http://spdx.org/rdf/terms#"
DISTRIBUTION = URIRef("http://www.w3.org/ns/dcat#distribution")
BYTE_SIZE = URIRef("http://www.w3.org/ns/dcat#byteSize")
ZERO = PAPER["arxiv-2505.03335"]
DET = PAPER["doi-10.1109_cvpr52733.2024.00705"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def release(runner: CliRunner, data: Path, build: Path, version: str, *extra: str):
    return run(runner, "release", version, "--data", str(data), "--build", str(build), *extra)


def test_release_writes_dumps_with_matching_checksums(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    build = tmp_path / "build"
    result = release(runner, data, build, "1.0.0", "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    folder = build / "releases" / "1.0.0"
    names = {"synthkg.ttl", "synthkg.nt", "synthkg.nq", "ontology.ttl", "changes.ttl",
             "CHANGELOG.md", "void.ttl", "SHA256SUMS"}  # fmt: skip
    assert {p.name for p in folder.iterdir()} == names
    sums = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        sums[name] = digest
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    void = Graph().parse(folder / "void.ttl")
    node = RELEASE["1.0.0"]
    assert (node, RDF_TYPE, SKG["Release"]) in void
    assert void.value(node, OWL.versionInfo) == Literal("1.0.0")
    assert str(void.value(node, DCTERMS.issued)) == "2026-03-01"
    assert void.value(node, OWL.priorVersion) is None
    dists = set(void.objects(node, DISTRIBUTION))
    assert len(dists) == 3
    for dist in dists:
        name = str(dist).rsplit("/", 1)[-1]
        body = (folder / name).read_bytes()
        assert int(void.value(dist, BYTE_SIZE)) == len(body)
        checksum = void.value(dist, URIRef(SPDX + "checksum"))
        assert str(void.value(checksum, URIRef(SPDX + "checksumValue"))) == sums[name]
        statements = len(body.decode().strip().splitlines()) if name != "synthkg.ttl" else None
        if statements is not None:
            assert int(void.value(dist, URIRef("http://rdfs.org/ns/void#triples"))) == statements
    graphs: dict[str, Graph] = {"ontology": Graph(), "data": Graph()}
    for name, graph in graphs.items():
        quads = ox.parse(path=str(folder / "synthkg.nq"), format=ox.RdfFormat.N_QUADS)
        wanted = ox.NamedNode(str(GRAPH[name]))
        triples = [
            ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == wanted
        ]
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    ontology, stored = graphs["ontology"], graphs["data"]
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/1.0.0")
    assert (ZERO, RDF_TYPE, SKG["Paper"]) in stored
    assert stored.value(DATASET, OWL.versionInfo) == Literal("1.0.0")
    # The served graph states its version: data/dataset.ttl now says it.
    assert load(data).value(DATASET, DCTERMS.hasVersion) == Literal("1.0.0")
    assert "First release." in (folder / "CHANGELOG.md").read_text()


RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_refuses_an_existing_or_older_version(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    build = tmp_path / "build"
    assert release(runner, data, build, "1.0.0").exit_code == 0
    before = digests(build / "releases" / "1.0.0")
    for version, message in (("1.0.0", "exists already"), ("0.9", "does not sort after"),
                             ("one", "not a version")):  # fmt: skip
        result = release(runner, data, build, version)
        assert result.exit_code == 2, result.output
        assert message in result.output
    result = release(runner, data, build, "2.0.0", "--prior", "0.5.0")
    assert result.exit_code == 2
    assert "no release 0.5.0" in result.output
    assert digests(build / "releases" / "1.0.0") == before
    assert sorted(p.name for p in (build / "releases").iterdir()) == ["1.0.0"]


def test_same_data_and_date_give_the_same_bytes(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert release(runner, data, one, "1.0.0", "--date", "2026-03-01").exit_code == 0
    assert release(runner, data, two, "1.0.0", "--date", "2026-03-01").exit_code == 0
    assert digests(one / "releases" / "1.0.0") == digests(two / "releases" / "1.0.0")


def test_changeset_between_two_releases(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert release(runner, data, build, "1.0.0", "--date", "2026-03-01").exit_code == 0
    steps = [
        ["add", "2402.00001", "--category", "Code", "--title", "A new paper", "--year", "2024"],
        ["remove", str(DET)],
        ["edit", "2505.03335", "--add-category", "Reasoning", "--year", "2024"],
    ]
    for step in steps:
        result = run(runner, *step, "--data", str(data), "--why", "t")
        assert result.exit_code == 0, result.output
    result = release(runner, data, build, "1.1.0", "--date", "2026-04-01")
    assert result.exit_code == 0, result.output
    folder = build / "releases" / "1.1.0"
    store = ox.Store()
    store.load(path=str(folder / "changes.ttl"), format=ox.RdfFormat.TURTLE)
    query = (paths.QUERIES_DIR / "curation" / "release-changes.rq").read_text()

    def text(row: ox.QuerySolution, name: str) -> str:
        return row[name].value if row[name] is not None else ""

    rows = {
        (text(r, "kind"), text(r, "paper"), text(r, "property")):
            (text(r, "oldValues"), text(r, "newValues"))
        for r in store.query(query)
    }  # fmt: skip
    year = "http://purl.org/spar/fabio/hasPublicationYear"
    assert rows == {
        ("added", str(PAPER["arxiv-2402.00001"]), ""): ("", ""),
        ("removed", str(DET), ""): ("", ""),
        ("reclassified", str(ZERO), str(SKG["hasApplication"])): ("", str(SKG["Reasoning"])),
        ("corrected", str(ZERO), year): ("2025", "2024"),
    }
    changes = Graph().parse(folder / "changes.ttl")
    node = RELEASE["1.1.0/changes"]
    assert changes.value(node, SKG["fromRelease"]) == RELEASE["1.0.0"]
    void = Graph().parse(folder / "void.ttl")
    assert void.value(RELEASE["1.1.0"], OWL.priorVersion) == RELEASE["1.0.0"]
    log = (folder / "CHANGELOG.md").read_text()
    assert "Changes since 1.0.0." in log
    assert "## Added (1)" in log and "- A new paper" in log
    assert "## Removed (1)" in log and "DetDiffusion" in log
    assert "## Reclassified (1)" in log and "skg:Reasoning" in log
    assert '"2025" → "2024"' in log


def test_served_graph_and_void_state_the_released_version(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store
    from synthkg.web.app import create_app

    assert release(runner, data, tmp_path / "build", "3.1.0", "--date", "2026-05-01").exit_code == 0
    store = memory_store(
        {ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: sorted(data.glob("*.ttl"))}
    )
    asked = store.query(
        f"SELECT ?v WHERE {{ <{DATASET}> <{OWL.versionInfo}> ?v }}",
        use_default_graph_as_union=True,
    )
    assert [row["v"].value for row in asked] == ["3.1.0"]
    app = create_app({"TESTING": True}, store)
    try:
        response = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
        assert response.status_code == 200
        void = Graph().parse(data=response.get_data(as_text=True), format="turtle")
        assert void.value(DATASET, OWL.versionInfo) == Literal("3.1.0")
        assert void.value(DATASET, OWL.versionIRI) == RELEASE["3.1.0"]
    finally:
        app.extensions["synthkg"].pool.close()

"""``synthkg add``: papers built from an identifier and categories, checked before writing."""

from __future__ import annotations

from pathlib import Path

import pytest

# XSD through its module: pytest warns about a closed namespace held at module level.
import rdflib.namespace as rdf_namespaces
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from curation.curation_support import copy_data, digests, load, run
from synthkg.graph import data_files
from synthkg.namespaces import AUTHOR, CLASSIFICATION, FABIO, PAPER, SCHEMA, SKG, VENUE
from synthkg.turtle import format_files
from synthkg.validate import validate_files


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def test_add_by_arxiv_id_builds_a_valid_paper_with_its_record(
    runner: CliRunner, data: Path
) -> None:
    result = run(
        runner, "add", "2401.10020v2", "--data", str(data),
        "--category", "FederatedLearning", "--category", "Synthesis from scratch",
        "--title", "Self-rewarding language models", "--year", "2024",
        "--why", "cited by the survey",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "paper:arxiv-2401.10020" in result.output
    graph = load(data)
    paper = PAPER["arxiv-2401.10020"]
    assert (paper, RDF.type, SKG["Paper"]) in graph
    assert (paper, RDF.type, SKG["Preprint"]) in graph
    assert graph.value(paper, SKG["arxivId"]) == Literal("2401.10020")
    assert (paper, SCHEMA.sameAs, URIRef("https://arxiv.org/abs/2401.10020")) in graph
    assert graph.value(paper, FABIO.hasPublicationYear) == Literal(
        "2024", datatype=rdf_namespaces.XSD.gYear
    )
    assert graph.value(paper, SKG["publishedIn"]) == VENUE["arxiv"]
    assert (paper, SKG["hasApplication"], SKG["FederatedLearning"]) in graph
    assert (paper, SKG["usesMethod"], SKG["SynthesisFromScratch"]) in graph
    node = CLASSIFICATION["arxiv-2401.10020/FederatedLearning"]
    assert graph.value(node, SKG["classifiedPaper"]) == paper
    record = graph.value(paper, PROV.wasGeneratedBy)
    assert (record, RDF.type, SKG["PaperAddition"]) in graph
    assert graph.value(node, PROV.wasGeneratedBy) == record
    assert str(graph.value(record, SKG["reason"])) == "cited by the survey"
    assert graph.value(record, PROV.endedAtTime).datatype == rdf_namespaces.XSD.dateTime
    curator = graph.value(record, PROV.wasAssociatedWith)
    assert str(graph.value(curator, RDFS.label)) == "Grace Curator"
    assert (data / "curation.ttl").is_file()
    assert format_files(data_files(data), check=True) == []
    assert validate_files(data_files(data)).conforms


@pytest.mark.parametrize(
    ("identifier", "iri", "prop", "value"),
    [
        ("10.1145/3580305.3599200", "doi-10.1145_3580305.3599200", "doi",
         "10.1145/3580305.3599200"),
        ("https://doi.org/10.1145/ABC.123", "doi-10.1145_abc.123", "doi", "10.1145/abc.123"),
        ("https://openreview.net/forum?id=BPgK5XW1Nb", "openreview-BPgK5XW1Nb", "openReviewId",
         "BPgK5XW1Nb"),
        ("https://arxiv.org/pdf/2310.01234v3", "arxiv-2310.01234", "arxivId", "2310.01234"),
    ],
)  # fmt: skip
def test_add_by_doi_or_url(
    runner: CliRunner, data: Path, identifier: str, iri: str, prop: str, value: str
) -> None:
    result = run(
        runner, "add", identifier, "--data", str(data), "--category", "Federated learning",
        "--title", f"A paper known by {value}", "--year", "2023", "--venue", "ICLR 2023",
        "--why", "test",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    graph = load(data)
    paper = PAPER[iri]
    assert graph.value(paper, SKG[prop]) == Literal(value)
    assert graph.value(paper, SKG["publishedIn"]) == VENUE["iclr"]
    assert (paper, RDF.type, SKG["Preprint"]) not in graph
    assert (VENUE["iclr"], RDF.type, SKG["Conference"]) in graph


def test_refuses_a_duplicate_identifier_naming_the_paper(runner: CliRunner, data: Path) -> None:
    before = digests(data)
    result = run(
        runner, "add", "https://arxiv.org/abs/2505.03335v1", "--data", str(data),
        "--category", "Code", "--title", "Another title", "--year", "2025", "--why", "test",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "paper:arxiv-2505.03335" in result.output
    assert "Absolute zero" in result.output
    assert digests(data) == before


def test_refuses_a_duplicate_title_naming_the_paper(runner: CliRunner, data: Path) -> None:
    before = digests(data)
    result = run(
        runner, "add", "10.1000/xyz.1", "--data", str(data), "--category", "Code",
        "--title", "ABSOLUTE ZERO - reinforced self-play reasoning with zero data!",
        "--year", "2025", "--why", "test",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "already in the graph" in result.output
    assert "paper:arxiv-2505.03335" in result.output
    assert digests(data) == before


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (["--category", "QuantumBaking"], 2, "unknown category"),
        (["--identifier", "10.12/"], 2, "malformed DOI"),
        (["--identifier", "not-an-id"], 2, "neither an arXiv ID"),
        (["--year", "1800"], 1, "before 1950"),
        (["--year", "20x4"], 2, "not a four-digit year"),
        (["--title", ""], 2, "title"),
        (["--author", "Ada Lovelace|0000-0002-1825-0098"], 2, "not a valid ORCID"),
    ],
)
def test_refuses_an_invalid_addition_and_leaves_data_unchanged(
    runner: CliRunner, data: Path, changes: list[str], code: int, message: str
) -> None:
    options = {"--identifier": "2402.00001", "--category": "Code", "--title": "Valid title",
               "--year": "2024"}  # fmt: skip
    extra: list[str] = []
    for flag, value in zip(changes[::2], changes[1::2], strict=True):
        if flag in options:
            options[flag] = value
        else:
            extra += [flag, value]
    identifier = options.pop("--identifier")
    args = [part for pair in options.items() for part in pair]
    before = digests(data)
    result = run(runner, "add", identifier, "--data", str(data), *args, *extra, "--why", "t")
    assert result.exit_code == code, result.output
    assert message in result.output
    assert digests(data) == before


def test_authors_are_one_resource_across_papers(runner: CliRunner, data: Path) -> None:
    first = run(
        runner, "add", "2402.00001", "--data", str(data), "--category", "Code",
        "--title", "First paper", "--year", "2024",
        "--author", "Ada Lovelace|0000-0002-1825-0097", "--author", "Alan Turing", "--why", "t",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    second = run(
        runner, "add", "2402.00002", "--data", str(data), "--category", "Code",
        "--title", "Second paper", "--year", "2024",
        "--author", "alan  turing", "--author", "Ada Lovelace|https://orcid.org/0000-0002-1825-0097",
        "--why", "t",
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    graph = load(data)
    ada, alan = AUTHOR["0000-0002-1825-0097"], AUTHOR["alan-turing"]
    assert (ada, SCHEMA.sameAs, URIRef("https://orcid.org/0000-0002-1825-0097")) in graph
    people = set(graph.subjects(RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")))
    assert {ada, alan} <= people
    assert len([p for p in people if str(p).startswith(str(AUTHOR))]) == 2
    for local, order in (("arxiv-2402.00001", [ada, alan]), ("arxiv-2402.00002", [alan, ada])):
        paper = PAPER[local]
        assert set(graph.objects(paper, DCTERMS.creator)) == {ada, alan}
        nodes = sorted(
            graph.objects(paper, SKG["authorship"]),
            key=lambda n: int(graph.value(n, SKG["authorPosition"])),
        )
        assert [graph.value(n, SKG["author"]) for n in nodes] == order
        assert str(nodes[0]) == f"{paper}/authorship/1"
    assert validate_files(data_files(data)).conforms

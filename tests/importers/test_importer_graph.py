"""Importing lists into a data folder: papers, merging, drafts, provenance, re-imports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef, namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from synthkg.cli import main
from synthkg.importers.run import DATA_FILES, import_list, load_curated
from synthkg.namespaces import FABIO, PAPER, PROV, SCHEMA, SKG, SOURCE, VENUE

FIXTURES = Path(__file__).resolve().parents[1] / "resources" / "importers"
GYEAR = namespace.XSD.gYear


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def imported(data: Path) -> Graph:
    import_list(FIXTURES / "basic.md", data)
    return load_curated(data)


def test_import_into_empty_folder_writes_three_files(data: Path) -> None:
    report = import_list(FIXTURES / "basic.md", data)
    assert sorted(p.name for p in data.iterdir()) == sorted(DATA_FILES)
    assert report.rows_read == 10
    assert report.papers_added == 5
    assert report.rows_merged == 4
    assert [(s.line, "Miscellaneous notes" in s.reason) for s in report.skipped] == [(55, True)]


def test_rows_sharing_arxiv_openreview_and_title_are_one_paper(imported: Graph) -> None:
    paper = PAPER["arxiv-2401.10020"]
    assert set(imported.objects(paper, SKG["arxivId"])) == {Literal("2401.10020")}
    assert set(imported.objects(paper, SKG["openReviewId"])) == {Literal("AbC123xYz_")}
    assert URIRef("https://openreview.net/forum?id=AbC123xYz_") in set(
        imported.objects(paper, SCHEMA.sameAs)
    )
    assert len(set(imported.objects(paper, PROV.wasDerivedFrom))) == 3
    # peer-reviewed rows win over the arXiv row for year and venue
    assert imported.value(paper, FABIO.hasPublicationYear) == Literal("2024", datatype=GYEAR)
    assert imported.value(paper, SKG["publishedIn"]) == VENUE["iclr"]
    assert (paper, RDF.type, SKG["Preprint"]) not in imported


def test_conflicting_years_stay_visible_in_rows(data: Path) -> None:
    report = import_list(FIXTURES / "basic.md", data)
    conflicts = {(c.paper, c.field): c.values for c in report.conflicts}
    assert conflicts[(PAPER["arxiv-2401.10020"], "year")] == ("2023", "2024")
    graph = load_curated(data)
    years = {
        str(graph.value(row, SKG["statedYear"]))
        for row in graph.objects(PAPER["arxiv-2401.10020"], PROV.wasDerivedFrom)
    }
    assert years == {"2023", "2024"}


def test_html_and_pdf_links_of_one_paper_merge(imported: Graph) -> None:
    neurips = PAPER["neurips-ba2e53000899e45e6018f639cb7469fa"]
    assert len(set(imported.objects(neurips, PROV.wasDerivedFrom))) == 2
    assert imported.value(neurips, SKG["publishedIn"]) == VENUE["neurips"]
    cvf = [p for p in imported.subjects(RDF.type, SKG["Paper"]) if "cvf-cvpr2024" in str(p)]
    assert len(cvf) == 1
    assert set(imported.objects(cvf[0], SKG["usesMethod"])) == {SKG["SynthesisFromScratch"]}
    assert set(imported.objects(cvf[0], SKG["hasApplication"])) == {SKG["FederatedLearning"]}


def test_paper_types_identifiers_and_venues(imported: Graph) -> None:
    paper = PAPER["arxiv-2212.10560"]
    assert set(imported.objects(paper, RDF.type)) == {SKG["Paper"], SKG["Preprint"]}
    assert imported.value(paper, SKG["arxivId"]) == Literal("2212.10560")
    assert imported.value(paper, SCHEMA.sameAs) == URIRef("https://arxiv.org/abs/2212.10560")
    assert set(imported.objects(VENUE["arxiv"], RDF.type)) == {
        SKG["Venue"],
        SKG["PreprintServer"],
    }
    assert imported.value(VENUE["neurips"], RDFS.label) == Literal("NeurIPS")
    assert Literal("NIPS") in set(imported.objects(VENUE["neurips"], SKOS.altLabel))
    assert imported.value(VENUE["cvpr"], SKOS.prefLabel).language == "en"
    plain = PAPER["title-a-plain-paper-title-without-any-link-at-all"]
    assert imported.value(plain, DCTERMS.title) == Literal(
        "A plain paper title without any link at all"
    )
    assert imported.value(plain, FABIO.hasPublicationYear) is None


def test_provenance_of_rows_and_classifications(imported: Graph) -> None:
    documents = list(imported.subjects(RDF.type, SKG["SourceDocument"]))
    assert len(documents) == 1
    document = documents[0]
    assert imported.value(document, DCTERMS.isVersionOf) == SOURCE["basic"]
    assert imported.value(document, SKG["fileName"]) == Literal("basic.md")
    assert str(document).endswith("/" + str(imported.value(document, SKG["sha256"]))[:12])
    row = URIRef(f"{document}/L24")
    assert imported.value(row, DCTERMS.isPartOf) == document
    assert imported.value(row, SKG["lineNumber"]).toPython() == 24
    assert imported.value(row, SKG["sectionCategory"]) == SKG["SynthesisFromScratch"]
    assert imported.value(row, SKG["statedVenue"]) == Literal("arXiv")
    assert imported.value(row, SKG["statedLink"]) == URIRef("https://arxiv.org/abs/2212.10560v2")
    assert str(imported.value(row, SKG["section"])).endswith(" > Synthesis from scratch")
    unknown = URIRef(f"{document}/L26")
    assert imported.value(unknown, SKG["statedYear"]) is None
    node = URIRef(str(SKG).replace("ontology/", "classification/") + "arxiv-2212.10560/X")
    classification = URIRef(str(node).removesuffix("X") + "SynthesisFromScratch")
    assert imported.value(classification, SKG["classifiedPaper"]) == PAPER["arxiv-2212.10560"]
    assert imported.value(classification, PROV.wasDerivedFrom) == row


def test_which_list_put_a_paper_in_a_category_is_answerable(data: Path) -> None:
    import_list(FIXTURES / "basic.md", data)
    import_list(FIXTURES / "draft.md", data)
    store = ox.Store()
    for path in sorted(data.glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    query = (FIXTURES / "classification-source.rq").read_text(encoding="utf-8")
    solutions = store.query(
        query,
        substitutions={
            ox.Variable("paper"): ox.NamedNode(str(PAPER["arxiv-2212.10560"])),
            ox.Variable("category"): ox.NamedNode(str(SKG["SynthesisFromSeeds"])),
        },
    )
    answers = [(s["list"].value, int(s["line"].value), s["section"].value) for s in solutions]
    assert answers == [
        (
            str(SOURCE["draft"]),
            10,
            "1. Methodologies > 1.1 Generation-Based Synthesis > Synthesis from seeds",
        )
    ]


def test_draft_short_names_merge_or_become_incomplete(data: Path) -> None:
    import_list(FIXTURES / "basic.md", data)
    report = import_list(FIXTURES / "draft.md", data)
    graph = load_curated(data)
    paper = PAPER["arxiv-2212.10560"]
    assert graph.value(paper, SKG["shortName"]) == Literal("Self-Instruct")
    # curated values stay; the draft's disagreement is a counted conflict
    assert graph.value(paper, FABIO.hasPublicationYear) == Literal("2022", datatype=GYEAR)
    assert {(c.field, c.values) for c in report.conflicts if c.paper == paper} == {
        ("year", ("2022", "2023")),
        ("venue", ("acl", "arxiv")),
    }
    stub = PAPER["title-gizmo-7"]
    assert graph.value(stub, SKG["recordStatus"]) == SKG["Incomplete"]
    assert graph.value(stub, DCTERMS.title) == Literal("Gizmo-7")
    assert graph.value(stub, SKG["shortName"]) == Literal("Gizmo-7")
    assert graph.value(stub, FABIO.hasPublicationYear) == Literal("2021", datatype=GYEAR)
    assert set(graph.objects(stub, SKG["usesMethod"])) == {SKG["SynthesisFromSeeds"]}
    assert set(graph.objects(stub, SKG["hasApplication"])) == {SKG["InContextLearning"]}
    assert (report.papers_added, report.incomplete_added, report.rows_merged) == (2, 2, 2)
    # every draft row is a paper or merged into one
    rows = set(graph.subjects(DCTERMS.isPartOf, URIRef(str(report.document))))
    derived = set(graph.objects(None, PROV.wasDerivedFrom))
    assert len(rows) == 4 and rows <= derived


def test_short_name_needs_a_single_match(data: Path, tmp_path: Path) -> None:
    two = tmp_path / "two.md"
    two.write_text(
        "## 1. Methodologies\n\n**Synthesis from scratch**\n"
        "| Paper Title | Year | Conference/Journal |\n|---|---|---|\n"
        "| [Gadget: one paper](https://arxiv.org/abs/2301.00011) | 2023 | arXiv |\n"
        "| [Gadget: another paper](https://arxiv.org/abs/2301.00022) | 2023 | arXiv |\n",
        encoding="utf-8",
    )
    import_list(two, data)
    short = tmp_path / "short.md"
    short.write_text(
        "## 1. Methodologies\n\n**Synthesis from seeds**\n"
        "| Paper Title | Year | Conference/Journal |\n|---|---|---|\n| Gadget | - | - |\n",
        encoding="utf-8",
    )
    report = import_list(short, data)
    assert report.incomplete_added == 1
    graph = load_curated(data)
    assert graph.value(PAPER["title-gadget"], SKG["recordStatus"]) == SKG["Incomplete"]
    assert set(graph.subjects(SKG["shortName"], Literal("Gadget"))) == {PAPER["title-gadget"]}


def test_importing_twice_changes_nothing(data: Path) -> None:
    import_list(FIXTURES / "basic.md", data)
    import_list(FIXTURES / "draft.md", data)
    before = snapshot(data)
    again = import_list(FIXTURES / "basic.md", data)
    import_list(FIXTURES / "draft.md", data)
    assert snapshot(data) == before
    assert (again.papers_added, again.classifications_added) == (0, 0)
    assert again.rows_merged == 9


def test_newer_version_adds_and_keeps_curated_edits(data: Path, tmp_path: Path) -> None:
    listed = tmp_path / "basic.md"
    shutil.copy(FIXTURES / "basic.md", listed)
    import_list(listed, data)
    papers = data / "papers.ttl"
    text = papers.read_text(encoding="utf-8")
    edited = text.replace(
        'dcterms:title "Self-instruct: Aligning language models with self-generated instructions"'
        ' ;\n    fabio:hasPublicationYear "2022"^^xsd:gYear',
        'dcterms:title "Self-Instruct: Aligning Language Models with Self-Generated Instructions"'
        ' ;\n    fabio:hasPublicationYear "2023"^^xsd:gYear',
    )
    assert edited != text
    papers.write_text(edited, encoding="utf-8")
    shutil.copy(FIXTURES / "basic-v2.md", listed)  # the same list, a newer version
    report = import_list(listed, data)
    assert report.papers_added == 1 and report.classifications_added == 2
    graph = load_curated(data)
    paper = PAPER["arxiv-2212.10560"]
    assert graph.value(paper, FABIO.hasPublicationYear) == Literal("2023", datatype=GYEAR)
    assert str(graph.value(paper, DCTERMS.title)).startswith("Self-Instruct: Aligning Language")
    assert SKG["ModelCollapse"] in set(graph.objects(paper, SKG["addressesChallenge"]))
    assert PAPER["doi-10.1145_3637528.3671771"] in set(graph.subjects(RDF.type, SKG["Paper"]))
    versions = set(graph.subjects(DCTERMS.isVersionOf, SOURCE["basic"]))
    assert len(versions) == 2


def test_cli_prints_summary(data: Path) -> None:
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "basic.md"), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "rows read:             10" in result.output
    assert "papers added:          5" in result.output
    assert "papers merged:         4" in result.output
    assert "conflicts:             2" in result.output
    assert "line 55: no taxonomy category" in result.output


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    binary = tmp_path / "binary.md"
    binary.write_bytes(bytes(range(256)) * 16)
    invalid = tmp_path / "invalid-utf8.md"
    invalid.write_bytes(b"\xff\xfe\x00\x81\x8d\x8f\x90\x9d" * 64)
    return {
        "missing": tmp_path / "missing.md",
        "binary": binary,
        "invalid-utf8": invalid,
        "no-tables": FIXTURES / "no-tables.md",
    }


@pytest.mark.parametrize("kind", ["missing", "binary", "invalid-utf8", "no-tables"])
def test_bad_input_exits_2_and_leaves_data_untouched(kind: str, data: Path, tmp_path: Path) -> None:
    import_list(FIXTURES / "basic.md", data)
    before = snapshot(data)
    source = _bad_inputs(tmp_path)[kind]
    result = CliRunner().invoke(main, ["import", str(source), "--data", str(data)])
    assert result.exit_code == 2, result.output
    assert source.name in result.output
    assert snapshot(data) == before

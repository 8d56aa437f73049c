"""``synthkg edit`` and ``synthkg remove``: corrections recorded with who, when, why."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from curation.curation_support import copy_data, digests, load, run
from synthkg import paths
from synthkg.graph import data_files
from synthkg.namespaces import CLASSIFICATION, FABIO, PAPER, SCHEMA, SKG, VENUE
from synthkg.validate import validate_files

ZERO = PAPER["arxiv-2505.03335"]
DET = PAPER["doi-10.1109_cvpr52733.2024.00705"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def history(folder: Path) -> list[dict[str, str]]:
    """The rows of the named query paper-history.rq over the folder's data."""
    store = ox.Store()
    for path in data_files(folder):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    query = (paths.QUERIES_DIR / "curation" / "paper-history.rq").read_text(encoding="utf-8")
    names = ("paper", "kind", "curator", "why", "property", "oldValues", "newValues")
    return [
        {n: (row[n].value if row[n] is not None else "") for n in names}
        for row in store.query(query)
    ]


def test_edit_records_each_changed_field_with_old_and_new_values(
    runner: CliRunner, data: Path
) -> None:
    result = run(
        runner, "edit", "paper:arxiv-2505.03335", "--data", str(data),
        "--title", "Absolute Zero: reinforced self-play reasoning with zero data",
        "--venue", "NeurIPS", "--remove-category", "ZeroFewShotLearning",
        "--add-category", "Reasoning", "--why", "camera-ready version",
        curator="Ada Editor",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    graph = load(data)
    assert str(graph.value(ZERO, DCTERMS.title)).startswith("Absolute Zero: reinforced")
    assert graph.value(ZERO, SKG["publishedIn"]) == VENUE["neurips"]
    assert (ZERO, RDF.type, SKG["Preprint"]) not in graph
    assert (ZERO, SKG["hasApplication"], SKG["Reasoning"]) in graph
    assert (ZERO, SKG["hasApplication"], SKG["ZeroFewShotLearning"]) not in graph
    assert (CLASSIFICATION["arxiv-2505.03335/Reasoning"], RDF.type, SKG["Classification"]) in graph
    rows = [r for r in history(data) if r["kind"].endswith("PaperCorrection")]
    by_property = {r["property"].rsplit("/", 1)[-1]: r for r in rows}
    assert set(by_property) == {"title", "publishedIn", "hasApplication"}
    assert by_property["publishedIn"]["oldValues"] == str(VENUE["arxiv"])
    assert by_property["publishedIn"]["newValues"] == str(VENUE["neurips"])
    assert by_property["hasApplication"]["oldValues"] == str(SKG["ZeroFewShotLearning"])
    assert by_property["hasApplication"]["newValues"] == str(SKG["Reasoning"])
    assert by_property["title"]["oldValues"].startswith("Absolute zero: Reinforced")
    assert {r["curator"] for r in rows} == {"Ada Editor"}
    assert {r["why"] for r in rows} == {"camera-ready version"}
    assert validate_files(data_files(data)).conforms


def test_edit_of_authors_then_their_order(runner: CliRunner, data: Path) -> None:
    first = run(runner, "edit", "2505.03335", "--data", str(data),
                "--authors", "Ada Lovelace; Alan Turing", "--why", "byline")  # fmt: skip
    assert first.exit_code == 0, first.output
    second = run(runner, "edit", "2505.03335", "--data", str(data),
                 "--authors", "Alan Turing; Ada Lovelace", "--why", "order")  # fmt: skip
    assert second.exit_code == 0, second.output
    rows = {r["why"]: r for r in history(data) if r["property"]}
    assert rows["byline"]["property"] == str(DCTERMS.creator)
    assert rows["order"]["property"] == str(SKG["authorship"])
    graph = load(data)
    first_author = graph.value(PAPER["arxiv-2505.03335/authorship/1"], SKG["author"])
    assert str(graph.value(first_author, RDFS.label)) == "Alan Turing"


def test_new_author_order_is_recorded_beside_another_change(runner: CliRunner, data: Path) -> None:
    first = run(runner, "edit", "2505.03335", "--data", str(data),
                "--authors", "Ada Lovelace; Alan Turing", "--why", "byline")  # fmt: skip
    assert first.exit_code == 0, first.output
    both = run(runner, "edit", "2505.03335", "--data", str(data), "--year", "2024",
               "--authors", "Alan Turing; Ada Lovelace", "--why", "both")  # fmt: skip
    assert both.exit_code == 0, both.output
    changed = {r["property"] for r in history(data) if r["why"] == "both"}
    assert changed == {str(FABIO.hasPublicationYear), str(SKG["authorship"])}


def test_edit_adds_the_published_versions_identifier(runner: CliRunner, data: Path) -> None:
    result = run(runner, "edit", "2505.03335", "--data", str(data),
                 "--add-identifier", "https://doi.org/10.5555/ABS.ZERO.2025",
                 "--why", "published")  # fmt: skip
    assert result.exit_code == 0, result.output
    graph = load(data)
    assert graph.value(ZERO, SKG["doi"]) == Literal("10.5555/abs.zero.2025")
    assert (ZERO, SCHEMA.sameAs, URIRef("https://doi.org/10.5555/abs.zero.2025")) in graph
    rows = [r for r in history(data) if r["why"] == "published"]
    assert [(r["property"], r["newValues"]) for r in rows] == [
        (str(SKG["doi"]), "10.5555/abs.zero.2025")
    ]
    assert validate_files(data_files(data)).conforms
    before = digests(data)
    taken = run(runner, "edit", "2505.03335", "--data", str(data),
                "--add-identifier", "10.1109/CVPR52733.2024.00705", "--why", "t")  # fmt: skip
    assert taken.exit_code == 2
    assert "already in the graph as paper:doi-10.1109_cvpr52733.2024.00705" in taken.output
    assert digests(data) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["paper:nope"], 2, "no paper"),
        (["2505.03335", "--year", "1800"], 1, "before 1950"),
        (["2505.03335", "--add-category", "Nope"], 2, "unknown category"),
        (["2505.03335", "--title", "DetDiffusion: synergizing generative and perceptive "
          "models for enhanced data generation and perception"], 2, "already in the graph"),
        (["2505.03335", "--year", "2025"], 2, "nothing to change"),
    ],
)  # fmt: skip
def test_refused_edits_change_nothing(
    runner: CliRunner, data: Path, args: list[str], code: int, message: str
) -> None:
    before = digests(data)
    result = run(runner, "edit", *args, "--data", str(data), "--why", "t")
    assert result.exit_code == code, result.output
    assert message in result.output
    assert digests(data) == before


def test_remove_keeps_a_removed_paper_record(runner: CliRunner, data: Path) -> None:
    result = run(runner, "remove", "arxiv-2505.03335",
                 "--replaced-by", "10.1109/CVPR52733.2024.00705",
                 "--data", str(data), "--why", "duplicate entry")  # fmt: skip
    assert result.exit_code == 0, result.output
    graph = load(data)
    assert (ZERO, RDF.type, SKG["Paper"]) not in graph
    assert (ZERO, RDF.type, SKG["RemovedPaper"]) in graph
    assert graph.value(ZERO, DCTERMS.isReplacedBy) == DET
    assert graph.value(ZERO, SKG["arxivId"]) == Literal("2505.03335")
    assert (ZERO, SKG["hasApplication"], None) not in graph
    record = graph.value(ZERO, PROV.wasInvalidatedBy)
    assert (record, RDF.type, SKG["PaperRemoval"]) in graph
    assert str(graph.value(record, SKG["reason"])) == "duplicate entry"
    assert validate_files(data_files(data)).conforms
    again = run(runner, "add", "2505.03335", "--data", str(data), "--category", "Code",
                "--title", "Absolute zero again", "--year", "2025", "--why", "t")  # fmt: skip
    assert again.exit_code == 2
    assert "removed earlier (duplicate entry)" in again.output
    twice = run(runner, "remove", "arxiv-2505.03335", "--data", str(data), "--why", "t")
    assert twice.exit_code == 2
    assert "was removed already" in twice.output


def test_import_does_not_bring_back_a_removed_paper(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    removed = run(runner, "remove", "arxiv-2505.03335", "--data", str(data), "--why", "off-topic")
    assert removed.exit_code == 0, removed.output
    listing = tmp_path / "list.md"
    listing.write_text(
        "## 1.1 Generation-Based Synthesis\n\n**Synthesis from scratch**\n"
        "| Paper Title | Year | Conference/Journal |\n|---|---|---|\n"
        "| [Absolute zero: Reinforced self-play reasoning with zero data]"
        "(https://arxiv.org/abs/2505.03335) | 2025 | arXiv |\n",
        encoding="utf-8",
    )
    result = run(runner, "import", str(listing), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "removed by a curator" in result.output
    graph = load(data)
    assert (ZERO, RDF.type, SKG["Paper"]) not in graph
    assert (ZERO, SKG["usesMethod"], None) not in graph
    assert (ZERO, RDF.type, SKG["RemovedPaper"]) in graph

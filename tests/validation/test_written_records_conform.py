"""What ``synthkg add``, ``edit`` and ``remove`` write meets the shapes.

Each command runs on a copy of the curation fixture data; the whole folder is then
validated, so the author, authorship, curation-record and removed-paper shapes see
exactly what the commands produce.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import RDF

from curation.curation_support import copy_data, run
from synthkg.graph import data_files
from synthkg.namespaces import AUTHOR, PAPER, SCHEMA, SKG
from synthkg.validate import Outcome, validate_files

NEW = "2401.00001"
ADA = "Ada Lovelace|0000-0002-1825-0097"


def _validate(folder: Path) -> Outcome:
    return validate_files(data_files(folder))


def _problems(outcome: Outcome) -> list[tuple[str, str, str]]:
    return [(str(f.focus), f.severity, f.message) for f in outcome.findings]


def _add(runner: CliRunner, folder: Path) -> None:
    result = run(
        runner,
        "add",
        NEW,
        "--category",
        "FederatedLearning",
        "--title",
        "A fresh paper on synthetic clients",
        "--year",
        "2024",
        "--author",
        ADA,
        "--author",
        "Alan Turing",
        "--data",
        str(folder),
        "--why",
        "listed in the proceedings",
    )
    assert result.exit_code == 0, result.output


def test_added_paper_with_authors_conforms(runner: CliRunner, tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    assert _problems(_validate(folder)) == []
    _add(runner, folder)
    outcome = _validate(folder)
    assert _problems(outcome) == []
    graph = outcome.data
    # The shapes really had something to check: two authors, their byline, one record.
    assert set(graph.subjects(RDF.type, SCHEMA.Person)) == {
        AUTHOR["0000-0002-1825-0097"],
        AUTHOR["alan-turing"],
    }
    assert len(set(graph.subjects(RDF.type, SKG["Authorship"]))) == 2
    assert len(set(graph.subjects(RDF.type, SKG["PaperAddition"]))) == 1


def test_edited_paper_conforms(runner: CliRunner, tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    _add(runner, folder)
    result = run(
        runner,
        "edit",
        f"paper:arxiv-{NEW}",
        "--title",
        "A fresher paper on synthetic clients",
        "--year",
        "2025",
        "--authors",
        f"Alan Turing; Grace Hopper; {ADA}",
        "--add-category",
        "SynthesisFromScratch",
        "--data",
        str(folder),
        "--why",
        "camera-ready version",
    )
    assert result.exit_code == 0, result.output
    outcome = _validate(folder)
    assert _problems(outcome) == []
    graph = outcome.data
    corrections = set(graph.subjects(RDF.type, SKG["PaperCorrection"]))
    assert len(corrections) == 1
    changes = set(graph.objects(next(iter(corrections)), SKG["fieldChange"]))
    assert len(changes) >= 4  # title, year, creators, method
    assert len(set(graph.objects(PAPER[f"arxiv-{NEW}"], SKG["authorship"]))) == 3


def test_removed_paper_conforms(runner: CliRunner, tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    _add(runner, folder)
    result = run(
        runner,
        "remove",
        "paper:doi-10.1109_cvpr52733.2024.00705",
        "--replaced-by",
        f"paper:arxiv-{NEW}",
        "--data",
        str(folder),
        "--why",
        "duplicate of the arXiv version",
    )
    assert result.exit_code == 0, result.output
    outcome = _validate(folder)
    assert _problems(outcome) == []
    removed = URIRef(PAPER["doi-10.1109_cvpr52733.2024.00705"])
    assert (removed, RDF.type, SKG["RemovedPaper"]) in outcome.data
    assert len(set(outcome.data.subjects(RDF.type, SKG["PaperRemoval"]))) == 1


def test_removing_an_author_s_only_paper_leaves_no_orphan(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = copy_data(tmp_path)
    _add(runner, folder)
    result = run(
        runner, "remove", f"paper:arxiv-{NEW}", "--data", str(folder), "--why", "not a paper"
    )
    assert result.exit_code == 0, result.output
    outcome = _validate(folder)
    assert _problems(outcome) == []
    assert set(outcome.data.subjects(RDF.type, SCHEMA.Person)) == set()

"""OWL 2 reasoning with HermiT (through owlready2) on the ontology and on small fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from synthkg import paths
from synthkg.cli import main
from synthkg.errors import ConformanceError
from synthkg.graph import data_files, parse_files
from synthkg.namespaces import PAPER, SKG
from synthkg.ontology import build_rdfxml, classify, reason, serialize_rdfxml


def fixture_owl(resources: Path, tmp_path: Path, name: str) -> Path:
    return build_rdfxml(resources / "ontology" / f"{name}.ttl", tmp_path / f"{name}.owl")


def test_ontology_is_consistent_and_every_class_satisfiable() -> None:
    report = reason(paths.ONTOLOGY_RDFXML)
    assert report.ok
    assert report.unsatisfiable == ()
    # The 74 categories, the 12 classes of the data model and the external classes.
    assert report.classes >= 74 + 12


def test_inconsistent_ontology_is_reported(resources: Path, tmp_path: Path) -> None:
    owl = fixture_owl(resources, tmp_path, "inconsistent")
    with pytest.raises(ConformanceError, match="inconsistent"):
        reason(owl)


def test_unsatisfiable_class_is_reported(
    resources: Path, tmp_path: Path, runner: CliRunner
) -> None:
    owl = fixture_owl(resources, tmp_path, "unsatisfiable")
    report = reason(owl)
    assert not report.ok
    assert report.unsatisfiable == ("https://example.org/unsatisfiable/ConferenceJournal",)
    result = runner.invoke(main, ["ontology", "reason", "--owl", str(owl)])
    assert result.exit_code == 1
    assert "ConferenceJournal" in result.output


def test_cli_reason_on_the_ontology(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ontology", "reason"])
    assert result.exit_code == 0, result.output
    assert "consistent" in result.output


def test_qualified_classification_entails_the_direct_link(resources: Path, tmp_path: Path) -> None:
    graph = parse_files([paths.ONTOLOGY_TTL, resources / "ontology" / "classification.ttl"])
    owl = tmp_path / "with-data.owl"
    owl.write_text(serialize_rdfxml(graph), encoding="utf-8")
    world = classify(owl, infer_property_values=True)
    paper = str(PAPER["arxiv-0000.00001"])
    rows = world.sparql(f"SELECT ?c WHERE {{ <{paper}> <{SKG['classifiedUnder']}> ?c }}")
    assert {entity.iri for (entity,) in rows} == {str(SKG["DatasetDistillation"])}


def test_ontology_with_the_curated_data_is_consistent(tmp_path: Path) -> None:
    files = data_files()
    assert files, "data/ holds the curated graph"
    graph = parse_files([paths.ONTOLOGY_TTL, *files])
    owl = tmp_path / "with-data.owl"
    owl.write_text(serialize_rdfxml(graph), encoding="utf-8")
    # The data's years are xsd:gYear, which HermiT does not support.
    world = classify(owl, ignore_unsupported_datatypes=True)
    papers = list(world.search(type=world[str(SKG["Paper"])]))
    assert len(papers) > 100

"""``synthkg export`` on the project graph: standard output, files, errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph

from synthkg.cli import main


def test_turtle_to_stdout_parses_and_holds_ontology_data_and_derived(runner: CliRunner):
    result = runner.invoke(main, ["export", "--format", "ttl"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout_bytes, format="turtle")
    text = result.stdout_bytes.decode()
    assert "owl:Ontology" in text  # the ontology
    assert "skg:Classification" in text  # the data
    assert "wdt:P818" in text  # the derived identifiers
    assert len(graph) > 10_000


def test_output_file_is_written_and_same_bytes_twice(runner: CliRunner, tmp_path: Path):
    target = tmp_path / "out" / "synthkg.bib"
    first = runner.invoke(main, ["export", "-f", "bibtex", "-o", str(target)])
    assert first.exit_code == 0, first.output
    body = target.read_bytes()
    assert body.startswith(b"@")
    second = runner.invoke(main, ["export", "-f", "bibtex", "-o", str(target)])
    assert second.exit_code == 0
    assert target.read_bytes() == body
    assert [p.name for p in target.parent.iterdir()] == ["synthkg.bib"]  # no temp file left


def test_unknown_format_is_a_usage_error(runner: CliRunner):
    result = runner.invoke(main, ["export", "--format", "docx"])
    assert result.exit_code == 2
    assert "docx" in result.output


def test_output_into_a_directory_fails_cleanly(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(main, ["export", "-f", "csv", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []

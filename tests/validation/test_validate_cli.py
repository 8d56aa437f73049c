"""`synthkg validate`: exit codes, report formats, provenance in the text report."""

from __future__ import annotations

import json

from rdflib import Graph
from rdflib.namespace import RDF
from validation_fixtures import fixture

from synthkg.cli import main
from synthkg.namespaces import SH


def test_conforming_file_exits_0_and_shows_stub_warnings_by_line(runner) -> None:
    result = runner.invoke(main, ["validate", str(fixture("valid"))])
    assert result.exit_code == 0, result.output
    assert "paper:title-self-instruct" in result.output
    assert '"Self-Instruct"' in result.output
    assert "from draft.md:42" in result.output
    assert "[Warning] Incomplete record: the draft row gives no venue" in result.output
    assert result.output.rstrip().endswith("conforms: 0 violation(s), 3 warning(s) on 1 node(s)")


def test_violation_exits_1_with_path_message_and_value(runner) -> None:
    result = runner.invoke(main, ["validate", str(fixture("paper-arxiv-version"))])
    assert result.exit_code == 1
    assert "paper:arxiv-2401.00009" in result.output
    assert "[Violation] skg:arxivId: skg:arxivId must be one arXiv identifier" in result.output
    assert "value: 2401.00009v2" in result.output
    assert "does not conform: 2 violation(s)" in result.output


def test_syntax_error_exits_2_naming_file_and_line(runner) -> None:
    result = runner.invoke(main, ["validate", str(fixture("broken"))])
    assert result.exit_code == 2
    assert "broken.ttl:8:" in result.output
    assert "not valid RDF" in result.output


def test_missing_file_exits_2(runner, tmp_path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "absent.ttl")])
    assert result.exit_code == 2


def test_turtle_format_is_a_validation_report(runner) -> None:
    result = runner.invoke(main, ["validate", "--format", "turtle", str(fixture("paper-stub"))])
    assert result.exit_code == 0
    report = Graph().parse(data=result.stdout, format="turtle")
    node = report.value(None, RDF.type, SH.ValidationReport)
    assert node is not None
    assert report.value(node, SH.conforms).toPython() is True
    assert len(list(report.objects(node, SH.result))) == 3


def test_turtle_report_includes_sparql_constraint_results(runner) -> None:
    args = ["validate", "--format", "turtle", str(fixture("paper-year-future"))]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    node = report.value(None, RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is False
    components = set(report.objects(None, SH.sourceConstraintComponent))
    assert components == {SH.SPARQLConstraintComponent}
    messages = {str(m) for m in report.objects(None, SH.resultMessage)}
    assert messages == {"Publication year 2999 is before 1950 or after next year."}


def test_json_format(runner) -> None:
    result = runner.invoke(
        main, ["validate", "--format", "json", str(fixture("paper-title-missing"))]
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False
    assert document["violations"] == 1
    assert document["warnings"] == 0
    (only,) = document["results"]
    assert only["resultPath"] == "dcterms:title"
    assert only["sourceShape"] == "skgsh:PaperTitle"
    assert only["resultSeverity"] == "Violation"


def test_json_sources_point_at_draft_lines(runner) -> None:
    result = runner.invoke(main, ["validate", "--format", "json", str(fixture("valid"))])
    document = json.loads(result.stdout)
    assert {tuple(r["sources"]) for r in document["results"]} == {("draft.md:42",)}


def test_quality_is_informational(runner) -> None:
    args = ["validate", "--quality", "--format", "json", str(fixture("valid"))]
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    checks = {check["check"]: check for check in document["quality"]}
    # the fixture leaves most of the project's categories empty; that does not fail validation
    assert checks["empty-categories"]["rows"]
    assert checks["shared-identifier"]["rows"] == []


def test_quality_text_and_exit_code_1_kept(runner) -> None:
    result = runner.invoke(main, ["validate", "--quality", str(fixture("paper-title-missing"))])
    assert result.exit_code == 1
    assert "== shared-identifier: 0 row(s)" in result.output
    assert "quality: " in result.output


def test_quality_in_turtle_stays_parseable(runner) -> None:
    args = ["validate", "--quality", "--format", "turtle", str(fixture("valid"))]
    result = runner.invoke(main, args)
    assert "# == empty-categories" in result.output
    Graph().parse(data=result.stdout, format="turtle")


def test_help_documents_exit_codes(runner) -> None:
    result = runner.invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    for line in ("0  conforms", "1  at least one violation", "2  a file cannot be read"):
        assert line in result.output

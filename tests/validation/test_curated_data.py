"""The curated graph in data/ meets the shapes (warnings for draft stubs are allowed)."""

from __future__ import annotations

import time

from synthkg.cli import main
from synthkg.graph import data_files
from synthkg.validate import validate_files


def test_curated_data_conforms() -> None:
    assert data_files(), "data/ holds no Turtle files"
    outcome = validate_files()
    violations = [(str(f.focus), f.message) for f in outcome.findings if f.severity == "Violation"]
    assert violations == []


def test_curated_data_warnings_are_only_incomplete_records() -> None:
    outcome = validate_files()
    for finding in outcome.findings:
        assert finding.severity == "Warning"
        assert finding.message.startswith("Incomplete record"), finding


def test_default_command_validates_data_quickly(runner) -> None:
    start = time.perf_counter()
    result = runner.invoke(main, ["validate"])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s)" in result.output
    assert elapsed < 15, f"validation took {elapsed:.1f} s"

"""An import of the draft list alone: its name-only rows come back as warnings with lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from synthkg.cli import main

DRAFT = "seed-awesome-synthetic-data-generation-draft.md"
# The shared folder of source lists, beside the checkout (as in tests/conftest.py).
SOURCES_DIR = Path(__file__).resolve().parents[3] / "shared" / "sources"


@pytest.fixture
def draft_data(runner, tmp_path):
    source = SOURCES_DIR / DRAFT
    result = runner.invoke(main, ["import", "--data", str(tmp_path), str(source)])
    assert result.exit_code == 0, result.output
    return sorted(tmp_path.glob("*.ttl"))


def test_draft_stubs_warn_with_draft_line_numbers(runner, draft_data) -> None:
    result = runner.invoke(main, ["validate", "--format", "json", *map(str, draft_data)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["violations"] == 0
    assert report["warnings"] > 0
    for finding in report["results"]:
        assert finding["resultSeverity"] == "Warning"
        assert finding["sources"], finding
        assert all(re.fullmatch(rf"{re.escape(DRAFT)}:\d+", s) for s in finding["sources"])


def test_draft_text_report_names_lines(runner, draft_data) -> None:
    result = runner.invoke(main, ["validate", *map(str, draft_data)])
    assert result.exit_code == 0
    assert re.search(rf"from {re.escape(DRAFT)}:\d+", result.output)
    assert "Incomplete record: the draft row gives no identifier or link." in result.output

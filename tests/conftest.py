"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from testpaths import RESOURCES


@pytest.fixture
def resources() -> Path:
    """The folder of small test fixtures."""
    return RESOURCES


@pytest.fixture
def runner() -> CliRunner:
    """A click runner for the ``synthkg`` command."""
    return CliRunner()

"""Shared helpers of the curation and release tests: a scratch copy of a small data folder."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from synthkg.cli import main
from synthkg.graph import data_files, parse_files

FIXTURE_DATA = Path(__file__).resolve().parents[1] / "resources" / "curation" / "data"


def copy_data(tmp_path: Path) -> Path:
    """A copy of the fixture data folder that a test may change."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    return folder


def digests(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file in the folder (hidden files included)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def run(runner: CliRunner, *args: str, curator: str = "Grace Curator") -> Result:
    """``synthkg ARGS`` with a fixed curator."""
    return runner.invoke(main, list(args), env={"SYNTHKG_CURATOR": curator})


def load(folder: Path):
    return parse_files(data_files(folder))

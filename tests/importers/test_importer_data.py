"""The committed data/ is what the two source lists produce, in canonical form."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SOURCES_DIR
from synthkg import paths
from synthkg.graph import data_files
from synthkg.importers.run import DATA_FILES, import_list
from synthkg.turtle import format_files

# Imported in this order: the current list first, then the early draft.
SOURCES = (
    "awesome-synthetic-data-generation.md",
    "seed-awesome-synthetic-data-generation-draft.md",
)


@pytest.mark.slow
def test_committed_data_is_reproducible(tmp_path: Path) -> None:
    for name in SOURCES:
        import_list(SOURCES_DIR / name, tmp_path)
    for name in DATA_FILES:
        rebuilt = (tmp_path / name).read_bytes()
        committed = (paths.DATA_DIR / name).read_bytes()
        assert committed == rebuilt, (
            f"data/{name} differs from a fresh import of the source lists; "
            "re-run `synthkg import` on them"
        )


def test_committed_data_is_canonical() -> None:
    files = data_files()
    assert {p.name for p in files} >= set(DATA_FILES)
    stale = format_files(files, check=True)
    assert not stale, f"not canonical: {[p.name for p in stale]}; run `synthkg format`"

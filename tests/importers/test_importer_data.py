"""The committed data/ holds everything the two source lists say, in canonical form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from synthkg import paths
from synthkg.graph import data_files
from synthkg.importers.run import DATA_FILES, import_list
from synthkg.turtle import format_files
from testpaths import SOURCES_DIR

# Imported in this order: the current list first, then the early draft.
SOURCES = (
    "awesome-synthetic-data-generation.md",
    "seed-awesome-synthetic-data-generation-draft.md",
)


@pytest.mark.slow
def test_committed_data_holds_everything_the_lists_say(tmp_path: Path) -> None:
    # data/ is curated (edits win over imports), so the check is that importing the
    # source lists again into a copy of it adds nothing and changes nothing.
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, copy)
    for name in SOURCES:
        import_list(SOURCES_DIR / name, copy)
    for name in DATA_FILES:
        reimported = (copy / name).read_bytes()
        committed = (paths.DATA_DIR / name).read_bytes()
        assert committed == reimported, (
            f"data/{name} lacks facts the source lists give; run `synthkg import` on them"
        )


def test_committed_data_is_canonical() -> None:
    files = data_files()
    assert {p.name for p in files} >= set(DATA_FILES)
    stale = format_files(files, check=True)
    assert not stale, f"not canonical: {[p.name for p in stale]}; run `synthkg format`"

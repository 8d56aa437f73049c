"""The awesome-list Markdown export: survey order, and a lossless round trip through the
importer (same papers, same classifications)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from synthkg import paths
from synthkg.export import export
from synthkg.export.records import paper_records
from synthkg.graph import data_files
from synthkg.importers.run import import_list
from synthkg.importers.titles import title_key
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store


def summary(store: ox.Store) -> dict[object, tuple]:
    """Each paper by its best link (or normalised title): categories, year, venue, title."""
    found = {}
    for record in paper_records(store):
        key = record.best_link or ("title", title_key(record.title))
        venue = record.venue.label if record.venue else None
        found[key] = (frozenset(record.all_categories()), record.year, venue, record.title)
    return found


def reimport(body: bytes, tmp_path: Path) -> ox.Store:
    """Import the exported Markdown into an empty data folder and load what it wrote."""
    source = tmp_path / "exported-list.md"
    source.write_bytes(body)
    folder = tmp_path / "data"
    folder.mkdir()
    report = import_list(source, folder)
    assert report.skipped == []
    return memory_store({ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: data_files(folder)})


def test_sections_follow_the_source_lines_and_tables_have_the_list_columns(export_store):
    text = export("markdown", export_store).body.decode()
    # The fixture lists "seeds" (lines 5-6) before "scratch" (lines 11-12).
    assert text.index("Synthesis from seeds") < text.index("Synthesis from scratch")
    assert text.index("#### 1.1.1 Synthesis from seeds") > 0
    assert "| Paper Title | Year | Conference/Journal |" in text
    assert (
        "| [Growing data from nothing](https://arxiv.org/abs/2401.00001) | 2024 | arXiv |" in text
    )
    assert "| TinyGen | - | - |" in text
    # Rows keep the source order within a table: line 11 (TinyGen) before line 12.
    assert text.index("| TinyGen |") < text.index("| [Growing data from nothing]")


def test_fixture_round_trip_keeps_papers_and_classifications(export_store, tmp_path):
    again = reimport(export("markdown", export_store).body, tmp_path)
    assert summary(again) == summary(export_store)


def test_project_round_trip_keeps_papers_and_classifications(tmp_path):
    project = memory_store()
    original = summary(project)
    again = summary(reimport(export("markdown", project).body, tmp_path))
    assert len(original) == len(paper_records(project)) > 300
    assert again == original

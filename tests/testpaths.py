"""Locations the tests share: the fixture folder and the source lists beside the project."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).parent / "resources"
SOURCES_DIR = Path(__file__).resolve().parents[2] / "shared" / "sources"

"""Fixtures of the export tests: the project ontology with a small fixture data graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from .export_support import fresh_store


@pytest.fixture(scope="module")
def export_store() -> ox.Store:
    """The fixture store, shared by the tests of one module."""
    return fresh_store()

"""Every file-system location the project uses, defined once.

In a checkout (or an editable install) the folders at the repository root are used, so
that commands such as ``synthkg import`` edit the curated files in place. A plain
``pip install .`` ships read-only copies under ``synthkg/_resources``. ``SYNTHKG_HOME``
overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _find_project_root() -> Path:
    override = os.environ.get("SYNTHKG_HOME")
    if override:
        return Path(override).resolve()
    for candidate in (PACKAGE_DIR.parent.parent, *Path.cwd().resolve().parents, Path.cwd()):
        if (candidate / "ontology" / "synthkg.ttl").is_file() and (
            candidate / "pyproject.toml"
        ).is_file():
            return candidate
    return PACKAGE_DIR / "_resources"


PROJECT_ROOT = _find_project_root()

ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
ONTOLOGY_TTL = ONTOLOGY_DIR / "synthkg.ttl"
ONTOLOGY_RDFXML = ONTOLOGY_DIR / "synthkg.owl"
SHAPES_DIR = PROJECT_ROOT / "shapes"
DATA_DIR = PROJECT_ROOT / "data"
BUILD_DIR = PROJECT_ROOT / "build"
DOCS_BUILD_DIR = BUILD_DIR / "docs"
DUMPS_DIR = BUILD_DIR / "dumps"
STORE_DIR = BUILD_DIR / "store"

QUERIES_DIR = PACKAGE_DIR / "queries"
EXAMPLES_DIR = QUERIES_DIR / "examples"
QUALITY_DIR = QUERIES_DIR / "quality"
WEB_DIR = PACKAGE_DIR / "web"

# Front-end packages installed from npm by the setup (YASGUI); served locally.
NODE_MODULES_DIR = Path(os.environ.get("SYNTHKG_NODE_MODULES", PROJECT_ROOT / "node_modules"))

"""A small project home (the project's ontology and shapes, three fixture papers) for the
curator write tests, so that writes never touch the real ``data/``."""

from __future__ import annotations

import shutil
from pathlib import Path

from synthkg import paths

FIXTURE_DATA = Path(__file__).resolve().parents[1] / "resources" / "security" / "home" / "data"
PAPER = "https://w3id.org/synthkg/paper/arxiv-1412.6572"
ROW = "https://w3id.org/synthkg/source/awesome-synthetic-data-generation/"
TITLE = "http://purl.org/dc/terms/title"
STATED_TITLE = "https://w3id.org/synthkg/ontology/statedTitle"


def make_home(folder: Path) -> Path:
    """A project home with the ontology, the shapes and the fixture data."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ontology").mkdir(exist_ok=True)
    shutil.copy(paths.ONTOLOGY_TTL, folder / "ontology" / "synthkg.ttl")
    shutil.copytree(paths.SHAPES_DIR, folder / "shapes", dirs_exist_ok=True)
    shutil.copytree(FIXTURE_DATA, folder / "data", dirs_exist_ok=True)
    return folder


def retitle(number: int) -> str:
    """A write that changes two files at once: the paper's title (papers.ttl) and the title
    its source rows state (provenance.ttl), both to ``Title <number>``."""
    return f"""
        DELETE {{ <{PAPER}> <{TITLE}> ?old . ?row <{STATED_TITLE}> ?said }}
        INSERT {{ <{PAPER}> <{TITLE}> "Title {number}" . ?row <{STATED_TITLE}> "Title {number}" }}
        WHERE {{
          <{PAPER}> <{TITLE}> ?old .
          OPTIONAL {{ <{PAPER}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?row .
                     ?row <{STATED_TITLE}> ?said }}
        }}"""

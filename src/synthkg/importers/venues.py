"""The venue table: the names the lists use, mapped to one resource per venue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from synthkg.importers.titles import title_slug

CONFERENCE = "Conference"
JOURNAL = "Journal"
PREPRINT = "PreprintServer"


@dataclass(frozen=True)
class Venue:
    """A venue: ``slug`` names ``venue:<slug>``; ``kind`` is the ``skg:`` class below
    ``skg:Venue`` (``None`` when unknown); ``full_name`` goes in ``skos:prefLabel``."""

    slug: str
    label: str
    full_name: str | None = None
    kind: str | None = None

    @property
    def is_preprint(self) -> bool:
        return self.kind == PREPRINT


# The known venues: one a line in venues.txt beside this module.
_TABLE = Path(__file__).with_name("venues.txt")
_KINDS = {"C": CONFERENCE, "J": JOURNAL, "P": PREPRINT, "-": None}


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z&]+", " ", text.casefold()).strip()


def _read_table() -> dict[str, Venue]:
    by_key: dict[str, Venue] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        slug, label, full, kind, *rest = [*(part.strip() for part in line.split("|")), ""]
        venue = Venue(slug, label, full or None, _KINDS[kind])
        others = [name.strip() for name in rest[0].split(";") if name.strip()]
        for name in (slug, label, full, *others):
            if name:
                by_key.setdefault(_key(name), venue)
    return by_key


_BY_KEY = _read_table()

# "NeurIPS 2023", "ICLR'24", "CVPR (Oral)": the year or a note after the name.
_SUFFIX = re.compile(r"(\s*['\u2019]?\s*\d{2,4}|\s*\([^)]*\))+\s*$")
_PREFIX = re.compile(r"^(proceedings of( the)?|proc\.?)\s+", re.IGNORECASE)


def normalise_venue(text: str) -> Venue:
    """The venue a stated name refers to; an unknown name becomes a plain venue labelled
    as given."""
    stated = " ".join(text.split())
    for candidate in (stated, _SUFFIX.sub("", stated), _PREFIX.sub("", _SUFFIX.sub("", stated))):
        venue = _BY_KEY.get(_key(candidate))
        if venue is not None:
            return venue
    return Venue(title_slug(stated, limit=60), stated)

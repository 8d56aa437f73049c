"""CSV export for spreadsheets: one row per paper, with a header.

Columns: iri, title, year, venue (its short label), identifiers (``scheme:value``, e.g.
``arxiv:2505.03335``), methods, applications, challenges (category labels). A cell with
several values separates them with ``; ``. Rows are sorted by IRI; lines end with CRLF
(RFC 4180).
"""

from __future__ import annotations

import csv
import io

from synthkg.export.records import CategoryTree, PaperRecord

HEADER = (
    "iri",
    "title",
    "year",
    "venue",
    "identifiers",
    "methods",
    "applications",
    "challenges",
)
SEPARATOR = "; "
# Literal identifier property -> the scheme name written before the value.
SCHEMES = {
    "arxivId": "arxiv",
    "doi": "doi",
    "openReviewId": "openreview",
    "neuripsHash": "neurips",
    "aclAnthologyId": "acl",
    "pmlrId": "pmlr",
    "cvfId": "cvf",
    "ijcaiId": "ijcai",
}


def row(record: PaperRecord, tree: CategoryTree) -> list[str]:
    """The cells of one paper."""
    identifiers = [
        f"{scheme}:{value}"
        for local, scheme in SCHEMES.items()
        for value in sorted(record.identifiers.get(local, []))
    ]

    def labels(local: str) -> str:
        return SEPARATOR.join(sorted(tree.label(c) for c in record.categories.get(local, [])))

    return [
        record.iri,
        record.title,
        record.year or "",
        record.venue.label if record.venue else "",
        SEPARATOR.join(identifiers),
        labels("usesMethod"),
        labels("hasApplication"),
        labels("addressesChallenge"),
    ]


def render_records(records: list[PaperRecord], tree: CategoryTree) -> bytes:
    """The CSV text (UTF-8) of the records, sorted by IRI."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for record in sorted(records, key=lambda r: r.iri):
        writer.writerow(row(record, tree))
    return out.getvalue().encode("utf-8")

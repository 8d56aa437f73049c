"""BibTeX export: one entry per paper, keyed by the paper IRI's local name.

The key is the IRI's local name (``arxiv-2505.03335``), so it never changes between builds
(paper IRIs are permanent). The entry type follows the venue: a paper known only from arXiv
is ``@misc`` with ``eprint`` and ``archivePrefix = {arXiv}``; a conference paper is
``@inproceedings`` with the venue's full name as ``booktitle``; a journal paper is
``@article`` with ``journal``; anything else is ``@misc`` with ``howpublished``. Text is
escaped for LaTeX (``& % $ # _ { } ~ ^ \\``); titles are braced so styles keep their case.
Authors come in byline order from the authorship nodes; a paper without them has none.
"""

from __future__ import annotations

import re

from synthkg.export.records import PaperRecord

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:/+-]")


def escape(text: str) -> str:
    """Text with every LaTeX-special character escaped."""
    return "".join(_LATEX.get(char, char) for char in " ".join(text.split()))


def _verbatim(text: str) -> str:
    # A brace would end the field early; identifiers and links never need one.
    return text.replace("{", "%7B").replace("}", "%7D")


def entry_key(record: PaperRecord) -> str:
    """The stable citation key of a paper."""
    return _KEY_UNSAFE.sub("-", record.slug)


def entry_type(record: PaperRecord) -> str:
    kind = record.venue.kind if record.venue else None
    if kind == "Conference":
        return "inproceedings"
    if kind == "Journal":
        return "article"
    return "misc"


def entry_fields(record: PaperRecord) -> list[tuple[str, str]]:
    """The fields of one entry, in a fixed order, values already escaped (and braced)."""
    fields = [("title", "{" + escape(record.title) + "}")]
    if record.authors:
        fields.append(("author", " and ".join(escape(name) for name in record.authors)))
    venue = record.venue
    kind = entry_type(record)
    if venue is not None and kind == "inproceedings":
        fields.append(("booktitle", escape(venue.full_name)))
    elif venue is not None and kind == "article":
        fields.append(("journal", escape(venue.full_name)))
    elif venue is not None and venue.kind != "PreprintServer":
        fields.append(("howpublished", escape(venue.full_name)))
    if record.year:
        fields.append(("year", escape(record.year)))
    # doi, eprint and url are verbatim fields (biblatex): written as they are, not escaped.
    doi = record.identifier("doi")
    if doi:
        fields.append(("doi", _verbatim(doi)))
    arxiv = record.identifier("arxivId")
    if arxiv:
        fields.append(("eprint", _verbatim(arxiv)))
        fields.append(("archivePrefix", "arXiv"))
    if record.best_link:
        fields.append(("url", _verbatim(record.best_link)))
    if record.incomplete:
        fields.append(("note", "Incomplete record: only a short name is known"))
    return fields


def entry(record: PaperRecord) -> str:
    """One BibTeX entry."""
    lines = [f"@{entry_type(record)}{{{entry_key(record)},"]
    lines.extend(f"  {name} = {{{value}}}," for name, value in entry_fields(record))
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def render_records(records: list[PaperRecord]) -> bytes:
    """Every entry, sorted by key, separated by blank lines."""
    entries = [entry(r) for r in sorted(records, key=entry_key)]
    return "\n".join(entries).encode("utf-8")

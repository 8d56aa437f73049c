"""BibTeX and CSV: one entry or row per paper, readable by the usual tools."""

from __future__ import annotations

import csv
import io

from synthkg.export import export
from synthkg.export.bibtex import escape
from synthkg.export.csvtable import HEADER

from .export_support import parse_bibtex


def test_bibtex_has_one_entry_per_paper_with_the_right_type(export_store) -> None:
    entries = parse_bibtex(export("bibtex", export_store).body)
    assert sorted(entries) == [
        "arxiv-2302.00002",
        "arxiv-2401.00001",
        "doi-10.1109_tvcg.2025.12345",
        "title-tinygen",
        "url-0123456789ab",
    ]
    preprint = entries["arxiv-2401.00001"]
    assert preprint["ENTRYTYPE"] == "misc"
    assert preprint["eprint"] == "2401.00001"
    assert preprint["archiveprefix"] == "arXiv"
    assert preprint["year"] == "2024"
    proceedings = entries["arxiv-2302.00002"]
    assert proceedings["ENTRYTYPE"] == "inproceedings"
    assert proceedings["booktitle"] == "Conference on Neural Information Processing Systems"
    assert proceedings["author"] == r"Zoë Zed and Ada O'Brien \& Co"  # byline order
    assert "author" not in preprint
    journal = entries["doi-10.1109_tvcg.2025.12345"]
    assert journal["ENTRYTYPE"] == "article"
    assert journal["journal"] == "IEEE Transactions on Visualization and Computer Graphics"
    assert journal["doi"] == "10.1109/tvcg.2025.12345"
    assert journal["url"] == "https://doi.org/10.1109/tvcg.2025.12345"


def test_bibtex_escapes_latex_specials(export_store) -> None:
    entries = parse_bibtex(export("bibtex", export_store).body)
    title = entries["arxiv-2302.00002"]["title"]
    assert title == (
        r"{Seeds \& sprouts: 100\% of \$x\_1\$ with \{braces\}, \#tags, "
        r"\textasciitilde{}tilde and \textasciicircum{}caret \textbackslash{} backslash}"
    )
    assert escape("a_b & c") == r"a\_b \& c"


def test_bibtex_keys_come_from_the_paper_iri_and_stay_put(export_store) -> None:
    body = export("bibtex", export_store).body.decode()
    assert "@misc{arxiv-2401.00001," in body
    assert body.count("\n@") + 1 == 5


def test_csv_has_a_header_and_one_row_per_paper(export_store) -> None:
    text = export("csv", export_store).body.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    by_iri = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert len(by_iri) == 5
    paper = by_iri["https://w3id.org/synthkg/paper/arxiv-2302.00002"]
    assert paper["identifiers"] == "arxiv:2302.00002; openreview:AbCdEf123"
    assert paper["venue"] == "NeurIPS"
    assert paper["year"] == "2023"
    assert paper["methods"] == "Synthesis from seeds"
    both = by_iri["https://w3id.org/synthkg/paper/arxiv-2401.00001"]
    assert both["methods"] == "Synthesis from scratch"
    assert both["applications"] == "Zero/few-shot learning"
    journal = by_iri["https://w3id.org/synthkg/paper/doi-10.1109_tvcg.2025.12345"]
    assert journal["challenges"] == "Model collapse"
    assert text.endswith("\r\n")

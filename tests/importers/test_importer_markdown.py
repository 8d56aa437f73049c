"""Reading awesome-list Markdown: headings, tables, values and encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthkg.errors import InputError
from synthkg.importers.markdown import decode, parse_markdown
from synthkg.importers.titles import head_key, is_short_name, title_key, title_slug
from synthkg.importers.venues import normalise_venue

FIXTURES = Path(__file__).resolve().parents[1] / "resources" / "importers"


@pytest.fixture(scope="module")
def basic():
    return parse_markdown(FIXTURES / "basic.md")


def test_title_from_html_heading(basic) -> None:
    assert basic.title == "Tiny Synthetic Data List"


def test_rows_found_under_every_heading_style(basic) -> None:
    by_line = {row.line: row for row in basic.rows}
    assert sorted(by_line) == [24, 25, 26, 36, 37, 38, 47, 48, 49, 55]
    assert by_line[24].section == (
        "1. Methodologies",
        "1.1 Generation-Based Synthesis",
        "Synthesis from scratch",
    )
    # "### Name ###" closes the bold heading above it and replaces "1.1 …" at its level
    assert by_line[36].section == ("1. Methodologies", "Synthesis with evolution")
    assert by_line[47].section == ("2. Applications", "Data Accessibility", "Federated learning")


def test_columns_found_by_name_in_any_order(basic) -> None:
    by_line = {row.line: row for row in basic.rows}
    first = by_line[24]
    assert first.title == "Self-instruct: Aligning language models with self-generated instructions"
    assert first.link == "https://arxiv.org/abs/2212.10560v2"  # the title's link, not the code's
    assert (first.year, first.venue) == ("2022", "arXiv")
    swapped = by_line[36]  # Title | Conference | Year | Extra
    assert (swapped.year, swapped.venue) == ("2023", "arXiv")


def test_bold_linked_and_plain_titles(basic) -> None:
    by_line = {row.line: row for row in basic.rows}
    assert by_line[25].title == "Learning vision from models rivals learning vision from data"
    assert by_line[25].link is not None and by_line[25].link.endswith("_paper.html")
    plain = by_line[26]
    assert plain.title == "A plain paper title without any link at all"
    assert (plain.link, plain.year, plain.venue) == (None, None, None)  # '-' is unknown


def test_toc_html_and_code_blocks_ignored(basic) -> None:
    titles = " ".join(row.title for row in basic.rows)
    assert "Methodologies" not in titles
    assert "inside a code block" not in titles
    assert basic.tables == 5  # the empty "Synthesis from seeds" table counts, with no rows


def test_file_without_tables_is_refused() -> None:
    with pytest.raises(InputError, match="no awesome-list table"):
        parse_markdown(FIXTURES / "no-tables.md")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        parse_markdown(tmp_path / "absent.md")


def test_mis_encoded_text_is_repaired(tmp_path: Path) -> None:
    original = (FIXTURES / "draft.md").read_text(encoding="utf-8")
    original = original.replace("Gizmo-7", "Gizmö Café 📚").replace("(draft)", "↑ draft")
    garbled = original.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    source = tmp_path / "garbled.md"
    source.write_bytes(garbled)
    assert "ðŸ“š" in garbled.decode("utf-8")
    parsed = parse_markdown(source)
    assert parsed.title == "Tiny Synthetic Data List ↑ draft"
    assert "Gizmö Café 📚" in [row.title for row in parsed.rows]


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    text = (FIXTURES / "draft.md").read_text(encoding="utf-8").replace("Widget", "Widgét")
    source = tmp_path / "latin.md"
    source.write_bytes(text.encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        source.read_bytes().decode("utf-8")
    assert "Widgét" in [row.title for row in parse_markdown(source).rows]


def test_binary_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 8, tmp_path / "x.md")
    with pytest.raises(InputError, match="binary"):
        decode(b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\xff\xfe" * 50, tmp_path / "x.md")


def test_line_numbers_survive_repair() -> None:
    text = decode("a\r\nÃ©\nb\rc\n".encode(), Path("x.md"))
    assert text.split("\n") == ["a", "é", "b", "c", ""]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Self-Instruct: Aligning LMs", "self instruct aligning lms"),
        ("Ｆｕｌｌ-width Title", "Full width title"),  # noqa: RUF001  NFKC folds the width
        ("Tree of Tasks: Evolving Instructions!", "tree of tasks evolving instructions"),
        ("STRASSE", "straße"),
    ],
)
def test_title_keys_ignore_case_width_and_punctuation(a: str, b: str) -> None:
    assert title_key(a) == title_key(b)


def test_title_helpers() -> None:
    assert title_key("Phi-1") != title_key("Phi-1.5")
    assert head_key("Absolute zero: Reinforced self-play") == title_key("Absolute Zero")
    assert head_key("No colon here") == ""
    assert is_short_name("DreamTeacher") and is_short_name("Isaac Lab")
    assert not is_short_name("Self-instruct: Aligning language models")
    assert not is_short_name("Training verifiers to solve math word problems")
    assert title_slug("Café: a Study of Things!") == "cafe-a-study-of-things"
    assert len(title_slug("word " * 40)) <= 80


@pytest.mark.parametrize(
    ("stated", "slug", "label", "kind"),
    [
        ("NIPS", "neurips", "NeurIPS", "Conference"),
        ("NeurIPS 2023", "neurips", "NeurIPS", "Conference"),
        ("ICLR'24", "iclr", "ICLR", "Conference"),
        ("arXiv", "arxiv", "arXiv", "PreprintServer"),
        ("TVCG", "tvcg", "TVCG", "Journal"),
        ("FACCT", "facct", "FAccT", "Conference"),
        ("SIGSAC", "ccs", "CCS", "Conference"),
        ("USENIX Security", "usenix-security", "USENIX Security", "Conference"),
        ("S&P", "sp", "S&P", "Conference"),
        ("PATTERN RECOGN LETT", "patrec", "Pattern Recognit. Lett.", "Journal"),
        ("Stanford", "stanford", "Stanford", None),
        ("Some Workshop on Things", "some-workshop-on-things", "Some Workshop on Things", None),
    ],
)
def test_venue_names_are_normalised(stated: str, slug: str, label: str, kind: str | None) -> None:
    venue = normalise_venue(stated)
    assert (venue.slug, venue.label, venue.kind) == (slug, label, kind)


def test_link_column_and_bare_urls(tmp_path: Path) -> None:
    source = tmp_path / "links.md"
    source.write_text(
        "## Reasoning\n\n| Name | Link | Published |\n|---|---|---|\n"
        "| Chain of numbers | https://arxiv.org/abs/2301.00003 | 2023 |\n"
        "| __Bold underscores__ | [pdf](https://openreview.net/pdf?id=Qwerty12) | — |\n",
        encoding="utf-8",
    )
    rows = parse_markdown(source).rows
    assert [(r.title, r.link, r.year) for r in rows] == [
        ("Chain of numbers", "https://arxiv.org/abs/2301.00003", "2023"),
        ("Bold underscores", "https://openreview.net/pdf?id=Qwerty12", None),
    ]
    assert rows[0].section == ("Reasoning",)
